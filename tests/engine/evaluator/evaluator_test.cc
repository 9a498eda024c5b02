#include <gtest/gtest.h>

#include <fstream>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/report/report.h"
#include "grammar/parser.h"

namespace uprank::evaluator {
namespace {

Date day(const char* text) { return *Date::parse(text); }

inventory::Component component(std::string name, std::string product, std::string version, std::string exposure = "") {
  inventory::Component c;
  c.name = std::move(name);
  c.product = std::move(product);
  c.version_text = version;
  c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
  c.exposure = std::move(exposure);
  return c;
}

facts::FactSet postgres_facts() {
  facts::FactSet facts;
  facts::EolProduct product{"postgresql", "PostgreSQL", {}};
  auto cycle = [](const char* name, const char* ends, const char* latest) {
    facts::EolCycle c;
    c.product = "postgresql";
    c.cycle = name;
    c.security_ends = Date::parse(ends);
    c.latest = latest;
    c.evidence = {"endoflife", std::string("postgresql/") + name, "https://endoflife.date/postgresql", "2026-08-22T00:00:00Z"};
    return c;
  };
  product.cycles = {cycle("16", "2028-11-09", "16.15"), cycle("14", "2026-11-12", "14.24"),
                    cycle("12", "2024-11-21", "12.22")};
  facts.products["postgresql"] = product;
  return facts;
}

class Evaluate : public ::testing::Test {
 protected:
  std::vector<Finding> run(const std::string& rules, const inventory::Inventory& inventory, const facts::FactSet& facts,
                           Date today, int threads = 1, JoinBudget budget = {}) {
    auto parsed = grammar::parse_file(rules, "test.upr");
    EXPECT_TRUE(parsed.diagnostics.empty()) << render_diagnostic(parsed.diagnostics.at(0));
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    auto compiled = compiler::compile(files);
    for (const auto& d : compiled.diagnostics) EXPECT_NE(d.severity, Severity::kError) << render_diagnostic(d);
    program_ = compiled.program;
    if (!program_) return {};
    EvaluationOptions options;
    options.threads = threads;
    options.join_budget = budget;
    Evaluation evaluation = evaluate_rules(*program_, inventory, facts, today, options);
    last_ = evaluation;
    return evaluation.findings;
  }
  std::shared_ptr<const compiler::Program> program_;
  Evaluation last_;
};

constexpr const char* kEolRule = R"(
param window = 120d
rule past {
  for c in components where c.eol.ended
  urgency if c.exposure == "internet" then critical else high
  score 60 + clamp(days(today - c.eol.ends) / 30, 0, 30)
  reason end_of_support
  message "{c.name} {c.version} left support on {c.eol.ends}"
  target supported_target(c, today + window)
}
rule soon {
  for c in components where not c.eol.ended and c.eol.ends <= today + window
  urgency medium
  reason end_of_support
  message "{c.name} ends in {days(c.eol.ends - today)} days"
}
)";

TEST_F(Evaluate, FiresPastAndSoonRulesWithEvidenceAndTargets) {
  inventory::Inventory inventory;
  inventory.components = {component("old", "postgresql", "12.4", "internet"), component("mid", "postgresql", "14.10"),
                          component("new", "postgresql", "16.3"), component("unknown", "mystery", "1.0")};
  auto findings = run(kEolRule, inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule(), "past");
  EXPECT_EQ(findings[0].level, compiler::Level::kCritical);
  EXPECT_EQ(findings[0].message(), "old 12.4 left support on 2024-11-21");
  EXPECT_DOUBLE_EQ(findings[0].score, 60 + 649 / 30.0);  // 649 days past support
  EXPECT_EQ(findings[0].target(), "16.15");  // 14 ends inside the window, so 16
  ASSERT_EQ(findings[0].evidence().size(), 1u);
  EXPECT_EQ(findings[0].evidence()[0].id, "postgresql/12");
  EXPECT_EQ(findings[1].rule(), "soon");
  EXPECT_EQ(findings[1].message(), "mid ends in 72 days");
}

TEST_F(Evaluate, UndefinedFactsNeverFire) {
  inventory::Inventory inventory;
  inventory.components = {component("a", "", "1.0"), component("b", "mystery", "2.0")};
  auto findings = run(R"(rule r {
  for c in components where not (c.eol.ends > today)
  urgency high
  message "fired"
}
rule gap {
  for c in components where not defined(c.eol) and defined(c.product)
  urgency info
  reason data_gap
  message "{c.name} has no data: {c.eol.ends}"
})", inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "b has no data: unknown");
}

TEST_F(Evaluate, JoinsPairDistinctComponents) {
  inventory::Inventory inventory;
  auto kubelet = [](std::string name, std::string version, std::string cluster) {
    auto c = component(std::move(name), "kubelet", std::move(version));
    c.cluster = std::move(cluster);
    return c;
  };
  auto api = [](std::string name, std::string version, std::string cluster) {
    auto c = component(std::move(name), "kube-apiserver", std::move(version));
    c.cluster = std::move(cluster);
    return c;
  };
  inventory.components = {kubelet("node-a", "1.26.0", "eu"), kubelet("node-b", "1.29.1", "eu"),
                          api("api-eu", "1.30.2", "eu"), kubelet("node-c", "1.20.0", "us"), api("api-us", "1.21.0", "us")};
  auto findings = run(R"(rule skew {
  for node in components("kubelet"), api in components("kube-apiserver") where node.cluster == api.cluster
  when node.version > api.version or api.version.minor - node.version.minor > 3
  urgency high
  reason compatibility
  message "kubelet {node.version} is outside the supported skew of apiserver {api.version}"
})", inventory, {}, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "kubelet 1.26.0 is outside the supported skew of apiserver 1.30.2");
  EXPECT_EQ(findings[0].components, (std::vector<size_t>{0, 2}));
}

