#include "cli/repository.h"

#include <map>

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
  auto relative = [&](std::string& file) {
    if (file.empty()) return;
    auto [it, inserted] = rewritten.emplace(file, file);
    if (inserted) {
      std::error_code error;
      fs::path absolute = fs::weakly_canonical(fs::absolute(file, error), error);
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
