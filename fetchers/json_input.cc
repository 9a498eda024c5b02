#include "fetchers/json_input.h"

namespace uprank::fetch {

int json_nesting_depth(std::string_view text, int stop_at) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stop_at) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

namespace {

// Checks the bounds, then parses with nlohmann's `Json` type; its exceptions stop here.
template <typename Json>
Result<Json> parse_bounded(std::string_view text, const std::string& where, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error("uprank.fetch.too_large", where + ": JSON body of " + std::to_string(text.size()) +
                                                    " bytes exceeds the limit of " +
                                                    std::to_string(limits.max_bytes));
  }
  if (json_nesting_depth(text, limits.max_depth) > limits.max_depth) {
    return make_error("uprank.fetch.malformed_json",
                      where + ": JSON nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    std::string reason = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at …": keep the useful part.
    if (auto close = reason.find("] "); close != std::string::npos) reason = reason.substr(close + 2);
    return make_error("uprank.fetch.malformed_json", where + ": malformed JSON: " + reason);
  } catch (const std::exception& e) {
    return make_error("uprank.fetch.malformed_json", where + ": cannot parse JSON: " + e.what());
  }
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const std::string& where, const JsonLimits& limits) {
  return parse_bounded<nlohmann::json>(text, where, limits);
}

Result<nlohmann::ordered_json> parse_ordered_json(std::string_view text, const std::string& where,
                                                  const JsonLimits& limits) {
  return parse_bounded<nlohmann::ordered_json>(text, where, limits);
}

const nlohmann::json* json_member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string json_string(const nlohmann::json& object, const char* key, std::string fallback) {
  const nlohmann::json* value = json_member(object, key);
  if (value == nullptr || !value->is_string()) return fallback;
  return value->get<std::string>();
}

std::vector<std::string> json_strings(const nlohmann::json& object, const char* key) {
  std::vector<std::string> strings;
  const nlohmann::json* value = json_member(object, key);
  if (value == nullptr || !value->is_array()) return strings;
  for (const nlohmann::json& item : *value) {
    if (item.is_string()) strings.push_back(item.get<std::string>());
  }
  return strings;
}

bool json_bool(const nlohmann::json& object, const char* key, bool fallback) {
  const nlohmann::json* value = json_member(object, key);
  if (value == nullptr || !value->is_boolean()) return fallback;
  return value->get<bool>();
}

}  // namespace uprank::fetch
