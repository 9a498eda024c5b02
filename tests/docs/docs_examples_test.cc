// Every ```upr block of docs/rule-language.md compiles without errors and its tests pass,
// so the reference cannot drift from the language.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/ruletest/ruletest.h"
#include "grammar/parser.h"

namespace uprank {
namespace {

struct Example {
  int line;  // where the block starts in the document
  std::string text;
};

std::vector<Example> examples() {
  std::ifstream in(std::string(UPRANK_SOURCE_DIR) + "/docs/rule-language.md");
  std::vector<Example> found;
  std::string line;
  int number = 0;
  Example* open = nullptr;
  while (std::getline(in, line)) {
    ++number;
    if (open == nullptr && line == "```upr") {
      found.push_back(Example{number + 1, ""});
      open = &found.back();
    } else if (open != nullptr && line == "```") {
      open = nullptr;
    } else if (open != nullptr) {
      open->text += line + "\n";
    }
  }
  return found;
}

void PrintTo(const Example& example, std::ostream* out) { *out << "docs/rule-language.md:" << example.line; }

class DocsExample : public ::testing::TestWithParam<Example> {};

TEST_P(DocsExample, CompilesAndItsTestsPass) {
  const Example& example = GetParam();
  std::string where = "docs/rule-language.md:" + std::to_string(example.line);
  grammar::ParseResult parsed = grammar::parse_file(example.text, where);
  for (const auto& d : parsed.diagnostics) ADD_FAILURE() << render_diagnostic(d, example.text);
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  ruletest::RunResult result = ruletest::run_rule_tests(files);
  for (const auto& d : result.diagnostics) ADD_FAILURE() << render_diagnostic(d, example.text);
  EXPECT_FALSE(result.rules.empty()) << where;
  for (const auto& test : result.tests) {
    EXPECT_TRUE(test.passed) << where << ": " << test.name << (test.failures.empty() ? "" : "\n  " + test.failures[0]);
  }
}

INSTANTIATE_TEST_SUITE_P(RuleLanguage, DocsExample, ::testing::ValuesIn(examples()),
                         [](const ::testing::TestParamInfo<Example>& info) { return "line_" + std::to_string(info.param.line); });

TEST(DocsExamples, AreFound) { EXPECT_GE(examples().size(), 10u); }

}  // namespace
}  // namespace uprank
