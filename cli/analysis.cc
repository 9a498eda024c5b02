#include "cli/analysis.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>

#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "cli/config.h"
#include "cli/keep_until_exit.h"
#include "cli/pipeline.h"
#include "cli/rule_packs.h"
#include "cli/shard_run.h"
#include "cli/vex_files.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "engine/html/html.h"
#include "engine/base/terminal_text.h"
#include "engine/files/files.h"
#include "engine/report/report.h"
#include "engine/shard/shard.h"

namespace uprank::cli {
namespace {

// Logs at debug level how long each stage of a run took (`--log-level debug`), wall and
// CPU time of every thread, and the process's peak resident memory so far, so a slow or
// large run says where its time and memory went without a profiler.
class StageClock {
 public:
  // Logs the time since the previous lap (or since construction) under `stage`.
  void lap(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    std::clock_t cpu = std::clock();
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    spdlog::debug("{}: {:.3f} s wall, {:.3f} s CPU, peak {} MiB", stage, std::chrono::duration<double>(now - wall_).count(),
                  static_cast<double>(cpu - cpu_) / CLOCKS_PER_SEC, usage.ru_maxrss / 1024);
    wall_ = now;
    cpu_ = cpu;
  }

 private:
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  std::clock_t cpu_ = std::clock();
};

// Names the snapshot file without the machine's layout: relative to the repository root
// when it is inside, else by its file name (reports must not depend on where they ran).
std::string snapshot_name(const std::string& snapshot, const std::string& repository_root) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(snapshot, error), error);
  if (error) return std::filesystem::path(snapshot).filename().string();
  if (!repository_root.empty()) {
    std::filesystem::path inside = absolute.lexically_relative(repository_root);
    if (!inside.empty() && *inside.begin() != "..") return inside.generic_string();
  }
  return std::filesystem::path(snapshot).is_absolute() ? absolute.filename().string() : std::filesystem::path(snapshot).generic_string();
}

std::vector<report::DataSource> data_sources(const facts::FactSet& facts, const std::string& snapshot,
                                             const std::string& repository_root) {
  std::vector<report::DataSource> sources;
  for (const auto& provenance : facts.provenance) {
    std::string description = provenance.origin == "snapshot" && !snapshot.empty()
                                  ? "snapshot " + snapshot_name(snapshot, repository_root)
                                  : provenance.origin;
    if (!facts.content_hash.empty()) description += " (" + facts.content_hash.substr(0, 19) + "…)";
    if (provenance.stale) description += ", STALE";
    sources.push_back(report::DataSource{provenance.source, description, provenance.newest_fetched_at, provenance.stale});
  }
  return sources;
}


}  // namespace

int32_t warn_window_days(const compiler::Program& program) {
  for (const compiler::ParamValue& param : program.params()) {
    bool named = param.qualified_name == "warn_window" ||
                 (param.qualified_name.size() > 12 &&
                  param.qualified_name.compare(param.qualified_name.size() - 12, 12, ".warn_window") == 0);
    if (named && param.value.kind == compiler::Kind::kDuration) return param.value.days;
  }
  return 120;
}

namespace {

// Whether the table is coloured: `always`, or `auto` on a terminal when NO_COLOR is unset
// or empty (no-color.org) and TERM is not "dumb". Files never are, unless `always`.
bool use_color(const std::string& mode, bool to_stdout) {
  if (mode != "auto") return mode == "always";
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return to_stdout && isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
}

// One format of --format and the file it is written to under -o DIR.
struct Output {
  std::string name;                                  // "html", "json", ...
  std::optional<report::Format> format;              // none for html (engine/html)
  std::string file;                                  // "report.html"
};

// Parses "html,md,json": each name once, in the order given. Prints the error.
std::optional<std::vector<Output>> parse_outputs(const std::string& text) {
  static const std::map<std::string, std::string> kFiles = {
      {"table", "report.txt"}, {"json", "report.json"}, {"md", "report.md"},
      {"sarif", "report.sarif"}, {"codequality", "report.codequality.json"}, {"html", "report.html"}};
  std::vector<Output> outputs;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    Output output{name, std::nullopt, ""};
    if (name != "html") {
      auto format = report::parse_format(name);
      if (!format.ok()) {
        std::fprintf(stderr, "error: %s, or html\n", format.error().message.c_str());
        return std::nullopt;
      }
      output.format = format.value();
    }
    output.file = kFiles.at(name);
    for (const Output& seen : outputs) {
      if (seen.name == name) {
        std::fprintf(stderr, "error: --format names '%s' twice\n", name.c_str());
        return std::nullopt;
      }
    }
    outputs.push_back(std::move(output));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return outputs;
}

}  // namespace

