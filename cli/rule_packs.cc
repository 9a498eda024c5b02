#include "cli/rule_packs.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace uprank::cli {
namespace fs = std::filesystem;
namespace {

// Returns `<prefix>/share/uprank` for the binary at `<prefix>/<dir>/uprank`, found through
// /proc/self/exe so that neither the working directory nor a compiled-in path matters.
fs::path share_dir() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return fs::path("share") / "uprank";
  return exe.parent_path().parent_path() / "share" / "uprank";
}

}  // namespace

std::string shipped_rules_dir() {
  if (const char* env = std::getenv("UPRANK_RULES"); env != nullptr && *env != '\0') return env;
  return (share_dir() / "rules").string();
}

std::string bundled_snapshot_path() { return (share_dir() / "data" / "snapshot.json").string(); }

std::optional<std::vector<grammar::RuleRoot>> rule_roots(const Config& config, const std::vector<std::string>& rule_args,
                                                          bool no_default_rules) {
  std::vector<grammar::RuleRoot> roots;
  if (!no_default_rules && config.default_rules) {
    std::string shipped = shipped_rules_dir();
    std::error_code error;
    if (!fs::is_directory(shipped, error)) {
      std::fprintf(stderr, "error: %s: the shipped rule packs are not there\n", shipped.c_str());
      std::fputs("hint: set UPRANK_RULES to their folder, or pass --no-default-rules with --rules\n", stderr);
      return std::nullopt;
    }
    roots.push_back(grammar::RuleRoot{shipped, kShippedPacksName});
  }
  // The same folder or file named twice (`--rules rules` from a source checkout names the
  // shipped packs again) loads once: declaring every rule twice helps nobody.
  auto add = [&roots](const grammar::RuleRoot& root) {
    for (const grammar::RuleRoot& loaded : roots) {
      std::error_code error;
      if (fs::equivalent(loaded.path, root.path, error)) {
        std::fprintf(stderr, "note: %s is already loaded as %s/; loading it once\n", root.path.c_str(), loaded.shown_as.c_str());
        return;
      }
    }
    roots.push_back(root);
  };
  for (const grammar::RuleRoot& root : config.rule_packs) add(root);
  for (const std::string& path : rule_args) add(grammar::RuleRoot{path, path});
  if (roots.empty()) {
    std::fputs("error: no rule packs to load: the shipped packs are turned off and no --rules or `rules:` names any\n",
               stderr);
    return std::nullopt;
  }
  return roots;
}

}  // namespace uprank::cli
