// Rule-language benchmarks. Targets on the 2-core reference machine: compiling 10,000
// rules under 1 s; evaluating 1,000 rules against 1,000,000 components with 200,000
// advisories under 10 s and 4 GiB RSS; twice the components at most twice the time.
// Figures are printed, not asserted (see bench/CMakeLists.txt).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/language/workload.h"
#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "engine/targets/targets.h"
#include "grammar/parser.h"
#include "grammar/token_source.h"
#include "UprankLexer.h"

namespace uprank::bench {
namespace {

constexpr size_t kCompileRules = 10000;
constexpr size_t kEvaluateRules = 1000;
constexpr size_t kAdvisories = 200000;
const Date kToday = *Date::parse("2025-06-01");

// Whether the compiler accepts `c.advisories` quantifiers yet (the language grows).
bool advisories_supported() {
  static const bool supported = [] {
    grammar::ParseResult parsed = grammar::parse_file(kAdvisoryProbeRule, "probe.upr");
    if (has_errors(parsed.diagnostics)) return false;
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    bool ok = compiler::compile(files).program != nullptr;
    if (!ok) std::printf("note: the compiler does not support c.advisories yet; advisory rules are left out\n");
    return ok;
  }();
  return supported;
}

struct Compiled {
  std::shared_ptr<const compiler::Program> program;
  std::vector<Diagnostic> diagnostics;
};

Compiled parse_and_compile(const std::vector<std::string>& sources) {
  std::vector<ast::File> files;
  Compiled out;
  // As `uprank` loads a rule pack: files are parsed concurrently (grammar::load_rule_files).
  std::vector<grammar::SourceFile> named;
  for (size_t i = 0; i < sources.size(); ++i) named.push_back({"bench" + std::to_string(i) + ".upr", sources[i]});
  for (grammar::ParseResult& parsed : grammar::parse_files(named)) {
    out.diagnostics.insert(out.diagnostics.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
    files.push_back(std::move(parsed.file));
  }
  if (has_errors(out.diagnostics)) return out;
  compiler::CompileResult result = compiler::compile(files);
  out.program = result.program;
  out.diagnostics.insert(out.diagnostics.end(), result.diagnostics.begin(), result.diagnostics.end());
  return out;
}

bool report_errors(benchmark::State& state, const Compiled& compiled) {
  if (compiled.program) return false;
  for (const auto& diagnostic : compiled.diagnostics) {
    if (diagnostic.severity == Severity::kError) {
      std::fputs(render_diagnostic(diagnostic).c_str(), stderr);
      break;
    }
  }
  state.SkipWithError("the generated rule pack does not compile");
  return true;
}

// The generated rule pack of `rules` rules that every benchmark here reads.
std::vector<std::string> rule_pack(size_t rules) {
  RulePackOptions options;
  options.rules = rules;
  options.with_advisory_rules = advisories_supported();
  return generate_rule_pack(options);
}

// Seconds per iteration of the last run of each benchmark, for the summary.
std::map<std::string, double> g_seconds;

void BM_ParseAndCompile(benchmark::State& state) {
  const size_t rules = static_cast<size_t>(state.range(0));
  const std::vector<std::string> sources = rule_pack(rules);
  size_t bytes = 0;
  for (const auto& source : sources) bytes += source.size();
  double total = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    Compiled compiled = parse_and_compile(sources);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The first run pays for warming ANTLR's prediction caches, as one `uprank` process does.
    if (!g_seconds.count("compile/first")) g_seconds["compile/first"] = seconds;
    total += seconds;
    if (report_errors(state, compiled)) return;
    benchmark::DoNotOptimize(compiled.program);
  }
  g_seconds["compile"] = total / static_cast<double>(state.iterations());
  state.counters["rules"] = static_cast<double>(rules);
  state.counters["files"] = static_cast<double>(sources.size());
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
  state.SetItemsProcessed(static_cast<int64_t>(rules * state.iterations()));
}
BENCHMARK(BM_ParseAndCompile)->Arg(kCompileRules)->Unit(benchmark::kMillisecond)->Iterations(5);

// The two halves of BM_ParseAndCompile, to show where compile time goes.
void BM_ParseOnly(benchmark::State& state) {
  const size_t rules = static_cast<size_t>(state.range(0));
  const std::vector<std::string> sources = rule_pack(rules);
  for (auto _ : state) {
    for (size_t i = 0; i < sources.size(); ++i) {
      grammar::ParseResult parsed = grammar::parse_file(sources[i], "bench" + std::to_string(i) + ".upr");
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(rules * state.iterations()));
}
BENCHMARK(BM_ParseOnly)->Arg(kCompileRules)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CompileOnly(benchmark::State& state) {
  const size_t rules = static_cast<size_t>(state.range(0));
  std::vector<ast::File> files;
  for (const auto& source : rule_pack(rules)) files.push_back(grammar::parse_file(source, "bench.upr").file);
  for (auto _ : state) {
    compiler::CompileResult result = compiler::compile(files);
    if (!result.program) {
      state.SkipWithError("the generated rule pack does not compile");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<int64_t>(rules * state.iterations()));
}
BENCHMARK(BM_CompileOnly)->Arg(kCompileRules)->Unit(benchmark::kMillisecond)->Iterations(3);

// The token streams the parser reads, from the hand-written lexer and, as the baseline
// measured in the same run, from the lexer ANTLR generates from the same grammar.
template <bool kGenerated>
void BM_Lex(benchmark::State& state) {
  const size_t rules = static_cast<size_t>(state.range(0));
  const std::vector<std::string> sources = rule_pack(rules);
  double total = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    for (const std::string& source : sources) {
      if constexpr (kGenerated) {
        antlr4::ANTLRInputStream input(source);
        uprank_grammar::UprankLexer lexer(&input);
        antlr4::CommonTokenStream tokens(&lexer);
        tokens.fill();
        benchmark::DoNotOptimize(tokens.size());
      } else {
        grammar::LexedTokenSource lexed(source);
        antlr4::CommonTokenStream tokens(&lexed);
        tokens.fill();
        benchmark::DoNotOptimize(tokens.size());
      }
    }
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  g_seconds[kGenerated ? "lex/generated" : "lex/hand-written"] = total / static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(rules * state.iterations()));
}
BENCHMARK_TEMPLATE(BM_Lex, false)->Arg(kCompileRules)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_TEMPLATE(BM_Lex, true)->Arg(kCompileRules)->Unit(benchmark::kMillisecond)->Iterations(3);

const facts::FactSet& shared_facts() {
  static const facts::FactSet facts = generate_facts(kAdvisories);
  return facts;
}

// Times evaluate_rules over `fleet` for each iteration; records the mean under `key` and
// returns the findings of the last run.
size_t time_evaluation(benchmark::State& state, const compiler::Program& program, const inventory::Inventory& fleet,
                       const std::string& key) {
  const facts::FactSet& facts = shared_facts();
  size_t findings = 0;
  double total = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    evaluator::Evaluation evaluation = evaluator::evaluate_rules(program, fleet, facts, kToday);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    findings = evaluation.findings.size();
    benchmark::DoNotOptimize(evaluation);
  }
  g_seconds[key] = total / static_cast<double>(state.iterations());
  return findings;
}

void BM_Evaluate(benchmark::State& state) {
  const size_t components = static_cast<size_t>(state.range(0));
  Compiled compiled = parse_and_compile(rule_pack(kEvaluateRules));
  if (report_errors(state, compiled)) return;
  const inventory::Inventory fleet = generate_inventory(components);
  size_t findings = time_evaluation(state, *compiled.program, fleet, "evaluate/" + std::to_string(components));
  state.counters["rules"] = static_cast<double>(compiled.program->rules().size());
  state.counters["components"] = static_cast<double>(fleet.components.size());
  state.counters["advisories"] = static_cast<double>(shared_facts().advisories.size());
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.SetItemsProcessed(static_cast<int64_t>(fleet.components.size() * state.iterations()));
}
BENCHMARK(BM_Evaluate)->Arg(500000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

// The advisory join alone: every component's advisories by identity (ecosystem and
// normalised name), 100,000 components against the 200,000 advisories, through one rule
// that reads them.
void BM_AdvisoryMatch(benchmark::State& state) {
  const size_t components = static_cast<size_t>(state.range(0));
  Compiled compiled = parse_and_compile({std::string(kAdvisoryProbeRule)});
  if (report_errors(state, compiled)) return;
  const inventory::Inventory fleet = generate_inventory(components);
  size_t findings = time_evaluation(state, *compiled.program, fleet, "match/" + std::to_string(components));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_AdvisoryMatch)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The target solver over every component: 100,000 components against the 200,000
// advisories and 600 releases per product, index build included.
void BM_TargetSolver(benchmark::State& state) {
  const size_t components = static_cast<size_t>(state.range(0));
  const facts::FactSet& facts = shared_facts();
  const inventory::Inventory fleet = generate_inventory(components);
  std::vector<size_t> which(fleet.components.size());
  for (size_t i = 0; i < which.size(); ++i) which[i] = i;
  std::vector<compiler::CompiledConstraint> constraints;
  double total = 0;
  size_t with_target = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    evaluator::AdvisoryIndex index(facts, {});
    auto solved = targets::solve(targets::Inputs{&fleet, &facts, &index, &constraints}, which, targets::Options{kToday, 120});
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    with_target = 0;
    for (const auto& one : solved) with_target += one.patch.target || one.supported.target ? 1 : 0;
    benchmark::DoNotOptimize(solved);
  }
  g_seconds["targets/" + std::to_string(components)] = total / static_cast<double>(state.iterations());
  state.counters["with_target"] = static_cast<double>(with_target);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_TargetSolver)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void print_summary() {
  std::printf("\n== rule-language figures\n");
  if (g_seconds.count("compile")) {
    std::printf("compile %zu rules (parse + compile): %.3f s  (target < 1 s); first run in the process: %.3f s\n",
                kCompileRules, g_seconds["compile"], g_seconds["compile/first"]);
  }
  if (g_seconds.count("lex/hand-written") && g_seconds.count("lex/generated") && g_seconds["lex/hand-written"] > 0) {
    std::printf("lex %zu rules: hand-written %.3f s, ANTLR-generated %.3f s (x%.1f)\n", kCompileRules,
                g_seconds["lex/hand-written"], g_seconds["lex/generated"],
                g_seconds["lex/generated"] / g_seconds["lex/hand-written"]);
  }
  const std::string half = "evaluate/500000", full = "evaluate/1000000";
  if (g_seconds.count(full)) {
    std::printf("evaluate %zu rules x 1,000,000 components x %zu advisories: %.3f s  (target < 10 s)\n",
                kEvaluateRules, kAdvisories, g_seconds[full]);
  }
  if (g_seconds.count(half) && g_seconds.count(full) && g_seconds[half] > 0) {
    std::printf("scaling 500k -> 1M components: x%.2f time  (target <= x2)\n", g_seconds[full] / g_seconds[half]);
  }
  if (g_seconds.count("match/100000")) {
    std::printf("match 100,000 components x %zu advisories by identity (one rule): %.3f s\n", kAdvisories,
                g_seconds["match/100000"]);
  }
  if (g_seconds.count("targets/100000") && g_seconds.count("match/100000") && g_seconds["match/100000"] > 0) {
    std::printf("target solver, 100,000 components x %zu advisories x 600 releases per product: %.3f s "
                "(x%.1f the advisory match of the same fleet)\n",
                kAdvisories, g_seconds["targets/100000"], g_seconds["targets/100000"] / g_seconds["match/100000"]);
  }
  std::printf("peak RSS of the process: %.0f MiB  (target < 4096 MiB)\n", peak_rss_mib());
}

}  // namespace
}  // namespace uprank::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  uprank::bench::print_summary();
  return 0;
}