void add_analysis_options(CLI::App& app, AnalysisOptions& options) {
  app.add_option("-r,--rules", options.rule_paths,
                 "Rule files or directories to load after the shipped packs and uprank.yaml's `rules:`");
  app.add_flag("--no-default-rules", options.no_default_rules,
               "Do not load the shipped rule packs (as `default_rules: false` in uprank.yaml)");
  app.add_option("-f,--format", options.format, "Output format: table, json, md, sarif, codequality or html; several, comma-separated, "
                 "write report.<ext> files into the -o directory from one evaluation")->capture_default_str();
  app.add_option("-o,--output", options.output, "Write the report to this file instead of stdout (a directory with several formats)")->check(kNonEmpty);
  app.add_option("--link-base", options.link_base,
                 "With --format md: link each file#Lline under this URL (https://github.com/OWNER/REPO/blob/SHA/) "
                 "instead of relative to the page")
      ->check(kNonEmpty);
  app.add_option("--color", options.color,
                 "Colour the table: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--today", options.today, "Evaluate as of this date (YYYY-MM-DD) instead of today, for reproducible reports");
  app.add_option("--snapshot", options.snapshot, "Read facts from this snapshot file instead of the store");
  app.add_flag("--offline", options.offline, "Use stored facts only (never fetches; accepted for symmetry)");
  app.add_flag("--strict", options.strict, "Treat any inventory error or unknown uprank.yaml key as fatal (exit 2)");
  app.add_option("-p,--param", options.params, "Override a rule-pack param: NAME=VALUE (repeatable)");
  app.add_option("--vex", options.vex_files,
                 "VEX document (OpenVEX, CycloneDX VEX or CSAF) whose statements apply (repeatable; docs/vex.md)")
      ->check(kNonEmpty);
  app.add_flag("--allow-empty", options.allow_empty,
               "Accept reading no component at all (otherwise an error for check and for report --fail-on)");
  app.add_option("--fail-on", options.fail_on, "Exit 1 when a component ranks at or above this urgency")->check(kNonEmpty);
  app.add_option("--threads", options.threads, "Threads that read files and evaluate rules (default: one per core)");
  add_gate_options(app, options.gate);
  app.add_option("--only", options.only,
                 "advisory=ID: only the components that advisory (id or alias, fetched, declared or imported CSAF) "
                 "affects, with all their findings; no history or Coming due")
      ->check(kNonEmpty);
  app.add_option("--min-urgency", options.min_urgency,
                 "List only components ranked at or above this urgency in the table and Markdown (JSON keeps all)")
      ->check(kNonEmpty);
}

