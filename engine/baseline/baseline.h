// Baselines and change sets: which findings a pre-merge gate should fail on. A baseline
// (an earlier JSON report or SARIF log) marks each current finding new, worse or
// unchanged and lists the fixed ones; a change set since a git ref marks findings whose
// pins did not change as context. docs/baseline.md describes both.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/result.h"
#include "engine/compiler/value.h"
#include "engine/report/report.h"

namespace uprank::baseline {

// One finding of a baseline, by fingerprint (report/fingerprint.h).
struct BaselineFinding {
  std::string fingerprint;
  std::string rule;
  // The urgency, when the baseline states it: a JSON report's `urgency`, a SARIF
  // result's `properties.urgency`. Else the SARIF `level` ("error", "warning", "note",
  // "none") in `sarif_level`, and urgency is compared at that coarseness.
  std::optional<compiler::Level> urgency;
  std::string sarif_level;
  std::string component;
  std::string message;
  SourceLocation location;  // repository-relative file and line as the baseline wrote them
  // Whether the baseline could check its component's advisories (a JSON report's
  // `advisories.checked`); none when it does not say (SARIF, no rule read advisories).
  std::optional<bool> checked;
};

struct Baseline {
  std::string path;
  std::string format;                     // "report" (uprank JSON report) or "sarif"
  std::vector<BaselineFinding> findings;
  size_t skipped = 0;                     // SARIF results of other tools (no uprank fingerprint)
};

// Parses a baseline: a JSON report of schema_version 1.4 or later (findings carry
// `fingerprint`), or a SARIF 2.1.0 log whose results carry partialFingerprints under
// report::kFingerprintKey (SARIF 2.1.0 §3.27.17), `ruleId` (§3.27.5) and `level`
// (§3.27.10, "warning" when absent). At most 256 MiB and 64 levels of nesting.
// Errors (code "uprank.baseline.invalid") read "PATH: JSON-POINTER: problem", naming the
// first offending value (RFC 6901 pointer, "/runs/0/results/3/ruleId").
Result<Baseline> parse_baseline(std::string_view text, const std::string& path);
// Reads and parses the file at `path`; a missing or unreadable file is an error too.
Result<Baseline> load_baseline(const std::string& path);

// Compares `report` (attach_fingerprints() done) with `baseline`: sets each finding's
// change and fills report.fixed with the baseline findings that no current finding,
// shown or suppressed, has the fingerprint of (in baseline order). A finding is worse
// when its urgency is above the baseline's (for SARIF-only levels: when its SARIF level,
// sarif_level(), is above the baseline's). `scope` is the repository-relative folder or
// file that was checked ("" for the whole repository): only baseline findings in it can
// be fixed, since a pin outside was not read. A baseline finding whose component can no
// longer be looked at the same way is not fixed but listed in report.unchecked, with why:
// its advisories were checked then and are not now (AdvisoryCoverage), or a data-gap
// finding (reason data_gap: no end-of-life data, a pin no longer exact) is on it now that
// the baseline did not have (report::blind_reason()). Returns how many were outside the scope.
size_t compare(report::Report& report, const Baseline& baseline, std::string_view scope = "");

// Returns whether the repository-relative `file` is `scope` or under it ("" holds all).
bool in_scope(std::string_view file, std::string_view scope);

// Returns the SARIF result level uprank writes for an urgency: critical and high
// "error", medium "warning", low and info "note".
std::string_view sarif_level(compiler::Level level);

// Lines changed per repository-relative file ('/' separators), as sorted, merged,
// inclusive [first, last] ranges of the new text (a new file is one range over all of it).
struct ChangedLines {
  std::map<std::string, std::vector<std::pair<int, int>>> files;
  // Returns whether `line` (1-based) of `file` is in a changed range.
  bool contains(const std::string& file, int line) const;
};

// Parses the output of `git diff --unified=0 --no-color --no-ext-diff REF` (git's
// unified diff: "+++ b/PATH" headers, "@@ -a,b +c,d @@" hunks, quoted C-style paths,
// "/dev/null" for deleted files). A hunk "+c,0" deletes lines: the line after them
// (c + 1) counts as changed, so a deletion in a pin's block marks it. Errors name the
// diff line that does not parse.
Result<ChangedLines> parse_unified_diff(std::string_view diff);

// Marks as context every finding whose subject pin is not on a changed line. Findings
// without a file location are context too: they pin nothing the diff can change.
void mark_context(report::Report& report, const ChangedLines& changed);

}  // namespace uprank::baseline
