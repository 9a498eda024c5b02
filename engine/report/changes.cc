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

// What moved for an Escalated or De-escalated component: its urgency, its decision, or both.
std::string escalation_text(const ComponentChange& item) {
  bool decision_moved = !item.decision_before.empty() && !item.decision_after.empty() &&
                        item.decision_before != item.decision_after;
  std::string decision = "decision " + item.decision_before + " -> " + item.decision_after;
  if (item.before == item.after) return decision_moved ? decision : level_text(item.before) + " -> " + level_text(item.after);
  return level_text(item.before) + " -> " + level_text(item.after) + (decision_moved ? ", " + decision : "");
}

const char* section_of(Upgrade::Direction direction) {
  switch (direction) {
    case Upgrade::Direction::kUp: return "Upgraded";
    case Upgrade::Direction::kDown: return "Downgraded";
    case Upgrade::Direction::kUnordered: break;
  }
  return "Version changed";
}

}  // namespace

const char* direction_name(Upgrade::Direction direction) {
  switch (direction) {
    case Upgrade::Direction::kUp: return "up";
    case Upgrade::Direction::kDown: return "down";
    case Upgrade::Direction::kUnordered: break;
  }
  return "unordered";
}

std::vector<ChangeRow> change_rows(const RunChanges& changes) {
  std::vector<ChangeRow> rows;
  for (const ComponentChange& item : changes.added) rows.push_back({"New", item.name, item.version, joined(item.rules)});
  for (const ComponentChange& item : changes.resolved) {
    rows.push_back({"Resolved", item.name, item.version, joined(item.rules)});
  }
  for (const ComponentChange& item : changes.escalated) {
    rows.push_back({"Escalated", item.name, item.version, escalation_text(item)});
  }
  for (const ComponentChange& item : changes.deescalated) {
    rows.push_back({"De-escalated", item.name, item.version, escalation_text(item)});
  }
  // Upgrades, then downgrades, then changes that do not compare; each in identity order.
  for (Upgrade::Direction direction : {Upgrade::Direction::kUp, Upgrade::Direction::kDown, Upgrade::Direction::kUnordered}) {
    for (const Upgrade& upgrade : changes.upgraded) {
      if (upgrade.direction != direction) continue;
      rows.push_back({section_of(direction), upgrade.name, upgrade.to,
                      upgrade.from + " -> " + upgrade.to + " (first seen " + upgrade.first_seen.to_string() + ")"});
    }
  }
  for (const ComponentChange& item : changes.unchecked) {
    rows.push_back({"No longer checked", item.name, item.version, joined(item.rules)});
  }
  return rows;
}

std::string change_summary(const RunChanges& changes) {
  if (!changes.previous) return "No earlier run of these inputs is recorded.";
  std::string since = changes.against == "history" ? "the previous run" : "baseline " + changes.against;
  size_t by_direction[3] = {0, 0, 0};
  for (const Upgrade& upgrade : changes.upgraded) ++by_direction[static_cast<size_t>(upgrade.direction)];
  auto if_any = [](size_t count, const char* what) {
    return count == 0 ? std::string() : ", " + std::to_string(count) + " " + what;
  };
  return "Since " + since + " (" + changes.previous->to_string() + "): " + std::to_string(changes.added.size()) +
         " new, " + std::to_string(changes.resolved.size()) + " resolved, " + std::to_string(changes.escalated.size()) +
         " escalated, " + std::to_string(changes.deescalated.size()) + " de-escalated, " +
         std::to_string(by_direction[0]) + " upgraded" + if_any(by_direction[1], "downgraded") +
         if_any(by_direction[2], "with another version") + if_any(changes.unchecked.size(), "no longer checked") + ".";
}

}  // namespace uprank::report
