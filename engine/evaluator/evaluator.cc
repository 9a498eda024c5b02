#include "engine/evaluator/evaluator.h"

#include "engine/evaluator/grouping.h"
#include "engine/evaluator/joins.h"
#include "engine/base/parallel.h"
#include "engine/evaluator/rank_policy.h"
#include "engine/evaluator/tracer.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <thread>
#include <unordered_map>

namespace uprank::evaluator {
namespace {

using compiler::CandidateFilter;
using compiler::CompiledRule;
using compiler::Frame;
using compiler::Kind;
using compiler::Value;

// Lookup tables built once per evaluation so that rules pinned to a product or name
// visit only their candidates.
struct CandidateIndex {
  std::unordered_map<std::string, std::vector<size_t>> by_product;
  std::unordered_map<std::string, std::vector<size_t>> by_name;
  std::vector<size_t> with_eol_cycle;
  std::vector<size_t> all;

  CandidateIndex(const inventory::Inventory& inventory, const std::vector<const facts::EolCycle*>& cycles) {
    for (size_t i = 0; i < inventory.components.size(); ++i) {
      const auto& component = inventory.components[i];
      all.push_back(i);
      if (!component.product.empty()) by_product[component.product].push_back(i);
      by_name[component.name].push_back(i);
      if (cycles[i] != nullptr) with_eol_cycle.push_back(i);
    }
  }

