// The evidence behind a ranked component, as short lines of text: what a reviewer needs to
// act without opening each advisory, KEV entry, EPSS score or end-of-life page.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>
#include <tuple>

#include "engine/facts/lts.h"
#include "engine/report/internal.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

std::string date_text(const std::optional<Date>& date) { return date ? date->to_string() : "no date"; }

// "0.943" or "0.00383": EPSS scores span several orders of magnitude, so three
// significant digits rather than fixed decimals.
std::string probability_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

// "p99" for a percentile of 0.992: the whole percent the score is at or above.
std::string percentile_text(double percentile) {
  std::string text = "p";
  text += std::to_string(static_cast<int>(std::floor(percentile * 100.0 + 1e-9)));
  return text;
}

std::string score_text(double score) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f", score);
  return buffer;
}

// "2026-08-22" out of "2026-08-22T00:00:00Z": the day is what tells a reviewer the age.
std::string fetch_day(const facts::Evidence& evidence) {
  return evidence.fetched_at.substr(0, std::min<size_t>(evidence.fetched_at.size(), 10));
}

std::string source_text(const facts::Evidence& evidence) {
  if (evidence.source == "rules") return "declared in rules";
  std::string text = evidence.source;
  if (!evidence.fetched_at.empty()) {
    text += ' ';
    text += fetch_day(evidence);
  }
  return text;
}

// Renders one OSV range's events (see affected_ranges_text).
std::string events_text(const std::vector<versions::Range::OsvEvent>& events) {
  std::vector<std::string> intervals;
  std::string lower, upper, limits;
  bool open = false;
  auto close = [&] {
    std::string interval = lower;
    if (!upper.empty()) interval += (interval.empty() ? "" : ", ") + upper;
    intervals.push_back(interval.empty() ? "all versions" : interval);
    lower.clear();
    upper.clear();
    open = false;
  };
  for (const auto& event : events) {
    if (event.kind == "introduced") {
      if (open) close();
      lower = event.version == "0" ? "" : ">=" + event.version;
      open = true;
    } else if (event.kind == "fixed" || event.kind == "last_affected") {
      upper = (event.kind == "fixed" ? "<" : "<=") + event.version;
      close();
    } else if (event.kind == "limit") {
      limits += (limits.empty() ? "" : ", ") + ("<" + event.version);
    } else {
      // An event kind the schema does not define: shown as written, never dropped.
      limits += (limits.empty() ? "" : ", ") + event.kind + " " + event.version;
    }
  }
  if (open) close();
  std::string text;
  for (const std::string& interval : intervals) {
    if (!text.empty()) text += " || ";
    text += interval;
  }
  if (!limits.empty()) {
    if (!text.empty()) text += ' ';
    text += "(limit ";
    text += limits;
    text += ')';
  }
  return text;
}

// Names the component a record is about when it is not the row's own: "[db] " for
// another bound component, "[other component] " for one the rule read without binding it.
std::string component_prefix(const Report& report, size_t component, size_t subject) {
  if (component == subject) return "";
  if (component == evaluator::kNoComponent) return "[other component] ";
  return "[" + report.inventory->components[component].name + "] ";
}

std::string advisory_line(const Report& report, const evaluator::AdvisoryEvidence& record, size_t subject) {
  const compiler::AdvisoryMatch& match = *record.match;
  const facts::Advisory& advisory = *match.advisory;
  std::string line = component_prefix(report, record.component, subject);
  line += advisory.id;
  if (!advisory.aliases.empty()) {
    line += " (";
    for (size_t i = 0; i < advisory.aliases.size(); ++i) line += (i ? ", " : "") + advisory.aliases[i];
    line += ")";
  }
  if (auto cvss = internal::advisory_cvss(advisory)) {
    line += " · CVSS " + std::string(facts::cvss_version_name(cvss->version)) + " " + score_text(cvss->base) + " " +
            std::string(internal::cvss_metrics(advisory.cvss_vector));
  } else {
    line += " · no CVSS";
  }
  if (!advisory.severity_label.empty()) line += " · severity " + advisory.severity_label;
  if (match.kev != nullptr) {
    line += " · KEV " + date_text(match.kev->date_added) + " due " + date_text(match.kev->due_date);
    if (match.kev->known_ransomware_use) line += " (ransomware)";
  } else if (match.declared_exploited) {
    line += " · exploited";
    if (match.declared_exploited_since) line += " since " + match.declared_exploited_since->to_string();
    line += " (declared)";
  }
  if (match.epss != nullptr) {
    line += " · EPSS " + probability_text(match.epss->score) + " (" + percentile_text(match.epss->percentile) + ")";
    if (match.epss->date) line += " " + match.epss->date->to_string();
  }
  std::string affected;
  if (match.affected != nullptr) {
    affected = affected_ranges_text(*match.affected);
    if (affected.empty() && !match.affected->versions.empty()) {
      affected = std::to_string(match.affected->versions.size()) + " listed versions";
    }
  }
  line += " · " + (affected.empty() ? "" : "affected " + affected + "; ");
  line += match.fixed ? "fixed " + match.fixed->text() : "no fix";
  line += " · " + source_text(advisory.evidence);
  return line;
}

