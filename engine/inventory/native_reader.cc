// The native uprank inventory (YAML or JSON): components with context, grouped under
// services or hosts, with dependency edges. Schema: docs/inventory.schema.json.
#include <algorithm>
#include <set>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

using internal::YamlNode;

constexpr std::string_view kKnownFields[] = {
    "name", "product", "version", "scheme", "purl", "environment", "criticality", "exposure",
    "owner", "cluster", "tags", "attributes", "depends_on", "kind", "cpe"};
constexpr std::string_view kServiceFields[] = {
    "name", "environment", "criticality", "exposure", "owner", "cluster", "tags", "components", "scheme"};

class NativeReader {
 public:
  NativeReader(const std::string& path, Inventory& out) : path_(path), out_(out) {}

  void read(std::string_view text, const ReadOptions& options) {
    auto documents = internal::load_yaml(text, path_, options.max_depth);
    if (!documents.ok()) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kError, documents.error().code,
                                                           documents.error().message, documents.error().where));
      return;
    }
    if (documents->empty()) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.shape", "empty inventory",
                                                           SourceLocation{path_, 1, 1}));
      return;
    }
    const YamlNode& root = documents->front();
    if (!root.is_map()) {
      error(root.mark(), "uprank.inventory.shape", "expected a mapping with a 'components' list at the top level");
      return;
    }
    Component defaults;
    if (const YamlNode& node = root["defaults"]) {
      if (!node.is_map()) {
        error(node.mark(), "uprank.inventory.shape", "'defaults' must be a mapping");
      } else {
        read_context(node, defaults);
      }
    }
    const YamlNode& components = root["components"];
    bool grouped = false;
    for (const char* group : {"services", "hosts"}) {
      const YamlNode& list = root[group];
      if (!list) continue;
      grouped = true;
      if (!list.is_sequence()) {
        error(list.mark(), "uprank.inventory.shape", std::string("'") + group + "' must be a list");
        continue;
      }
      for (const YamlNode& item : list.items()) read_service(item, defaults, std::string(group) == "hosts" ? "host" : "service");
    }
    if (!components) {
      if (!grouped) error(root.mark(), "uprank.inventory.missing_field", "missing field 'components'");
      return;
    }
    if (!components.is_sequence()) {
      error(components.mark(), "uprank.inventory.shape", "'components' must be a list");
      return;
    }
    for (const YamlNode& item : components.items()) read_component(item, defaults);
  }

 private:
  bool has_errors_since(size_t begin) const {
    for (size_t i = begin; i < out_.diagnostics.size(); ++i) {
      if (out_.diagnostics[i].severity == Severity::kError) return true;
    }
    return false;
  }

  void error(const YAML::Mark& mark, std::string code, std::string message) {
    Diagnostic diagnostic;
    diagnostic.code = std::move(code);
    diagnostic.message = std::move(message);
    diagnostic.range.begin = location(mark);
    out_.diagnostics.push_back(std::move(diagnostic));
  }

  SourceLocation location(const YAML::Mark& mark) const {
    if (mark.is_null()) return SourceLocation{path_, 0, 0};
    return SourceLocation{path_, mark.line + 1, mark.column + 1};
  }

  // Reads a scalar field as text; a non-scalar value is an error naming the field.
  bool scalar(const YamlNode& map, const char* field, std::string& into) {
    const YamlNode& node = map[field];
    if (!node || node.is_null()) return false;
    if (!node.is_scalar()) {
      error(node.mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a string");
      return false;
    }
    into = node.scalar();
    return true;
  }

  void read_string_list(const YamlNode& map, const char* field, std::vector<std::string>& into) {
    const YamlNode& node = map[field];
    if (!node || node.is_null()) return;
    if (!node.is_sequence()) {
      error(node.mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a list of strings");
      return;
    }
    for (const YamlNode& entry : node.items()) {
      if (!entry.is_scalar()) {
        error(entry.mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a list of strings");
        continue;
      }
      into.push_back(entry.scalar());
    }
  }

  void read_context(const YamlNode& node, Component& into) {
    scalar(node, "environment", into.environment);
    scalar(node, "criticality", into.criticality);
    scalar(node, "exposure", into.exposure);
    scalar(node, "owner", into.owner);
    scalar(node, "cluster", into.cluster);
    std::string scheme_text;
    if (scalar(node, "scheme", scheme_text)) {
      if (auto scheme = versions::parse_scheme(scheme_text)) {
        into.scheme = *scheme;
      } else {
        error(node["scheme"].mark(), "uprank.inventory.bad_field",
              "unknown scheme '" + scheme_text + "' (one of semver npm pep440 deb rpm maven golang generic)");
      }
    }
    read_string_list(node, "tags", into.tags);
  }

  void read_service(const YamlNode& item, const Component& defaults, const std::string& kind) {
    if (!item.is_map()) {
      error(item.mark(), "uprank.inventory.shape", "each " + kind + " must be a mapping");
      return;
    }
    for (const auto& entry : item.entries()) {
      const std::string key = entry.key.scalar();
      if (std::find(std::begin(kServiceFields), std::end(kServiceFields), key) == std::end(kServiceFields)) {
        std::vector<std::string> known(std::begin(kServiceFields), std::end(kServiceFields));
        std::string suggestion = closest_name(key, known);
        error(entry.key.mark(), "uprank.inventory.unknown_field",
              "unknown field '" + key + "' on " + kind + (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      }
    }
    Service service;
    service.kind = kind;
    service.location = location(item.mark());
    if (!scalar(item, "name", service.name)) {
      error(item.mark(), "uprank.inventory.missing_field", kind + " is missing field 'name'");
      return;
    }
    Component context = defaults;
    context.tags.clear();
    read_context(item, context);
    std::vector<std::string> tags = defaults.tags;
    for (const std::string& tag : context.tags) tags.push_back(tag);
    context.tags = tags;
    context.service = service.name;
    service.environment = context.environment;
    service.criticality = context.criticality;
    service.exposure = context.exposure;
    service.owner = context.owner;
    service.cluster = context.cluster;
    service.tags = context.tags;
    const YamlNode& components = item["components"];
    if (components && !components.is_sequence()) {
      error(components.mark(), "uprank.inventory.shape", "'components' of " + kind + " '" + service.name + "' must be a list");
    } else if (components) {
      for (const YamlNode& component : components.items()) {
        size_t before = out_.components.size();
        read_component(component, context);
        if (out_.components.size() > before) service.components.push_back(out_.components.back().name);
      }
    }
    out_.services.push_back(std::move(service));
  }

  void read_component(const YamlNode& item, const Component& defaults) {
    if (!item.is_map()) {
      error(item.mark(), "uprank.inventory.shape", "each component must be a mapping");
      return;
    }
    size_t errors_before = out_.diagnostics.size();
    std::vector<Diagnostic> warnings;
    Component component = defaults;
    component.location = location(item.mark());
    for (const auto& entry : item.entries()) {
      const std::string key = entry.key.scalar();
      if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) == std::end(kKnownFields)) {
        std::vector<std::string> known(std::begin(kKnownFields), std::end(kKnownFields));
        std::string suggestion = closest_name(key, known);
        error(entry.key.mark(), "uprank.inventory.unknown_field",
              "unknown field '" + key + "'" + (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      }
    }
    if (!scalar(item, "name", component.name)) {
      if (out_.diagnostics.size() == errors_before) {
        error(item.mark(), "uprank.inventory.missing_field", "component is missing field 'name'");
      }
    }
    if (!scalar(item, "version", component.version_text) && out_.diagnostics.size() == errors_before) {
      error(item.mark(), "uprank.inventory.missing_field",
            "component '" + component.name + "' is missing field 'version'");
    }
    scalar(item, "product", component.product);
    scalar(item, "kind", component.kind);
    scalar(item, "cpe", component.cpe);
    if (scalar(item, "purl", component.purl)) {
      auto purl = PackageUrl::parse(component.purl);
      if (!purl.ok()) {
        error(item["purl"].mark(), "uprank.inventory.bad_purl", purl.error().message);
      } else {
        component.purl = purl->to_string();
      }
    }
    read_context(item, component);
    read_string_list(item, "depends_on", component.depends_on);
    if (const YamlNode& attributes = item["attributes"]) {
      if (!attributes.is_map()) {
        error(attributes.mark(), "uprank.inventory.bad_field", "field 'attributes' must be a mapping of strings");
      } else {
        for (const auto& entry : attributes.entries()) {
          if (entry.value.is_scalar()) component.attributes[entry.key.scalar()] = entry.value.scalar();
          else error(entry.value.mark(), "uprank.inventory.bad_field", "attribute '" + entry.key.scalar() + "' must be a string");
        }
      }
    }
    if (!component.version_text.empty()) {
      auto version = versions::Version::parse(component.scheme, component.version_text);
      if (version.ok()) {
        component.version = std::move(version.value());
      } else if (version.error().code != "uprank.version.unsupported_scheme") {
        // Kept with its text: rules see no version, and the user sees why.
        Diagnostic warning;
        warning.severity = Severity::kWarning;
        warning.code = "uprank.inventory.bad_version";
        warning.message = "component '" + component.name + "': " + version.error().message;
        warning.range.begin = location(item["version"].mark());
        warnings.push_back(std::move(warning));
      }
    }
    if (!component.kind.size()) component.kind = "package";
    component.source = "native";
    if (has_errors_since(errors_before)) return;
    for (Diagnostic& warning : warnings) out_.diagnostics.push_back(std::move(warning));
    if (!names_.insert(component.name).second) {
      error(item.mark(), "uprank.inventory.duplicate_name", "component name '" + component.name + "' appears twice");
      return;
    }
    out_.components.push_back(std::move(component));
  }

  const std::string& path_;
  Inventory& out_;
  std::set<std::string> names_;
};

}  // namespace

Inventory read_native_inventory(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory inventory;
  try {
    NativeReader(path, inventory).read(text, options);
  } catch (const std::exception& e) {  // nothing escapes a reader, not even an allocation failure
    inventory.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.syntax", e.what(), SourceLocation{path, 0, 0}));
  }
  return inventory;
}

}  // namespace uprank::inventory
