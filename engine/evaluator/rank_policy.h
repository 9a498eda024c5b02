// Runs a program's rank policy (a `rank` declaration) over the components with findings.
// Internal to the evaluator.
#pragma once

#include <vector>

#include "engine/compiler/program.h"
#include "engine/evaluator/evaluator.h"

namespace uprank::evaluator::internal {

// Returns one ComponentRank per component with at least one of `findings` (by its first
// bound component), in inventory order. Fills `context.findings_of_component` for the
// policy's `c.findings`. Requires program.rank_policy() != nullptr. Components are ranked
// on up to `threads` threads; the result does not depend on how many.
std::vector<ComponentRank> run_rank_policy(const compiler::Program& program, compiler::EvaluationContext& context,
                                           const std::vector<Finding>& findings, unsigned threads = 1);

}  // namespace uprank::evaluator::internal
