// The pipeline `uprank report` and `uprank check` share: configuration, rules, inventory,
// facts, evaluation, ranking, targets, one report written, and the exit code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/gate.h"
#include "cli/report_history.h"
#include "engine/compiler/program.h"
#include "engine/inventory/component.h"
#include "engine/inventory/readers.h"

namespace uprank::cli {

// The options both commands accept, registered once by add_analysis_options.
struct AnalysisOptions {
  std::vector<std::string> rule_paths;  // --rules: loaded after the shipped packs and uprank.yaml's `rules:`
  bool no_default_rules = false;        // --no-default-rules: leave the shipped packs out
  std::string format = "table";         // --format: table, json, md, sarif or codequality
  std::string output;                   // -o; "" or "-" for stdout
  std::string link_base;                // --link-base URL: md links to file#Lline under it
  std::string color = "auto";           // --color auto|always|never: the table's colour
  std::string today;                    // --today YYYY-MM-DD; "" for today (UTC)
  std::string snapshot;                 // --snapshot FILE instead of the store
  bool offline = false;
  bool strict = false;                  // inventory errors and unknown config keys are fatal
  bool allow_empty = false;             // --allow-empty: reading no component is not an error
  std::vector<std::string> params;      // --param NAME=VALUE
  std::vector<std::string> vex_files;   // --vex FILE: VEX documents, added to uprank.yaml's `vex:`
  std::string fail_on;                  // --fail-on LEVEL; "" never fails on findings
  int threads = 0;                      // 0: one per core
  GateOptions gate;                     // --baseline, --write-baseline, --changed-since
  std::string min_urgency;              // --min-urgency LEVEL; "" lists every urgency
  std::string only;                     // --only advisory=ID: the components that advisory affects; "" all
};

// Registers AnalysisOptions' flags on `app`, with the same names and help in every command.
void add_analysis_options(CLI::App& app, AnalysisOptions& options);

// What differs between the commands.
struct AnalysisInputs {
  // Reads the inventory under the configuration's reading options; prints its own
  // diagnostics (notes only when `verbose`). nullopt stops the run with exit 2.
  std::function<std::optional<inventory::Inventory>(const inventory::ReadOptions& options, bool verbose)> read_inventory;
  std::string config_file = "uprank.yaml";  // read when --config is not given and it exists
  std::string config_shown_as;              // how messages name config_file ("": as is)
  std::string category = "uprank/report";   // SARIF automationDetails.id
  bool show_locations = false;              // the table always has a LOCATION column
  bool markdown_summary = false;            // md opens with the nightly summary and ranking
  // The repository root (absolute) that fingerprints, Markdown links and --changed-since
  // read paths from; read_inventory has set every component's repository_path from it.
  std::string repository_root;
  // The repository-relative folder or file checked ("" for the whole repository):
  // baseline findings outside it are not reported fixed.
  std::string scope;
  // `report`: history and change since the previous run (report_history.h); `check`: none.
  std::optional<HistorySettings> history;
  // `report --horizon`: days ahead to re-evaluate the fleet at for Coming due; empty: none.
  std::vector<int32_t> horizons;
  bool fleet_view = false;  // `report`: info rows collapsed, unowned components named (report.h)
  // `report --shard I/N` (0-based index, count): evaluate shard I's components only, today
  // and at every horizon, and write the shard file (engine/shard) instead of a report.
  std::optional<std::pair<size_t, size_t>> shard;
};

// Returns the window a supported target's line must stay supported past: the rule packs'
// `warn_window` param (uprank.eol's, overridable), else 120 days.
int32_t warn_window_days(const compiler::Program& program);

// Runs the pipeline, writes the report to stdout or -o, and returns the exit code
// (DESIGN.md): 0 clean, 1 a component at or above --fail-on, 2 bad usage or input,
// 3 no facts stored yet.
int run_analysis(const AnalysisOptions& options, const AnalysisInputs& inputs, const GlobalOptions& global);

}  // namespace uprank::cli
