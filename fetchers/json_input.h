// Bounded JSON parsing for untrusted bodies: size and nesting depth are checked before
// nlohmann sees the text, and its exceptions never leave this library.
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
};

// Parses `text` as one JSON document. Errors (code "uprank.fetch.malformed_json" or
// "uprank.fetch.too_large") name `where` (a file, URL or "source/key").
Result<nlohmann::json> parse_json(std::string_view text, const std::string& where, const JsonLimits& limits = {});

// Parses `text` like parse_json but keeps object members in document order, for sources
// whose member order carries meaning (release-data lists versions newest first).
Result<nlohmann::ordered_json> parse_ordered_json(std::string_view text, const std::string& where,
                                                  const JsonLimits& limits = {});

// Returns the nesting depth of `text`, counting brackets outside strings; stops counting
// once `stop_at` is exceeded so a hostile body costs one linear scan.
int json_nesting_depth(std::string_view text, int stop_at);

// Typed accessors that never throw: a missing key or a value of another type gives the
// fallback. JSON null counts as missing.
std::string json_string(const nlohmann::json& object, const char* key, std::string fallback = {});
bool json_bool(const nlohmann::json& object, const char* key, bool fallback = false);
// The strings of an array member, skipping other values; empty when there is no array.
std::vector<std::string> json_strings(const nlohmann::json& object, const char* key);
const nlohmann::json* json_member(const nlohmann::json& object, const char* key);

}  // namespace uprank::fetch
