// Pin groups (engine/evaluator/grouping.h): a rule that reads only pins runs once per
// group of alike components, and every component still gets its own finding, location,
// fingerprint and suppression; made-up end-of-life cycles are one per product and line.
#include <gtest/gtest.h>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/grouping.h"
#include "engine/evaluator/joins.h"
#include "engine/report/fingerprint.h"
#include "grammar/parser.h"

namespace uprank::evaluator {
namespace {

Date day(const char* text) { return *Date::parse(text); }

// Postgres 12 (ended) and 16; an advisory for 12 through the Bitnami product entry.
facts::FactSet facts_for_postgres() {
  facts::FactSet facts;
  facts::EolProduct product{"postgresql", "PostgreSQL", {}};
  for (const char* name : {"16", "12"}) {
    facts::EolCycle cycle;
    cycle.product = "postgresql";
    cycle.cycle = name;
    cycle.security_ends = Date::parse(std::string(name) == "12" ? "2024-11-21" : "2028-11-09");
    cycle.evidence = {"endoflife", std::string("postgresql/") + name, "https://endoflife.date/postgresql", ""};
    product.cycles.push_back(cycle);
  }
  facts.products["postgresql"] = product;
  facts::Advisory advisory;
  advisory.id = "BIT-1";
  advisory.evidence = {"osv", "BIT-1", "", ""};
  facts::AffectedPackage package;
  package.ecosystem = "Bitnami";
  package.name = "postgresql";
  package.scheme = versions::Scheme::kSemver;
  facts::AffectedRange range;
  range.type = "SEMVER";
  range.events = {{"introduced", "12.0.0"}, {"fixed", "12.20.0"}};
  range.range = versions::Range::from_osv_events(versions::Scheme::kSemver, range.events).value();
  package.ranges.push_back(std::move(range));
  advisory.affected.push_back(std::move(package));
  facts.advisories[advisory.id] = advisory;
  return facts;
}

// The same pin of postgres in `file` at `line`.
inventory::Component pin(std::string file, int line, std::string version = "12.4") {
  inventory::Component c;
  c.name = "postgres@" + version + " (" + file + ")";
  c.product = "postgresql";
  c.version_text = version;
  c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
  c.location = SourceLocation{file, line, 6};
  c.repository_path = file;
  return c;
}

class Grouping : public ::testing::Test {
 protected:
  std::shared_ptr<const compiler::Program> compile(const std::string& rules) {
    auto parsed = grammar::parse_file(rules, "test.upr");
    EXPECT_TRUE(parsed.diagnostics.empty());
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    auto compiled = compiler::compile(files);
    for (const auto& d : compiled.diagnostics) EXPECT_NE(d.severity, Severity::kError) << render_diagnostic(d);
    return compiled.program;
  }
  Evaluation run(const compiler::Program& program, bool group_pins) {
    EvaluationOptions options;
    options.threads = 1;
    options.group_pins = group_pins;
    return evaluate_rules(program, inventory_, facts_, day("2026-09-01"), options);
  }

