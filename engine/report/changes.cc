// The change sections (New, Resolved, Escalated, De-escalated, Upgraded) as the text
// writers list them; engine/history computes them.
#include "engine/report/report.h"

namespace uprank::report {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string level_text(const std::optional<compiler::Level>& level) {
  return level ? std::string(compiler::level_name(*level)) : std::string("none");
}

}  // namespace

std::vector<ChangeRow> change_rows(const RunChanges& changes) {
  std::vector<ChangeRow> rows;
  for (const ComponentChange& item : changes.added) rows.push_back({"New", item.name, item.version, joined(item.rules)});
  for (const ComponentChange& item : changes.resolved) {
    rows.push_back({"Resolved", item.name, item.version, joined(item.rules)});
  }
  for (const ComponentChange& item : changes.escalated) {
    rows.push_back({"Escalated", item.name, item.version, level_text(item.before) + " -> " + level_text(item.after)});
  }
  for (const ComponentChange& item : changes.deescalated) {
    rows.push_back({"De-escalated", item.name, item.version, level_text(item.before) + " -> " + level_text(item.after)});
  }
  for (const Upgrade& upgrade : changes.upgraded) {
    rows.push_back({"Upgraded", upgrade.name, upgrade.to,
                    upgrade.from + " -> " + upgrade.to + " (first seen " + upgrade.first_seen.to_string() + ")"});
  }
  return rows;
}

std::string change_summary(const RunChanges& changes) {
  if (!changes.previous) return "No earlier run of these inputs is recorded.";
  std::string since = changes.against == "history" ? "the previous run" : "baseline " + changes.against;
  return "Since " + since + " (" + changes.previous->to_string() + "): " + std::to_string(changes.added.size()) +
         " new, " + std::to_string(changes.resolved.size()) + " resolved, " + std::to_string(changes.escalated.size()) +
         " escalated, " + std::to_string(changes.deescalated.size()) + " de-escalated, " +
         std::to_string(changes.upgraded.size()) + " upgraded.";
}

}  // namespace uprank::report
