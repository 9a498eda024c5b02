// User-defined extractors and the inventory part of uprank.yaml: the escape hatch for
// file formats no reader knows, and additions to the product map.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/inventory/component.h"
#include "engine/inventory/identity.h"
#include "engine/inventory/product_map.h"

namespace uprank::inventory {

// A file glob plus an RE2 pattern with named groups `name` and `version` (optionally
// `scheme` and `product`); every match in a matching file becomes a component.
struct Extractor {
  std::string glob;     // "**/versions.env", matched against the path below the walked root
  std::string pattern;  // RE2, e.g. "(?m)^(?P<name>[A-Z_]+)_VERSION=(?P<version>\\S+)$"
  std::string name;     // fixed component name when the pattern has no `name` group
  std::string scheme;   // default scheme name when the pattern has no `scheme` group
  std::string product;  // default product when the pattern has no `product` group
  SourceLocation defined_at;
};

// The inventory settings of uprank.yaml: `products:` (same shape as data/products.yaml)
// and `extractors:`. Other top-level keys belong to other parts of uprank and are
// ignored here.
struct InventoryConfig {
  ProductMap products;
  std::vector<Extractor> extractors;
  std::optional<Distro> distro;  // `distro: debian:12`: the release of unlabelled distro packages
  std::vector<Diagnostic> diagnostics;
};

// Parses uprank.yaml's text; problems are diagnostics naming the line.
InventoryConfig parse_inventory_config(std::string_view text, const std::string& path);

// Returns the bundled product map with `config`'s products merged over it.
ProductMap merged_product_map(const InventoryConfig& config);

// Returns whether `path` matches the glob: `*` and `?` stop at '/', `**` crosses
// directories, `[...]` is a class. A glob without '/' matches the base name anywhere.
bool glob_match(std::string_view glob, std::string_view path);

// Each search for an extractor's next match sees at most this many bytes from where the
// previous match ended (windows overlap by half when nothing matches), so a match is at
// most one window long, any match up to half a window is found, and a pattern whose
// greedy tail could run to the end of the file costs one window per match, not the rest
// of the file: scanning is linear in the file's size.
inline constexpr size_t kExtractorWindowBytes = 4096;

// The work one run_extractor call did.
struct ExtractorStats {
  size_t bytes_searched = 0;  // bytes handed to RE2, overlaps counted twice
  size_t matches = 0;         // matches kept, at most 100,000 per file
};

// Runs `extractor` over `text`; invalid patterns and missing groups are diagnostics, and
// more than 100,000 matches stop the file with a warning naming the extractor. `stats`,
// when given, receives the work done.
Inventory run_extractor(const Extractor& extractor, std::string_view text, const std::string& path,
                        ExtractorStats* stats = nullptr);

}  // namespace uprank::inventory
