// Lines changed since a git ref, from git's unified diff, and the context they leave.
#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "engine/baseline/baseline.h"
#include "engine/inventory/readers.h"
#include "engine/report/fingerprint.h"

namespace uprank::baseline {
namespace {

Error bad_diff(size_t line_number, std::string_view problem) {
  return make_error("uprank.baseline.bad_diff", "git diff output line " + std::to_string(line_number) + ": " + std::string(problem));
}

// Reads "N" or "N,M" (the new side of a hunk header after '+').
bool read_range(std::string_view text, int& start, int& count) {
  size_t comma = text.find(',');
  std::string_view first = text.substr(0, comma);
  count = 1;
  if (std::from_chars(first.data(), first.data() + first.size(), start).ec != std::errc() ) return false;
  if (comma == std::string_view::npos) return true;
  std::string_view second = text.substr(comma + 1);
  return std::from_chars(second.data(), second.data() + second.size(), count).ec == std::errc();
}

// Returns the path of a "+++ " header: "b/PATH" with the "b/" removed, a C-quoted
// "\"b/PA\\tH\"" unquoted (git quotes paths with unusual bytes), "" for /dev/null.
std::optional<std::string> header_path(std::string_view text) {
  if (text == "/dev/null") return std::string();
  std::string path;
  if (!text.empty() && text.front() == '"') {
    if (text.size() < 2 || text.back() != '"') return std::nullopt;
    text = text.substr(1, text.size() - 2);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\' || i + 1 == text.size()) {
        path += text[i];
        continue;
      }
      char next = text[++i];
      if (next >= '0' && next <= '7' && i + 2 < text.size()) {  // octal byte: \303
        path += static_cast<char>(((next - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0'));
        i += 2;
      } else {
        static constexpr std::string_view kFrom = "abtnvfr\"\\", kTo = "\a\b\t\n\v\f\r\"\\";
        size_t at = kFrom.find(next);
        path += at == std::string_view::npos ? next : kTo[at];
      }
    }
  } else {
    path = std::string(text);
  }
  if (!path.starts_with("b/")) return std::nullopt;
  return path.substr(2);
}

}  // namespace

bool ChangedLines::contains(const std::string& file, int line) const {
  auto it = files.find(file);
  if (it == files.end()) return false;
  for (const auto& [first, last] : it->second) {
    if (line >= first && line <= last) return true;
  }
  return false;
}

Result<ChangedLines> parse_unified_diff(std::string_view diff) {
  ChangedLines changed;
  std::vector<std::pair<int, int>>* current = nullptr;
  size_t line_number = 0;
  while (!diff.empty()) {
    size_t end = diff.find('\n');
    std::string_view line = diff.substr(0, end);
    diff = end == std::string_view::npos ? std::string_view{} : diff.substr(end + 1);
    ++line_number;
    if (line.starts_with("diff --git ")) {
      current = nullptr;
    } else if (line.starts_with("+++ ")) {
      std::string_view text = line.substr(4);
      if (size_t tab = text.find('\t'); tab != std::string_view::npos && text.front() != '"') text = text.substr(0, tab);
      auto path = header_path(text);
      if (!path) return bad_diff(line_number, "expected \"+++ b/PATH\" or \"+++ /dev/null\"");
      current = path->empty() ? nullptr : &changed.files[*path];
    } else if (line.starts_with("@@ ")) {
      size_t plus = line.find(" +");
      size_t close = plus == std::string_view::npos ? plus : line.find(' ', plus + 2);
      int start = 0, count = 0;
      if (close == std::string_view::npos || !read_range(line.substr(plus + 2, close - plus - 2), start, count)) {
        return bad_diff(line_number, "expected a hunk header \"@@ -a,b +c,d @@\"");
      }
      if (current == nullptr) continue;  // a deleted file's hunks: nothing left to point at
      // "+c,0" deletes lines after line c: the line that now follows them changed context.
      if (count == 0) current->emplace_back(start + 1, start + 1);
      else current->emplace_back(start, start + count - 1);
    }
  }
  for (auto& [file, ranges] : changed.files) std::sort(ranges.begin(), ranges.end());
  return changed;
}

void mark_context(report::Report& report, const ChangedLines& changed) {
  for (size_t f = 0; f < report.findings.size() && f < report.states.size(); ++f) {
    const evaluator::Finding& finding = report.findings[f];
    bool touched = false;
    if (!finding.components.empty()) {
      const inventory::Component& subject = report.inventory->components[finding.components.front()];
      const SourceLocation location = report::repository_location(subject);
      touched = location.known() && changed.contains(location.file, location.line);
      // A version written on another line of the file (a Dockerfile ARG default).
      auto lines = subject.attributes.find(std::string(inventory::kVersionLinesAttribute));
      if (!touched && location.known() && lines != subject.attributes.end()) {
        for (size_t begin = 0, end = 0; begin < lines->second.size() && !touched; begin = end + 1) {
          end = lines->second.find(',', begin);
          if (end == std::string::npos) end = lines->second.size();
          int line = std::atoi(lines->second.substr(begin, end - begin).c_str());
          touched = line > 0 && changed.contains(location.file, line);
        }
      }
    }
    report.states[f].context = !touched;
  }
}

}  // namespace uprank::baseline
