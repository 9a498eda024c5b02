// uprank's entry point: parses the command line, runs one subcommand, maps every failure
// to an exit code. Nothing below may throw past here; this is the last line of defence.
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/about.h"
#include "cli/command.h"
#include "engine/base/diagnostic.h"
#include "engine/base/terminal_text.h"

namespace uprank::cli {
namespace {

const Command kCommands[] = {
    {"report", "Rank what to upgrade first, with evidence", add_report_command},
    {"advisory", "Which components an advisory affects, which it does not and why, which could not be compared",
     add_advisory_command},
    {"check", "Gate a repository's pins before merge: findings at file:line, exit 1 at --fail-on", add_check_command},
    {"explain", "Show every rule, fact, advisory, constraint and target choice behind one component's rank",
     add_explain_command},
    {"rules", "Check, test, format and list rule packs", add_rules_command},
    {"inventory", "Show the components read from inventory paths, with provenance", add_inventory_command},
    {"fetch", "Fetch vendor facts into the store", add_fetch_command},
    {"snapshot", "Export or import the fact store for air-gapped machines", add_snapshot_command},
    {"history", "Show the trend of open findings per day and the upgrades the report history recorded",
     add_history_command},
    {"merge", "Combine the shard files of `report --shard I/N` into the report the single run writes", add_merge_command},
    {"version", "Print uprank's version and data; compare, sort and test versions in an ecosystem's scheme",
     add_version_command},
};

// Returns the deepest subcommand the command line entered (the app itself when none).
CLI::App* innermost_parsed(CLI::App* app) {
  std::vector<CLI::App*> parsed = app->get_subcommands([](CLI::App* candidate) { return candidate->parsed(); });
  return parsed.empty() ? app : innermost_parsed(parsed.front());
}

// Returns every option name `command` accepts, its parents' included (they fall through).
std::vector<std::string> option_names(const CLI::App* command) {
  std::vector<std::string> names;
  for (; command != nullptr; command = command->get_parent()) {
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
      for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    }
  }
  return names;
}

// Returns how the user types `command`: "uprank snapshot import".
std::string command_path(const CLI::App* command) {
  std::string path = command->get_name();
  for (const CLI::App* parent = command->get_parent(); parent != nullptr; parent = parent->get_parent()) {
    std::string outer = parent->get_name();
    outer += ' ';
    outer += path;
    path = std::move(outer);
  }
  return path;
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string closest = closest_name(name, candidates);
  return closest.empty() ? "" : "; did you mean '" + closest + "'?";
}

// Explains a command line CLI11 could not parse by the first word it did not know: an
// unknown option or subcommand names itself, before any complaint about a missing option
// it may have been a misspelling of. Returns false when no word was unknown.
bool explain_unknown_word(CLI::App& app) {
  CLI::App* command = innermost_parsed(&app);
  std::vector<std::string> subcommand_names;
  for (const CLI::App* sub : command->get_subcommands({})) subcommand_names.push_back(sub->get_name());
  for (const std::string& word : app.remaining(true)) {
    if (word.size() > 1 && word[0] == '-' && word != "--") {
      std::string name = word.substr(0, word.find('='));
      std::fprintf(stderr, "error: unknown option '%s'%s\n", name.c_str(),
                   did_you_mean(name, option_names(command)).c_str());
      std::fprintf(stderr, "hint: '%s --help' lists the options\n", command_path(command).c_str());
      return true;
    }
    if (!subcommand_names.empty()) {
      std::fprintf(stderr, "error: unknown command '%s'%s\n", word.c_str(), did_you_mean(word, subcommand_names).c_str());
      std::fprintf(stderr, "hint: '%s --help' lists the commands\n", command_path(command).c_str());
      return true;
    }
  }
  return false;
}

int run(int argc, char** argv, const std::vector<shard::Shard>* merge = nullptr) {
  CLI::App app{"uprank: what must we upgrade first, to what, and why?", "uprank"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand: `uprank report --store X`
  app.set_version_flag("--version", version_text, "Print the version, the rule packs' folder and the bundled data's hash");
  GlobalOptions global;
  global.merge = merge;
  for (int i = 1; i < argc; ++i) global.arguments.emplace_back(argv[i]);
  app.add_option("--store", global.store_path, "SQLite fact store (default: $XDG_CACHE_HOME/uprank/store.db)")
      ->envname("UPRANK_STORE");
  app.add_option("--distro", global.distro,
                 "Distro release of dpkg/distro packages that do not state it (e.g. debian:12); "
                 "else os-release beside the status file, else inferred from versions");
  app.add_option("--config", global.config_path, "Configuration file (default: ./uprank.yaml when present)");
  app.add_option("--max-sbom-mib", global.max_sbom_mib,
                 "Largest CycloneDX or SPDX JSON file read, in MiB (default: uprank.yaml's max_sbom_mib, else 512)")
      ->check(CLI::Range(1, 16384));
  app.add_option("--log-level", global.log_level, "Log level on stderr: trace, debug, info, warn, error, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  Runner chosen;
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    runners.emplace_back(sub, command.add(*sub, global));
  }
  // The build writes the man page from the same tables --help reads (cli/CMakeLists.txt).
  if (argc == 2 && std::string(argv[1]) == "--help-man") {
    std::fputs(man_page(app).c_str(), stdout);
    return kExitClean;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kExitClean : kExitBadInput;  // --help, --version
    if (explain_unknown_word(app)) return kExitBadInput;
    // Every other complaint of CLI11 (a validator's "--horizon: Value -5 not in range",
    // a missing required option or value) reads as uprank's own errors do: "error: " and
    // the command's help hint, exit 2. CLI11's own printer says neither.
    std::fprintf(stderr, "error: %s\nhint: '%s --help' lists the options\n", escape_for_terminal(e.what()).c_str(),
                 command_path(innermost_parsed(&app)).c_str());
    return kExitBadInput;
  }
  auto logger = spdlog::get("uprank");  // set already when `merge` replays a report
  if (!logger) logger = spdlog::stderr_color_mt("uprank");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^%l%$: %v");
  spdlog::set_level(spdlog::level::from_str(global.log_level));
  for (auto& [sub, runner] : runners) {
    if (!sub->parsed()) continue;
    if (merge != nullptr && sub->get_name() != "report") {
      std::fprintf(stderr, "error: the shards' command line runs '%s', not report\n", sub->get_name().c_str());
      return kExitBadInput;
    }
    return runner();
  }
  return kExitBadInput;
}

}  // namespace

int run_command_line(const std::vector<std::string>& arguments, const std::vector<shard::Shard>* merge) {
  std::vector<std::string> words = {"uprank"};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  return run(static_cast<int>(argv.size()), argv.data(), merge);
}
}  // namespace uprank::cli

int main(int argc, char** argv) {
  // A closed pipe on standard output (`uprank check . --format json | true`) is a failed
  // write, reported below and exit 2 (docs/check.md), not a death by SIGPIPE (exit 141).
  std::signal(SIGPIPE, SIG_IGN);
  try {
    int exit = uprank::cli::run(argc, argv);
    // Whatever went to standard output must have arrived: a full disk, /dev/full or a
    // closed pipe is a failure, not a silently truncated report.
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      std::fprintf(stderr, "error: cannot write standard output\n");
      return exit <= 1 ? uprank::cli::kExitBadInput : exit;  // findings (1) or not, the report did not arrive
    }
    return exit;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "error: internal error\n");
  }
  return uprank::cli::kExitBadInput;
}
