// Executable nodes the checker builds. Internal to the compiler and evaluator.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/ast/ast.h"
#include "engine/base/result.h"
#include "engine/compiler/program.h"

namespace uprank::compiler::internal {

class ConstantNode : public Node {
 public:
  ConstantNode(Type type, SourceRange range, Value value) : Node(type, std::move(range)), value_(std::move(value)) {}
  Value evaluate(Frame&) const override { return value_; }
  void describe(std::string& out) const override;
  const Value& value() const { return value_; }

 private:
  Value value_;
};

class SlotNode : public Node {
 public:
  SlotNode(Type type, SourceRange range, int slot, std::string name)
      : Node(type, std::move(range)), slot_(slot), name_(std::move(name)) {}
  Value evaluate(Frame& frame) const override { return frame.slots[static_cast<size_t>(slot_)]; }
  void describe(std::string& out) const override { out += name_ + "#" + std::to_string(slot_); }
  int slot() const { return slot_; }

 private:
  int slot_;
  std::string name_;
};

class TodayNode : public Node {
 public:
  explicit TodayNode(SourceRange range) : Node(Type::of(TypeKind::kDate), std::move(range)) {}
  Value evaluate(Frame& frame) const override {
    frame.read_day_through(frame.context->today);
    return Value::of_date(frame.context->today);
  }
  void describe(std::string& out) const override { out += "today"; }
};

// `components` or `components("x")`: every component, or those whose product or name is x.
class ComponentsNode : public Node {
 public:
  ComponentsNode(SourceRange range, std::optional<std::string> selector)
      : Node(Type::list_of(TypeKind::kComponent), std::move(range)), selector_(std::move(selector)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  const std::optional<std::string>& selector() const { return selector_; }

 private:
  std::optional<std::string> selector_;
};

enum class FieldId : uint8_t {
  // component
  kName, kProduct, kVersion, kScheme, kPurl, kEnvironment, kCriticality, kExposure, kOwner, kCluster, kTags,
  kEol, kFile, kLine, kAdvisories, kNotices, kReleases, kPin, kPinned, kFindings, kKind,
  // EOL cycle
  kCycle, kReleased, kEnds, kEnded, kSupportEnds, kExtendedEnds, kLts, kLatest, kLatestDate,
  // advisory
  kId, kAliases, kSummary, kCvss, kCvssVector, kSeverity, kPublished, kFixed, kExploited, kExploitedSince,
  kKevDue, kRansomware, kEpss, kEpssPercentile, kUrl, kSource, kInKev, kKevCve, kExploitReferences, kInformational,
  // release
  kReleaseVersion, kReleaseTag, kReleaseName, kReleaseDate, kNotes, kPrerelease, kReleaseUrl,
  // finding (rank policies)
  kFindingRule, kFindingName, kFindingTitle, kFindingUrgency, kFindingScore, kFindingReason, kFindingMessage,
  kFindingTarget, kFindingDue,
  // version
  kMajor, kMinor, kPatch, kVersionPrerelease,
};

struct FieldInfo {
  const char* name;
  FieldId id;
  TypeKind owner;
  Type type;
  const char* description;
};
// Returns the fields of a record type (component, EOL cycle, version), for checking,
// suggestions and documentation.
std::vector<FieldInfo> fields_of(TypeKind owner);

class FieldNode : public Node {
 public:
  FieldNode(Type type, SourceRange range, NodePtr object, FieldId field, std::string name)
      : Node(type, std::move(range)), object_(std::move(object)), field_(field), name_(std::move(name)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (object_) visit(*object_);
  }
  const Node& object() const { return *object_; }
  FieldId field() const { return field_; }

 private:
  NodePtr object_;
  FieldId field_;
  std::string name_;
};

// `c.attribute("team")`: a free-form attribute from the inventory, undefined when absent.
class AttributeNode : public Node {
 public:
  AttributeNode(SourceRange range, NodePtr object, NodePtr key)
      : Node(Type::of(TypeKind::kString), std::move(range)), object_(std::move(object)), key_(std::move(key)) {}
  Value evaluate(Frame& frame) const override;
  const Node& key() const { return *key_; }
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (object_) visit(*object_);
    if (key_) visit(*key_);
  }

