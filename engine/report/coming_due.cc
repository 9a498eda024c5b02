// The Coming due section: what will rank higher in the months ahead if nothing is done.
#include <algorithm>
#include <map>
#include <tuple>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

// The days in (today, horizon] on which `finding`'s evidence changes, with why: the day
// after a support phase ends (the finding sees it ended then) or a KEV due date passes. In
// date order, then text.
std::vector<std::pair<Date, std::string>> events(const evaluator::Finding& finding, Date today, Date horizon) {
  std::vector<std::pair<Date, std::string>> out;
  auto consider = [&](const std::optional<Date>& ends, const std::string& what) {
    if (!ends) return;
    Date from = *ends + 1;
    if (from <= today || from > horizon) return;
    out.emplace_back(from, what + " " + ends->to_string());
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
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Component `c`'s row in `report`, or null: a scan, for the reports of the few components a
// candidate day is checked on.
const RankedComponent* ranked_in(const Report& report, size_t c) {
  for (const RankedComponent& ranked : report.ranked) {
    if (ranked.component == c) return &ranked;
  }
  return nullptr;
}

}  // namespace

ComingDueRows::ComingDueRows(const Report& today)
    : today_(today), now_(today.inventory->components.size()), listed_(today.inventory->components.size(), false) {
  for (const RankedComponent& ranked : today.ranked) now_[ranked.component] = ranked.level;
}

const evaluator::Finding* ComingDueRows::rising(const Report& later, const RankedComponent* ranked) const {
  if (ranked == nullptr) return nullptr;
  size_t c = ranked->component;
  if (now_[c] && ranked->level <= *now_[c]) return nullptr;
  // The finding that makes the rank: the most urgent one above today's urgency.
  for (size_t f : ranked->findings) {
    if (!now_[c] || later.findings[f].level > *now_[c]) return &later.findings[f];
  }
  return &later.findings[ranked->findings.front()];
}

void ComingDueRows::add(const Report& later) {
  for (const RankedComponent& ranked : later.ranked) {
    size_t c = ranked.component;
    const evaluator::Finding* finding = listed_[c] ? nullptr : rising(later, &ranked);
    if (finding == nullptr) continue;
    listed_[c] = true;
    rows_.push_back(ComingDue{c, later.today, false, now_[c], ranked.level, finding->rule(), finding->message()});
    candidates_.push_back(events(*finding, today_.today, later.today));
  }
}

std::vector<ComingDue> ComingDueRows::finish(const RankOn& rank_on) {
  // Candidate days in order, each checked once for every row waiting on it: the urgency
  // must have risen on the day, not on the day before, and the finding that makes it must
  // have that day among its own events.
  std::map<Date, std::vector<size_t>> waiting;
  std::vector<size_t> next(rows_.size(), 0);
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (!candidates_[r].empty()) waiting[candidates_[r][0].first].push_back(r);
  }
  const size_t count = today_.inventory->components.size();
  for (size_t checked = 0; !waiting.empty() && checked < kMaxCheckedDays; ++checked) {
    auto [day, rows] = *waiting.begin();
    waiting.erase(waiting.begin());
    std::vector<bool> flagged(count, false);
    for (size_t r : rows) flagged[rows_[r].component] = true;
    Report on_day = rank_on(day, flagged);
    std::optional<Report> day_before;
    if (day + -1 > today_.today) day_before = rank_on(day + -1, flagged);
    for (size_t r : rows) {
      ComingDue& row = rows_[r];
      const RankedComponent* ranked = ranked_in(on_day, row.component);
      const evaluator::Finding* finding = rising(on_day, ranked);
      bool before = day_before && rising(*day_before, ranked_in(*day_before, row.component)) != nullptr;
      std::optional<std::pair<Date, std::string>> event;
      if (finding != nullptr && !before) {
        for (auto& candidate : events(*finding, today_.today, day)) {
          if (candidate.first == day) event = std::move(candidate);
        }
      }
      if (event) {
        row.date = day;
        row.exact = true;
        row.after = ranked->level;
        row.rule = finding->rule();
        row.why = std::move(event->second);
      } else if (++next[r] < candidates_[r].size()) {
        waiting[candidates_[r][next[r]].first].push_back(r);
      }
    }
  }
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
