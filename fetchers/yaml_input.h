// Bounded YAML for untrusted feed files (OSV records in YAML): converted to nlohmann JSON so
// that one validator serves both formats; yaml-cpp exceptions never leave this library.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/base/result.h"
#include "fetchers/json_input.h"

namespace uprank::fetch {

// Parses the first YAML document in `text` into JSON, in one pass over the parser's
// events. Plain scalars `null`, `~` and empty become null, `true`/`false` booleans; every
// other scalar (numbers included) stays a string, so versions such as `2.0` keep their
// text; map keys are scalars, kept as written. Bounds apply while parsing: limits.max_bytes
// before, then limits.max_depth and `max_nodes`, a budget counting every node parsed and
// every node an alias repeats. Errors name `where` with the line and column and, past a
// bound, the limit and the JSON path: "uprank.fetch.too_large" (bytes, nodes),
// "uprank.fetch.malformed_yaml" (syntax, depth, a key that is not a scalar).
Result<nlohmann::json> parse_yaml_as_json(std::string_view text, const std::string& where,
                                          const JsonLimits& limits = {}, size_t max_nodes = 1'000'000);

}  // namespace uprank::fetch
