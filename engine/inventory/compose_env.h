// Compose variable interpolation and the project's `.env` file, for the compose reader.
// Private to engine/inventory.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace uprank::inventory::internal {

// One variable a `.env` file sets: its value and the 1-based line that sets it.
struct DotenvVariable {
  std::string value;
  int line = 0;
};
using Dotenv = std::map<std::string, DotenvVariable, std::less<>>;

// Parses a Compose `.env` file (docs.docker.com/compose/how-tos/environment-variables/
// variable-interpolation, ".env file syntax"): `VAR=VAL` per line, an optional `export `
// before the name, `#` lines and blank lines ignored; single-quoted values literal;
// double-quoted values with \n \r \t \\ \" escapes; an unquoted value ends at ` #` (an
// inline comment) and is trimmed. A later line setting the same name wins. Lines that are
// no assignment are ignored (Compose refuses the file; uprank reads what it can).
Dotenv parse_dotenv(std::string_view text);

// Expands Compose interpolation in `text` (Compose specification, "Interpolation"): `$$`
// is a literal `$`; `${VAR}` and `$VAR` are the variable's value; `${VAR:-default}` (unset
// or empty) and `${VAR-default}` (unset) fall back to the default, itself interpolated;
// `${VAR:+other}` and `${VAR+other}` give `other` when it is set (and non-empty);
// `${VAR:?error}` / `${VAR?error}` demand it. Variables come from `env` only: a check must
// give the same answer on every machine, and a CI runner's environment is not the
// deployment's. Sets `unresolved` when a variable that has no fallback is unset, or the
// text is malformed (an unclosed `${`). Appends to `used` the names whose values `env`
// supplied, in order, without repeats.
std::string compose_interpolate(std::string_view text, const Dotenv& env, bool& unresolved,
                                std::vector<std::string>* used = nullptr);

}  // namespace uprank::inventory::internal
