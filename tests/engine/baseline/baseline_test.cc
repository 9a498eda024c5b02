// Baselines and change sets: reading JSON reports and SARIF logs, errors naming the JSON
// path, new/worse/unchanged/fixed, and git's unified diff.
#include "engine/baseline/baseline.h"

#include <gtest/gtest.h>

#include "engine/report/fingerprint.h"

namespace uprank::baseline {
namespace {

const std::string kA(32, 'a');
const std::string kB(32, 'b');
const std::string kC(32, 'c');

std::string report_json(const std::string& findings) {
  return R"({"schema_version": "1.4", "components": [{"name": "postgres", "findings": [)" + findings + "]}]}";
}

std::string report_finding(const std::string& fingerprint, const std::string& urgency) {
  return R"({"rule": "uprank.eol.past_end_of_life", "fingerprint": ")" + fingerprint + R"(", "urgency": ")" + urgency +
         R"(", "message": "m", "location": {"file": "compose.yaml", "line": 3, "column": 5}})";
}

TEST(ParseBaselineTest, ReadsJsonReports) {
  auto baseline = parse_baseline(report_json(report_finding(kA, "high") + "," + report_finding(kB, "low")), "a.json");
  ASSERT_TRUE(baseline.ok()) << baseline.error().message;
  EXPECT_EQ(baseline->format, "report");
  ASSERT_EQ(baseline->findings.size(), 2u);
  EXPECT_EQ(baseline->findings[0].fingerprint, kA);
  EXPECT_EQ(baseline->findings[0].urgency, compiler::Level::kHigh);
  EXPECT_EQ(baseline->findings[0].component, "postgres");
  EXPECT_EQ(baseline->findings[0].location.file, "compose.yaml");
  EXPECT_EQ(baseline->findings[0].location.line, 3);
}

TEST(ParseBaselineTest, ReadsSarifPartialFingerprints) {
  std::string sarif = R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "uprank"}}, "results": [
    {"ruleId": "uprank.eol.past_end_of_life", "level": "error", "message": {"text": "old"},
     "partialFingerprints": {"uprank/v1": ")" + kA + R"("},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "deploy/my%20app.yaml", "uriBaseId": "SRCROOT"},
                                         "region": {"startLine": 7}}}]},
    {"ruleId": "x", "message": {"text": "another tool"}},
    {"ruleId": "uprank.eol.version_not_exact", "partialFingerprints": {"uprank/v1": ")" + kB + R"("},
     "properties": {"urgency": "info"}, "message": {"text": "m"}}]}]})";
  auto baseline = parse_baseline(sarif, "main.sarif");
  ASSERT_TRUE(baseline.ok()) << baseline.error().message;
  EXPECT_EQ(baseline->format, "sarif");
  EXPECT_EQ(baseline->skipped, 1u);
  ASSERT_EQ(baseline->findings.size(), 2u);
  EXPECT_EQ(baseline->findings[0].sarif_level, "error");
  EXPECT_FALSE(baseline->findings[0].urgency);
  EXPECT_EQ(baseline->findings[0].location.file, "deploy/my app.yaml");
  EXPECT_EQ(baseline->findings[0].location.line, 7);
  EXPECT_EQ(baseline->findings[1].sarif_level, "warning");  // SARIF's default level
  EXPECT_EQ(baseline->findings[1].urgency, compiler::Level::kInfo);
}

struct BadCase {
  const char* name;
  std::string text;
  std::string message;  // what the error must contain
};

class BadBaselineTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadBaselineTest, NamesFileAndJsonPath) {
  auto baseline = parse_baseline(GetParam().text, "prev.json");
  ASSERT_FALSE(baseline.ok());
  EXPECT_EQ(baseline.error().code, "uprank.baseline.invalid");
  EXPECT_NE(baseline.error().message.find(GetParam().message), std::string::npos) << baseline.error().message;
  EXPECT_EQ(baseline.error().message.rfind("prev.json: ", 0), 0u) << baseline.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadBaselineTest,
    testing::Values(
        BadCase{"NotJson", "{\"schema_version\": ", "not JSON"},
        BadCase{"NotAnObject", "[]", "expected an object"},
        BadCase{"Neither", "{\"a\": 1}", "neither a uprank JSON report"},
        BadCase{"TooDeep", std::string(100, '[') + std::string(100, ']'), "nested deeper than 64"},
        BadCase{"OldReport", R"({"schema_version": "1.3", "components": [{"name": "x", "findings": [{"rule": "r", "urgency": "high"}]}]})",
                "/schema_version: \"1.3\": reports before schema_version 1.4 carry no fingerprints"},
        BadCase{"FirstSchema", R"({"schema_version": "1.0", "components": []})", "/schema_version: \"1.0\""},
        BadCase{"FingerprintRemoved", R"({"schema_version": "1.4", "components": [{"name": "x", "findings": [{"rule": "r", "urgency": "high"}]}]})",
                "/components/0/findings/0/fingerprint: missing: every finding of a report of schema_version 1.4 has one"},
        BadCase{"BadFingerprint", report_json(report_finding("xyz", "high")), "/components/0/findings/0/fingerprint: expected 32"},
        BadCase{"BadUrgency", report_json(report_finding(kA, "severe")), "/components/0/findings/0/urgency"},
        BadCase{"ComponentsNotArray", R"({"schema_version": "1.4", "components": {}})", "/components: expected an array"},
        BadCase{"SarifVersion", R"({"version": "2.0.0", "runs": []})", "/version"},
        BadCase{"SarifLevel", R"({"version": "2.1.0", "runs": [{"results": [{"ruleId": "r", "level": "fatal", "partialFingerprints": {"uprank/v1": ")" + kA + R"("}}]}]})",
                "/runs/0/results/0/level"},
        BadCase{"SarifNoRuleId", R"({"version": "2.1.0", "runs": [{"results": [{"partialFingerprints": {"uprank/v1": ")" + kA + R"("}}]}]})",
                "/runs/0/results/0/ruleId"},
        BadCase{"SarifOfAnotherTool", R"({"version": "2.1.0", "runs": [{"results": [{"ruleId": "r"}]}]})", "not a SARIF log uprank wrote"}),
    [](const testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(ParseBaselineTest, SarifResultWithoutLevelTakesItsRulesDefault) {
  std::string sarif = R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "uprank", "rules": [
      {"id": "uprank.eol.past_end_of_life", "defaultConfiguration": {"level": "error"}},
      {"id": "uprank.eol.version_not_exact", "defaultConfiguration": {"level": "note"}}]}}, "results": [
    {"ruleId": "uprank.eol.version_not_exact", "ruleIndex": 1, "partialFingerprints": {"uprank/v1": ")" + kA + R"("}},
    {"ruleId": "uprank.eol.past_end_of_life", "partialFingerprints": {"uprank/v1": ")" + kB + R"("},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "Dockerfile"}, "region": {"startLine": 2, "startColumn": 6}}}]},
    {"ruleId": "other", "partialFingerprints": {"uprank/v1": ")" + kC + R"("}}]}]})";
  auto baseline = parse_baseline(sarif, "main.sarif");
  ASSERT_TRUE(baseline.ok()) << baseline.error().message;
  ASSERT_EQ(baseline->findings.size(), 3u);
  EXPECT_EQ(baseline->findings[0].sarif_level, "note");   // by ruleIndex
  EXPECT_EQ(baseline->findings[1].sarif_level, "error");  // by ruleId
  EXPECT_EQ(baseline->findings[1].location.column, 6);
  EXPECT_EQ(baseline->findings[2].sarif_level, "warning");  // no such rule: SARIF's default
}

TEST(ParseBaselineTest, JsonReportColumnsAreRead) {
  auto baseline = parse_baseline(report_json(report_finding(kA, "high")), "a.json");
  ASSERT_TRUE(baseline.ok()) << baseline.error().message;
  EXPECT_EQ(baseline->findings[0].location.column, 5);
}

TEST(LoadBaselineTest, DirectoryAndMissingFileSaySo) {
  auto directory = load_baseline(testing::TempDir());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos) << directory.error().message;
  auto missing = load_baseline(testing::TempDir() + "/no-such-baseline.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos) << missing.error().message;
}

// ---- compare ------------------------------------------------------------------------------

TEST(CompareTest, OnlyFindingsInTheCheckedFolderCanBeFixed) {
  inventory::Inventory inventory;
  report::Report report;
  report.inventory = &inventory;
  Baseline baseline;
  baseline.findings = {{kA, "r", compiler::Level::kHigh, "", "a", "", {"deploy/Dockerfile", 1, 6}},
                       {kB, "r", compiler::Level::kHigh, "", "b", "", {"infra/main.tf", 3, 1}},
                       {kC, "r", compiler::Level::kHigh, "", "c", "", {"deployment/x.yaml", 3, 1}}};
  EXPECT_EQ(compare(report, baseline, "deploy"), 2u);
  ASSERT_EQ(report.fixed.size(), 1u);
  EXPECT_EQ(report.fixed[0].component, "a");
  EXPECT_EQ(report.fixed[0].location.column, 6);
  EXPECT_EQ(compare(report, baseline, ""), 0u);
  EXPECT_EQ(report.fixed.size(), 3u);
  EXPECT_TRUE(in_scope("deploy/x", "deploy"));
  EXPECT_TRUE(in_scope("deploy", "deploy"));
  EXPECT_FALSE(in_scope("deployment/x", "deploy"));
}

