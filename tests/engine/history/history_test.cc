// Change between two recorded runs, the summary over many, and the stored form.
#include "engine/history/history.h"

#include <gtest/gtest.h>

namespace uprank::history {
namespace {

using compiler::Level;

ComponentRecord component(std::string identity, std::string version, std::optional<Level> level,
                          std::vector<FindingRecord> findings) {
  ComponentRecord record;
  record.identity = identity;
  record.name = identity.substr(identity.rfind(':') + 1);
  record.version = std::move(version);
  record.level = level;
  record.findings = std::move(findings);
  return record;
}

Run run(const char* day, std::vector<ComponentRecord> components) {
  Run out;
  out.today = *Date::parse(day);
  out.components = std::move(components);
  return out;
}

std::vector<std::string> names(const std::vector<report::ComponentChange>& changes) {
  std::vector<std::string> out;
  for (const auto& change : changes) out.push_back(change.name);
  return out;
}

TEST(CompareRuns, ListsEachKindOfChangeOnce) {
  history::Run before = run("2026-01-01", {component("name:db", "14.1", Level::kMedium, {{"f-db", "eol.soon", Level::kMedium}}),
                                  component("name:web", "2.4.49", Level::kCritical, {{"f-web", "adv", Level::kCritical}}),
                                  component("name:gone", "1", Level::kLow, {{"f-gone", "lag", Level::kLow}}),
                                  component("name:calm", "1", Level::kHigh, {{"f-calm", "x", Level::kHigh}}),
                                  component("name:quiet", "1", std::nullopt, {})});
  history::Run after = run("2026-01-02", {component("name:db", "14.1", Level::kHigh,
                                           {{"f-db", "eol.soon", Level::kHigh}, {"f-db2", "eol.past", Level::kHigh}}),
                                 component("name:web", "2.4.51", std::nullopt, {}),
                                 component("name:calm", "1", Level::kLow, {{"f-calm", "x", Level::kLow}}),
                                 component("name:quiet", "1", std::nullopt, {}),
                                 component("name:fresh", "3", Level::kInfo, {{"f-fresh", "gap", Level::kInfo}})});
  report::RunChanges changes = compare_runs(&before, after, "history");
  ASSERT_TRUE(changes.previous);
  EXPECT_EQ(changes.previous->to_string(), "2026-01-01");
  EXPECT_EQ(names(changes.added), (std::vector<std::string>{"db", "fresh"}));
  EXPECT_EQ(changes.added[0].rules, std::vector<std::string>{"eol.past"});
  EXPECT_EQ(names(changes.resolved), (std::vector<std::string>{"gone", "web"}));
  EXPECT_EQ(names(changes.escalated), std::vector<std::string>{"db"});
  EXPECT_EQ(names(changes.deescalated), std::vector<std::string>{"calm"});
  ASSERT_EQ(changes.upgraded.size(), 1u);
  EXPECT_EQ(changes.upgraded[0].from, "2.4.49");
  EXPECT_EQ(changes.upgraded[0].to, "2.4.51");
  EXPECT_EQ(changes.upgraded[0].first_seen.to_string(), "2026-01-02");
}

TEST(CompareRuns, NothingToCompareWithLeavesEveryListEmpty) {
  history::Run only = run("2026-01-01", {component("name:db", "14.1", Level::kHigh, {{"f", "r", Level::kHigh}})});
  report::RunChanges changes = compare_runs(nullptr, only, "history");
  EXPECT_FALSE(changes.previous);
  EXPECT_TRUE(changes.added.empty());
  EXPECT_TRUE(changes.upgraded.empty());
}

TEST(StoredForm, RoundTripsAndNamesTheBadValue) {
  history::Run original = run("2026-01-01", {component("name:db", "14.1", Level::kHigh, {{"f", "r", Level::kHigh}}),
                                    component("name:web", "2", std::nullopt, {})});
  history::Run read;
  ASSERT_TRUE(read_components_json(components_json(original), "store", read));
  EXPECT_EQ(components_json(read), components_json(original));
  Status bad = read_components_json(R"({"components": [{"identity": "x", "name": "y", "level": "severe"}]})", "store", read);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "store: /components/0/level: not an urgency: 'severe'");
  EXPECT_FALSE(read_components_json("[", "store", read));
}

TEST(Summarize, CountsOpenFindingsPerDayAndTheUpgrades) {
  std::vector<history::Run> runs = {
      run("2026-01-01", {component("name:web", "1", Level::kHigh, {{"a", "r", Level::kHigh}, {"b", "s", Level::kLow}})}),
      run("2026-01-02", {component("name:web", "2", std::nullopt, {})})};
  Summary summary = summarize(runs);
  ASSERT_EQ(summary.days.size(), 2u);
  EXPECT_EQ(summary.days[0].counts[static_cast<size_t>(Level::kHigh)], 1u);
  EXPECT_EQ(summary.days[0].counts[static_cast<size_t>(Level::kLow)], 1u);
  EXPECT_EQ(summary.days[0].components, 1u);
  EXPECT_EQ(summary.days[1].components, 0u);
  ASSERT_EQ(summary.upgrades.size(), 1u);
  EXPECT_EQ(summary.upgrades[0].first_seen.to_string(), "2026-01-02");
  EXPECT_NE(write_summary_table(summary).find("2026-01-02  web  1 -> 2"), std::string::npos) << write_summary_table(summary);
}

}  // namespace
}  // namespace uprank::history
