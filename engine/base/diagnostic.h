// Diagnostics: mistakes in the user's rules or inventory, reported all at once, sorted,
// and rendered as "error: FILE:LINE:COL: message" with the source line and a caret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/source_location.h"

namespace uprank {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable, e.g. "uprank.unknown_field"
  std::string message;  // one line, no trailing period
  SourceRange range;
  std::string hint;     // optional: "did you mean 'eol'?"
};

std::string_view severity_name(Severity severity);

// Returns a diagnostic pointing at `where` (a whole file when its line is 0).
Diagnostic make_diagnostic(Severity severity, std::string code, std::string message, SourceLocation where,
                           std::string hint = {});

// Sorts by file, line, column, then severity, so output is stable.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Renders one diagnostic. With the source text of its file, adds the offending line and
// a caret under the columns it covers; tabs are kept so the caret lines up.
std::string render_diagnostic(const Diagnostic& diagnostic, std::string_view source_text = {});

// Returns the candidate closest to `name` by edit distance, or "" when none is close
// enough to be a plausible typo.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace uprank
