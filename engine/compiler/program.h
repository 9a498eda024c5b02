// The compiled program: immutable, typed, indexed rules ready to evaluate, shareable
// across threads. Built by compile() (compiler.h); run by the evaluator.
#pragma once

#include <array>
#include <climits>
#include <deque>
#include <mutex>
#include <string_view>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/source_location.h"
#include "engine/compiler/def_memo.h"
#include "engine/compiler/types.h"
#include "engine/compiler/value.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"

namespace uprank::compiler {

// An advisory as it applies to one component: the facts joined once per evaluation.
struct AdvisoryMatch {
  const facts::Advisory* advisory = nullptr;
  // The `affected[]` entry whose ranges or `versions` list matched the running version;
  // when several entries of the advisory match, the one `fixed` comes from.
  const facts::AffectedPackage* affected = nullptr;
  std::optional<versions::Version> fixed;       // lowest fixed version above the running one
  const facts::KevEntry* kev = nullptr;         // CISA KEV entry for any of its ids
  const facts::EpssScore* epss = nullptr;       // highest EPSS score among its ids
  bool declared_exploited = false;              // `exploited` in an ad-hoc advisory
  std::optional<Date> declared_exploited_since;
};

// A release of a component's product, its version read in the component's scheme.
struct ReleaseMatch {
  const facts::ReleaseNote* release = nullptr;
  std::optional<versions::Version> version;
};

// An advisory declared in a rule file; it joins the fetched ones.
struct DeclaredAdvisory {
  facts::Advisory advisory;
  bool exploited = false;
  std::optional<Date> exploited_since;
};

// A finding as a rank policy reads it (`f in c.findings`): what its rule concluded, copied
// from the evaluator's finding so that the compiler does not depend on the evaluator.
struct FindingRecord {
  std::string rule;       // qualified rule name
  std::string name;       // the rule's name as written
  std::string title;      // "" when the rule has none
  Level level = Level::kInfo;
  double score = 0;
  std::string reason;
  std::string message;
  std::string target;     // "" when the rule names none
  std::optional<Date> due;
  std::vector<std::pair<std::string, std::string>> explained;  // decision path: point, value
};

// What every node can see while evaluating: the facts, today, and the variables bound
// by the rule being evaluated. One Frame per evaluating thread.
struct EvaluationContext {
  const inventory::Inventory* inventory = nullptr;
  const facts::FactSet* facts = nullptr;
  Date today;
  // The day whose knowledge the facts are read with (evaluator::known_by): a cycle released
  // or a release published after it does not exist. nullopt: `today`.
  std::optional<Date> facts_known_on;
  // The EOL cycle of each inventory component (same index), or nullptr: computed once.
  std::vector<const facts::EolCycle*> cycle_of_component;
  // Cycles made up for versions older than every cycle the EOL data knows: unsupported,
  // with no end date of their own, one per product and line (cycle_of_component points
  // into it).
  facts::MadeUpCycles cycles_before_known;
  // Every component, as a list value for `components` and quantifiers.
  Value all_components;
  // Advisories and releases per component (same index), joined before evaluation when
  // the program reads them. Components that match alike share one advisory list (the
  // evaluator's JoinedFacts holds the lists).
  std::vector<const std::vector<AdvisoryMatch>*> advisories_of_component;  // null: none
  std::vector<std::vector<ReleaseMatch>> releases_of_component;
  // Per inventory component (same index), its findings: filled only before the rank
  // policy runs, so `c.findings` is empty while rules run (the compiler forbids it there).
  std::vector<std::vector<FindingRecord>> findings_of_component;
  // Every component by the text of one text field (`product`, `kind`, ...): the lists a
  // quantifier over `components` whose condition starts with `o.FIELD == key` walks
  // instead of the whole fleet (QuantifierNode's lookup, nodes.cc), so that "the other
  // components of this product" is linear in the fleet rather than quadratic. Built on
  // first use, once per field whatever the threads; read-only afterwards. Keys borrow
  // the inventory's strings.
  static constexpr size_t kTextIndexes = 16;
  mutable std::array<std::once_flag, kTextIndexes> text_index_built;
  mutable std::array<std::unordered_map<std::string_view, Value>, kTextIndexes> text_index;
  // The components that pass a quantifier's pure first test, by (quantifier, the values
  // the test reads besides the item): QuantifierNode's Prefilter, so that "the clusters
  // this manifest may run on" is found among the clusters for every manifest after the
  // first, not in the whole fleet. Made on first use under the mutex; at most
  // kPrefilteredItems items in all, beyond which quantifiers scan.
  static constexpr size_t kPrefilteredItems = 4'000'000;
  mutable std::mutex prefilter_mutex;
  mutable std::map<std::pair<const void*, std::string>, Value> prefiltered;
  mutable size_t prefiltered_items = 0;
};

// The last day a Date holds: "never" where a day bounds what was read (Frame::same_through,
// evaluator::Evaluation::unchanged_through). Only compared, never added to.
inline Date never() { return Date::from_days(INT32_MAX); }

struct Frame {
  const EvaluationContext* context = nullptr;
  std::vector<Value> slots;                          // rule bindings and quantifier variables
  std::vector<const facts::Evidence*> evidence;      // facts read while evaluating a match
  // Advisories and end-of-life cycles whose fields were read while evaluating a match:
  // the finding's structured evidence (evaluator::AdvisoryEvidence, EolEvidence).
  std::vector<const AdvisoryMatch*> advisories_read;
  std::vector<const facts::EolCycle*> cycles_read;
  // Which patterns of a regex set matched a text (MatchNode): one scan serves every `~`
  // over the same text. A short text is keyed by its content, so that the thousands of
  // advisories carrying one of a few CVSS vectors are scanned once per vector, not once
  // per advisory; a long one (release notes) by its address, as it outlives the
  // evaluation. Bounded; cleared when full.
  struct RegexSetKeyView {
    const void* set = nullptr;
    const char* address = nullptr;  // a long text; null when keyed by `text`
    std::string_view text;          // a short text's content
    bool operator==(const RegexSetKeyView&) const = default;
  };
  struct RegexSetKey {
    const void* set = nullptr;
    const char* address = nullptr;
    std::string text;
    RegexSetKeyView view() const { return {set, address, text}; }
  };
  // Transparent, so that a lookup copies no text.
  struct RegexSetKeyHash {
    using is_transparent = void;
    size_t operator()(const RegexSetKeyView& key) const {
      size_t hash = std::hash<std::string_view>()(key.text);
      hash ^= std::hash<const void*>()(key.set) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
      hash ^= std::hash<const void*>()(key.address) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
      return hash;
    }
    size_t operator()(const RegexSetKey& key) const { return (*this)(key.view()); }
  };
  struct RegexSetKeyEqual {
    using is_transparent = void;
    static RegexSetKeyView view(const RegexSetKeyView& key) { return key; }
    static RegexSetKeyView view(const RegexSetKey& key) { return key.view(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const { return view(a) == view(b); }
  };
  static constexpr size_t kRegexKeyedByContent = 256;  // bytes: longer texts are keyed by address
  std::unordered_map<RegexSetKey, std::vector<int>, RegexSetKeyHash, RegexSetKeyEqual> regex_set_matches;
  // Results of `def` calls by (def, argument values), for one match (DefMemo): the
  // facts a call read are already in `evidence` and the `*_read` lists, so whoever clears
  // those clears this too (clear_match_state).
  DefMemo def_results;
  // The last day through which what this frame read stays as it read it: `today` itself
  // narrows it to today, a cycle's `ended` to its end date (while it has not ended), a
  // prefiltered quantifier whose test reads `today` to today. The evaluator resets it for
  // each subject and keeps what it comes to (Evaluation::unchanged_through), so that a
  // later day re-evaluates only the subjects whose verdict may change. Not cleared by
  // clear_match_state(): it spans every match of one subject.
  Date same_through = never();

  // Narrows same_through: what was just read stays the same through `last` only.
  void read_day_through(Date last) {
    if (last < same_through) same_through = last;
  }

  // Forgets what the previous match read and computed.
  void clear_match_state() {
    evidence.clear();
    advisories_read.clear();
    cycles_read.clear();
    def_results.clear();
  }
};

// An executable, type-checked expression.
class Node {
 public:
  Node(Type type, SourceRange range) : type_(type), range_(std::move(range)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual Value evaluate(Frame& frame) const = 0;
  // Appends a readable S-expression form, for `rules check --dump-after`.
  virtual void describe(std::string& out) const = 0;
  // Calls `visit` on each direct child, for analyses such as planning and linting.
  virtual void visit_children(const std::function<void(const Node&)>& visit) const { (void)visit; }

  Type type() const { return type_; }
  const SourceRange& range() const { return range_; }

 private:
  Type type_;
  SourceRange range_;
};
using NodePtr = std::unique_ptr<const Node>;

// How a rule's candidates are found without scanning every component: the compiler
// recognises `c.product == "x"`, `c.name == "x"`, `components("x")` and EOL access.
struct CandidateFilter {
  enum class Kind { kAll, kProduct, kName, kProductOrName, kHasEolCycle };
  Kind kind = Kind::kAll;
  std::vector<std::string> values;  // products and/or names to look up
};

struct RuleBinding {
  std::string variable;
  int slot = 0;
  CandidateFilter filter;
  // Conjuncts of `where` that read no later binding: checked as soon as this one is
  // bound, so that a join does not try every pair (the whole `where` still runs on each
  // match). Point into the rule's `where`.
  std::vector<const Node*> early;
};

struct Risk {
  std::string kind;
  NodePtr message;
};

// `explain "Exploitation" value because why`: one step of the decision path a finding
// carries, evaluated with the finding.
struct Explanation {
  std::string point;
  NodePtr value;
  NodePtr because;  // may be null
};

struct CompiledRule {
  std::string name;            // as written: "past_end_of_life"
  std::string qualified_name;  // with package: "uprank.eol.past_end_of_life"
  SourceRange range;
  NodePtr title;               // may be null
  std::vector<RuleBinding> bindings;
  NodePtr where;               // may be null
  NodePtr when;                // may be null
  NodePtr urgency;
  NodePtr score;               // may be null: score 0
  std::string reason;
  NodePtr message;
  NodePtr target;              // may be null
  NodePtr due;                 // may be null: a date
  // `escalates RULE`: the qualified name of the rule whose finding this rule's finding
  // escalates (the same subject, more urgent: "uprank.eol.support_ends_soon" for
  // past_end_of_life); "" when none.
  std::string escalates;
  // The escalation family: the qualified name of the first rule of the chain `escalates`
  // leads to (support_ends_soon for past_end_of_life); its own name when it escalates
  // nothing. Baselines match a finding with one of another rule of its family
  // (docs/baseline.md).
  std::string family;
  std::vector<Risk> risks;
  std::vector<Explanation> explanations;  // in clause order, each point once
};

// `factor "Criticality" points because why`: a named term added to a component's score.
struct RankFactor {
  std::string name;
  NodePtr points;
  NodePtr because;  // may be null
};

// The active `rank` declaration: evaluated once per component with findings, after the
// rules, with the component in `slot`. Its score is `score` plus every factor's points.
struct CompiledRankPolicy {
  std::string name;
  std::string qualified_name;
  SourceRange range;
  int slot = 0;
  NodePtr title;          // may be null
  NodePtr urgency;
  NodePtr score;          // may be null: 0
  NodePtr score_because;  // may be null
  NodePtr due;            // may be null: the earliest due date of the component's findings
  std::vector<RankFactor> factors;  // in clause order, each name once
};

struct ParamValue {
  std::string qualified_name;
  Value value;
  Type type;
  SourceRange range;
};

// One side of a compatibility constraint: which components it names and the version
// test they must pass ("postgresql" in ">=13, <17"). Kept as data beside the rule the
// constraint compiles to, so that the target solver (engine/targets) can keep it when it
// chooses versions.
struct ConstraintSide {
  std::string selector;                    // product id or component name
  std::string op;                          // "<", "<=", ">", ">=", "==", "!=", "in"; "" = any version
  std::string text;                        // the version or range the test names
  std::optional<versions::Scheme> scheme;  // absent: the component's own scheme
};

// `requires A => B` (whenever a component passes A, every related component named by B
// must pass B) or `conflicts A with B` (a component passing A and a related one passing
// B must not run together). "Related" is the `related()` built-in.
struct CompiledConstraint {
  bool is_requires = true;
  ConstraintSide subject;
  ConstraintSide other;
  std::string rule;   // qualified name of the rule it compiles to
  std::string text;   // as written: "requires billing-api >= 4.0 => postgresql in >=13, <17"
  SourceRange range;
};

// `suppress RULE where ... until DATE because "..."`: hides matching findings of one
// rule until the date; afterwards it is reported as expired and no longer applied.
struct CompiledSuppression {
  std::string rule;        // qualified name of the rule it applies to
  size_t rule_index = 0;   // into Program::rules()
  NodePtr where;           // over the rule's bound variables; null matches every finding
  Date until;
  std::string because;
  SourceRange range;
  // The repository-relative files its `where` confines it to (`c.file == "docker/Dockerfile"`,
  // `c.file in ["a", "b"]`, as a conjunct of the whole condition); empty when it names none,
  // so that it may match anywhere. A check of a folder calls a suppression unused only when
  // every file it names is in that folder.
  std::vector<std::string> files;
};

class Program {
 public:
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<ParamValue>& params() const { return params_; }
  const std::vector<DeclaredAdvisory>& declared_advisories() const { return declared_advisories_; }
  const std::vector<CompiledSuppression>& suppressions() const { return suppressions_; }
  const std::vector<CompiledConstraint>& constraints() const { return constraints_; }
  // The rank policy in force, or null: then a component ranks by its most urgent finding.
  const CompiledRankPolicy* rank_policy() const { return rank_policy_ ? &*rank_policy_ : nullptr; }
  // Rank policies loaded but overridden by the one in force (qualified names).
  const std::vector<std::string>& overridden_rank_policies() const { return overridden_rank_policies_; }
  int slot_count() const { return slot_count_; }
  // Whether any rule reads advisories or releases, so evaluation joins them only then.
  bool reads_advisories() const { return reads_advisories_; }
  bool reads_releases() const { return reads_releases_; }

 private:
  friend class ProgramBuilder;
  std::vector<CompiledRule> rules_;
  std::vector<ParamValue> params_;
  std::vector<DeclaredAdvisory> declared_advisories_;
  std::vector<CompiledSuppression> suppressions_;
  std::vector<CompiledConstraint> constraints_;
  std::optional<CompiledRankPolicy> rank_policy_;
  std::vector<std::string> overridden_rank_policies_;
  bool reads_advisories_ = false;
  bool reads_releases_ = false;
  int slot_count_ = 0;
  std::vector<std::shared_ptr<const void>> storage_;  // literals and regexes the nodes borrow
};

}  // namespace uprank::compiler
