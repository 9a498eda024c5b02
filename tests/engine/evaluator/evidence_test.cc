// Structured evidence on findings: which advisory matches and end-of-life cycles a rule
// read, for which bound component, and that they stay valid after evaluation returns.
#include <gtest/gtest.h>

#include <functional>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/grouping.h"
#include "engine/evaluator/joins.h"
#include "engine/report/fingerprint.h"
#include "grammar/parser.h"

namespace uprank::evaluator {
namespace {

Date day(const char* text) { return *Date::parse(text); }

inventory::Component component(std::string name, std::string product, std::string version) {
  inventory::Component c;
  c.name = std::move(name);
  c.product = std::move(product);
  c.version_text = version;
  c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
  return c;
}

facts::AffectedPackage bitnami_postgresql(std::vector<versions::Range::OsvEvent> events) {
  facts::AffectedPackage package;
  package.ecosystem = "Bitnami";
  package.name = "postgresql";
  package.scheme = versions::Scheme::kSemver;
  facts::AffectedRange range;
  range.type = "SEMVER";
  range.events = std::move(events);
  range.range = versions::Range::from_osv_events(versions::Scheme::kSemver, range.events).value();
  package.ranges.push_back(std::move(range));
  return package;
}

facts::Advisory advisory(std::string id, std::string alias) {
  facts::Advisory item;
  item.id = std::move(id);
  item.aliases = {std::move(alias)};
  item.evidence = {"osv", item.id, "https://osv.dev/vulnerability/" + item.id, "2026-08-22T00:00:00Z"};
  return item;
}

// Postgres 12 (ended) and 16 cycles; two Bitnami advisories: BIT-2 lists the package twice
// (12.0.0 until 12.5.0, and 12.2.0 until 12.20.0), BIT-1 once; CVE-1 is in KEV and EPSS.
facts::FactSet fleet_facts() {
  facts::FactSet facts;
  facts::EolProduct product{"postgresql", "PostgreSQL", {}};
  for (const char* name : {"16", "12"}) {
    facts::EolCycle cycle;
    cycle.product = "postgresql";
    cycle.cycle = name;
    cycle.security_ends = Date::parse(std::string(name) == "12" ? "2024-11-21" : "2028-11-09");
    cycle.evidence = {"endoflife", std::string("postgresql/") + name, "https://endoflife.date/postgresql", "2026-08-22T00:00:00Z"};
    product.cycles.push_back(cycle);
  }
  facts.products["postgresql"] = product;
  facts::Advisory one = advisory("BIT-1", "CVE-1");
  one.affected.push_back(bitnami_postgresql({{"introduced", "12.0.0"}, {"fixed", "12.20.0"}}));
  facts::Advisory two = advisory("BIT-2", "CVE-2");
  two.affected.push_back(bitnami_postgresql({{"introduced", "12.0.0"}, {"fixed", "12.5.0"}}));
  two.affected.push_back(bitnami_postgresql({{"introduced", "12.2.0"}, {"fixed", "12.20.0"}}));
  facts.advisories[one.id] = one;
  facts.advisories[two.id] = two;
  facts.kev["CVE-1"] = facts::KevEntry{"CVE-1", "PostgreSQL", "PostgreSQL", "test", Date::parse("2024-05-01"),
                                       Date::parse("2024-05-22"), true, "", "", {}, {"kev", "CVE-1", "", ""}};
  facts.epss["CVE-1"] = facts::EpssScore{"CVE-1", 0.5, 0.97, Date::parse("2026-08-20"), "", {"epss", "CVE-1", "", ""}};
  return facts;
}

class Evidence : public ::testing::Test {
 protected:
  Evaluation run(const std::string& rules, int threads = 1, bool group_pins = true) {
    auto parsed = grammar::parse_file(rules, "test.upr");
    EXPECT_TRUE(parsed.diagnostics.empty());
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    auto compiled = compiler::compile(files);
    for (const auto& d : compiled.diagnostics) EXPECT_NE(d.severity, Severity::kError) << render_diagnostic(d);
    program_ = compiled.program;
    EvaluationOptions options;
    options.threads = threads;
    options.group_pins = group_pins;
    return evaluate_rules(*program_, inventory_, facts_, day("2026-09-01"), options);
  }

