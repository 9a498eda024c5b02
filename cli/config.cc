#include "cli/config.h"
#include "cli/repository.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "engine/base/diagnostic.h"
#include "engine/files/files.h"
#include "fetchers/to_facts.h"

namespace uprank::cli {
namespace {

constexpr size_t kMaxConfigBytes = 1u << 20;

std::optional<std::chrono::hours> parse_age(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  char unit = text.back();
  long value = std::strtol(text.c_str(), nullptr, 10);
  if (value <= 0) return std::nullopt;
  if (unit == 'd') return std::chrono::hours(24 * value);
  if (unit == 'h') return std::chrono::hours(value);
  if (unit == 'm') return std::chrono::hours((value + 59) / 60);
  return std::nullopt;
}

// Reads `sources:` of uprank.yaml: per source url, products, repositories, packages, cves,
// stale_after. Prints problems naming the file and returns false on them.
bool read_source_config(const YAML::Node& root, const std::string& path, std::map<std::string, fetch::SourceSettings>& settings) {
  YAML::Node sources = root["sources"];
  if (!sources) return true;
  if (!sources.IsMap()) {
    std::fprintf(stderr, "error: %s: 'sources' must be a map of source name to settings\n", path.c_str());
    return false;
  }
  const auto& known = fetch::known_sources();
  try {
    for (const auto& entry : sources) {
      std::string name = entry.first.as<std::string>();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::fprintf(stderr, "error: %s:%d: unknown source '%s' (known: %s)\n",
                     path.c_str(), entry.first.Mark().line + 1, name.c_str(), fetch::known_source_list().c_str());
        return false;
      }
      fetch::SourceSettings& source = settings[name];
      const YAML::Node& node = entry.second;
      if (!node.IsMap()) continue;
      if (node["url"]) source.url = node["url"].as<std::string>();
      if (node["max_pages"]) source.max_pages = std::clamp(node["max_pages"].as<int>(), 1, 1000);
      if (node["stale_after"]) {
        auto age = parse_age(node["stale_after"].as<std::string>());
        if (!age) {
          std::fprintf(stderr, "error: %s:%d: stale_after takes a duration such as 7d or 36h\n", path.c_str(),
                       node["stale_after"].Mark().line + 1);
          return false;
        }
        source.stale_after = *age;
      }
      for (const char* list : {"products", "repositories", "cves"}) {
        if (!node[list]) continue;
        for (const auto& item : node[list]) {
          std::string value = item.as<std::string>();
          if (std::string_view(list) == "products") source.products.push_back(value);
          if (std::string_view(list) == "repositories") source.repositories.push_back(value);
          if (std::string_view(list) == "cves") source.cves.push_back(value);
        }
      }
      if (node["packages"]) {
        for (const auto& item : node["packages"]) {
          source.packages.push_back({item["ecosystem"].as<std::string>(""), item["name"].as<std::string>(""),
                                     item["version"].as<std::string>(""), item["purl"].as<std::string>(""), ""});
        }
      }
    }
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "error: %s:%d:%d: %s\n", path.c_str(), e.mark.line + 1, e.mark.column + 1, e.msg.c_str());
    return false;
  }
  return true;
}

