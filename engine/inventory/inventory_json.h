// Renders an inventory for people (a table) and programs (JSON, docs/inventory.md).
#pragma once

#include <string>

#include "engine/base/sink.h"
#include "engine/inventory/component.h"

namespace uprank::inventory {

// Returns {"components": [...], "services": [...], "diagnostics": [...], "summary": {...}}.
// Each component has name, version, scheme, product (or null), cycle (or null), purl (or
// null), kind, source, mapped and location {file, line, column}, plus its context.
// write_inventory_json streams it into `sink` as it is produced (the bytes of nlohmann's
// dump(2) of the same document, with a final newline); inventory_to_json returns it.
void write_inventory_json(const Inventory& inventory, Sink& sink);
std::string inventory_to_json(const Inventory& inventory);

// Returns an aligned table: location, name, version, scheme, product; unmapped
// components show "-" as product and are counted at the end.
std::string inventory_to_table(const Inventory& inventory);

}  // namespace uprank::inventory