  facts::FactSet facts_ = fleet_facts();
  inventory::Inventory inventory_;
  std::shared_ptr<const compiler::Program> program_;
};

TEST_F(Evidence, RecordsEachAdvisoryReadOnceWithTheEntryItsFixComesFrom) {
  inventory_.components = {component("db", "postgresql", "12.4")};
  Evaluation evaluation = run(R"(rule r {
  for c in components where count(a in c.advisories where a.cvss > 0 or a.exploited or a.epss > 0) >= 0
  urgency high
  message "{count(a in c.advisories)}: {max(a.fixed for a in c.advisories)}"
})");
  ASSERT_EQ(evaluation.findings.size(), 1u);
  const Finding& finding = evaluation.findings[0];
  ASSERT_EQ(finding.advisories.size(), 2u);  // read many times, recorded once each, by id
  const compiler::AdvisoryMatch& one = *finding.advisories[0].match;
  const compiler::AdvisoryMatch& two = *finding.advisories[1].match;
  EXPECT_EQ(one.advisory->id, "BIT-1");
  EXPECT_EQ(two.advisory->id, "BIT-2");
  EXPECT_EQ(finding.advisories[0].component, 0u);
  // 12.4 is in both entries of BIT-2; the first fixes it in 12.5.0, the lowest fix.
  ASSERT_NE(two.affected, nullptr);
  EXPECT_EQ(two.affected, &facts_.advisories.at("BIT-2").affected[0]);
  EXPECT_EQ(two.fixed->text(), "12.5.0");
  EXPECT_EQ(one.kev, &facts_.kev.at("CVE-1"));
  EXPECT_EQ(one.epss, &facts_.epss.at("CVE-1"));
  EXPECT_EQ(two.kev, nullptr);
  EXPECT_TRUE(finding.cycles.empty());  // the rule never read c.eol
}

TEST_F(Evidence, AnEntryThatAloneMatchesIsTheOneRecorded) {
  inventory_.components = {component("db", "postgresql", "12.10")};  // past 12.5.0: only BIT-2's second entry
  Evaluation evaluation = run(R"(rule r {
  for c in components where any(a in c.advisories where a.id == "BIT-2")
  urgency high
  message "x"
})");
  ASSERT_EQ(evaluation.findings.size(), 1u);
  const auto& records = evaluation.findings[0].advisories;
  // `where` read BIT-1's id too: what the rule looked at is what the evidence shows.
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].match->affected, &facts_.advisories.at("BIT-2").affected[1]);
  EXPECT_EQ(records[1].match->fixed->text(), "12.20.0");
}

TEST_F(Evidence, RecordsPointIntoTheJoinedFactsTheEvaluationKeeps) {
  inventory_.components = {component("ancient", "postgresql", "9.6.1"), component("db", "postgresql", "12.4")};
  facts_.released["postgresql"] = facts::ProductReleases{"postgresql", {{"12.22", Date::parse("2024-11-18")}}, {}};
  Evaluation evaluation = run(R"(rule r {
  for c in components where c.eol.ended
  urgency high
  message "{c.eol.cycle} {count(a in c.advisories where a.in_kev)}"
})");
  ASSERT_EQ(evaluation.findings.size(), 2u);
  ASSERT_NE(evaluation.joined, nullptr);
  // 9.6 is older than every known cycle: its made-up cycle lives in the evaluation.
  const Finding& ancient = evaluation.findings[0];
  ASSERT_EQ(ancient.cycles.size(), 1u);
  ASSERT_EQ(evaluation.joined->cycles_before_known.cycles.size(), 1u);
  EXPECT_EQ(ancient.cycles[0].cycle, &evaluation.joined->cycles_before_known.cycles[0]);
  EXPECT_EQ(ancient.cycles[0].component, 0u);
  const Finding& db = evaluation.findings[1];
  ASSERT_EQ(db.cycles.size(), 1u);
  EXPECT_EQ(db.cycles[0].cycle, &facts_.products.at("postgresql").cycles[1]);
  EXPECT_EQ(db.cycles[0].component, 1u);
  EXPECT_EQ(db.cycles[0].releases, &facts_.released.at("postgresql"));  // the product's release-data
  ASSERT_EQ(db.advisories.size(), 2u);
  bool inside = false;
  for (const auto& list : evaluation.joined->advisory_lists) {
    std::less<const compiler::AdvisoryMatch*> before;
    inside = inside || (!list.empty() && !before(db.advisories[0].match, list.data()) &&
                        before(db.advisories[0].match, list.data() + list.size()));
  }
  EXPECT_TRUE(inside);
}

