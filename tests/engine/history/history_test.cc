// Change between two recorded runs, the summary over many, and the stored form.
#include "engine/history/history.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST(CompareRuns, AVersionThatFellIsADowngradeAndOnesThatDoNotCompareAreSaidSo) {
  auto with_scheme = [](ComponentRecord record, const char* scheme) {
    record.scheme = scheme;
    return record;
  };
  history::Run before = run("2026-01-01", {with_scheme(component("name:api", "2.10.0", std::nullopt, {}), "semver"),
                                           with_scheme(component("name:db", "14.10", std::nullopt, {}), "generic"),
                                           with_scheme(component("name:web", "1.2.3", std::nullopt, {}), "semver")});
  history::Run after = run("2026-01-02", {with_scheme(component("name:api", "2.9.0", std::nullopt, {}), "semver"),
                                          with_scheme(component("name:db", "14.9", std::nullopt, {}), "generic"),
                                          with_scheme(component("name:web", "1.2.x", std::nullopt, {}), "semver")});
  report::RunChanges changes = compare_runs(&before, after, "history");
  ASSERT_EQ(changes.upgraded.size(), 3u);
  using Direction = report::Upgrade::Direction;
  EXPECT_EQ(changes.upgraded[0].direction, Direction::kDown);  // 2.9.0 < 2.10.0 in semver, not as text
  EXPECT_EQ(changes.upgraded[1].direction, Direction::kDown);
  EXPECT_EQ(changes.upgraded[2].direction, Direction::kUnordered);  // "1.2.x" is no semver version
  std::vector<std::string> sections;
  for (const report::ChangeRow& row : report::change_rows(changes)) sections.push_back(row.section);
  EXPECT_EQ(sections, (std::vector<std::string>{"Downgraded", "Downgraded", "Version changed"}));
  EXPECT_EQ(report::change_summary(changes),
            "Since the previous run (2026-01-01): 0 new, 0 resolved, 0 escalated, 0 de-escalated, 0 upgraded, "
            "2 downgraded, 1 with another version.");
}

// A pin made less or more precise ("rabbitmq:3.13.7" -> "rabbitmq:3.13", a line pin) is
// no downgrade, though "3.13" sorts before "3.13.7"; "3.1" is no line of "3.13.7".
TEST(CompareRuns, APinOfTheSameLineMadeMoreOrLessPreciseIsNoDowngrade) {
  auto generic = [](std::string identity, std::string version) {
    ComponentRecord record = component(std::move(identity), std::move(version), std::nullopt, {});
    record.scheme = "generic";
    return record;
  };
  history::Run before = run("2026-01-01", {generic("image:a", "3.13.7"), generic("image:b", "3.13"), generic("image:c", "3.13.7")});
  history::Run after = run("2026-01-02", {generic("image:a", "3.13"), generic("image:b", "3.13.7"), generic("image:c", "3.1")});
  report::RunChanges changes = compare_runs(&before, after, "history");
  ASSERT_EQ(changes.upgraded.size(), 3u);
  using Direction = report::Upgrade::Direction;
  EXPECT_EQ(changes.upgraded[0].direction, Direction::kUnordered);
  EXPECT_EQ(changes.upgraded[1].direction, Direction::kUnordered);
  EXPECT_EQ(changes.upgraded[2].direction, Direction::kDown);
}

