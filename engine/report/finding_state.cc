// Per-finding state for change-aware gates: fingerprints, baseline change, context.
#include "engine/report/fingerprint.h"
#include "engine/report/report.h"

namespace uprank::report {

std::string_view change_name(Change change) {
  switch (change) {
    case Change::kNew: return "new";
    case Change::kWorse: return "worse";
    case Change::kUnchanged: return "unchanged";
    case Change::kNotCompared: break;
  }
  return "";
}

void attach_fingerprints(Report& report, std::string_view repository_root) {
  report.repository_root = std::string(repository_root);
  report.states.assign(report.findings.size(), FindingState{});
  for (size_t f = 0; f < report.findings.size(); ++f) {
    report.states[f].fingerprint = fingerprint_of(report.findings[f], *report.inventory, repository_root);
  }
}

bool gates(const Report& report, size_t f, compiler::Level fail_on) {
  if (report.findings[f].level < fail_on) return false;
  if (f >= report.states.size()) return true;
  const FindingState& state = report.states[f];
  return !state.context && state.change != Change::kUnchanged;
}

ChangeCounts count_changes(const Report& report) {
  ChangeCounts counts;
  for (const FindingState& state : report.states) {
    if (state.change == Change::kNew) ++counts.added;
    if (state.change == Change::kWorse) ++counts.worse;
    if (state.change == Change::kUnchanged) ++counts.unchanged;
    if (state.context) ++counts.context;
  }
  return counts;
}

bool fails_gate(const Report& report, compiler::Level fail_on) {
  if (report.baseline.empty() && report.changed_since.empty()) {
    return !report.ranked.empty() && report.ranked.front().level >= fail_on;
  }
  for (size_t f = 0; f < report.findings.size(); ++f) {
    if (gates(report, f, fail_on)) return true;
  }
  return false;
}

}  // namespace uprank::report