// Reads `params:` (a map of NAME to a scalar), `rules:` and `vex:` (lists of paths,
// relative to the file's folder) and `default_rules:` (a bool).
bool read_params_and_rules(const YAML::Node& root, Config& config) {
  const std::string& path = config.shown_path;
  if (YAML::Node params = root["params"]) {
    if (!params.IsMap()) {
      std::fprintf(stderr, "error: %s:%d: 'params' must map param names to values\n", path.c_str(), params.Mark().line + 1);
      return false;
    }
    for (const auto& entry : params) {
      if (!entry.second.IsScalar()) {
        std::fprintf(stderr, "error: %s:%d: param '%s' needs a single value\n", path.c_str(), entry.second.Mark().line + 1,
                     entry.first.Scalar().c_str());
        return false;
      }
      config.params[entry.first.Scalar()] = entry.second.Scalar();
    }
  }
  if (YAML::Node rules = root["rules"]) {
    if (!rules.IsSequence()) {
      std::fprintf(stderr, "error: %s:%d: 'rules' must be a list of rule files or directories\n", path.c_str(),
                   rules.Mark().line + 1);
      return false;
    }
    std::filesystem::path base = std::filesystem::path(config.path).parent_path();
    for (const auto& entry : rules) {
      if (!entry.IsScalar()) {
        std::fprintf(stderr, "error: %s:%d: each rules entry is a path\n", path.c_str(), entry.Mark().line + 1);
        return false;
      }
      // Read relative to the file's folder, named relative to it: site packs read the same
      // in every output wherever uprank runs from.
      std::filesystem::path rule_path = std::filesystem::path(entry.Scalar()).lexically_normal();
      std::string read_at = rule_path.is_absolute() ? rule_path.string() : (base / rule_path).lexically_normal().string();
      config.rule_packs.push_back(grammar::RuleRoot{read_at, rule_path.generic_string()});
    }
  }
  if (YAML::Node vex = root["vex"]) {
    if (!vex.IsSequence()) {
      std::fprintf(stderr, "error: %s:%d: 'vex' must be a list of VEX files\n", path.c_str(), vex.Mark().line + 1);
      return false;
    }
    std::filesystem::path base = std::filesystem::path(path).parent_path();
    for (const auto& entry : vex) {
      if (!entry.IsScalar()) {
        std::fprintf(stderr, "error: %s:%d: each vex entry is a path\n", path.c_str(), entry.Mark().line + 1);
        return false;
      }
      std::filesystem::path vex_path = std::filesystem::path(entry.Scalar()).lexically_normal();
      config.vex_files.push_back(vex_path.is_absolute() ? vex_path.string() : (base / vex_path).lexically_normal().string());
    }
  }
  if (YAML::Node shipped = root["default_rules"]) {
    bool value = true;
    if (!shipped.IsScalar() || !YAML::convert<bool>::decode(shipped, value)) {
      std::fprintf(stderr, "error: %s:%d: 'default_rules' must be true or false\n", path.c_str(), shipped.Mark().line + 1);
      return false;
    }
    config.default_rules = value;
  }
  return true;
}

// The largest `max_sbom_mib`: a bound on the bound, so a slip of the keyboard (one zero
// too many) cannot lift it altogether.
constexpr int kMaxSbomMib = 16384;

// Reads `max_sbom_mib:` (a whole number of MiB, 1..16384); --max-sbom-mib, read before,
// wins.
bool read_limits(const YAML::Node& root, Config& config) {
  YAML::Node node = root["max_sbom_mib"];
  if (!node) return true;
  int mib = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, mib) || mib < 1 || mib > kMaxSbomMib) {
    std::fprintf(stderr, "error: %s:%d: 'max_sbom_mib' must be a whole number of MiB from 1 to %d\n",
                 config.shown_path.c_str(), node.Mark().line + 1, kMaxSbomMib);
    return false;
  }
  if (!config.max_sbom_bytes) config.max_sbom_bytes = static_cast<size_t>(mib) << 20;
  return true;
}

// The keys uprank.yaml may hold, per place (docs/config.md, docs/config.schema.json).
// `params:` names and `sources:` names are checked where they are used, not here.
const std::vector<std::string> kRootKeys = {"distro", "products", "extractors", "sources", "params", "rules",
                                            "default_rules", "vex", "max_sbom_mib"};
const std::vector<std::string> kProductKeys = {"product", "scheme", "cycle", "minor_cycles_below", "version_parts", "java_1_n_versions", "upgrade_step",
                                               "codenames", "images", "packages", "purls", "terraform", "tools",
                                               "actions", "runners", "names", "advisories"};
const std::vector<std::string> kExtractorKeys = {"glob", "pattern", "name", "scheme", "product"};
const std::vector<std::string> kSourceKeys = {"url", "max_pages", "stale_after", "products", "repositories", "cves",
                                              "packages"};
const std::vector<std::string> kSourcePackageKeys = {"ecosystem", "name", "version", "purl"};

// An unknown key and the closest known key ("" when none is a plausible typo).
struct UnknownKey {
  int line;
  std::string key;
  std::string hint;
};

// Adds each key of `node` that `known` lacks to `unknown`.
void find_unknown_keys(const YAML::Node& node, const std::vector<std::string>& known, std::vector<UnknownKey>& unknown) {
  if (!node.IsMap()) return;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) continue;
    const std::string& key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    unknown.push_back({entry.first.Mark().line + 1, key, closest_name(key, known)});
  }
}

