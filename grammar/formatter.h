// The rule-language formatter: one canonical layout for every rule file, so reviews
// diff policy rather than whitespace. Used by `uprank rules fmt`.
//
// The canonical style (docs/rule-language.md repeats it for users):
//   - two-space indentation inside braces; one clause, advisory clause or test item per
//     line; the closing brace on its own line; an empty block is written `{}`;
//   - rule and advisory clause keywords are padded to eight columns so their values line
//     up (`title   "…"`, `urgency high`, `exploited since …`); `for` reads as a sentence
//     and is never padded;
//   - test fixtures (`component db { product "postgresql" version "12.4" }`) stay on one
//     line when they were written on one line; otherwise one setting per line;
//   - one blank line around every block declaration (rule, advisory, test) and between
//     declarations of different kinds; a run of one-line declarations of the same kind
//     (params, defs, imports, constraints, suppressions) keeps the author's grouping;
//     inside blocks at most one blank line survives, never after `{` or before `}`;
//   - one space around binary operators and keywords, none inside brackets, after `.`,
//     after a unary minus, or before `,`, `:`, a call's `(` or an index's `[`;
//   - lines are never re-wrapped: a line break the author put between two tokens where a
//     space may stand is kept, and the continuation is indented two columns past its
//     line plus two per bracket still open; every other break is removed;
//   - comments are kept, in order: a comment that ended a line still ends that line (two
//     spaces before `#`), a comment on its own line stays on its own line, indented like
//     what follows it; trailing whitespace is removed;
//   - string and regex literals are kept byte for byte (interpolations included); the file
//     ends with exactly one newline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/base/result.h"
#include "grammar/parser.h"

namespace uprank::grammar {

struct FormatResult {
  std::string text;                     // the canonical text; empty when the file has errors
  std::vector<Diagnostic> diagnostics;  // why the file was not formatted (sorted)

  bool ok() const { return !has_errors(diagnostics); }
};

// Formats one rule file. A file with syntax errors (anything parse_file reports as an
// error) is returned unformatted with those diagnostics. Never throws.
FormatResult format_file(std::string_view text, const std::string& path, const ParseOptions& options = {});

// Formats one rule file, reducing parse diagnostics to an error value with code
// "uprank.fmt.unparseable" naming the first of them. Never throws.
Result<std::string> format_source(std::string_view text, const std::string& path);

// Returns the text of every comment in `text` in source order, without trailing
// whitespace; used to check that formatting never loses a comment. Never throws.
std::vector<std::string> comments_of(std::string_view text);

}  // namespace uprank::grammar
