// The pull-request comment: GitHub-flavoured Markdown, escaped, within GitHub's size limit.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "engine/base/terminal_text.h"
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
std::string escape_cell(std::string_view raw, size_t limit = kMaxCell) {
  // Controls and bidi overrides made visible first ("\u{202E}"); their backslashes are
  // then escaped like any other, so the renderer shows them literally.
  const std::string visible = escape_for_terminal(raw, /*keep_newlines=*/true);
  std::string_view text = visible;
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
// comment is on, or under `link_base` (a checked URL ending in '/', such as
// https://github.com/o/r/blob/SHA/) so that it opens the file at the commit checked.
// Without a link base, a relative path is put under `link_prefix`: the page may be
// written elsewhere than the directory the paths are relative to (-o out/).
std::string location_link(const SourceLocation& location, const std::string& link_base, const std::string& link_prefix) {
  if (!location.known()) return "";
  std::string anchor = location.line > 0 ? "#L" + std::to_string(location.line) : "";
  bool relative = !location.file.empty() && location.file.front() != '/';
  std::string base = !link_base.empty() ? link_base : relative ? link_prefix : "";
  return "[" + escape_cell(location.file + anchor) + "](" + base + internal::uri_path(location.file) + anchor + ")";
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

// One table of the comment: its heading, columns and rendered rows. The rows of a table
// that can be far longer than the comment (a fleet's findings) are made as they are
// written instead: `count` of them, `next` giving each in turn, so that the rows the size
// limit leaves out are counted, never rendered.
struct Table {
  Table(std::string title_in, std::vector<std::string> columns_in, std::vector<std::string> rows_in)
      : title(std::move(title_in)), columns(std::move(columns_in)), rows(std::move(rows_in)) {}
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::string> rows;
  size_t count = 0;
  std::function<std::string()> next;
  size_t size() const { return next ? count : rows.size(); }
  bool empty() const { return size() == 0; }
};

// The nightly report's opening (WriteOptions::markdown_summary): counts by decision and
// urgency, the data sources with their age and a loud STALE mark, the content hash.
std::string summary_block(const Report& report) {
  const Summary summary = summarize(report);
  std::string out;
  if (summary.any_stale) out += "\n> **STALE DATA**: a data source is out of date; recent advisories or end-of-life dates may be missing.\n";
  std::vector<std::string> names{"Components"}, values{"**" + std::to_string(report.ranked.size()) + "** with findings"};
  for (const auto& [name, count] : summary.by_decision) {
    names.push_back(escape_cell(name));
    values.push_back(std::to_string(count));
  }
  out += "\n### By decision\n\n" + header(names) + row(values);
  names = {"Components"};
  values = {std::to_string(report.unranked.size()) + " without findings"};
  for (const auto& [name, count] : summary.by_level) {
    names.push_back(name);
    values.push_back(std::to_string(count));
  }
  out += "\n### By urgency\n\n" + header(names) + row(values);
  if (!summary.sources.empty()) {
    out += "\n### Data sources\n\n" + header({"Source", "Data", "Fetched", "Age"});
    for (const SourceAge& age : summary.sources) {
      std::string days = age_text(age);
      if (age.stale) days += " **STALE**";
      out += row({escape_cell(age.source->name), escape_cell(age.source->description), escape_cell(age.source->fetched_at), days});
    }
  }
  if (!report.content_hash.empty()) out += "\nContent hash of the facts: " + escape_cell(report.content_hash) + "\n";
  return out;
}

}  // namespace

std::string markdown_link_prefix(const std::string& page_directory, const std::string& working_directory) {
  namespace fs = std::filesystem;
  fs::path page = fs::path(page_directory).lexically_normal();
  fs::path work = fs::path(working_directory).lexically_normal();
  if (page.empty() || page == ".") return "";
  fs::path back = work.lexically_relative(page);
  if (back.empty() || back == ".") return "";
  std::string prefix = back.generic_string();
  return prefix.back() == '/' ? prefix : prefix + "/";
}

Result<std::string> check_link_base(const std::string& url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return make_error("uprank.bad_link_base", "--link-base takes an http:// or https:// URL, not '" + url + "'");
  }
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= ' ' || ch == 0x7f || std::string_view("()<>\"'`\\").find(ch) != std::string_view::npos) {
      return make_error("uprank.bad_link_base",
                        "--link-base: the URL holds a space, control character or one of ()<>\"'`\\, which would end the link");
    }
  }
  return url.back() == '/' ? url : url + "/";
}

