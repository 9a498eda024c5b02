// `uprank explain COMPONENT`: everything behind one component's rank, gathered from the
// evaluation's trace (engine/evaluator/trace.h), the ranked report, the advisory index,
// the end-of-life data and the target solver, and rendered as a table or JSON
// (docs/explain.md; the JSON follows docs/explain.schema.json).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compiler/program.h"
#include "engine/evaluator/joins.h"
#include "engine/evaluator/trace.h"
#include "engine/report/report.h"
#include "engine/targets/targets.h"

namespace uprank::explain {

// The components a COMPONENT argument names, and the closest display name when none.
struct Lookup {
  std::vector<size_t> matches;  // inventory indexes, ascending
  std::string suggestion;       // the closest display name when `matches` is empty; "" when none is close
};

// Finds the components `query` names: by display name exactly; else by end-of-life
// product id ("postgresql"), identity key (inventory::identity_keys(),
// report::fingerprint_identity()) or purl (with or without its version and qualifiers).
// Several matches are for the caller to list.
Lookup find_component(const inventory::Inventory& inventory, std::string_view query);

// What the explanation reads. All pointers must outlive build(); only `advisories` may be null.
struct Inputs {
  const report::Report* report = nullptr;  // ranked from an evaluation that traced the component
  const compiler::Program* program = nullptr;
  const facts::FactSet* facts = nullptr;
  const evaluator::AdvisoryIndex* advisories = nullptr;
  const evaluator::Trace* trace = nullptr;
  // Rule file texts by the path their SourceRanges name, to quote conditions as written.
  const std::map<std::string, std::string>* rule_sources = nullptr;
  const targets::ComponentTargets* targets = nullptr;  // the solver's result for the component
  int32_t window_days = 120;                          // the supported target's warning window
};

// An operand of a condition: its text in the rule, its value, where the value came from.
struct Operand {
  std::string text;
  std::string value;
  std::vector<std::string> sources;
};

// One conjunct of a rule's `where`/`when` (or its undefined `urgency`), as written.
struct Condition {
  std::string clause;    // "where", "when", "urgency"
  std::string text;      // the rule language text; the node's position when the source is not at hand
  std::string location;  // file:line:col
  std::string outcome;   // "true", "false", "undefined"
  std::vector<Operand> operands;
};

// One match of a rule's bindings including the component.
struct RuleMatch {
  std::vector<std::pair<std::string, std::string>> bindings;  // variable, component display name
  std::string outcome;   // "fired", "suppressed", "not fired"
  std::vector<Condition> conditions;  // fired: every conjunct; else up to the first not true
  // When it fired: the finding.
  std::string urgency;
  std::optional<double> score;
  std::string message;
  std::string suppression;          // "suppressed by FILE:LINE until DATE because …"; "" when shown
  std::vector<std::string> evidence;  // "endoflife postgresql/12 (fetched …)", one per fact source
};

// A rule whose `for` reaches the component.
struct RuleExplanation {
  std::string rule;      // qualified name
  std::string location;  // file:line:col of the rule
  bool fired = false;    // at least one match fired (shown or suppressed)
  size_t matches = 0;    // matches including the component evaluated
  size_t matches_not_shown = 0;
  std::vector<RuleMatch> shown;  // up to evaluator::kTracedMatchesPerRule
  // Why no match was evaluated, when none was: "reads end-of-life data, and none is known
  // for it", "no component to pair it with"; "" otherwise.
  std::string not_evaluated;
};

// A match binding the component together with other components (a compatibility rule or
// a `requires`/`conflicts` constraint) that passed the rule's `where`: pairings its
// `where` rules out are not constraints on the component (they stay under the rule).
struct ConstraintExplanation {
  std::string rule;        // qualified name
  std::string constraint;  // "requires billing-api >= 4.0 => postgresql in >=13, <17"; "" for a rule
  std::string location;
  std::vector<std::string> others;  // the other components bound, in binding order
  std::string outcome;     // "violated" (the rule fired), "suppressed", "holds" (did not fire)
  std::string because;     // the first condition that was false or undefined, or the finding's message
};

// One advisory `affected[]` entry that names the component's identity.
struct AdvisoryExplanation {
  std::string id;
  std::vector<std::string> aliases;
  std::string entry;        // "Bitnami nginx", "npm lodash"
  std::string ranges;       // report::affected_ranges_text(); "" when it lists versions only
  std::string verdict;      // "affected", "not affected", "not affected by statement", "suppressed"
  std::string reason;       // why: "1.24.0 is outside >=1.25.0, <1.25.5", VEX statement, suppression
  std::string fixed;        // the lowest fix above the running version; "" when none
  std::vector<std::string> findings;  // rules whose findings read it
};

// The end-of-life cycle the component runs.
struct CycleExplanation {
  std::string product, cycle;
  std::optional<Date> released, active_support_ends, security_support_ends, extended_support_ends;
  bool security_ended = false;   // on the explanation's day
  bool active_ended = false;     // on the explanation's day
  bool extended_ended = false;   // on the explanation's day
  bool lts = false;
  std::string latest;
  std::optional<Date> latest_date;
  std::string source;            // "endoflife", ...; "" for a cycle made up for a version older than any known
  std::string fetched_at;
  std::optional<int32_t> age_days;  // today - fetched_at
};

// A released version the solver could choose, in ascending order; consecutive releases of
// one line with the same verdict share a row.
struct CandidateExplanation {
  std::string version;  // "12.22", or a run "12.5 to 12.22"
  std::string line;
  std::optional<Date> supported_until;
  std::string source;   // a run's sources, distinct, in order: "fixed in A; fixed in B"
  std::string verdict;  // "running", "patch target", "supported target", "affected by ID…",
                        // "blocked by CONSTRAINT (OTHER)", "line L not supported past DATE",
                        // "no known advisory; line supported past the window"
};

struct ChoiceExplanation {
  std::string kind;          // "patch", "supported"
  std::string target;        // "" when none
  std::string none_reason;
  std::vector<targets::Blocker> blocked;
};

struct DecisionExplanation {
  std::string rule;   // the finding's rule
  std::vector<evaluator::DecisionStep> steps;
};

struct ScoreExplanation {
  bool ranked = false;      // the component has findings
  std::string urgency;
  double score = 0;
  std::optional<Date> due;
  std::string policy;       // "" without a rank policy
  double base = 0;
  std::string base_because;
  std::vector<evaluator::RankFactor> factors;
  std::string arithmetic;   // "121.9 = 96.9 (…) + Criticality 10 (high) + …"
  std::vector<DecisionExplanation> decisions;  // findings with an `explain` decision path
};

struct Explanation {
  Date today;
  size_t component = 0;
  std::string name, version, identity, purl, location;
  std::vector<RuleExplanation> rules;          // in program order: rules reaching the component
  std::vector<AdvisoryExplanation> advisories; // by id
  std::string advisories_unchecked;           // why its advisories could not be compared; "" when checked
  std::optional<CycleExplanation> cycle;
  std::vector<ConstraintExplanation> constraints;  // matches in `rules` that bind other components too
  std::vector<ChoiceExplanation> choices;      // patch, supported
  std::vector<CandidateExplanation> candidates;
  ScoreExplanation score;
};

// Gathers the explanation of the traced component. Never throws.
Explanation build(const Inputs& inputs);

// Renders the explanation for a terminal (vendor text escaped) or as JSON
// (docs/explain.schema.json, schema_version 1).
std::string write_table(const Explanation& explanation);
std::string write_json(const Explanation& explanation);

}  // namespace uprank::explain
