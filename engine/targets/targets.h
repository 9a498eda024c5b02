// The target solver: per component, the versions to upgrade to, chosen from the versions
// known to be released, after evaluation (DESIGN.md, "Ranking and targets").
//
// - The *patch target* is the lowest released version at or above the running one, in
//   the same release line, that no loaded advisory affects; none when the line is past
//   its vendor's support.
// - The *supported target* is the newest released version that no loaded advisory
//   affects of the lowest line, at or above the running one, that is supported past
//   today + the warning window and has such a release (end-of-life data needed); the
//   running version when it qualifies itself (docs/targets.md says why newest).
// - Both keep every `requires`/`conflicts` constraint with the components they relate to;
//   when a constraint rules a version out, the result names it and the co-upgrade that
//   unblocks it, in order.
// - A target is written the way the component's pin is written: the image tag's suffix
//   ("16.4-alpine"), a "v" prefix ("v1.22.3"), a release line for a line pin ("1.31").
//
// Released versions come from endoflife.date's release-data (FactSet::released), the
// latest release of each end-of-life cycle, the `fixed` versions advisories name for the
// component's identity, and GitHub releases of the component's repository; versions
// published after `today` and pre-releases are not released yet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/source_location.h"
#include "engine/compiler/program.h"
#include "engine/evaluator/joins.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"
#include "engine/inventory/product_map.h"

namespace uprank::targets {

// A version the solver recommends.
struct Target {
  std::string version;                  // as the pin would write it: "16.4", "16.4-alpine", "v1.22.3", "1.31"
  std::string release;                  // the release as its source publishes it: "16.4"
  std::string line;                     // its release line: the EOL cycle ("16"), the distro release, or "1.x"
  std::optional<Date> supported_until;  // end of security support of its line, when announced
  std::string source;                   // how it is known to be released: "release-data", "endoflife latest",
                                        // "fixed in GHSA-…", "GitHub release owner/repo v1.2.3"
  bool current = false;                 // the running version itself qualifies: no upgrade needed
  // For a product whose upgrades pass through every cycle (products.yaml `upgrade_step:
  // cycle`, Kubernetes' version-skew policy), the moves in order, each written as
  // `version` is, the target last ("1.28", "1.29", "1.30", "1.31"); empty when one move
  // reaches the target.
  std::vector<std::string> steps;
};

// A constraint that rules out a lower version, and what would unblock it.
struct Blocker {
  std::string constraint;   // as written: "requires billing-api >= 4.0 => postgresql in >=13, <17"
  SourceRange location;     // where it is declared
  std::string version;      // the version it rules out, as the pin would write it
  std::string component;    // the related component whose version conflicts
  // The co-upgrade that unblocks it, in order: "upgrade billing-api to 4.2 first, then
  // postgresql to 17.2"; empty when no released version of `component` does.
  std::string unblock;
};

// One kind of target (patch or supported) for one component.
struct Choice {
  std::optional<Target> target;
  // Why there is no target: "no fixed release yet for GHSA-…", "line 12 left support on
  // 2024-11-21", "no end-of-life data for postgresql", "version unknown (floating tag)".
  std::string none_reason;
  // Constraints that ruled out lower versions (the target is the lowest that keeps them),
  // or, without a target, those that rule out every candidate.
  std::vector<Blocker> blocked;
  // Advisories no release escapes (every candidate at or above what runs is affected: no
  // fixed release yet), left to stand on the target: they cannot decide it, so the target
  // escapes the others and these remain. Ids, ascending.
  std::vector<std::string> remaining;
  // Without a target because no release of the line escapes an advisory: the lowest
  // unaffected release of a later line (Newtonsoft.Json 12.0.3's GHSA-5crp-9r3c-p9vr is
  // fixed only in 13.0.1), which the report's TARGET shows when there is no other.
  std::optional<Target> later;
};

struct ComponentTargets {
  Choice patch;
  Choice supported;
  // Why the component's advisories could not be checked at all ("no package ecosystem or
  // product identity", ...), set by the report: then "affected by no loaded advisory"
  // says nothing, and the targets say so. Empty when they were checked.
  std::string advisories_unchecked;
};

struct Options {
  Date today;
  int32_t window_days = 120;  // the supported target's line must be supported past today + this
  int threads = 0;            // 0: one per hardware thread; results do not depend on it
};

// Everything the solver reads. `advisories` may be null (nothing is affected then);
// `constraints` come from compiler::Program::constraints().
struct Inputs {
  const inventory::Inventory* inventory = nullptr;
  const facts::FactSet* facts = nullptr;
  const evaluator::AdvisoryIndex* advisories = nullptr;
  const std::vector<compiler::CompiledConstraint>* constraints = nullptr;
  // The product map the inventory was mapped with (the bundled one with uprank.yaml's
  // `products:` over it), for codenames and `upgrade_step`; null reads the bundled map.
  const inventory::ProductMap* products = nullptr;
};

// Returns the targets of the inventory components at the indexes `which`, in that order.
// A pure function of its inputs: deterministic, never throws; what could not be decided
// is said in Choice::none_reason.
std::vector<ComponentTargets> solve(const Inputs& inputs, const std::vector<size_t>& which, const Options& options);

// Returns a one-line summary for tables: "patch 16.4 · supported 17.6 (to 2029-11-08)",
// "patch current · supported 17.6 (to …)", "no patch: line 12 left support on …; supported 17.6",
// "no target: version not valid in the generic scheme" when one reason rules out both.
std::string summary(const ComponentTargets& targets);

}  // namespace uprank::targets