std::string write_markdown(const Report& report, const MarkdownOptions& options) {
  const size_t max_chars = options.max_chars;
  const std::string& link_base = options.link_base;
  const auto& components = report.inventory->components;
  bool compared = !report.baseline.empty();
  const ChangeCounts counts = count_changes(report);

  Table findings{compared ? "New and worse findings" : "Findings",
                 {"Urgency", "Component", "Version", "Rule", "Location", "Message"}, {}};
  if (compared) findings.columns.insert(findings.columns.begin(), "Change");
  auto state_of = [&](size_t f) { return f < report.states.size() ? report.states[f] : FindingState{}; };
  for (const RankedComponent& ranked : report.ranked) {
    if (!listed(report, ranked)) continue;
    for (size_t f : ranked.findings) findings.count += compared && state_of(f).change == Change::kUnchanged ? 0 : 1;
  }
  // The findings' rows in rank order, made one at a time: (rank, finding of it) of the next.
  size_t next_rank = 0, next_finding = 0;
  findings.next = [&]() -> std::string {
    for (; next_rank < report.ranked.size(); ++next_rank, next_finding = 0) {
      const RankedComponent& ranked = report.ranked[next_rank];
      if (!listed(report, ranked)) continue;
      const inventory::Component& component = components[ranked.component];
      while (next_finding < ranked.findings.size()) {
        size_t f = ranked.findings[next_finding++];
        const evaluator::Finding& finding = report.findings[f];
        FindingState state = state_of(f);
        if (compared && state.change == Change::kUnchanged) continue;
        SourceLocation location = repository_location(component);
        std::vector<std::string> cells;
        if (compared) cells.push_back(std::string(change_name(state.change)));
        cells.push_back(std::string(compiler::level_name(finding.level)));
        cells.push_back(escape_cell(component.name));
        cells.push_back(escape_cell(component.version_text));
        cells.push_back(escape_cell(finding.rule()));
        cells.push_back(location_link(location, link_base, options.link_prefix));
        cells.push_back(escape_cell(finding.message()));
        if (state.context) cells.front() += " (context)";
        return row(cells);
      }
    }
    return "";
  };
  Table fixed{"Fixed since the baseline", {"Urgency", "Component", "Rule", "Location", "Message"}, {}};
  for (const FixedFinding& finding : report.fixed) {
    fixed.rows.push_back(row({escape_cell(finding.urgency), escape_cell(finding.component), escape_cell(finding.rule),
                              location_link(finding.location, link_base, options.link_prefix), escape_cell(finding.message)}));
  }
  // Gone because the check went blind (no data, a pin no longer exact): not fixed.
  Table unchecked{"No longer checked since the baseline", {"Urgency", "Component", "Rule", "Location", "Message", "Why"}, {}};
  for (const FixedFinding& finding : report.unchecked) {
    unchecked.rows.push_back(row({escape_cell(finding.urgency), escape_cell(finding.component), escape_cell(finding.rule),
                                  location_link(finding.location, link_base, options.link_prefix), escape_cell(finding.message),
                                  escape_cell(finding.because)}));
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

  Table changes{"Since the previous run", {"Change", "Component", "Version", "Detail"}, {}};
  if (report.changes) {
    if (report.changes->against != "history") changes.title = "Since the baseline report";
    for (const ChangeRow& change : change_rows(*report.changes)) {
      changes.rows.push_back(
          row({change.section, escape_cell(change.name), escape_cell(change.version), escape_cell(change.detail)}));
    }
  }

  Table ahead{"Coming due", {"Date", "Component", "Version", "Urgency", "Why"}, {}};
  for (const ComingDue& due : report.coming_due) {
    const inventory::Component& component = components[due.component];
    ahead.rows.push_back(row({(due.exact ? "" : "by ") + due.date.to_string(), escape_cell(component.name),
                              escape_cell(component.version_text),
                              (due.before ? std::string(compiler::level_name(*due.before)) : std::string("none")) +
                                  " → " + std::string(compiler::level_name(due.after)),
                              escape_cell(due.why)}));
  }

  // The nightly report's top of the ranking: one row per component, most urgent first.
  Table top{"Top of the ranking", {"#", "Component", "Version", "Urgency", "Decision", "Score", "Due", "Target", "Owner"}, {}};
  // Only what the table lists (listed(): --min-urgency, info rows collapsed); ranks stay
  // the ranking's, so a gap in the numbers never hides that rows were left out.
  size_t listed_count = 0;
  for (const RankedComponent& ranked : report.ranked) listed_count += listed(report, ranked) ? 1 : 0;
  const size_t top_rows = options.summary ? std::min(options.top, listed_count) : 0;
  for (size_t i = 0; i < report.ranked.size() && top.rows.size() < top_rows; ++i) {
    const RankedComponent& ranked = report.ranked[i];
    if (!listed(report, ranked)) continue;
    const inventory::Component& component = components[ranked.component];
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", ranked.score);
    top.rows.push_back(row({std::to_string(i + 1), escape_cell(component.name), escape_cell(component.version_text),
                            std::string(compiler::level_name(ranked.level)), escape_cell(decision_of(report, ranked)), score,
                            ranked.due ? ranked.due->to_string() : "", escape_cell(target_cell(ranked)), escape_cell(component.owner)}));
  }

  std::string out = options.summary ? "## uprank report, " + report.today.to_string() + "\n\n" : "## uprank\n\n";
  if (compared) {
    out += "Against the baseline: **" + std::to_string(counts.added) + " new**, **" + std::to_string(counts.worse) +
           " worse**, " + std::to_string(counts.unchanged) + " unchanged, " + std::to_string(report.fixed.size()) + " fixed" +
           (report.unchecked.empty() ? "" : ", **" + std::to_string(report.unchecked.size()) + " no longer checked**") + ".\n";
  } else {
    out += std::to_string(report.findings.size()) + " finding(s) on " + std::to_string(report.ranked.size()) +
           " component(s), as of " + report.today.to_string() + ".\n";
  }
  if (size_t skipped = files_skipped(report)) {
    out += std::to_string(skipped) + " inventory file(s) skipped; run with `--log-level info` to see which and why.\n";
  }
  if (!report.changed_since.empty()) {
    out += "Changed since " + escape_cell(report.changed_since) + ": " + std::to_string(report.states.size() - counts.context) +
           " finding(s) on changed lines; " + std::to_string(counts.context) + " shown as context only.\n";
  }
  if (options.summary) {
    out += summary_block(report);
    // Where the history's sections (new, resolved, escalated, ...) go; until a previous
    // run is known, a baseline's comparison is the change.
    if (!compared && !report.changes) out += "\n### Changes since the previous run\n\nNo previous run to compare with.\n";
  }
  // Each note is its own paragraph: consecutive lines would run together in GFM.
  std::vector<std::string> notes = unlisted_lines(report);
  notes.push_back(unowned_line(report));
  if (report.changes) notes.push_back(change_summary(*report.changes));
  if (!report.horizons.empty()) notes.push_back(coming_due_summary(report));
  for (const std::string& note : notes) {
    if (!note.empty()) out += "\n" + escape_cell(note, max_chars) + "\n";
  }
  // Rows are added while they fit, keeping room for the note that counts the rest.
  const std::string note_template =
      "\n_%zu row(s) left out to stay within the size limit; the JSON report has them all._\n";
  const size_t reserve = note_template.size() + 24;
  size_t left_out = 0;
  for (const Table* table : {&top, &findings, &fixed, &unchecked, &changes, &ahead, &not_affected}) {
    if (table->empty()) continue;
    std::string head = "\n### " + table->title + "\n\n" + header(table->columns);
    size_t shown = 0;
    if (out.size() + head.size() + reserve <= max_chars) {
      out += head;
      for (; shown < table->size(); ++shown) {
        std::string made;
        const std::string& line = table->next ? (made = table->next()) : table->rows[shown];
        if (out.size() + line.size() + reserve > max_chars) break;
        out += line;
      }
    }
    left_out += table->size() - shown;
  }
  if (top_rows < listed_count && top_rows > 0) {
    out += "\n_Top " + std::to_string(top_rows) + " of " + std::to_string(listed_count) +
           " listed components; the HTML and JSON reports rank them all._\n";
  }
  if (findings.empty() && fixed.rows.empty() && unchecked.rows.empty()) {
    out += compared ? "\nNothing new, worse or fixed.\n" : "\nNo findings.\n";
  }
  if (left_out > 0) {
    char note[256];
    std::snprintf(note, sizeof note, note_template.c_str(), left_out);
    out += note;
  }
  return out;
}

std::string markdown_cell(std::string_view text) { return escape_cell(text); }

}  // namespace uprank::report
