#include "engine/inventory/inventory_json.h"

#include <algorithm>

#include "engine/base/sink.h"
#include "engine/base/terminal_text.h"
#include "engine/inventory/readers.h"
#include "engine/report/json_out.h"

namespace uprank::inventory {
namespace {

using report::internal::JsonOut;

void write_location(JsonOut& out, const SourceLocation& location) {
  out.begin_object();
  out.key("file");
  out.string(location.file);
  out.key("line");
  out.integer(location.line);
  out.key("column");
  out.integer(location.column);
  out.end_object();
}

void write_strings(JsonOut& out, const std::vector<std::string>& texts) {
  out.begin_array();
  for (const std::string& text : texts) out.string(text);
  out.end_array();
}

void write_component(JsonOut& out, const Component& component) {
  out.begin_object();
  out.key("name");
  out.string(component.name);
  out.key("version");
  out.string(component.version_text);
  out.key("scheme");
  out.string(versions::scheme_name(component.scheme));
  out.key("version_parsed");
  out.boolean(component.version.has_value());
  if (const Component::VersionPin& pin = component.pin; !pin.exact()) {  // exact pins say nothing more
    out.key("pin");
    out.begin_object();
    out.key("kind");
    out.string(pin.kind_name());
    out.key("text");
    out.string(pin.describe(component.version_text));
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"cycle", &pin.cycle},
                                     {"codename", &pin.codename},
                                     {"constraint", &pin.constraint},
                                     {"lowest", &pin.lowest},
                                     {"digest", &pin.digest}}) {
      if (value->empty()) continue;
      out.key(key);
      out.string(*value);
    }
    out.end_object();
  }
  out.key("product");
  out.string_or_null(component.product);
  out.key("cycle");
  out.string_or_null(component.cycle);
  out.key("purl");
  out.string_or_null(component.purl);
  out.key("mapped");
  out.boolean(component.mapped());
  out.key("kind");
  out.string(component.kind);
  out.key("source");
  out.string(component.source);
  if (const Identity& identity = component.identity; !identity.ecosystem.empty()) {
    out.key("identity");
    out.begin_object();
    out.key("ecosystem");
    out.string(identity.osv_ecosystem());
    out.key("package");
    out.string(identity.name);
    if (!identity.source_name.empty()) {
      out.key("source_package");
      out.string(identity.source_name);
    }
    if (!identity.release_origin.empty()) {
      out.key("release_origin");
      out.string(identity.release_origin);
    }
    out.end_object();
  }
  out.key("location");
  write_location(out, component.location);
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"environment", &component.environment},
                                   {"criticality", &component.criticality},
                                   {"exposure", &component.exposure},
                                   {"owner", &component.owner},
                                   {"cluster", &component.cluster},
                                   {"service", &component.service},
                                   {"cpe", &component.cpe}}) {
    if (value->empty()) continue;
    out.key(key);
    out.string(*value);
  }
  if (!component.tags.empty()) {
    out.key("tags");
    write_strings(out, component.tags);
  }
  if (!component.depends_on.empty()) {
    out.key("depends_on");
    write_strings(out, component.depends_on);
  }
  if (!component.attributes.empty()) {
    out.key("attributes");
    out.begin_object();
    for (const auto& [key, value] : component.attributes) {
      out.key(key);
      out.string(value);
    }
    out.end_object();
  }
  out.end_object();
}

}  // namespace

// Written as produced through JsonOut (engine/report/json_out.h), whose bytes are those of
// nlohmann's dump(2, ' ', false, replace) of the same document: no JSON tree is built, not
// even per component, and the sink receives the text a megabyte at a time.
void write_inventory_json(const Inventory& inventory, Sink& sink) {
  JsonOut out(sink);
  out.begin_object();
  out.key("components");
  out.begin_array();
  size_t mapped = 0;
  for (const Component& component : inventory.components) {
    write_component(out, component);
    if (component.mapped()) ++mapped;
  }
  out.end_array();
  out.key("services");
  out.begin_array();
  for (const Service& service : inventory.services) {
    out.begin_object();
    out.key("name");
    out.string(service.name);
    out.key("kind");
    out.string(service.kind);
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"environment", &service.environment},
                                     {"criticality", &service.criticality},
                                     {"exposure", &service.exposure},
                                     {"owner", &service.owner},
                                     {"cluster", &service.cluster}}) {
      if (value->empty()) continue;
      out.key(key);
      out.string(*value);
    }
    if (!service.tags.empty()) {
      out.key("tags");
      write_strings(out, service.tags);
    }
    out.key("components");
    write_strings(out, service.components);
    out.key("location");
    write_location(out, service.location);
    out.end_object();
  }
  out.end_array();
  out.key("diagnostics");
  out.begin_array();
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    out.begin_object();
    out.key("severity");
    out.string(severity_name(diagnostic.severity));
    out.key("code");
    out.string(diagnostic.code);
    out.key("message");
    out.string(diagnostic.message);
    out.key("location");
    write_location(out, diagnostic.range.begin);
    if (!diagnostic.hint.empty()) {
      out.key("hint");
      out.string(diagnostic.hint);
    }
    out.end_object();
  }
  out.end_array();
  out.key("summary");
  out.begin_object();
  out.key("components");
  out.integer(inventory.components.size());
  out.key("mapped");
  out.integer(mapped);
  out.key("unmapped");
  out.integer(inventory.components.size() - mapped);
  out.key("files_skipped");
  out.integer(skipped_files(inventory));
  out.key("unmapped_components");
  out.begin_array();
  for (const Component& component : inventory.components) {
    if (!component.mapped()) out.string(component.name);
  }
  out.end_array();
  out.end_object();
  out.end_object();
  out.newline();
}

std::string inventory_to_json(const Inventory& inventory) {
  StringSink sink;
  write_inventory_json(inventory, sink);
  return std::move(sink.text);
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
