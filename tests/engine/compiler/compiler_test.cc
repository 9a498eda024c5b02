#include <gtest/gtest.h>

#include "engine/compiler/compiler.h"
#include "grammar/parser.h"

namespace uprank::compiler {
namespace {

struct Compiled {
  CompileResult result;
  std::vector<Diagnostic> parse_diagnostics;
};

Compiled compile_text(const std::string& text, CompileOptions options = {}) {
  auto parsed = grammar::parse_file(text, "test.upr");
  Compiled compiled;
  compiled.parse_diagnostics = parsed.diagnostics;
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  compiled.result = compile(files, options);
  return compiled;
}

std::string rule_with(const std::string& where, const std::string& extra = "") {
  return "rule r {\n  for c in components where " + where + "\n  urgency high\n  message \"m\"\n" + extra + "}\n";
}

struct DiagnosticCase {
  std::string source;
  std::string code;
  int line;
  int column;
  std::string hint_contains;
};

void PrintTo(const DiagnosticCase& c, std::ostream* out) { *out << c.code << " at " << c.line << ":" << c.column; }

class CompilerDiagnostics : public ::testing::TestWithParam<DiagnosticCase> {};

TEST_P(CompilerDiagnostics, ReportCodeAndPosition) {
  const DiagnosticCase& c = GetParam();
  Compiled compiled = compile_text(c.source);
  ASSERT_TRUE(compiled.parse_diagnostics.empty()) << render_diagnostic(compiled.parse_diagnostics[0]);
  ASSERT_FALSE(compiled.result.diagnostics.empty()) << c.source;
  const Diagnostic& first = compiled.result.diagnostics[0];
  EXPECT_EQ(first.code, c.code) << render_diagnostic(first);
  EXPECT_EQ(first.range.begin.line, c.line) << render_diagnostic(first);
  EXPECT_EQ(first.range.begin.column, c.column) << render_diagnostic(first);
  EXPECT_NE(first.hint.find(c.hint_contains), std::string::npos) << render_diagnostic(first);
  EXPECT_EQ(compiled.result.program, nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CompilerDiagnostics,
    ::testing::Values(
        DiagnosticCase{rule_with("c.eoll.ends <= today"), "uprank.unknown_field", 2, 31, "did you mean 'eol'?"},
        DiagnosticCase{rule_with("c.eol.ends <= 5"), "uprank.type_mismatch", 2, 29, ""},
        DiagnosticCase{rule_with("c.name == \"x\" and todya > c.eol.ends"), "uprank.unknown_name", 2, 47, "today"},
        DiagnosticCase{rule_with("c.name ~ /(unclosed/"), "uprank.bad_regex", 2, 38, "RE2"},
        DiagnosticCase{rule_with("c.name == \"x\"", "  reason end_of_suport\n"), "uprank.unknown_reason", 5, 10,
                       "end_of_support"},
        DiagnosticCase{"rule r {\n  for c in components\n  message \"m\"\n}\n", "uprank.missing_clause", 1, 6, "urgency"},
        DiagnosticCase{rule_with("dayz(today - c.eol.ends) > 3"), "uprank.unknown_function", 2, 29, "days"},
        DiagnosticCase{rule_with("c.version in \">= ,\""), "uprank.bad_range", 2, 42, ""},
        DiagnosticCase{"param p = today\n", "uprank.param_not_literal", 1, 11, ""},
        DiagnosticCase{"def f(x) = f(x)\n" + rule_with("f(1) > 0"), "uprank.recursive_def", 1, 12, ""},
        DiagnosticCase{rule_with("c.name == \"a\"", "  urgency low\n"), "uprank.repeated_clause", 5, 3, ""},
        DiagnosticCase{"import uprank.nothing\n" + rule_with("true"), "uprank.unknown_package", 1, 8, ""}));

// A rule that always fires, and a rank policy with `clauses` after its `for`.
std::string rank_with(const std::string& clauses, const std::string& name = "by_context") {
  return "rule r {\n  for c in components\n  urgency high\n  message \"m\"\n}\n"
         "rank " + name + " {\n  for c in components\n" + clauses + "}\n";
}

INSTANTIATE_TEST_SUITE_P(
    RankPolicies, CompilerDiagnostics,
    ::testing::Values(
        // Line 8 is the first clause after `for`.
        DiagnosticCase{rank_with("  urgency max(f.urgncy for f in c.findings)\n"), "uprank.unknown_field", 8, 17,
                       "did you mean 'urgency'?"},
        DiagnosticCase{rank_with("  urgency max(f.score for f in c.findings)\n"), "uprank.type_mismatch", 8, 11, ""},
        DiagnosticCase{rank_with("  urgency high\n  due max(f.score for f in c.findings)\n"), "uprank.type_mismatch", 9, 7,
                       ""},
        DiagnosticCase{rank_with("  urgency high\n  factor \"Exposure\" c.exposure\n"), "uprank.type_mismatch", 9, 21, ""},
        DiagnosticCase{rank_with("  urgency high\n  factor \"E\" 1\n  factor \"E\" 2\n"), "uprank.repeated_clause", 10, 10,
                       "named once"},
        DiagnosticCase{rank_with("  urgency high\n  score 1 because c.findings\n"), "uprank.type_mismatch", 9, 19, ""},
        DiagnosticCase{rank_with("  score 1\n"), "uprank.missing_clause", 6, 6, "urgency"},
        DiagnosticCase{"rank p {\n  urgency high\n}\n", "uprank.missing_clause", 1, 6, "for c in components"},
        DiagnosticCase{"rank p {\n  for c in components(\"x\")\n  urgency high\n}\n", "uprank.type_mismatch", 2, 12,
                       "for c in components"},
        DiagnosticCase{rank_with("  urgency high\n  score len(c.findings) + f.explained(1)\n"), "uprank.unknown_name", 9, 27,
                       ""},
        DiagnosticCase{rank_with("  urgency max(f.urgency for f in c.findings where f.explaned(\"D\") == \"act\")\n"),
                       "uprank.unknown_method", 8, 53, "explained"},
        DiagnosticCase{rule_with("len(c.findings) > 0"), "uprank.misplaced_findings", 2, 35, "rank"},
        DiagnosticCase{rank_with("  urgency high\n") + "rank other {\n  for c in components\n  urgency low\n}\n",
                       "uprank.duplicate_rank", 10, 6, "overrides the shipped one"}));

TEST(Compiler, FindingsAreUnreadableInDefsCalledByRules) {
  Compiled compiled = compile_text("def noisy(c) = count(f in c.findings) > 0\n" + rule_with("noisy(c)"));
  ASSERT_FALSE(compiled.result.diagnostics.empty());
  EXPECT_EQ(compiled.result.diagnostics[0].code, "uprank.misplaced_findings");
  EXPECT_EQ(compiled.result.diagnostics[0].range.begin.line, 1);
}

TEST(Compiler, APolicyOutsideTheShippedPackagesOverridesTheShippedOne) {
  auto shipped = grammar::parse_file("package uprank.rank\n" + rank_with("  urgency high\n", "shipped"), "shipped.upr");
  auto own = grammar::parse_file("package site\nrank mine {\n  for c in components\n  urgency low\n}\n", "site.upr");
  ASSERT_TRUE(shipped.diagnostics.empty() && own.diagnostics.empty());
  std::vector<ast::File> files;
  files.push_back(std::move(shipped.file));
  files.push_back(std::move(own.file));
  CompileResult result = compile(files);
  ASSERT_NE(result.program, nullptr) << (result.diagnostics.empty() ? "" : render_diagnostic(result.diagnostics[0]));
  ASSERT_NE(result.program->rank_policy(), nullptr);
  EXPECT_EQ(result.program->rank_policy()->qualified_name, "site.mine");
  EXPECT_EQ(result.program->overridden_rank_policies(), std::vector<std::string>{"uprank.rank.shipped"});
}

TEST(Compiler, RankKeywordsStayUsableAsNames) {
  Compiled compiled = compile_text("def due(rank) = rank + 1\nparam factor = 2\n" +
                                   rule_with("due(factor) > 0", "  due today\n"));
  ASSERT_TRUE(compiled.parse_diagnostics.empty()) << render_diagnostic(compiled.parse_diagnostics[0]);
  EXPECT_NE(compiled.result.program, nullptr);
  EXPECT_EQ(compiled.result.program->rank_policy(), nullptr);
}

TEST(Compiler, CompilesAValidRulePackWithoutDiagnostics) {
  Compiled compiled = compile_text(R"(package p
param window = 90d
def soon(d) = d <= today + window
rule r {
  for c in components where soon(c.eol.ends) and not c.eol.ended
  urgency if c.exposure == "internet" then critical else medium
  score 10 + days(c.eol.ends - today) / 7
  reason end_of_support
  message "{c.name} ends {c.eol.ends}"
  target supported_target(c, today + window)
}
)");
  ASSERT_TRUE(compiled.result.diagnostics.empty()) << render_diagnostic(compiled.result.diagnostics[0]);
  ASSERT_NE(compiled.result.program, nullptr);
  EXPECT_EQ(compiled.result.program->rules().size(), 1u);
  EXPECT_EQ(compiled.result.program->rules()[0].qualified_name, "p.r");
}

TEST(Compiler, AppliesParamOverridesInTheParamsType) {
  CompileOptions options;
  options.param_overrides["window"] = "6w";
  Compiled compiled = compile_text("param window = 90d\n" + rule_with("c.eol.ends <= today + window"), options);
  ASSERT_NE(compiled.result.program, nullptr);
  EXPECT_EQ(compiled.result.program->params()[0].value.days, 42);

  options.param_overrides["window"] = "soon";
  compiled = compile_text("param window = 90d\n" + rule_with("c.eol.ends <= today + window"), options);
  ASSERT_FALSE(compiled.result.diagnostics.empty());
  EXPECT_EQ(compiled.result.diagnostics[0].code, "uprank.bad_param_value");
}

// Issue 12, trial fault D: `--param kubernetes_version=abc` (or empty) exited 0 and every
// manifest read "version unknown". A param declared with a scheme takes only versions of it.
TEST(Compiler, VersionParamsTakeOnlyVersionsOfTheirScheme) {
  const std::string source = "param kubernetes_version = \"\" (generic)\n" + rule_with("kubernetes_version != \"\"");
  CompileOptions options;
  options.param_override_origin = "--param";
  options.param_overrides["kubernetes_version"] = "1.29";
  Compiled compiled = compile_text(source, options);
  ASSERT_NE(compiled.result.program, nullptr);
  EXPECT_EQ(compiled.result.program->params()[0].value.text, "1.29");
  compiled = compile_text(source);  // no override: "" stands for none
  ASSERT_NE(compiled.result.program, nullptr) << render_diagnostic(compiled.result.diagnostics[0]);
  for (std::string bad : {"abc", "", "latest"}) {
    options.param_overrides["kubernetes_version"] = bad;
    compiled = compile_text(source, options);
    ASSERT_FALSE(compiled.result.diagnostics.empty()) << "'" << bad << "'";
    const Diagnostic& first = compiled.result.diagnostics[0];
    EXPECT_EQ(first.code, "uprank.bad_param_value") << "'" << bad << "'";
    EXPECT_NE(first.message.find("param 'kubernetes_version' takes a generic version such as 1.29"), std::string::npos)
        << first.message;
    EXPECT_EQ(first.range.begin.file, "--param");
    EXPECT_EQ(compiled.result.program, nullptr);
  }
  // The declaration is checked too: an unknown scheme, a default that is no version of it,
  // a scheme on a param that is not a string.
  for (const auto& [declaration, code] : std::vector<std::pair<std::string, std::string>>{
           {"param v = \"\" (genric)\n", "uprank.unknown_scheme"},
           {"param v = \"abc\" (generic)\n", "uprank.bad_version"},
           {"param v = 3 (generic)\n", "uprank.type_mismatch"}}) {
    compiled = compile_text(declaration + rule_with("v != \"\""));
    ASSERT_FALSE(compiled.result.diagnostics.empty()) << declaration;
    EXPECT_EQ(compiled.result.diagnostics[0].code, code) << declaration;
  }
}

// Issue 12, trial fault K: `because " "` hid findings with a reason that says nothing.
TEST(Compiler, SuppressionReasonsMustSaySomething) {
  for (std::string reason : {"", " ", "  \t "}) {
    Compiled compiled = compile_text(rule_with("c.name == \"x\"") + "suppress r until 2026-10-01 because \"" + reason + "\"\n");
    ASSERT_FALSE(compiled.result.diagnostics.empty()) << "'" << reason << "'";
    const Diagnostic& first = compiled.result.diagnostics[0];
    EXPECT_EQ(first.code, "uprank.missing_reason");
    EXPECT_EQ(first.range.begin.file, "test.upr");
    EXPECT_EQ(first.range.begin.line, 6);
  }
  Compiled compiled = compile_text(rule_with("c.name == \"x\"") + "suppress r until 2026-10-01 because \"web: OPS-1\"\n");
  EXPECT_TRUE(compiled.result.diagnostics.empty());
}

// The files a suppression confines itself to (docs/rule-language.md, suppressions): what a
// check of one folder needs to tell "unused" from "not checked" (trial fault G).
TEST(Compiler, SuppressionsKnowTheFilesTheyConfineThemselvesTo) {
  auto files_of = [](const std::string& where) {
    Compiled compiled = compile_text(rule_with("c.name != \"\"") + "suppress r" + where + " until 2026-10-01 because \"x\"\n");
    EXPECT_NE(compiled.result.program, nullptr) << where;
    return compiled.result.program ? compiled.result.program->suppressions()[0].files : std::vector<std::string>{"?"};
  };
  EXPECT_EQ(files_of(""), std::vector<std::string>{});
  EXPECT_EQ(files_of(" where c.file == \"docker/Dockerfile\""), std::vector<std::string>{"docker/Dockerfile"});
  EXPECT_EQ(files_of(" where c.name == \"redis\" and \"a.yaml\" == c.file"), std::vector<std::string>{"a.yaml"});
  EXPECT_EQ(files_of(" where c.file in [\"a\", \"b/c\"] and c.name == \"x\""), (std::vector<std::string>{"a", "b/c"}));
  EXPECT_EQ(files_of(" where c.file == \"a\" or c.name == \"x\""), std::vector<std::string>{});  // not confined
  EXPECT_EQ(files_of(" where c.file ~ /^deploy\\//"), std::vector<std::string>{});
}

// `escalates`: rules of one escalation family, the first of the chain naming it.
TEST(Compiler, EscalatesLinksRulesIntoAFamily) {
  const std::string base = "package p\n" + rule_with("c.name == \"a\"") +
                           "rule s {\n  for c in components\n  urgency high\n  message \"m\"\n  escalates r\n}\n"
                           "rule t {\n  for c in components\n  urgency critical\n  message \"m\"\n  escalates p.s\n}\n";
  Compiled compiled = compile_text(base);
  ASSERT_NE(compiled.result.program, nullptr) << render_diagnostic(compiled.result.diagnostics[0]);
  const auto& rules = compiled.result.program->rules();
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].family, "p.r");
  EXPECT_EQ(rules[1].escalates, "p.r");
  EXPECT_EQ(rules[1].family, "p.r");
  EXPECT_EQ(rules[2].family, "p.r");
  for (const auto& [source, code] : std::vector<std::pair<std::string, std::string>>{
           {rule_with("c.name == \"a\"", "  escalates r\n"), "uprank.bad_escalation"},
           {rule_with("c.name == \"a\"", "  escalates nosuch\n"), "uprank.unknown_rule"},
           {rule_with("c.name == \"a\"", "  escalates s\n") +
                "rule s {\n  for c in components\n  urgency high\n  message \"m\"\n  escalates r\n}\n",
            "uprank.bad_escalation"}}) {
    compiled = compile_text(source);
    ASSERT_FALSE(compiled.result.diagnostics.empty()) << source;
    EXPECT_EQ(compiled.result.diagnostics[0].code, code) << source;
    EXPECT_EQ(compiled.result.program, nullptr);
  }
}

TEST(Compiler, WarnsAboutUnusedParamsAndShadowing) {
  Compiled compiled = compile_text("param unused = 3\nparam c = 1\n" + rule_with("c.name == \"x\""));
  ASSERT_NE(compiled.result.program, nullptr);
  std::vector<std::string> codes;
  for (const auto& diagnostic : compiled.result.diagnostics) codes.push_back(diagnostic.code);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "uprank.unused_param"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "uprank.shadowed_name"), codes.end());
}

