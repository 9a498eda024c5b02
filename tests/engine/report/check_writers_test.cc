// Fingerprints and the code-scanning writers (SARIF, GitLab Code Quality), on reports
// built by hand: what a fingerprint keeps and ignores, and how findings map to results.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

using Json = nlohmann::json;

inventory::Component image(std::string name, std::string version, std::string file, int line) {
  inventory::Component component;
  component.name = name;
  component.version_text = std::move(version);
  component.kind = "container-image";
  component.source = "compose";
  component.identity.label = std::move(name);
  component.location = SourceLocation{std::move(file), line, 12};
  return component;
}

evaluator::Finding finding(std::string rule, size_t component, compiler::Level level) {
  evaluator::Finding result;
  evaluator::FindingText& text = result.edit_text();
  text.rule = std::move(rule);
  text.title = "Past vendor end of support";
  result.components = {component};
  result.level = level;
  result.score = 70;
  text.reason = "end_of_support";
  text.message = "redis 6.2 left vendor support on 2025-02-28";
  text.target = "7.4.2";
  text.rule_location = SourceLocation{"/opt/uprank/share/uprank/rules/eol/eol.upr", 24, 1};
  return result;
}

// A report of one finding per component, each component ranked on its own.
Report report_of(const inventory::Inventory& inventory, std::vector<evaluator::Finding> findings) {
  Report report;
  report.today = *Date::parse("2026-09-01");
  report.inventory = &inventory;
  report.findings = std::move(findings);
  for (size_t f = 0; f < report.findings.size(); ++f) {
    RankedComponent ranked;
    ranked.component = report.findings[f].components.front();
    ranked.level = report.findings[f].level;
    ranked.findings = {f};
    report.ranked.push_back(ranked);
  }
  return report;
}

// Findings made apart that say the same (one rule's verdict on pins of different groups,
// "not mapped to an end-of-life product" on most of a fleet) hold one text once ranked;
// what differs keeps its own, and each finding its own component and urgency.
TEST(RankComponents, FindingsThatSayTheSameShareOneText) {
  inventory::Inventory inventory;
  inventory.components = {image("redis", "6.2", "a/compose.yml", 4), image("redis", "6.2.1", "b/compose.yml", 4),
                          image("redis", "6.0", "c/compose.yml", 4)};
  evaluator::Evaluation evaluation;
  evaluation.findings = {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh),
                         finding("uprank.eol.past_end_of_life", 1, compiler::Level::kMedium),
                         finding("uprank.eol.past_end_of_life", 2, compiler::Level::kHigh),
                         finding("uprank.eol.support_ends_soon", 0, compiler::Level::kLow)};
  evaluation.findings[2].edit_text().message = "redis 6.0 left vendor support on 2023-07-31";
  ASSERT_NE(evaluation.findings[0].text, evaluation.findings[1].text);
  Report report = rank_components(inventory, std::move(evaluation), *Date::parse("2026-09-01"));
  ASSERT_EQ(report.findings.size(), 4u);
  EXPECT_EQ(report.findings[0].text, report.findings[1].text);
  EXPECT_NE(report.findings[0].text, report.findings[2].text);  // another message
  EXPECT_NE(report.findings[0].text, report.findings[3].text);  // another rule
  EXPECT_EQ(report.findings[1].components, std::vector<size_t>{1});
  EXPECT_EQ(report.findings[1].level, compiler::Level::kMedium);
  EXPECT_EQ(report.findings[2].message(), "redis 6.0 left vendor support on 2023-07-31");
}

TEST(FindingFingerprint, IgnoresLinesColumnsAndVersions) {
  inventory::Inventory before, after;
  before.components = {image("redis", "6.2.1", "deploy/compose.yml", 4)};
  after.components = {image("redis", "6.2.14", "deploy/compose.yml", 40)};
  after.components[0].location.column = 3;
  Report a = report_of(before, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh)});
  Report b = report_of(after, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh)});
  EXPECT_EQ(finding_fingerprint(a, a.findings[0]), finding_fingerprint(b, b.findings[0]));
  EXPECT_EQ(finding_fingerprint(a, a.findings[0]).size(), 32u);
}

