// `uprank report`: rules x inventory x facts -> a ranked list of what to upgrade first.
#include <memory>

#include "cli/analysis.h"
#include "cli/command.h"
#include "cli/pipeline.h"

namespace uprank::cli {

Runner add_report_command(CLI::App& app, const GlobalOptions& global) {
  struct ReportOptions {
    std::vector<std::string> inventory_paths;
    AnalysisOptions analysis;
  };
  auto options = std::make_shared<ReportOptions>();
  app.add_option("-i,--inventory", options->inventory_paths,
                 "Inventory files or directories (native YAML/JSON, CycloneDX, SPDX, dpkg status, infrastructure repos)")
      ->required();
  add_analysis_options(app, options->analysis);
  return [options, &global] {
    AnalysisInputs inputs;
    inputs.read_inventory = [&](const inventory::ReadOptions& reading, bool verbose) {
      return read_inventories(options->inventory_paths, options->analysis.strict, reading, verbose);
    };
    return run_analysis(options->analysis, inputs, global);
  };
}

}  // namespace uprank::cli