 private:
  NodePtr object_, key_;
};

// `f.explained("Decision")`: the value a finding's rule explained for a decision point,
// undefined when its decision path has no such point.
class ExplainedNode : public Node {
 public:
  ExplainedNode(SourceRange range, NodePtr finding, NodePtr point)
      : Node(Type::of(TypeKind::kString), std::move(range)), finding_(std::move(finding)), point_(std::move(point)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (finding_) visit(*finding_);
    if (point_) visit(*point_);
  }

 private:
  NodePtr finding_, point_;
};

class NotNode : public Node {
 public:
  NotNode(SourceRange range, NodePtr operand) : Node(Type::of(TypeKind::kBool), std::move(range)), operand_(std::move(operand)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (operand_) visit(*operand_);
  }

 private:
  NodePtr operand_;
};

class NegateNode : public Node {
 public:
  NegateNode(Type type, SourceRange range, NodePtr operand) : Node(type, std::move(range)), operand_(std::move(operand)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (operand_) visit(*operand_);
  }

 private:
  NodePtr operand_;
};

// Arithmetic on numbers, dates and durations, and string concatenation; the checker
// chose the operand kinds, so evaluation only switches on the operator.
class ArithmeticNode : public Node {
 public:
  ArithmeticNode(Type type, SourceRange range, ast::BinaryOp op, NodePtr left, NodePtr right)
      : Node(type, std::move(range)), op_(op), left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (left_) visit(*left_);
    if (right_) visit(*right_);
  }

 private:
  ast::BinaryOp op_;
  NodePtr left_, right_;
};

// Comparison of two values of one type (numbers, strings, dates, durations, levels, bools).
class CompareNode : public Node {
 public:
  CompareNode(SourceRange range, ast::BinaryOp op, NodePtr left, NodePtr right)
      : Node(Type::of(TypeKind::kBool), std::move(range)), op_(op), left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (left_) visit(*left_);
    if (right_) visit(*right_);
  }
  ast::BinaryOp op() const { return op_; }
  const Node& left() const { return *left_; }
  const Node& right() const { return *right_; }

 private:
  ast::BinaryOp op_;
  NodePtr left_, right_;
};

// A version literal pre-parsed in every scheme at compile time, so that comparing it
// with a component's version never parses on the hot path.
struct VersionLiteral {
  std::string text;
  std::array<std::optional<versions::Version>, versions::kSchemeCount> by_scheme;  // indexed by Scheme
};

// Compares versions in the left operand's scheme; a string or a version of another
// scheme on the right is read in that scheme. Unparseable operands give undefined.
class VersionCompareNode : public Node {
 public:
  VersionCompareNode(SourceRange range, ast::BinaryOp op, NodePtr left, NodePtr right,
                     std::optional<VersionLiteral> right_literal)
      : Node(Type::of(TypeKind::kBool), std::move(range)), op_(op), left_(std::move(left)), right_(std::move(right)),
        right_literal_(std::move(right_literal)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (left_) visit(*left_);
    if (right_) visit(*right_);
  }

 private:
  ast::BinaryOp op_;
  NodePtr left_, right_;
  std::optional<VersionLiteral> right_literal_;
};

// `version in "range"`: range literals are pre-parsed in every scheme at compile time.
class VersionInRangeNode : public Node {
 public:
  struct RangeLiteral {
    std::string text;
    std::array<std::optional<versions::Range>, versions::kSchemeCount> by_scheme;
  };
  VersionInRangeNode(SourceRange range, bool negate, NodePtr version, NodePtr range_text,
                     std::optional<RangeLiteral> literal)
      : Node(Type::of(TypeKind::kBool), std::move(range)), negate_(negate), version_(std::move(version)),
        range_text_(std::move(range_text)), literal_(std::move(literal)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (version_) visit(*version_);
    if (range_text_) visit(*range_text_);
  }

 private:
  bool negate_;
  NodePtr version_, range_text_;
  std::optional<RangeLiteral> literal_;
};

class InListNode : public Node {
 public:
  InListNode(SourceRange range, bool negate, NodePtr item, NodePtr list)
      : Node(Type::of(TypeKind::kBool), std::move(range)), negate_(negate), item_(std::move(item)), list_(std::move(list)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (item_) visit(*item_);
    if (list_) visit(*list_);
  }

 private:
  bool negate_;
  NodePtr item_, list_;
};

