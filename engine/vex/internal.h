// Private helpers of the VEX readers: bounded JSON parsing and JSON paths.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/base/result.h"
#include "engine/vex/vex.h"

namespace uprank::vex::internal {

// Parses `text` within `limits` (size, nesting depth); errors name `path`.
Result<nlohmann::json> parse_bounded(std::string_view text, const std::string& path, const Limits& limits);

// Returns the string member `key` of `object`, or "" when absent or not a string.
std::string string_at(const nlohmann::json& object, const char* key);

// Returns an error "FILE: JSON_PATH: message" with `code`.
Error error_at(std::string code, const std::string& file, const std::string& json_path, const std::string& message);

}  // namespace uprank::vex::internal