TEST(Compiler, ResolvesQualifiedNamesOfImportedPackages) {
  auto base = grammar::parse_file("package acme.eol\nparam window = 90d\ndef exposed(c) = c.exposure == \"internet\"\n", "a.upr");
  auto user = grammar::parse_file(R"(package acme.site
import acme.eol as policy
rule r {
  for c in components where c.eol.ends <= today + policy.window and acme.eol.exposed(c) and policy.exposed(c)
  urgency high
  message "{c.name} within {acme.eol.window}"
})", "b.upr");
  ASSERT_TRUE(base.diagnostics.empty());
  ASSERT_TRUE(user.diagnostics.empty()) << render_diagnostic(user.diagnostics[0]);
  std::vector<ast::File> files;
  files.push_back(std::move(base.file));
  files.push_back(std::move(user.file));
  CompileResult result = compile(files);
  for (const auto& d : result.diagnostics) ADD_FAILURE() << render_diagnostic(d);
  EXPECT_NE(result.program, nullptr);
}

TEST(Compiler, ChecksRangeParamsAtCompileTime) {
  EXPECT_NE(compile_text("param supported = \">=13, <17\"\n" + rule_with("c.version in supported")).result.program, nullptr);
  Compiled bad = compile_text("param supported = \">= ,\"\n" + rule_with("c.version in supported"));
  ASSERT_FALSE(bad.result.diagnostics.empty());
  EXPECT_EQ(bad.result.diagnostics[0].code, "uprank.bad_range");
}

TEST(Compiler, PlansIndexedCandidates) {
  CompileOptions options;
  options.dump_after = "plan";
  Compiled compiled = compile_text(rule_with("c.product == \"postgresql\" and c.version < \"13\"") +
                                       "rule s {\n  for c in components where c.eol.ends < today\n  urgency low\n"
                                       "  message \"m\"\n}\n"
                                       "rule t {\n  for c in components where defined(c.eol) or c.name == \"x\"\n"
                                       "  urgency low\n  message \"m\"\n}\n",
                                   options);
  EXPECT_NE(compiled.result.dump.find("[index product \"postgresql\"]"), std::string::npos) << compiled.result.dump;
  EXPECT_NE(compiled.result.dump.find("[components with EOL data]"), std::string::npos) << compiled.result.dump;
  EXPECT_NE(compiled.result.dump.find("[scan all]"), std::string::npos) << compiled.result.dump;
}

}  // namespace
}  // namespace uprank::compiler
