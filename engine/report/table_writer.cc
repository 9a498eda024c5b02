#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

#include "engine/base/parallel.h"
#include "engine/base/terminal_text.h"
#include "engine/report/fingerprint.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

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

// The rule's name without its package: "past_end_of_life".
std::string short_rule_name(const std::string& rule) { return rule.substr(rule.rfind('.') + 1); }

// Lines under a component's row: one per finding, most urgent first, then how the score
// adds up when a rank policy made it.
std::vector<std::string> continuation_lines(const Report& report, const RankedComponent& ranked) {
  std::vector<std::string> lines;
  size_t name_width = 0, score_width = 0;
  for (size_t f : ranked.findings) {
    name_width = std::max(name_width, display_width(short_rule_name(report.findings[f].rule())));
    score_width = std::max(score_width, format_score(report.findings[f].score).size());
  }
  for (size_t f : ranked.findings) {
    const evaluator::Finding& finding = report.findings[f];
    std::string name = short_rule_name(finding.rule());
    std::string level(compiler::level_name(finding.level));
    std::string line = name + std::string(name_width - display_width(name) + 2, ' ') + level +
                       std::string(10 - std::min<size_t>(level.size(), 8), ' ') + format_score(finding.score);
    if (finding.due) {
      line += std::string(score_width - format_score(finding.score).size() + 2, ' ') + "due " + finding.due->to_string();
    }
    if (f < report.states.size()) {
      const FindingState& state = report.states[f];
      if (state.change != Change::kNotCompared) line += "  [" + std::string(change_name(state.change)) + "]";
      if (state.context) line += "  [context]";
    }
    lines.push_back(escape_for_terminal(line));
  }
  const RankBreakdown& breakdown = ranked.breakdown;
  if (!breakdown.policy.empty()) {
    std::string line = "score " + format_score(ranked.score) + " = " + format_score(breakdown.base);
    if (!breakdown.base_because.empty()) line += " (" + breakdown.base_because + ")";
    for (const evaluator::RankFactor& factor : breakdown.factors) {
      line += " + " + factor.name + " " + (factor.points ? format_score(*factor.points) : "unknown");
      if (!factor.because.empty()) line += " (" + factor.because + ")";
    }
    lines.push_back(escape_for_terminal(line));
  }
  // The solver's targets, when they say more than "what runs already qualifies", and the
  // first constraint that blocked a lower version with its co-upgrade.
  if (ranked.targets && (!ranked.targets->advisories_unchecked.empty() ||
                         !(ranked.targets->patch.target && ranked.targets->patch.target->current &&
                           (!ranked.targets->supported.target || ranked.targets->supported.target->current)))) {
    lines.push_back(escape_for_terminal("targets: " + targets::summary(*ranked.targets)));
    for (const targets::Choice* choice : {&ranked.targets->supported, &ranked.targets->patch}) {
      if (choice->blocked.empty()) continue;
      const targets::Blocker& blocker = choice->blocked.front();
      lines.push_back(escape_for_terminal("blocked: " + blocker.version + " by " + blocker.constraint + " with " + blocker.component +
                                (blocker.unblock.empty() ? "; no released version of it unblocks this"
                                                         : "; " + blocker.unblock)));
      break;
    }
  }
  return lines;
}

// Returns whether the component was read from a file that pins its version (a
// Dockerfile, a chart, a workflow...), where an upgrade is a one-line change. Inventory
// documents (native, SBOMs, dpkg status) describe what runs; a line in them is not where
// anything gets fixed, so the table shows no LOCATION for them alone.
bool pinned_in_file(const inventory::Component& component) {
  static constexpr std::string_view kDescriptions[] = {"native", "cyclonedx", "spdx", "dpkg"};
  if (!component.location.known()) return false;
  return std::find(std::begin(kDescriptions), std::end(kDescriptions), component.source) == std::end(kDescriptions);
}

// Returns the lines that say what the findings were compared with: counts of new, worse,
// unchanged, fixed and no longer checked against a baseline, those gone findings, and how
// many findings are context under --changed-since.
std::string comparison_lines(const Report& report) {
  std::string out;
  const ChangeCounts counts = count_changes(report);
  if (!report.baseline.empty()) {
    out += "Against baseline " + escape_for_terminal(report.baseline) + ": " + std::to_string(counts.added) + " new, " +
           std::to_string(counts.worse) + " worse, " + std::to_string(counts.unchanged) + " unchanged, " +
           std::to_string(report.fixed.size()) + " fixed" +
           (report.unchecked.empty() ? "" : ", " + std::to_string(report.unchecked.size()) + " no longer checked") + ".\n";
    for (const auto* list : {&report.fixed, &report.unchecked}) {
      for (const FixedFinding& gone : *list) {
        out += (gone.because.empty() ? "Fixed: " : "No longer checked: ") + escape_for_terminal(gone.rule) +
               (gone.component.empty() ? "" : " on " + escape_for_terminal(gone.component));
        if (gone.location.known()) out += " (" + escape_for_terminal(gone.location.to_string()) + ")";
        if (!gone.because.empty()) out += ": " + escape_for_terminal(gone.because);
        out += "\n";
      }
    }
  }
  if (!report.changed_since.empty()) {
    out += "Changed since " + escape_for_terminal(report.changed_since) + ": " + std::to_string(report.states.size() - counts.context) +
           " finding(s) on changed lines; " + std::to_string(counts.context) + " shown as context only.\n";
  }
  return out;
}

