// Regression (branch `tester`): the component's `target` (JSON components[].target, the
// table's TARGET) falls back to a rule's own suggestion whenever the solver's pick is
// "current", even when that suggestion is a version the solver rejected.
//   - analytics-db postgresql 16.3, a declared advisory affecting >=16.4,<=16.15 with no
//     fix: targets.patch/supported are "16.3 (current)", TARGET shows 16.15 (affected).
//   - db postgresql 14.10, `requires "postgresql" >= "15" => "billing-api" >= "5.0"`, api
//     at 3.9: targets.supported is none (every release ruled out by the constraint), the
//     patch is current, TARGET shows 15.19, the very version the constraint rules out.
#include <gtest/gtest.h>

#include "engine/evaluator/joins.h"
#include "engine/report/report.h"
#include "engine/targets/targets.h"

namespace uprank::report {
namespace {

using versions::Scheme;

Date day(const char* text) { return Date::parse(text).value(); }

TEST(RankTarget, ARulesSuggestionTheSolverFindsAffectedIsNotTheTarget) {
  inventory::Inventory inventory;
  facts::FactSet facts;
  facts::EolCycle cycle;
  cycle.product = "postgresql";
  cycle.cycle = "16";
  cycle.security_ends = day("2028-11-09");
  cycle.latest = "16.15";
  cycle.latest_date = day("2026-08-10");
  facts.products["postgresql"].name = "postgresql";
  facts.products["postgresql"].cycles.push_back(cycle);

  facts::Advisory& advisory = facts.advisories["TEST-PG-NEW"];
  advisory.id = "TEST-PG-NEW";
  facts::AffectedPackage affected;
  affected.name = "postgresql";
  affected.scheme = Scheme::kGeneric;
  facts::AffectedRange range;
  range.type = "ECOSYSTEM";
  range.events = {{"introduced", "16.4"}, {"last_affected", "16.15"}};
  range.range = versions::Range::from_osv_events(Scheme::kGeneric, range.events).value();
  affected.ranges.push_back(range);
  advisory.affected.push_back(affected);

  inventory::Component db;
  db.name = "analytics-db";
  db.product = "postgresql";
  db.version_text = "16.3";
  db.scheme = Scheme::kGeneric;
  db.version = versions::Version::parse(Scheme::kGeneric, "16.3").value();
  inventory.components.push_back(db);

  Report report;
  report.today = day("2026-09-01");
  report.inventory = &inventory;
  RankedComponent ranked;
  ranked.component = 0;
  ranked.target = "16.15";  // newer_patch_available's own `target`
  report.ranked.push_back(ranked);

  evaluator::AdvisoryIndex advisories(facts, {});
  std::vector<compiler::CompiledConstraint> constraints;
  targets::Inputs inputs{&inventory, &facts, &advisories, &constraints};
  attach_targets(report, inputs, targets::Options{day("2026-09-01"), 120});
  ASSERT_TRUE(report.ranked[0].targets);
  ASSERT_TRUE(report.ranked[0].targets->patch.target);
  EXPECT_TRUE(report.ranked[0].targets->patch.target->current);
  EXPECT_NE(report.ranked[0].target, "16.15") << "16.15 is affected by TEST-PG-NEW";
}

}  // namespace
}  // namespace uprank::report
