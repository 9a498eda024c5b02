#include <algorithm>
#include <chrono>
#include <tuple>

#include "engine/base/date.h"
#include "engine/base/diagnostic.h"
#include "engine/base/result.h"
#include "engine/base/terminal_text.h"

namespace uprank {

std::string SourceLocation::to_string() const {
  // Appended piece by piece: `":" + std::to_string(n)` trips GCC 12's -Wrestrict at -O3.
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

std::string Error::to_string() const {
  if (!where.known()) return message;
  return where.to_string() + ": " + message;
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

Diagnostic make_diagnostic(Severity severity, std::string code, std::string message, SourceLocation where,
                           std::string hint) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.code = std::move(code);
  diagnostic.message = std::move(message);
  diagnostic.range.begin = std::move(where);
  diagnostic.range.end_line = diagnostic.range.begin.line;
  diagnostic.range.end_column = diagnostic.range.begin.column;
  diagnostic.hint = std::move(hint);
  return diagnostic;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const auto& x = a.range.begin;
    const auto& y = b.range.begin;
    return std::tie(x.file, x.line, x.column, a.severity) < std::tie(y.file, y.line, y.column, b.severity);
  });
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

namespace {

std::string_view line_of(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view result = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// adjacent letters each cost one, so "todya" is one step from "today".
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string render_diagnostic(const Diagnostic& diagnostic, std::string_view source_text) {
  // Messages quote untrusted input (file names, values, server text): escaped for the
  // terminal, and the source line cut to a window so one error in a huge single-line
  // file prints a bounded amount.
  constexpr size_t kShownLineBytes = 160;
  const SourceLocation& at = diagnostic.range.begin;
  std::string out(severity_name(diagnostic.severity));
  out += ": ";
  if (at.known()) out += escape_for_terminal(at.to_string()) + ": ";
  out += escape_for_terminal(diagnostic.message);
  if (!diagnostic.code.empty()) out += " [" + diagnostic.code + "]";
  out += "\n";
  std::string_view line = at.line > 0 ? line_of(source_text, at.line) : std::string_view{};
  if (!line.empty()) {
    int column = std::max(at.column, 1);
    size_t caret = std::min(static_cast<size_t>(column - 1), line.size());
    size_t start = caret > kShownLineBytes / 2 ? caret - kShownLineBytes / 2 : 0;
    while (start > 0 && start < line.size() && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) ++start;
    size_t end = std::min(line.size(), start + kShownLineBytes);
    while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) ++end;
    const std::string before = (start > 0 ? "..." : "") + escape_for_terminal(line.substr(start, caret - start));
    out += "  " + before + escape_for_terminal(line.substr(caret, end - caret)) + (end < line.size() ? "..." : "");
    out += "\n  ";
    for (char ch : before) {
      if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) out += ch == '\t' ? '\t' : ' ';
    }
    int width = 1;
    if (diagnostic.range.end_line == at.line && diagnostic.range.end_column >= column) {
      width = std::min(diagnostic.range.end_column - column + 1, static_cast<int>(kShownLineBytes));
    }
    out.append(static_cast<size_t>(width), '^');
    out += "\n";
  }
  if (!diagnostic.hint.empty()) out += "  hint: " + escape_for_terminal(diagnostic.hint) + "\n";
  return out;
}

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

// Dates: the proleptic Gregorian calendar through <chrono>'s civil-day arithmetic.
std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) -> int {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 0 || month < 0 || day < 0) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Date(std::chrono::sys_days(ymd).time_since_epoch().count());
}

Date Date::today_utc() {
  auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date(static_cast<int32_t>(now.time_since_epoch().count()));
}

std::string Date::to_string() const {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

}  // namespace uprank
