// Runs the tests written in the rule language (`test "..." { ... }` blocks): builds each
// test's fixtures, evaluates the rule packs on its fixed day, checks its expectations,
// and reports which rules no test exercised.
#pragma once

#include <string>
#include <vector>

#include "engine/ast/ast.h"
#include "engine/base/diagnostic.h"
#include "engine/compiler/compiler.h"

namespace uprank::ruletest {

struct TestResult {
  std::string name;
  SourceRange range;
  bool passed = false;
  std::vector<std::string> failures;  // "expected ..., got ..." lines, one per unmet expectation
};

struct RunResult {
  std::vector<TestResult> tests;          // in file order
  std::vector<Diagnostic> diagnostics;    // bad fixtures or rules; tests with errors fail
  std::vector<std::string> rules;         // every rule of the program, qualified
  std::vector<std::string> unexercised;   // rules no passing positive expectation covered
  size_t passed() const;
  size_t failed() const;
};

// Compiles `files` (with `options`, plus each test's param overrides) and runs their tests.
RunResult run_rule_tests(const std::vector<ast::File>& files, const compiler::CompileOptions& options = {});

}  // namespace uprank::ruletest
