// The formatter: hand-written before/after cases, and properties over every rule file
// in the repository (rules/, tests/, docs examples): formatting is idempotent, keeps the
// syntax tree and the compiled program, and keeps every comment.
#include "grammar/formatter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/compiler/compiler.h"
#include "grammar/parser.h"
#include "grammar/syntax_text.h"

namespace uprank::grammar {
namespace {

namespace fs = std::filesystem;

struct FormatCase {
  const char* name;
  const char* before;
  const char* after;
};

// Each case shows one rule of the canonical style.
const FormatCase kCases[] = {
    {"empty_file", "", ""},
    {"whitespace_only", "  \n\n\t\n", ""},
    {"package_and_imports",
     "package   uprank.eol\nimport uprank.base   as base\nimport uprank.other\n",
     "package uprank.eol\n\nimport uprank.base as base\nimport uprank.other\n"},
    {"param_spacing", "param warn_window=120d\nparam limit =   -3\n",
     "param warn_window = 120d\nparam limit = -3\n"},
    {"explain_clauses_pad_like_other_clauses",
     "rule r {\nfor c in components\nurgency high\nmessage \"m\"\nexplain   \"Exposure\"   c.exposure   because  \"inventory\"\n}\n"
     "test \"t\" {\ntoday 2026-09-01\ncomponent a { version \"1\" }\nexpect r on a explain  \"Exposure\" \"unknown\"  because \"inventory\"\n}\n",
     "rule r {\n  for c in components\n  urgency high\n  message \"m\"\n  explain \"Exposure\" c.exposure because \"inventory\"\n}\n\n"
     "test \"t\" {\n  today 2026-09-01\n  component a { version \"1\" }\n  expect r on a explain \"Exposure\" \"unknown\" because \"inventory\"\n}\n"},
    {"params_keep_author_grouping", "param a = 1\n\n\n\nparam b = 2\nparam c = 3\n",
     "param a = 1\n\nparam b = 2\nparam c = 3\n"},
    {"different_kinds_are_separated", "param a = 1\ndef f(x) = x + a\n", "param a = 1\n\ndef f(x) = x + a\n"},
    {"def_call_spacing", "def exposed ( c , d )=c.exposure==\"internet\" or d . tier ==1\n",
     "def exposed(c, d) = c.exposure == \"internet\" or d.tier == 1\n"},
    {"rule_clauses_align",
     "rule r{title \"T\"\nfor c in components where c.eol.ended\nurgency high\nscore 10\nreason end_of_support\n"
     "message \"m\"\ntarget c.eol.latest\nwhen true\nrisk rollback \"x\"}",
     "rule r {\n  title   \"T\"\n  for c in components where c.eol.ended\n  urgency high\n  score   10\n"
     "  reason  end_of_support\n  message \"m\"\n  target  c.eol.latest\n  when    true\n  risk    rollback \"x\"\n}\n"},
    {"blocks_get_blank_lines", "rule a {\n urgency low\n}\nrule b {\n urgency low\n}\nparam p = 1\n",
     "rule a {\n  urgency low\n}\n\nrule b {\n  urgency low\n}\n\nparam p = 1\n"},
    {"empty_rule", "rule a {\n\n}\n", "rule a {}\n"},
    {"blank_lines_inside_blocks",
     "rule a {\n\n  urgency low\n\n\n  score 1\n  reason x\n\n}\n",
     "rule a {\n  urgency low\n\n  score   1\n  reason  x\n}\n"},
    {"operators_spacing",
     "rule a {\n  when  (a+b)*-c>=d%2 and not x!~/a b/i or y in [1,2 ,3] or z not in [ ]\n}\n",
     "rule a {\n  when    (a + b) * -c >= d % 2 and not x !~ /a b/i or y in [1, 2, 3] or z not in []\n}\n"},
    {"calls_methods_indexes_quantifiers",
     "rule a {\n  when any ( a in c.releases ( after : c.version , upto:c.target ) where a.tags [ 0 ] == \"x\" )\n"
     "  score count(x in c.advisories)+max ( 1,2 )\n}\n",
     "rule a {\n  when    any(a in c.releases(after: c.version, upto: c.target) where a.tags[0] == \"x\")\n"
     "  score   count(x in c.advisories) + max(1, 2)\n}\n"},
    {"aggregates", "rule a {\n  score max ( a.cvss for a in c.advisories where a.exploited )\n}\n",
     "rule a {\n  score   max(a.cvss for a in c.advisories where a.exploited)\n}\n"},
    {"conditional", "rule a {\n  urgency if   x then   high else low\n}\n",
     "rule a {\n  urgency if x then high else low\n}\n"},
    {"keywords_as_fields", "rule a {\n  when c . urgency == c.score and c.for\n}\n",
     "rule a {\n  when    c.urgency == c.score and c.for\n}\n"},
    {"literals_are_byte_exact",
     "rule a {\n  message   \"{ c.name  }  \\\"quoted\\\" \\{x\\} \\t\"\n  when c.notes ~ /(?i)a  b\\/c/ims\n}\n",
     "rule a {\n  message \"{ c.name  }  \\\"quoted\\\" \\{x\\} \\t\"\n  when    c.notes ~ /(?i)a  b\\/c/ims\n}\n"},
    {"kept_line_breaks_get_continuation_indent",
     "rule kubelet_skew {\n  for node in components(\"kubelet\"), api in components(\"kube-apiserver\")\n"
     "        where node.cluster == api.cluster\n  when node.version > api.version or\n"
     "api.version.minor - node.version.minor > 3\n}\n",
     "rule kubelet_skew {\n  for node in components(\"kubelet\"), api in components(\"kube-apiserver\")\n"
     "    where node.cluster == api.cluster\n  when    node.version > api.version or\n"
     "    api.version.minor - node.version.minor > 3\n}\n"},
    {"breaks_inside_brackets_indent_deeper",
     "rule a {\n  score clamp(\n days(x),\n 0, 30\n )\n}\n",
     "rule a {\n  score   clamp(\n      days(x),\n      0, 30\n    )\n}\n"},
    {"breaks_where_no_space_may_stand_are_removed",
     "rule a {\n  score f\n(x\n, y)\n  target c\n.eol\n.latest\n}\n",
     "rule a {\n  score   f(x, y)\n  target  c.eol.latest\n}\n"},
    {"trailing_comments",
     "rule a {   # why this rule\n  urgency low# low on purpose   \n  score 1 + # one\n 2\n}  # end\n",
     "rule a {  # why this rule\n  urgency low  # low on purpose\n  score   1 +  # one\n    2\n}  # end\n"},
    {"own_line_comments",
     "# header\n\n# about p\nparam p = 1\nrule a {\n# first\n  urgency low\n\n    # second\n\n  score 1\n  # last\n}\n# tail\n",
     "# header\n\n# about p\nparam p = 1\n\nrule a {\n  # first\n  urgency low\n\n  # second\n\n  score   1\n  # last\n}\n"
     "# tail\n"},
    {"comment_inside_expression",
     "rule a {\n  when x and\n  # the second half\n  y\n}\n",
     "rule a {\n  when    x and\n    # the second half\n    y\n}\n"},
    {"comment_in_empty_block", "rule a {\n# todo\n}\n", "rule a {\n  # todo\n}\n"},
    {"constraints",
     "requires \"billing-api\">=\"4.0\"=>\"postgresql\" in \">=13, <17\"(generic) urgency   critical\n"
     "conflicts \"php\" in \">=8\"   with \"drupal\" in \"<9\"\n",
     "requires \"billing-api\" >= \"4.0\" => \"postgresql\" in \">=13, <17\" (generic) urgency critical\n"
     "conflicts \"php\" in \">=8\" with \"drupal\" in \"<9\"\n"},
    {"advisory",
     "advisory \"FG-IR-24-015\" { affects \"fortios\" in \">=7.2.0, <=7.2.6\" (generic)\n fixed \"7.2.7\",\"7.4.3\"\n"
     "cvss \"CVSS:3.1/AV:N\"\nexploited since 2024-02-09\nsummary \"s\"\naliases \"CVE-1\" , \"CVE-2\"\nurl \"https://x\" }\n",
     "advisory \"FG-IR-24-015\" {\n  affects \"fortios\" in \">=7.2.0, <=7.2.6\" (generic)\n  fixed   \"7.2.7\", \"7.4.3\"\n"
     "  cvss    \"CVSS:3.1/AV:N\"\n  exploited since 2024-02-09\n  summary \"s\"\n  aliases \"CVE-1\", \"CVE-2\"\n"
     "  url     \"https://x\"\n}\n"},
    {"suppress_keeps_its_break",
     "suppress past_end_of_life where c.name == \"legacy-reporting\"\n      until 2026-03-31 because \"Q1 (OPS-412)\"\n",
     "suppress past_end_of_life where c.name == \"legacy-reporting\"\n  until 2026-03-31 because \"Q1 (OPS-412)\"\n"},
    {"suppress_one_line", "suppress   uprank.eol.x   until 2026-03-31   because \"r\"\n",
     "suppress uprank.eol.x until 2026-03-31 because \"r\"\n"},
    {"test_block_with_inline_fixtures",
     "test \"postgres 12\"{today 2025-01-01\ncomponent db1 {product \"postgresql\"   version \"12.4\" tags [\"a\",\"b\"]}\n"
     "eol \"postgresql\" \"12\" {ends 2024-11-14 latest \"12.22\"}\ncomponent empty {}\n"
     "expect past_end_of_life on db1,db2 urgency high score -5 reason end_of_support message \"m\" target \"13\"\n"
     "expect no other on db1}\n",
     "test \"postgres 12\" {\n  today 2025-01-01\n  component db1 { product \"postgresql\" version \"12.4\" tags [\"a\", \"b\"] }\n"
     "  eol \"postgresql\" \"12\" { ends 2024-11-14 latest \"12.22\" }\n  component empty {}\n"
     "  expect past_end_of_life on db1, db2 urgency high score -5 reason end_of_support message \"m\" target \"13\"\n"
     "  expect no other on db1\n}\n"},
    {"test_block_with_multiline_fixtures_and_advisory",
     "test \"t\" {\n  component db1 {\n product \"postgresql\" # the product\n version \"12.4\"\n }\n"
     "  release \"nginx\" \"1.25.0\" {\n  notes \"n\"  }\n  param warn_window=30d\n"
     "  advisory \"A-1\" {\n affects \"nginx\"\n exploited\n }\n}\n",
     "test \"t\" {\n  component db1 {\n    product \"postgresql\"  # the product\n    version \"12.4\"\n  }\n"
     "  release \"nginx\" \"1.25.0\" {\n    notes \"n\"\n  }\n  param warn_window = 30d\n"
     "  advisory \"A-1\" {\n    affects \"nginx\"\n    exploited\n  }\n}\n"},
    {"crlf_line_ends", "param a = 1\r\nparam b = 2\r\n# c\r\n", "param a = 1\nparam b = 2\n# c\n"},
    {"comment_only_file", "\n\n# just a note   \n\n# another\n\n", "# just a note\n\n# another\n"},
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string format_or_fail(const std::string& text, const std::string& name) {
  FormatResult result = format_file(text, name);
  std::string rendered;
  for (const auto& diagnostic : result.diagnostics) rendered += render_diagnostic(diagnostic, text);
  EXPECT_TRUE(result.ok()) << name << ":\n" << rendered;
  return result.text;
}

// The program the compiler builds, up to type checking, without positions: formatting
// must not change it.
std::string compiled_form(const std::string& text, const std::string& name) {
  ParseResult parsed = parse_file(text, name);
  compiler::CompileOptions options;
  options.dump_after = "check";
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  compiler::CompileResult result = compiler::compile(files, options);
  std::string codes;
  for (const auto& diagnostic : result.diagnostics) codes += diagnostic.code + " " + diagnostic.message + "\n";
  // Messages may cite positions ("already declared at f:3:1"); keep only their codes then.
  codes = std::regex_replace(codes, std::regex(R"(at \S+:\d+:\d+)"), "at <position>");
  return result.dump + codes;
}

// Checks the three properties on one source that parses.
void check_properties(const std::string& text, const std::string& name) {
  SCOPED_TRACE(name);
  std::string once = format_or_fail(text, name);
  std::string twice = format_or_fail(once, name);
  EXPECT_EQ(once, twice) << "formatting is not idempotent";
  EXPECT_EQ(syntax_text(parse_file(text, name).file), syntax_text(parse_file(once, name).file))
      << "formatting changed the syntax tree";
  EXPECT_EQ(compiled_form(text, name), compiled_form(once, name)) << "formatting changed the compiled program";
  EXPECT_EQ(comments_of(text), comments_of(once)) << "formatting lost or changed a comment";
}

class FormatterCases : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatterCases, FormatsToTheCanonicalLayout) {
  const FormatCase& c = GetParam();
  Result<std::string> formatted = format_source(c.before, std::string(c.name) + ".upr");
  ASSERT_TRUE(formatted.ok()) << formatted.error().to_string();
  EXPECT_EQ(*formatted, c.after);
}

TEST_P(FormatterCases, CanonicalFormIsAFixedPoint) {
  const FormatCase& c = GetParam();
  Result<std::string> formatted = format_source(c.after, std::string(c.name) + ".upr");
  ASSERT_TRUE(formatted.ok()) << formatted.error().to_string();
  EXPECT_EQ(*formatted, c.after);
}

TEST_P(FormatterCases, KeepsMeaningAndComments) { check_properties(GetParam().before, GetParam().name); }

INSTANTIATE_TEST_SUITE_P(Style, FormatterCases, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<FormatCase>& info) { return std::string(info.param.name); });

// Every .upr file in the repository's rule packs, tests and docs; files that do not
// parse (the broken cases of the golden tests) are only checked to be refused.
std::vector<std::pair<std::string, std::string>> repository_sources() {
  std::vector<std::pair<std::string, std::string>> sources;
  const fs::path root = UPRANK_SOURCE_DIR;
  for (const char* folder : {"rules", "tests", "docs", "examples"}) {
    std::error_code error;
    if (!fs::is_directory(root / folder, error)) continue;
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(root / folder, error); !error && it != fs::recursive_directory_iterator();
         it.increment(error)) {
      if (it->is_regular_file() && (it->path().extension() == ".upr" || it->path().extension() == ".md")) {
        found.push_back(it->path());
      }
    }
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      std::string text = read_file(path);
      std::string name = fs::relative(path, root).string();
      if (path.extension() == ".upr") {
        sources.emplace_back(name, std::move(text));
        continue;
      }
      // Docs: every ```upr fenced block is an example.
      static const std::regex block("```upr\\n([\\s\\S]*?)```");
      int index = 0;
      for (auto m = std::sregex_iterator(text.begin(), text.end(), block); m != std::sregex_iterator(); ++m) {
        sources.emplace_back(name + "#" + std::to_string(++index), (*m)[1].str());
      }
    }
  }
  return sources;
}

