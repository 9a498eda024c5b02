#include "engine/evaluator/tracer.h"

#include <algorithm>

#include "engine/compiler/nodes.h"

namespace uprank::evaluator {

const char* outcome_name(ConjunctTrace::Outcome outcome) {
  switch (outcome) {
    case ConjunctTrace::Outcome::kTrue: return "true";
    case ConjunctTrace::Outcome::kFalse: return "false";
    case ConjunctTrace::Outcome::kUndefined: return "undefined";
    case ConjunctTrace::Outcome::kValue: return "value";
  }
  return "undefined";
}

namespace internal {
namespace {

using compiler::Kind;
using compiler::Node;
using compiler::Value;
namespace nodes = compiler::internal;

// Operands longer than this (a list of every advisory) are cut: a trace is read by people.
constexpr size_t kValueLimit = 300;

std::string cut(std::string text) {
  if (text.size() <= kValueLimit) return text;
  size_t end = kValueLimit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not mid-character
  return text.substr(0, end) + "…";
}

// Whether `node` is an operator (logic, comparison, arithmetic): its children are the
// operands, not the node itself, so that `today + warn_window` shows both.
bool is_operator(const Node& node) {
  return dynamic_cast<const nodes::LogicNode*>(&node) || dynamic_cast<const nodes::NotNode*>(&node) ||
         dynamic_cast<const nodes::CompareNode*>(&node) || dynamic_cast<const nodes::VersionCompareNode*>(&node) ||
         dynamic_cast<const nodes::VersionInRangeNode*>(&node) || dynamic_cast<const nodes::InListNode*>(&node) ||
         dynamic_cast<const nodes::MatchNode*>(&node) || dynamic_cast<const nodes::ArithmeticNode*>(&node) ||
         dynamic_cast<const nodes::NegateNode*>(&node);
}

std::string component_source(const inventory::Component& component) {
  std::string where = component.location.file.empty() ? component.source : component.location.file;
  if (component.location.line > 0) where += ":" + std::to_string(component.location.line);
  return "inventory " + where + " (" + component.name + ")";
}

std::string cycle_source(const facts::EolCycle& cycle) {
  std::string text = "endoflife " + cycle.product + " " + cycle.cycle;
  if (!cycle.evidence.source.empty() && cycle.evidence.source != "endoflife") text += " (" + cycle.evidence.source + ")";
  else if (cycle.evidence.fetched_at.empty() && cycle.evidence.source.empty()) text += " (made up: older than every known cycle)";
  return text;
}

// Names where the value of `field` read from `object` came from.
std::string field_source(const Value& object, nodes::FieldId field, const Value& value) {
  using nodes::FieldId;
  switch (object.kind) {
    case Kind::kComponent:
      if (field == FieldId::kEol) {
        return value.kind == Kind::kEolCycle ? cycle_source(*value.cycle)
                                             : "endoflife: no cycle for " + object.component->name;
      }
      if (field == FieldId::kAdvisories) return "advisories matched to " + object.component->name;
      if (field == FieldId::kNotices) return "informational advisories matched to " + object.component->name;
      if (field == FieldId::kReleases) return "releases of " + object.component->name;
      if (field == FieldId::kFindings) return "findings of " + object.component->name;
      return component_source(*object.component);
    case Kind::kEolCycle: return cycle_source(*object.cycle);
    case Kind::kAdvisory: {
      const compiler::AdvisoryMatch& match = *object.advisory;
      const std::string& id = match.advisory->id;
      switch (field) {
        case FieldId::kInKev: case FieldId::kKevCve: case FieldId::kKevDue: case FieldId::kRansomware:
          return match.kev ? "CISA KEV " + match.kev->cve + " (advisory " + id + ")" : "CISA KEV: not listed (advisory " + id + ")";
        case FieldId::kEpss: case FieldId::kEpssPercentile:
          return match.epss ? "FIRST EPSS " + match.epss->cve + " (advisory " + id + ")" : "FIRST EPSS: no score (advisory " + id + ")";
        default: return "advisory " + id;
      }
    }
    case Kind::kRelease: return "release " + object.release->release->repository + " " + object.release->release->tag;
    case Kind::kFinding: return "finding " + object.finding->rule;
    default: return "";
  }
}

// Appends where the facts under `node` came from, without entering quantifier bodies or
// def bodies, whose variables are bound only while they run.
void collect_sources(const Node& node, compiler::Frame& frame, std::vector<std::string>& out) {
  auto add = [&](std::string source) {
    if (!source.empty() && std::find(out.begin(), out.end(), source) == out.end()) out.push_back(std::move(source));
  };
  if (const auto* field = dynamic_cast<const nodes::FieldNode*>(&node)) {
    Value object = field->object().evaluate(frame);
    if (object.kind == Kind::kVersion || object.kind == Kind::kUndefined) {
      collect_sources(field->object(), frame, out);  // `c.version.major`: the version's source
      return;
    }
    add(field_source(object, field->field(), node.evaluate(frame)));
    return;
  }
  if (dynamic_cast<const nodes::TodayNode*>(&node)) return add("today");
  if (const auto* slot = dynamic_cast<const nodes::SlotNode*>(&node)) {
    Value value = slot->evaluate(frame);
    if (value.kind == Kind::kComponent) add(component_source(*value.component));
    return;
  }
  if (dynamic_cast<const nodes::LetNode*>(&node)) return;
  bool quantifier = dynamic_cast<const nodes::QuantifierNode*>(&node) != nullptr;
  bool first = true;
  node.visit_children([&](const Node& child) {
    if (quantifier && !first) return;  // only the collection is read outside the body
    first = false;
    collect_sources(child, frame, out);
  });
}

void collect_operands(const Node& node, compiler::Frame& frame, std::vector<OperandTrace>& out) {
  if (is_operator(node)) {
    node.visit_children([&](const Node& child) { collect_operands(child, frame, out); });
    return;
  }
  OperandTrace operand;
  operand.range = node.range();
  operand.value = cut(compiler::format_value(node.evaluate(frame)));
  operand.constant = dynamic_cast<const nodes::ConstantNode*>(&node) != nullptr;
  if (!operand.constant) collect_sources(node, frame, operand.sources);
  out.push_back(std::move(operand));
}

}  // namespace

void flatten_conjuncts(const Node* node, std::vector<const Node*>& out) {
  if (node == nullptr) return;
  if (const auto* logic = dynamic_cast<const nodes::LogicNode*>(node); logic && logic->is_and()) {
    flatten_conjuncts(&logic->left(), out);
    flatten_conjuncts(&logic->right(), out);
    return;
  }
  out.push_back(node);
}

ConjunctTrace trace_conjunct(const Node& conjunct, const char* clause, compiler::Frame& frame) {
  ConjunctTrace trace;
  trace.clause = clause;
  trace.range = conjunct.range();
  Value value = conjunct.evaluate(frame);
  trace.outcome = !value.defined()           ? ConjunctTrace::Outcome::kUndefined
                  : value.kind != Kind::kBool ? ConjunctTrace::Outcome::kValue
                  : value.boolean             ? ConjunctTrace::Outcome::kTrue
                                              : ConjunctTrace::Outcome::kFalse;
  collect_operands(conjunct, frame, trace.operands);
  return trace;
}

}  // namespace internal
}  // namespace uprank::evaluator
