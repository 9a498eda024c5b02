#include <cmath>
#include <cstdio>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

// Replaces control characters (including ESC, which starts terminal sequences).
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto byte = static_cast<unsigned char>(ch);
    out += (byte < 0x20 || byte == 0x7f) ? '?' : ch;
  }
  return out;
}

// Counts display columns: UTF-8 continuation bytes take no column.
size_t display_width(std::string_view text) {
  size_t width = 0;
  for (char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Shortens a cell to `limit` display columns, marking the cut with "...". JSON output
// keeps full values; the table is for reading.
std::string fit(std::string text, size_t limit) {
  if (display_width(text) <= limit) return text;
  size_t columns = 0, cut = 0;
  while (cut < text.size() && columns < limit - 3) {
    ++cut;
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
    ++columns;
  }
  return text.substr(0, cut) + "...";
}

std::string format_score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, std::fabs(score - std::round(score)) < 1e-9 ? "%.0f" : "%.1f", score);
  return buffer;
}

}  // namespace

std::string write_table(const Report& report) {
  const auto& components = report.inventory->components;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"RANK", "COMPONENT", "VERSION", "URGENCY", "SCORE", "REASON", "TARGET", "MESSAGE"});
  for (size_t i = 0; i < report.ranked.size(); ++i) {
    const RankedComponent& ranked = report.ranked[i];
    const auto& component = components[ranked.component];
    const evaluator::Finding& top = report.findings[ranked.findings.front()];
    std::string message = printable(top.message);
    if (ranked.findings.size() > 1) message += " (+" + std::to_string(ranked.findings.size() - 1) + " more)";
    rows.push_back({std::to_string(i + 1), fit(printable(component.name), 48), fit(printable(component.version_text), 24),
                    std::string(compiler::level_name(ranked.level)), format_score(ranked.score), top.reason,
                    ranked.target.empty() ? "-" : fit(printable(ranked.target), 24), message});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c + 1 < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  // Each ranked row is followed by its evidence, indented to the COMPONENT column.
  std::string evidence_indent(widths[0] + 2 + 2, ' ');
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    for (size_t c = 0; c < row.size(); ++c) {
      bool numeric = c == 0 || c == 4;
      size_t pad = c + 1 < row.size() ? widths[c] - display_width(row[c]) : 0;
      if (numeric) out.append(pad, ' ');
      out += row[c];
      if (!numeric) out.append(pad, ' ');
      if (c + 1 < row.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    if (r == 0) continue;
    for (const std::string& line : evidence_lines(report, report.ranked[r - 1])) {
      out += evidence_indent + printable(line) + "\n";
    }
  }
  if (report.ranked.empty()) out += "(no findings)\n";
  out += "\n" + std::to_string(components.size()) + " components, " + std::to_string(report.ranked.size()) +
         " with findings, as of " + report.today.to_string() + ".\n";
  if (!report.unranked.empty()) {
    out += "No findings for:";
    for (size_t c : report.unranked) out += " " + printable(components[c].name);
    out += "\n";
  }
  if (!report.suppressed.empty()) {
    out += std::to_string(report.suppressed.size()) + " finding(s) suppressed:";
    for (const auto& outcome : report.suppressions) {
      if (outcome.expired || outcome.matched == 0) continue;
      out += " " + outcome.suppression->rule + " until " + outcome.suppression->until.to_string() + " (" +
             printable(outcome.suppression->because) + ");";
    }
    out.back() = '\n';
  }
  for (const std::string& line : advisory_coverage_lines(report)) out += printable(line) + "\n";
  for (const std::string& warning : suppression_warnings(report)) out += "Warning: " + printable(warning) + "\n";
  for (const DataSource& source : report.data_sources) {
    out += "Data: " + printable(source.name) + " from " + printable(source.description);
    if (!source.fetched_at.empty()) out += ", fetched " + printable(source.fetched_at);
    out += "\n";
  }
  return out;
}

}  // namespace uprank::report
