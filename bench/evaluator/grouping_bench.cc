// Evaluating per pin group against per component, on a fleet shaped like bench/check's
// generated repositories: N pins drawn from 40 distinct (product, version) pairs, each
// in its own file. Per group, the time must stay flat as N doubles and far below the
// per-component baseline measured in the same run; the ratios are printed, never
// asserted (bench/CMakeLists.txt). Real time: the rules run on worker threads.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "grammar/parser.h"

namespace uprank::bench {
namespace {

const Date kToday = *Date::parse("2026-09-01");
constexpr int kProducts = 8;
constexpr int kVersionsPerProduct = 5;  // 40 distinct pins

// Per product: cycles 10 to 14 (10 and 11 ended); versions 8.x (older than every cycle,
// a made-up cycle) to 13.x; one advisory per product affecting below 12.
facts::FactSet fleet_facts() {
  facts::FactSet facts;
  for (int p = 0; p < kProducts; ++p) {
    std::string product = "product" + std::to_string(p);
    facts::EolProduct eol{product, product, {}};
    for (int cycle = 14; cycle >= 10; --cycle) {
      facts::EolCycle item;
      item.product = product;
      item.cycle = std::to_string(cycle);
      item.security_ends = Date::parse(cycle <= 11 ? "2024-01-01" : "2028-01-01");
      item.latest = std::to_string(cycle) + ".9";
      item.evidence = {"endoflife", product + "/" + item.cycle, "", ""};
      eol.cycles.push_back(item);
    }
    facts.products[product] = eol;
    facts::Advisory advisory;
    advisory.id = "BIT-" + product;
    advisory.cvss_score = 9.8;
    advisory.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    advisory.evidence = {"osv", advisory.id, "", ""};
    facts::AffectedPackage package;
    package.ecosystem = "Bitnami";
    package.name = product;
    package.scheme = versions::Scheme::kSemver;
    facts::AffectedRange range;
    range.type = "SEMVER";
    range.events = {{"introduced", "0"}, {"fixed", "12.0.0"}};
    range.range = versions::Range::from_osv_events(versions::Scheme::kSemver, range.events).value();
    package.ranges.push_back(std::move(range));
    advisory.affected.push_back(std::move(package));
    facts.advisories[advisory.id] = advisory;
  }
  return facts;
}

inventory::Inventory fleet(size_t count) {
  inventory::Inventory inventory;
  for (size_t i = 0; i < count; ++i) {
    inventory::Component c;
    int product = static_cast<int>(i % kProducts);
    int version = 9 + static_cast<int>((i / kProducts) % kVersionsPerProduct);  // 9.1 ... 13.1
    c.product = "product" + std::to_string(product);
    c.version_text = std::to_string(version) + ".1.0";
    c.cycle = std::to_string(version);
    c.version = versions::Version::parse(versions::Scheme::kGeneric, c.version_text).value();
    c.name = c.product + "@" + c.version_text + "#" + std::to_string(i);
    c.location = SourceLocation{"svc" + std::to_string(i) + "/Dockerfile", 2, 6};
    inventory.components.push_back(std::move(c));
  }
  return inventory;
}

// Shaped like the shipped packs' heavy rules: a per-advisory decision over defs (SSVC)
// and a fleet-wide comparison of release lines (hygiene).
constexpr const char* kRules = R"upr(
def network(a) = a.cvss_vector ~ /AV:N/
def rank_of(c, a) = if network(a) and a.cvss >= 9 then 3 else if c.eol.ended then 2 else 1
def worst(c) = max(rank_of(c, a) for a in c.advisories)
rule decision {
  for c in components where count(a in c.advisories) > 0
  urgency if worst(c) >= 3 then critical else high
  message "{min(a.id for a in c.advisories where rank_of(c, a) == worst(c))} decides"
}
def other_line(o, c) = o.product == c.product and defined(o.eol) and o.eol.cycle != c.eol.cycle
rule mixed {
  for c in components where defined(c.eol) and any(o in components where other_line(o, c))
  urgency low
  message "{count(o in components where other_line(o, c))} other line(s)"
}
)upr";

std::shared_ptr<const compiler::Program> program() {
  static std::shared_ptr<const compiler::Program> compiled = [] {
    std::vector<ast::File> files;
    files.push_back(grammar::parse_file(kRules, "bench.upr").file);
    return compiler::compile(files).program;
  }();
  return compiled;
}

void BM_Evaluate(benchmark::State& state, bool group_pins) {
  const size_t count = static_cast<size_t>(state.range(0));
  facts::FactSet facts = fleet_facts();
  inventory::Inventory inventory = fleet(count);
  evaluator::EvaluationOptions options;
  options.group_pins = group_pins;
  size_t findings = 0;
  for (auto _ : state) {
    evaluator::Evaluation evaluation = evaluator::evaluate_rules(*program(), inventory, facts, kToday, options);
    findings = evaluation.findings.size();
    benchmark::DoNotOptimize(evaluation);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["per_pin"] = benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate |
                                                                                 benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(BM_Evaluate, grouped, true)->RangeMultiplier(2)->Range(2500, 10000)->Unit(benchmark::kMillisecond)->UseRealTime();
// The baseline: every candidate evaluated (quadratic in the fleet-wide rule).
BENCHMARK_CAPTURE(BM_Evaluate, each_component, false)->RangeMultiplier(2)->Range(2500, 5000)->Unit(benchmark::kMillisecond)->UseRealTime();

// eol_cycle_of over a fleet where a fifth of the pins are older than every known cycle:
// one made-up cycle per product and line, however many pins.
void BM_EolCycleOf(benchmark::State& state) {
  facts::FactSet facts = fleet_facts();
  inventory::Inventory inventory = fleet(static_cast<size_t>(state.range(0)));
  size_t made_up = 0;
  for (auto _ : state) {
    facts::MadeUpCycles before_known;
    for (const auto& component : inventory.components) {
      benchmark::DoNotOptimize(evaluator::eol_cycle_of(facts, component, kToday, before_known));
    }
    made_up = before_known.cycles.size();
  }
  state.counters["made_up_cycles"] = static_cast<double>(made_up);
}
BENCHMARK(BM_EolCycleOf)->RangeMultiplier(2)->Range(2500, 10000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace uprank::bench

BENCHMARK_MAIN();
