// Bounded JSON parsing for untrusted bodies: the size is checked before nlohmann sees the
// text, nesting depth and the number of values while it parses, and its exceptions never
// leave this library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/base/result.h"

namespace uprank::fetch {

struct JsonLimits {
  size_t max_bytes = size_t{256} << 20;  // 256 MiB
  int max_depth = 64;                    // arrays and objects nested inside each other
  // Values of every kind (objects, arrays, strings, numbers...), object keys not counted.
  // A parsed value costs 16-100 bytes against 2-3 in the text: this bounds the tree.
  size_t max_values = size_t{16} << 20;
};

// Parses `text` as one JSON document, in one pass. Errors name `where` (a file, URL or
// "source/key"): "uprank.fetch.malformed_json" for bad syntax or nesting deeper than
// limits.max_depth, "uprank.fetch.too_large" past limits.max_bytes or limits.max_values.
Result<nlohmann::json> parse_json(std::string_view text, const std::string& where, const JsonLimits& limits = {});

// Parses `text` like parse_json but keeps object members in document order, for sources
// whose member order carries meaning (release-data lists versions newest first).
Result<nlohmann::ordered_json> parse_ordered_json(std::string_view text, const std::string& where,
                                                  const JsonLimits& limits = {});

// Typed accessors that never throw: a missing key or a value of another type gives the
// fallback. JSON null counts as missing.
std::string json_string(const nlohmann::json& object, const char* key, std::string fallback = {});
bool json_bool(const nlohmann::json& object, const char* key, bool fallback = false);
// The strings of an array member, skipping other values; empty when there is no array.
std::vector<std::string> json_strings(const nlohmann::json& object, const char* key);
const nlohmann::json* json_member(const nlohmann::json& object, const char* key);

}  // namespace uprank::fetch