TEST_F(Evidence, JoinsRecordTheBoundComponentWhoseFactsWereRead) {
  inventory_.components = {component("app", "billing", "1.0"), component("db", "postgresql", "12.4")};
  Evaluation evaluation = run(R"(rule r {
  for app in components("billing"), db in components where db.eol.ended and any(a in db.advisories where a.exploited)
  urgency high
  message "{app.name} uses {db.name}"
})");
  ASSERT_EQ(evaluation.findings.size(), 1u);
  const Finding& finding = evaluation.findings[0];
  EXPECT_EQ(finding.components, (std::vector<size_t>{0, 1}));
  ASSERT_EQ(finding.cycles.size(), 1u);
  EXPECT_EQ(finding.cycles[0].component, 1u);
  ASSERT_FALSE(finding.advisories.empty());
  for (const auto& record : finding.advisories) EXPECT_EQ(record.component, 1u);
}

TEST_F(Evidence, ThreadsDoNotChangeTheRecords) {
  for (int i = 0; i < 300; ++i) {
    inventory_.components.push_back(component("db-" + std::to_string(i), "postgresql", i % 2 ? "12.4" : "12.10"));
  }
  const std::string rules = R"(rule r {
  for c in components where count(a in c.advisories where a.cvss > 0 or a.epss > 0.1) > 0 and c.eol.ended
  urgency high
  message "{c.name}"
})";
  auto describe = [](const Evaluation& evaluation) {
    std::vector<std::string> out;
    for (const Finding& finding : evaluation.findings) {
      std::string line = finding.message();
      for (const auto& r : finding.advisories) line += " " + r.match->advisory->id + "@" + std::to_string(r.component);
      for (const auto& r : finding.cycles) line += " " + r.cycle->cycle + "@" + std::to_string(r.component);
      out.push_back(line);
    }
    return out;
  };
  auto one = describe(run(rules, 1));
  ASSERT_EQ(one.size(), 300u);
  EXPECT_EQ(one[0], "db-0 BIT-1@0 BIT-2@0 12@0");
  EXPECT_EQ(describe(run(rules, 4)), one);
}

// ---- Pin groups (engine/evaluator/grouping.h) and made-up cycles ----------------------

// The same pin of postgres in `file` at `line`.
inventory::Component pin(std::string file, int line, std::string version = "12.4") {
  inventory::Component c = component("postgres@" + version + " (" + file + ")", "postgresql", version);
  c.location = SourceLocation{file, line, 6};
  c.repository_path = file;
  return c;
}

constexpr const char* kPinRule = R"(
rule old {
  for c in components where c.eol.ended
  urgency high
  message "{c.product} {c.eol.cycle}: {count(a in c.advisories)} advisory(ies), fixed in {max(a.fixed for a in c.advisories)}"
  target  supported_target(c, today)
}
suppress old where c.file == "b/Dockerfile" until 2027-01-01 because "owner: waiting for b"
)";

