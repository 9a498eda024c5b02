// Generated workloads for the rule-language benchmarks: a rule pack shaped like a real
// one (mostly product-pinned rules, a few fleet-wide ones), a fleet of components and the
// facts (EOL cycles, advisories, KEV, EPSS) they are evaluated against.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/facts/facts.h"
#include "engine/inventory/component.h"

namespace uprank::bench {

// Products that pinned rules, components and advisories draw from. Fixed, so that doubling
// the fleet doubles the components per product (and the work per pinned rule).
constexpr size_t kProducts = 10000;
// Platform products for join rules (kubelet/apiserver pairs): a fixed number of each.
constexpr size_t kJoinProducts = 100;
constexpr size_t kComponentsPerJoinProduct = 30;

struct RulePackOptions {
  size_t rules = 1000;
  size_t rules_per_file = 1000;     // parse_file caps a file at 1 MiB: packs are directories
  bool with_advisory_rules = true;  // rules that read c.advisories (needs compiler support)
};

// Returns the files of one rule pack with `options.rules` rules: a mix of product-pinned
// version comparisons, EOL rules, regex matches, range membership, advisory quantifiers
// and kubelet/apiserver-style joins, plus fleet-wide rules (past EOL, EOL soon, and with
// advisory rules an exploited advisory), a param and a def.
std::vector<std::string> generate_rule_pack(const RulePackOptions& options);

// A rule that reads advisories, to probe whether the compiler supports them yet.
extern const char* const kAdvisoryProbeRule;

// Returns `count` components spread over kProducts products (1% unmapped), plus the
// fixed join components, with versions, exposure, environment, clusters and tags.
inventory::Inventory generate_inventory(size_t count);

// Returns EOL cycles for every product and `advisories` advisories affecting version
// ranges of those products, with CVSS scores; 2% are in KEV and 20% have EPSS scores.
facts::FactSet generate_facts(size_t advisories);

// Returns the peak resident set size of this process so far, in MiB.
double peak_rss_mib();

}  // namespace uprank::bench