TEST(CompareTest, ClassifiesNewWorseUnchangedAndFixed) {
  inventory::Inventory inventory;
  inventory.components.resize(1);
  report::Report report;
  report.inventory = &inventory;
  report.findings.resize(3);
  report.findings[0].level = compiler::Level::kHigh;     // was medium: worse
  report.findings[1].level = compiler::Level::kMedium;   // not in the baseline: new
  report.findings[2].level = compiler::Level::kLow;      // was high: better is unchanged
  report.states = {{kA, report::Change::kNotCompared, false}, {kB, report::Change::kNotCompared, false},
                   {kC, report::Change::kNotCompared, false}};
  Baseline baseline;
  baseline.path = "prev.json";
  baseline.findings = {{kA, "r", compiler::Level::kMedium, "", "db", "", {}},
                       {kC, "r", compiler::Level::kHigh, "", "db", "", {}},
                       {std::string(32, 'd'), "r2", compiler::Level::kHigh, "", "proxy", "gone", {"compose.yaml", 4, 0}}};
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kWorse);
  EXPECT_EQ(report.states[1].change, report::Change::kNew);
  EXPECT_EQ(report.states[2].change, report::Change::kUnchanged);
  ASSERT_EQ(report.fixed.size(), 1u);
  EXPECT_EQ(report.fixed[0].rule, "r2");
  EXPECT_EQ(report.fixed[0].urgency, "high");
  EXPECT_EQ(report.fixed[0].location.line, 4);
  EXPECT_TRUE(report::gates(report, 0, compiler::Level::kHigh));
  EXPECT_FALSE(report::gates(report, 1, compiler::Level::kHigh));  // new, but below the gate
  EXPECT_TRUE(report::gates(report, 1, compiler::Level::kMedium));
  EXPECT_FALSE(report::gates(report, 2, compiler::Level::kInfo));  // unchanged
}

// docs/baseline.md: "urgency rising is reported as worse, not as a new finding", also when
// the rise is another rule of the finding's escalation family (`escalates`): a pin whose
// support "ends soon" in the baseline and is "past end of life" now, with no file changed,
// is one worse finding, and the baseline's is not fixed (issue 12, trial fault H).
TEST(CompareTest, AnEscalationWithinARuleFamilyIsWorseNotNewAndFixed) {
  inventory::Inventory inventory;
  inventory::Component redis;
  redis.name = "redis";
  redis.kind = "container-image";
  redis.identity.label = "redis";
  redis.location = SourceLocation{"compose.yaml", 4, 12};
  redis.repository_path = "compose.yaml";
  inventory.components = {redis};
  report::Report report;
  report.inventory = &inventory;
  report.repository_root = ".";
  report.rule_families = {{"uprank.eol.past_end_of_life", {"uprank.eol.past_end_of_life", "uprank.eol.support_ends_soon"}},
                          {"uprank.eol.support_ends_soon", {"uprank.eol.past_end_of_life", "uprank.eol.support_ends_soon"}}};
  report.findings.resize(1);
  report.findings[0].edit_text().rule = "uprank.eol.past_end_of_life";
  report.findings[0].components = {0};
  report.findings[0].level = compiler::Level::kHigh;
  report::attach_fingerprints(report, ".", 1);
  const std::string ends_soon =
      report::finding_fingerprint("uprank.eol.support_ends_soon", "compose.yaml", report::fingerprint_identity(redis));
  // The recipe is unchanged: the current finding's fingerprint is its own rule's.
  EXPECT_EQ(report.states[0].fingerprint,
            report::finding_fingerprint("uprank.eol.past_end_of_life", "compose.yaml", report::fingerprint_identity(redis)));
  Baseline baseline;
  baseline.findings = {{ends_soon, "uprank.eol.support_ends_soon", compiler::Level::kMedium, "", "redis", "ends soon",
                        {"compose.yaml", 4, 12}}};
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kWorse);
  EXPECT_TRUE(report.fixed.empty());
  EXPECT_TRUE(report::gates(report, 0, compiler::Level::kHigh));

  // The same finding at the same urgency under its sibling (a SARIF baseline's level) is
  // unchanged; another pin's ends-soon finding is no match, so it is fixed and this new.
  baseline.findings[0].urgency = compiler::Level::kHigh;
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kUnchanged);
  baseline.findings[0].fingerprint =
      report::finding_fingerprint("uprank.eol.support_ends_soon", "other/compose.yaml", report::fingerprint_identity(redis));
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kNew);
  EXPECT_EQ(report.fixed.size(), 1u);

  // Rules in no family keep the exact match only.
  report.rule_families.clear();
  baseline.findings[0].fingerprint = ends_soon;
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kNew);
  EXPECT_EQ(report.fixed.size(), 1u);
}