// Issue #15 kind 5: a rule over every pair of components kept every pair as a finding
// (2,000 components: 4 million findings, std::bad_alloc under 4 GB). A join stops at its
// budget, keeps the first findings in order, says so, and stops at the same place
// whatever the thread count.
constexpr const char* kEveryPair = R"(rule every_pair {
  for a in components, b in components
  urgency low
  reason compatibility
  message "{a.name} and {b.name}"
})";

inventory::Inventory numbered(size_t count) {
  inventory::Inventory inventory;
  for (size_t i = 0; i < count; ++i) inventory.components.push_back(component("c" + std::to_string(i), "nginx", "1.25.3"));
  return inventory;
}

TEST_F(Evaluate, AJoinStopsAtItsFindingBudgetAndSaysSo) {
  inventory::Inventory inventory = numbered(300);  // 89,700 ordered pairs
  JoinBudget budget;
  budget.findings = 1000;
  auto one = run(kEveryPair, inventory, {}, day("2026-09-01"), 1, budget);
  ASSERT_EQ(one.size(), 1000u);
  ASSERT_EQ(last_.stopped.size(), 1u);
  EXPECT_EQ(last_.stopped[0].rule, "every_pair");
  EXPECT_EQ(last_.stopped[0].kind, RuleStop::Kind::kFindings);
  EXPECT_EQ(last_.stopped[0].kept, 1000u);
  EXPECT_NE(describe(last_.stopped[0]).find("stopped at 1000 findings"), std::string::npos) << describe(last_.stopped[0]);
  // The first findings in order: c0 with every other component, then c1 with ...
  EXPECT_EQ(one.front().components, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(one[299].components, (std::vector<size_t>{1, 0}));
  auto two = run(kEveryPair, inventory, {}, day("2026-09-01"), 2, budget);
  ASSERT_EQ(two.size(), one.size());
  for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(two[i].components, one[i].components) << i;
}

TEST_F(Evaluate, AJoinStopsAtItsMatchBudgetWhenFewMatchesFire) {
  inventory::Inventory inventory = numbered(400);  // 159,600 pairs tried, none fires
  JoinBudget budget;
  budget.matches = 8 * 5000;
  auto findings = run(R"(rule never {
  for a in components, b in components where a.version != b.version
  urgency low
  reason compatibility
  message "{a.name}"
})", inventory, {}, day("2026-09-01"), 2, budget);
  EXPECT_TRUE(findings.empty());
  ASSERT_EQ(last_.stopped.size(), 1u);
  EXPECT_EQ(last_.stopped[0].kind, RuleStop::Kind::kMatches);
}

TEST_F(Evaluate, AJoinWithinItsBudgetIsNotStopped) {
  auto findings = run(kEveryPair, numbered(20), {}, day("2026-09-01"));
  EXPECT_EQ(findings.size(), 380u);
  EXPECT_TRUE(last_.stopped.empty());
}

TEST_F(Evaluate, JoinConjunctsOfEarlierBindingsPruneWithoutChangingResults) {
  inventory::Inventory inventory;
  auto with_kind = [](std::string name, std::string version, std::string kind) {
    auto c = component(std::move(name), "", std::move(version));
    c.kind = std::move(kind);
    return c;
  };
  inventory.components = {with_kind("api-a", "1.0", "kubernetes-api"), with_kind("eks", "1.29", "cluster"),
                          with_kind("api-b", "1.2", "kubernetes-api"), with_kind("web", "3.0", "container-image"),
                          component("plain", "", "4.0")};
  // `k.kind == "cluster"` reads only k: checked once per k, before any c is tried. A kind
  // that is undefined (plain) is not true, so the pair is never tried, as `where` decides.
  auto findings = run(R"(rule pairs {
  for k in components, c in components where k.kind == "cluster" and c.kind == "kubernetes-api" and c.version < k.version
  urgency low
  message "{k.name} {c.name}"
})", inventory, {}, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message(), "eks api-a");
  EXPECT_EQ(findings[1].message(), "eks api-b");
  ASSERT_EQ(program_->rules().size(), 1u);
  EXPECT_EQ(program_->rules()[0].bindings[0].early.size(), 1u);
  EXPECT_TRUE(program_->rules()[0].bindings[1].early.empty());
}

TEST_F(Evaluate, InSchemeReadsAStringAsAVersion) {
  inventory::Inventory inventory;
  inventory.components = {component("eks", "amazon-eks", "1.9")};
  auto findings = run(R"(param cluster = "1.16"
rule newer {
  for c in components where in_scheme(cluster, "generic") > c.version and not defined(in_scheme("not a version", "generic"))
  urgency low
  message "{c.name}"
})", inventory, {}, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "eks");
}

TEST_F(Evaluate, QuantifiersAndListsOverTags) {
  inventory::Inventory inventory;
  inventory.components = {component("a", "x", "1.0"), component("b", "x", "2.0")};
  inventory.components[0].tags = {"pci", "legacy"};
  auto findings = run(R"(rule tagged {
  for c in components where any(t in c.tags where t == "pci") and count(t in c.tags) == 2 and "legacy" in c.tags
  urgency low
  message "{c.name} {c.tags}"
})", inventory, {}, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "a [pci, legacy]");
}

TEST_F(Evaluate, ResultsDoNotDependOnThreadCount) {
  inventory::Inventory inventory;
  for (int i = 0; i < 20000; ++i) {
    inventory.components.push_back(component("c" + std::to_string(i), "postgresql", i % 3 == 0 ? "12.1" : "16.1"));
  }
  auto one = run(kEolRule, inventory, postgres_facts(), day("2026-09-01"), 1);
  auto four = run(kEolRule, inventory, postgres_facts(), day("2026-09-01"), 4);
  ASSERT_EQ(one.size(), four.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].components, four[i].components);
    EXPECT_EQ(one[i].message(), four[i].message());
  }
}

