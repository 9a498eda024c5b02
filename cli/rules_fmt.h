// `uprank rules fmt`: canonical formatting of rule files (implemented in rules_fmt.cc).
#pragma once

#include <string>
#include <vector>

namespace uprank::cli {

// Formats every .upr file under `paths` in place, or with `check` only reports the files
// that are not formatted. Returns an exit code (0 clean, 1 unformatted with --check,
// 2 bad input).
int run_rules_fmt(const std::vector<std::string>& paths, bool check);

}  // namespace uprank::cli
