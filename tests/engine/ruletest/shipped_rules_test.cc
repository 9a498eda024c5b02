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

}  // namespace
}  // namespace uprank
