// The CLI is a table of subcommands; each one registers its options and a runner.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace uprank::shard {
struct Shard;  // engine/shard/shard.h
}  // namespace uprank::shard

namespace uprank::cli {

// Rejects an empty value: `--fail-on ""` from an unset CI variable must not read as
// "never fail", nor `--baseline ""` as "no baseline" (exit 2 names the option).
inline const CLI::Validator kNonEmpty{
    [](std::string& value) { return value.empty() ? std::string("an empty value names nothing") : std::string(); }, "",
    "NON-EMPTY"};

// Exit codes, as DESIGN.md fixes them.
enum ExitCode : int {
  kExitClean = 0,
  kExitFindings = 1,        // findings at or above --fail-on
  kExitBadInput = 2,        // bad usage or bad input
  kExitDataUnavailable = 3  // fetch failed and no cached data
};

// Options every subcommand accepts.
struct GlobalOptions {
  std::string store_path;   // --store: the SQLite fact store
  std::string config_path;  // --config: uprank.yaml
  std::string log_level = "warn";
  std::string distro;       // --distro: release of distro packages that do not state it
  int max_sbom_mib = 0;     // --max-sbom-mib: the SBOM size bound in MiB; 0: uprank.yaml's, else the default
  std::vector<std::string> arguments;  // the command line after the program name (a shard records it)
  // `uprank merge` replaying a sharded report: its evaluations come from these shards
  // (merge_command.cc); null otherwise.
  const std::vector<shard::Shard>* merge = nullptr;
};

// Parses and runs `arguments` (the command line after the program name) as main() does,
// with `merge` set in its GlobalOptions; returns the exit code. `uprank merge` replays
// the shards' report command line through it.
int run_command_line(const std::vector<std::string>& arguments, const std::vector<shard::Shard>* merge);

using Runner = std::function<int()>;

struct Command {
  const char* name;
  const char* summary;
  // Adds the subcommand's options to `app` and returns the function that runs it.
  Runner (*add)(CLI::App& app, const GlobalOptions& global);
};

// Each subcommand lives in its own file and is listed in main.cc's table.
Runner add_report_command(CLI::App& app, const GlobalOptions& global);      // report_command.cc
Runner add_advisory_command(CLI::App& app, const GlobalOptions& global);    // advisory_command.cc
Runner add_check_command(CLI::App& app, const GlobalOptions& global);       // check_command.cc
Runner add_explain_command(CLI::App& app, const GlobalOptions& global);     // explain_command.cc
Runner add_rules_command(CLI::App& app, const GlobalOptions& global);       // rules_command.cc
Runner add_version_command(CLI::App& app, const GlobalOptions& global);     // version_command.cc
Runner add_inventory_command(CLI::App& app, const GlobalOptions& global);   // inventory_command.cc
Runner add_fetch_command(CLI::App& app, const GlobalOptions& global);       // fetch_command.cc
Runner add_snapshot_command(CLI::App& app, const GlobalOptions& global);    // snapshot_command.cc
Runner add_history_command(CLI::App& app, const GlobalOptions& global);     // history_command.cc
Runner add_merge_command(CLI::App& app, const GlobalOptions& global);       // merge_command.cc

}  // namespace uprank::cli