TEST(CompareRuns, FindingsAComponentCanNoLongerBeCheckedForAreNotResolved) {
  ComponentRecord was = component("name:db", "12.4", Level::kCritical,
                                  {{"f-eol", "eol.past", Level::kHigh}, {"f-cve", "ssvc", Level::kCritical}});
  ComponentRecord now = component("name:db", "12.4x", Level::kHigh, {{"f-eol", "eol.past", Level::kHigh}});
  now.checked = false;  // the typo made its advisories uncomparable
  ComponentRecord fixed_was = component("name:web", "1", Level::kHigh, {{"f-web", "adv", Level::kHigh}});
  ComponentRecord fixed_now = component("name:web", "2", std::nullopt, {});
  history::Run before = run("2026-01-01", {was, fixed_was});
  history::Run after = run("2026-01-02", {now, fixed_now});
  report::RunChanges changes = compare_runs(&before, after, "history");
  EXPECT_EQ(names(changes.resolved), std::vector<std::string>{"web"});
  ASSERT_EQ(names(changes.unchecked), std::vector<std::string>{"db"});
  EXPECT_EQ(changes.unchecked[0].rules, std::vector<std::string>{"ssvc"});
  // Not checked before either: a lost finding is an ordinary resolution.
  history::Run blind_before = run("2026-01-01", {now});
  ComponentRecord later = now;
  later.findings.clear();
  history::Run blind_after = run("2026-01-02", {later});
  EXPECT_EQ(names(compare_runs(&blind_before, blind_after, "history").resolved), std::vector<std::string>{"db"});
}

// docs/history.md, "No longer checked": the end-of-life data dropped the cycle a component
// runs, so its past-end-of-life finding gave way to a no-end-of-life-data finding (reason
// data_gap): nothing was fixed. A data-gap finding it had both times (a line pin moved to
// the next line) does not count: there the end-of-life finding is resolved.
TEST(CompareRuns, FindingsGoneWhenADataGapAppearedAreNotResolved) {
  ComponentRecord was = component("image:postgres", "13", Level::kHigh,
                                  {{"f-eol", "eol.past_end_of_life", Level::kHigh, false},
                                   {"f-line", "eol.version_not_exact", Level::kInfo, false}});
  ComponentRecord now = component("image:postgres", "13", Level::kInfo,
                                  {{"f-gap", "eol.no_end_of_life_data", Level::kInfo, true},
                                   {"f-line", "eol.version_not_exact", Level::kInfo, true}});
  history::Run before = run("2026-01-01", {was});
  report::RunChanges changes = compare_runs(&before, run("2026-01-02", {now}), "history");
  EXPECT_TRUE(changes.resolved.empty());
  ASSERT_EQ(names(changes.unchecked), std::vector<std::string>{"postgres"});
  EXPECT_EQ(changes.unchecked[0].rules, std::vector<std::string>{"eol.past_end_of_life"});
  EXPECT_TRUE(changes.deescalated.empty());  // its urgency fell only because it went blind

  ComponentRecord upgraded = component("image:postgres", "17", Level::kInfo,
                                       {{"f-line", "eol.version_not_exact", Level::kInfo, true}});
  changes = compare_runs(&before, run("2026-01-02", {upgraded}), "history");
  EXPECT_TRUE(changes.unchecked.empty());
  EXPECT_EQ(names(changes.resolved), std::vector<std::string>{"postgres"});
  EXPECT_EQ(names(changes.deescalated), std::vector<std::string>{"postgres"});
}

ComponentRecord decided(ComponentRecord record, std::string decision) {
  record.decision = std::move(decision);
  return record;
}

