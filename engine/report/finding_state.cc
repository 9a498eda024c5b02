// Per-finding state for change-aware gates: fingerprints, baseline change, context.
#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/base/parallel.h"
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

void attach_fingerprints(Report& report, std::string_view repository_root, int threads) {
  report.repository_root = std::string(repository_root);
  report.states.assign(report.findings.size(), FindingState{});
  // Each fingerprint is a hash of its own finding: independent work, placed by index.
  parallel_for(report.findings.size(), threads, [&](size_t f) {
    report.states[f].fingerprint = fingerprint_of(report.findings[f], *report.inventory, repository_root);
  });
  // Findings sharing a fingerprint, each group in finding order (numbering below sorts
  // by line, so the map's own order does not reach the output).
  std::unordered_map<std::string_view, std::vector<size_t>> by_fingerprint;
  by_fingerprint.reserve(report.findings.size());
  for (size_t f = 0; f < report.findings.size(); ++f) by_fingerprint[report.states[f].fingerprint].push_back(f);
  auto position = [&](size_t f) {
    const evaluator::Finding& finding = report.findings[f];
    if (finding.components.empty() || finding.components.front() >= report.inventory->components.size()) {
      return std::make_pair(0, 0);
    }
    const SourceLocation& where = report.inventory->components[finding.components.front()].location;
    return std::make_pair(where.line, where.column);
  };
  std::vector<std::pair<size_t, std::string>> renamed;  // set after the loop: the keys view the fingerprints
  for (auto& [fingerprint, findings] : by_fingerprint) {
    if (findings.size() < 2) continue;
    std::stable_sort(findings.begin(), findings.end(), [&](size_t a, size_t b) { return position(a) < position(b); });
    for (size_t k = 1; k < findings.size(); ++k) {
      renamed.emplace_back(findings[k], occurrence_fingerprint(fingerprint, k + 1));
      report.states[findings[k]].occurrence = k + 1;
    }
  }
  for (auto& [f, fingerprint] : renamed) report.states[f].fingerprint = std::move(fingerprint);
}

void set_rule_info(Report& report, const compiler::Program& program) {
  report.rule_families.clear();
  report.rule_subjects.clear();
  std::map<std::string, std::vector<std::string>> members;  // family name -> its rules
  for (const compiler::CompiledRule& rule : program.rules()) {
    if (!rule.bindings.empty()) report.rule_subjects[rule.qualified_name] = rule.bindings.front().variable;
    members[rule.family.empty() ? rule.qualified_name : rule.family].push_back(rule.qualified_name);
  }
  for (const auto& [family, rules] : members) {
    if (rules.size() < 2) continue;
    for (const std::string& rule : rules) report.rule_families[rule] = rules;
  }
}

std::vector<std::string> family_fingerprints(const Report& report, const evaluator::Finding& finding) {
  std::vector<std::string> out;
  auto family = report.rule_families.find(finding.rule());
  if (family == report.rule_families.end()) return out;
  const std::string_view root = report.repository_root.empty() ? "." : report.repository_root;
  for (const std::string& rule : family->second) {
    if (rule != finding.rule()) out.push_back(fingerprint_of(finding, *report.inventory, root, rule));
  }
  return out;
}

std::vector<std::string> family_fingerprints(const Report& report, size_t f) {
  const evaluator::Finding& finding = report.findings[f];
  std::vector<std::string> out = family_fingerprints(report, finding);
  if (out.empty() || f >= report.states.size()) return out;
  // attach_fingerprints() numbered the second and later pins of one thing in one file:
  // the sibling's fingerprint takes the same number.
  const size_t occurrence = report.states[f].occurrence;
  if (occurrence > 1) {
    for (std::string& sibling : out) sibling = occurrence_fingerprint(sibling, occurrence);
  }
  return out;
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
