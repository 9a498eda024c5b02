// Bounded YAML for untrusted feed files (OSV records in YAML): converted to nlohmann JSON so
// that one validator serves both formats; yaml-cpp exceptions never leave this library.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/base/result.h"
#include "fetchers/json_input.h"

namespace uprank::fetch {

// Parses `text` as one YAML document into JSON. Plain scalars `null`, `~` and empty become
// null, `true`/`false` booleans; every other scalar (numbers included) stays a string, so
// versions such as `2.0` keep their text. Bounded by `limits` (bytes, nesting depth) and by
// a node budget that counts alias expansions. Errors (code "uprank.fetch.malformed_yaml",
// "uprank.fetch.too_large") name `where`, the line and column or the JSON path.
Result<nlohmann::json> parse_yaml_as_json(std::string_view text, const std::string& where,
                                          const JsonLimits& limits = {}, size_t max_nodes = 1'000'000);

}  // namespace uprank::fetch
