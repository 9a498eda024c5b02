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

// Returns the files git tracks under `directory` (`git -C DIRECTORY ls-files -z`), as
// paths relative to it, or nullopt when it is not in a git work tree or git cannot run
// (git's complaint is not shown: most folders read are not repositories). The walker
// reads these whatever .gitignore says (gitignore(5)).
std::optional<std::vector<std::string>> git_tracked_files(const std::string& directory);

}  // namespace uprank::cli
