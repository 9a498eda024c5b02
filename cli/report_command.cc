#include "cli/command.h"

namespace uprank::cli {
Runner add_report_command(CLI::App&, const GlobalOptions&) { return [] { return 0; }; }
}  // namespace uprank::cli
