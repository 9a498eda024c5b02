#include "cli/analysis.h"

#include <cstdio>

#include "cli/config.h"
#include "cli/pipeline.h"
#include "cli/rule_packs.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "engine/files/files.h"
#include "engine/report/report.h"

namespace uprank::cli {
namespace {

std::vector<report::DataSource> data_sources(const facts::FactSet& facts, const std::string& snapshot) {
  std::vector<report::DataSource> sources;
  for (const auto& provenance : facts.provenance) {
    std::string description = provenance.origin == "snapshot" && !snapshot.empty() ? "snapshot " + snapshot : provenance.origin;
    if (!facts.content_hash.empty()) description += " (" + facts.content_hash.substr(0, 19) + "…)";
    if (provenance.stale) description += ", STALE";
    sources.push_back(report::DataSource{provenance.source, description, provenance.newest_fetched_at});
  }
  return sources;
}

// The window a supported target's line must stay supported past: the rule packs'
// `warn_window` param (uprank.eol's, overridable), else 120 days.
int32_t warn_window_days(const compiler::Program& program) {
  for (const compiler::ParamValue& param : program.params()) {
    bool named = param.qualified_name == "warn_window" ||
                 (param.qualified_name.size() > 12 &&
                  param.qualified_name.compare(param.qualified_name.size() - 12, 12, ".warn_window") == 0);
    if (named && param.value.kind == compiler::Kind::kDuration) return param.value.days;
  }
  return 120;
}

}  // namespace

void add_analysis_options(CLI::App& app, AnalysisOptions& options) {
  app.add_option("-r,--rules", options.rule_paths,
                 "Rule files or directories to load after the shipped packs and uprank.yaml's `rules:`");
  app.add_flag("--no-default-rules", options.no_default_rules,
               "Do not load the shipped rule packs (as `default_rules: false` in uprank.yaml)");
  app.add_option("-f,--format", options.format, "Output format: table, json, md, sarif or codequality")->capture_default_str();
  app.add_option("-o,--output", options.output, "Write the report to this file instead of stdout")->check(kNonEmpty);
  app.add_option("--today", options.today, "Evaluate as of this date (YYYY-MM-DD) instead of today, for reproducible reports");
  app.add_option("--snapshot", options.snapshot, "Read facts from this snapshot file instead of the store");
  app.add_flag("--offline", options.offline, "Use stored facts only (never fetches; accepted for symmetry)");
  app.add_flag("--strict", options.strict, "Treat any inventory error or unknown uprank.yaml key as fatal (exit 2)");
  app.add_option("-p,--param", options.params, "Override a rule-pack param: NAME=VALUE (repeatable)");
  app.add_flag("--allow-empty", options.allow_empty,
               "Accept reading no component at all (otherwise an error for check and for report --fail-on)");
  app.add_option("--fail-on", options.fail_on, "Exit 1 when a component ranks at or above this urgency")->check(kNonEmpty);
  app.add_option("--threads", options.threads, "Evaluation threads (default: one per core)");
  add_gate_options(app, options.gate);
}

int run_analysis(const AnalysisOptions& options, const AnalysisInputs& inputs, const GlobalOptions& global) {
  auto format = report::parse_format(options.format);
  if (!format.ok()) {
    std::fprintf(stderr, "error: %s\n", format.error().message.c_str());
    return kExitBadInput;
  }
  std::optional<compiler::Level> fail_on;
  if (!options.fail_on.empty()) {
    compiler::Level level;
    if (!compiler::parse_level(options.fail_on, level)) {
      std::fprintf(stderr, "error: --fail-on takes critical, high, medium, low or info, not '%s'\n", options.fail_on.c_str());
      return kExitBadInput;
    }
    fail_on = level;
  }
  auto today = parse_today(options.today);
  auto params = parse_param_arguments(options.params);
  auto config = load_config(global, options.strict, inputs.config_file);
  if (!today || !params || !config) return kExitBadInput;
  // --param wins over uprank.yaml's params; --rules adds to its rules and the shipped packs.
  std::map<std::string, std::string> overrides = config->params;
  for (const auto& [name, value] : *params) overrides[name] = value;
  auto roots = rule_roots(*config, options.rule_paths, options.no_default_rules);
  if (!roots) return kExitBadInput;
  auto rules = compile_rules(*roots, overrides);
  if (!rules) return kExitBadInput;
  auto reading = inventory_reading(*config);
  bool verbose = global.log_level == "info" || global.log_level == "debug" || global.log_level == "trace";
  auto inventory = inputs.read_inventory(reading->options, verbose);
  if (!inventory) return kExitBadInput;
  if (!options.snapshot.empty() && !global.store_path.empty()) {
    // Both named: the snapshot is the whole of the facts; say so rather than drop the
    // store's advisories in silence.
    std::fprintf(stderr, "warning: --snapshot %s is used instead of --store %s: the store's data is not read\n",
                 options.snapshot.c_str(), global.store_path.c_str());
  }
  auto facts = load_facts(options.snapshot, global.store_path);
  if (!facts) return exit_code_for(facts.error());

  evaluator::EvaluationOptions evaluation;
  evaluation.threads = options.threads;
  evaluation.products = &reading->products;
  const compiler::Program& program = *rules->compiled.program;
  auto evaluated = evaluator::evaluate_rules(program, *inventory, *facts, *today, evaluation);
  std::shared_ptr<const evaluator::AdvisoryIndex> advisories = evaluated.advisory_index;
  if (!advisories) {
    advisories = std::make_shared<const evaluator::AdvisoryIndex>(*facts, program.declared_advisories(), &reading->products);
  }
  report::Report ranked = report::rank_components(*inventory, std::move(evaluated), *today);
  report::attach_targets(ranked, targets::Inputs{&*inventory, &*facts, advisories.get(), &program.constraints()},
                         targets::Options{*today, warn_window_days(program), options.threads});
  for (const std::string& warning : report::suppression_warnings(ranked)) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  ranked.data_sources = data_sources(*facts, options.snapshot);
  if (auto exit = apply_gate(ranked, options.gate, inputs.repository_root)) return *exit;
  report::WriteOptions writing;
  writing.tool_version = UPRANK_VERSION;
  writing.category = inputs.category;
  writing.show_locations = inputs.show_locations;
  std::string text = report::write_report(ranked, format.value(), writing);
  if (Status written = files::write_file_atomically(options.output.empty() ? "-" : options.output, text); !written) {
    std::fprintf(stderr, "error: cannot write the report: %s\n", written.error().to_string().c_str());
    return kExitBadInput;
  }
  if (fail_on && report::fails_gate(ranked, *fail_on)) return kExitFindings;
  return kExitClean;
}

}  // namespace uprank::cli