TEST_F(Evaluate, RanksByUrgencyThenScoreThenName) {
  inventory::Inventory inventory;
  inventory.components = {component("new", "postgresql", "16.3"), component("mid", "postgresql", "14.10"),
                          component("old-b", "postgresql", "12.4"), component("old-a", "postgresql", "12.4")};
  auto findings = run(kEolRule, inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(findings.size(), 3u);
  report::Report ranked = report::rank_components(inventory, last_, day("2026-09-01"));
  ASSERT_EQ(ranked.ranked.size(), 3u);
  EXPECT_EQ(inventory.components[ranked.ranked[0].component].name, "old-a");
  EXPECT_EQ(inventory.components[ranked.ranked[1].component].name, "old-b");
  EXPECT_EQ(inventory.components[ranked.ranked[2].component].name, "mid");
  ASSERT_EQ(ranked.unranked.size(), 1u);
  EXPECT_EQ(ranked.unranked[0], 0u);
}

// Every component past support gets one finding of score 80; the policy below ranks
// internet-facing ones critical (undefined for components without an exposure), and
// sets a due date by name so that ties on score fall to the due date.
constexpr const char* kRankedRules = R"(
rule unsupported {
  for c in components where c.eol.ended
  urgency high
  score   80
  message "{c.name} is unsupported"
}
rank by_exposure {
  for c in components
  urgency if c.exposure == "internet" then critical else if c.exposure == "internal" then max(f.urgency for f in c.findings) else max(f.urgency for f in c.findings where f.score > 100)
  score   max(f.score for f in c.findings) because "top {min(f.name for f in c.findings)}"
  due     if c.name == "late" then 2026-12-01 else 2026-10-01
  factor  "Internet" (if c.exposure == "internet" then 5 else 0) because c.exposure
  factor  "Unknown" max(f.score for f in c.findings where f.score > 100)
}
)";

TEST_F(Evaluate, RankPolicyDecidesUrgencyScoreDueAndBreakdown) {
  inventory::Inventory inventory;
  inventory.components = {component("late", "postgresql", "12.4", "internal"),
                          component("early", "postgresql", "12.4", "internal"),
                          component("edge", "postgresql", "12.4", "internet"),
                          component("unexposed", "postgresql", "12.4"),
                          component("fine", "postgresql", "16.15")};
  run(kRankedRules, inventory, postgres_facts(), day("2026-09-01"));
  EXPECT_EQ(last_.rank_policy, "by_exposure");
  ASSERT_EQ(last_.ranks.size(), 4u);  // "fine" has no findings
  report::Report ranked = report::rank_components(inventory, last_, day("2026-09-01"));
  ASSERT_EQ(ranked.ranked.size(), 4u);
  std::vector<std::string> order;
  for (const auto& entry : ranked.ranked) order.push_back(inventory.components[entry.component].name);
  // edge: critical 85; early before late: same urgency and score, earlier due date; the
  // policy gave "unexposed" no urgency, so it ranks by its finding alone, without a due date.
  EXPECT_EQ(order, (std::vector<std::string>{"edge", "early", "late", "unexposed"}));
  const report::RankedComponent& edge = ranked.ranked[0];
  EXPECT_EQ(edge.level, compiler::Level::kCritical);
  EXPECT_DOUBLE_EQ(edge.score, 85);
  EXPECT_EQ(edge.due, day("2026-10-01"));
  EXPECT_EQ(edge.breakdown.policy, "by_exposure");
  EXPECT_DOUBLE_EQ(edge.breakdown.base, 80);
  EXPECT_EQ(edge.breakdown.base_because, "top unsupported");
  ASSERT_EQ(edge.breakdown.factors.size(), 2u);
  EXPECT_EQ(edge.breakdown.factors[0].name, "Internet");
  EXPECT_EQ(edge.breakdown.factors[0].points, 5.0);
  EXPECT_EQ(edge.breakdown.factors[0].because, "internet");
  EXPECT_FALSE(edge.breakdown.factors[1].points.has_value());  // undefined points count as 0
  const report::RankedComponent& fallback = ranked.ranked[3];
  EXPECT_EQ(fallback.level, compiler::Level::kHigh);
  EXPECT_FALSE(fallback.due.has_value());
  EXPECT_TRUE(fallback.breakdown.policy.empty());
  EXPECT_NE(fallback.breakdown.base_because.find("gave no urgency"), std::string::npos);
}

TEST_F(Evaluate, APolicyWithoutDueTakesTheEarliestDueOfTheFindings) {
  inventory::Inventory inventory;
  inventory.components = {component("mid", "postgresql", "14.10")};
  run(R"(
rule soon {
  for c in components where c.eol.ends <= today + 120d
  urgency medium
  message "m"
  due     c.eol.ends
}
rule later {
  for c in components
  urgency low
  message "m"
  due     2027-01-01
}
rank p {
  for c in components
  urgency max(f.urgency for f in c.findings)
}
)", inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(last_.ranks.size(), 1u);
  EXPECT_EQ(last_.ranks[0].due, day("2026-11-12"));
  EXPECT_EQ(last_.ranks[0].level, compiler::Level::kMedium);
}

TEST_F(Evaluate, WithoutARankPolicyTheMostUrgentFindingDecides) {
  inventory::Inventory inventory;
  inventory.components = {component("old", "postgresql", "12.4")};
  run(kEolRule, inventory, postgres_facts(), day("2026-09-01"));
  EXPECT_TRUE(last_.rank_policy.empty());
  EXPECT_TRUE(last_.ranks.empty());
  report::Report ranked = report::rank_components(inventory, last_, day("2026-09-01"));
  ASSERT_EQ(ranked.ranked.size(), 1u);
  EXPECT_EQ(ranked.ranked[0].breakdown.base, ranked.ranked[0].score);
  EXPECT_TRUE(ranked.ranked[0].breakdown.factors.empty());
  EXPECT_NE(ranked.ranked[0].breakdown.base_because.find("most urgent finding"), std::string::npos);
}