TEST(CompareRuns, ADecisionThatRoseAtTheSameUrgencyIsEscalated) {
  // db: high both nights (an end of support keeps it there), its advisory's decision goes
  // track -> act; web: attend -> track at the same urgency; api: urgency rose and the
  // decision with it; old: the previous record has no decision (written before they were kept).
  history::Run before = run("2026-01-01", {decided(component("name:db", "12", Level::kHigh, {{"f", "ssvc", Level::kLow}}), "track"),
                                           decided(component("name:web", "1", Level::kHigh, {{"w", "ssvc", Level::kHigh}}), "attend"),
                                           decided(component("name:api", "1", Level::kMedium, {{"a", "ssvc", Level::kMedium}}), "track*"),
                                           decided(component("name:old", "1", Level::kHigh, {{"o", "eol", Level::kHigh}}), "")});
  history::Run after = run("2026-01-02", {decided(component("name:db", "12", Level::kHigh, {{"f", "ssvc", Level::kCritical}}), "act"),
                                          decided(component("name:web", "1", Level::kHigh, {{"w", "ssvc", Level::kHigh}}), "track"),
                                          decided(component("name:api", "1", Level::kHigh, {{"a", "ssvc", Level::kHigh}}), "attend"),
                                          decided(component("name:old", "1", Level::kHigh, {{"o", "eol", Level::kHigh}}), "act")});
  report::RunChanges changes = compare_runs(&before, after, "history");
  EXPECT_EQ(names(changes.escalated), (std::vector<std::string>{"api", "db"}));
  EXPECT_EQ(names(changes.deescalated), std::vector<std::string>{"web"});
  ASSERT_EQ(changes.escalated.size(), 2u);
  EXPECT_EQ(changes.escalated[1].decision_before, "track");
  EXPECT_EQ(changes.escalated[1].decision_after, "act");
  std::vector<std::string> details;
  for (const report::ChangeRow& row : report::change_rows(changes)) details.push_back(row.section + ": " + row.detail);
  EXPECT_EQ(details, (std::vector<std::string>{"Escalated: medium -> high, decision track* -> attend",
                                               "Escalated: decision track -> act", "De-escalated: decision attend -> track"}));
  EXPECT_EQ(decision_rank("act"), 4);
  EXPECT_EQ(decision_rank(""), std::nullopt);
  EXPECT_EQ(decision_rank("defer"), std::nullopt);
}

TEST(CompareRuns, NothingToCompareWithLeavesEveryListEmpty) {
  history::Run only = run("2026-01-01", {component("name:db", "14.1", Level::kHigh, {{"f", "r", Level::kHigh}})});
  report::RunChanges changes = compare_runs(nullptr, only, "history");
  EXPECT_FALSE(changes.previous);
  EXPECT_TRUE(changes.added.empty());
  EXPECT_TRUE(changes.upgraded.empty());
}

// The stored form is written as it is produced; it must stay what the store has always
// held: nlohmann::json's compact dump of the same document (keys sorted, as its std::map
// keeps them), byte for byte, with scores, nulls, escapes and UTF-8 as dump writes them.
TEST(StoredForm, IsTheCompactDumpOfTheSameDocument) {
  history::Run original = run("2026-01-01", {component("name:db", "14.1", Level::kHigh, {{"f1", "r\"1", Level::kHigh},
                                                                                       {"f2", "r2", Level::kLow}}),
                                    component("name:caf\xc3\xa9", "2", std::nullopt, {})});
  original.components[0].score = 97.5;
  original.components[0].file = "svc/Dockerfile";
  original.components[0].decision = "act";
  original.components[1].checked = false;
  nlohmann::json items = nlohmann::json::array();
  for (const history::ComponentRecord& record : original.components) {
    nlohmann::json findings = nlohmann::json::array();
    for (const history::FindingRecord& finding : record.findings) {
      findings.push_back({{"fingerprint", finding.fingerprint}, {"rule", finding.rule},
                          {"level", std::string(compiler::level_name(finding.level))}});
    }
    items.push_back({{"identity", record.identity}, {"file", record.file}, {"name", record.name},
                     {"version", record.version}, {"scheme", record.scheme}, {"checked", record.checked},
                     {"level", record.level ? nlohmann::json(std::string(compiler::level_name(*record.level))) : nlohmann::json()},
                     {"decision", record.decision}, {"score", record.score}, {"findings", findings}});
  }
  EXPECT_EQ(components_json(original), nlohmann::json({{"components", items}}).dump());
}

