#include "engine/inventory/inventory_json.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/base/terminal_text.h"
#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

using nlohmann::ordered_json;

ordered_json nullable(const std::string& text) { return text.empty() ? ordered_json(nullptr) : ordered_json(text); }

ordered_json location_json(const SourceLocation& location) {
  return ordered_json{{"file", location.file}, {"line", location.line}, {"column", location.column}};
}

// Invalid UTF-8 from untrusted files is replaced instead of thrown on.
std::string dump(const ordered_json& value) { return value.dump(2, ' ', false, ordered_json::error_handler_t::replace); }

// Appends `value` as the whole document's dump(2) writes it `depth` levels in: the same
// text with every line after the first indented two spaces more per level (strings hold
// no raw newline, so every newline is the dump's own).
void append_at_depth(std::string& out, const ordered_json& value, int depth) {
  const std::string text = dump(value);
  const std::string pad(static_cast<size_t>(2 * depth), ' ');
  size_t start = 0;
  for (size_t newline = text.find('\n'); newline != std::string::npos; newline = text.find('\n', start)) {
    out.append(text, start, newline + 1 - start);
    out += pad;
    start = newline + 1;
  }
  out.append(text, start, std::string::npos);
}

}  // namespace

// Components are dumped one at a time into the text, so the document never holds a JSON
// tree of the whole inventory (over 1 KB a component); the bytes are those of dumping it
// whole.
std::string inventory_to_json(const Inventory& inventory) {
  std::string out = "{\n  \"components\": [";
  // About 700 bytes a component is written; room reserved and not written is address
  // space, not memory, and spares the copies of a growing string.
  out.reserve(1024 * (inventory.components.size() + 4));
  size_t mapped = 0;
  for (const Component& component : inventory.components) {
    ordered_json item;
    item["name"] = component.name;
    item["version"] = component.version_text;
    item["scheme"] = std::string(versions::scheme_name(component.scheme));
    item["version_parsed"] = component.version.has_value();
    if (const Component::VersionPin& pin = component.pin; !pin.exact()) {  // exact pins say nothing more
      ordered_json pin_json{{"kind", std::string(pin.kind_name())}, {"text", pin.describe(component.version_text)}};
      for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"cycle", &pin.cycle},
                                       {"codename", &pin.codename},
                                       {"constraint", &pin.constraint},
                                       {"lowest", &pin.lowest},
                                       {"digest", &pin.digest}}) {
        if (!value->empty()) pin_json[key] = *value;
      }
      item["pin"] = std::move(pin_json);
    }
    item["product"] = nullable(component.product);
    item["cycle"] = nullable(component.cycle);
    item["purl"] = nullable(component.purl);
    item["mapped"] = component.mapped();
    item["kind"] = component.kind;
    item["source"] = component.source;
    if (const Identity& identity = component.identity; !identity.ecosystem.empty()) {
      ordered_json id{{"ecosystem", identity.osv_ecosystem()}, {"package", identity.name}};
      if (!identity.source_name.empty()) id["source_package"] = identity.source_name;
      if (!identity.release_origin.empty()) id["release_origin"] = identity.release_origin;
      item["identity"] = std::move(id);
    }
    item["location"] = location_json(component.location);
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"environment", &component.environment},
                                     {"criticality", &component.criticality},
                                     {"exposure", &component.exposure},
                                     {"owner", &component.owner},
                                     {"cluster", &component.cluster},
                                     {"service", &component.service},
                                     {"cpe", &component.cpe}}) {
      if (!value->empty()) item[key] = *value;
    }
    if (!component.tags.empty()) item["tags"] = component.tags;
    if (!component.depends_on.empty()) item["depends_on"] = component.depends_on;
    if (!component.attributes.empty()) {
      ordered_json attributes = ordered_json::object();
      for (const auto& [key, value] : component.attributes) attributes[key] = value;
      item["attributes"] = std::move(attributes);
    }
    if (component.mapped()) ++mapped;
    out += &component == &inventory.components.front() ? "\n    " : ",\n    ";
    append_at_depth(out, item, 2);
  }
  out += inventory.components.empty() ? "]" : "\n  ]";
  ordered_json services = ordered_json::array();
  for (const Service& service : inventory.services) {
    ordered_json item{{"name", service.name}, {"kind", service.kind}};
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"environment", &service.environment},
                                     {"criticality", &service.criticality},
                                     {"exposure", &service.exposure},
                                     {"owner", &service.owner},
                                     {"cluster", &service.cluster}}) {
      if (!value->empty()) item[key] = *value;
    }
    if (!service.tags.empty()) item["tags"] = service.tags;
    item["components"] = service.components;
    item["location"] = location_json(service.location);
    services.push_back(std::move(item));
  }
  ordered_json diagnostics = ordered_json::array();
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    ordered_json item{{"severity", std::string(severity_name(diagnostic.severity))},
                      {"code", diagnostic.code},
                      {"message", diagnostic.message},
                      {"location", location_json(diagnostic.range.begin)}};
    if (!diagnostic.hint.empty()) item["hint"] = diagnostic.hint;
    diagnostics.push_back(std::move(item));
  }
  ordered_json unmapped = ordered_json::array();
  for (const Component& component : inventory.components) {
    if (!component.mapped()) unmapped.push_back(component.name);
  }
  ordered_json root;
  root["components"] = ordered_json::array();  // written above: its place in the dump is cut out
  root["services"] = std::move(services);
  root["diagnostics"] = std::move(diagnostics);
  root["summary"] = ordered_json{{"components", inventory.components.size()},
                                 {"mapped", mapped},
                                 {"unmapped", inventory.components.size() - mapped},
                                 {"files_skipped", skipped_files(inventory)},
                                 {"unmapped_components", std::move(unmapped)}};
  static constexpr std::string_view kEmptyHead = "{\n  \"components\": []";
  const std::string rest = dump(root);
  out.append(rest, kEmptyHead.size(), std::string::npos);
  out += "\n";
  return out;
}