TEST_F(Evaluate, DeclaredAdvisoriesMatchRangesAndJoinKevAndEpss) {
  inventory::Inventory inventory;
  inventory.components = {component("fw-1", "fortios", "7.2.5", "internet"), component("fw-2", "fortios", "7.2.7"),
                          component("fw-3", "fortios", "7.0.1")};
  facts::FactSet facts;
  facts.kev["CVE-2024-21762"] = facts::KevEntry{"CVE-2024-21762", "Fortinet", "FortiOS", "Out-of-bound write",
                                                Date::parse("2024-02-09"), Date::parse("2024-02-16"), true, "", "", {},
                                                {"kev", "CVE-2024-21762", "", "2025-08-25T00:00:00Z"}};
  facts.epss["CVE-2024-21762"] = facts::EpssScore{"CVE-2024-21762", 0.93, 0.99, std::nullopt, "", {"epss", "CVE-2024-21762", "", ""}};
  auto findings = run(R"(
advisory "FG-IR-24-015" {
  affects "fortios" in ">=7.2.0, <=7.2.6" (generic)
  fixed   "7.2.7"
  cvss    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
  aliases "CVE-2024-21762"
}
rule known_exploited {
  for c in components where any(a in c.advisories where a.exploited)
  urgency critical
  score max(90, 0)
  reason exploited
  message "{c.name}: {count(a in c.advisories)} advisory, cvss {any(a in c.advisories where a.cvss >= 9.8)}, ransomware {any(a in c.advisories where a.ransomware and a.epss > 0.9)}"
  target "7.2.7"
})", inventory, facts, day("2026-09-01"));
  if (findings.empty()) GTEST_SKIP() << "generic ranges not available in this build";
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].components, std::vector<size_t>{0});
  EXPECT_EQ(findings[0].message(), "fw-1: 1 advisory, cvss true, ransomware true");
  std::vector<std::string> sources;
  for (const auto& evidence : findings[0].evidence()) sources.push_back(evidence.source);
  EXPECT_EQ(sources, (std::vector<std::string>{"epss", "kev", "rules"}));
}

TEST_F(Evaluate, RequiresConstraintFlagsRelatedComponentsOutsideTheRange) {
  inventory::Inventory inventory;
  auto api = component("billing-api", "billing-api", "4.2");
  api.depends_on = {"billing-db"};
  auto old_api = component("legacy-api", "billing-api", "3.9");
  old_api.depends_on = {"billing-db"};
  inventory.components = {api, component("billing-db", "postgresql", "12.4"), component("other-db", "postgresql", "11.1"),
                          old_api};
  auto findings = run(R"(requires "billing-api" >= "4.0" => "postgresql" in ">=13, <17" (generic) urgency critical)",
                      inventory, {}, day("2026-09-01"));
  if (findings.empty()) GTEST_SKIP() << "generic ranges not available in this build";
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule(), "requires_billing_api_postgresql");
  EXPECT_EQ(findings[0].level, compiler::Level::kCritical);
  EXPECT_EQ(findings[0].message(), "billing-api 4.2 requires postgresql in >=13, <17 (generic), but billing-db runs 12.4");
}

TEST_F(Evaluate, SuppressionsHideUntilTheyExpire) {
  inventory::Inventory inventory;
  inventory.components = {component("legacy-reporting", "postgresql", "12.4"), component("billing", "postgresql", "12.4")};
  const std::string rules = std::string(kEolRule) + R"rules(
suppress past where c.name == "legacy-reporting" until 2026-12-31 because "replacement ships in Q1 (OPS-412)"
suppress soon until 2026-12-31 because "nothing to hide"
)rules";
  auto findings = run(rules, inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].components, std::vector<size_t>{1});
  ASSERT_EQ(last_.suppressed.size(), 1u);
  ASSERT_EQ(last_.suppressions.size(), 2u);
  EXPECT_EQ(last_.suppressions[0].matched, 1u);
  EXPECT_EQ(last_.suppressions[1].matched, 0u);  // unused: reported, not silently kept

  findings = run(rules, inventory, postgres_facts(), day("2027-01-05"));
  EXPECT_EQ(findings.size(), 2u);  // expired: applied no more
  EXPECT_TRUE(last_.suppressions[0].expired);
  EXPECT_TRUE(last_.suppressed.empty());
}

TEST_F(Evaluate, ReleasesBetweenVersionsScanNotesWithRe2) {
  inventory::Inventory inventory;
  inventory.components = {component("cache", "redis", "7.0.5")};
  facts::FactSet facts;
  auto release = [](const char* version, const char* notes) {
    facts::ReleaseNote note;
    note.repository = "redis/redis";
    note.version = version;
    note.notes = notes;
    note.evidence = {"github", std::string("redis/redis@") + version, "", ""};
    return note;
  };
  facts.releases["redis"] = {release("7.2.0", "RDB format changed: a 7.2 RDB cannot be loaded by 7.0 (can't be downgraded)"),
                             release("7.0.6", "bug fixes"), release("7.0.5", "older"), release("7.4.0", "cannot be rolled back")};
  auto findings = run(R"(rule irreversible_upgrade {
  for c in components where any(r in c.releases(after: c.version, upto: "7.2.9") where r.notes ~ /(?i)(cannot|can't) be (downgraded|rolled back)|irreversible/)
  urgency info
  reason rollback_risk
  message "{c.name}: {count(r in c.releases(after: c.version) where r.notes ~ /cannot|can't/)} risky releases ahead"
})", inventory, facts, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "cache: 2 risky releases ahead");
}

TEST_F(Evaluate, PatternsOverOneFieldShareARegexSetWithoutChangingResults) {
  inventory::Inventory inventory;
  inventory.components = {component("cache", "redis", "7.0.5")};
  facts::FactSet facts;
  facts::ReleaseNote note;
  note.version = "7.2.0";
  note.notes = "Breaking: the RDB format changed.";
  facts.releases["redis"] = {note};
  auto findings = run(R"(rule r {
  for c in components where any(r in c.releases where r.notes ~ /(?i)breaking/) and
                            not any(r in c.releases where r.notes ~ /deprecat/) and
                            any(r in c.releases where r.notes !~ /^Bug fixes/) and
                            count(r in c.releases where r.notes ~ /RDB|AOF/) == 1
  urgency info
  message "{c.name}"
})", inventory, facts, day("2026-09-01"));
  EXPECT_EQ(findings.size(), 1u);
}

