// Evaluates a compiled Program against an inventory and facts on a given day. A pure
// function of its inputs: same inputs, same findings in the same order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/compiler/program.h"
#include "engine/evaluator/trace.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"
#include "engine/inventory/product_map.h"
#include "engine/vex/vex.h"

namespace uprank::evaluator {

// One step of a finding's decision path (`explain` clauses): a decision point, the value
// it took, and where that value came from. Undefined values read "unknown".
struct DecisionStep {
  std::string point;    // "Exploitation"
  std::string value;    // "active"
  std::string because;  // "KEV CVE-2021-41773, added 2021-10-27"; empty when not given
};

// Marks a record whose component is none of the finding's bound components (a rule that
// quantifies over `components` reads other components' facts).
inline constexpr size_t kNoComponent = SIZE_MAX;

// One advisory behind a finding, as it applies to one component: enough for a reviewer
// to act without following links (report writers render it; docs/report.md). The match
// carries the OSV record (id, aliases, CVSS `severity`, `database_specific.severity`),
// the `affected[]` entry that matched with its `ranges` events and `versions` as written,
// the fixed version above the running one, and the CISA KEV entry and FIRST EPSS score
// joined under any of the advisory's ids. Borrowed: see Finding.
struct AdvisoryEvidence {
  size_t component = kNoComponent;                 // inventory index of the (first) bound component it affects
  const compiler::AdvisoryMatch* match = nullptr;  // never null
};

// One end-of-life cycle behind a finding: the endoflife.date release cycle the component
// runs, with its dates and where the data came from (EolCycle::evidence), and the
// product's release-data (the released versions targets are chosen from) when loaded.
// Borrowed: see Finding.
struct EolEvidence {
  size_t component = kNoComponent;                 // inventory index of the component running it
  const facts::EolCycle* cycle = nullptr;          // never null
  const facts::ProductReleases* releases = nullptr;  // FactSet::released of its product, or null
};

// What findings' evidence records point into that the evaluation itself made: the
// advisory matches of each shared advisory list and the cycles made up for versions older
// than the EOL data. Shared by the Evaluation and the Report built from it.
struct JoinedFacts {
  std::vector<std::vector<compiler::AdvisoryMatch>> advisory_lists;
  facts::MadeUpCycles cycles_before_known;
};

// What a finding says about its subject: the same for every component of a pin group a
// rule was evaluated once for (grouping.h), so their findings share one rather than each
// holding a copy (a fleet's findings are mostly such copies). Immutable once made.
struct FindingText {
  std::string rule;               // qualified rule name
  std::string title;
  std::string reason;
  std::string message;
  std::string target;             // recommended version; empty when the rule names none
  std::vector<facts::Evidence> evidence;
  std::vector<std::pair<std::string, std::string>> risks;  // kind, message
  std::vector<DecisionStep> decision_path;                 // in the rule's clause order
  SourceLocation rule_location;
};

// A rule's verdict on its bound components: what it says (`text`, shared) and what is
// its own (the components, urgency, score, due date, the records naming its components,
// the suppression that hides it). `advisories` and `cycles` borrow from the
// Evaluation's `joined` facts (keep the Evaluation, or the Report ranked from it, alive),
// from the FactSet and from the Program (declared advisories): records are 16 bytes, so a
// fleet that shares advisory lists does not copy advisories per finding.
struct Finding {
  std::vector<size_t> components; // inventory indexes bound by the rule; the first is the subject
  compiler::Level level = compiler::Level::kInfo;
  double score = 0;
  std::optional<Date> due;        // the rule's `due` date; none when it names none or it is unknown
  // The advisories and end-of-life cycles whose fields the rule read, each once, ordered
  // by component (bound order) then advisory id; see AdvisoryEvidence and EolEvidence.
  std::vector<AdvisoryEvidence> advisories;
  std::vector<EolEvidence> cycles;
  int suppression = -1;           // index into Program::suppressions() that hid it, or -1
  std::shared_ptr<const FindingText> text = empty_text();  // never null

