// Private to engine/facts: the parsed form of a v4.0 vector that cvss4.cc scores.
#pragma once

#include <cstdint>

namespace uprank::facts::internal {

// A v4.0 base vector as value indexes in the specification's order of values:
// AV N,A,L,P; AC L,H; AT N,P; PR N,L,H; UI N,P,A; VC, VI, VA, SC, SI, SA H,L,N.
// These indexes are also the metrics' severity levels of the interpolation (section 8.2).
struct Cvss4Base {
  int8_t av, ac, at, pr, ui, vc, vi, va, sc, si, sa;
};

// Returns the CVSS-B score (0.0 to 10.0, one decimal) of a complete base vector: the
// MacroVector's score from data/cvss4_macrovectors.json minus the mean proportional
// severity distance, as FIRST's reference calculator (cvss_score.js) computes it.
double cvss4_base_score(const Cvss4Base& base);

}  // namespace uprank::facts::internal
