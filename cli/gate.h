// The change-aware gate shared by `report` and `check`: --baseline, --write-baseline and
// --changed-since, on top of the engine's baseline library (engine/baseline).
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "engine/baseline/baseline.h"
#include "engine/report/report.h"

namespace uprank::cli {

struct GateOptions {
  std::string baseline;        // --baseline FILE: an earlier JSON report or SARIF log
  std::string write_baseline;  // --write-baseline FILE: the current findings as a baseline
  std::string changed_since;   // --changed-since REF: gate only on pins changed since REF
};

// Adds --baseline, --write-baseline and --changed-since to `app`.
void add_gate_options(CLI::App& app, GateOptions& options);

// Reads --baseline, before anything else needs facts: a baseline that is missing, a
// directory or unreadable is bad input (exit 2) whether or not a store exists. Prints the
// error and returns false; `baseline` stays empty without --baseline.
bool read_gate_baseline(const GateOptions& options, std::optional<baseline::Baseline>& baseline);

// Fingerprints the report's findings (paths relative to `repository_root`, the root
// report::set_repository_paths() gave the inventory before evaluation), compares them with the baseline, marks context
// findings under --changed-since (running `git diff` in `repository_root`) and writes
// --write-baseline. Prints what went wrong and returns its exit code (2: a baseline that
// cannot be read, a ref git does not know, a file that cannot be written); nullopt when
// the command can go on. `baseline` is what read_gate_baseline() read; `scope` the
// repository-relative folder or file checked ("" for all), outside which nothing is fixed;
// `threads` the --threads count (0: one per core) for fingerprinting.
std::optional<int> apply_gate(report::Report& report, const GateOptions& options,
                              const std::optional<baseline::Baseline>& baseline, const std::string& repository_root,
                              const std::string& scope, int threads);

}  // namespace uprank::cli
