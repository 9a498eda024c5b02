// `uprank rules check|test|fmt|list`: work on rule packs without an inventory.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/config.h"
#include "cli/pipeline.h"
#include "cli/rule_packs.h"
#include "cli/rules_fmt.h"
#include "engine/ruletest/ruletest.h"

namespace uprank::cli {
namespace {

struct RulesOptions {
  std::vector<std::string> paths;
  std::vector<std::string> params;
  std::string dump_after;
  bool strict = false;
  bool check_only = false;
  bool no_default_rules = false;
};

// Returns the packs to work on: the shipped packs, uprank.yaml's `rules:`, then the paths
// named, as `uprank report` loads them. Prints why and returns nullopt when it cannot.
std::optional<std::vector<grammar::RuleRoot>> roots_for(const RulesOptions& options, const GlobalOptions& global) {
  auto config = load_config(global);
  if (!config) return std::nullopt;
  return rule_roots(*config, options.paths, options.no_default_rules);
}

int run_check(const RulesOptions& options, const GlobalOptions& global) {
  auto params = parse_param_arguments(options.params);
  auto roots = roots_for(options, global);
  if (!params || !roots) return kExitBadInput;
  const auto& passes = compiler::pass_names();
  if (!options.dump_after.empty() && std::find(passes.begin(), passes.end(), options.dump_after) == passes.end()) {
    std::fprintf(stderr, "error: --dump-after takes one of: resolve, check, lint, plan\n");
    return kExitBadInput;
  }
  auto rules = compile_rules(*roots, *params, options.dump_after);
  if (!rules) return kExitBadInput;
  if (!options.dump_after.empty()) {
    std::fputs(rules->compiled.dump.c_str(), stdout);
    return kExitClean;
  }
  size_t warnings = 0;
  for (const auto& diagnostic : rules->compiled.diagnostics) warnings += diagnostic.severity == Severity::kWarning;
  const auto& program = *rules->compiled.program;
  std::printf("%zu rule file(s), %zu rule(s), %zu param(s), %zu advisory declaration(s), %zu suppression(s): ok",
              rules->loaded.files.size(), program.rules().size(), program.params().size(),
              program.declared_advisories().size(), program.suppressions().size());
  if (const auto* policy = program.rank_policy()) std::printf(", ranked by %s", policy->qualified_name.c_str());
  std::printf(warnings > 0 ? ", %zu warning(s)\n" : "\n", warnings);
  // --strict: a warning (a rule that can never fire, an unused param) fails the check.
  return options.strict && warnings > 0 ? kExitBadInput : kExitClean;
}

int run_test(const RulesOptions& options, const GlobalOptions& global) {
  auto params = parse_param_arguments(options.params);
  auto roots = roots_for(options, global);
  if (!params || !roots) return kExitBadInput;
  grammar::LoadResult loaded = grammar::load_rule_roots(*roots);
  if (has_errors(loaded.diagnostics)) {
    print_diagnostics(loaded.diagnostics, loaded.sources);
    return kExitBadInput;
  }
  compiler::CompileOptions compile_options;
  compile_options.param_overrides = *params;
  ruletest::RunResult result = ruletest::run_rule_tests(loaded.files, compile_options);
  print_diagnostics(result.diagnostics, loaded.sources);
  for (const auto& test : result.tests) {
    std::printf("%s %s: %s\n", test.passed ? "PASS" : "FAIL", test.range.begin.to_string().c_str(), test.name.c_str());
    for (const auto& failure : test.failures) std::printf("    %s\n", failure.c_str());
  }
  std::printf("%zu passed, %zu failed\n", result.passed(), result.failed());
  std::printf("coverage: %zu of %zu rule(s) exercised by a test", result.rules.size() - result.unexercised.size(),
              result.rules.size());
  if (!result.unexercised.empty()) {
    std::printf("; not exercised:");
    for (const auto& rule : result.unexercised) std::printf(" %s", rule.c_str());
  }
  std::printf("\n");
  if (result.tests.empty() && !has_errors(result.diagnostics)) {
    std::fputs("error: no test blocks found\n", stderr);
    return kExitBadInput;
  }
  if (has_errors(result.diagnostics)) return kExitBadInput;
  return result.failed() > 0 ? kExitFindings : kExitClean;
}

int run_list(const RulesOptions& options, const GlobalOptions& global) {
  auto roots = roots_for(options, global);
  if (!roots) return kExitBadInput;
  auto rules = compile_rules(*roots, {});
  if (!rules) return kExitBadInput;
  const auto& program = *rules->compiled.program;
  for (const auto& rule : program.rules()) {
    std::string title;
    if (rule.title) {
      compiler::Frame frame;
      title = compiler::format_value(rule.title->evaluate(frame));
    }
    std::printf("%-48s %-15s %s  %s\n", rule.qualified_name.c_str(), rule.reason.c_str(),
                rule.range.begin.to_string().c_str(), title.c_str());
  }
  if (const auto* policy = program.rank_policy()) {
    std::string title;
    if (policy->title) {
      // A title may interpolate `c`: with no component bound it prints "unknown".
      compiler::EvaluationContext nothing;
      compiler::Frame frame;
      frame.context = &nothing;
      frame.slots.resize(static_cast<size_t>(std::max(program.slot_count(), 1)));
      title = compiler::format_value(policy->title->evaluate(frame));
    }
    std::printf("rank %-43s %-15s %s  %s\n", policy->qualified_name.c_str(), "(in force)",
                policy->range.begin.to_string().c_str(), title.c_str());
  }
  for (const auto& overridden : program.overridden_rank_policies()) {
    std::printf("rank %-43s (overridden)\n", overridden.c_str());
  }
  for (const auto& param : program.params()) {
    std::printf("param %s = %s\n", param.qualified_name.c_str(), compiler::format_value(param.value).c_str());
  }
  for (const auto& declared : program.declared_advisories()) std::printf("advisory %s\n", declared.advisory.id.c_str());
  for (const auto& suppression : program.suppressions()) {
    std::printf("suppress %s until %s: %s\n", suppression.rule.c_str(), suppression.until.to_string().c_str(),
                suppression.because.c_str());
  }
  return kExitClean;
}

}  // namespace

Runner add_rules_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<RulesOptions>();
  app.require_subcommand(1);
  const char* packs_help = "Rule files or directories to load after the shipped packs and uprank.yaml's `rules:`";
  const char* no_default_help = "Do not load the shipped rule packs (as `default_rules: false` in uprank.yaml)";
  CLI::App* check = app.add_subcommand("check", "Compile rule packs and report every mistake with its position");
  check->add_option("paths", options->paths, packs_help);
  check->add_flag("--no-default-rules", options->no_default_rules, no_default_help);
  check->add_option("-p,--param", options->params, "Override a param: NAME=VALUE (repeatable)");
  check->add_option("--dump-after", options->dump_after, "Print the program after a pass: resolve, check, lint or plan");
  check->add_flag("--strict", options->strict, "Fail on warnings too (rules that can never fire, unused params)");
  CLI::App* test = app.add_subcommand("test", "Run the tests written in the rule files, with rule coverage");
  test->add_option("paths", options->paths, packs_help);
  test->add_flag("--no-default-rules", options->no_default_rules, no_default_help);
  test->add_option("-p,--param", options->params, "Override a param: NAME=VALUE (repeatable)");
  CLI::App* fmt = app.add_subcommand("fmt", "Format rule files canonically, in place");
  fmt->add_option("paths", options->paths, "Rule files or directories (default: the current directory)");
  fmt->add_flag("--check", options->check_only, "Only list files that are not formatted; exit 1 if any");
  CLI::App* list = app.add_subcommand("list", "List rules, params, declared advisories and suppressions");
  list->add_option("paths", options->paths, packs_help);
  list->add_flag("--no-default-rules", options->no_default_rules, no_default_help);
  return [options, check, test, fmt, list, &global] {
    if (check->parsed()) return run_check(*options, global);
    if (test->parsed()) return run_test(*options, global);
    if (fmt->parsed()) return run_rules_fmt(options->paths, options->check_only);
    if (list->parsed()) return run_list(*options, global);
    return static_cast<int>(kExitBadInput);
  };
}

}  // namespace uprank::cli