TEST(FindingFingerprint, ChangesWithRuleFileAndComponentNotAdvisories) {
  inventory::Inventory inventory;
  inventory.components = {image("redis", "6.2", "deploy/compose.yml", 4), image("redis", "6.2", "other/compose.yml", 4),
                          image("valkey", "6.2", "deploy/compose.yml", 4)};
  Report report = report_of(inventory, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh),
                                        finding("uprank.eol.support_ends_soon", 0, compiler::Level::kHigh),
                                        finding("uprank.eol.past_end_of_life", 1, compiler::Level::kHigh),
                                        finding("uprank.eol.past_end_of_life", 2, compiler::Level::kHigh)});
  std::set<std::string> distinct;
  for (const auto& item : report.findings) distinct.insert(finding_fingerprint(report, item));
  EXPECT_EQ(distinct.size(), 4u);

  facts::Advisory advisory;
  advisory.id = "CVE-2025-0001";
  compiler::AdvisoryMatch match;
  match.advisory = &advisory;
  evaluator::Finding with_advisory = report.findings[0];
  with_advisory.advisories.push_back(evaluator::AdvisoryEvidence{0, &match});
  // The advisories a finding read are evidence, not identity (docs/baseline.md).
  EXPECT_EQ(finding_fingerprint(report, with_advisory), finding_fingerprint(report, report.findings[0]));
}

TEST(SarifWriter, MapsFindingsToRulesAndResults) {
  inventory::Inventory inventory;
  inventory.components = {image("redis", "6.2", "deploy/my compose.yml", 4), image("nginx", "1.25", "/abs/compose.yml", 0)};
  Report report = report_of(inventory, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kCritical),
                                        finding("uprank.eol.past_end_of_life", 1, compiler::Level::kMedium)});
  WriteOptions options;
  options.tool_version = "9.9.9";
  options.category = "uprank/check";
  Json sarif = Json::parse(write_sarif(report, options));
  EXPECT_EQ(sarif["version"], "2.1.0");
  const Json& run = sarif["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["version"], "9.9.9");
  EXPECT_EQ(run["automationDetails"]["id"], "uprank/check/");
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 1u);
  const Json& rule = run["tool"]["driver"]["rules"][0];
  EXPECT_EQ(rule["name"], "PastEndOfLife");
  EXPECT_EQ(rule["properties"]["security-severity"], "9.5");  // the rule's most urgent finding
  EXPECT_EQ(rule["helpUri"], "https://github.com/uprank/uprank/blob/main/rules/eol/eol.upr#L24");
  ASSERT_EQ(run["results"].size(), 2u);
  const Json& first = run["results"][0];
  EXPECT_EQ(first["level"], "error");
  EXPECT_EQ(first["ruleIndex"], 0);
  EXPECT_EQ(first["message"]["text"], "redis 6.2 left vendor support on 2025-02-28. Recommended target: 7.4.2.");
  const Json& physical = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "deploy/my%20compose.yml");
  EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(physical["region"]["startLine"], 4);
  EXPECT_EQ(physical["region"]["startColumn"], 12);
  EXPECT_EQ(first["partialFingerprints"]["uprank/v1"], finding_fingerprint(report, report.findings[0]));
  const Json& second = run["results"][1];
  EXPECT_EQ(second["level"], "warning");
  EXPECT_EQ(second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "file:///abs/compose.yml");
  EXPECT_FALSE(second["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
  EXPECT_FALSE(second["locations"][0]["physicalLocation"].contains("region"));  // line unknown
}

// docs/inventory.md, "Skipped files": every output carries the count of skipped files
// (issue 12, trial faults I and L): the table's summary line, JSON summary.files_skipped,
// the Markdown's opening, SARIF run properties and one toolExecutionNotification per file
// (SARIF 2.1.0 §3.20.21 invocation.toolExecutionNotifications, §3.58 notification: level
// "note", a message, a location, a descriptor reference).
TEST(Writers, CountTheSkippedFiles) {
  inventory::Inventory inventory;
  inventory.components = {image("redis", "6.2", "compose.yml", 4)};
  auto skipped = [](std::string file, std::string reason) {
    Diagnostic note;
    note.severity = Severity::kNote;
    note.code = "uprank.inventory.skipped";
    note.message = "file skipped: " + reason;
    note.range.begin = SourceLocation{std::move(file), 0, 0};
    return note;
  };
  inventory.diagnostics = {skipped("deploy/values.yaml", "a FIFO (named pipe), not a regular file"),
                           skipped("docs/mkdocs.yml", "YAML of no known kind")};
  Diagnostic other;
  other.severity = Severity::kWarning;
  other.code = "uprank.inventory.too_deep";
  inventory.diagnostics.push_back(other);  // not a skipped file
  Report report = report_of(inventory, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh)});
  EXPECT_EQ(files_skipped(report), 2u);

  EXPECT_NE(write_table(report).find("1 components, 1 with findings, 2 files skipped (--log-level info says why), as of 2026-09-01."),
            std::string::npos);
  EXPECT_EQ(Json::parse(write_json(report))["summary"], (Json{{"files_skipped", 2}}));
  EXPECT_NE(write_markdown(report).find("2 inventory file(s) skipped;"), std::string::npos);

  const Json run = Json::parse(write_sarif(report, WriteOptions{}))["runs"][0];
  EXPECT_EQ(run["properties"]["filesSkipped"], 2);
  const Json& notifications = run["invocations"][0]["toolExecutionNotifications"];
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
  ASSERT_EQ(notifications.size(), 2u);
  EXPECT_EQ(notifications[0]["level"], "note");
  EXPECT_EQ(notifications[0]["descriptor"]["id"], "uprank.inventory.skipped");
  EXPECT_EQ(notifications[0]["message"]["text"], "deploy/values.yaml: file skipped: a FIFO (named pipe), not a regular file.");
  const Json& artifact = notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(artifact["uri"], "deploy/values.yaml");
  EXPECT_EQ(artifact["uriBaseId"], "%SRCROOT%");

  // Nothing skipped: the count is 0 in JSON and SARIF, and the text outputs say nothing.
  inventory.diagnostics.clear();
  EXPECT_EQ(write_table(report).find("skipped"), std::string::npos);
  EXPECT_EQ(Json::parse(write_json(report))["summary"]["files_skipped"], 0);
  EXPECT_EQ(Json::parse(write_sarif(report, WriteOptions{}))["runs"][0]["properties"]["filesSkipped"], 0);
}

