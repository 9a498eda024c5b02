#include "cli/vex_files.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string_view>
#include <unordered_map>

#include "engine/base/terminal_text.h"
#include "engine/files/files.h"
#include "fetchers/csaf_vex.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;

// VEX text is the supplier's: what is printed of it goes through escape_for_terminal.
void print(const char* severity, const std::string& message, const char* why) {
  std::fprintf(stderr, "%s: %s%s\n", severity, escape_for_terminal(message).c_str(), why);
}

// Reads a VEX file of any format uprank knows: CSAF (a `document` with `csaf_version`),
// else OpenVEX or CycloneDX VEX as vex::read_vex_text tells them apart.
Result<vex::Document> read_vex(const std::string& path) {
  auto text = files::read_regular_file(path, vex::Limits{}.max_bytes);
  if (!text.ok()) return vex::read_vex_file(path);  // the same refusal, in VEX's words
  if (fetch::looks_like_csaf(*text)) return fetch::read_csaf_vex(*text, path);
  return vex::read_vex_text(*text, path);
}

// Adds a document's statements and prints what it skipped.
void take(vex::Document& document, std::vector<vex::Statement>& statements) {
  for (const std::string& skipped : document.skipped) print("warning", skipped, " (statement skipped)");
  for (vex::Statement& statement : document.statements) statements.push_back(std::move(statement));
}

// Where a component's file is on disk: `report` keeps locations as given (relative to the
// working directory) and `check` makes them repository-relative; both set repository_path,
// which is relative to `repository_root` in either case.
std::string on_disk(const inventory::Component& component, const std::string& repository_root) {
  if (component.repository_path.empty() || repository_root.empty()) return component.location.file;
  return (fs::path(repository_root) / component.repository_path).string();
}

// `path` with its last ".json" taken off.
std::string stem_of(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0 ? path.substr(0, path.size() - 5) : path;
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
    auto document = read_vex(file);
    if (!document.ok()) {
      print("error", document.error().to_string(), "");
      return std::nullopt;
    }
    take(*document, statements);
  }
  struct Sbom {
    std::string shown;  // as the inventory names it
    std::string disk;   // where it is read
    bool cyclonedx = false;
  };
  // In the order the inventory first names them; looked up by name, not by a scan of
  // those found so far (a fleet of 2,000 SBOMs made that 100 million comparisons).
  std::vector<Sbom> sboms;
  std::unordered_map<std::string_view, size_t> sbom_of_file;
  for (const inventory::Component& component : inventory.components) {
    if (component.source != "cyclonedx" && component.source != "spdx") continue;
    auto [at, added] = sbom_of_file.try_emplace(component.location.file, sboms.size());
    if (added) sboms.push_back(Sbom{component.location.file, on_disk(component, repository_root)});
    Sbom& known = sboms[at->second];
    known.cyclonedx = known.cyclonedx || component.source == "cyclonedx";
  }
  for (const Sbom& sbom : sboms) {
    if (sbom.cyclonedx) {
      // The inventory reader read this file a moment ago under the same bound.
      auto text = files::read_regular_file(sbom.disk, vex::Limits{}.max_bytes);
      auto embedded = text.ok() ? vex::read_cyclonedx_vex(*text, sbom.shown, /*embedded=*/true) : Result<vex::Document>(text.error());
      if (embedded.ok()) {
        if (verbose && !embedded->statements.empty()) {
          std::fprintf(stderr, "note: %s: %zu VEX statement(s) in the SBOM\n", escape_for_terminal(sbom.shown).c_str(),
                       embedded->statements.size());
        }
        take(*embedded, statements);
      } else {
        print("warning", embedded.error().to_string(), " (its VEX analyses are not applied)");
      }
    }
    for (const char* suffix : {".vex.json", ".openvex.json"}) {
      std::string beside = stem_of(sbom.shown) + suffix;
      std::string beside_disk = stem_of(sbom.disk) + suffix;
      std::error_code error;
      if (!fs::exists(fs::symlink_status(beside_disk, error))) continue;
      if (!seen.insert(fs::weakly_canonical(beside_disk, error).string()).second) continue;
      auto document = read_vex(beside_disk);
      if (!document.ok()) {
        print("warning", document.error().to_string(), (" (found beside " + escape_for_terminal(sbom.shown) + "; not applied)").c_str());
        continue;
      }
      if (verbose) std::fprintf(stderr, "note: %s: VEX document beside %s\n", escape_for_terminal(beside).c_str(), escape_for_terminal(sbom.shown).c_str());
      // Named as the inventory names its SBOM, never by the absolute path it was read at.
      for (vex::Statement& statement : document->statements) statement.file = beside;
      take(*document, statements);
    }
  }
  if (statements.empty()) return std::shared_ptr<const vex::StatementIndex>();
  return std::make_shared<const vex::StatementIndex>(std::move(statements));
}

}  // namespace uprank::cli
