// A test binary that exposes only `version` with the same registration as cli/main.cc,
// so the CLI contract is tested without building the whole uprank binary.
#include <cstdio>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"uprank (version subcommand only)", "uprank"};
  app.require_subcommand(1);
  uprank::cli::GlobalOptions global;
  CLI::App* sub = app.add_subcommand("version", "Compare, sort and test versions in an ecosystem's scheme");
  uprank::cli::Runner runner = uprank::cli::add_version_command(*sub, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? uprank::cli::kExitClean : uprank::cli::kExitBadInput;
  }
  return runner();
}
