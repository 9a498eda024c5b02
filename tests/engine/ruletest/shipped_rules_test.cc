// The rule packs that ship with uprank pass their own tests, and every shipped rule is
// exercised by at least one of them.
#include <gtest/gtest.h>

#include "engine/ruletest/ruletest.h"
#include "grammar/parser.h"

namespace uprank {
namespace {

TEST(ShippedRules, PassTheirTestsWithFullCoverage) {
  grammar::LoadResult loaded = grammar::load_rule_files({std::string(UPRANK_SOURCE_DIR) + "/rules"});
  for (const auto& d : loaded.diagnostics) ADD_FAILURE() << render_diagnostic(d);
  ruletest::RunResult result = ruletest::run_rule_tests(loaded.files);
  for (const auto& d : result.diagnostics) ADD_FAILURE() << render_diagnostic(d);
  EXPECT_GE(result.tests.size(), 10u);
  for (const auto& test : result.tests) {
    std::string failures;
    for (const auto& failure : test.failures) failures += "\n  " + failure;
    EXPECT_TRUE(test.passed) << test.range.begin.to_string() << ": " << test.name << failures;
  }
  EXPECT_TRUE(result.unexercised.empty()) << "not exercised: " << ::testing::PrintToString(result.unexercised);
}

TEST(RuleTests, ReportExpectedAgainstActual) {
  auto parsed = grammar::parse_file(R"(
rule r {
  for c in components where c.eol.ended
  urgency high
  message "{c.name} ended"
}
test "wrong expectations fail with both sides" {
  today     2026-09-01
  component db { product "postgresql" version "12.4" }
  eol "postgresql" "12" { ends 2024-11-21 }
  expect r on db urgency critical message "db ended"
}
test "a rule that does not fire" {
  today     2026-09-01
  component db { product "postgresql" version "17.1" }
  eol "postgresql" "17" { ends 2029-11-08 }
  expect r on db
})", "t.upr");
  ASSERT_TRUE(parsed.diagnostics.empty());
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  ruletest::RunResult result = ruletest::run_rule_tests(files);
  ASSERT_EQ(result.tests.size(), 2u);
  EXPECT_FALSE(result.tests[0].passed);
  ASSERT_EQ(result.tests[0].failures.size(), 1u);
  EXPECT_EQ(result.tests[0].failures[0], "t.upr:11:18: r on db: expected urgency critical, got high");
  EXPECT_FALSE(result.tests[1].passed);
  EXPECT_EQ(result.tests[1].failures.at(0), "expected r on db, but it did not fire");
  EXPECT_EQ(result.passed(), 0u);
  EXPECT_EQ(result.unexercised, std::vector<std::string>{"r"});
}

TEST(RuleTests, ReportRankExpectationsAgainstTheRanking) {
  auto parsed = grammar::parse_file(R"(
rule r {
  for c in components where c.eol.ended
  urgency high
  score   50
  message "{c.name} ended"
  due     c.eol.ends
}
rank p {
  for c in components
  urgency max(f.urgency for f in c.findings)
  score   max(f.score for f in c.findings)
  due     min(f.due for f in c.findings)
  factor  "Exposure" (if c.exposure == "internet" then 10 else 0) because "exposure {c.exposure}"
}
test "wrong rank expectations fail with both sides" {
  today     2026-09-01
  component db { product "postgresql" version "12.4" }
  component web { product "postgresql" version "12.4" exposure "internet" }
  component fine { product "postgresql" version "17.1" }
  eol "postgresql" "12" { ends 2024-11-21 }
  eol "postgresql" "17" { ends 2029-11-08 }
  expect rank on web score 50 due none factor "Exposure" 10 because "internet"
  expect rank order db, web
  expect rank on fine
  expect no rank on db
  expect r on db due 2024-11-22
}
test "right ones pass" {
  today     2026-09-01
  component db { product "postgresql" version "12.4" }
  component web { product "postgresql" version "12.4" exposure "internet" }
  eol "postgresql" "12" { ends 2024-11-21 }
  expect rank on web urgency high score 60 due 2024-11-21 factor "Exposure" 10 because "exposure internet"
  expect rank order web, db
  expect r on db due 2024-11-21
})", "t.upr");
  ASSERT_TRUE(parsed.diagnostics.empty()) << render_diagnostic(parsed.diagnostics[0]);
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  ruletest::RunResult result = ruletest::run_rule_tests(files);
  ASSERT_TRUE(result.diagnostics.empty()) << render_diagnostic(result.diagnostics[0]);
  ASSERT_EQ(result.tests.size(), 2u);
  EXPECT_EQ(result.tests[0].failures, (std::vector<std::string>{
                                          "t.upr:23:22: rank on web: expected score 50, got 60",
                                          "t.upr:23:31: rank on web: expected due none, got 2024-11-21",
                                          "t.upr:23:40: rank on web: expected factor \"Exposure\" 10 because \"internet\", "
                                          "got \"Exposure\" 10 because \"exposure internet\"",
                                          "t.upr:24:3: expected rank order db, web, got web, db",
                                          "expected rank on fine, but it has no findings to rank",
                                          "expected no rank on db, but it ranks 2 (high)",
                                          "t.upr:27:18: r on db: expected due 2024-11-22, got 2024-11-21",
                                      }));
  EXPECT_TRUE(result.tests[1].passed) << (result.tests[1].failures.empty() ? "" : result.tests[1].failures[0]);
  EXPECT_TRUE(result.unexercised.empty()) << ::testing::PrintToString(result.unexercised);
}

}  // namespace
}  // namespace uprank
