// Evaluates a compiled Program against an inventory and facts on a given day. A pure
// function of its inputs: same inputs, same findings in the same order.
#pragma once

#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/compiler/program.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"

namespace uprank::evaluator {

struct Finding {
  std::string rule;               // qualified rule name
  std::string title;
  std::vector<size_t> components; // inventory indexes bound by the rule; the first is the subject
  compiler::Level level = compiler::Level::kInfo;
  double score = 0;
  std::string reason;
  std::string message;
  std::string target;             // recommended version; empty when the rule names none
  std::vector<facts::Evidence> evidence;
  std::vector<std::pair<std::string, std::string>> risks;  // kind, message
  SourceLocation rule_location;
};

struct EvaluationOptions {
  int threads = 0;  // 0: one per hardware thread
};

// Runs every rule. Findings come back ordered by rule (program order), then by the
// inventory order of their bound components, whatever the number of threads.
std::vector<Finding> evaluate_rules(const compiler::Program& program, const inventory::Inventory& inventory,
                                    const facts::FactSet& facts, Date today, const EvaluationOptions& options = {});

}  // namespace uprank::evaluator