// Returns the line above the table that says how its rows are ordered; rank_components
// in rank.cc sorts by exactly these keys.
std::string ordering_line(const Report& report) {
  std::string line = "Ranked by urgency, then score, then due date, then name";
  if (report.rank_policy.empty()) {
    line += " (no rank policy: each component takes its most urgent finding's urgency and score)";
  } else {
    line += " (rank policy ";
    line += escape_for_terminal(report.rank_policy);
    line += ')';
  }
  line += ".\n";
  return line;
}

// SGR colours for the urgency cell (ECMA-48): the most urgent rows catch the eye first.
std::string_view level_color(std::string_view level) {
  if (level == "critical") return "\x1b[1;31m";
  if (level == "high") return "\x1b[31m";
  if (level == "medium") return "\x1b[33m";
  if (level == "low") return "\x1b[36m";
  return "\x1b[2m";
}

}  // namespace

std::string write_table(const Report& report, const WriteOptions& options) {
  StringSink out;
  write_table(report, options, out);
  return std::move(out.text);
}

void write_table(const Report& report, const WriteOptions& options, Sink& sink) {
  const auto& components = report.inventory->components;
  bool locations = options.show_locations;
  for (const RankedComponent& ranked : report.ranked) locations = locations || pinned_in_file(components[ranked.component]);
  std::vector<const RankedComponent*> shown;  // rows below the header, parallel to rows[1..]
  std::vector<size_t> shown_rank;             // each one's rank (1-based)
  for (size_t i = 0; i < report.ranked.size(); ++i) {
    if (!listed(report, report.ranked[i])) continue;
    shown.push_back(&report.ranked[i]);
    shown_rank.push_back(i + 1);
  }
  std::vector<std::vector<std::string>> rows(shown.size() + 1);
  rows[0] = {"RANK", "COMPONENT", "VERSION", "URGENCY", "SCORE", "DUE", "REASON", "TARGET", "MESSAGE"};
  if (locations) rows[0].insert(rows[0].begin() + 3, "LOCATION");
  auto make_row = [&](size_t r) {
    const RankedComponent& ranked = *shown[r - 1];
    const auto& component = components[ranked.component];
    const evaluator::Finding& top = report.findings[ranked.findings.front()];
    std::vector<std::string>& row = rows[r];
    row.reserve(10);
    row.push_back(std::to_string(shown_rank[r - 1]));
    row.push_back(fit(escape_for_terminal(component.name), 48));
    row.push_back(fit(escape_for_terminal(component.version_text), 24));
    if (locations) {
      const SourceLocation location = repository_location(component);
      row.push_back(location.known() ? escape_for_terminal(location.to_string()) : "-");
    }
    row.push_back(std::string(compiler::level_name(ranked.level)));
    row.push_back(format_score(ranked.score));
    row.push_back(ranked.due ? ranked.due->to_string() + (*ranked.due < report.today ? " overdue" : "") : "-");
    row.push_back(top.reason());
    row.push_back(ranked.target.empty() ? "-" : fit(escape_for_terminal(target_cell(ranked)), 24));
    row.push_back(escape_for_terminal(top.message()));
  };
  const size_t score_column = locations ? 5 : 4;
  const size_t urgency_column = score_column - 1;
  // Rows read only the report: built in slices on several threads, each slice noting its
  // columns' widths, then formatted and written a batch of slices at a time, in order.
  constexpr size_t kSlice = 256;
  const size_t slices = (rows.size() + kSlice - 1) / kSlice;
  std::vector<std::vector<size_t>> slice_widths(slices, std::vector<size_t>(rows[0].size(), 0));
  parallel_for(slices, options.threads, [&](size_t slice) {
    for (size_t r = slice * kSlice; r < std::min(rows.size(), (slice + 1) * kSlice); ++r) {
      if (r > 0) make_row(r);
      for (size_t c = 0; c + 1 < rows[r].size(); ++c) {
        slice_widths[slice][c] = std::max(slice_widths[slice][c], display_width(rows[r][c]));
      }
    }
  });
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& each : slice_widths) {
    for (size_t c = 0; c < widths.size(); ++c) widths[c] = std::max(widths[c], each[c]);
  }
  const std::string indent(widths[0] + 4, ' ');  // continuation lines start under COMPONENT, indented
  auto format_block = [&](size_t r, std::string& out) {
    const auto& row = rows[r];
    for (size_t c = 0; c < row.size(); ++c) {
      bool numeric = c == 0 || c == score_column;
      size_t pad = c + 1 < row.size() ? widths[c] - display_width(row[c]) : 0;
      if (numeric) out.append(pad, ' ');
      // Colour wraps the text after its width is measured, so columns stay aligned.
      if (options.color && r > 0 && c == urgency_column) {
        out += level_color(row[c]);
        out += row[c];
        out += "\x1b[0m";
      } else {
        out += row[c];
      }
      if (!numeric) out.append(pad, ' ');
      if (c + 1 < row.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    if (r == 0) return;
    auto add_line = [&](std::string_view prefix, std::string_view line) {
      out += indent;
      out += prefix;
      out += line;
      out += '\n';
    };
    for (const std::string& line : continuation_lines(report, *shown[r - 1])) add_line("", line);
    for (const std::string& line : evidence_lines(report, *shown[r - 1])) add_line("", escape_for_terminal(line));
    // Statements that leave the advisory in (affected, under_investigation) show beside it.
    for (const std::string& line : vex_lines(report, shown[r - 1]->component)) add_line("vex ", escape_for_terminal(line));
  };
  if (!report.ranked.empty()) sink.write(ordering_line(report));
  // A batch of slices is formatted (in parallel), written and freed before the next: the
  // table of a large repository runs to tens of megabytes and is never held whole.
  constexpr size_t kBatch = 8;
  std::vector<std::string> texts(kBatch);
  for (size_t first = 0; first < slices; first += kBatch) {
    const size_t count = std::min(kBatch, slices - first);
    parallel_for(count, options.threads, [&](size_t k) {
      const size_t slice = first + k;
      for (size_t r = slice * kSlice; r < std::min(rows.size(), (slice + 1) * kSlice); ++r) format_block(r, texts[k]);
    });
    for (size_t k = 0; k < count; ++k) {
      sink.write(texts[k]);
      texts[k].clear();  // keeps its room for the next batch
    }
  }
  std::string out;
  if (report.ranked.empty()) out += "(no findings)\n";
  for (const std::string& line : unlisted_lines(report)) out += escape_for_terminal(line) + "\n";
  if (std::string line = unowned_line(report); !line.empty()) out += escape_for_terminal(line) + "\n";
  out += '\n';
  out += std::to_string(components.size()) + " components, " + std::to_string(report.ranked.size()) + " with findings";
  // docs/inventory.md, "Skipped files": the count is in the summary line, as `uprank inventory`'s.
  if (size_t skipped = files_skipped(report)) {
    out += ", " + std::to_string(skipped) + (skipped == 1 ? " file" : " files") + " skipped (--log-level info says why)";
  }
  out += ", as of " + report.today.to_string() + ".\n";
  if (!report.unranked.empty()) {
    out += "No findings for:";
    for (size_t c : report.unranked) {
      out += ' ';
      out += escape_for_terminal(components[c].name);
    }
    out += "\n";
  }
  if (!report.suppressed.empty()) {
    out += std::to_string(report.suppressed.size()) + " finding(s) suppressed:";
    for (const auto& outcome : report.suppressions) {
      if (outcome.expired || outcome.matched == 0) continue;
      out += " " + outcome.suppression->rule + " until " + outcome.suppression->until.to_string() + " (" +
             escape_for_terminal(outcome.suppression->because) + ");";
    }
    out.back() = '\n';
  }
  if (std::vector<std::string> removed = vex_lines(report); !removed.empty()) {
    out += "Not affected by statement (" + std::to_string(removed.size()) + "):\n";
    for (const std::string& line : removed) out += "  " + escape_for_terminal(line) + "\n";
  }
  out += comparison_lines(report);
  if (report.changes) {
    out += escape_for_terminal(change_summary(*report.changes)) + "\n";
    for (const ChangeRow& change : change_rows(*report.changes)) {
      out += "  " + change.section + ": " + escape_for_terminal(change.name) + " " + escape_for_terminal(change.version) +
             (change.detail.empty() ? "" : " (" + escape_for_terminal(change.detail) + ")") + "\n";
    }
  }
  if (!report.horizons.empty()) {
    out += coming_due_summary(report) + "\n";
    for (const ComingDue& row : report.coming_due) {
      const inventory::Component& component = components[row.component];
      out += "  " + std::string(row.exact ? "" : "by ") + row.date.to_string() + "  " + escape_for_terminal(component.name) + " " +
             escape_for_terminal(component.version_text) + "  " +
             (row.before ? std::string(compiler::level_name(*row.before)) : std::string("none")) + " -> " +
             std::string(compiler::level_name(row.after)) + "  " + escape_for_terminal(row.why) + "\n";
    }
  }
  for (const std::string& line : advisory_coverage_lines(report)) out += escape_for_terminal(line) + "\n";
  for (const std::string& warning : suppression_warnings(report)) out += "Warning: " + escape_for_terminal(warning) + "\n";
  for (const DataSource& source : report.data_sources) {
    out += "Data: " + escape_for_terminal(source.name) + " from " + escape_for_terminal(source.description);
    if (!source.fetched_at.empty()) out += ", fetched " + escape_for_terminal(source.fetched_at);
    out += "\n";
  }
  sink.write(out);
}

}  // namespace uprank::report
