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
// on up to `threads` threads; the result does not depend on how many. With
// `unchanged_through` (one day per component), narrows each ranked component's day to
// what the policy read that changes with the day (Frame::same_through).
std::vector<ComponentRank> run_rank_policy(const compiler::Program& program, compiler::EvaluationContext& context,
                                           const std::vector<Finding>& findings, unsigned threads = 1,
                                           std::vector<Date>* unchanged_through = nullptr);

// Whether the rank policy may read what belongs to other components than the one it
// ranks (it names `components`): then one component's rank may follow another's findings.
bool policy_reads_other_components(const compiler::CompiledRankPolicy& policy);

}  // namespace uprank::evaluator::internal