// docs/baseline.md, "No longer checked": a finding that vanished because uprank went blind
// to it (the end-of-life data dropped its cycle, the store lost its advisories) is not
// fixed. The component is found by its fingerprint, which leaves the version out.
TEST(CompareTest, AFindingGoneBecauseItsCheckWentBlindIsNotFixed) {
  inventory::Inventory inventory;
  auto pin = [](std::string name, std::string kind, std::string file, int line) {
    inventory::Component component;
    component.name = name;
    component.kind = std::move(kind);
    component.identity.label = std::move(name);
    component.location = SourceLocation{file, line, 1};
    component.repository_path = std::move(file);
    return component;
  };
  inventory.components = {pin("postgres", "container-image", "compose.yaml", 3),
                          pin("lodash", "package", "web/package-lock.json", 9),
                          pin("redis", "container-image", "compose.yaml", 7)};
  report::Report report;
  report.inventory = &inventory;
  report.repository_root = ".";
  // Today: postgres's cycle has no end-of-life data; lodash's advisories are not checked
  // (none loaded); redis is checked and clean.
  report.findings.resize(1);
  report.findings[0].edit_text().rule = "uprank.eol.no_end_of_life_data";
  report.findings[0].edit_text().reason = "data_gap";
  report.findings[0].edit_text().message = "no end-of-life data for postgresql 13.4; its support status is unknown";
  report.findings[0].components = {0};
  report.coverage.resize(3);
  report.coverage[0].gap = evaluator::AdvisoryCoverage::Gap::kNone;
  report.coverage[1].gap = evaluator::AdvisoryCoverage::Gap::kNoAdvisoryData;
  report.coverage[2].gap = evaluator::AdvisoryCoverage::Gap::kNone;
  report::attach_fingerprints(report, ".", 1);
  auto fingerprint = [&](const std::string& rule, size_t c) {
    return report::finding_fingerprint(rule, inventory.components[c].repository_path,
                                       report::fingerprint_identity(inventory.components[c]));
  };
  Baseline baseline;
  baseline.findings = {
      {fingerprint("uprank.eol.past_end_of_life", 0), "uprank.eol.past_end_of_life", compiler::Level::kHigh, "",
       "postgres", "postgresql 13 left vendor support", {"compose.yaml", 3, 1}, true},
      {fingerprint("uprank.ssvc.deployer", 1), "uprank.ssvc.deployer", compiler::Level::kHigh, "", "lodash",
       "GHSA-35jh-r3h4-6jhm", {"web/package-lock.json", 9, 1}, true},
      {fingerprint("uprank.eol.past_end_of_life", 2), "uprank.eol.past_end_of_life", compiler::Level::kHigh, "", "redis",
       "redis 6.2 left vendor support", {"compose.yaml", 7, 1}, true}};
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kNew);
  ASSERT_EQ(report.fixed.size(), 1u);
  EXPECT_EQ(report.fixed[0].component, "redis");
  EXPECT_EQ(report.fixed[0].because, "");
  ASSERT_EQ(report.unchecked.size(), 2u);
  EXPECT_EQ(report.unchecked[0].component, "postgres");
  EXPECT_EQ(report.unchecked[0].because, "no end-of-life data for postgresql 13.4; its support status is unknown");
  EXPECT_EQ(report.unchecked[1].component, "lodash");
  EXPECT_EQ(report.unchecked[1].because,
            "advisories not checked: no advisory data loaded (uprank fetch, or fetch --import)");

  // A gap the baseline already had does not count (a line pin upgraded to the next line
  // keeps its version_not_exact finding and has its end-of-life finding fixed); nor does
  // an unchecked component when the baseline does not say it was checked (SARIF).
  baseline.findings.push_back({report.states[0].fingerprint, "uprank.eol.no_end_of_life_data", compiler::Level::kInfo, "",
                               "postgres", "", {"compose.yaml", 3, 1}, std::nullopt});
  baseline.findings[1].checked = std::nullopt;
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kUnchanged);
  EXPECT_TRUE(report.unchecked.empty());
  EXPECT_EQ(report.fixed.size(), 3u);
}

