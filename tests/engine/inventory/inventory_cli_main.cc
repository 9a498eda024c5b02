// A uprank binary with only the inventory subcommand, so the CLI tests of this module
// do not depend on every other subcommand building.
#include <cstdio>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"uprank (inventory only)", "uprank"};
  app.require_subcommand(1);
  uprank::cli::GlobalOptions global;
  app.add_option("--config", global.config_path, "Configuration file");
  app.add_option("--log-level", global.log_level, "Log level");
  CLI::App* sub = app.add_subcommand("inventory", "Show the components read from inventory paths");
  uprank::cli::Runner runner = uprank::cli::add_inventory_command(*sub, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? uprank::cli::kExitClean : uprank::cli::kExitBadInput;
  }
  return runner();
}
