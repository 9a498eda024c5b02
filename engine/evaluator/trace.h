// Tracing one component through evaluation (`uprank explain`): for every match of a rule
// that binds the component, the conjuncts of its `where` and `when` in evaluation order,
// each with its outcome and the values its operands read. Off unless asked for
// (EvaluationOptions::trace_component); when off the evaluator records nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/base/source_location.h"

namespace uprank::evaluator {

// One operand a conjunct read: an expression that is not itself a comparison or a
// logical operator (`c.eol.ends`, `today`, `count(a in c.advisories where …)`).
struct OperandTrace {
  SourceRange range;     // its text in the rule file
  std::string value;     // compiler::format_value(); "unknown" when undefined
  bool constant = false; // a literal or a param folded to a constant at compile time
  // Where the value came from, one entry per fact read, in reading order:
  // "inventory examples/inventory.yaml:12", "endoflife postgresql 12",
  // "advisory GHSA-…", "release nginx 1.27.1", "today".
  std::vector<std::string> sources;
};

// One conjunct of a rule's `where` or `when` (the operands of a top-level `and`); or, for
// a fired match, its `urgency` and `score` clauses with the values they read; or the
// `urgency` clause when a match's urgency was undefined.
struct ConjunctTrace {
  // kValue: a clause that is no condition (urgency, score) evaluated to a defined value.
  enum class Outcome : uint8_t { kTrue, kFalse, kUndefined, kValue };
  std::string clause;  // "where", "when", "urgency" or "score"
  SourceRange range;
  Outcome outcome = Outcome::kTrue;
  std::vector<OperandTrace> operands;
};

// One match of a rule's bindings that includes the traced component.
struct MatchTrace {
  size_t rule = 0;                 // index into Program::rules()
  // The components bound, in binding order; shorter than the rule's bindings when a
  // `where` conjunct failed before the later bindings were tried.
  std::vector<size_t> components;
  bool fired = false;              // the rule produced a finding (suppressed or not)
  // Fired: every conjunct (all true), then the urgency and score clauses. Not fired:
  // those evaluated, the last one being the first that was false or undefined.
  std::vector<ConjunctTrace> conjuncts;
};

// A rule one of whose bindings selects the traced component (its `for` reaches it), or
// would, but for the component's missing end-of-life data.
struct RuleReach {
  size_t rule = 0;                 // index into Program::rules()
  std::vector<size_t> bindings;    // which of its bindings select the component
  size_t matches = 0;              // matches including the component that were evaluated
  size_t matches_dropped = 0;      // of those, not kept in Trace::matches (over the limit)
  // Not evaluated: the bindings read `c.eol` in a `where` conjunct, so the compiler had
  // them visit only components with an end-of-life cycle, and this one has none (its
  // conditions would be undefined).
  bool needs_eol = false;
};

struct Trace {
  size_t component = 0;            // inventory index
  std::vector<RuleReach> rules;    // in program order
  std::vector<MatchTrace> matches; // rule (program order), then binding order
};

// How many matches per rule a trace keeps (a join can pair a component with a fleet).
inline constexpr size_t kTracedMatchesPerRule = 20;

// Returns "true", "false", "undefined" or "value".
const char* outcome_name(ConjunctTrace::Outcome outcome);

}  // namespace uprank::evaluator