TEST(CompareTest, SarifLevelsCompareAtTheirCoarseness) {
  inventory::Inventory inventory;
  report::Report report;
  report.inventory = &inventory;
  report.findings.resize(2);
  report.findings[0].level = compiler::Level::kCritical;  // error as before: unchanged
  report.findings[1].level = compiler::Level::kHigh;      // error over warning: worse
  report.states = {{kA, report::Change::kNotCompared, false}, {kB, report::Change::kNotCompared, false}};
  Baseline baseline;
  baseline.findings = {{kA, "r", std::nullopt, "error", "", "", {}}, {kB, "r", std::nullopt, "warning", "", "", {}}};
  compare(report, baseline);
  EXPECT_EQ(report.states[0].change, report::Change::kUnchanged);
  EXPECT_EQ(report.states[1].change, report::Change::kWorse);
}

// ---- git diff -------------------------------------------------------------------------------

TEST(UnifiedDiffTest, ReadsHunksOfTheNewSide) {
  std::string diff =
      "diff --git a/compose.yaml b/compose.yaml\n"
      "index 1..2 100644\n"
      "--- a/compose.yaml\n"
      "+++ b/compose.yaml\n"
      "@@ -3 +3 @@ services:\n"
      "-    image: postgres:12.4\n"
      "+    image: postgres:12.22\n"
      "@@ -8,2 +9,0 @@\n"
      "diff --git a/k8s/cronjob.yaml b/k8s/cronjob.yaml\n"
      "new file mode 100644\n"
      "--- /dev/null\n"
      "+++ b/k8s/cronjob.yaml\n"
      "@@ -0,0 +1,13 @@\n"
      "+apiVersion: batch/v1\n"
      "diff --git a/old.yaml b/old.yaml\n"
      "deleted file mode 100644\n"
      "--- a/old.yaml\n"
      "+++ /dev/null\n"
      "@@ -1,4 +0,0 @@\n"
      "diff --git \"a/we\\tird.yaml\" \"b/we\\tird.yaml\"\n"
      "--- \"a/we\\tird.yaml\"\n"
      "+++ \"b/we\\tird.yaml\"\n"
      "@@ -1 +1,2 @@\n";
  auto changed = parse_unified_diff(diff);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_TRUE(changed->contains("compose.yaml", 3));
  EXPECT_FALSE(changed->contains("compose.yaml", 4));
  EXPECT_TRUE(changed->contains("compose.yaml", 10));  // after the two deleted lines
  EXPECT_TRUE(changed->contains("k8s/cronjob.yaml", 13));
  EXPECT_FALSE(changed->contains("k8s/cronjob.yaml", 14));
  EXPECT_FALSE(changed->contains("old.yaml", 1));
  EXPECT_TRUE(changed->contains("we\tird.yaml", 2));
}

// A pin whose version is an ARG default changes when its ARG line does.
TEST(MarkContextTest, VersionLinesCountAsThePins) {
  inventory::Inventory inventory;
  inventory.components.resize(2);
  for (auto& component : inventory.components) component.repository_path = "Dockerfile";
  inventory.components[0].location = {"Dockerfile", 3, 6};
  inventory.components[0].attributes["version.lines"] = "1";
  inventory.components[1].location = {"Dockerfile", 5, 6};
  report::Report report;
  report.inventory = &inventory;
  report.findings.resize(2);
  report.findings[0].components = {0};
  report.findings[1].components = {1};
  report.states.resize(2);
  auto changed = parse_unified_diff("+++ b/Dockerfile\n@@ -1 +1 @@\n");
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  mark_context(report, *changed);
  EXPECT_FALSE(report.states[0].context);  // its ARG line changed
  EXPECT_TRUE(report.states[1].context);
}

TEST(UnifiedDiffTest, BadHunkNamesItsLine) {
  auto changed = parse_unified_diff("+++ b/x\n@@ -1 +zz @@\n");
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.error().message.find("line 2"), std::string::npos) << changed.error().message;
}

}  // namespace
}  // namespace uprank::baseline