// All patterns matched against one field (say release notes), as one RE2::Set: a text is
// scanned once for all of them.
struct RegexSet {
  std::unique_ptr<re2::RE2::Set> set;
  int patterns = 0;
  bool compiled = false;
};

// `text ~ /re/`: RE2 only (linear time on untrusted vendor text), compiled once. When the
// compiler grouped this pattern into a RegexSet, evaluation asks the set instead.
class MatchNode : public Node {
 public:
  MatchNode(SourceRange range, bool negate, NodePtr text, std::shared_ptr<const re2::RE2> regex,
            std::shared_ptr<const RegexSet> set = nullptr, int set_index = -1)
      : Node(Type::of(TypeKind::kBool), std::move(range)), negate_(negate), text_(std::move(text)), regex_(std::move(regex)),
        set_(std::move(set)), set_index_(set_index) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (text_) visit(*text_);
  }

 private:
  bool negate_;
  NodePtr text_;
  std::shared_ptr<const re2::RE2> regex_;
  std::shared_ptr<const RegexSet> set_;
  int set_index_;
};

class LogicNode : public Node {
 public:
  LogicNode(SourceRange range, bool is_and, NodePtr left, NodePtr right)
      : Node(Type::of(TypeKind::kBool), std::move(range)), is_and_(is_and), left_(std::move(left)), right_(std::move(right)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (left_) visit(*left_);
    if (right_) visit(*right_);
  }
  bool is_and() const { return is_and_; }
  const Node& left() const { return *left_; }
  const Node& right() const { return *right_; }

 private:
  bool is_and_;
  NodePtr left_, right_;
};

class ConditionalNode : public Node {
 public:
  ConditionalNode(Type type, SourceRange range, NodePtr condition, NodePtr then_value, NodePtr else_value)
      : Node(type, std::move(range)), condition_(std::move(condition)), then_(std::move(then_value)),
        else_(std::move(else_value)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (condition_) visit(*condition_);
    if (then_) visit(*then_);
    if (else_) visit(*else_);
  }

 private:
  NodePtr condition_, then_, else_;
};

class ListNode : public Node {
 public:
  ListNode(Type type, SourceRange range, std::vector<NodePtr> items) : Node(type, std::move(range)), items_(std::move(items)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    for (const auto& child : items_) visit(*child);
  }

 private:
  std::vector<NodePtr> items_;
};

class LetNode;

class QuantifierNode : public Node {
 public:
  QuantifierNode(Type type, SourceRange range, ast::QuantifierKind kind, int slot, NodePtr collection, NodePtr condition,
                 NodePtr value = nullptr)
      : Node(type, std::move(range)), kind_(kind), slot_(slot), collection_(std::move(collection)),
        condition_(std::move(condition)), value_(std::move(value)) {
    plan_lookup();
  }
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    if (collection_) visit(*collection_);
    if (condition_) visit(*condition_);
    if (value_) visit(*value_);
  }

 private:
  Value aggregate(Frame& frame, const std::vector<Value>& items) const;

  // Walking only the components whose FIELD reads the key (EvaluationContext::text_index)
  // instead of every component. Planned when the collection is every component, the
  // quantifier is not `all`, and the first test its condition evaluates (through `and`s,
  // and through def calls that pass the item on unchanged) is `item.FIELD == key` on a
  // text field, with a key that reads neither the item nor anything with a side effect.
  // An item outside that list fails that first test before anything else of it is read,
  // so the result, the evidence a match records and the order are those of the scan.
  struct Lookup {
    size_t index = 0;                    // into EvaluationContext::text_index
    FieldId field = FieldId::kName;
    const Node* key = nullptr;
    std::vector<const LetNode*> calls;   // def calls whose arguments are bound (outer first) before the key is read
    std::vector<std::vector<bool>> bind; // per call, per argument: bound for the key (false: the item itself)
  };
  // Walking only the components that pass the condition's first test (found as Lookup
  // finds it, through `and`s and def calls that pass the item on) when that test is pure:
  // it reads text fields and attributes of components, constants and variables, and
  // records no evidence. Its list of passing components is made once per evaluation for
  // each value of what it reads besides the item (EvaluationContext::prefiltered): the
  // cluster that serves a manifest's API is looked for among the clusters, not the fleet.
  // An item outside the list fails that first test, so the result, the evidence a match
  // records and the order are those of the scan. Planned when no Lookup is.
  struct Prefilter {
    const Node* test = nullptr;
    std::vector<const LetNode*> calls;    // as in Lookup
    std::vector<std::vector<bool>> bind;  // as in Lookup
    std::vector<int> items;               // the slots that hold the item while the test runs
    std::vector<int> reads;               // the other slots the test reads: its list's key
    bool reads_today = false;             // the test reads `today`: the day joins the key
  };
  void plan_lookup();
  Value lookup(Frame& frame) const;
  // The components passing the Prefilter's test, or nullopt when what the test reads
  // besides the item makes no key (a component, a list) or the context's budget for
  // such lists is spent: then the caller scans.
  std::optional<Value> prefiltered(Frame& frame) const;

  ast::QuantifierKind kind_;
  int slot_;
  NodePtr collection_, condition_, value_;
  std::optional<Lookup> lookup_;
  std::optional<Prefilter> prefilter_;
};

