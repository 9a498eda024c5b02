#include <gtest/gtest.h>

#include <fstream>

#include "grammar/parser.h"
#include "tests/test_folder.h"

namespace uprank::grammar {
namespace {

TEST(Parser, LowersRulesWithClausesAndSourceRanges) {
  ParseResult result = parse_file(R"(package uprank.eol
param warn_window = 120d
rule past_end_of_life {
  title   "Past vendor end of support"
  for c in components where c.eol.ends <= today
  urgency high
  score   50 + clamp(days(today - c.eol.ends) / 7, 0, 40)
  reason  end_of_support
  message "{c.name} {c.version} left vendor support on {c.eol.ends}"
}
)", "eol.upr");
  ASSERT_TRUE(result.diagnostics.empty()) << render_diagnostic(result.diagnostics[0]);
  EXPECT_EQ(result.file.package, "uprank.eol");
  ASSERT_EQ(result.file.params.size(), 1u);
  ASSERT_EQ(result.file.rules.size(), 1u);
  const ast::Rule& rule = result.file.rules[0];
  EXPECT_EQ(rule.name, "past_end_of_life");
  EXPECT_EQ(rule.name_range.begin.line, 3);
  EXPECT_EQ(rule.name_range.begin.column, 6);
  ASSERT_EQ(rule.bindings.size(), 1u);
  EXPECT_EQ(rule.bindings[0].variable, "c");
  EXPECT_EQ(rule.reason, "end_of_support");
  ASSERT_TRUE(rule.message);
  const auto* message = std::get_if<ast::Interpolation>(&rule.message->node);
  ASSERT_NE(message, nullptr);
  ASSERT_EQ(message->values.size(), 3u);
  EXPECT_EQ(message->texts[1], " ");
  // The embedded "c.version" starts at column 22 of line 9.
  EXPECT_EQ(message->values[1]->range.begin.line, 9);
  EXPECT_EQ(message->values[1]->range.begin.column, 22);
}

TEST(Parser, ReportsSyntaxErrorsWithPositionAndHint) {
  ParseResult result = parse_file("rule broken {\n  urgency high\n  message \"x\" +\n}\n", "broken.upr");
  ASSERT_FALSE(result.diagnostics.empty());
  const Diagnostic& first = result.diagnostics[0];
  EXPECT_EQ(first.code, "uprank.syntax");
  EXPECT_EQ(first.range.begin.file, "broken.upr");
  EXPECT_EQ(first.range.begin.line, 4);
  EXPECT_EQ(first.range.begin.column, 1);
  EXPECT_EQ(first.message, "unexpected '}'");
}

TEST(Parser, TellsRegexFromDivision) {
  ParseResult result = parse_file(R"(rule r {
  for c in components where c.name ~ /^db-[0-9]+/i and days(today - today) / 7 / 2 < 1
  urgency low
  message "x"
})", "r.upr");
  ASSERT_TRUE(result.diagnostics.empty()) << render_diagnostic(result.diagnostics[0]);
  const auto& where = std::get<ast::Binary>(result.file.rules[0].where->node);
  const auto& match = std::get<ast::Binary>(where.left->node);
  EXPECT_EQ(match.op, ast::BinaryOp::kMatch);
  const auto& regex = std::get<ast::Regex>(std::get<ast::Literal>(match.right->node).value);
  EXPECT_EQ(regex.pattern, "^db-[0-9]+");
  EXPECT_EQ(regex.flags, "i");
}

TEST(Parser, ReportsUnterminatedStrings) {
  ParseResult result = parse_file("rule r {\n  message \"never closed\n}\n", "r.upr");
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].message, "unterminated string");
  EXPECT_EQ(result.diagnostics[0].range.begin.line, 2);
  EXPECT_EQ(result.diagnostics[0].range.begin.column, 11);
}

TEST(Parser, ReportsErrorsInsideInterpolations) {
  ParseResult result = parse_file("rule r {\n  message \"{c.name +}\"\n}\n", "r.upr");
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].range.begin.line, 2);
  EXPECT_EQ(result.diagnostics[0].range.begin.column, 21);
}

TEST(Parser, RejectsDeepNestingWithoutCrashing) {
  std::string deep = "param p = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n";
  ParseResult result = parse_file(deep, "deep.upr");
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].code, "uprank.too_deep");

  std::string negations = "param p = " + std::string(50000, '-') + "1\n";
  EXPECT_EQ(parse_file(negations, "neg.upr").diagnostics.at(0).code, "uprank.too_deep");
}

TEST(Parser, HandlesLongFlatExpressions) {
  std::string sum = "param p = 1";
  for (int i = 0; i < 20000; ++i) sum += " + 1";
  ParseResult result = parse_file(sum + "\n", "sum.upr");
  // Either accepted or refused with a diagnostic: never a crash.
  if (!result.diagnostics.empty()) EXPECT_EQ(result.diagnostics[0].code, "uprank.too_deep");
}

TEST(Parser, RefusesOversizedFiles) {
  ParseOptions options;
  options.max_file_bytes = 10;
  ParseResult result = parse_file("package a.b.c.d.e.f\n", "big.upr", options);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].code, "uprank.file_too_large");
}

TEST(Parser, AcceptsClauseWordsAsFieldNames) {
  ParseResult result = parse_file("rule r {\n  for c in components where c.attribute(\"k\") == \"x\" and c.eol.ended\n"
                                  "  urgency low\n  message \"{c.name}\"\n}\n", "r.upr");
  EXPECT_TRUE(result.diagnostics.empty());
}

// Rule files are named from their root, never by where they were read: the shipped packs
// read as uprank/<pack>/<file>.upr wherever they are installed.
TEST(LoadRuleRoots, NamesFilesFromTheirRoot) {
  test_support::TestFolder folder("uprank-rule-roots");
  std::filesystem::create_directories(folder.path() / "share/rules/eol");
  std::ofstream(folder.path() / "share/rules/eol/eol.upr") << "package uprank.eol\nparam a = 1\n";
  std::ofstream(folder.path() / "site.upr") << "package site\nparam b =\n";  // a syntax error
  const std::string rules = (folder.path() / "share/rules").string();
  const std::string site = (folder.path() / "site.upr").string();

  struct Case {
    std::vector<RuleRoot> roots;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {{{rules, "uprank"}, {site, "site.upr"}}, {"uprank/eol/eol.upr", "site.upr"}},
      {{{rules + "/", "uprank"}}, {"uprank/eol/eol.upr"}},
      {{{rules + "/eol", "./packs/"}}, {"packs/eol.upr"}},
      {{{rules, ""}}, {rules + "/eol/eol.upr"}},  // no name: the path it was found at
  };
  for (const Case& test : cases) {
    LoadResult loaded = load_rule_roots(test.roots);
    std::vector<std::string> names;
    for (const SourceFile& source : loaded.sources) names.push_back(source.path);
    EXPECT_EQ(names, test.names) << test.roots[0].path;
  }

  LoadResult broken = load_rule_roots({{site, "site.upr"}});
  ASSERT_FALSE(broken.diagnostics.empty());
  EXPECT_EQ(broken.diagnostics[0].range.begin.file, "site.upr");

  LoadResult missing = load_rule_roots({{(folder.path() / "nowhere").string(), "uprank"}});
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(missing.diagnostics[0].code, "uprank.rules_not_found");
}

}  // namespace
}  // namespace uprank::grammar