TEST(StoredForm, RoundTripsAndNamesTheBadValue) {
  history::Run original = run("2026-01-01", {component("name:db", "14.1", Level::kHigh, {{"f", "r", Level::kHigh}}),
                                    component("name:web", "2", std::nullopt, {})});
  original.components[0].scheme = "generic";
  original.components[0].decision = "track*";
  original.components[1].checked = false;
  original.components[1].decision = "none";
  history::Run read;
  ASSERT_TRUE(read_components_json(components_json(original), "store", read));
  EXPECT_EQ(components_json(read), components_json(original));
  EXPECT_EQ(read.components[0].scheme, "generic");
  EXPECT_EQ(read.components[0].decision, "track*");
  EXPECT_FALSE(read.components[1].checked);
  // A record written before decisions were kept reads as unknown, not as an error or "none".
  ASSERT_TRUE(read_components_json(R"({"components": [{"identity": "x", "name": "y", "level": "high"}]})", "store", read));
  EXPECT_EQ(read.components[0].decision, "");
  Status not_text = read_components_json(R"({"components": [{"identity": "x", "name": "y", "decision": 4}]})", "store", read);
  ASSERT_FALSE(not_text);
  EXPECT_EQ(not_text.error().message, "store: /components/0/decision: not a string");
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

TEST(Summarize, CountsComponentsByDecisionAndSaysWhenADayHasNone) {
  std::vector<history::Run> runs = {
      run("2026-01-01", {component("name:web", "1", Level::kHigh, {{"a", "r", Level::kHigh}})}),  // no decisions kept
      run("2026-01-02", {decided(component("name:web", "1", Level::kHigh, {{"a", "r", Level::kHigh}}), "attend"),
                         decided(component("name:db", "1", Level::kHigh, {{"b", "eol", Level::kHigh}}), "none"),
                         decided(component("name:app", "1", Level::kLow, {{"c", "own", Level::kLow}}), "defer"),
                         decided(component("name:calm", "1", std::nullopt, {}), "none")})};
  Summary summary = summarize(runs);
  ASSERT_EQ(summary.days.size(), 2u);
  EXPECT_FALSE(summary.days[0].by_decision);
  ASSERT_TRUE(summary.days[1].by_decision);
  const auto& counts = *summary.days[1].by_decision;
  EXPECT_EQ(counts.at("attend"), 1u);
  EXPECT_EQ(counts.at("none"), 1u) << "calm has no finding: not counted";
  EXPECT_EQ(counts.at("other"), 1u);
  EXPECT_EQ(counts.at("act"), 0u);
  EXPECT_EQ(write_summary_table(summary),
            "DATE        CRITICAL  HIGH  MEDIUM  LOW  INFO  COMPONENTS   ACT  ATTEND  TRACK*  TRACK  OTHER  NONE\n"
            "2026-01-01         0     1       0    0     0           1     -       -       -      -      -     -\n"
            "2026-01-02         0     2       0    1     0           3     0       1       0      0      1     1\n"
            "\nUpgrades: none\n");
  auto json = nlohmann::json::parse(write_summary_json(summary));
  EXPECT_EQ(json["schema_version"], "1.1");
  EXPECT_TRUE(json["days"][0]["components_by_decision"].is_null());
  EXPECT_EQ(json["days"][1]["components_by_decision"]["track*"], 0);
  EXPECT_EQ(json["days"][1]["components_by_decision"]["attend"], 1);
  // The day as the store keeps it beside the run reads back to the same counts.
  for (const history::Run& each : runs) {
    TrendDay day = trend_day(each);
    auto back = read_trend_day_json(trend_day_json(day), "store");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->day, day.day);
    EXPECT_TRUE(std::equal(std::begin(day.counts), std::end(day.counts), std::begin(back->counts)));
    EXPECT_EQ(back->components, day.components);
    EXPECT_EQ(back->by_decision, day.by_decision);
  }
  auto bad = read_trend_day_json(R"({"date":"2026-01-01","counts":[1,2,3],"components":1,"by_decision":null})", "store");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "store: /counts: not five counts");
}

}  // namespace
}  // namespace uprank::history