std::string inventory_to_table(const Inventory& inventory) {
  struct Row {
    std::string location, name, version, scheme, product;
  };
  std::vector<Row> rows;
  rows.push_back({"LOCATION", "NAME", "VERSION", "SCHEME", "PRODUCT"});
  size_t unmapped = 0;
  for (const Component& component : inventory.components) {
    std::string product = component.product.empty() ? "-" : component.product;
    if (!component.cycle.empty()) product += " (" + component.cycle + ")";
    if (!component.mapped()) ++unmapped;
    std::string version = component.pin.exact() ? component.version_text : component.pin.describe(component.version_text);
    // Names and versions come from the files read: escaped, so none can drive the terminal.
    rows.push_back({escape_for_terminal(component.location.to_string()), escape_for_terminal(component.name),
                    version.empty() ? "-" : escape_for_terminal(version), std::string(versions::scheme_name(component.scheme)),
                    escape_for_terminal(product)});
  }
  size_t widths[4] = {0, 0, 0, 0};
  for (const Row& row : rows) {
    widths[0] = std::max(widths[0], std::min<size_t>(row.location.size(), 60));
    widths[1] = std::max(widths[1], std::min<size_t>(row.name.size(), 50));
    widths[2] = std::max(widths[2], std::min<size_t>(row.version.size(), 30));
    widths[3] = std::max(widths[3], row.scheme.size());
  }
  auto pad = [](const std::string& text, size_t width) {
    return text.size() >= width ? text + "  " : text + std::string(width - text.size() + 2, ' ');
  };
  std::string out;
  for (const Row& row : rows) {
    out += pad(row.location, widths[0]) + pad(row.name, widths[1]) + pad(row.version, widths[2]) +
           pad(row.scheme, widths[3]) + row.product + "\n";
  }
  out += std::to_string(inventory.components.size()) + " components, " + std::to_string(unmapped) +
         " not mapped to a product";
  if (size_t skipped = skipped_files(inventory)) {
    out += ", " + std::to_string(skipped) + " file" + (skipped == 1 ? "" : "s") + " skipped (--log-level info says why)";
  }
  out += "\n";
  return out;
}

}  // namespace uprank::inventory
