#include "fetchers/yaml_input.h"

#include <yaml-cpp/yaml.h>

namespace uprank::fetch {
namespace {

using nlohmann::json;

struct Converter {
  const std::string& where;
  int max_depth;
  size_t budget;
  std::string error;

  // Converts `node` at JSON path `path`; false (with `error` set) past a bound.
  bool convert(const YAML::Node& node, int depth, const std::string& path, json& out) {
    if (budget == 0) {
      error = where + ": more YAML nodes than allowed at " + path + " (alias expansion?)";
      return false;
    }
    --budget;
    if (depth > max_depth) {
      error = where + ": YAML nested deeper than " + std::to_string(max_depth) + " levels at " + path;
      return false;
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: out = nullptr; return true;
      case YAML::NodeType::Scalar: out = scalar(node); return true;
      case YAML::NodeType::Sequence: {
        out = json::array();
        size_t index = 0;
        for (const YAML::Node& item : node) {
          json value;
          if (!convert(item, depth + 1, path + "[" + std::to_string(index++) + "]", value)) return false;
          out.push_back(std::move(value));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out = json::object();
        for (const auto& entry : node) {
          if (!entry.first.IsScalar()) {
            error = where + ": a key at " + path + " is not a plain string" + line_of(entry.first);
            return false;
          }
          const std::string& key = entry.first.Scalar();
          json value;
          if (!convert(entry.second, depth + 1, path + "." + key, value)) return false;
          out[key] = std::move(value);
        }
        return true;
      }
    }
    return true;
  }

  static json scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;  // quoted: always a string
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    return text;
  }

  static std::string line_of(const YAML::Node& node) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {};
    return " (line " + std::to_string(mark.line + 1) + ")";
  }
};

}  // namespace

Result<json> parse_yaml_as_json(std::string_view text, const std::string& where, const JsonLimits& limits,
                                size_t max_nodes) {
  if (text.size() > limits.max_bytes) {
    return make_error("uprank.fetch.too_large", where + ": YAML of " + std::to_string(text.size()) +
                                                    " bytes exceeds the limit of " + std::to_string(limits.max_bytes));
  }
  // Flow collections nest like JSON: refuse a hostile "[[[[…" before the recursive parser sees it.
  if (json_nesting_depth(text, limits.max_depth) > limits.max_depth) {
    return make_error("uprank.fetch.malformed_yaml",
                      where + ": YAML nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Converter converter{where, limits.max_depth, max_nodes, {}};
    json out;
    if (!converter.convert(root, 0, "$", out)) return make_error("uprank.fetch.too_large", converter.error);
    return out;
  } catch (const YAML::Exception& e) {
    std::string at = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return make_error("uprank.fetch.malformed_yaml", where + at + ": malformed YAML: " + e.msg);
  } catch (const std::exception& e) {
    return make_error("uprank.fetch.malformed_yaml", where + ": cannot parse YAML: " + e.what());
  }
}

}  // namespace uprank::fetch