// A pattern set's answers are remembered by the text's content when it is short (many
// advisories carry one of a few CVSS vectors) and by its address when it is long: equal
// texts in different components share an answer, different texts never do, and a text
// past the content bound is still matched as a whole (its last characters decide here).
TEST_F(Evaluate, PatternSetAnswersAreRememberedByContentWithoutMixingTexts) {
  const std::string long_name = "alpha-" + std::string(300, 'x') + "-2";
  inventory::Inventory inventory;
  inventory.components = {component("alpha-1", "a", "1.0"), component("beta-2", "b", "1.0"),
                          component("alpha-1", "c", "1.0"), component("gamma-3", "d", "1.0"),
                          component(long_name, "e", "1.0"), component(long_name + "3", "f", "1.0")};
  auto findings = run(R"(rule r {
  for c in components where c.name ~ /^alpha/ or c.name ~ /-2$/
  urgency info
  message "{c.product} {c.name ~ /^alpha/} {c.name ~ /-2$/} {c.name !~ /x-2$/}"
})", inventory, facts::FactSet{}, day("2026-09-01"));
  std::vector<std::string> messages;
  for (const auto& finding : findings) messages.push_back(finding.message());
  EXPECT_EQ(messages, (std::vector<std::string>{"a true false true", "b false true true", "c true false true",
                                                "e true true false", "f true false true"}));
}

// One match remembers a def's value by the def and its arguments, whichever call site
// asks (DefMemo): each call must still get the value of its own arguments, whether two
// sites pass the same value, different values, values of different types (a string and
// a number, an undefined date and an undefined string), or a quantifier passes each item
// in turn. The expected messages follow from the language: `"<{x}>"` of a number prints
// it without decimals, of an unknown value "unknown".
TEST_F(Evaluate, ADefCalledFromSeveralSitesGivesEachCallItsOwnValue) {
  inventory::Inventory inventory;
  inventory.components = {component("db", "postgresql", "14.2"), component("cache", "redis", "7.0.5")};
  const char* rules = R"(
def shown(x) = "<{x}>"
def twice(x) = shown(x) + shown(x)
rule each {
  for c in components
  urgency info
  message "{shown(c.name)} {shown(c.product)} {twice(c.name)} {shown(2)} {shown(c.eol.ends)} {shown(c.owner)} {min(shown(o.name) for o in components)} {shown(c.name)}"
}
)";
  auto findings = run(rules, inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message(), "<db> <postgresql> <db><db> <2> <2026-11-12> <unknown> <cache> <db>");
  EXPECT_EQ(findings[1].message(), "<cache> <redis> <cache><cache> <2> <unknown> <unknown> <cache> <cache>");
}

// A quantifier over `components` whose condition starts with `o.FIELD == key` walks only
// the components with that value (nodes.cc, QuantifierNode::Lookup). The same rule with a
// first test the planner does not look through (`defined(o.name) and ...`) scans every
// component: both must give the same findings, messages and evidence, through defs that
// pass the item on, with the key on either side, undefined keys and undefined fields.
TEST_F(Evaluate, QuantifiersLookingUpOneFieldAgreeWithTheScan) {
  inventory::Inventory inventory;
  inventory.components = {component("eu_db", "postgresql", "14.2"), component("us_db", "postgresql", "16.4"),
                          component("us_db2", "postgresql", "16.1"), component("cache", "redis", "7.0.5"),
                          component("tool", "", "1.0"), component("old_db", "postgresql", "12.3")};
  inventory.components[4].kind = "tool";
  const char* rules = R"(
def same(o, c) = $FIRST o.product == c.product and o.name != c.name
def other_line(o, c) = same(o, c) and defined(o.eol) and o.eol.cycle != c.eol.cycle
rule mixed {
  for c in components where defined(c.eol) and any(o in components where other_line(o, c))
  urgency low
  message "{count(o in components where $FIRST o.product == c.product)} {max(o.version for o in components where $FIRST c.product == o.product)} {count(o in components where other_line(o, c))} {sum(1 for o in components where $FIRST o.kind == c.kind)}"
}
rule none_of_mine {
  for c in components
  when count(o in components where $FIRST o.product == c.product) == 0 and not any(o in components where $FIRST o.name == "nobody")
  urgency info
  message "{c.name}"
}
)";
  auto with_first = [&](const std::string& first) {
    std::string text = rules;
    for (size_t at; (at = text.find("$FIRST")) != std::string::npos;) text.replace(at, 6, first);
    return text;
  };
  auto looked_up = run(with_first(""), inventory, postgres_facts(), day("2026-09-01"));
  auto scanned = run(with_first("defined(o.name) and"), inventory, postgres_facts(), day("2026-09-01"));
  ASSERT_EQ(looked_up.size(), scanned.size());
  ASSERT_EQ(looked_up.size(), 5u);  // four PostgreSQL lines are mixed; the tool has no product
  for (size_t i = 0; i < looked_up.size(); ++i) {
    EXPECT_EQ(looked_up[i].components, scanned[i].components) << i;
    EXPECT_EQ(looked_up[i].message(), scanned[i].message()) << i;
    ASSERT_EQ(looked_up[i].evidence().size(), scanned[i].evidence().size()) << i;
    for (size_t e = 0; e < looked_up[i].evidence().size(); ++e) EXPECT_EQ(looked_up[i].evidence()[e].id, scanned[i].evidence()[e].id);
    ASSERT_EQ(looked_up[i].cycles.size(), scanned[i].cycles.size()) << i;
  }
  EXPECT_EQ(looked_up[0].message(), "4 16.4 3 0");  // eu_db: 14 beside 16, 16 and 12; no kind, so no sum
  EXPECT_EQ(looked_up.back().message(), "tool");
}

