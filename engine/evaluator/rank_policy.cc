#include "engine/evaluator/rank_policy.h"

#include <algorithm>
#include <map>

#include "engine/base/parallel.h"
#include "engine/compiler/nodes.h"

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
  record.rule = finding.rule();
  record.name = name;
  record.title = finding.title();
  record.level = finding.level;
  record.score = finding.score;
  record.reason = finding.reason();
  record.message = finding.message();
  record.target = finding.target();
  record.due = finding.due;
  for (const DecisionStep& step : finding.decision_path()) record.explained.emplace_back(step.point, step.value);
  return record;
}

// Runs the policy on component `c` (its findings recorded in the frame's context).
ComponentRank rank_one(const compiler::CompiledRankPolicy& policy, compiler::Frame& frame, size_t c) {
  const compiler::EvaluationContext& context = *frame.context;
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
  return rank;
}

}  // namespace

std::vector<ComponentRank> run_rank_policy(const compiler::Program& program, compiler::EvaluationContext& context,
                                           const std::vector<Finding>& findings, unsigned threads,
                                           std::vector<Date>* unchanged_through) {
  const compiler::CompiledRankPolicy& policy = *program.rank_policy();
  std::map<std::string, std::string> names;  // qualified rule name -> as written
  for (const auto& rule : program.rules()) names[rule.qualified_name] = rule.name;
  const size_t component_count = context.inventory->components.size();
  std::vector<std::vector<size_t>> findings_of(component_count);
  for (size_t f = 0; f < findings.size(); ++f) {
    if (!findings[f].components.empty()) findings_of[findings[f].components.front()].push_back(f);
  }
  // Components in slices on every thread: first every component's records (the policy
  // may read another component's `findings`), then the policy per component.
  constexpr size_t kSlice = 512;
  const size_t slices = (component_count + kSlice - 1) / kSlice;
  auto each_in = [&](size_t slice, auto&& each) {
    for (size_t c = slice * kSlice; c < std::min(component_count, (slice + 1) * kSlice); ++c) each(c);
  };
  context.findings_of_component.assign(component_count, {});
  parallel_for(slices, threads, [&](size_t slice) {
    each_in(slice, [&](size_t c) {
      std::vector<compiler::FindingRecord>& records = context.findings_of_component[c];
      records.reserve(findings_of[c].size());
      for (size_t f : findings_of[c]) {
        auto name = names.find(findings[f].rule());
        records.push_back(record_of(findings[f], name == names.end() ? std::string() : name->second));
      }
    });
  });
  std::vector<std::vector<ComponentRank>> ranks_of_slice(slices);
  parallel_for(slices, threads, [&](size_t slice) {
    compiler::Frame frame;
    frame.context = &context;
    frame.slots.resize(static_cast<size_t>(std::max(program.slot_count(), 1)));
    each_in(slice, [&](size_t c) {
      if (context.findings_of_component[c].empty()) return;
      frame.same_through = compiler::never();
      ranks_of_slice[slice].push_back(rank_one(policy, frame, c));
      if (unchanged_through != nullptr) (*unchanged_through)[c] = std::min((*unchanged_through)[c], frame.same_through);
    });
  });
  std::vector<ComponentRank> ranks;
  for (std::vector<ComponentRank>& part : ranks_of_slice) {
    for (ComponentRank& rank : part) ranks.push_back(std::move(rank));
  }
  return ranks;
}

namespace {

bool names_components(const compiler::Node& node) {
  bool found = dynamic_cast<const compiler::internal::ComponentsNode*>(&node) != nullptr;
  node.visit_children([&](const compiler::Node& child) { found = found || names_components(child); });
  return found;
}

}  // namespace

bool policy_reads_other_components(const compiler::CompiledRankPolicy& policy) {
  bool found = false;
  auto visit = [&](const compiler::NodePtr& node) { found = found || (node && names_components(*node)); };
  visit(policy.title);
  visit(policy.urgency);
  visit(policy.score);
  visit(policy.score_because);
  visit(policy.due);
  for (const auto& factor : policy.factors) {
    visit(factor.points);
    visit(factor.because);
  }
  return found;
}

}  // namespace internal
}  // namespace uprank::evaluator
