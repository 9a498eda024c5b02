// Internal to the evaluator: records conjunct outcomes and operand values for a trace
// (trace.h). Called only when tracing, never on the untraced path.
#pragma once

#include <string>
#include <vector>

#include "engine/compiler/program.h"
#include "engine/evaluator/trace.h"

namespace uprank::evaluator::internal {

// Appends the conjuncts of `node` to `out`: the operands of its top-level `and`s, left to
// right, in the order evaluation meets them; `node` itself when it is no `and`.
void flatten_conjuncts(const compiler::Node* node, std::vector<const compiler::Node*>& out);

// Evaluates `conjunct` in `frame` (the match's bindings) and returns its outcome with
// the value and source of each operand it read.
ConjunctTrace trace_conjunct(const compiler::Node& conjunct, const char* clause, compiler::Frame& frame);

}  // namespace uprank::evaluator::internal
