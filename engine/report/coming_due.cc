// The Coming due section: what will rank higher in the months ahead if nothing is done.
#include <algorithm>
#include <map>
#include <tuple>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

// The earliest event of `finding`'s evidence in (today, horizon]: a support phase that
// ends (the finding sees it ended the day after) or a KEV due date that passes.
std::optional<std::pair<Date, std::string>> first_event(const evaluator::Finding& finding, Date today, Date horizon) {
  std::optional<std::pair<Date, std::string>> best;
  auto consider = [&](const std::optional<Date>& ends, const std::string& what) {
    if (!ends) return;
    Date from = *ends + 1;
    if (from <= today || from > horizon) return;
    if (!best || from < best->first) best = std::make_pair(from, what + " " + ends->to_string());
  };
  for (const evaluator::EolEvidence& record : finding.cycles) {
    const facts::EolCycle& cycle = *record.cycle;
    std::string name = cycle.product + " " + cycle.cycle + ": ";
    consider(cycle.active_ends, name + "active support ends");
    consider(cycle.security_ends, name + "security support ends");
    consider(cycle.extended_ends, name + "extended support ends");
  }
  for (const evaluator::AdvisoryEvidence& record : finding.advisories) {
    if (record.match->kev == nullptr) continue;
    consider(record.match->kev->due_date, record.match->kev->cve + ": KEV due date passes,");
  }
  return best;
}

}  // namespace

ComingDueRows::ComingDueRows(const Report& today)
    : today_(today), now_(today.inventory->components.size()), listed_(today.inventory->components.size(), false) {
  for (const RankedComponent& ranked : today.ranked) now_[ranked.component] = ranked.level;
}

void ComingDueRows::add(const Report& later) {
  for (const RankedComponent& ranked : later.ranked) {
    size_t c = ranked.component;
    if (listed_[c] || (now_[c] && ranked.level <= *now_[c])) continue;
    listed_[c] = true;
    // The finding that makes the rank: the most urgent one above today's urgency.
    const evaluator::Finding* rising = &later.findings[ranked.findings.front()];
    for (size_t f : ranked.findings) {
      if (!now_[c] || later.findings[f].level > *now_[c]) {
        rising = &later.findings[f];
        break;
      }
    }
    ComingDue row{c, later.today, false, now_[c], ranked.level, rising->rule, rising->message};
    if (auto event = first_event(*rising, today_.today, later.today)) {
      row.date = event->first;
      row.exact = true;
      row.why = event->second;
    }
    rows_.push_back(std::move(row));
  }
}

std::vector<ComingDue> ComingDueRows::finish() {
  const auto& components = today_.inventory->components;
  std::stable_sort(rows_.begin(), rows_.end(), [&](const ComingDue& a, const ComingDue& b) {
    return std::tie(a.date, components[a.component].name) < std::tie(b.date, components[b.component].name);
  });
  return std::move(rows_);
}

std::string coming_due_summary(const Report& report) {
  std::string days;
  for (int32_t horizon : report.horizons) days += (days.empty() ? "" : ", ") + std::to_string(horizon);
  std::string out = "Coming due (next " + days + " days): ";
  if (report.coming_due.empty()) return out + "nothing will rank higher.";
  return out + std::to_string(report.coming_due.size()) + " component(s) will rank higher.";
}

}  // namespace uprank::report
