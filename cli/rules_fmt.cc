// `uprank rules fmt [--check] [PATH…]`: rewrites rule files in the canonical layout
// (grammar/formatter.h), or with --check lists the files that are not in it.
#include "cli/rules_fmt.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>

#include "engine/base/diagnostic.h"
#include "grammar/formatter.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kExitClean = 0;
constexpr int kExitUnformatted = 1;
constexpr int kExitBadInput = 2;

void report(const Diagnostic& diagnostic, std::string_view source_text = {}) {
  std::fputs(render_diagnostic(diagnostic, source_text).c_str(), stderr);
}

bool read_text(const std::string& path, std::string& text) {
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return static_cast<bool>(in);
}

// Replaces `path` by writing a sibling file and renaming it over, so an interrupted run
// never leaves a half-written rule file.
bool write_text(const std::string& path, const std::string& text) {
  std::string temporary = path + ".fmt-tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return false;
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) fs::remove(temporary, error);
  return !error;
}

}  // namespace

int run_rules_fmt(const std::vector<std::string>& paths, bool check) {
  bool bad_input = false;
  bool unformatted = false;
  std::vector<Diagnostic> missing;
  std::vector<std::string> files = grammar::find_rule_files(paths.empty() ? std::vector<std::string>{"."} : paths, missing);
  for (const Diagnostic& diagnostic : missing) report(diagnostic);
  bad_input = bad_input || !missing.empty();
  for (const std::string& path : files) {
    std::string text;
    const std::string shown = path == "-" ? "<stdin>" : path;
    if (!read_text(path, text)) {
      report(make_diagnostic(Severity::kError, "uprank.rules_unreadable", "cannot read rule file", SourceLocation{shown, 0, 0}));
      bad_input = true;
      continue;
    }
    grammar::FormatResult formatted = grammar::format_file(text, shown);
    for (const Diagnostic& diagnostic : formatted.diagnostics) report(diagnostic, text);
    if (!formatted.ok()) {
      bad_input = true;
      continue;
    }
    bool changed = formatted.text != text;
    if (check) {
      if (changed) {
        std::printf("%s\n", shown.c_str());
        unformatted = true;
      }
    } else if (path == "-") {
      std::fputs(formatted.text.c_str(), stdout);
    } else if (changed && !write_text(path, formatted.text)) {
      report(make_diagnostic(Severity::kError, "uprank.rules_unwritable", "cannot write the formatted rule file", SourceLocation{path, 0, 0}));
      bad_input = true;
    }
  }
  std::fflush(stdout);
  if (bad_input) return kExitBadInput;
  return unformatted ? kExitUnformatted : kExitClean;
}

}  // namespace uprank::cli