namespace {

// `--only advisory=ID`: keeps the findings of the components `advisory` affects (an entry
// contains the running version and no VEX statement took it out), and drops the rest.
// Returns the components (inventory order) that had findings and lost them.
std::vector<size_t> keep_components_affected_by(const std::vector<const facts::Advisory*>& advisories,
                                                const inventory::Inventory& inventory, const evaluator::AdvisoryIndex& index,
                                                const vex::StatementIndex* statements, evaluator::Evaluation& evaluation) {
  using Kind = evaluator::AdvisoryIndex::Verdict::Kind;
  std::vector<bool> keep(inventory.components.size(), false);
  for (const facts::Advisory* advisory : advisories) {
    for (size_t c = 0; c < inventory.components.size(); ++c) {
      if (keep[c]) continue;
      auto verdicts = index.judge(inventory.components[c], *advisory);
      if (std::none_of(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.kind == Kind::kAffected; })) continue;
      // A statement that removes this record's finding takes the component out of this
      // record's view only: another record with the same alias may still affect it.
      bool removed = std::any_of(evaluation.vex.begin(), evaluation.vex.end(), [&](const evaluator::VexOutcome& outcome) {
        return statements != nullptr && outcome.advisory == advisory->id && outcome.component == c &&
               vex::removes_finding(statements->statements()[outcome.statement].status);
      });
      keep[c] = !removed;
    }
  }
  std::vector<bool> filtered(keep.size(), false);
  std::erase_if(evaluation.findings, [&](const evaluator::Finding& finding) {
    bool drop = finding.components.empty() || !keep[finding.components.front()];
    if (drop && !finding.components.empty()) filtered[finding.components.front()] = true;
    return drop;
  });
  std::vector<size_t> out;
  for (size_t c = 0; c < filtered.size(); ++c) {
    if (filtered[c]) out.push_back(c);
  }
  return out;
}

}  // namespace

