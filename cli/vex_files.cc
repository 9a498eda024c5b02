#include "cli/vex_files.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;

// Adds a document's statements and prints what it skipped.
void take(vex::Document& document, std::vector<vex::Statement>& statements) {
  for (const std::string& skipped : document.skipped) std::fprintf(stderr, "warning: %s (statement skipped)\n", skipped.c_str());
  for (vex::Statement& statement : document.statements) statements.push_back(std::move(statement));
}

std::string on_disk(const std::string& file, const std::string& repository_root) {
  fs::path path(file);
  return path.is_relative() && !repository_root.empty() ? (fs::path(repository_root) / path).string() : file;
}

}  // namespace

std::optional<std::shared_ptr<const vex::StatementIndex>> load_vex_statements(const std::vector<std::string>& files,
                                                                              const inventory::Inventory& inventory,
                                                                              const std::string& repository_root,
                                                                              bool verbose) {
  std::vector<vex::Statement> statements;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    if (!seen.insert(fs::weakly_canonical(file).string()).second) continue;
    auto document = vex::read_vex_file(file);
    if (!document.ok()) {
      std::fprintf(stderr, "error: %s\n", document.error().to_string().c_str());
      return std::nullopt;
    }
    take(*document, statements);
  }
  std::vector<std::string> sboms;
  for (const inventory::Component& component : inventory.components) {
    if ((component.source == "cyclonedx" || component.source == "spdx") &&
        std::find(sboms.begin(), sboms.end(), component.location.file) == sboms.end()) {
      sboms.push_back(component.location.file);
    }
  }
  for (const std::string& sbom : sboms) {
    std::string disk = on_disk(sbom, repository_root);
    bool cyclonedx = std::any_of(inventory.components.begin(), inventory.components.end(), [&](const auto& c) {
      return c.location.file == sbom && c.source == "cyclonedx";
    });
    if (cyclonedx) {
      std::ifstream in(disk, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      auto embedded = vex::read_cyclonedx_vex(text.str(), sbom, /*embedded=*/true);
      if (embedded.ok()) {
        if (verbose && !embedded->statements.empty()) {
          std::fprintf(stderr, "note: %s: %zu VEX statement(s) in the SBOM\n", sbom.c_str(), embedded->statements.size());
        }
        take(*embedded, statements);
      } else {
        std::fprintf(stderr, "warning: %s (its VEX analyses are not applied)\n", embedded.error().to_string().c_str());
      }
    }
    std::string stem = sbom.size() > 5 && sbom.compare(sbom.size() - 5, 5, ".json") == 0 ? sbom.substr(0, sbom.size() - 5) : sbom;
    for (const char* suffix : {".vex.json", ".openvex.json"}) {
      std::string beside = stem + suffix;
      std::string beside_disk = on_disk(beside, repository_root);
      std::error_code error;
      if (!fs::is_regular_file(beside_disk, error)) continue;
      if (!seen.insert(fs::weakly_canonical(beside_disk).string()).second) continue;
      auto document = vex::read_vex_file(beside_disk);
      if (!document.ok()) {
        std::fprintf(stderr, "warning: %s (found beside %s; not applied)\n", document.error().to_string().c_str(), sbom.c_str());
        continue;
      }
      if (verbose) std::fprintf(stderr, "note: %s: VEX document beside %s\n", beside.c_str(), sbom.c_str());
      take(*document, statements);
    }
  }
  if (statements.empty()) return std::shared_ptr<const vex::StatementIndex>();
  return std::make_shared<const vex::StatementIndex>(std::move(statements));
}

}  // namespace uprank::cli
