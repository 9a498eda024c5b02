// `uprank check [PATH]`: the pre-merge gate. Reads a repository's pins as inventory, runs
// the rule packs like `uprank report`, and reports every finding at the file, line and
// column of its pin, relative to the repository root (repository.h) whatever the working
// directory. docs/check.md.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/analysis.h"
#include "cli/command.h"
#include "cli/pipeline.h"
#include "cli/repository.h"

namespace uprank::cli {
namespace {
namespace fs = std::filesystem;

// Returns whether the directory holds no file at all (.git aside): a mistyped or
// not-yet-checked-out path, which must not pass as "no findings".
bool empty_directory(const fs::path& directory) {
  std::error_code error;
  fs::recursive_directory_iterator it(directory, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory(error)) return false;
  }
  return true;
}

}  // namespace

Runner add_check_command(CLI::App& app, const GlobalOptions& global) {
  struct CheckOptions {
    std::string path = ".";
    std::string category = "uprank/check";
    AnalysisOptions analysis;
  };
  auto options = std::make_shared<CheckOptions>();
  app.add_option("path", options->path, "The repository, or a folder or file in it, to check")->capture_default_str();
  add_analysis_options(app, options->analysis);
  app.add_option("--category", options->category,
                 "SARIF run category (automationDetails.id, GitHub code scanning's `category`): one set of alerts per "
                 "category, so a monorepo checking several folders gives each its own")
      ->capture_default_str()
      ->check(kNonEmpty);
  return [options, &global] {
    auto root = repository_root(options->path);
    if (!root.ok()) {
      std::fprintf(stderr, "error: %s\n", root.error().message.c_str());
      return static_cast<int>(kExitBadInput);
    }
    std::error_code error;
    if (fs::is_directory(options->path, error) && empty_directory(options->path)) {
      std::fprintf(stderr, "error: %s: the directory is empty; there is nothing to check\n", options->path.c_str());
      return static_cast<int>(kExitBadInput);
    }
    AnalysisInputs inputs;
    inputs.config_file = (root.value() / "uprank.yaml").string();
    inputs.config_shown_as = "uprank.yaml";  // repository-relative, like every path check prints
    inputs.category = options->category;
    inputs.show_locations = true;
    inputs.repository_root = root.value().string();
    fs::path checked = fs::canonical(options->path, error).lexically_relative(root.value());
    if (!error && checked != ".") inputs.scope = checked.generic_string();
    inputs.read_inventory = [&](const inventory::ReadOptions& reading, bool verbose) -> std::optional<inventory::Inventory> {
      auto inventory = read_inventories({options->path}, options->analysis.strict, reading, verbose, root.value().string());
      // read_inventories has made every location relative to the root already.
      if (inventory) {
        for (inventory::Component& component : inventory->components) component.repository_path = component.location.file;
      }
      // A gate that read nothing must not pass: an error unless --allow-empty says it is expected.
      if (inventory && inventory->components.empty()) {
        const bool allowed = options->analysis.allow_empty;
        std::fprintf(stderr,
                     "%s: %s: no pinned version found (no Dockerfile, compose, Kubernetes, Helm, Terraform, "
                     "GitHub Actions or version file uprank reads); nothing was checked%s\n",
                     allowed ? "warning" : "error", options->path.c_str(), allowed ? "" : " (--allow-empty accepts this)");
        if (!allowed) return std::nullopt;
      }
      return inventory;
    };
    return run_analysis(options->analysis, inputs, global);
  };
}

}  // namespace uprank::cli