class InterpolationNode : public Node {
 public:
  InterpolationNode(SourceRange range, std::vector<std::string> texts, std::vector<NodePtr> values)
      : Node(Type::of(TypeKind::kString), std::move(range)), texts_(std::move(texts)), values_(std::move(values)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    for (const auto& child : values_) visit(*child);
  }

 private:
  std::vector<std::string> texts_;
  std::vector<NodePtr> values_;
};

// A call of a `def`: arguments are evaluated once into fresh slots, then the body runs.
class LetNode : public Node {
 public:
  // `identity` names the def and its argument types, the same for every call site that
  // inlines that def with those types: their bodies compute the same value from equal
  // arguments, so one match's memo (Frame::def_results) is keyed by it, not by the site.
  LetNode(Type type, SourceRange range, std::string function, const void* identity, std::vector<int> slots,
          std::vector<NodePtr> arguments, NodePtr body)
      : Node(type, std::move(range)), function_(std::move(function)), identity_(identity), slots_(std::move(slots)),
        arguments_(std::move(arguments)), body_(std::move(body)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    for (const auto& argument : arguments_) visit(*argument);
    visit(*body_);
  }
  const std::vector<int>& slots() const { return slots_; }
  const std::vector<NodePtr>& arguments() const { return arguments_; }
  const Node& body() const { return *body_; }

 private:
  std::string function_;
  const void* identity_;
  std::vector<int> slots_;
  std::vector<NodePtr> arguments_;
  NodePtr body_;
};

enum class Builtin : uint8_t {
  kDays, kClamp, kMin, kMax, kLower, kUpper, kDefined, kLen, kString, kMatches, kSupportedTarget, kInCycle,
  kMajor, kMinor, kPatch, kRelated, kInScheme,
};

// `c.releases(after: v, upto: w)`: the releases of c's product in (after, upto], oldest
// first; either bound may be omitted.
class ReleasesBetweenNode : public Node {
 public:
  ReleasesBetweenNode(SourceRange range, NodePtr component, NodePtr after, NodePtr upto)
      : Node(Type::list_of(TypeKind::kRelease), std::move(range)), component_(std::move(component)),
        after_(std::move(after)), upto_(std::move(upto)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    visit(*component_);
    if (after_) visit(*after_);
    if (upto_) visit(*upto_);
  }

 private:
  NodePtr component_, after_, upto_;
};

class BuiltinNode : public Node {
 public:
  BuiltinNode(Type type, SourceRange range, Builtin builtin, std::string name, std::vector<NodePtr> arguments,
              std::shared_ptr<const re2::RE2> regex = nullptr)
      : Node(type, std::move(range)), builtin_(builtin), name_(std::move(name)), arguments_(std::move(arguments)),
        regex_(std::move(regex)) {}
  Value evaluate(Frame& frame) const override;
  void describe(std::string& out) const override;
  void visit_children(const std::function<void(const Node&)>& visit) const override {
    for (const auto& child : arguments_) visit(*child);
  }
  Builtin builtin() const { return builtin_; }

 private:
  Builtin builtin_;
  std::string name_;
  std::vector<NodePtr> arguments_;
  std::shared_ptr<const re2::RE2> regex_;
};

}  // namespace uprank::compiler::internal
