// What the table and Markdown leave out of the ranking, and the lines that count it: a
// nightly report on a dpkg or SBOM inventory would otherwise be mostly info rows.
#include <algorithm>

#include "engine/inventory/readers.h"
#include "engine/report/report.h"

namespace uprank::report {

size_t files_skipped(const Report& report) {
  return report.inventory ? inventory::skipped_files(*report.inventory) : 0;
}

std::vector<const Diagnostic*> skipped_file_notes(const Report& report) {
  std::vector<const Diagnostic*> notes;
  if (!report.inventory) return notes;
  for (const Diagnostic& diagnostic : report.inventory->diagnostics) {
    if (diagnostic.code == inventory::kSkippedFileCode) notes.push_back(&diagnostic);
  }
  return notes;
}

bool listed(const Report& report, const RankedComponent& ranked) {
  if (report.min_urgency && ranked.level < *report.min_urgency) return false;
  return !(report.fleet_view && ranked.level == compiler::Level::kInfo);
}

std::vector<std::string> unlisted_lines(const Report& report) {
  size_t below = 0, info = 0;
  for (const RankedComponent& ranked : report.ranked) {
    if (listed(report, ranked)) continue;
    if (report.min_urgency && ranked.level < *report.min_urgency) {
      ++below;
    } else {
      ++info;
    }
  }
  std::vector<std::string> lines;
  if (report.only) {
    // Every record carrying the id: one CVE is often the alias of several (Bitnami's and
    // the Go team's), each affecting other components.
    const std::vector<std::string>& ids = report.only->advisories;
    std::string named;
    for (size_t i = 0; i < ids.size(); ++i) named += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + ids[i];
    std::string line = "Only the components " + named + (ids.size() == 1 ? " affects" : " affect") +
                       " (--only advisory=" + report.only->asked + ")";
    if (!report.only->filtered.empty()) {
      line += "; " + std::to_string(report.only->filtered.size()) + " other component(s) with findings not shown";
    }
    lines.push_back(line + ".");
  }
  if (below > 0) {
    lines.push_back(std::to_string(below) + " component(s) below " +
                    std::string(compiler::level_name(*report.min_urgency)) + " not listed (--min-urgency).");
  }
  if (info > 0) {
    lines.push_back(std::to_string(info) +
                    " component(s) with info findings only (not mapped, no end-of-life data, version not exact) not "
                    "listed; `uprank inventory --unmapped` on the same inventory paths lists the unmapped ones, "
                    "--format json all of them.");
  }
  return lines;
}

std::string unowned_line(const Report& report, size_t names) {
  if (!report.fleet_view) return "";
  std::vector<const std::string*> unowned;
  for (const RankedComponent& ranked : report.ranked) {
    const inventory::Component& component = report.inventory->components[ranked.component];
    if (listed(report, ranked) && component.owner.empty()) unowned.push_back(&component.name);
  }
  if (unowned.empty()) return "";
  std::string line = "No owner: " + std::to_string(unowned.size()) + " listed component(s): ";
  for (size_t i = 0; i < std::min(names, unowned.size()); ++i) line += (i ? ", " : "") + *unowned[i];
  if (unowned.size() > names) line += ", +" + std::to_string(unowned.size() - names) + " more";
  return line + ".";
}

}  // namespace uprank::report
