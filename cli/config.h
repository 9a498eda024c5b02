// uprank.yaml: read once per run; each part goes to the library that owns it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "engine/inventory/extractors.h"
#include "engine/inventory/readers.h"
#include "fetchers/fetcher.h"
#include "grammar/parser.h"

namespace uprank::cli {

struct Config {
  std::string path;                                   // "" when there is no configuration file
  std::string shown_path;                             // how messages name it (repository-relative for check)
  inventory::InventoryConfig inventory;               // `products:` additions and `extractors:`
  std::map<std::string, fetch::SourceSettings> sources;  // `sources:`
  std::map<std::string, std::string> params;          // `params:` NAME: VALUE (plain or qualified names)
  std::vector<grammar::RuleRoot> rule_packs;          // `rules:` site packs, read relative to the file's folder
  std::vector<std::string> vex_files;                 // `vex:` VEX documents, as paths to read
  bool default_rules = true;                          // `default_rules:`: load the shipped packs
  std::optional<inventory::Distro> distro;            // --distro, which wins over `distro:`
  std::optional<size_t> max_sbom_bytes;               // `max_sbom_mib:`, --max-sbom-mib (which wins)
};

// How inventories are read under this configuration: the bundled product map with
// uprank.yaml's additions, and its extractors. Heap-allocated because the options point
// at the map.
struct InventoryReading {
  inventory::ProductMap products;
  inventory::ReadOptions options;
};
std::unique_ptr<InventoryReading> inventory_reading(const Config& config);

// Loads --config, else `default_file` when present (./uprank.yaml; `check` passes the one
// at the repository root), else an empty Config. Prints every problem with file:line and
// returns nullopt when there were errors. A key uprank does not read is a warning with the
// closest known key, or an error when `strict` (--strict). Messages name the default file
// `default_shown_as` when given (`check`: "uprank.yaml", relative to the repository root,
// not the absolute path it was read at); --config is named as given.
std::optional<Config> load_config(const GlobalOptions& global, bool strict = false,
                                  const std::string& default_file = "uprank.yaml", const std::string& default_shown_as = "");

// Reads the text of a configuration file into `config` (whose path and shown_path name
// it), as load_config does once the file is read; the entry point for fuzzing.
std::optional<Config> parse_config_text(const std::string& text, Config config, bool strict = false);

}  // namespace uprank::cli