  std::vector<size_t> candidates(const CandidateFilter& filter) const {
    auto gather = [](const auto& map, const std::vector<std::string>& keys, std::vector<size_t>& out) {
      for (const auto& key : keys) {
        auto it = map.find(key);
        if (it != map.end()) out.insert(out.end(), it->second.begin(), it->second.end());
      }
    };
    std::vector<size_t> out;
    switch (filter.kind) {
      case CandidateFilter::Kind::kAll: return all;
      case CandidateFilter::Kind::kHasEolCycle: return with_eol_cycle;
      case CandidateFilter::Kind::kProduct: gather(by_product, filter.values, out); break;
      case CandidateFilter::Kind::kName: gather(by_name, filter.values, out); break;
      case CandidateFilter::Kind::kProductOrName:
        gather(by_product, filter.values, out);
        gather(by_name, filter.values, out);
        break;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
};

// One unit of parallel work: a rule and a slice of its first binding's candidates.
struct WorkItem {
  const CompiledRule* rule = nullptr;
  size_t rule_index = 0;
  std::vector<std::vector<size_t>>* candidates = nullptr;  // per binding
  size_t begin = 0, end = 0;                               // slice of candidates[0]
  // A join's budgets (JoinBudget) for this slice; SIZE_MAX for a single binding, whose
  // findings are bounded by the inventory.
  size_t max_findings = SIZE_MAX;
  size_t max_binds = SIZE_MAX;
  size_t binds = 0;                                // components bound so far
  std::optional<RuleStop::Kind> stopped;           // why it stopped early, if it did
  // A join's slices share the lowest ordinal of a slice that stopped: the findings of
  // every later slice are dropped, so a later slice that learns of it stops too.
  std::atomic<size_t>* join_stop = nullptr;
  size_t ordinal = 0;                              // this slice's place among the rule's
  std::vector<Finding> findings;
  // The subjects whose verdict holds only through a day (Frame::same_through), in
  // candidate order: Evaluation::unchanged_through.
  std::vector<std::pair<size_t, Date>> day_bounds;
  std::vector<MatchTrace> traces;                  // when tracing: up to kTracedMatchesPerRule
  size_t traced_matches = 0;                       // when tracing: every match including the component
};

class RuleRunner {
 public:
  RuleRunner(const compiler::EvaluationContext& context, int slots,
             const std::vector<compiler::CompiledSuppression>& suppressions, size_t trace_component)
      : suppressions_(&suppressions), trace_component_(trace_component) {
    frame_.context = &context;
    frame_.slots.resize(static_cast<size_t>(std::max(slots, 1)));
  }

  void run(WorkItem& item) {
    item_ = &item;
    bound_.assign(item.rule->bindings.size(), 0);
    for (size_t i = item.begin; i < item.end && !item.stopped; ++i) {
      size_t subject = (*item.candidates)[0][i];
      frame_.same_through = compiler::never();
      bind(0, subject);
      if (frame_.same_through != compiler::never()) item.day_bounds.emplace_back(subject, frame_.same_through);
    }
  }

  // Gives `component` the finding its pin group's representative got (a copy of
  // `finding`, rule `item`, sharing its text): the same verdict, naming `component` wherever it named the
  // representative, and the suppression that matches `component` (one may be scoped to
  // its file). `same_through` is narrowed by what matching the suppression read.
  Finding fan_out(WorkItem& item, const Finding& finding, size_t component, Date& same_through) {
    size_t representative = finding.components[0];
    Finding copy = finding;
    copy.components[0] = component;
    for (AdvisoryEvidence& record : copy.advisories) {
      if (record.component == representative) record.component = component;
    }
    for (EolEvidence& record : copy.cycles) {
      if (record.component == representative) record.component = component;
    }
    item_ = &item;
    bound_.assign(1, component);
    frame_.slots[static_cast<size_t>(item.rule->bindings[0].slot)] =
        Value::of_component(&frame_.context->inventory->components[component]);
    frame_.clear_match_state();
    frame_.same_through = same_through;
    copy.suppression = matching_suppression();
    same_through = frame_.same_through;
    return copy;
  }

 private:
  void bind(size_t binding, size_t component) {
    if (item_->stopped) return;
    if (item_->join_stop != nullptr) {
      if (item_->join_stop->load(std::memory_order_relaxed) < item_->ordinal) {
        item_->findings.clear();  // dropped anyway: an earlier slice stopped
        item_->stopped = RuleStop::Kind::kFindings;
        return;
      }
      if (++item_->binds > item_->max_binds) return stop(RuleStop::Kind::kMatches);
    }
    // A component is never bound twice in one match: joins pair distinct components.
    for (size_t i = 0; i < binding; ++i) {
      if (bound_[i] == component) return;
    }
    bound_[binding] = component;
    const auto& inventory = frame_.context->inventory->components;
    const compiler::RuleBinding& rule_binding = item_->rule->bindings[binding];
    frame_.slots[static_cast<size_t>(rule_binding.slot)] = Value::of_component(&inventory[component]);
    if (binding + 1 < item_->rule->bindings.size()) {
      for (const compiler::Node* conjunct : rule_binding.early) {
        if (!conjunct->evaluate(frame_).is_true()) {
          if (trace_component_ != kNoComponent) [[unlikely]] trace_early_failure(binding);
          return;
        }
      }
      for (size_t next : (*item_->candidates)[binding + 1]) bind(binding + 1, next);
      return;
    }
    evaluate_match();
  }

  void evaluate_match() {
    const CompiledRule& rule = *item_->rule;
    frame_.clear_match_state();
    bool holds = (!rule.where || rule.where->evaluate(frame_).is_true()) && (!rule.when || rule.when->evaluate(frame_).is_true());
    Value level = holds ? rule.urgency->evaluate(frame_) : Value();
    if (level.kind != Kind::kLevel) {  // a false condition, or urgency over an unknown fact: nothing to report
      if (trace_component_ != kNoComponent) [[unlikely]] trace_match(false);
      return;
    }
    Finding finding;
    auto text = std::make_shared<FindingText>();
    text->rule = rule.qualified_name;
    finding.level = level.level;
    finding.components = bound_;
    if (rule.score) {
      Value score = rule.score->evaluate(frame_);
      if (score.kind == Kind::kNumber) finding.score = score.number;
    }
    if (rule.title) text->title = compiler::format_value(rule.title->evaluate(frame_));
    text->reason = rule.reason;
    text->message = compiler::format_value(rule.message->evaluate(frame_));
    if (rule.target) {
      Value target = rule.target->evaluate(frame_);
      if (target.defined()) text->target = compiler::format_value(target);
    }
    if (rule.due) {
      Value due = rule.due->evaluate(frame_);
      if (due.kind == Kind::kDate) finding.due = due.date();
    }
    for (const auto& risk : rule.risks) {
      text->risks.emplace_back(risk.kind, compiler::format_value(risk.message->evaluate(frame_)));
    }
    for (const auto& explanation : rule.explanations) {
      DecisionStep step{explanation.point, compiler::format_value(explanation.value->evaluate(frame_)), ""};
      if (explanation.because) step.because = compiler::format_value(explanation.because->evaluate(frame_));
      text->decision_path.push_back(std::move(step));
    }
    std::vector<const facts::Evidence*> evidence = frame_.evidence;
    std::sort(evidence.begin(), evidence.end());
    evidence.erase(std::unique(evidence.begin(), evidence.end()), evidence.end());
    for (const facts::Evidence* item : evidence) text->evidence.push_back(*item);
    std::sort(text->evidence.begin(), text->evidence.end(),
              [](const facts::Evidence& a, const facts::Evidence& b) { return std::tie(a.source, a.id) < std::tie(b.source, b.id); });
    finding.advisories = advisory_records();
    finding.cycles = cycle_records();
    text->rule_location = rule.range.begin;
    finding.text = std::move(text);
    finding.suppression = matching_suppression();
    item_->findings.push_back(std::move(finding));
    if (item_->findings.size() >= item_->max_findings) stop(RuleStop::Kind::kFindings);
    if (trace_component_ != kNoComponent) [[unlikely]] trace_match(true);
  }

  void stop(RuleStop::Kind kind) {
    item_->stopped = kind;
    if (item_->join_stop == nullptr) return;
    size_t seen = item_->join_stop->load(std::memory_order_relaxed);
    while (item_->ordinal < seen && !item_->join_stop->compare_exchange_weak(seen, item_->ordinal, std::memory_order_relaxed)) {
    }
  }

  // Whether the traced component is among the first `count` bound components; counts
  // the match and says whether it is still within the per-rule limit.
  bool take_trace(size_t count) {
    if (std::find(bound_.begin(), bound_.begin() + static_cast<std::ptrdiff_t>(count), trace_component_) ==
        bound_.begin() + static_cast<std::ptrdiff_t>(count)) {
      return false;
    }
    return item_->traced_matches++ < kTracedMatchesPerRule;
  }

  // Records a match whose `where` failed at an early conjunct of `binding`: the early
  // conjuncts of the bindings so far, up to the one that failed.
  void trace_early_failure(size_t binding) {
    if (!take_trace(binding + 1)) return;
    MatchTrace trace{item_->rule_index, std::vector<size_t>(bound_.begin(), bound_.begin() + static_cast<std::ptrdiff_t>(binding + 1)), false, {}};
    for (size_t b = 0; b <= binding; ++b) {
      for (const compiler::Node* conjunct : item_->rule->bindings[b].early) {
        trace.conjuncts.push_back(internal::trace_conjunct(*conjunct, "where", frame_));
        if (trace.conjuncts.back().outcome != ConjunctTrace::Outcome::kTrue) {
          item_->traces.push_back(std::move(trace));
          return;
        }
      }
    }
    item_->traces.push_back(std::move(trace));
  }

  // Records a match of every binding: its `where` and `when` conjuncts in evaluation
  // order, up to the first that was not true; then, when it fired, its urgency and score
  // clauses; when it did not though all were true, its (undefined) urgency.
  void trace_match(bool fired) {
    if (!take_trace(bound_.size())) return;
    const CompiledRule& rule = *item_->rule;
    MatchTrace trace{item_->rule_index, bound_, fired, {}};
    std::vector<const compiler::Node*> conjuncts;
    internal::flatten_conjuncts(rule.where.get(), conjuncts);
    size_t where_count = conjuncts.size();
    internal::flatten_conjuncts(rule.when.get(), conjuncts);
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      trace.conjuncts.push_back(internal::trace_conjunct(*conjuncts[i], i < where_count ? "where" : "when", frame_));
      if (trace.conjuncts.back().outcome != ConjunctTrace::Outcome::kTrue) break;
    }
    if (fired) {
      trace.conjuncts.push_back(internal::trace_conjunct(*rule.urgency, "urgency", frame_));
      if (rule.score) trace.conjuncts.push_back(internal::trace_conjunct(*rule.score, "score", frame_));
    } else if (trace.conjuncts.empty() || trace.conjuncts.back().outcome == ConjunctTrace::Outcome::kTrue) {
      trace.conjuncts.push_back(internal::trace_conjunct(*rule.urgency, "urgency", frame_));
    }
    item_->traces.push_back(std::move(trace));
  }

  // Returns the position of `component` among the bound components, or their count when
  // it is none of them, so that records sort in binding order.
  size_t binding_position(size_t component) const {
    return static_cast<size_t>(std::find(bound_.begin(), bound_.end(), component) - bound_.begin());
  }

  // Returns the advisories read for this match, each once, with the first bound component
  // whose advisory list holds them (bound components that run alike share one list),
  // ordered by binding then advisory id.
  std::vector<AdvisoryEvidence> advisory_records() {
    std::vector<const compiler::AdvisoryMatch*>& read = frame_.advisories_read;
    if (read.empty()) return {};
    std::sort(read.begin(), read.end(), std::less<const compiler::AdvisoryMatch*>());
    read.erase(std::unique(read.begin(), read.end()), read.end());
    const auto& lists = frame_.context->advisories_of_component;
    std::vector<AdvisoryEvidence> records;
    records.reserve(read.size());
    for (const compiler::AdvisoryMatch* match : read) {
      AdvisoryEvidence record{kNoComponent, match};
      for (size_t component : bound_) {
        const std::vector<compiler::AdvisoryMatch>* list = component < lists.size() ? lists[component] : nullptr;
        std::less<const compiler::AdvisoryMatch*> before;
        if (list != nullptr && !before(match, list->data()) && before(match, list->data() + list->size())) {
          record.component = component;
          break;
        }
      }
      records.push_back(record);
    }
    // Records equal in this key render alike (the same advisory, fix and affected[] entry,
    // for components the rule did not bind), so their order cannot change the report.
    auto key = [&](const AdvisoryEvidence& record) {
      const compiler::AdvisoryMatch& match = *record.match;
      auto entry = match.affected == nullptr ? -1 : match.affected - match.advisory->affected.data();
      return std::make_tuple(binding_position(record.component), std::string_view(match.advisory->id),
                             match.fixed ? std::string_view(match.fixed->text()) : std::string_view(), entry);
    };
    std::stable_sort(records.begin(), records.end(),
                     [&](const AdvisoryEvidence& a, const AdvisoryEvidence& b) { return key(a) < key(b); });
    return records;
  }

  // Returns the end-of-life cycles read for this match, each once, with the bound
  // component that runs them, in binding order. Cycles equal in product and name render
  // alike (cycles made up for unbound components), so their order cannot change the report.
  std::vector<EolEvidence> cycle_records() {
    std::vector<const facts::EolCycle*>& read = frame_.cycles_read;
    if (read.empty()) return {};
    std::sort(read.begin(), read.end(), std::less<const facts::EolCycle*>());
    read.erase(std::unique(read.begin(), read.end()), read.end());
    std::vector<EolEvidence> records;
    records.reserve(read.size());
    const auto& released = frame_.context->facts->released;
    for (const facts::EolCycle* cycle : read) {
      EolEvidence record{kNoComponent, cycle, nullptr};
      if (auto found = released.find(cycle->product); found != released.end()) record.releases = &found->second;
      for (size_t component : bound_) {
        if (frame_.context->cycle_of_component[component] == cycle) {
          record.component = component;
          break;
        }
      }
      records.push_back(record);
    }
    std::stable_sort(records.begin(), records.end(), [&](const EolEvidence& a, const EolEvidence& b) {
      return std::make_tuple(binding_position(a.component), std::string_view(a.cycle->product), std::string_view(a.cycle->cycle)) <
             std::make_tuple(binding_position(b.component), std::string_view(b.cycle->product), std::string_view(b.cycle->cycle));
    });
    return records;
  }

  // Returns the first suppression of this rule whose `where` holds for the bound
  // components, or -1. Expired ones match too; the caller reports instead of applying them.
  // The suppression that hides the match, or -1. One in force hides it through its
  // `until` only (then the finding shows: Frame::same_through).
  int matching_suppression() {
    const auto& suppressions = *suppressions_;
    for (size_t i = 0; i < suppressions.size(); ++i) {
      if (suppressions[i].rule_index != item_->rule_index) continue;
      if (!suppressions[i].where || suppressions[i].where->evaluate(frame_).is_true()) {
        if (frame_.context->today <= suppressions[i].until) frame_.read_day_through(suppressions[i].until);
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  Frame frame_;
  const std::vector<compiler::CompiledSuppression>* suppressions_;
  WorkItem* item_ = nullptr;
  std::vector<size_t> bound_;
  size_t trace_component_;  // kNoComponent: not tracing
};

}  // namespace

std::string describe(const RuleStop& stop) {
  std::string out = "rule " + stop.rule + " stopped at ";
  out += stop.kind == RuleStop::Kind::kFindings
             ? std::to_string(stop.limit) + " findings"
             : "its budget of " + std::to_string(stop.limit) + " combinations of components tried (" +
                   std::to_string(stop.kept) + " findings kept)";
  return out + ", the budget of a join over several components: narrow its `for ... where` so that fewer "
               "combinations match; the findings after that point are missing";
}

namespace {


// Gathers the work items' traces of `component`: the rules whose bindings select it, and
// their matches in work order (rule, then slice), up to kTracedMatchesPerRule per rule.
Trace collect_trace(size_t component, const compiler::Program& program,
                    const std::vector<std::vector<std::vector<size_t>>>& candidates, std::vector<WorkItem>& work) {
  Trace trace;
  trace.component = component;
  std::vector<size_t> reach_of_rule(program.rules().size(), SIZE_MAX);
  for (size_t r = 0; r < candidates.size(); ++r) {
    RuleReach reach{r, {}, 0, 0, false};
    std::vector<size_t> needing_eol;  // bindings that would select it if it had an EOL cycle
    for (size_t b = 0; b < candidates[r].size(); ++b) {
      if (std::binary_search(candidates[r][b].begin(), candidates[r][b].end(), component)) {
        reach.bindings.push_back(b);
      } else if (program.rules()[r].bindings[b].filter.kind == CandidateFilter::Kind::kHasEolCycle) {
        needing_eol.push_back(b);
      }
    }
    if (reach.bindings.empty() && !needing_eol.empty()) {
      reach.bindings = std::move(needing_eol);
      reach.needs_eol = true;
    }
    if (reach.bindings.empty()) continue;
    reach_of_rule[r] = trace.rules.size();
    trace.rules.push_back(std::move(reach));
  }
  std::vector<size_t> kept(program.rules().size(), 0);
  for (WorkItem& item : work) {
    if (item.traced_matches == 0) continue;
    trace.rules[reach_of_rule[item.rule_index]].matches += item.traced_matches;
    for (MatchTrace& match : item.traces) {
      if (kept[item.rule_index] == kTracedMatchesPerRule) break;
      ++kept[item.rule_index];
      trace.matches.push_back(std::move(match));
    }
  }
  for (RuleReach& reach : trace.rules) reach.matches_dropped = reach.matches - kept[reach.rule];
  return trace;
}

// Pin groups (grouping.h), numbered on first use: with and without attributes. Kept by
// an Evaluator across days: what groups pins does not change with the day.
class GroupsOfPins {
 public:
  explicit GroupsOfPins(const compiler::EvaluationContext& context) : context_(context) {}
  internal::Representatives representatives(const internal::RuleReads& reads, const std::vector<size_t>& candidates) {
    // One numbering per set of attributes read: "*" for all, else the keys.
    std::string which = reads.all_attributes ? "*" : "";
    for (const std::string& name : reads.attributes) which += name + '\n';
    auto [at, added] = groups_.try_emplace(which);
    if (added) at->second = internal::pin_groups(context_, reads);
    return picker_.pick(at->second, candidates);
  }

 private:
  const compiler::EvaluationContext& context_;
  std::map<std::string, std::vector<uint32_t>> groups_;
  internal::RepresentativePicker picker_;
};

// Calls `each(first, last)` for each rule's run of work items [first, last): the items of
// one rule are consecutive, in slice order.
template <typename Each>
void for_each_rule(std::vector<WorkItem>& work, const Each& each) {
  for (size_t first = 0; first < work.size();) {
    size_t last = first;
    while (last < work.size() && work[last].rule_index == work[first].rule_index) ++last;
    each(first, last);
    first = last;
  }
}

// Replaces the findings of each grouped rule's work items (one per representative that
// fired) with one per candidate whose representative fired, in candidate order: what
// evaluating every candidate would have given, in the same order.
void fan_out_groups(const compiler::EvaluationContext& context, const compiler::Program& program,
                    const std::vector<std::vector<std::vector<size_t>>>& candidates,
                    const std::vector<std::optional<internal::Representatives>>& grouped, std::vector<WorkItem>& work,
                    unsigned threads) {
  for_each_rule(work, [&](size_t first, size_t last) {
    size_t rule = work[first].rule_index;
    if (grouped[rule]) {
      const internal::Representatives& representatives = *grouped[rule];
      std::vector<Finding> by_representative(representatives.components.size());
      std::vector<bool> fired(representatives.components.size(), false);
      size_t position = 0;
      for (size_t i = first; i < last; ++i) {
        for (Finding& finding : work[i].findings) {
          while (representatives.components[position] != finding.components[0]) ++position;
          fired[position] = true;
          by_representative[position] = std::move(finding);
        }
        work[i].findings.clear();
      }
      // Each candidate's finding has its place in candidate order, filled in slices on
      // every thread (a copy of a finding and a suppression check each).
      const std::vector<size_t>& all = candidates[rule][0];
      std::vector<size_t> place(all.size(), SIZE_MAX);
      size_t fanned = 0;
      for (size_t k = 0; k < all.size(); ++k) {
        if (fired[representatives.of_candidate[k]]) place[k] = fanned++;
      }
      // Each candidate's day is its representative's, narrowed by its own suppression.
      std::vector<Date> day(representatives.components.size(), compiler::never());
      position = 0;
      for (size_t i = first; i < last; ++i) {
        for (const auto& [component, through] : work[i].day_bounds) {
          while (representatives.components[position] != component) ++position;
          day[position] = through;
        }
        work[i].day_bounds.clear();
      }
      std::vector<Date> day_of(all.size());
      for (size_t k = 0; k < all.size(); ++k) day_of[k] = day[representatives.of_candidate[k]];
      std::vector<Finding> findings(fanned);
      constexpr size_t kFanOutSlice = 1024;
      parallel_for((all.size() + kFanOutSlice - 1) / kFanOutSlice, threads, [&](size_t slice) {
        RuleRunner runner(context, program.slot_count(), program.suppressions(), kNoComponent);
        for (size_t k = slice * kFanOutSlice; k < std::min(all.size(), (slice + 1) * kFanOutSlice); ++k) {
          if (place[k] == SIZE_MAX) continue;
          findings[place[k]] = runner.fan_out(work[first], by_representative[representatives.of_candidate[k]], all[k], day_of[k]);
        }
      });
      work[first].findings = std::move(findings);
      for (size_t k = 0; k < all.size(); ++k) {
        if (day_of[k] != compiler::never()) work[first].day_bounds.emplace_back(all[k], day_of[k]);
      }
    }
  });
}

}  // namespace

// What an Evaluator joins once: the context every rule reads (each component's end-of-life
// cycle, advisories and releases), the joined facts findings point into, and the parts of
// an Evaluation that do not change with the day.
struct Evaluator::Joins {
  Joins(const compiler::Program& program_in, const inventory::Inventory& inventory_in, const facts::FactSet& facts_in,
        Date today, const EvaluationOptions& options_in);

  const compiler::Program& program;
  const inventory::Inventory& inventory;
  const facts::FactSet& facts;
  const EvaluationOptions options;
  const unsigned threads;
  const Date joined_on;
  const Date known_on;  // the day whose knowledge the facts are joined with (known_by)
  Date cycles_same_through = compiler::never();  // an "lts/*" pin names the same cycle through it
  compiler::EvaluationContext context;
  std::shared_ptr<JoinedFacts> joined = std::make_shared<JoinedFacts>();
  Evaluation base;  // coverage, advisory skips and index, VEX outcomes
  std::optional<CandidateIndex> candidate_index;
  std::optional<GroupsOfPins> groups;
};

Evaluator::Joins::Joins(const compiler::Program& program_in, const inventory::Inventory& inventory_in,
                        const facts::FactSet& facts_in, Date today, const EvaluationOptions& options_in)
    : program(program_in), inventory(inventory_in), facts(facts_in), options(options_in),
      threads(options.threads > 0 ? static_cast<unsigned>(options.threads) : std::thread::hardware_concurrency()),
      joined_on(today),
      known_on(options.facts_known_on.value_or(today)) {
  Evaluation& evaluation = base;
  context.inventory = &inventory;
  context.facts = &facts;
  context.today = today;
  context.facts_known_on = known_on;
  context.cycle_of_component.reserve(inventory.components.size());
  std::vector<Value> all;
  all.reserve(inventory.components.size());
  for (const auto& component : inventory.components) {
    context.cycle_of_component.push_back(eol_cycle_of(facts, component, today, joined->cycles_before_known, known_on));
    cycles_same_through = std::min(cycles_same_through, eol_cycle_same_through(facts, component, today));
    all.push_back(Value::of_component(&component));
  }
  context.all_components = Value::own_list(std::move(all));
  const size_t component_count = inventory.components.size();
  constexpr size_t kJoinSlice = 1024;
  std::vector<size_t> vex_used;  // statements about an advisory some component meets
  std::vector<char> vex_named;   // per statement: whether it names any component (when joined)
  if (program.reads_advisories()) {
    auto index = std::make_shared<const AdvisoryIndex>(facts, program.declared_advisories(), options.products, known_on);
    evaluation.advisory_index = index;
    const AdvisoryIndex& advisories = *index;
    std::vector<std::string> keys(component_count);
    evaluation.coverage.resize(component_count);
    evaluation.advisory_skips = advisories.skips();
    parallel_for((component_count + kJoinSlice - 1) / kJoinSlice, threads, [&](size_t slice) {
      for (size_t i = slice * kJoinSlice; i < std::min(component_count, (slice + 1) * kJoinSlice); ++i) {
        keys[i] = advisories.match_key(inventory.components[i], &evaluation.coverage[i]);
      }
    });
    // The VEX statements naming each component join its key: components that match alike
    // but are named by different statements must not share an advisory list.
    std::vector<std::vector<size_t>> vex_naming(options.vex ? component_count : 0);
    if (options.vex) {
      parallel_for((component_count + kJoinSlice - 1) / kJoinSlice, threads, [&](size_t slice) {
        for (size_t i = slice * kJoinSlice; i < std::min(component_count, (slice + 1) * kJoinSlice); ++i) {
          vex_naming[i] = options.vex->naming(inventory.components[i]);
          if (keys[i].empty()) {
            continue;  // matches no advisory; named only to tell an unused statement's reason
          }
          for (size_t statement : vex_naming[i]) keys[i] += "\x1fvex" + std::to_string(statement);
        }
      });
      vex_named.assign(options.vex->statements().size(), 0);
      for (const auto& naming : vex_naming) {
        for (size_t statement : naming) vex_named[statement] = 1;
      }
    }
    // Components with equal keys are matched once, through the first of them.
    std::unordered_map<std::string_view, size_t> list_of_key;
    std::vector<size_t> first_component;
    std::vector<size_t> list_of_component(component_count, SIZE_MAX);
    for (size_t i = 0; i < component_count; ++i) {
      if (keys[i].empty()) continue;
      auto [it, added] = list_of_key.try_emplace(keys[i], first_component.size());
      if (added) first_component.push_back(i);
      list_of_component[i] = it->second;
    }
    std::vector<std::vector<compiler::AdvisoryMatch>>& lists = joined->advisory_lists;
    lists.resize(first_component.size());
    parallel_for((first_component.size() + kJoinSlice - 1) / kJoinSlice, threads, [&](size_t slice) {
      for (size_t k = slice * kJoinSlice; k < std::min(first_component.size(), (slice + 1) * kJoinSlice); ++k) {
        lists[k] = advisories.match(inventory.components[first_component[k]]);
      }
    });
    // A not_affected or fixed statement takes the advisory out of the component's list
    // before any rule reads it, so that every rule, aggregate and score sees the
    // component as the statement's author does.
    std::vector<std::vector<std::pair<std::string, size_t>>> vex_of_list(options.vex ? first_component.size() : 0);
    std::vector<std::vector<size_t>> vex_sharing(vex_of_list.size());  // every statement about a listed advisory
    if (options.vex) {
      const vex::StatementIndex& statements = *options.vex;
      parallel_for(first_component.size(), threads, [&](size_t k) {
        const std::vector<size_t>& naming = vex_naming[first_component[k]];
        if (naming.empty()) return;
        std::vector<compiler::AdvisoryMatch> kept;
        for (compiler::AdvisoryMatch& match : lists[k]) {
          size_t statement = statements.in_force(naming, match.advisory->all_ids(), &vex_sharing[k]);
          if (statement != SIZE_MAX) vex_of_list[k].emplace_back(match.advisory->id, statement);
          if (statement == SIZE_MAX || !vex::removes_finding(statements.statements()[statement].status)) {
            kept.push_back(std::move(match));
          }
        }
        lists[k] = std::move(kept);
      });
      for (const auto& sharing : vex_sharing) vex_used.insert(vex_used.end(), sharing.begin(), sharing.end());
      for (size_t i = 0; i < component_count; ++i) {
        if (list_of_component[i] == SIZE_MAX) continue;
        for (const auto& [advisory, statement] : vex_of_list[list_of_component[i]]) {
          evaluation.vex.push_back(VexOutcome{i, advisory, statement});
        }
      }
    }
    context.advisories_of_component.resize(component_count, nullptr);
    for (size_t i = 0; i < component_count; ++i) {
      if (list_of_component[i] != SIZE_MAX) context.advisories_of_component[i] = &lists[list_of_component[i]];
    }
  }
  if (options.vex) {
    std::vector<bool> used(options.vex->statements().size(), false);
    for (size_t statement : vex_used) used[statement] = true;
    for (size_t i = 0; i < used.size(); ++i) {
      if (!used[i]) evaluation.unused_vex.push_back(i);
      if (!used[i] && i < vex_named.size() && !vex_named[i]) evaluation.unnamed_vex.push_back(i);
    }
  }
  if (program.reads_releases()) {
    context.releases_of_component.resize(component_count);
    parallel_for((component_count + kJoinSlice - 1) / kJoinSlice, threads, [&](size_t slice) {
      for (size_t i = slice * kJoinSlice; i < std::min(component_count, (slice + 1) * kJoinSlice); ++i) {
        context.releases_of_component[i] = match_releases(facts, inventory.components[i], known_on);
      }
    });
  }
  candidate_index.emplace(inventory, context.cycle_of_component);
  groups.emplace(context);
}

Evaluator::Evaluator(const compiler::Program& program, const inventory::Inventory& inventory,
                     const facts::FactSet& facts, Date today, const EvaluationOptions& options)
    : joins_(std::make_unique<Joins>(program, inventory, facts, today, options)) {}

Evaluator::~Evaluator() = default;

Evaluation Evaluator::evaluate(Date today, const std::vector<bool>* subjects) {
  Joins& joins = *joins_;
  if (today < joins.joined_on || today > joins.cycles_same_through) {
    // An "lts/*" pin may name another cycle on that day: join again as of it.
    EvaluationOptions options = joins.options;
    if (subjects != nullptr) options.subjects = subjects;
    // What was known on the joined day, no more (a later day, Coming due) and no less;
    // an earlier day knew only what was published by then.
    options.facts_known_on = std::min(today, joins.known_on);
    return evaluate_rules(joins.program, joins.inventory, joins.facts, today, options);
  }
  const compiler::Program& program = joins.program;
  const inventory::Inventory& inventory = joins.inventory;
  EvaluationOptions options = joins.options;
  if (subjects != nullptr) options.subjects = subjects;
  const unsigned threads = joins.threads;
  compiler::EvaluationContext& context = joins.context;
  context.today = today;
  const size_t component_count = inventory.components.size();
  Evaluation evaluation;
  evaluation.coverage = joins.base.coverage;
  evaluation.advisory_skips = joins.base.advisory_skips;
  evaluation.advisory_index = joins.base.advisory_index;
  evaluation.vex = joins.base.vex;
  evaluation.unused_vex = joins.base.unused_vex;
  evaluation.unnamed_vex = joins.base.unnamed_vex;
  evaluation.joined = joins.joined;
  const CandidateIndex& index = *joins.candidate_index;
  GroupsOfPins& groups = *joins.groups;

  // Candidates per rule and binding, then slices of the first binding as work items.
  // A rule that reads only pins runs on one representative per pin group (grouping.h);
  // fan_out_groups() then gives every candidate its representative's verdict.
  constexpr size_t kSlice = 4096;
  std::vector<std::vector<std::vector<size_t>>> candidates(program.rules().size());
  std::vector<std::vector<std::vector<size_t>>> evaluated(program.rules().size());  // grouped rules: representatives
  std::vector<std::optional<internal::Representatives>> grouped(program.rules().size());
  std::vector<WorkItem> work;
  std::vector<std::atomic<size_t>> join_stops(program.rules().size());
  for (auto& stop : join_stops) stop.store(SIZE_MAX);
  auto slice_of = [](const CompiledRule& rule, size_t r, std::vector<std::vector<size_t>>* on, size_t begin, size_t end) {
    WorkItem item;
    item.rule = &rule;
    item.rule_index = r;
    item.candidates = on;
    item.begin = begin;
    item.end = end;
    return item;
  };
  for (size_t r = 0; r < program.rules().size(); ++r) {
    const CompiledRule& rule = program.rules()[r];
    if (rule.bindings.empty()) continue;
    for (const auto& binding : rule.bindings) candidates[r].push_back(index.candidates(binding.filter));
    if (options.subjects != nullptr) {
      std::erase_if(candidates[r][0], [&](size_t c) { return c >= options.subjects->size() || !(*options.subjects)[c]; });
    }
    std::vector<std::vector<size_t>>* run_on = &candidates[r];
    const bool may_group = options.group_pins && options.trace_component == kNoComponent;
    if (internal::RuleReads reads = internal::rule_reads(rule); may_group && reads.groupable) {
      grouped[r] = groups.representatives(reads, candidates[r][0]);
      evaluated[r].push_back(grouped[r]->components);
      run_on = &evaluated[r];
    }
    size_t count = (*run_on)[0].size();
    if (rule.bindings.size() == 1) {
      for (size_t begin = 0; begin < count; begin += kSlice) {
        work.push_back(slice_of(rule, r, run_on, begin, std::min(count, begin + kSlice)));
      }
      continue;
    }
    // A join: a fixed number of slices whatever the thread count, so that where the
    // budgets stop it does not depend on the machine (output is the same byte for byte).
    size_t slice = std::max<size_t>(1, (count + JoinBudget::kSlices - 1) / JoinBudget::kSlices);
    for (size_t begin = 0, ordinal = 0; begin < count; begin += slice, ++ordinal) {
      WorkItem item = slice_of(rule, r, run_on, begin, std::min(count, begin + slice));
      item.join_stop = &join_stops[r];
      item.ordinal = ordinal;
      item.max_findings = options.join_budget.findings;
      item.max_binds = options.join_budget.matches / JoinBudget::kSlices;
      work.push_back(std::move(item));
    }
  }

  parallel_for(work.size(), threads, [&](size_t i) {
    RuleRunner runner(context, program.slot_count(), program.suppressions(), options.trace_component);
    runner.run(work[i]);
  });
  fan_out_groups(context, program, candidates, grouped, work, threads);

  for (const auto& suppression : program.suppressions()) {
    evaluation.suppressions.push_back(SuppressionOutcome{&suppression, 0, today > suppression.until});
  }
  if (options.trace_component < component_count) {
    evaluation.trace = collect_trace(options.trace_component, program, candidates, work);
  }
  // A join that met a budget keeps the first of its findings in order: each slice's, up
  // to the first slice that stopped, at most join_budget.findings in all.
  for_each_rule(work, [&](size_t i, size_t end) {
    if (work[i].rule->bindings.size() > 1) {
      size_t kept = 0;
      std::optional<RuleStop::Kind> stop;
      for (size_t k = i; k < end; ++k) {
        if (stop) {
          work[k].findings.clear();
          continue;
        }
        if (kept + work[k].findings.size() > options.join_budget.findings) {
          work[k].findings.resize(options.join_budget.findings - kept);
          stop = RuleStop::Kind::kFindings;
        } else if (work[k].stopped) {
          stop = work[k].stopped;
        }
        kept += work[k].findings.size();
      }
      if (stop) {
        size_t limit = *stop == RuleStop::Kind::kFindings ? options.join_budget.findings : options.join_budget.matches;
        evaluation.stopped.push_back(RuleStop{work[i].rule->qualified_name, *stop, limit, kept});
      }
    }
  });
  size_t finding_count = 0;
  for (const WorkItem& item : work) finding_count += item.findings.size();
  evaluation.findings.reserve(finding_count);
  for (auto& item : work) {
    for (auto& finding : item.findings) {
      if (finding.suppression >= 0) {
        SuppressionOutcome& outcome = evaluation.suppressions[static_cast<size_t>(finding.suppression)];
        ++outcome.matched;
        if (!outcome.expired) {
          evaluation.suppressed.push_back(std::move(finding));
          continue;
        }
        finding.suppression = -1;
      }
      evaluation.findings.push_back(std::move(finding));
    }
  }
  // What each subject's verdict holds through (Evaluation::unchanged_through), unless a
  // stopped join or a policy that reads across components makes it unknowable.
  const compiler::CompiledRankPolicy* policy = program.rank_policy();
  const bool bounded = options.trace_component == kNoComponent && evaluation.stopped.empty() &&
                       (policy == nullptr || !internal::policy_reads_other_components(*policy));
  if (bounded) {
    // An "lts/*" pin's cycle may be read by any rule: it bounds every component.
    evaluation.unchanged_through.assign(component_count, joins.cycles_same_through);
    for (const WorkItem& item : work) {
      for (const auto& [subject, through] : item.day_bounds) {
        Date& day = evaluation.unchanged_through[subject];
        day = std::min(day, through);
      }
    }
  }
  if (policy != nullptr) {
    evaluation.rank_policy = policy->qualified_name;
    evaluation.ranks = internal::run_rank_policy(program, context, evaluation.findings, threads,
                                                 bounded ? &evaluation.unchanged_through : nullptr);
  }
  // The policy's copies of the findings are for this day only.
  std::vector<std::vector<compiler::FindingRecord>>().swap(context.findings_of_component);
  return evaluation;
}

Evaluation evaluate_rules(const compiler::Program& program, const inventory::Inventory& inventory,
                          const facts::FactSet& facts, Date today, const EvaluationOptions& options) {
  return Evaluator(program, inventory, facts, today, options).evaluate(today);
}

std::optional<std::vector<bool>> changing_by(const std::vector<Date>& unchanged_through, Date later) {
  if (unchanged_through.empty()) return std::nullopt;
  std::vector<bool> changing(unchanged_through.size());
  for (size_t c = 0; c < unchanged_through.size(); ++c) changing[c] = unchanged_through[c] < later;
  return changing;
}

}  // namespace uprank::evaluator
