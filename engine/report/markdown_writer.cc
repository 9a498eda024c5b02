// The pull-request comment: GitHub-flavoured Markdown, escaped, within GitHub's size limit.
#include <cctype>
#include <cstdio>

#include "engine/report/fingerprint.h"
#include "engine/report/internal.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

constexpr size_t kMaxCell = 300;  // characters of one cell's text before "…"

// Escapes untrusted text for a GitHub-flavoured Markdown table cell, where only inline
// markup can start: backslash-escapes emphasis, code, link, image and strikethrough
// characters and '|' that would end the cell (CommonMark §2.4 and GFM §4.10), writes '<',
// '>', '&', '@' (mentions), '#' (issue links) and ':' (no "https:" autolinks) as
// character references, and breaks "www." autolinks. Line breaks and other control
// characters become spaces.
std::string escape_cell(std::string_view text, size_t limit = kMaxCell) {
  std::string out;
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80 && ++characters > limit) {
      out += "…";
      break;
    }
    char ch = text[i];
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '@': out += "&#64;"; break;
      case '#': out += "&#35;"; break;
      case ':': out += "&#58;"; break;  // no autolinked URLs (https://…) from vendor text
      case '\\': case '`': case '*': case '_': case '[': case ']': case '!': case '|': case '~':
        out += '\\';
        out += ch;
        break;
      case '.': out += out.ends_with("www") || out.ends_with("WWW") ? "\\." : "."; break;
      default: out += (byte < 0x20 || byte == 0x7f) ? ' ' : ch;
    }
  }
  return out;
}


// "[deploy/Dockerfile#L3](deploy/Dockerfile#L3)": a link relative to the page the
// comment is on, which GitHub resolves against the pull request's files.
std::string location_link(const SourceLocation& location) {
  if (!location.known()) return "";
  std::string anchor = location.line > 0 ? "#L" + std::to_string(location.line) : "";
  return "[" + escape_cell(location.file + anchor) + "](" + internal::uri_path(location.file) + anchor + ")";
}

std::string row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& cell : cells) out += " " + cell + " |";
  return out + "\n";
}

std::string header(const std::vector<std::string>& names) {
  std::string out = row(names) + "|";
  for (size_t i = 0; i < names.size(); ++i) out += "---|";
  return out + "\n";
}

// One table of the comment: its heading, columns and rendered rows.
struct Table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::string> rows;
};

}  // namespace

std::string write_markdown(const Report& report, size_t max_chars) {
  const auto& components = report.inventory->components;
  bool compared = !report.baseline.empty();
  const ChangeCounts counts = count_changes(report);

  Table findings{compared ? "New and worse findings" : "Findings",
                 {"Urgency", "Component", "Version", "Rule", "Location", "Message"}, {}};
  if (compared) findings.columns.insert(findings.columns.begin(), "Change");
  for (const RankedComponent& ranked : report.ranked) {
    const inventory::Component& component = components[ranked.component];
    for (size_t f : ranked.findings) {
      const evaluator::Finding& finding = report.findings[f];
      FindingState state = f < report.states.size() ? report.states[f] : FindingState{};
      if (compared && state.change == Change::kUnchanged) continue;
      SourceLocation location = repository_location(component);
      std::vector<std::string> cells;
      if (compared) cells.push_back(std::string(change_name(state.change)));
      cells.push_back(std::string(compiler::level_name(finding.level)));
      cells.push_back(escape_cell(component.name));
      cells.push_back(escape_cell(component.version_text));
      cells.push_back(escape_cell(finding.rule));
      cells.push_back(location_link(location));
      cells.push_back(escape_cell(finding.message));
      if (state.context) cells.front() += " (context)";
      findings.rows.push_back(row(cells));
    }
  }
  Table fixed{"Fixed since the baseline", {"Urgency", "Component", "Rule", "Location", "Message"}, {}};
  for (const FixedFinding& finding : report.fixed) {
    fixed.rows.push_back(row({escape_cell(finding.urgency), escape_cell(finding.component), escape_cell(finding.rule),
                              location_link(finding.location), escape_cell(finding.message)}));
  }
  Table not_affected{"Not affected by statement (VEX)",
                     {"Component", "Advisory", "Status", "Justification", "Author", "Statement"}, {}};
  if (report.vex_statements) {
    for (const evaluator::VexOutcome& outcome : report.vex) {
      const vex::Statement& statement = report.vex_statements->statements()[outcome.statement];
      if (!vex::removes_finding(statement.status)) continue;
      std::string why = statement.justification;
      if (!statement.impact_statement.empty()) why += (why.empty() ? "" : ": ") + statement.impact_statement;
      not_affected.rows.push_back(row({escape_cell(report.inventory->components[outcome.component].name),
                                       escape_cell(outcome.advisory), std::string(vex::status_name(statement.status)),
                                       escape_cell(why), escape_cell(statement.author),
                                       escape_cell(statement.file + " " + statement.path)}));
    }
  }

  std::string out = "## uprank\n\n";
  if (compared) {
    out += "Against the baseline: **" + std::to_string(counts.added) + " new**, **" + std::to_string(counts.worse) +
           " worse**, " + std::to_string(counts.unchanged) + " unchanged, " + std::to_string(report.fixed.size()) + " fixed.\n";
  } else {
    out += std::to_string(report.findings.size()) + " finding(s) on " + std::to_string(report.ranked.size()) +
           " component(s), as of " + report.today.to_string() + ".\n";
  }
  if (!report.changed_since.empty()) {
    out += "Changed since " + escape_cell(report.changed_since) + ": " + std::to_string(report.states.size() - counts.context) +
           " finding(s) on changed lines; " + std::to_string(counts.context) + " shown as context only.\n";
  }
  // Rows are added while they fit, keeping room for the note that counts the rest.
  const std::string note_template =
      "\n_%zu finding(s) left out to stay within GitHub's comment limit; the JSON report has them all._\n";
  const size_t reserve = note_template.size() + 24;
  size_t left_out = 0;
  for (const Table* table : {&findings, &fixed, &not_affected}) {
    if (table->rows.empty()) continue;
    std::string head = "\n### " + table->title + "\n\n" + header(table->columns);
    size_t shown = 0;
    if (out.size() + head.size() + reserve <= max_chars) {
      out += head;
      for (const std::string& line : table->rows) {
        if (out.size() + line.size() + reserve > max_chars) break;
        out += line;
        ++shown;
      }
    }
    left_out += table->rows.size() - shown;
  }
  if (findings.rows.empty() && fixed.rows.empty()) out += compared ? "\nNothing new, worse or fixed.\n" : "\nNo findings.\n";
  if (left_out > 0) {
    char note[256];
    std::snprintf(note, sizeof note, note_template.c_str(), left_out);
    out += note;
  }
  return out;
}

}  // namespace uprank::report
