// Finds the shell commands a Markdown document shows, so a test can run each one as written
// (docs/writing-docs.md states the convention this reads).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace uprank::docs_test {

// One command as the document shows it.
struct DocCommand {
  int line = 0;                 // 1-based line of the command's first line in the document
  std::string text;             // the command, continuation lines joined by "\n"
  int expected_exit = 0;        // from a trailing `# exit N`; 0 without one
  std::optional<std::string> not_run;  // the reason of a trailing `# not run: REASON`
};

struct DocCommands {
  std::vector<DocCommand> commands;
  // Mistakes against the convention, each "LINE: what is wrong", so a document cannot
  // show a command the test silently skips.
  std::vector<std::string> problems;
};

// Returns the commands of `markdown`, in document order:
//  - every line of a ```sh fence (lines ending in `\` continue on the next; blank lines
//    and lines starting with `#` are skipped);
//  - in any other fence, a line starting with `$ ` (a transcript: the command, then its
//    output, which is not checked).
// Annotations are trailing shell comments, so a reader can paste the line as it is:
// `# exit N` (the exit status the command must give) and `# not run: REASON`.
// A line starting with `uprank ` in a fence that is neither ```sh nor ```text (a synopsis)
// is a problem, and so is a malformed annotation or a continuation that never ends.
DocCommands extract_doc_commands(const std::string& markdown);

}  // namespace uprank::docs_test
