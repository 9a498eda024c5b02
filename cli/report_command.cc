// `uprank report`: rules x inventory x facts -> a ranked list of what to upgrade first.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/analysis.h"
#include "cli/command.h"
#include "cli/pipeline.h"
#include "engine/report/fingerprint.h"
#include "engine/shard/shard.h"

namespace uprank::cli {

Runner add_report_command(CLI::App& app, const GlobalOptions& global) {
  struct ReportOptions {
    std::vector<std::string> inventory_paths;
    AnalysisOptions analysis;
    bool no_history = false;
    bool skip_unknown = false;  // --skip-unknown
    std::vector<int32_t> horizons{30, 90, 180};
    std::string shard;  // --shard I/N
  };
  auto options = std::make_shared<ReportOptions>();
  app.add_option("-i,--inventory", options->inventory_paths,
                 "Inventory files or directories (native YAML/JSON, CycloneDX, SPDX, dpkg status, infrastructure repos)")
      ->required();
  add_analysis_options(app, options->analysis);
  app.add_flag("--skip-unknown", options->skip_unknown,
               "An inventory file whose kind uprank cannot tell is a skipped-file note, not an error (the pre-commit "
               "hook: pre-commit passes every file its pattern matches)");
  app.add_flag("--no-history", options->no_history,
               "Neither record this run in the store's report history nor compare with the previous run");
  app.add_option("--horizon", options->horizons,
                 "Days ahead to re-evaluate the fleet at for the Coming due section (default 30,90,180; 0 for none)")
      ->delimiter(',')
      ->check(CLI::Range(0, 3650));
  app.add_option("--shard", options->shard,
                 "I/N: evaluate shard I (from 0) of N of the components, by identity, and write its shard file for "
                 "`uprank merge` instead of a report (docs/scale.md)")
      ->check(kNonEmpty);
  return [options, &global] {
    AnalysisInputs inputs;
    if (!options->shard.empty()) {
      auto spec = shard::parse_spec(options->shard);
      if (!spec) {
        std::fprintf(stderr, "error: %s\n", spec.error().message.c_str());
        return static_cast<int>(kExitBadInput);
      }
      inputs.shard = *spec;
    }
    inputs.markdown_summary = true;
    // Paths in rules (`c.file`), fingerprints and links are relative to the repository
    // that holds the first inventory (its git top level, else its folder).
    inputs.repository_root = report::find_repository_root(options->inventory_paths.front());
    inputs.read_inventory = [&](const inventory::ReadOptions& reading, bool verbose) {
      inventory::ReadOptions read_options = reading;
      read_options.unknown_format_skipped = options->skip_unknown;
      auto inventory = read_inventories(options->inventory_paths, options->analysis.strict, read_options, verbose);
      if (inventory) report::set_repository_paths(*inventory, inputs.repository_root);
      // --fail-on gates on findings; over no component at all it would pass without looking.
      if (inventory && inventory->components.empty() && !options->analysis.fail_on.empty() &&
          !options->analysis.allow_empty) {
        std::fputs("error: no component was read, so --fail-on has nothing to judge (--allow-empty accepts this)\n", stderr);
        inventory.reset();
      }
      return inventory;
    };
    for (int32_t days : options->horizons) {
      if (days > 0) inputs.horizons.push_back(days);
    }
    std::sort(inputs.horizons.begin(), inputs.horizons.end());
    inputs.horizons.erase(std::unique(inputs.horizons.begin(), inputs.horizons.end()), inputs.horizons.end());
    inputs.fleet_view = true;
    inputs.history = HistorySettings{!options->no_history, inputs_hash(options->inventory_paths), "", ""};
    return run_analysis(options->analysis, inputs, global);
  };
}

}  // namespace uprank::cli