// A quantifier over `components` whose first test is pure but no one field's lookup (the
// Kubernetes pack's "the clusters this manifest may run on") walks only the components
// that pass it, listed once per value of what the test reads besides the item (nodes.cc,
// QuantifierNode::Prefilter). The same rules with a first test the planner does not look
// through (`defined(k.name) and ...`) scan every component: both must give the same
// findings, messages and order, with keys from a def's argument, undefined keys, and a
// test that reads another component (no key: scanned either way), on 1 and 3 threads.
TEST_F(Evaluate, QuantifiersPrefilteredByAPureFirstTestAgreeWithTheScan) {
  inventory::Inventory inventory;
  inventory.components = {component("eks", "amazon-eks", "1.29"), component("k8s", "kubernetes", "1.31"),
                          component("db", "postgresql", "14.2"),  component("api1", "", "1"),
                          component("api2", "", "1"),             component("cache", "redis", "7.0.5"),
                          component("edge", "", "2")};
  inventory.components[0].kind = "cluster";
  inventory.components[0].cluster = "prod";
  inventory.components[1].cluster = "dev";
  for (size_t api : {3, 4, 6}) inventory.components[api].kind = "kubernetes-api";
  inventory.components[3].cluster = "prod";
  inventory.components[4].cluster = "dev";
  const char* rules = R"(
def serves(c) = if c.kind == "kubernetes-api" then "kubernetes" else c.product
def runs(k, product) =
  if product == "kubernetes"
  then k.kind == "cluster" or k.product in ["kubernetes", "amazon-eks"]
  else k.product == product or k.name == product
def server(c) = max(k.version for k in components where $FIRST runs(k, serves(c)) and related(c, k))
rule server_of {
  for c in components where defined(server(c)) or c.kind == "kubernetes-api"
  urgency low
  message "{server(c)} {count(k in components where $FIRST runs(k, serves(c)))} {count(k in components where $FIRST k.kind != c.kind)}"
}
)";
  auto with_first = [&](const std::string& first) {
    std::string text = rules;
    for (size_t at; (at = text.find("$FIRST")) != std::string::npos;) text.replace(at, 6, first);
    return text;
  };
  auto prefiltered = run(with_first(""), inventory, postgres_facts(), day("2026-09-01"));
  auto scanned = run(with_first("defined(k.name) and"), inventory, postgres_facts(), day("2026-09-01"));
  auto threaded = run(with_first(""), inventory, postgres_facts(), day("2026-09-01"), 3);
  ASSERT_EQ(prefiltered.size(), scanned.size());
  ASSERT_EQ(prefiltered.size(), threaded.size());
  for (size_t i = 0; i < prefiltered.size(); ++i) {
    EXPECT_EQ(prefiltered[i].components, scanned[i].components) << i;
    EXPECT_EQ(prefiltered[i].message(), scanned[i].message()) << i;
    EXPECT_EQ(threaded[i].message(), scanned[i].message()) << i;
  }
  std::vector<std::string> messages;
  for (const Finding& finding : prefiltered) messages.push_back(finding.message().substr(0, finding.message().rfind(' ')));
  // Each component is served by itself; an API by the clusters of its own cluster (api1:
  // the prod EKS cluster), or by both when it names none (edge).
  EXPECT_EQ(messages, (std::vector<std::string>{"1.29 1", "1.31 2", "14.2 1", "1.29 2", "1.31 2", "7.0.5 1", "1.31 2"}));
}

// A Bitnami (product-level, SEMVER) package entry: postgresql from 12.0.0, fixed in 12.20.0.
facts::AffectedPackage bitnami_postgresql_below_12_20() {
  facts::AffectedPackage package;
  package.ecosystem = "Bitnami";
  package.name = "postgresql";
  package.scheme = versions::Scheme::kSemver;
  facts::AffectedRange range;
  range.type = "SEMVER";
  range.events = {{"introduced", "12.0.0"}, {"fixed", "12.20.0"}};
  range.range = versions::Range::from_osv_events(versions::Scheme::kSemver, range.events).value();
  package.ranges.push_back(range);
  return package;
}

TEST_F(Evaluate, FetchedAdvisoriesMatchGenericVersionsAgainstSemverRanges) {
  inventory::Inventory inventory;
  inventory.components = {component("db-old", "postgresql", "12.4"), component("db-new", "postgresql", "12.22"),
                          component("other", "redis", "12.4")};
  facts::FactSet facts;
  facts::Advisory advisory;
  advisory.id = "BIT-postgresql-2024-0001";
  advisory.evidence = {"osv", advisory.id, "", ""};
  advisory.affected.push_back(bitnami_postgresql_below_12_20());
  facts.advisories[advisory.id] = advisory;
  auto findings = run(R"(rule r {
  for c in components where count(a in c.advisories) > 0
  urgency medium
  message "{c.name} fixed in {max(a.fixed for a in c.advisories)}"
})", inventory, facts, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(), "db-old fixed in 12.20.0");
}

