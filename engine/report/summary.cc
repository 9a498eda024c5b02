// What every nightly report opens with: counts by decision and urgency, and how old the
// data is. Shared by the HTML and Markdown writers so that they say the same.
#include <algorithm>
#include <cctype>
#include <map>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

// SSVC deployer decisions, most urgent first (docs/ssvc.md).
const std::vector<std::string> kDecisions = {"act", "attend", "track*", "track"};

}  // namespace

std::string decision_of(const Report& report, const RankedComponent& ranked) {
  for (size_t f : ranked.findings) {
    for (const evaluator::DecisionStep& step : report.findings[f].decision_path()) {
      if (step.point != "Decision" || step.value.empty() || step.value == "unknown") continue;
      std::string value = step.value;
      std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
      return value;
    }
  }
  return "none";
}

Summary summarize(const Report& report, int stale_after_days) {
  Summary summary;
  std::map<std::string, size_t> by_decision;
  std::map<compiler::Level, size_t> by_level;
  for (const RankedComponent& ranked : report.ranked) {
    summary.decisions.push_back(decision_of(report, ranked));
    ++by_decision[summary.decisions.back()];
    ++by_level[ranked.level];
  }
  std::vector<std::string> order = kDecisions;
  for (const auto& [name, count] : by_decision) {
    if (std::find(order.begin(), order.end(), name) == order.end() && name != "none") order.push_back(name);
  }
  order.push_back("none");
  for (const std::string& name : order) {
    if (by_decision.count(name)) summary.by_decision.push_back({name, by_decision[name]});
  }
  for (auto level : {compiler::Level::kCritical, compiler::Level::kHigh, compiler::Level::kMedium, compiler::Level::kLow,
                     compiler::Level::kInfo}) {
    if (by_level.count(level)) summary.by_level.push_back({std::string(compiler::level_name(level)), by_level[level]});
  }
  for (const DataSource& source : report.data_sources) {
    SourceAge age{&source, std::nullopt, source.stale};
    if (auto fetched = Date::parse(std::string_view(source.fetched_at).substr(0, 10))) {
      int32_t days = report.today - *fetched;
      age.after_today = days < 0;
      age.days = std::max(days, 0);
      age.stale = age.stale || *age.days > stale_after_days;
    }
    summary.any_stale = summary.any_stale || age.stale;
    summary.sources.push_back(age);
  }
  return summary;
}

std::string age_text(const SourceAge& age) {
  if (age.after_today) return "fetched after the report date";
  return age.days ? std::to_string(*age.days) + " day(s)" : "unknown";
}

}  // namespace uprank::report
