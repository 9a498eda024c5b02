#include "engine/evaluator/grouping.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/compiler/nodes.h"

namespace uprank::evaluator::internal {
namespace {

using compiler::Node;
using compiler::TypeKind;
using compiler::internal::FieldId;

// Component fields whose values pin_groups() keys by (or that it shares: cycle, advisory
// list). Name, file and line differ per pin; releases are joined per component.
bool keyed_field(FieldId field) {
  switch (field) {
    case FieldId::kProduct: case FieldId::kVersion: case FieldId::kScheme: case FieldId::kPurl:
    case FieldId::kKind: case FieldId::kEnvironment: case FieldId::kCriticality: case FieldId::kExposure:
    case FieldId::kOwner: case FieldId::kCluster: case FieldId::kTags: case FieldId::kEol:
    case FieldId::kAdvisories: case FieldId::kNotices: case FieldId::kPin: case FieldId::kPinned:
      return true;
    default:
      return false;
  }
}

// Whether a component value may flow from `node` into `parent`: only into a field read,
// an attribute read, a def (whose body is checked the same way) or supported_target().
// Anything else (text, comparison, a list, related(), an aggregate) could tell two pins
// of one group apart.
bool component_use_allowed(const Node& node, const Node* parent) {
  namespace nodes = compiler::internal;
  if (dynamic_cast<const nodes::SlotNode*>(&node) == nullptr && dynamic_cast<const nodes::LetNode*>(&node) == nullptr) {
    return false;
  }
  if (parent == nullptr) return false;
  if (dynamic_cast<const nodes::FieldNode*>(parent) != nullptr) return true;
  if (dynamic_cast<const nodes::AttributeNode*>(parent) != nullptr) return true;
  if (dynamic_cast<const nodes::LetNode*>(parent) != nullptr) return true;
  const auto* builtin = dynamic_cast<const nodes::BuiltinNode*>(parent);
  return builtin != nullptr && builtin->builtin() == nodes::Builtin::kSupportedTarget;
}

void walk(const Node& node, const Node* parent, RuleReads& reads) {
  namespace nodes = compiler::internal;
  if (!reads.groupable) return;
  if (node.type().is(TypeKind::kComponent) && !component_use_allowed(node, parent)) {
    reads.groupable = false;
    return;
  }
  if (const auto* field = dynamic_cast<const nodes::FieldNode*>(&node)) {
    if (field->object().type().is(TypeKind::kComponent) && !keyed_field(field->field())) {
      reads.groupable = false;
      return;
    }
  }
  if (const auto* attribute = dynamic_cast<const nodes::AttributeNode*>(&node)) {
    const auto* constant = dynamic_cast<const nodes::ConstantNode*>(&attribute->key());
    if (constant != nullptr && constant->value().kind == compiler::Kind::kString) {
      std::string key(constant->value().text);
      auto at = std::lower_bound(reads.attributes.begin(), reads.attributes.end(), key);
      if (at == reads.attributes.end() || *at != key) reads.attributes.insert(at, key);
    } else {
      reads.all_attributes = true;
    }
  }
  if (dynamic_cast<const nodes::ReleasesBetweenNode*>(&node) != nullptr) {
    reads.groupable = false;
    return;
  }
  node.visit_children([&](const Node& child) { walk(child, &node, reads); });
}

void put(std::string& key, std::string_view text) {
  key += std::to_string(text.size());
  key += ':';
  key += text;
}

void put_pointer(std::string& key, const void* pointer) {
  char bytes[sizeof pointer];
  std::memcpy(bytes, &pointer, sizeof pointer);
  key.append(bytes, sizeof bytes);
}

}  // namespace

RuleReads rule_reads(const compiler::CompiledRule& rule) {
  RuleReads reads;
  reads.groupable = rule.bindings.size() == 1;
  auto visit = [&](const compiler::NodePtr& node) {
    if (node) walk(*node, nullptr, reads);
  };
  visit(rule.title);
  visit(rule.where);
  visit(rule.when);
  visit(rule.urgency);
  visit(rule.score);
  visit(rule.message);
  visit(rule.target);
  visit(rule.due);
  for (const auto& risk : rule.risks) visit(risk.message);
  for (const auto& explanation : rule.explanations) {
    visit(explanation.value);
    visit(explanation.because);
  }
  return reads;
}

std::vector<uint32_t> pin_groups(const compiler::EvaluationContext& context, const RuleReads& reads) {
  const auto& components = context.inventory->components;
  std::vector<uint32_t> groups(components.size());
  std::unordered_map<std::string, uint32_t> ids;
  std::string key;
  for (size_t i = 0; i < components.size(); ++i) {
    const inventory::Component& c = components[i];
    key.clear();
    for (const std::string* text : {&c.product, &c.version_text, &c.purl, &c.kind, &c.environment, &c.criticality,
                                    &c.exposure, &c.owner, &c.cluster, &c.pin.cycle, &c.pin.codename,
                                    &c.pin.constraint, &c.pin.lowest, &c.pin.digest}) {
      put(key, *text);
    }
    key += static_cast<char>(c.scheme);
    key += static_cast<char>(c.pin.kind);
    if (c.version) {
      key += static_cast<char>(c.version->scheme());
      put(key, c.version->text());
    } else {
      key += '-';
    }
    put(key, std::to_string(c.tags.size()));
    for (const std::string& tag : c.tags) put(key, tag);
    if (reads.all_attributes) {
      put(key, std::to_string(c.attributes.size()));
      for (const auto& [name, value] : c.attributes) {
        put(key, name);
        put(key, value);
      }
    } else {
      for (const std::string& name : reads.attributes) {
        auto value = c.attributes.find(name);
        if (value == c.attributes.end()) {
          key += '-';  // absent, which reads as undefined: unlike any value, "" included
        } else {
          key += '=';
          put(key, value->second);
        }
      }
    }
    put_pointer(key, context.cycle_of_component[i]);
    put_pointer(key, i < context.advisories_of_component.size() ? context.advisories_of_component[i] : nullptr);
    groups[i] = ids.try_emplace(key, static_cast<uint32_t>(ids.size())).first->second;
  }
  return groups;
}

Representatives RepresentativePicker::pick(const std::vector<uint32_t>& groups, const std::vector<size_t>& candidates) {
  ++generation_;
  if (seen_.size() < groups.size()) seen_.resize(groups.size());  // group numbers are below the component count
  Representatives out;
  out.of_candidate.reserve(candidates.size());
  for (size_t component : candidates) {
    Seen& seen = seen_[groups[component]];
    if (seen.generation != generation_) {
      seen = Seen{generation_, out.components.size()};
      out.components.push_back(component);
    }
    out.of_candidate.push_back(seen.representative);
  }
  return out;
}

}  // namespace uprank::evaluator::internal