// The shipped SSVC pack over a fetched advisory with no CVSS vector: the vendor's label
// stands in for severity and the finding says so; an EXPLOIT reference is a public PoC.
TEST_F(Evaluate, SsvcPackReadsExploitReferencesAndFallsBackToTheSeverityLabel) {
  inventory::Inventory inventory;
  inventory.components = {component("db", "postgresql", "12.4", "internet")};
  inventory.components[0].criticality = "high";
  facts::FactSet facts;
  facts::Advisory advisory;
  advisory.id = "BIT-postgresql-2024-0002";
  advisory.severity_label = "HIGH";
  advisory.published = Date::parse("2026-08-01");
  advisory.references = {{"WEB", "https://example.org/blog"}, {"EXPLOIT", "https://example.org/poc"}};
  advisory.evidence = {"osv", advisory.id, "", ""};
  advisory.affected.push_back(bitnami_postgresql_below_12_20());
  facts.advisories[advisory.id] = advisory;
  std::ifstream pack(std::string(UPRANK_SOURCE_DIR) + "/rules/ssvc/ssvc.upr");
  auto findings = run(std::string(std::istreambuf_iterator<char>(pack), {}), inventory, facts, day("2026-09-01"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message(),
            "track*: BIT-postgresql-2024-0002 (severity from vendor label HIGH) of 1 advisory(ies); BOD 26-04: 60 "
            "days, due 2026-09-30");
  std::vector<std::string> path;
  for (const auto& step : findings[0].decision_path()) path.push_back(step.point + "=" + step.value + " (" + step.because + ")");
  EXPECT_EQ(path.at(0), "Exploitation=public poc (exploit reference https://example.org/poc)");
  EXPECT_EQ(path.at(1), "Automatable=no (no CVSS vector)");
  EXPECT_EQ(path.at(2), "Technical Impact=partial (no CVSS vector; vendor severity label HIGH)");
  EXPECT_EQ(path.at(3), "Mission and Well-Being=high (criticality high)");
}

}  // namespace
}  // namespace uprank::evaluator

namespace uprank::evaluator {
namespace {

// What is not known on a day does not exist on it (known_by, docs/targets.md): the join
// as of a day leaves out every fact published after it, and a later day evaluated by the
// same Evaluator (Coming due) still sees only what the joined day knew. Dates from real
// data: Apache published CVE-2021-42013 with 2.4.51 on 2021-10-07, CISA added it to KEV on
// 2021-11-03, Bitnami published BIT-apache-2021-42013 on 2024-03-06, PostgreSQL 14 was
// released 2021-09-30.
class KnownOnTheDay : public Evaluate {
 protected:
  facts::FactSet facts_ = make_facts();
  inventory::Inventory inventory_ = make_inventory();

  static facts::Advisory advisory(const char* id, const char* published, const char* ecosystem_name) {
    facts::Advisory a;
    a.id = id;
    a.aliases = {"CVE-2021-42013"};
    a.published = Date::parse(published);
    a.evidence = {"osv", a.id, "", ""};
    facts::AffectedPackage package;
    package.ecosystem = "rules";
    package.name = ecosystem_name;
    a.affected.push_back(package);
    return a;
  }
  static facts::FactSet make_facts() {
    facts::FactSet facts = postgres_facts();
    facts.products["postgresql"].cycles[1].released = Date::parse("2021-09-30");  // "14"
    facts.advisories["APACHE-CVE-2021-42013"] = advisory("APACHE-CVE-2021-42013", "2021-10-07", "web");
    facts.advisories["BIT-apache-2021-42013"] = advisory("BIT-apache-2021-42013", "2024-03-06", "web");
    facts::KevEntry kev;
    kev.cve = "CVE-2021-42013";
    kev.date_added = Date::parse("2021-11-03");
    facts.kev[kev.cve] = kev;
    facts::EpssScore epss;
    epss.cve = "CVE-2021-42013";
    epss.score = 0.94;
    epss.date = Date::parse("2025-02-20");
    facts.epss[epss.cve] = epss;
    return facts;
  }
  static inventory::Inventory make_inventory() {
    inventory::Inventory inventory;
    inventory.components = {component("web", "apache-http-server", "2.4.49"), component("db", "postgresql", "14.1")};
    return inventory;
  }
  static constexpr const char* kRules = R"(rule advisories {
  for c in components where count(a in c.advisories) > 0
  urgency medium
  message "{c.name}: {count(a in c.advisories)} advisories, {count(a in c.advisories where a.exploited)} exploited, {count(a in c.advisories where a.epss > 0)} scored"
}
rule cycle {
  for c in components where c.eol.cycle != ""
  urgency low
  message "{c.name} runs {c.eol.cycle}"
})";
  std::vector<std::string> messages(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings) out.push_back(f.message());
    return out;
  }
};

TEST_F(KnownOnTheDay, APastDaySeesOnlyWhatWasPublishedByThen) {
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2021-09-01"))), std::vector<std::string>{})
      << "before Apache's advisory and before PostgreSQL 14 was released";
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2021-10-20"))),
            (std::vector<std::string>{"web: 1 advisories, 0 exploited, 0 scored", "db runs 14"}));
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2021-11-03"))),
            (std::vector<std::string>{"web: 1 advisories, 1 exploited, 0 scored", "db runs 14"}))
      << "a KEV entry is known on the day it is added";
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2026-09-01"))),
            (std::vector<std::string>{"web: 2 advisories, 2 exploited, 2 scored", "db runs 14"}));
}

TEST_F(KnownOnTheDay, LaterDaysOfOneEvaluatorSeeWhatTheJoinedDayKnew) {
  auto parsed = grammar::parse_file(kRules, "test.upr");
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  auto compiled = compiler::compile(files);
  ASSERT_TRUE(compiled.program);
  EvaluationOptions options;
  options.threads = 1;
  Evaluator evaluator(*compiled.program, inventory_, facts_, day("2021-10-20"), options);
  // Coming due: what rises by a later day, with what is known today; the KEV entry of
  // 2021-11-03 is not known on 2021-10-20, so it does not rise on 2021-11-18 either.
  EXPECT_EQ(messages(evaluator.evaluate(day("2021-11-18")).findings),
            (std::vector<std::string>{"web: 1 advisories, 0 exploited, 0 scored", "db runs 14"}));
  EXPECT_EQ(messages(evaluator.evaluate(day("2021-09-01")).findings), std::vector<std::string>{})
      << "an earlier day knew less";
}