  const std::string& rule() const { return text->rule; }
  const std::string& title() const { return text->title; }
  const std::string& reason() const { return text->reason; }
  const std::string& message() const { return text->message; }
  const std::string& target() const { return text->target; }
  const std::vector<facts::Evidence>& evidence() const { return text->evidence; }
  const std::vector<std::pair<std::string, std::string>>& risks() const { return text->risks; }
  const std::vector<DecisionStep>& decision_path() const { return text->decision_path; }
  const SourceLocation& rule_location() const { return text->rule_location; }

  // Returns the text to fill in: this finding's own, copied first when other findings
  // share it, so that a change never reaches them. For making findings, not for reading.
  FindingText& edit_text() {
    if (text.use_count() != 1) text = std::make_shared<FindingText>(*text);
    // Sound: every text is made non-const (make_shared<FindingText>), and this one is ours alone.
    return const_cast<FindingText&>(*text);
  }

 private:
  static const std::shared_ptr<const FindingText>& empty_text() {
    static const std::shared_ptr<const FindingText> empty = std::make_shared<FindingText>();
    return empty;
  }
};

// What became of one suppression on this evaluation's day.
struct SuppressionOutcome {
  const compiler::CompiledSuppression* suppression = nullptr;
  size_t matched = 0;   // findings it matched (hid, unless expired)
  bool expired = false; // past its `until` date: reported, never applied
};

// Whether a component's advisories could be checked: every report says so per component,
// so that "no finding" never hides "never compared". Compact (8 bytes) because a fleet has
// one per component; the texts come from advisory_identity() and advisory_gap_reason().
struct AdvisoryCoverage {
  enum class Gap : uint8_t {
    kNone,                  // checked
    kNoIdentity,            // no package ecosystem, no product
    kDistroReleaseUnknown,  // a distro package whose release nothing states
    kDistroUnsupported,     // a package of a distro no OSV ecosystem covers (raspbian, fedora)
    kNoAdvisoryData,        // no fetched advisories loaded at all
    kVersionNotExact,       // a line, range, codename or digest pin
    kFloating,              // a floating tag ("latest")
    kVersionUnknown,        // no version at all
    kVersionInvalid,        // not a valid version in its scheme, and no entry lists versions to
                            // compare its text with
    kVersionNotComparable,  // valid in its own scheme, but no entry's ranges can read it (a
                            // generic "3.10.x" against SEMVER ranges): compared with nothing
    kSourceUnknown,         // a distro binary package that states no source package and that
                            // no entry names by its own name: distro advisories name source
                            // packages, so "none" would be a guess, not a check
  };
  Gap gap = Gap::kNoIdentity;
  // Entries of its identity (and release) that its version could not be compared with
  // (AdvisoryIndex::compares). When some are and some are not, the component is checked
  // against `entries` only, and every report says how many were left: an uncompared entry
  // may be the one that affects it. Saturates at 65535.
  uint16_t not_compared = 0;
  // Advisory `affected[]` entries loaded for its identity that its version is compared
  // with (AdvisoryIndex::compares): a range of the entry reads the version, the entry
  // lists versions (compared as text), or it names no version at all (every one).
  uint32_t entries = 0;
  bool checked() const { return gap == Gap::kNone; }
};

// Returns what `component` is compared as: "Debian:12 libssl3", "product nginx", or "".
std::string advisory_identity(const inventory::Component& component);
// Returns why `component`'s advisories were not checked, for people: "distro release
// unknown (set distro: in uprank.yaml or --distro)", "version not exact (line pin)", ...
std::string advisory_gap_reason(const AdvisoryCoverage& coverage, const inventory::Component& component);

// Advisory entries that can meet no component, counted by reason for the report.
struct AdvisorySkips {
  std::map<std::string, size_t> no_scheme;    // by OSV ecosystem: no version scheme known
  std::map<std::string, size_t> no_product;   // by ecosystem: product-level, no product named
  size_t git_only = 0;                        // only GIT (commit) ranges
  size_t unreadable_ranges = 0;               // ranges whose events do not parse
};

class AdvisoryIndex;  // joins.h

// A VEX statement in force for one component's advisory. not_affected and fixed took the
// advisory out of the component's `advisories` before any rule read them; affected and
// under_investigation left it in.
struct VexOutcome {
  size_t component = 0;          // inventory index
  std::string advisory;          // the advisory's id as the facts have it
  size_t statement = 0;          // index into the StatementIndex's statements()
};

// One named term of a component's score under the rank policy (`factor` clauses).
struct RankFactor {
  std::string name;               // "Criticality"
  std::optional<double> points;   // none when the points were undefined: they count as 0
  std::string because;            // "criticality high"; empty when not given
};

// What the rank policy concluded for one component with findings. Its score is `base`
// plus the points of every factor, so the breakdown always adds up.
struct ComponentRank {
  size_t component = 0;           // index into the inventory
  bool decided = false;           // false when the policy's urgency was undefined for it
  compiler::Level level = compiler::Level::kInfo;
  double base = 0;                // the `score` clause (0 when undefined or absent)
  std::string base_because;       // the `score ... because` text; empty when not given
  std::vector<RankFactor> factors;  // in clause order
  std::optional<Date> due;        // the `due` clause (none when undefined); without one, the
                                  // earliest due date among the component's findings
  double score() const;
};

// The budgets of a join (a rule of two or more bindings), whose matches grow as the product
// of its candidate lists: a rule over every pair of 4,000 components would otherwise keep
// 16 million findings (issue #15, kind 5). A join stops at kFindings findings, or after
// binding kMatches components (which bounds its time where few matches fire), and says so
// in Evaluation::stopped. Its candidates are cut into kSlices slices whatever the thread
// count, each with an equal share of `matches`, so the same inputs stop at the same place.
struct JoinBudget {
  static constexpr size_t kSlices = 8;
  size_t findings = 50'000;
  size_t matches = 40'000'000;
};

// A join that met its budget: its findings are the first `kept` in order (by its first
// binding's candidates, then the next binding's), the rest are not evaluated.
struct RuleStop {
  enum class Kind : uint8_t { kFindings, kMatches };
  std::string rule;  // qualified name
  Kind kind = Kind::kFindings;
  size_t limit = 0;  // the budget met: findings, or combinations tried
  size_t kept = 0;   // findings kept
};

// "rule hostile.pairs.every_pair stopped at 50000 findings (the budget of a join over
// several components): narrow its `for ... where` so that fewer combinations match".
std::string describe(const RuleStop& stop);

struct Evaluation {
  std::vector<Finding> findings;     // what the report ranks
  std::vector<RuleStop> stopped;     // joins that met their budget, in program order
  std::vector<Finding> suppressed;   // hidden by an active suppression
  std::vector<SuppressionOutcome> suppressions;  // one per Program::suppressions()
  // Per inventory component (same order), when the program reads advisories; else empty.
  std::vector<AdvisoryCoverage> coverage;
  AdvisorySkips advisory_skips;      // loaded advisory entries that can meet nothing
  // What the findings' advisory and cycle records point into; never null after evaluate_rules.
  std::shared_ptr<const JoinedFacts> joined;
  // The advisory index the evaluation matched with (when the program reads advisories),
  // for later stages that ask about other versions (the target solver). It refers to
  // the FactSet and Program given to evaluate_rules, which must outlive it.
  std::shared_ptr<const AdvisoryIndex> advisory_index;
  // The rank policy's results, when the program has one ("" and empty otherwise): one per
  // component with findings, in inventory order.
  std::string rank_policy;           // its qualified name
  std::vector<ComponentRank> ranks;
  // With VEX statements given: the statements in force, by component (inventory order)
  // then advisory id, and the statements about no advisory any component meets
  // (superseded statements are not unused).
  std::vector<VexOutcome> vex;
  std::vector<size_t> unused_vex;    // statement indexes, ascending
  std::vector<size_t> unnamed_vex;   // of unused_vex, those whose products name no component
  // With EvaluationOptions::trace_component: every match of a rule that binds it (trace.h).
  std::optional<Trace> trace;
  // Per inventory component (same order), the last day through which its findings and
  // rank stay as this evaluation found them, for the same program, inventory, facts and
  // options: bounded by what its rules, suppressions and rank policy read that changes with
  // the day (`today`; a cycle's `ended`, through its end date; a suppression's `until`; an
  // "lts/*" pin's cycle, which bounds every component), compiler::never() when nothing does.
  // Only subjects evaluated (EvaluationOptions::subjects) are bounded. Empty when the
  // evaluation cannot tell: a join met its budget, the rank policy names `components`
  // (one component's rank may follow another's findings), or a component was traced.
  std::vector<Date> unchanged_through;
};

struct EvaluationOptions {
  int threads = 0;  // 0: one per hardware thread
  // Resolves product-level advisory packages (Bitnami) to products; null: the bundled map.
  const inventory::ProductMap* products = nullptr;
  // VEX statements to apply to the advisories each component meets; null: none.
  const vex::StatementIndex* vex = nullptr;
  // An inventory index to trace (`uprank explain`): every match including it records its
  // conjuncts' outcomes and operand values in Evaluation::trace. kNoComponent: no trace,
  // and the evaluator does no tracing work at all.
  size_t trace_component = kNoComponent;
  JoinBudget join_budget;
  // Rules that read only pins run once per group of alike pins and hand the verdict to
  // each (grouping.h); the findings are the same either way. false: every candidate is
  // evaluated, for tests and benchmarks that compare the two. Tracing never groups.
  bool group_pins = true;
  // A shard (`report --shard`, docs/scale.md): when set (one flag per inventory component),
  // only matches whose first binding, the finding's subject, is a flagged component are
  // evaluated. Quantifiers and later bindings still range over every component, so each
  // flagged component's findings are exactly those of the whole run, whatever its rules
  // relate across components. Null: every component.
  const std::vector<bool>* subjects = nullptr;
  // The day whose knowledge the facts are joined with (known_by in joins.h): a fact
  // published after it does not exist for the evaluation. nullopt: the evaluation's day.
  // Set by Evaluator::evaluate when it joins again for another day, so that a later day
  // (Coming due) sees what was known on the report's day, no more and no less.
  std::optional<Date> facts_known_on;
};

// Runs every rule and applies suppressions, then runs the rank policy, if any, on each
// component with findings (suppressed findings are not among them). Findings come back ordered by rule (program
// order), then by the inventory order of their bound components, whatever the number of
// threads.
Evaluation evaluate_rules(const compiler::Program& program, const inventory::Inventory& inventory,
                                    const facts::FactSet& facts, Date today, const EvaluationOptions& options = {});

// A program, an inventory and facts joined once (each component's end-of-life cycle,
// advisories and releases, which do not change with the day), then evaluated on as many
// days as asked: the report's Coming due horizons evaluate again only the components
// whose verdict may change (changing_by) and pay for the joins once. The program,
// inventory, facts and what the options point to must outlive it and every Evaluation
// it makes (they share its joined facts). evaluate() is not to be called concurrently.
class Evaluator {
 public:
  // Joins as of `today` (the day an "lts/*" pin's cycle is read on).
  Evaluator(const compiler::Program& program, const inventory::Inventory& inventory, const facts::FactSet& facts,
            Date today, const EvaluationOptions& options = {});
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // What evaluate_rules() returns for `day` with the options given to the constructor,
  // but for the subjects: `subjects` replaces EvaluationOptions::subjects when not null.
  // A day on which an "lts/*" pin names another cycle is joined again for it.
  Evaluation evaluate(Date day, const std::vector<bool>* subjects = nullptr);

 private:
  struct Joins;
  std::unique_ptr<Joins> joins_;
};

// The subjects to evaluate again on `later` to learn the findings and ranks on that day,
// given the unchanged_through of an evaluation on an earlier day (same program,
// inventory, facts and options): one flag per component, set where its day is before
// `later`, for EvaluationOptions::subjects. Each flagged component then gets its findings
// and rank of a whole evaluation on `later`; every other component's are the earlier
// evaluation's. nullopt when `unchanged_through` is empty (unknown): evaluate them all.
std::optional<std::vector<bool>> changing_by(const std::vector<Date>& unchanged_through, Date later);

}  // namespace uprank::evaluator
