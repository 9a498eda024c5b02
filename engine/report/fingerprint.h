// Finding fingerprints: a stable name for "the same finding" across runs, so that a
// baseline, SARIF `partialFingerprints` and pull-request comments can tell new findings
// from old ones. docs/baseline.md says what goes in and why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/evaluator/evaluator.h"
#include "engine/inventory/component.h"

namespace uprank::report {

// The partialFingerprints key uprank writes in SARIF and reads back from a SARIF
// baseline; the "/v1" names the recipe below, so that a change of recipe is a new key.
inline constexpr std::string_view kFingerprintKey = "uprank/v1";

// Returns the fingerprint of a finding made of exactly these parts, as 32 lower-case
// hexadecimal digits (the first 128 bits of a SHA-256 over the parts, each length-
// prefixed so that no two part lists share an encoding):
//   rule          qualified rule name ("uprank.eol.past_end_of_life");
//   file          the repository-relative path of the subject component's pin, with '/'
//                 separators ("deploy/Dockerfile"); "" when the component has no file;
//   identity_key  the component identity (fingerprint_identity()).
// That is the finding's identity: a rule binds components, never advisories, so one rule
// makes one finding per bound subject. Line, column, version, display name, message and
// the advisories the finding read are left out on purpose: a finding keeps its
// fingerprint when its line moves, its file is reformatted, another pin is bumped, its own
// pin takes a patch release of the same end-of-life line, or an advisory behind it is
// published or withdrawn (its urgency may change: worse or better, never new).
std::string finding_fingerprint(std::string_view rule, std::string_view file, std::string_view identity_key);

// Returns the fingerprint of the `occurrence`-th (2, 3, …) finding with fingerprint
// `first` in line order: finding_fingerprint("occurrence", first, "#N").
std::string occurrence_fingerprint(std::string_view first, size_t occurrence);

// Returns the identity key of a component: its most specific product identity key
// (inventory::identity_keys(): "image:postgres", "purl:npm//lodash",
// "package:deb:openssl", "action:actions/checkout", "name:billing-api"), which reads
// the identity and the input's own name, never the version or the display name that
// readers disambiguate with "@version (file:line)".
std::string fingerprint_identity(const inventory::Component& component);

// Returns `file` relative to `root`, lexically normalised, with '/' separators
// ("./deploy/../Dockerfile" under "." -> "Dockerfile"). Relative paths are read against
// the current directory. A file outside `root` keeps its normalised absolute path; ""
// stays "".
std::string repository_relative_path(std::string_view file, std::string_view root);

// Returns the repository root of an input path: the nearest directory at or above it that
// holds `.git` (a directory, or a file in worktrees and submodules); when there is none,
// the path itself when it is a directory, else its parent. Absolute and normalised, so
// that paths relative to it do not depend on the working directory.
std::string find_repository_root(std::string_view path);

// Returns whether the repository-relative `file` is `scope` or under it ("" and "." hold
// all): what a check of a folder read.
bool in_scope(std::string_view file, std::string_view scope);

// Sets every component's repository_path: its location.file relative to `root`
// (repository_relative_path()).
void set_repository_paths(inventory::Inventory& inventory, std::string_view root);

// Returns the component's location with its file as the repository names it: its
// repository_path (set_repository_paths(), or `check`'s reader), else the file as read.
// What every writer prints, so that output does not depend on the working directory.
SourceLocation repository_location(const inventory::Component& component);

// Returns the fingerprint of `finding` (finding_fingerprint()) from its rule and its subject
// component (the first bound; none for a finding that binds no component); `root` is the
// repository root the component's file is made relative to.
std::string fingerprint_of(const evaluator::Finding& finding, const inventory::Inventory& inventory, std::string_view root);
// The same, as if `rule` had made the finding: the fingerprint its escalation-family
// sibling would have on the same subject (baseline::compare()).
std::string fingerprint_of(const evaluator::Finding& finding, const inventory::Inventory& inventory, std::string_view root,
                           std::string_view rule);

}  // namespace uprank::report