// The fan-out of a grouped rule and the rank policy run in slices on every thread: with
// more candidates than one slice holds, findings, suppressions and ranks are the same, in
// the same order, whatever the thread count.
TEST_F(Evidence, FanOutAndRankPolicyInSlicesAreTheSameWhateverTheThreadCount) {
  for (int i = 0; i < 2600; ++i) {
    std::string file = (i % 5 == 2 ? "b/" : "svc" + std::to_string(i) + "/") + "Dockerfile";
    inventory_.components.push_back(pin(file, 1 + i % 9, i % 3 == 0 ? "16.1" : i % 3 == 1 ? "12.4" : "12.10"));
    inventory_.components.back().name += "#" + std::to_string(i);
  }
  const std::string rules = std::string(kPinRule) + R"upr(
def top(c) = max(f.urgency for f in c.findings)
rank by_top {
  for c in components
  urgency top(c)
  score   max(f.score for f in c.findings) because "{count(f in c.findings)} finding(s)"
  factor  "Line" c.line because c.file
})upr";
  auto describe = [](const Evaluation& evaluation) {
    std::string out;
    for (const auto* list : {&evaluation.findings, &evaluation.suppressed}) {
      for (const Finding& finding : *list) {
        out += std::to_string(finding.components[0]) + " " + finding.message() + " " + finding.target() + " " +
               std::to_string(finding.suppression);
        for (const auto& record : finding.advisories) out += " " + record.match->advisory->id + "@" + std::to_string(record.component);
        out += "\n";
      }
    }
    for (const ComponentRank& rank : evaluation.ranks) {
      out += "rank " + std::to_string(rank.component) + " " + std::to_string(rank.score()) + " " + rank.base_because;
      for (const RankFactor& factor : rank.factors) out += " " + factor.because;
      out += "\n";
    }
    return out;
  };
  Evaluation single = run(rules, 1);
  ASSERT_TRUE(internal::rule_reads(program_->rules()[0]).groupable);
  ASSERT_GT(single.findings.size(), 1024u);  // more than one fan-out slice
  ASSERT_GT(single.ranks.size(), 512u);      // more than one rank policy slice
  ASSERT_FALSE(single.suppressed.empty());
  const std::string one = describe(single);
  for (int threads : {2, 3}) EXPECT_EQ(describe(run(rules, threads)), one) << threads << " threads";
  EXPECT_EQ(describe(run(rules, 1, false)), one);  // and as evaluating every candidate gives
}

TEST_F(Evidence, IdenticalPinsInDifferentFilesKeepTheirOwnLocationsFingerprintsAndSuppressions) {
  inventory_.components = {pin("a/Dockerfile", 2), pin("b/Dockerfile", 7), pin("c/compose.yaml", 4),
                           pin("d/Dockerfile", 1, "16.1")};
  Evaluation each = run(kPinRule, 1, false);
  Evaluation grouped = run(kPinRule, 1, true);
  ASSERT_TRUE(internal::rule_reads(program_->rules()[0]).groupable);

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
    EXPECT_EQ(mine.message(), theirs.message());
    EXPECT_EQ(mine.target(), theirs.target());
    ASSERT_EQ(mine.advisories.size(), 2u);
    ASSERT_EQ(mine.cycles.size(), 1u);
    // The evidence names this finding's component, not the group's first.
    for (size_t k = 0; k < 2; ++k) {
      EXPECT_EQ(mine.advisories[k].component, mine.components[0]);
      EXPECT_EQ(mine.advisories[k].component, theirs.advisories[k].component);
      EXPECT_EQ(mine.advisories[k].match->advisory, theirs.advisories[k].match->advisory);
    }
    EXPECT_EQ(mine.cycles[0].component, mine.components[0]);
    EXPECT_EQ(mine.cycles[0].component, theirs.cycles[0].component);
    fingerprints.push_back(report::fingerprint_of(mine, inventory_, ""));
    EXPECT_EQ(fingerprints.back(), report::fingerprint_of(theirs, inventory_, ""));
  }
  EXPECT_EQ(grouped.findings[0].components, std::vector<size_t>{0});
  EXPECT_EQ(grouped.findings[1].components, std::vector<size_t>{2});
  EXPECT_NE(fingerprints[0], fingerprints[1]);  // a/Dockerfile and c/compose.yaml
  EXPECT_EQ(grouped.findings[0].message(), "postgresql 12: 2 advisory(ies), fixed in 12.20.0");
}

