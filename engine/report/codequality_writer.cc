// GitLab Code Quality report (https://docs.gitlab.com/ee/ci/testing/code_quality.html,
// "Code Quality report format"): a JSON array of issues that merge requests show inline.
#include <set>

#include <nlohmann/json.hpp>

#include "engine/report/fingerprint.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

using Json = nlohmann::ordered_json;

// GitLab's five severities, one per urgency.
std::string_view codequality_severity(compiler::Level level) {
  switch (level) {
    case compiler::Level::kCritical: return "blocker";
    case compiler::Level::kHigh: return "critical";
    case compiler::Level::kMedium: return "major";
    case compiler::Level::kLow: return "minor";
    case compiler::Level::kInfo: break;
  }
  return "info";
}

}  // namespace

std::string write_codequality(const Report& report) {
  const auto& components = report.inventory->components;
  Json issues = Json::array();
  // GitLab keys issues by fingerprint: the same pin twice in one file (two services on one
  // image) must stay two issues, so a repeat takes its occurrence number.
  std::set<std::string> seen;
  for (const RankedComponent& ranked : report.ranked) {
    const inventory::Component& component = components[ranked.component];
    for (size_t f : ranked.findings) {
      const evaluator::Finding& finding = report.findings[f];
      std::string fingerprint = finding_fingerprint(report, finding);
      for (int occurrence = 2; !seen.insert(fingerprint).second; ++occurrence) {
        fingerprint = finding_fingerprint(report, finding) + "-" + std::to_string(occurrence);
      }
      std::string target = recommended_target(ranked, finding);
      std::string description = finding.message();
      if (!target.empty()) description += " (recommended target: " + target + ")";
      // GitLab requires a path and a first line; a component read from no file is
      // attributed to line 1 of no path rather than left out.
      const SourceLocation where = repository_location(component);
      Json location = Json{{"path", where.file}, {"lines", {{"begin", where.line > 0 ? where.line : 1}}}};
      issues.push_back(Json{{"description", description},
                            {"check_name", finding.rule()},
                            {"fingerprint", fingerprint},
                            {"severity", codequality_severity(finding.level)},
                            {"location", location}});
    }
  }
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace uprank::report
