#include "engine/evaluator/rank_policy.h"

#include <algorithm>
#include <map>

namespace uprank::evaluator {

double ComponentRank::score() const {
  double total = base;
  for (const RankFactor& factor : factors) total += factor.points.value_or(0);
  return total;
}

namespace internal {
namespace {

compiler::FindingRecord record_of(const Finding& finding, const std::string& name) {
  compiler::FindingRecord record;
  record.rule = finding.rule;
  record.name = name;
  record.title = finding.title;
  record.level = finding.level;
  record.score = finding.score;
  record.reason = finding.reason;
  record.message = finding.message;
  record.target = finding.target;
  record.due = finding.due;
  for (const DecisionStep& step : finding.decision_path) record.explained.emplace_back(step.point, step.value);
  return record;
}

}  // namespace

std::vector<ComponentRank> run_rank_policy(const compiler::Program& program, compiler::EvaluationContext& context,
                                           const std::vector<Finding>& findings) {
  const compiler::CompiledRankPolicy& policy = *program.rank_policy();
  std::map<std::string, std::string> names;  // qualified rule name -> as written
  for (const auto& rule : program.rules()) names[rule.qualified_name] = rule.name;
  context.findings_of_component.assign(context.inventory->components.size(), {});
  for (const Finding& finding : findings) {
    if (finding.components.empty()) continue;
    context.findings_of_component[finding.components.front()].push_back(record_of(finding, names[finding.rule]));
  }
  compiler::Frame frame;
  frame.context = &context;
  frame.slots.resize(static_cast<size_t>(std::max(program.slot_count(), 1)));
  std::vector<ComponentRank> ranks;
  for (size_t c = 0; c < context.findings_of_component.size(); ++c) {
    if (context.findings_of_component[c].empty()) continue;
    frame.clear_match_state();
    frame.slots[static_cast<size_t>(policy.slot)] = compiler::Value::of_component(&context.inventory->components[c]);
    ComponentRank rank;
    rank.component = c;
    compiler::Value level = policy.urgency->evaluate(frame);
    rank.decided = level.kind == compiler::Kind::kLevel;
    if (rank.decided) rank.level = level.level;
    if (policy.score) {
      compiler::Value score = policy.score->evaluate(frame);
      if (score.kind == compiler::Kind::kNumber) rank.base = score.number;
    }
    if (policy.score_because) rank.base_because = compiler::format_value(policy.score_because->evaluate(frame));
    if (policy.due) {
      compiler::Value due = policy.due->evaluate(frame);
      if (due.kind == compiler::Kind::kDate) rank.due = due.date();
    } else {
      for (const compiler::FindingRecord& finding : context.findings_of_component[c]) {
        if (finding.due && (!rank.due || *finding.due < *rank.due)) rank.due = finding.due;
      }
    }
    for (const auto& factor : policy.factors) {
      RankFactor result{factor.name, std::nullopt, ""};
      compiler::Value points = factor.points->evaluate(frame);
      if (points.kind == compiler::Kind::kNumber) result.points = points.number;
      if (factor.because) result.because = compiler::format_value(factor.because->evaluate(frame));
      rank.factors.push_back(std::move(result));
    }
    ranks.push_back(std::move(rank));
  }
  return ranks;
}

}  // namespace internal
}  // namespace uprank::evaluator
