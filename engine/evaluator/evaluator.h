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
  int suppression = -1;           // index into Program::suppressions() that hid it, or -1
};

// What became of one suppression on this evaluation's day.
struct SuppressionOutcome {
  const compiler::CompiledSuppression* suppression = nullptr;
  size_t matched = 0;   // findings it matched (hid, unless expired)
  bool expired = false; // past its `until` date: reported, never applied
};

struct Evaluation {
  std::vector<Finding> findings;     // what the report ranks
  std::vector<Finding> suppressed;   // hidden by an active suppression
  std::vector<SuppressionOutcome> suppressions;  // one per Program::suppressions()
};

struct EvaluationOptions {
  int threads = 0;  // 0: one per hardware thread
};

// Runs every rule and applies suppressions. Findings come back ordered by rule (program
// order), then by the inventory order of their bound components, whatever the number of
// threads.
Evaluation evaluate_rules(const compiler::Program& program, const inventory::Inventory& inventory,
                                    const facts::FactSet& facts, Date today, const EvaluationOptions& options = {});

}  // namespace uprank::evaluator
