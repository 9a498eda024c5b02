// Where `uprank check` stands: the repository root that every path it prints is relative
// to, whatever the working directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/result.h"
#include "engine/inventory/component.h"

namespace uprank::cli {

// Returns the repository root for `path` (a directory or a file), as an absolute path
// without symbolic links: the top level of the git work tree that holds it (the nearest
// directory, `path` itself included, with a `.git` entry: a directory, or the file a
// worktree or submodule has), else the directory `path` names (a file's directory).
// Git's top level, because code-scanning services (GitHub, GitLab) place findings by
// paths relative to the checkout root, also when a monorepo checks one folder.
// Errors: uprank.check.no_such_path when `path` does not exist.
Result<std::filesystem::path> repository_root(const std::string& path);

// Rewrites every component location and diagnostic file of `inventory` relative to `root`
// (an absolute path from repository_root), resolving each file's folder against the
// working directory first; the file keeps its own name, so a symbolic link given as the
// file is named as given, not as its target. Files outside `root` keep the path they were
// read by.
void relative_to_root(inventory::Inventory& inventory, const std::filesystem::path& root);

// Runs `git -C DIRECTORY ARGUMENTS...` (no shell; `git` found on PATH) and returns what it
// wrote to standard output, whole. `what` names the command in errors. Quiet runs give git
// /dev/null as standard input and error, for probes whose failure is an answer ("not a
// repository"); otherwise git's own message reaches the user's terminal.
// Errors (uprank.git): git cannot be started; git exits non-zero or by a signal; its output
// exceeds 512 MiB (an error, never a truncated answer).
Result<std::string> run_git(const std::string& directory, const std::vector<std::string>& arguments,
                            const std::string& what, bool quiet = false);

// Returns the files git tracks under `directory` (`git -C DIRECTORY ls-files -z`), as
// paths relative to it, or nullopt when it is not in a git work tree or git cannot run
// (git's complaint is not shown: most folders read are not repositories). The walker
// reads these whatever .gitignore says (gitignore(5)).
std::optional<std::vector<std::string>> git_tracked_files(const std::string& directory);

}  // namespace uprank::cli