int run_analysis(const AnalysisOptions& options, const AnalysisInputs& inputs, const GlobalOptions& global) {
  auto outputs = parse_outputs(options.format);
  if (!outputs) return kExitBadInput;
  bool to_directory = outputs->size() > 1;
  if (to_directory && (options.output.empty() || options.output == "-")) {
    std::fprintf(stderr, "error: --format %s names several formats: give -o DIR for their files\n", options.format.c_str());
    return kExitBadInput;
  }
  std::string link_base;
  if (!options.link_base.empty()) {
    auto checked = report::check_link_base(options.link_base);
    if (!checked.ok()) {
      std::fprintf(stderr, "error: %s\n", checked.error().message.c_str());
      return kExitBadInput;
    }
    link_base = checked.value();
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
  std::optional<compiler::Level> min_urgency;
  if (!options.min_urgency.empty()) {
    compiler::Level level;
    if (!compiler::parse_level(options.min_urgency, level)) {
      std::fprintf(stderr, "error: --min-urgency takes critical, high, medium, low or info, not '%s'\n",
                   options.min_urgency.c_str());
      return kExitBadInput;
    }
    min_urgency = level;
  }
  std::string only_advisory;
  if (!options.only.empty()) {
    if (options.only.rfind("advisory=", 0) != 0 || options.only.size() == 9) {
      std::fprintf(stderr, "error: --only takes advisory=ID, not '%s'\n", escape_for_terminal(options.only).c_str());
      return kExitBadInput;
    }
    only_advisory = options.only.substr(9);
  }
  StageClock clock;
  auto today = parse_today(options.today);
  auto params = parse_param_arguments(options.params);
  auto config = load_config(global, options.strict, inputs.config_file, inputs.config_shown_as);
  if (!today || !params || !config) return kExitBadInput;
  // --param wins over uprank.yaml's params; --rules adds to its rules and the shipped packs.
  std::map<std::string, std::string> overrides = config->params;
  for (const auto& [name, value] : *params) overrides[name] = value;
  auto roots = rule_roots(*config, options.rule_paths, options.no_default_rules);
  if (!roots) return kExitBadInput;
  auto rules = compile_rules(*roots, overrides);
  if (!rules) return kExitBadInput;
  clock.lap("configuration and rules");
  auto reading = inventory_reading(*config);
  reading->options.threads = options.threads;
  bool verbose = global.log_level == "info" || global.log_level == "debug" || global.log_level == "trace";
  auto inventory = inputs.read_inventory(reading->options, verbose);
  if (!inventory) return kExitBadInput;
  clock.lap("inventory");
  if (!options.snapshot.empty() && !global.store_path.empty()) {
    // Both named: the snapshot is the whole of the facts; say so rather than drop the
    // store's advisories in silence.
    std::fprintf(stderr, "warning: --snapshot %s is used instead of --store %s: the store's data is not read\n",
                 options.snapshot.c_str(), global.store_path.c_str());
  }
  std::optional<baseline::Baseline> baseline;
  if (!read_gate_baseline(options.gate, baseline)) return kExitBadInput;
  // A shard neither reads nor records history: the merge does, as the single run would.
  const std::string history_store = inputs.history && inputs.history->record && options.only.empty() && !inputs.shard
                                        ? history_store_path(global, options.snapshot)
                                        : std::string();
  if (auto exit = prepare_history_store(history_store, options.snapshot.empty())) return *exit;
  // The store's advisories by need: only those a component can meet are parsed. --only
  // advisory=ID looks its advisory up by id or alias, which needs them all; a snapshot is
  // read whole anyway.
  const bool by_need = only_advisory.empty() && options.snapshot.empty();
  std::vector<std::string> advisory_packages;
  if (by_need) advisory_packages = evaluator::advisory_packages_of(*inventory, reading->products);
  auto facts = load_facts(options.snapshot, global.store_path, *today, *config, by_need ? &advisory_packages : nullptr);
  if (!facts) return exit_code_for(facts.error());
  std::vector<std::string> vex_files = config->vex_files;
  vex_files.insert(vex_files.end(), options.vex_files.begin(), options.vex_files.end());
  auto statements = load_vex_statements(vex_files, *inventory, inputs.repository_root, verbose);
  if (!statements) return kExitBadInput;
  clock.lap("facts and VEX");

  evaluator::EvaluationOptions evaluation;
  evaluation.threads = options.threads;
  evaluation.products = &reading->products;
  evaluation.vex = statements->get();
  const compiler::Program& program = *rules->compiled.program;
  std::vector<bool> subjects;
  if (inputs.shard) {
    subjects = shard::subjects_of(*inventory, inputs.shard->first, inputs.shard->second);
    evaluation.subjects = &subjects;
  }
  if (global.merge != nullptr) {
    if (Status same = shard::check_inputs(global.merge->front().header, *inventory, *facts, program); !same) {
      std::fprintf(stderr, "error: %s\n", same.error().message.c_str());
      return kExitBadInput;
    }
  }
  // The evaluation of one day: the rules' (of this shard's components under --shard), or
  // under `merge` the shards' evaluations of that day combined.
  // Joined once for today and every horizon day (evaluator::Evaluator).
  std::unique_ptr<evaluator::Evaluator> evaluator_of_run;
  if (global.merge == nullptr) {
    evaluator_of_run = std::make_unique<evaluator::Evaluator>(program, *inventory, *facts, *today, evaluation);
  }
  auto evaluate = [&](Date day, const std::vector<bool>* only_subjects = nullptr) -> std::optional<evaluator::Evaluation> {
    if (global.merge == nullptr) return evaluator_of_run->evaluate(day, only_subjects);
    auto merged = shard::merge_day(*global.merge, day, *inventory, *facts, program);
    if (!merged) {
      std::fprintf(stderr, "error: %s\n", merged.error().message.c_str());
      return std::nullopt;
    }
    return std::move(merged).value();
  };
  auto today_evaluation = evaluate(*today);
  if (!today_evaluation) return kExitBadInput;
  clock.lap("evaluation");
  warn_stopped_rules(*today_evaluation);
  if (inputs.shard) {
    ShardRun run{*inputs.shard, global.arguments, options.format, *today, options.output, inputs.horizons};
    return write_shard_file(run, subjects, *today_evaluation, evaluate, *inventory, *facts, program);
  }
  auto evaluated = std::move(*today_evaluation);
  std::vector<Date> unchanged_through = std::move(evaluated.unchanged_through);
  std::shared_ptr<const evaluator::AdvisoryIndex> advisories = evaluated.advisory_index;
  if (!advisories) {
    advisories = std::make_shared<const evaluator::AdvisoryIndex>(*facts, program.declared_advisories(), &reading->products, *today);
  }
  std::optional<report::Report::Only> only;
  if (!only_advisory.empty()) {
    std::vector<const facts::Advisory*> found = find_advisories(*facts, program.declared_advisories(), only_advisory);
    if (found.empty()) {
      std::fprintf(stderr, "error: --only advisory=%s: no advisory has that id or alias\n",
                   escape_for_terminal(only_advisory).c_str());
      return kExitBadInput;
    }
    // On a replayed day an advisory published after it did not exist yet (as `advisory`).
    if (std::string later = keep_published_by(found, only_advisory, *today); !later.empty()) {
      std::fprintf(stderr, "%s: --only advisory=%s: %s%s\n", found.empty() ? "error" : "note",
                   escape_for_terminal(only_advisory).c_str(), found.empty() ? "" : "a record ",
                   escape_for_terminal(later).c_str());
      if (found.empty()) return kExitBadInput;
    }
    std::vector<std::string> ids;
    for (const facts::Advisory* advisory : found) ids.push_back(advisory->id);
    only = report::Report::Only{std::move(ids), only_advisory,
                                keep_components_affected_by(found, *inventory, *advisories, statements->get(), evaluated)};
  }
  report::Report ranked = report::rank_components(*inventory, std::move(evaluated), *today);
  if (only_advisory.empty()) ranked.horizons = inputs.horizons;
  if (only) {
    // The filtered components have findings: they are not "no findings".
    std::erase_if(ranked.unranked, [&](size_t c) {
      return std::binary_search(only->filtered.begin(), only->filtered.end(), c);
    });
    ranked.only = std::move(only);
  }
  clock.lap("rank");
  // Coming due: the same fleet and facts ranked at each horizon day, one day at a time, so
  // that only one later report is held beside today's. Only the components whose verdict
  // may change by then are evaluated again (what today's evaluation read holds for the
  // rest): their findings and ranks are those of the whole fleet evaluated on that day,
  // and the others' are today's, which Coming due does not list. A view of one advisory
  // has none (nor history).
  report::ComingDueRows coming_due(ranked);
  for (int32_t days : only_advisory.empty() ? inputs.horizons : std::vector<int32_t>()) {
    Date later = *today + days;
    std::optional<std::vector<bool>> changing;
    if (global.merge == nullptr) changing = evaluator::changing_by(unchanged_through, later);
    if (changing && std::find(changing->begin(), changing->end(), true) == changing->end()) continue;
    auto later_evaluation = evaluate(later, changing ? &*changing : nullptr);
    if (!later_evaluation) return kExitBadInput;
    coming_due.add(report::rank_components(*inventory, std::move(*later_evaluation), later));
  }
  // Each row's day, checked on the few components listed (merge evaluates them itself).
  ranked.coming_due = coming_due.finish([&](Date day, const std::vector<bool>& components) {
    if (!evaluator_of_run) {
      evaluator_of_run = std::make_unique<evaluator::Evaluator>(program, *inventory, *facts, *today, evaluation);
    }
    return report::rank_components(*inventory, evaluator_of_run->evaluate(day, &components), day);
  });
  clock.lap("evaluate horizons");
  ranked.min_urgency = min_urgency;
  ranked.fleet_view = inputs.fleet_view;
  ranked.vex_statements = *statements;
  report::attach_targets(ranked, targets::Inputs{&*inventory, &*facts, advisories.get(), &program.constraints(), &reading->products},
                         targets::Options{*today, warn_window_days(program), options.threads});
  clock.lap("targets");
  ranked.scope = inputs.scope;
  for (const std::string& warning : report::suppression_warnings(ranked)) {
    std::fprintf(stderr, "warning: %s\n", escape_for_terminal(warning).c_str());
  }
  ranked.data_sources = data_sources(*facts, options.snapshot, inputs.repository_root);
  ranked.content_hash = facts->content_hash;
  report::set_rule_info(ranked, program);
  if (auto exit = apply_gate(ranked, options.gate, baseline, inputs.repository_root, inputs.scope, options.threads)) return *exit;
  clock.lap("gate");
  std::vector<history::TrendDay> trend;
  std::optional<fetch::ReportRun> to_record;  // this run's history, recorded once the report is written
  if (inputs.history && only_advisory.empty()) {
    HistorySettings history = *inputs.history;
    history.baseline = options.gate.baseline;
    history.data_hash = facts->content_hash;
    if (auto exit = apply_history(ranked, history, history_store, to_record, &trend)) return *exit;
    clock.lap("compare with history");
  }
  report::WriteOptions writing;
  writing.tool_version = UPRANK_VERSION;
  writing.category = inputs.category;
  writing.show_locations = inputs.show_locations;
  writing.link_base = link_base;
  writing.markdown_summary = inputs.markdown_summary;
  writing.threads = options.threads;
  bool to_stdout = options.output.empty() || options.output == "-";
  writing.color = use_color(options.color, to_stdout);
  html::Options html_options;
  html_options.tool_version = UPRANK_VERSION;
  for (const history::TrendDay& day : trend) {
    html::TrendPoint point{day.day, {}, std::nullopt};
    for (size_t level = std::size(day.counts); level-- > 0;) {  // critical first
      if (day.counts[level] > 0) {
        point.levels.emplace_back(std::string(compiler::level_name(static_cast<compiler::Level>(level))), day.counts[level]);
      }
    }
    if (day.by_decision) {
      point.decisions.emplace();
      for (const char* decision : history::kTrendDecisions) {  // act first
        if (size_t count = day.by_decision->at(decision)) point.decisions->emplace_back(decision, count);
      }
    }
    html_options.trend.push_back(std::move(point));
  }
  if (to_directory) {
    std::error_code error;
    std::filesystem::create_directories(options.output, error);
    if (error) {
      std::fprintf(stderr, "error: %s: cannot create the output directory: %s\n", options.output.c_str(), error.message().c_str());
      return kExitBadInput;
    }
  }
  // Every format is written from the same evaluation and ranking, and replaced together:
  // a failed write leaves the directory's earlier report whole rather than half new.
  files::OutputSet written;
  for (const Output& output : *outputs) {
    std::string path = to_directory ? (std::filesystem::path(options.output) / output.file).string()
                                    : (options.output.empty() ? "-" : options.output);
    auto sink = written.add(path);
    if (!sink) {
      std::fprintf(stderr, "error: cannot write the report: %s\n", sink.error().to_string().c_str());
      return kExitBadInput;
    }
    // Markdown links name files relative to the repository root (repository_location());
    // from a page written anywhere else, they go back there first.
    std::filesystem::path page_directory = std::filesystem::path(path).parent_path();
    std::filesystem::path root = inputs.repository_root.empty() ? std::filesystem::path(".") : std::filesystem::path(inputs.repository_root);
    writing.link_prefix = path == "-" ? "" : report::markdown_link_prefix(
                                                 std::filesystem::absolute(page_directory.empty() ? std::filesystem::path(".") : page_directory).string(),
                                                 std::filesystem::absolute(root).string());
    if (output.format) report::write_report(ranked, *output.format, writing, **sink);
    else html::write_html(ranked, html_options, **sink);
    clock.lap(("write " + output.name).c_str());
  }
  if (Status committed = written.commit(); !committed) {
    std::fprintf(stderr, "error: cannot write the report: %s\n", committed.error().to_string().c_str());
    return kExitBadInput;
  }
  clock.lap("write files");
  if (to_record) {
    if (auto exit = record_history(*to_record, history_store)) return *exit;
    clock.lap("record history");
  }
  const int exit = fail_on && report::fails_gate(ranked, *fail_on) ? kExitFindings : kExitClean;
  // Every output is committed: what remains is memory the process's exit frees faster.
  keep_until_exit(ranked, evaluator_of_run, advisories, *facts, *inventory, *rules, reading);
  return exit;
}

}  // namespace uprank::cli