TEST_F(KnownOnTheDay, AnAdvisoryWithdrawnLaterStillStoodThatDay) {
  facts_.advisories["BIT-apache-2021-42013"].withdrawn = Date::parse("2025-01-01");
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2024-06-01"))).at(0), "web: 2 advisories, 2 exploited, 0 scored");
  EXPECT_EQ(messages(run(kRules, inventory_, facts_, day("2025-01-01"))).at(0), "web: 1 advisories, 1 exploited, 0 scored");
}

// A cycle's latest release is known on a day only when it came out by then: a replay reads
// the newest release of the line that release-data dates on or before the day. Dates from
// endoflife.date (data/snapshot.json): PostgreSQL 12.8 on 2021-08-09, 12.9 on 2021-11-08,
// 12.22 (the cycle's latest) on 2024-11-18; 12 was released 2019-10-03.
class LatestKnownOnTheDay : public Evaluate {
 protected:
  static facts::FactSet make_facts(bool with_release_data) {
    facts::FactSet facts = postgres_facts();
    facts::EolCycle& twelve = facts.products["postgresql"].cycles[2];
    twelve.released = Date::parse("2019-10-03");
    twelve.latest_date = Date::parse("2024-11-18");
    if (with_release_data) {
      facts::ProductReleases& list = facts.released["postgresql"];
      list.product = "postgresql";
      for (const auto& [version, date] : std::vector<std::pair<const char*, const char*>>{
               {"12.22", "2024-11-18"}, {"12.9", "2021-11-08"}, {"12.8", "2021-08-09"}, {"12.7", "2021-05-10"}}) {
        list.versions.push_back(facts::ProductRelease{version, Date::parse(date)});
      }
    }
    return facts;
  }
  std::vector<std::string> messages(const inventory::Inventory& inventory, const facts::FactSet& facts, const char* today) {
    std::vector<std::string> out;
    for (const Finding& f : run(R"upr(rule newer_patch_available {
  for c in components where c.version < c.eol.latest
  urgency low
  message "{c.product} {c.eol.latest} ({c.eol.latest_date}) is the latest {c.eol.cycle} release (running {c.version})"
})upr", inventory, facts, day(today))) {
      out.push_back(f.message());
    }
    return out;
  }
};

TEST_F(LatestKnownOnTheDay, APastDayReadsTheNewestReleaseDatedByThen) {
  inventory::Inventory inventory;
  inventory.components = {component("old", "postgresql", "12.4"), component("current", "postgresql", "12.8")};
  facts::FactSet facts = make_facts(true);
  EXPECT_EQ(messages(inventory, facts, "2021-10-20"),
            std::vector<std::string>{"postgresql 12.8 (2021-08-09) is the latest 12 release (running 12.4)"})
      << "12.22 came out in 2024: on 2021-10-20 the newest 12 release was 12.8, which 'current' runs";
  EXPECT_EQ(messages(inventory, facts, "2021-11-08").at(1), "postgresql 12.9 (2021-11-08) is the latest 12 release (running 12.8)");
  EXPECT_EQ(messages(inventory, facts, "2026-09-01").at(0), "postgresql 12.22 (2024-11-18) is the latest 12 release (running 12.4)")
      << "on a day after the data's latest, the latest as fetched";
}

TEST_F(LatestKnownOnTheDay, NothingDatedByThenIsNoLatest) {
  inventory::Inventory inventory;
  inventory.components = {component("old", "postgresql", "12.4")};
  // Without release-data nothing tells which 12 release was out on 2021-10-20: the rule
  // does not fire rather than take 2024's 12.22 for it.
  EXPECT_EQ(messages(inventory, make_facts(false), "2021-10-20"), std::vector<std::string>{});
  EXPECT_EQ(messages(inventory, make_facts(true), "2021-05-01"), std::vector<std::string>{})
      << "release-data's first 12 release is of 2021-05-10";
}

TEST(LatestKnownOn, ReadsTheCycleLatestOrTheReleaseDataAsOfTheDay) {
  facts::FactSet facts;
  facts::EolCycle eleven;
  eleven.product = "debian";
  eleven.cycle = "11";
  eleven.released = Date::parse("2021-08-14");
  eleven.latest = "11.11";
  eleven.latest_date = Date::parse("2024-08-31");
  facts.products["debian"].cycles.push_back(eleven);
  facts.released["debian"].versions = {{"11.11", Date::parse("2024-08-31")}, {"11.8", Date::parse("2023-10-07")},
                                       {"11.7", Date::parse("2023-04-29")}, {"12.1", Date::parse("2023-07-22")}};
  const facts::EolCycle& cycle = facts.products["debian"].cycles[0];
  EXPECT_EQ(facts.latest_known_on(cycle, day("2026-09-01"))->version, "11.11");
  EXPECT_EQ(facts.latest_known_on(cycle, day("2023-12-01"))->version, "11.8");
  EXPECT_EQ(facts.latest_known_on(cycle, day("2023-12-01"))->date, Date::parse("2023-10-07"));
  EXPECT_FALSE(facts.latest_known_on(cycle, day("2022-01-01"))) << "Debian's release-data begins at 11.7 (2023-04-29)";
  facts.products["debian"].cycles[0].latest_date.reset();
  EXPECT_EQ(facts.latest_known_on(cycle, day("2022-01-01"))->version, "11.11") << "an undated latest, as every undated fact, is known";
}

TEST(KnownBy, AFactWithoutADateIsAlwaysKnown) {
  EXPECT_TRUE(known_by(std::nullopt, day("1970-01-01")));
  EXPECT_TRUE(known_by(Date::parse("2021-11-03"), day("2021-11-03")));
  EXPECT_FALSE(known_by(Date::parse("2021-11-03"), day("2021-11-02")));
}

}  // namespace
}  // namespace uprank::evaluator
