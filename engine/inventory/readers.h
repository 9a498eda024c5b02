// Inventory readers: turn files into components with provenance, reporting bad input as
// diagnostics that name the file, line and problem.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inventory/component.h"

namespace uprank::inventory {

struct ReadOptions {
  size_t max_file_bytes = 64u << 20;  // larger files are refused, not truncated
  int max_depth = 64;                 // nesting limit for YAML/JSON documents
};

// Reads a native uprank inventory (YAML or JSON; see docs/inventory.md) from `text`,
// attributing components and errors to `path`. Items with errors are skipped and each
// problem is added to the result's diagnostics.
Inventory read_native_inventory(std::string_view text, const std::string& path, const ReadOptions& options = {});

// Reads every path (files; format detected from name and content), appending all
// components and diagnostics. A file that cannot be read adds an error and the rest go on.
Inventory read_inventory_paths(const std::vector<std::string>& paths, const ReadOptions& options = {});

}  // namespace uprank::inventory
