// Comparing a report with a baseline: new, worse, unchanged and fixed findings.
#include <map>
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

// Finds the current component a vanished baseline finding was about among the components
// whose check went blind, and says why it went blind; "" when none did, so it is fixed.
// Fingerprints leave the version and the line out, so the finding's own fingerprint,
// recomputed under its rule for a candidate component, names it even after an upgrade or
// a move (report/fingerprint.h).
class BlindChecks {
 public:
  explicit BlindChecks(const report::Report& report) : report_(report) {
    // A data-gap finding the baseline did not have: what the rules could see is less now.
    for (size_t f = 0; f < report.findings.size() && f < report.states.size(); ++f) {
      const evaluator::Finding& finding = report.findings[f];
      if (finding.reason() != "data_gap" || finding.components.empty() || report.states[f].change != report::Change::kNew) continue;
      gaps_.emplace(finding.components.front(), finding.message());
    }
    for (size_t c = 0; c < report.coverage.size(); ++c) {
      if (!report.coverage[c].checked() || gaps_.count(c)) candidates_.push_back(c);
    }
    for (const auto& [c, message] : gaps_) {
      if (c >= report.coverage.size()) candidates_.push_back(c);
    }
  }

  std::string why(const BaselineFinding& gone) {
    if (candidates_.empty()) return {};
    auto [by_fingerprint, added] = by_rule_.try_emplace(gone.rule);
    if (added) {
      evaluator::Finding probe;
      probe.components.resize(1);
      for (size_t c : candidates_) {
        probe.components[0] = c;
        by_fingerprint->second.emplace(report::fingerprint_of(probe, *report_.inventory, report_.repository_root, gone.rule), c);
      }
    }
    auto it = by_fingerprint->second.find(gone.fingerprint);
    if (it == by_fingerprint->second.end()) return {};
    size_t c = it->second;
    // Advisories checked then and not now: whatever they found is unseen, not fixed.
    if (gone.checked.value_or(false) && c < report_.coverage.size() && !report_.coverage[c].checked()) {
      return "advisories not checked: " +
             evaluator::advisory_gap_reason(report_.coverage[c], report_.inventory->components[c]);
    }
    auto gap = gaps_.find(c);
    return gap == gaps_.end() ? std::string() : gap->second;
  }

 private:
  const report::Report& report_;
  std::map<size_t, std::string> gaps_;  // component -> the new data-gap finding's message
  std::vector<size_t> candidates_;
  std::unordered_map<std::string, std::unordered_map<std::string, size_t>> by_rule_;
};

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
  report.unchecked.clear();
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
  BlindChecks blind(report);
  for (const BaselineFinding& finding : baseline.findings) {
    if (present.count(finding.fingerprint) == 0 && !in_scope(finding.location.file, scope)) {
      ++outside;
      continue;
    }
    if (!present.insert(finding.fingerprint).second) continue;  // present, or already listed
    std::string urgency = finding.urgency ? std::string(compiler::level_name(*finding.urgency)) : finding.sarif_level;
    report::FixedFinding gone{finding.fingerprint, finding.rule, finding.component, urgency, finding.message, finding.location, {}};
    gone.because = blind.why(finding);
    (gone.because.empty() ? report.fixed : report.unchecked).push_back(std::move(gone));
  }
  return outside;
}

}  // namespace uprank::baseline