// Walks every place of uprank.yaml whose keys are fixed and reports, in file order, the
// keys uprank does not read (a typo there silently does nothing): warnings, or errors when
// `strict`. Returns how many it reported.
size_t check_keys(const YAML::Node& root, const std::string& path, bool strict) {
  std::vector<UnknownKey> unknown;
  find_unknown_keys(root, kRootKeys, unknown);
  auto each_entry = [&](const char* list, const std::vector<std::string>& known) {
    YAML::Node items = root[list];
    if (!items || !items.IsSequence()) return;
    for (const auto& item : items) find_unknown_keys(item, known, unknown);
  };
  each_entry("products", kProductKeys);
  each_entry("extractors", kExtractorKeys);
  if (YAML::Node sources = root["sources"]; sources && sources.IsMap()) {
    for (const auto& source : sources) {
      find_unknown_keys(source.second, kSourceKeys, unknown);
      if (!source.second.IsMap()) continue;
      YAML::Node packages = source.second["packages"];
      if (!packages || !packages.IsSequence()) continue;
      for (const auto& package : packages) find_unknown_keys(package, kSourcePackageKeys, unknown);
    }
  }
  std::stable_sort(unknown.begin(), unknown.end(), [](const UnknownKey& a, const UnknownKey& b) { return a.line < b.line; });
  for (const UnknownKey& item : unknown) {
    std::string hint = item.hint.empty() ? "" : "; did you mean '" + item.hint + "'?";
    std::fprintf(stderr, "%s: %s:%d: unknown key '%s'%s\n", strict ? "error" : "warning", path.c_str(), item.line,
                 item.key.c_str(), hint.c_str());
  }
  return unknown.size();
}

}  // namespace

std::unique_ptr<InventoryReading> inventory_reading(const Config& config) {
  auto reading = std::make_unique<InventoryReading>();
  reading->products = inventory::merged_product_map(config.inventory);
  reading->options.products = &reading->products;
  reading->options.extractors = config.inventory.extractors;
  reading->options.tracked_files = git_tracked_files;
  reading->options.distro = config.distro ? config.distro : config.inventory.distro;
  if (config.max_sbom_bytes) reading->options.max_sbom_bytes = *config.max_sbom_bytes;
  return reading;
}

std::optional<Config> load_config(const GlobalOptions& global, bool strict, const std::string& default_file,
                                  const std::string& default_shown_as) {
  Config config;
  if (!global.distro.empty()) {
    config.distro = inventory::parse_distro(global.distro);
    if (!config.distro) {
      std::fprintf(stderr, "error: --distro takes a distro release such as debian:12, ubuntu:22.04 or alpine:3.19, not '%s'\n",
                   global.distro.c_str());
      return std::nullopt;
    }
  }
  if (global.max_sbom_mib > 0) config.max_sbom_bytes = static_cast<size_t>(global.max_sbom_mib) << 20;
  config.path = global.config_path;
  config.shown_path = config.path;
  if (config.path.empty()) {
    std::error_code error;
    if (!std::filesystem::exists(default_file, error)) return config;
    config.path = default_file;
    config.shown_path = default_shown_as.empty() ? default_file : default_shown_as;
  }
  auto read = files::read_regular_file(config.path, kMaxConfigBytes);
  if (!read.ok()) {
    std::fprintf(stderr, "error: %s: configuration file %s\n", config.shown_path.c_str(), read.error().message.c_str());
    return std::nullopt;
  }
  return parse_config_text(*read, std::move(config), strict);
}

std::optional<Config> parse_config_text(const std::string& text, Config config, bool strict) {
  config.inventory = inventory::parse_inventory_config(text, config.shown_path);
  for (const Diagnostic& diagnostic : config.inventory.diagnostics) {
    std::fputs(render_diagnostic(diagnostic, text).c_str(), stderr);
  }
  if (has_errors(config.inventory.diagnostics)) return std::nullopt;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "error: %s:%d:%d: %s\n", config.shown_path.c_str(), e.mark.line + 1, e.mark.column + 1, e.msg.c_str());
    return std::nullopt;
  }
  if (!root.IsMap()) {
    if (root.IsNull()) return config;
    std::fprintf(stderr, "error: %s: the configuration must be a mapping\n", config.shown_path.c_str());
    return std::nullopt;
  }
  if (check_keys(root, config.shown_path, strict) > 0 && strict) return std::nullopt;
  if (!read_source_config(root, config.shown_path, config.sources) || !read_params_and_rules(root, config) ||
      !read_limits(root, config)) {
    return std::nullopt;
  }
  return config;
}

}  // namespace uprank::cli