TEST(FormatterProperties, HoldForEveryRuleFileInTheRepository) {
  auto sources = repository_sources();
  ASSERT_FALSE(sources.empty());
  int formatted = 0;
  for (const auto& [name, text] : sources) {
    if (has_errors(parse_file(text, name).diagnostics)) {
      EXPECT_FALSE(format_file(text, name).ok()) << name << ": a file with errors must not be formatted";
      continue;
    }
    check_properties(text, name);
    ++formatted;
  }
  EXPECT_GT(formatted, 0);
  std::printf("formatter properties checked on %d of %zu repository sources\n", formatted, sources.size());
}

TEST(FormatterProperties, ShippedRulePacksAreCanonical) {
  for (const auto& [name, text] : repository_sources()) {
    if (name.rfind("rules/", 0) != 0) continue;
    EXPECT_EQ(format_or_fail(text, name), text) << name << " is not formatted; run `uprank rules fmt rules`";
  }
}

TEST(Formatter, RefusesFilesWithSyntaxErrors) {
  FormatResult result = format_file("rule r {\n  urgency high +\n}\n", "broken.upr");
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.text.empty());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].code, "uprank.syntax");
  EXPECT_EQ(result.diagnostics[0].range.begin.line, 3);

  Result<std::string> source = format_source("rule r { message \"\\q\" }", "escape.upr");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code, "uprank.fmt.unparseable");
  EXPECT_NE(source.error().message.find("uprank.bad_escape"), std::string::npos);
}

TEST(Formatter, ListsComments) {
  EXPECT_EQ(comments_of("# a  \nparam p = \"#not\" # b\n"), (std::vector<std::string>{"# a", "# b"}));
}

}  // namespace
}  // namespace uprank::grammar
