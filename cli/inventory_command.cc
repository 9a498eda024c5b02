// Placeholder until its issue lands: registers the subcommand so the table is stable.
#include <cstdio>

#include "cli/command.h"

namespace uprank::cli {
Runner add_inventory_command(CLI::App&, const GlobalOptions&) {
  return [] {
    std::fputs("error: 'inventory' is not available in this build yet\n", stderr);
    return kExitBadInput;
  };
}
}  // namespace uprank::cli
