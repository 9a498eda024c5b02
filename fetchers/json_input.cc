#include "fetchers/json_input.h"

namespace uprank::fetch {

namespace {

// Thrown from the parser's callback when a bound is crossed.
struct JsonLimitExceeded {
  Error error;
};

// Checks the size, then parses with nlohmann's `Json` type in one pass whose callback
// applies the depth and value limits as each value is read, so a body over them costs
// what was read up to the limit, never its whole tree. nlohmann's exceptions stop here.
template <typename Json>
Result<Json> parse_bounded(std::string_view text, const std::string& where, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error("uprank.fetch.too_large", where + ": JSON body of " + std::to_string(text.size()) +
                                                    " bytes exceeds the limit of " +
                                                    std::to_string(limits.max_bytes));
  }
  size_t values = 0;
  auto bound = [&](int enclosing, nlohmann::json::parse_event_t event, Json&) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start || event == Event::array_start) {
      if (enclosing + 1 > limits.max_depth) {
        throw JsonLimitExceeded{make_error("uprank.fetch.malformed_json", where + ": JSON nested deeper than " +
                                                                              std::to_string(limits.max_depth) + " levels")};
      }
    } else if (event != Event::value) {
      return true;
    }
    if (++values > limits.max_values) {
      throw JsonLimitExceeded{make_error("uprank.fetch.too_large", where + ": more than " + std::to_string(limits.max_values) +
                                                                       " JSON values, the limit for one document")};
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), bound);
  } catch (const JsonLimitExceeded& exceeded) {
    return exceeded.error;
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
