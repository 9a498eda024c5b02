#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

constexpr std::string_view kKnownFields[] = {
    "name", "product", "version", "scheme", "purl", "environment", "criticality", "exposure",
    "owner", "cluster", "tags", "attributes", "depends_on"};

class NativeReader {
 public:
  NativeReader(const std::string& path, Inventory& out) : path_(path), out_(out) {}

  void read(std::string_view text, const ReadOptions& options) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      error(e.mark, "uprank.inventory.syntax", "not valid YAML or JSON: " + e.msg);
      return;
    }
    if (!root.IsMap()) {
      error(root.Mark(), "uprank.inventory.shape", "expected a mapping with a 'components' list at the top level");
      return;
    }
    if (depth(root, 0) > options.max_depth) {
      error(root.Mark(), "uprank.inventory.too_deep", "nesting deeper than " + std::to_string(options.max_depth) + " levels");
      return;
    }
    Component defaults;
    if (YAML::Node node = root["defaults"]) {
      if (!node.IsMap()) {
        error(node.Mark(), "uprank.inventory.shape", "'defaults' must be a mapping");
      } else {
        read_context(node, defaults);
      }
    }
    YAML::Node components = root["components"];
    if (!components) {
      error(root.Mark(), "uprank.inventory.missing_field", "missing field 'components'");
      return;
    }
    if (!components.IsSequence()) {
      error(components.Mark(), "uprank.inventory.shape", "'components' must be a list");
      return;
    }
    for (const YAML::Node& item : components) read_component(item, defaults);
  }

 private:
  static int depth(const YAML::Node& node, int level) {
    int deepest = level;
    if (node.IsMap()) {
      for (const auto& entry : node) deepest = std::max(deepest, depth(entry.second, level + 1));
    } else if (node.IsSequence()) {
      for (const auto& entry : node) deepest = std::max(deepest, depth(entry, level + 1));
    }
    return deepest;
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
  bool scalar(const YAML::Node& map, const char* field, std::string& into) {
    YAML::Node node = map[field];
    if (!node || node.IsNull()) return false;
    if (!node.IsScalar()) {
      error(node.Mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a string");
      return false;
    }
    into = node.Scalar();
    return true;
  }

  void read_string_list(const YAML::Node& map, const char* field, std::vector<std::string>& into) {
    YAML::Node node = map[field];
    if (!node || node.IsNull()) return;
    if (!node.IsSequence()) {
      error(node.Mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a list of strings");
      return;
    }
    for (const YAML::Node& entry : node) {
      if (!entry.IsScalar()) {
        error(entry.Mark(), "uprank.inventory.bad_field", std::string("field '") + field + "' must be a list of strings");
        continue;
      }
      into.push_back(entry.Scalar());
    }
  }

  void read_context(const YAML::Node& node, Component& into) {
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
        error(node["scheme"].Mark(), "uprank.inventory.bad_field",
              "unknown scheme '" + scheme_text + "' (one of semver npm pep440 deb rpm maven golang generic)");
      }
    }
    read_string_list(node, "tags", into.tags);
  }

  void read_component(const YAML::Node& item, const Component& defaults) {
    if (!item.IsMap()) {
      error(item.Mark(), "uprank.inventory.shape", "each component must be a mapping");
      return;
    }
    size_t errors_before = out_.diagnostics.size();
    Component component = defaults;
    component.location = location(item.Mark());
    for (const auto& entry : item) {
      const std::string key = entry.first.Scalar();
      if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) == std::end(kKnownFields)) {
        std::vector<std::string> known(std::begin(kKnownFields), std::end(kKnownFields));
        std::string suggestion = closest_name(key, known);
        error(entry.first.Mark(), "uprank.inventory.unknown_field",
              "unknown field '" + key + "'" + (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      }
    }
    if (!scalar(item, "name", component.name)) {
      if (out_.diagnostics.size() == errors_before) {
        error(item.Mark(), "uprank.inventory.missing_field", "component is missing field 'name'");
      }
    }
    if (!scalar(item, "version", component.version_text) && out_.diagnostics.size() == errors_before) {
      error(item.Mark(), "uprank.inventory.missing_field",
            "component '" + component.name + "' is missing field 'version'");
    }
    scalar(item, "product", component.product);
    scalar(item, "purl", component.purl);
    read_context(item, component);
    read_string_list(item, "depends_on", component.depends_on);
    if (YAML::Node attributes = item["attributes"]) {
      if (!attributes.IsMap()) {
        error(attributes.Mark(), "uprank.inventory.bad_field", "field 'attributes' must be a mapping of strings");
      } else {
        for (const auto& entry : attributes) {
          if (entry.second.IsScalar()) component.attributes[entry.first.Scalar()] = entry.second.Scalar();
          else error(entry.second.Mark(), "uprank.inventory.bad_field", "attribute '" + entry.first.Scalar() + "' must be a string");
        }
      }
    }
    if (!component.version_text.empty()) {
      auto version = versions::Version::parse(component.scheme, component.version_text);
      if (version.ok()) {
        component.version = std::move(version.value());
      } else {
        error(item["version"].Mark(), "uprank.inventory.bad_version",
              "component '" + component.name + "': " + version.error().message);
      }
    }
    if (out_.diagnostics.size() != errors_before) return;
    if (!names_.insert(component.name).second) {
      error(item.Mark(), "uprank.inventory.duplicate_name", "component name '" + component.name + "' appears twice");
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
  } catch (const std::exception& e) {  // yaml-cpp throws from conversions; never let it escape
    inventory.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.inventory.syntax", e.what(), {{path, 0, 0}}, {}});
  }
  return inventory;
}

Inventory read_inventory_paths(const std::vector<std::string>& paths, const ReadOptions& options) {
  Inventory all;
  for (const std::string& path : paths) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      all.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.inventory.unreadable", "cannot open file", {{path, 0, 0}}, {}});
      continue;
    }
    file.seekg(0, std::ios::end);
    auto size = static_cast<size_t>(file.tellg());
    if (size > options.max_file_bytes) {
      all.diagnostics.push_back(Diagnostic{Severity::kError, "uprank.inventory.too_large",
                                           "file is larger than " + std::to_string(options.max_file_bytes) + " bytes",
                                           {{path, 0, 0}}, {}});
      continue;
    }
    file.seekg(0);
    std::string text(size, '\0');
    file.read(text.data(), static_cast<std::streamsize>(size));
    Inventory one = read_native_inventory(text, path, options);
    for (auto& component : one.components) all.components.push_back(std::move(component));
    for (auto& diagnostic : one.diagnostics) all.diagnostics.push_back(std::move(diagnostic));
  }
  return all;
}

}  // namespace uprank::inventory
