// `uprank rules fmt [--check] [PATH…]`: rewrites rule files in the canonical layout
// (grammar/formatter.h), or with --check lists the files that are not in it.
#include "cli/rules_fmt.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "engine/base/diagnostic.h"
#include "engine/files/files.h"
#include "grammar/formatter.h"
#include "grammar/parser.h"

namespace uprank::cli {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitUnformatted = 1;
constexpr int kExitBadInput = 2;

void report(const Diagnostic& diagnostic, std::string_view source_text = {}) {
  std::fputs(render_diagnostic(diagnostic, source_text).c_str(), stderr);
}

// Reads a rule file, or standard input for "-", through the bounded reader.
Result<std::string> read_text(const std::string& path) {
  const size_t limit = grammar::ParseOptions{}.max_file_bytes;
  if (path == "-") return files::read_descriptor(STDIN_FILENO, "<stdin>", limit);
  return files::read_regular_file(path, limit);
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
    const std::string shown = path == "-" ? "<stdin>" : path;
    auto read = read_text(path);
    if (!read.ok()) {
      report(make_diagnostic(Severity::kError, "uprank.rules_unreadable", "rule file " + read.error().message,
                             SourceLocation{shown, 0, 0}));
      bad_input = true;
      continue;
    }
    const std::string& text = *read;
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
    } else if (path == "-" || changed) {
      // Written whole or not at all: an interrupted run never leaves a half-written rule file.
      Status written = files::write_file_atomically(path, formatted.text);
      if (!written) {
        report(make_diagnostic(Severity::kError, "uprank.rules_unwritable", written.error().message, SourceLocation{shown, 0, 0}));
        bad_input = true;
      }
    }
  }
  if (std::fflush(stdout) != 0) bad_input = true;
  if (bad_input) return kExitBadInput;
  return unformatted ? kExitUnformatted : kExitClean;
}

}  // namespace uprank::cli
