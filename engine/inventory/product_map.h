// Product identity: a data-driven map from what inventories name (purls, package names,
// container images, Terraform engines, tools) to end-of-life product ids and schemes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/base/result.h"
#include "engine/inventory/component.h"

namespace uprank::inventory {

// How a product's release cycles are cut from a version: "15" (major) or "3.11" (minor).
enum class CycleRule { kNone, kMajor, kMinor };

struct ProductRule {
  std::string product;                    // end-of-life product id ("postgresql")
  std::optional<versions::Scheme> scheme;  // for images, tools and engines (packages keep their ecosystem's)
  CycleRule cycle = CycleRule::kNone;
  int minor_cycles_below = 0;  // with kMajor: majors below this use major.minor (PostgreSQL 9.6)
  // How many dotted numbers a release has ("22.23.2": 3); 0 means one more than its
  // cycle ("16.4" for PostgreSQL 16). A pin with fewer numbers is a line pin.
  int version_parts = 0;
  // How this Java distribution writes a release that a Java before 9 names "1.N.0_U"
  // (`java -version`, SBOMs: "1.8.0_392"; JEP 223 dropped the "1."): a form with {major}
  // and maybe {update}: "{major}u{update}" for Temurin's "8u392"; "{major}" where the
  // update does not say the release (Corretto's 8.392.08.1): a line pin of cycle 8.
  // Empty: no such versions.
  std::string java_1_n_versions;
  // Codenames the end-of-life data does not carry, lower case, to cycles ({"iron": "20"}).
  std::map<std::string, std::string> codenames;
  // Whether an upgrade must pass through every release cycle on the way (`upgrade_step:
  // cycle`: Kubernetes' control plane moves one minor version at a time), so the target
  // solver names the steps; else one move may skip cycles.
  bool upgrade_step_cycle = false;
  // Identity keys, see docs/inventory.md: "image:postgres", "purl:deb/*/openssl",
  // "package:deb:openssl", "terraform:aws_db_instance:postgres", "tool:nodejs",
  // "tool:java-temurin" (tool plus flavour), "action:actions/setup-node", "runner:ubuntu",
  // "advisory:Bitnami:apache".
  std::vector<std::string> keys;
  SourceLocation location;  // where the rule was defined
};

class ProductMap {
 public:
  // Parses a product map document (the `products:` list of data/products.yaml or of
  // uprank.yaml). Bad entries become diagnostics and are skipped.
  static ProductMap parse(std::string_view yaml_text, const std::string& path, std::vector<Diagnostic>& diagnostics);
  // Returns the map shipped with uprank (data/products.yaml, compiled in).
  static const ProductMap& bundled();

  // Adds `extra`'s rules; on a key both define, `extra` wins (user configuration
  // overrides the bundled map).
  void merge(const ProductMap& extra);
  void add(ProductRule rule);

  // Returns the rule identifying `component`, or nullptr when it is unmapped.
  const ProductRule* identify(const Component& component) const;
  // Returns the rule of the product that a product-level advisory package names:
  // ("Bitnami", "apache") -> apache-http-server, through the rules' `advisories:` entries
  // ("Bitnami:apache"), then Bitnami's image names ("image:bitnami/<name>"). nullptr
  // when no product is named: such packages meet no component.
  const ProductRule* identify_advisory_package(std::string_view ecosystem, std::string_view name) const;
  // Returns the product-level advisory packages that name `product`, as {ecosystem,
  // name} pairs: the `advisories:` entries, then Bitnami names of "bitnami/<name>"
  // images, of every rule of the product (bundled, then uprank.yaml's) whose key still
  // leads to it. The exact inverse of identify_advisory_package(); empty when none.
  std::vector<std::pair<std::string, std::string>> advisory_packages(std::string_view product) const;
  // Returns the rule for an explicit product id, or nullptr.
  const ProductRule* find_product(std::string_view product) const;
  // Sets product, scheme and cycle on every component the map identifies; components
  // with an explicit product only get their cycle. Settles each mapped component's pin:
  // an exact pin with fewer numbers than the product's releases becomes a line pin
  // ("redis:7") without a running version, a codename the rule knows gets its cycle.
  // Unmapped components are untouched.
  void apply(Inventory& inventory) const;

  size_t size() const { return rules_.size(); }
  const std::vector<ProductRule>& rules() const { return rules_; }

 private:
  std::vector<ProductRule> rules_;
  std::unordered_map<std::string, size_t> by_key_;
  std::unordered_map<std::string, size_t> by_product_;
};

// Returns the identity keys of a component, most specific first (what identify() tries).
std::vector<std::string> identity_keys(const Component& component);

// Returns the version scheme of a purl type ("npm" -> npm, "pypi" -> pep440, "deb" ->
// deb, ...), or nullopt for types without a scheme of their own.
std::optional<versions::Scheme> scheme_for_purl_type(std::string_view type);

// Returns the release cycle of `version_text` under `rule` ("15.4" -> "15"), or "".
std::string release_cycle(const ProductRule& rule, std::string_view version_text);

}  // namespace uprank::inventory
