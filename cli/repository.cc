#include "cli/repository.h"

#include <map>
#include <optional>
#include <system_error>

#include "engine/report/fingerprint.h"

namespace uprank::cli {
namespace fs = std::filesystem;

Result<fs::path> repository_root(const std::string& path) {
  std::error_code error;
  fs::path resolved = fs::canonical(path, error);
  if (error) {
    return make_error("uprank.check.no_such_path", path + ": " + error.message(), SourceLocation{path, 0, 0});
  }
  // The same root `report` uses for its inventories, found from the resolved path so that
  // a symbolic link to the repository names the same root.
  return fs::path(report::find_repository_root(resolved.string()));
}

void relative_to_root(inventory::Inventory& inventory, const fs::path& root) {
  std::map<std::string, std::string> rewritten;  // one file has many components
  // A directory holds many files: it is resolved once, and a file that is not a symbolic
  // link resolves to its directory's resolution and its name (what weakly_canonical gives,
  // for one lstat instead of one per path component).
  std::map<fs::path, std::optional<fs::path>> directories;  // nullopt: could not be resolved
  auto resolve = [&](const std::string& file, std::error_code& error) {
    fs::path absolute = fs::absolute(file, error);
    fs::path name = absolute.filename();
    std::error_code status_error;
    fs::file_status status = fs::symlink_status(absolute, status_error);
    if (error || name.empty() || name == "." || name == ".." || status_error || fs::is_symlink(status)) {
      return fs::weakly_canonical(absolute, error);
    }
    auto [directory, added] = directories.try_emplace(absolute.parent_path());
    if (added) {
      fs::path resolved = fs::weakly_canonical(directory->first, error);
      if (!error) directory->second = std::move(resolved);
    }
    if (!directory->second) {
      error = std::make_error_code(std::errc::no_such_file_or_directory);
      return fs::path();
    }
    return *directory->second / name;
  };
  auto relative = [&](std::string& file) {
    if (file.empty()) return;
    auto [it, inserted] = rewritten.emplace(file, file);
    if (inserted) {
      std::error_code error;
      fs::path absolute = resolve(file, error);
      fs::path inside = error ? fs::path() : absolute.lexically_relative(root);
      if (!inside.empty() && *inside.begin() != "..") it->second = inside.generic_string();
    }
    file = it->second;
  };
  for (inventory::Component& component : inventory.components) relative(component.location.file);
  for (inventory::Service& service : inventory.services) relative(service.location.file);
  for (Diagnostic& diagnostic : inventory.diagnostics) relative(diagnostic.range.begin.file);
}

}  // namespace uprank::cli
