// `uprank explain COMPONENT`: the same evaluation `report` runs, traced for one component,
// and everything behind its rank (engine/explain).
#include <cstdio>
#include <map>
#include <memory>

#include "cli/analysis.h"
#include "cli/command.h"
#include "cli/config.h"
#include "cli/pipeline.h"
#include "cli/rule_packs.h"
#include "cli/vex_files.h"
#include "engine/base/terminal_text.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "engine/explain/explain.h"
#include "engine/report/fingerprint.h"
#include "engine/report/report.h"

namespace uprank::cli {
namespace {

struct ExplainOptions {
  std::string component;
  std::vector<std::string> inventory_paths;
  std::vector<std::string> rule_paths;
  bool no_default_rules = false;
  std::string format = "table";
  std::string today;
  std::string snapshot;
  bool offline = false;
  bool strict = false;
  std::vector<std::string> params;
  std::vector<std::string> vex_files;
  int threads = 0;
};

// Prints why COMPONENT names no single component: the candidates, or the closest name.
int report_lookup_failure(const ExplainOptions& options, const inventory::Inventory& inventory, const explain::Lookup& lookup) {
  std::string shown = escape_for_terminal(options.component);
  if (lookup.matches.empty()) {
    std::fprintf(stderr, "error: no component named '%s' was read", shown.c_str());
    if (!lookup.suggestion.empty()) std::fprintf(stderr, " (did you mean '%s'?)", escape_for_terminal(lookup.suggestion).c_str());
    std::fputs("\n", stderr);
    return kExitBadInput;
  }
  std::fprintf(stderr, "error: '%s' names %zu components; give one of their names:\n", shown.c_str(), lookup.matches.size());
  for (size_t index : lookup.matches) {
    const inventory::Component& component = inventory.components[index];
    std::fprintf(stderr, "  %s %s (%s) %s\n", escape_for_terminal(component.name).c_str(),
                 escape_for_terminal(component.version_text).c_str(),
                 escape_for_terminal(report::fingerprint_identity(component)).c_str(),
                 escape_for_terminal(component.location.to_string()).c_str());
  }
  return kExitBadInput;
}

int run_explain(const ExplainOptions& options, const GlobalOptions& global) {
  auto today = parse_today(options.today);
  auto params = parse_param_arguments(options.params);
  auto config = load_config(global, options.strict);
  if (!today || !params || !config) return kExitBadInput;
  std::map<std::string, std::string> overrides = config->params;
  for (const auto& [name, value] : *params) overrides[name] = value;
  auto roots = rule_roots(*config, options.rule_paths, options.no_default_rules);
  if (!roots) return kExitBadInput;
  auto rules = compile_rules(*roots, overrides);
  if (!rules) return kExitBadInput;
  auto reading = inventory_reading(*config);
  bool verbose = global.log_level == "info" || global.log_level == "debug" || global.log_level == "trace";
  std::string repository_root = report::find_repository_root(options.inventory_paths.front());
  auto inventory = read_inventories(options.inventory_paths, options.strict, reading->options, verbose);
  if (!inventory) return kExitBadInput;
  report::set_repository_paths(*inventory, repository_root);
  explain::Lookup lookup = explain::find_component(*inventory, options.component);
  if (lookup.matches.size() != 1) return report_lookup_failure(options, *inventory, lookup);
  const size_t component = lookup.matches.front();

  auto facts = load_facts(options.snapshot, global.store_path, *today, *config);
  if (!facts) return exit_code_for(facts.error());
  std::vector<std::string> vex_files = config->vex_files;
  vex_files.insert(vex_files.end(), options.vex_files.begin(), options.vex_files.end());
  auto statements = load_vex_statements(vex_files, *inventory, repository_root, verbose);
  if (!statements) return kExitBadInput;

  // The fleet is evaluated whole, as `report` does: joins, suppressions and the rank
  // policy see every component; only the trace is about the one.
  evaluator::EvaluationOptions evaluation;
  evaluation.threads = options.threads;
  evaluation.products = &reading->products;
  evaluation.vex = statements->get();
  evaluation.trace_component = component;
  const compiler::Program& program = *rules->compiled.program;
  auto evaluated = evaluator::evaluate_rules(program, *inventory, *facts, *today, evaluation);
  warn_stopped_rules(evaluated);
  std::shared_ptr<const evaluator::AdvisoryIndex> advisories = evaluated.advisory_index;
  if (!advisories) {
    advisories = std::make_shared<const evaluator::AdvisoryIndex>(*facts, program.declared_advisories(), &reading->products, *today);
  }
  evaluator::Trace trace = std::move(*evaluated.trace);
  report::Report ranked = report::rank_components(*inventory, std::move(evaluated), *today);
  ranked.vex_statements = *statements;
  const targets::Options solving{*today, warn_window_days(program), options.threads};
  std::vector<targets::ComponentTargets> solved =
      targets::solve(targets::Inputs{&*inventory, &*facts, advisories.get(), &program.constraints(), &reading->products}, {component}, solving);

  std::map<std::string, std::string> sources;
  for (const grammar::SourceFile& file : rules->loaded.sources) sources[file.path] = file.text;
  explain::Inputs inputs;
  inputs.report = &ranked;
  inputs.program = &program;
  inputs.facts = &*facts;
  inputs.advisories = advisories.get();
  inputs.trace = &trace;
  inputs.rule_sources = &sources;
  inputs.targets = &solved.front();
  inputs.window_days = solving.window_days;
  explain::Explanation explanation = explain::build(inputs);
  std::string text = options.format == "json" ? explain::write_json(explanation) : explain::write_table(explanation);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitClean;
}

}  // namespace

Runner add_explain_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ExplainOptions>();
  app.add_option("component", options->component,
                 "The component: its name, an identity key (image:nginx, purl:npm//lodash) or its purl")
      ->required()
      ->check(kNonEmpty);
  app.add_option("-i,--inventory", options->inventory_paths,
                 "Inventory files or directories, as `report` reads them")
      ->required();
  app.add_option("-r,--rules", options->rule_paths,
                 "Rule files or directories to load after the shipped packs and uprank.yaml's `rules:`");
  app.add_flag("--no-default-rules", options->no_default_rules, "Do not load the shipped rule packs");
  app.add_option("-f,--format", options->format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--today", options->today, "Evaluate as of this date (YYYY-MM-DD) instead of today");
  app.add_option("--snapshot", options->snapshot, "Read facts from this snapshot file instead of the store");
  app.add_flag("--offline", options->offline, "Use stored facts only (never fetches; accepted for symmetry)");
  app.add_flag("--strict", options->strict, "Treat any inventory error or unknown uprank.yaml key as fatal (exit 2)");
  app.add_option("-p,--param", options->params, "Override a rule-pack param: NAME=VALUE (repeatable)");
  app.add_option("--vex", options->vex_files, "VEX document whose statements apply (repeatable; docs/vex.md)")->check(kNonEmpty);
  app.add_option("--threads", options->threads, "Evaluation threads (default: one per core)");
  return [options, &global] { return run_explain(*options, global); };
}

}  // namespace uprank::cli
