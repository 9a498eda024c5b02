// The evaluator's trace of one component (`uprank explain`): conjunct outcomes in
// evaluation order, the first false or undefined one last, operand values and sources.
#include <gtest/gtest.h>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "grammar/parser.h"

namespace uprank::evaluator {
namespace {

Date day(const char* text) { return *Date::parse(text); }

inventory::Component component(std::string name, std::string product, std::string version, std::string cluster = "") {
  inventory::Component c;
  c.name = std::move(name);
  c.product = std::move(product);
  c.version_text = version;
  c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
  c.cluster = std::move(cluster);
  c.location = {"fleet.yaml", 7, 5};
  return c;
}

facts::FactSet facts_with_cycle(const char* product, const char* cycle, const char* ends) {
  facts::FactSet facts;
  facts::EolProduct eol{product, product, {}};
  facts::EolCycle c;
  c.product = product;
  c.cycle = cycle;
  c.security_ends = Date::parse(ends);
  c.evidence = {"endoflife", std::string(product) + "/" + cycle, "", "2026-08-22T00:00:00Z"};
  eol.cycles.push_back(c);
  facts.products[product] = eol;
  return facts;
}

class Tracing : public ::testing::Test {
 protected:
  // Evaluates `rules` over `inventory` tracing component `traced`, with `threads` threads.
  Evaluation run(const std::string& rules, const inventory::Inventory& inventory, const facts::FactSet& facts,
                 size_t traced, int threads = 1) {
    auto parsed = grammar::parse_file(rules, "test.upr");
    EXPECT_TRUE(parsed.diagnostics.empty()) << render_diagnostic(parsed.diagnostics.at(0));
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    auto compiled = compiler::compile(files);
    for (const auto& d : compiled.diagnostics) EXPECT_NE(d.severity, Severity::kError) << render_diagnostic(d);
    program_ = compiled.program;
    EvaluationOptions options;
    options.threads = threads;
    options.trace_component = traced;
    return evaluate_rules(*program_, inventory, facts, day("2026-09-01"), options);
  }
  std::shared_ptr<const compiler::Program> program_;
};

TEST_F(Tracing, OffRecordsNothing) {
  inventory::Inventory inventory;
  inventory.components = {component("db", "postgresql", "12.4")};
  auto parsed = grammar::parse_file("rule r { for c in components urgency high reason security message \"m\" }", "t.upr");
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  auto compiled = compiler::compile(files);
  ASSERT_TRUE(compiled.program);
  Evaluation evaluation = evaluate_rules(*compiled.program, inventory, {}, day("2026-09-01"));
  EXPECT_FALSE(evaluation.trace.has_value());
  EXPECT_EQ(evaluation.findings.size(), 1u);
}

TEST_F(Tracing, FalseConjunctIsLastWithItsOperands) {
  inventory::Inventory inventory;
  inventory.components = {component("db", "postgresql", "16.3")};
  Evaluation evaluation = run(R"(
rule old {
  for c in components where c.product == "postgresql"
  when c.eol.ended and c.version < "17"
  urgency high
  reason end_of_support
  message "m"
}
)", inventory, facts_with_cycle("postgresql", "16", "2028-11-09"), 0);
  ASSERT_TRUE(evaluation.trace);
  EXPECT_TRUE(evaluation.findings.empty());
  ASSERT_EQ(evaluation.trace->rules.size(), 1u);
  EXPECT_EQ(evaluation.trace->rules[0].matches, 1u);
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  const MatchTrace& match = evaluation.trace->matches[0];
  EXPECT_FALSE(match.fired);
  EXPECT_EQ(match.components, std::vector<size_t>{0});
  // where holds; the when's first conjunct is false and the second is never reached.
  ASSERT_EQ(match.conjuncts.size(), 2u);
  EXPECT_EQ(match.conjuncts[0].clause, "where");
  EXPECT_EQ(match.conjuncts[0].outcome, ConjunctTrace::Outcome::kTrue);
  EXPECT_EQ(match.conjuncts[1].clause, "when");
  EXPECT_EQ(match.conjuncts[1].outcome, ConjunctTrace::Outcome::kFalse);
  EXPECT_EQ(match.conjuncts[1].range.begin.line, 4);
  ASSERT_EQ(match.conjuncts[1].operands.size(), 1u);
  EXPECT_EQ(match.conjuncts[1].operands[0].value, "false");
  EXPECT_EQ(match.conjuncts[1].operands[0].sources, std::vector<std::string>{"endoflife postgresql 16"});
  // The where's comparison read the inventory and a literal.
  ASSERT_EQ(match.conjuncts[0].operands.size(), 2u);
  EXPECT_EQ(match.conjuncts[0].operands[0].value, "postgresql");
  EXPECT_EQ(match.conjuncts[0].operands[0].sources, std::vector<std::string>{"inventory fleet.yaml:7 (db)"});
  EXPECT_TRUE(match.conjuncts[0].operands[1].constant);
}

TEST_F(Tracing, UndefinedValueIsNamed) {
  inventory::Inventory inventory;
  inventory.components = {component("cache", "redis", "7.2.4")};  // no `team` attribute
  Evaluation evaluation = run(R"(
rule team_web {
  for c in components
  when c.attribute("team") == "web" and c.version < "8"
  urgency medium
  reason version_lag
  message "m"
}
)", inventory, {}, 0);
  ASSERT_TRUE(evaluation.trace);
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  const MatchTrace& match = evaluation.trace->matches[0];
  ASSERT_EQ(match.conjuncts.size(), 1u);
  EXPECT_EQ(match.conjuncts[0].outcome, ConjunctTrace::Outcome::kUndefined);
  ASSERT_EQ(match.conjuncts[0].operands.size(), 2u);
  EXPECT_EQ(match.conjuncts[0].operands[0].value, "unknown");
  EXPECT_EQ(match.conjuncts[0].operands[0].sources, std::vector<std::string>{"inventory fleet.yaml:7 (cache)"});
}

TEST_F(Tracing, RuleNeedingEndOfLifeDataIsReachedButNotEvaluated) {
  inventory::Inventory inventory;
  inventory.components = {component("cache", "redis", "7.2.4"), component("db", "postgresql", "16.3")};
  const std::string rules = R"(
rule ends_soon {
  for c in components where c.eol.ends <= today + 90d
  urgency medium
  reason end_of_support
  message "m"
}
)";
  Evaluation evaluation = run(rules, inventory, facts_with_cycle("postgresql", "16", "2028-11-09"), 0);
  ASSERT_TRUE(evaluation.trace);
  ASSERT_EQ(evaluation.trace->rules.size(), 1u);
  EXPECT_TRUE(evaluation.trace->rules[0].needs_eol);
  EXPECT_EQ(evaluation.trace->rules[0].matches, 0u);
  EXPECT_TRUE(evaluation.trace->matches.empty());
  // With a cycle the same rule is evaluated, and its `today + 90d` read as operands.
  evaluation = run(rules, inventory, facts_with_cycle("postgresql", "16", "2028-11-09"), 1);
  ASSERT_TRUE(evaluation.trace);
  EXPECT_FALSE(evaluation.trace->rules.at(0).needs_eol);
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  const ConjunctTrace& conjunct = evaluation.trace->matches[0].conjuncts.at(0);
  EXPECT_EQ(conjunct.outcome, ConjunctTrace::Outcome::kFalse);
  ASSERT_EQ(conjunct.operands.size(), 3u);
  EXPECT_EQ(conjunct.operands[0].value, "2028-11-09");
  EXPECT_EQ(conjunct.operands[0].sources, std::vector<std::string>{"endoflife postgresql 16"});
  EXPECT_EQ(conjunct.operands[1].value, "2026-09-01");
  EXPECT_EQ(conjunct.operands[1].sources, std::vector<std::string>{"today"});
  EXPECT_EQ(conjunct.operands[2].value, "90d");
  EXPECT_TRUE(conjunct.operands[2].constant);
}

TEST_F(Tracing, FiredMatchKeepsEveryConjunct) {
  inventory::Inventory inventory;
  inventory.components = {component("db", "postgresql", "12.4")};
  Evaluation evaluation = run(R"(
rule past {
  for c in components where c.product == "postgresql" and c.eol.ended
  urgency high
  reason end_of_support
  message "m"
}
)", inventory, facts_with_cycle("postgresql", "12", "2024-11-21"), 0);
  ASSERT_TRUE(evaluation.trace);
  ASSERT_EQ(evaluation.findings.size(), 1u);
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  const MatchTrace& match = evaluation.trace->matches[0];
  EXPECT_TRUE(match.fired);
  // The two where conjuncts, then the urgency clause with its value.
  ASSERT_EQ(match.conjuncts.size(), 3u);
  EXPECT_EQ(match.conjuncts[0].outcome, ConjunctTrace::Outcome::kTrue);
  EXPECT_EQ(match.conjuncts[1].outcome, ConjunctTrace::Outcome::kTrue);
  EXPECT_EQ(match.conjuncts[2].clause, "urgency");
  EXPECT_EQ(match.conjuncts[2].outcome, ConjunctTrace::Outcome::kValue);
  EXPECT_EQ(match.conjuncts[2].operands.at(0).value, "high");
}

TEST_F(Tracing, JoinRecordsEachPairingAndEarlyFailures) {
  inventory::Inventory inventory;
  inventory.components = {component("node-a", "kubelet", "1.35.1", "eu"), component("api-eu", "kube-apiserver", "1.34.2", "eu"),
                          component("api-us", "kube-apiserver", "1.35.0", "us"), component("node-b", "kubelet", "1.30.0", "us")};
  // `node.version >= "1.31"` reads only the first binding: checked before any pairing.
  const std::string rules = R"(
rule skew {
  for node in components("kubelet"), api in components("kube-apiserver")
    where node.version >= "1.31" and node.cluster == api.cluster
  when node.version > api.version
  urgency high
  reason compatibility
  message "m"
}
)";
  for (int threads : {1, 3}) {
    Evaluation evaluation = run(rules, inventory, {}, 0, threads);
    ASSERT_TRUE(evaluation.trace);
    ASSERT_EQ(evaluation.trace->rules.size(), 1u);
    EXPECT_EQ(evaluation.trace->rules[0].bindings, std::vector<size_t>{0});
    ASSERT_EQ(evaluation.trace->matches.size(), 2u) << threads;
    // node-a with api-eu: same cluster, 1.35.1 > 1.34.2: fired, every conjunct kept.
    EXPECT_EQ(evaluation.trace->matches[0].components, (std::vector<size_t>{0, 1}));
    EXPECT_TRUE(evaluation.trace->matches[0].fired);
    EXPECT_EQ(evaluation.trace->matches[0].conjuncts.size(), 4u);  // where (2), when, urgency
    // node-a with api-us: the cluster conjunct is false, and is the last one.
    const MatchTrace& other = evaluation.trace->matches[1];
    EXPECT_EQ(other.components, (std::vector<size_t>{0, 2}));
    EXPECT_FALSE(other.fired);
    ASSERT_EQ(other.conjuncts.size(), 2u);
    EXPECT_EQ(other.conjuncts[0].outcome, ConjunctTrace::Outcome::kTrue);
    EXPECT_EQ(other.conjuncts[1].outcome, ConjunctTrace::Outcome::kFalse);
    ASSERT_EQ(other.conjuncts[1].operands.size(), 2u);
    EXPECT_EQ(other.conjuncts[1].operands[0].value, "eu");
    EXPECT_EQ(other.conjuncts[1].operands[1].value, "us");
    EXPECT_EQ(other.conjuncts[1].operands[1].sources, std::vector<std::string>{"inventory fleet.yaml:7 (api-us)"});
  }
  // From the API server's side: reached by the second binding; node-b never pairs with
  // it, its own early conjunct having failed.
  Evaluation evaluation = run(rules, inventory, {}, 2);
  ASSERT_TRUE(evaluation.trace);
  EXPECT_EQ(evaluation.trace->rules[0].bindings, std::vector<size_t>{1});
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  EXPECT_EQ(evaluation.trace->matches[0].components, (std::vector<size_t>{0, 2}));
  // node-b: the early failure is traced with the one binding made.
  evaluation = run(rules, inventory, {}, 3);
  ASSERT_TRUE(evaluation.trace);
  ASSERT_EQ(evaluation.trace->matches.size(), 1u);
  const MatchTrace& early = evaluation.trace->matches[0];
  EXPECT_EQ(early.components, std::vector<size_t>{3});
  ASSERT_EQ(early.conjuncts.size(), 1u);
  EXPECT_EQ(early.conjuncts[0].outcome, ConjunctTrace::Outcome::kFalse);
  EXPECT_EQ(early.conjuncts[0].operands[0].value, "1.30.0");
}

TEST_F(Tracing, MatchesBeyondTheLimitAreCountedNotKept) {
  inventory::Inventory inventory;
  inventory.components.push_back(component("hub", "hub", "1.0"));
  for (int i = 0; i < 30; ++i) inventory.components.push_back(component("leaf" + std::to_string(i), "leaf", "1.0"));
  Evaluation evaluation = run(R"(
rule pair {
  for h in components("hub"), l in components("leaf") where h.version > l.version
  urgency low
  reason compatibility
  message "m"
}
)", inventory, {}, 0, 2);
  ASSERT_TRUE(evaluation.trace);
  EXPECT_EQ(evaluation.trace->rules[0].matches, 30u);
  EXPECT_EQ(evaluation.trace->rules[0].matches_dropped, 30u - kTracedMatchesPerRule);
  EXPECT_EQ(evaluation.trace->matches.size(), kTracedMatchesPerRule);
  EXPECT_EQ(evaluation.trace->matches.front().components, (std::vector<size_t>{0, 1}));
}

}  // namespace
}  // namespace uprank::evaluator