TEST(CodeQualityWriter, OneIssuePerFindingWithUniqueFingerprints) {
  inventory::Inventory inventory;
  // The same image pinned twice in one file: two issues, two fingerprints.
  inventory.components = {image("redis", "6.2", "compose.yml", 4), image("redis", "6.2", "compose.yml", 9)};
  Report report = report_of(inventory, {finding("uprank.eol.past_end_of_life", 0, compiler::Level::kHigh),
                                        finding("uprank.eol.past_end_of_life", 1, compiler::Level::kLow)});
  Json issues = Json::parse(write_codequality(report));
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0]["severity"], "critical");
  EXPECT_EQ(issues[1]["severity"], "minor");
  EXPECT_EQ(issues[0]["check_name"], "uprank.eol.past_end_of_life");
  EXPECT_EQ(issues[0]["location"]["path"], "compose.yml");
  EXPECT_EQ(issues[1]["location"]["lines"]["begin"], 9);
  EXPECT_EQ(issues[1]["fingerprint"], issues[0]["fingerprint"].get<std::string>() + "-2");
}

// Markdown cells show controls and bidi overrides as text ("\u{202E}", with its backslash
// escaped for the renderer), like the terminal does, instead of passing them to the page.
TEST(MarkdownWriter, ControlsAndBidiOverridesAreShownNotObeyed) {
  inventory::Inventory inventory;
  Report report;
  report.today = *Date::parse("2026-09-01");
  report.inventory = &inventory;
  RunChanges changes;
  changes.against = "history";
  changes.previous = *Date::parse("2026-08-31");
  changes.added.push_back(ComponentChange{"name:x", "evil\u202Efdp.exe \x1b[31mred", "1", std::nullopt,
                                          compiler::Level::kHigh, {"rule"}});
  report.changes = changes;
  std::string md = write_markdown(report, MarkdownOptions{.summary = true});
  EXPECT_NE(md.find("evil\\\\u{202E}fdp.exe \\\\x1b\\[31mred"), std::string::npos) << md;
  EXPECT_EQ(md.find("\u202E"), std::string::npos);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
}

// A relative Markdown link resolves against the page's own directory (RFC 3986 5.2): a
// page written to out/ links ../deploy/Dockerfile for the working directory's deploy/Dockerfile.
TEST(MarkdownLinks, PrefixLeadsFromThePageBackToTheWorkingDirectory) {
  EXPECT_EQ(markdown_link_prefix("/work/repo/out", "/work/repo"), "../");
  EXPECT_EQ(markdown_link_prefix("/work/repo/out/nightly/", "/work/repo"), "../../");
  EXPECT_EQ(markdown_link_prefix("/tmp/reports", "/work/repo"), "../../work/repo/");
  EXPECT_EQ(markdown_link_prefix("/work/repo", "/work/repo"), "");
  EXPECT_EQ(markdown_link_prefix("/work/repo/./out/..", "/work/repo"), "");
}

}  // namespace
}  // namespace uprank::report