  facts::FactSet facts_ = facts_for_postgres();
  inventory::Inventory inventory_;
};

constexpr const char* kPinRule = R"(
rule old {
  for c in components where c.eol.ended
  urgency high
  message "{c.product} {c.eol.cycle}: {count(a in c.advisories)} advisory(ies), fixed in {max(a.fixed for a in c.advisories)}"
  target  supported_target(c, today)
}
suppress old where c.file == "b/Dockerfile" until 2027-01-01 because "owner: waiting for b"
)";

TEST_F(Grouping, IdenticalPinsInDifferentFilesKeepTheirOwnLocationsFingerprintsAndSuppressions) {
  inventory_.components = {pin("a/Dockerfile", 2), pin("b/Dockerfile", 7), pin("c/compose.yaml", 4),
                           pin("d/Dockerfile", 1, "16.1")};
  auto program = compile(kPinRule);
  ASSERT_TRUE(internal::rule_reads(program->rules()[0]).groupable);
  Evaluation grouped = run(*program, true);
  Evaluation each = run(*program, false);

  // b's finding is suppressed by its file, a's and c's are not; 16.1 is supported.
  ASSERT_EQ(grouped.findings.size(), 2u);
  ASSERT_EQ(grouped.suppressed.size(), 1u);
  EXPECT_EQ(grouped.suppressed[0].components, std::vector<size_t>{1});
  ASSERT_EQ(each.findings.size(), grouped.findings.size());
  std::vector<std::string> fingerprints;
  for (size_t i = 0; i < grouped.findings.size(); ++i) {
    const Finding& mine = grouped.findings[i];
    const Finding& theirs = each.findings[i];
    EXPECT_EQ(mine.components, theirs.components);
    EXPECT_EQ(mine.message, theirs.message);
    EXPECT_EQ(mine.target, theirs.target);
    ASSERT_EQ(mine.advisories.size(), 1u);
    ASSERT_EQ(mine.cycles.size(), 1u);
    // The evidence names this finding's component, not the group's first.
    EXPECT_EQ(mine.advisories[0].component, mine.components[0]);
    EXPECT_EQ(mine.cycles[0].component, mine.components[0]);
    EXPECT_EQ(mine.advisories[0].component, theirs.advisories[0].component);
    EXPECT_EQ(mine.cycles[0].component, theirs.cycles[0].component);
    fingerprints.push_back(report::fingerprint_of(mine, inventory_, ""));
    EXPECT_EQ(fingerprints.back(), report::fingerprint_of(theirs, inventory_, ""));
  }
  EXPECT_EQ(grouped.findings[0].components, std::vector<size_t>{0});
  EXPECT_EQ(grouped.findings[1].components, std::vector<size_t>{2});
  EXPECT_NE(fingerprints[0], fingerprints[1]);  // a/Dockerfile and c/compose.yaml
  EXPECT_EQ(grouped.findings[0].message, "postgresql 12: 1 advisory(ies), fixed in 12.20.0");
}

TEST_F(Grouping, RulesThatTellPinsApartAreNotGrouped) {
  auto reads = [&](const std::string& clause) {
    auto program = compile("rule r {\n  for c in components where " + clause + "\n  urgency high\n  message \"x\"\n}\n");
    return internal::rule_reads(program->rules()[0]);
  };
  EXPECT_TRUE(reads("c.eol.ended").groupable);
  EXPECT_TRUE(reads("any(o in components where o.product == c.product and o.eol.cycle != c.eol.cycle)").groupable);
  EXPECT_FALSE(reads("c.eol.ended").attributes);
  EXPECT_TRUE(reads("c.attribute(\"team\") == \"x\"").attributes);
  EXPECT_FALSE(reads("c.name == \"x\"").groupable);
  EXPECT_FALSE(reads("c.file == \"x\"").groupable);
  EXPECT_FALSE(reads("c.line > 1").groupable);
  EXPECT_FALSE(reads("len(c.releases) > 0").groupable);
  EXPECT_FALSE(reads("any(o in components where related(o, c))").groupable);
  EXPECT_FALSE(reads("string(c) == \"x\"").groupable);
}

TEST_F(Grouping, ComponentsThatDifferInAnyReadFieldAreInDifferentGroups) {
  inventory_.components = {pin("a/Dockerfile", 2), pin("b/Dockerfile", 7), pin("c/Dockerfile", 3)};
  inventory_.components[2].exposure = "internet";
  compiler::EvaluationContext context;
  context.inventory = &inventory_;
  context.facts = &facts_;
  for (const auto& c : inventory_.components) {
    context.cycle_of_component.push_back(eol_cycle_of(facts_, c, day("2026-09-01"), context.cycles_before_known));
  }
  std::vector<uint32_t> groups = internal::pin_groups(context, false);
  EXPECT_EQ(groups[0], groups[1]);  // only name and location differ
  EXPECT_NE(groups[0], groups[2]);
  internal::RepresentativePicker picker;
  internal::Representatives first = picker.pick(groups, {0, 1, 2});
  EXPECT_EQ(first.components, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(first.of_candidate, (std::vector<size_t>{0, 0, 1}));
  // A later pick starts afresh: the marks of the first are of an older generation.
  internal::Representatives second = picker.pick(groups, {1, 2});
  EXPECT_EQ(second.components, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(second.of_candidate, (std::vector<size_t>{0, 1}));
}

TEST_F(Grouping, OneMadeUpCyclePerProductAndLine) {
  // 9.6 and 9.5 are older than every cycle the data knows (12 is the oldest).
  inventory_.components = {pin("a", 1, "9.6.1"), pin("b", 1, "9.6.2"), pin("c", 1, "9.5.0")};
  inventory_.components[0].cycle = inventory_.components[1].cycle = "9.6";
  inventory_.components[2].cycle = "9.5";
  facts::MadeUpCycles made_up;
  const facts::EolCycle* a = eol_cycle_of(facts_, inventory_.components[0], day("2026-09-01"), made_up);
  const facts::EolCycle* b = eol_cycle_of(facts_, inventory_.components[1], day("2026-09-01"), made_up);
  const facts::EolCycle* c = eol_cycle_of(facts_, inventory_.components[2], day("2026-09-01"), made_up);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a, b);  // one line, one cycle
  EXPECT_NE(a, c);
  EXPECT_EQ(made_up.cycles.size(), 2u);
  EXPECT_EQ(a->cycle, "9.6");
  EXPECT_TRUE(a->security_ended(day("2026-09-01")));
  EXPECT_EQ(a->evidence.id, "postgresql/9.6 (older than the oldest known cycle, 12)");

  // A finding that reads every pin's cycle records the shared one once.
  auto program = compile(R"(rule lines {
  for c in components where count(o in components where o.eol.ended) > 0
  urgency low
  message "x"
})");
  Evaluation evaluation = run(*program, true);
  ASSERT_EQ(evaluation.findings.size(), 3u);
  EXPECT_EQ(evaluation.findings[0].cycles.size(), 2u);  // 9.6 (its own) and 9.5, each once
  EXPECT_EQ(evaluation.joined->cycles_before_known.cycles.size(), 2u);
}

}  // namespace
}  // namespace uprank::evaluator
