#include "cli/gate.h"

#include <cstdio>
#include <fstream>
#include <limits>
#include <utility>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/repository.h"
#include "engine/baseline/baseline.h"
#include "engine/files/files.h"
#include "engine/report/fingerprint.h"

namespace uprank::cli {
namespace {

// Returns the zero-context diff of the working tree against the merge base of REF and
// HEAD: what this branch changed, as `git diff REF...HEAD` plus uncommitted edits. Against
// REF itself, a base branch that moved on would count its own new commits as this
// branch's changes. The ref goes to git as one argument, after a check that it cannot
// read as an option.
Result<std::string> git_diff(const std::string& root, const std::string& ref) {
  if (ref.empty() || ref.front() == '-') {
    return make_error("uprank.changed_since.bad_ref", "--changed-since takes a git ref, not '" + ref + "'");
  }
  auto base = run_git(root, {"merge-base", ref, "HEAD"}, "git merge-base " + ref + " HEAD");
  if (!base.ok()) return base.error();
  std::string commit = base.value().substr(0, base.value().find_first_of(" \r\n"));
  return run_git(root,
                 {"diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", "--relative", commit, "--"},
                 "git diff " + ref);
}

}  // namespace

void add_gate_options(CLI::App& app, GateOptions& options) {
  app.add_option("--baseline", options.baseline,
                 "Gate only on findings new or worse than in this earlier JSON report or SARIF log")
      ->check(kNonEmpty);
  app.add_option("--write-baseline", options.write_baseline, "Write the findings as a baseline (a JSON report) to this file")
      ->check(kNonEmpty);
  app.add_option("--changed-since", options.changed_since,
                 "Gate only on findings whose pin lines changed since this git ref (from its merge base with HEAD); "
                 "show the others as context")
      ->check(kNonEmpty);
}

bool read_gate_baseline(const GateOptions& options, std::optional<baseline::Baseline>& baseline) {
  if (options.baseline.empty()) return true;
  auto loaded = baseline::load_baseline(options.baseline);
  if (!loaded.ok()) {
    std::fprintf(stderr, "error: %s\n", loaded.error().message.c_str());
    return false;
  }
  if (loaded->skipped > 0) {
    std::fprintf(stderr, "note: %s: %zu SARIF result(s) without an uprank fingerprint were not compared\n",
                 options.baseline.c_str(), loaded->skipped);
  }
  baseline = std::move(loaded.value());
  return true;
}

std::optional<int> apply_gate(report::Report& report, const GateOptions& options,
                              const std::optional<baseline::Baseline>& baseline, const std::string& repository_root,
                              const std::string& scope, int threads) {
  report::attach_fingerprints(report, repository_root, threads);
  if (baseline) {
    if (size_t outside = baseline::compare(report, *baseline, scope); outside > 0) {
      std::fprintf(stderr, "note: %s: %zu baseline finding(s) outside %s were not compared (only what was checked can be fixed)\n",
                   options.baseline.c_str(), outside, scope.c_str());
    }
  }
  if (!options.changed_since.empty()) {
    auto diff = git_diff(repository_root, options.changed_since);
    if (!diff.ok()) {
      std::fprintf(stderr, "error: %s\n", diff.error().message.c_str());
      return kExitBadInput;
    }
    auto changed = baseline::parse_unified_diff(*diff);
    if (!changed.ok()) {
      std::fprintf(stderr, "error: %s\n", changed.error().message.c_str());
      return kExitBadInput;
    }
    // git diff leaves out files git does not track yet; a new file's pins are all new, so
    // they count as changed, and the note says which files were taken so.
    auto untracked = run_git(repository_root, {"ls-files", "--others", "--exclude-standard", "-z"}, "git ls-files --others");
    if (!untracked.ok()) {
      std::fprintf(stderr, "error: %s\n", untracked.error().message.c_str());
      return kExitBadInput;
    }
    std::vector<std::string> new_files;
    for (size_t begin = 0, end = 0; begin < untracked->size(); begin = end + 1) {
      end = untracked->find('\0', begin);
      if (end == std::string::npos) end = untracked->size();
      if (end > begin) new_files.push_back(untracked->substr(begin, end - begin));
    }
    for (const std::string& file : new_files) changed->files[file] = {{1, std::numeric_limits<int>::max()}};
    if (!new_files.empty()) {
      std::string listed;
      for (size_t i = 0; i < new_files.size() && i < 5; ++i) listed += (i ? ", " : "") + new_files[i];
      if (new_files.size() > 5) listed += ", …";
      std::fprintf(stderr, "note: --changed-since %s: %zu untracked file(s) count as changed (new): %s\n",
                   options.changed_since.c_str(), new_files.size(), listed.c_str());
    }
    report.changed_since = options.changed_since;
    baseline::mark_context(report, *changed);
  }
  if (!options.write_baseline.empty()) {
    if (Status written = files::write_file_atomically(options.write_baseline, report::write_json(report)); !written) {
      std::fprintf(stderr, "error: cannot write the baseline: %s\n", written.error().to_string().c_str());
      return kExitBadInput;
    }
  }
  return std::nullopt;
}

}  // namespace uprank::cli
