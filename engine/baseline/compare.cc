// Comparing a report with a baseline: new, worse, unchanged and fixed findings.
#include <set>
#include <unordered_map>

#include "engine/baseline/baseline.h"
#include "engine/report/fingerprint.h"

namespace uprank::baseline {
namespace {

int sarif_rank(std::string_view level) {
  if (level == "error") return 3;
  if (level == "warning") return 2;
  if (level == "note") return 1;
  return 0;  // "none"
}

bool worse_than(compiler::Level current, const BaselineFinding& before) {
  if (before.urgency) return current > *before.urgency;
  return sarif_rank(sarif_level(current)) > sarif_rank(before.sarif_level);
}

}  // namespace

std::string_view sarif_level(compiler::Level level) {
  switch (level) {
    case compiler::Level::kCritical:
    case compiler::Level::kHigh: return "error";
    case compiler::Level::kMedium: return "warning";
    case compiler::Level::kLow:
    case compiler::Level::kInfo: break;
  }
  return "note";
}

bool in_scope(std::string_view file, std::string_view scope) { return report::in_scope(file, scope); }

size_t compare(report::Report& report, const Baseline& baseline, std::string_view scope) {
  report.baseline = baseline.path;
  report.fixed.clear();
  // Two baseline findings may share a fingerprint (the same pin bound by two rules'
  // findings never does, but a SARIF log may repeat a result): the least urgent counts,
  // so that a rise over any of them reads as worse.
  std::unordered_map<std::string, const BaselineFinding*> by_fingerprint;
  for (const BaselineFinding& finding : baseline.findings) {
    auto [it, inserted] = by_fingerprint.emplace(finding.fingerprint, &finding);
    if (!inserted && finding.urgency && it->second->urgency && *finding.urgency < *it->second->urgency) it->second = &finding;
  }
  std::set<std::string> present;
  std::vector<size_t> unmatched;
  for (size_t f = 0; f < report.findings.size() && f < report.states.size(); ++f) {
    report::FindingState& state = report.states[f];
    present.insert(state.fingerprint);
    auto it = by_fingerprint.find(state.fingerprint);
    if (it == by_fingerprint.end()) {
      state.change = report::Change::kNew;
      unmatched.push_back(f);
    } else {
      state.change = worse_than(report.findings[f].level, *it->second) ? report::Change::kWorse : report::Change::kUnchanged;
    }
  }
  // A finding of another rule of the same escalation family on the same pin (`escalates`:
  // support_ends_soon then past_end_of_life, deprecated_api then removed_api) is the same
  // finding whose urgency moved: worse or unchanged, and the baseline's is not fixed. Only
  // baseline findings no current finding has the fingerprint of are taken, each once.
  for (size_t f : unmatched) {
    for (const std::string& sibling : report::family_fingerprints(report, f)) {
      auto it = by_fingerprint.find(sibling);
      if (it == by_fingerprint.end() || !present.insert(sibling).second) continue;
      report.states[f].change =
          worse_than(report.findings[f].level, *it->second) ? report::Change::kWorse : report::Change::kUnchanged;
      break;
    }
  }
  // A suppressed finding is waived, not fixed; so is its family's baseline finding.
  for (const evaluator::Finding& finding : report.suppressed) {
    present.insert(report::fingerprint_of(finding, *report.inventory, report.repository_root));
    for (std::string& sibling : report::family_fingerprints(report, finding)) present.insert(std::move(sibling));
  }
  size_t outside = 0;
  for (const BaselineFinding& finding : baseline.findings) {
    if (present.count(finding.fingerprint) == 0 && !in_scope(finding.location.file, scope)) {
      ++outside;
      continue;
    }
    if (!present.insert(finding.fingerprint).second) continue;  // present, or already listed
    std::string urgency = finding.urgency ? std::string(compiler::level_name(*finding.urgency)) : finding.sarif_level;
    report.fixed.push_back(report::FixedFinding{finding.fingerprint, finding.rule, finding.component, urgency,
                                                finding.message, finding.location});
  }
  return outside;
}

}  // namespace uprank::baseline
