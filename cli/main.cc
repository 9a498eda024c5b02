// uprank's entry point: parses the command line, runs one subcommand, maps every failure
// to an exit code. Nothing below may throw past here; this is the last line of defence.
#include <cstdio>
#include <exception>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command.h"

namespace uprank::cli {
namespace {

const Command kCommands[] = {
    {"report", "Rank what to upgrade first, with evidence", add_report_command},
    {"rules", "Check, test, format and list rule packs", add_rules_command},
    {"inventory", "Show the components read from inventory paths, with provenance", add_inventory_command},
    {"fetch", "Fetch vendor facts into the store", add_fetch_command},
    {"snapshot", "Export or import the fact store for air-gapped machines", add_snapshot_command},
    {"version", "Compare, sort and test versions in an ecosystem's scheme", add_version_command},
};

int run(int argc, char** argv) {
  CLI::App app{"uprank: what must we upgrade first, to what, and why?", "uprank"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `uprank report --store X`
  app.set_version_flag("--version", "uprank 0.1.0");
  GlobalOptions global;
  app.add_option("--store", global.store_path, "SQLite fact store (default: $XDG_CACHE_HOME/uprank/store.db)")
      ->envname("UPRANK_STORE");
  app.add_option("--distro", global.distro,
                 "Distro release of dpkg/distro packages that do not state it (e.g. debian:12); "
                 "else os-release beside the status file, else inferred from versions");
  app.add_option("--config", global.config_path, "Configuration file (default: ./uprank.yaml when present)");
  app.add_option("--log-level", global.log_level, "Log level on stderr: trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  Runner chosen;
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    runners.emplace_back(sub, command.add(*sub, global));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitBadInput;
  }
  auto logger = spdlog::stderr_color_mt("uprank");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%l%$: %v");
  spdlog::set_level(spdlog::level::from_str(global.log_level));
  for (auto& [sub, runner] : runners) {
    if (sub->parsed()) return runner();
  }
  return kExitBadInput;
}

}  // namespace
}  // namespace uprank::cli

int main(int argc, char** argv) {
  try {
    return uprank::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "error: internal error\n");
  }
  return uprank::cli::kExitBadInput;
}