std::string eol_line(const Report& report, const evaluator::EolEvidence& record, size_t subject) {
  const facts::EolCycle& cycle = *record.cycle;
  Date today = report.today;
  std::string line = component_prefix(report, record.component, subject);
  line += "eol " + cycle.evidence.id;
  if (!cycle.codename.empty()) line += " (" + cycle.codename + ")";
  line += ":";
  if (cycle.released) line += " released " + cycle.released->to_string() + " ·";
  auto phase = [&](const char* name, bool flag, const std::optional<Date>& ends) {
    if (!flag && !ends) return;
    bool ended = internal::phase_ended(flag, ends, today);
    line += ' ';
    line += name;
    line += ended ? " ended" : " ends";
    if (ends) {
      line += ' ';
      line += ends->to_string();
    }
    line += " ·";
  };
  phase("active support", cycle.active_ended_flag, cycle.active_ends);
  if (!cycle.security_ended_flag && !cycle.security_ends) line += " security support: no end announced ·";
  phase("security support", cycle.security_ended_flag, cycle.security_ends);
  phase("extended support", cycle.extended_ended_flag, cycle.extended_ends);
  if (facts::lts_on(cycle, today)) line += " LTS ·";  // not before its ltsFrom day
  if (!cycle.latest.empty()) {
    line += " latest " + cycle.latest;
    if (cycle.latest_date) line += " (" + cycle.latest_date->to_string() + ")";
    line += " ·";
  }
  line += ' ';
  line += source_text(cycle.evidence);
  if (record.releases != nullptr) line += " · release data " + source_text(record.releases->evidence);
  return line;
}

}  // namespace

std::string affected_ranges_text(const facts::AffectedPackage& affected) {
  std::string text;
  for (const facts::AffectedRange& range : affected.ranges) {
    if (range.type == "GIT") continue;
    // Declared blocks and CSAF product_version_range write ranges, OSV events.
    std::string one = (range.type == "RULES" || range.events.empty()) && range.range ? range.range->text() : events_text(range.events);
    if (one.empty()) continue;
    text += (text.empty() ? "" : " || ") + one;
  }
  return text;
}

std::vector<std::string> evidence_lines(const Report& report, const RankedComponent& ranked, size_t advisory_limit) {
  std::vector<const evaluator::AdvisoryEvidence*> advisories;
  std::vector<const evaluator::EolEvidence*> cycles;
  std::set<std::pair<size_t, const void*>> seen;  // (component, fact): each record once
  for (size_t f : ranked.findings) {
    const evaluator::Finding& finding = report.findings[f];
    for (const auto& record : finding.cycles) {
      if (seen.emplace(record.component, record.cycle).second) cycles.push_back(&record);
    }
    for (const auto& record : finding.advisories) {
      if (seen.emplace(record.component, record.match).second) advisories.push_back(&record);
    }
  }
  // Known exploitation first, then the higher CVSS, then the higher EPSS; id breaks ties.
  auto urgency = [](const evaluator::AdvisoryEvidence* record) {
    const compiler::AdvisoryMatch& match = *record->match;
    bool exploited = match.kev != nullptr || match.declared_exploited;
    double cvss = match.advisory->cvss_score.value_or(-1);
    double epss = match.epss != nullptr ? match.epss->score : -1;
    return std::make_tuple(!exploited, -cvss, -epss, std::string_view(match.advisory->id));
  };
  std::stable_sort(advisories.begin(), advisories.end(),
                   [&](const auto* a, const auto* b) { return urgency(a) < urgency(b); });
  std::vector<std::string> lines;
  for (const auto* record : cycles) lines.push_back(eol_line(report, *record, ranked.component));
  for (size_t i = 0; i < advisories.size() && i < advisory_limit; ++i) {
    lines.push_back(advisory_line(report, *advisories[i], ranked.component));
  }
  if (advisories.size() > advisory_limit) {
    std::string more = "+";
    more += std::to_string(advisories.size() - advisory_limit);
    more += " more advisories (the JSON report lists every one)";
    lines.push_back(std::move(more));
  }
  return lines;
}

}  // namespace uprank::report
