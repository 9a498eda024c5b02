// Where the shipped rule packs and bundled data are, and which rule packs a run loads:
// the shipped packs (unless turned off), then uprank.yaml's site packs, then --rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "grammar/parser.h"

namespace uprank::cli {

// The name outputs give the shipped packs' folder: `uprank/eol/eol.upr:14`.
inline constexpr const char* kShippedPacksName = "uprank";

// Returns the folder of the shipped rule packs: $UPRANK_RULES when set, else
// `share/uprank/rules` beside the folder this binary is in (`<prefix>/bin/uprank` finds
// `<prefix>/share/uprank/rules`; the build tree stages the same layout). The folder may
// not exist; callers say so.
std::string shipped_rules_dir();

// Returns the bundled data snapshot the same way: `<prefix>/share/uprank/data/snapshot.json`.
std::string bundled_snapshot_path();

// Returns the rule roots a run loads, in order: the shipped packs (named `uprank/`) unless
// `no_default_rules` or uprank.yaml's `default_rules: false`; uprank.yaml's `rules:`
// (named relative to its folder); then `rule_args` (--rules, named as given). Prints an
// error and returns nullopt when the shipped packs are wanted but missing, or when
// nothing is left to load.
std::optional<std::vector<grammar::RuleRoot>> rule_roots(const Config& config, const std::vector<std::string>& rule_args,
                                                          bool no_default_rules);

}  // namespace uprank::cli