// A pin group's verdict is the same but for the component it names (grouping.h), so its
// members' findings share what the verdict says rather than each holding a copy; each
// keeps its own component, evidence records and suppression.
TEST_F(Evidence, APinGroupsFindingsShareOneTextAndKeepTheirOwnComponents) {
  inventory_.components = {pin("a/Dockerfile", 2), pin("b/Dockerfile", 7), pin("c/compose.yaml", 4),
                           pin("d/Dockerfile", 1, "12.10")};
  Evaluation grouped = run(kPinRule, 1, true);
  ASSERT_TRUE(internal::rule_reads(program_->rules()[0]).groupable);
  ASSERT_EQ(grouped.findings.size(), 3u);  // b's is suppressed
  const Finding& a = grouped.findings[0];
  const Finding& c = grouped.findings[1];
  const Finding& d = grouped.findings[2];
  EXPECT_EQ(a.text, c.text);                // one pin: one text
  EXPECT_NE(a.text, d.text);                // another version is another group
  EXPECT_EQ(grouped.suppressed[0].text, a.text);
  EXPECT_EQ(c.components, std::vector<size_t>{2});
  EXPECT_EQ(c.advisories[0].component, 2u);
  EXPECT_EQ(c.cycles[0].component, 2u);
  // Editing one finding's text copies it first: the others keep theirs.
  Finding edited = c;
  edited.edit_text().message = "changed";
  EXPECT_EQ(c.message(), "postgresql 12: 2 advisory(ies), fixed in 12.20.0");
  EXPECT_EQ(a.message(), c.message());
  EXPECT_EQ(edited.message(), "changed");
}

TEST_F(Evidence, RulesThatTellPinsApartAreNotGrouped) {
  inventory_.components = {pin("a/Dockerfile", 2)};
  auto reads = [&](const std::string& clause) {
    run("rule r {\n  for c in components where " + clause + "\n  urgency high\n  message \"x\"\n}\n");
    return internal::rule_reads(program_->rules()[0]);
  };
  EXPECT_TRUE(reads("c.eol.ended").groupable);
  EXPECT_TRUE(reads("any(o in components where o.product == c.product and o.eol.cycle != c.eol.cycle)").groupable);
  EXPECT_FALSE(reads("c.eol.ended").reads_attributes());
  EXPECT_EQ(reads("c.attribute(\"team\") == \"x\" or c.attribute(\"env\") == c.attribute(\"team\")").attributes,
            (std::vector<std::string>{"env", "team"}));
  EXPECT_TRUE(reads("c.attribute(c.product) == \"x\"").all_attributes);
  EXPECT_FALSE(reads("c.name == \"x\"").groupable);
  EXPECT_FALSE(reads("c.file == \"x\"").groupable);
  EXPECT_FALSE(reads("c.line > 1").groupable);
  EXPECT_FALSE(reads("len(c.releases) > 0").groupable);
  EXPECT_FALSE(reads("any(o in components where related(o, c))").groupable);
  EXPECT_FALSE(reads("string(c) == \"x\"").groupable);
}

TEST_F(Evidence, ComponentsThatDifferInAReadFieldAreInDifferentGroups) {
  inventory_.components = {pin("a/Dockerfile", 2), pin("b/Dockerfile", 7), pin("c/Dockerfile", 3)};
  inventory_.components[2].exposure = "internet";
  compiler::EvaluationContext context;
  context.inventory = &inventory_;
  context.facts = &facts_;
  for (const auto& c : inventory_.components) {
    context.cycle_of_component.push_back(eol_cycle_of(facts_, c, day("2026-09-01"), context.cycles_before_known));
  }
  std::vector<uint32_t> groups = internal::pin_groups(context, internal::RuleReads{});
  EXPECT_EQ(groups[0], groups[1]);  // only name and location differ
  EXPECT_NE(groups[0], groups[2]);
  // Attributes count only when read: the ones a rule reads, by key; absent differs from "".
  inventory_.components[0].attributes = {{"job", "build"}, {"matrix", "os"}};
  inventory_.components[1].attributes = {{"job", "test"}, {"matrix", "os"}};
  internal::RuleReads matrix;
  matrix.attributes = {"matrix"};
  std::vector<uint32_t> by_matrix = internal::pin_groups(context, matrix);
  EXPECT_EQ(by_matrix[0], by_matrix[1]);  // they differ in `job`, which is not read
  internal::RuleReads job = matrix;
  job.attributes = {"job"};
  EXPECT_NE(internal::pin_groups(context, job)[0], internal::pin_groups(context, job)[1]);
  internal::RuleReads all;
  all.all_attributes = true;
  EXPECT_NE(internal::pin_groups(context, all)[0], internal::pin_groups(context, all)[1]);
  inventory_.components[1].attributes = {{"job", "build"}, {"matrix", ""}};
  EXPECT_NE(internal::pin_groups(context, matrix)[0], internal::pin_groups(context, matrix)[1]);
  inventory_.components[0].attributes.clear();
  inventory_.components[1].attributes.clear();
  internal::RepresentativePicker picker;
  internal::Representatives first = picker.pick(groups, {0, 1, 2});
  EXPECT_EQ(first.components, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(first.of_candidate, (std::vector<size_t>{0, 0, 1}));
  // A later pick starts afresh: the marks of the first are of an older generation.
  internal::Representatives second = picker.pick(groups, {1, 2});
  EXPECT_EQ(second.components, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(second.of_candidate, (std::vector<size_t>{0, 1}));
}

TEST_F(Evidence, OneMadeUpCyclePerProductAndLine) {
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
  Evaluation evaluation = run(R"(rule lines {
  for c in components where count(o in components where o.eol.ended) > 0
  urgency low
  message "x"
})");
  ASSERT_EQ(evaluation.findings.size(), 3u);
  EXPECT_EQ(evaluation.findings[0].cycles.size(), 2u);  // 9.6 (its own) and 9.5, each once
  EXPECT_EQ(evaluation.joined->cycles_before_known.cycles.size(), 2u);
}

// A version whose numbers do not fit in 64 bits is not older than every cycle: it is
// compared exactly (by digit count, as dpkg and rpm compare), so it is newer than all the
// data knows and has no cycle, never a made-up "left vendor support" one.
TEST_F(Evidence, NumbersTooLargeForInt64AreNotOlderThanTheOldestCycle) {
  facts::MadeUpCycles made_up;
  for (const char* version : {"99999999999999999999", "18446744073709551616.1", "18446744073709551616"}) {
    inventory::Component exact = pin("a", 1, version);
    EXPECT_EQ(eol_cycle_of(facts_, exact, day("2026-09-01"), made_up), nullptr) << version;
    inventory::Component line = pin("a", 1, version);
    line.version.reset();
    line.pin.kind = inventory::Component::VersionPin::Kind::kCycle;
    line.pin.cycle = version;
    EXPECT_EQ(eol_cycle_of(facts_, line, day("2026-09-01"), made_up), nullptr) << version;
  }
  EXPECT_TRUE(made_up.cycles.empty());
  // In a known major, a too-large minor is in that major's cycle (postgresql 12).
  inventory::Component minor = pin("a", 1, "12.18446744073709551616");
  const facts::EolCycle* cycle = eol_cycle_of(facts_, minor, day("2026-09-01"), made_up);
  ASSERT_NE(cycle, nullptr);
  EXPECT_EQ(cycle->cycle, "12");
}

}  // namespace
}  // namespace uprank::evaluator
