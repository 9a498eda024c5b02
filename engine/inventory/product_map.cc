#include "engine/inventory/product_map.h"

#include <algorithm>
#include <cctype>


#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory {
namespace internal {
extern const char kBundledProducts[];  // generated from data/products.yaml
}

namespace {

using internal::yaml_location;
using internal::YamlNode;

bool has_package_scheme(const Component& component) { return component.kind == "package"; }

}  // namespace

std::optional<versions::Scheme> scheme_for_purl_type(std::string_view type) {
  using versions::Scheme;
  if (type == "npm") return Scheme::kNpm;
  if (type == "pypi") return Scheme::kPep440;
  if (type == "deb") return Scheme::kDeb;
  if (type == "rpm") return Scheme::kRpm;
  if (type == "maven") return Scheme::kMaven;
  if (type == "golang") return Scheme::kGolang;
  if (type == "gem") return Scheme::kRubygems;
  if (type == "apk") return Scheme::kApk;
  if (type == "nuget") return Scheme::kNuget;
  if (type == "composer") return Scheme::kPackagist;
  if (type == "cargo" || type == "hex" || type == "pub") return Scheme::kSemver;
  return std::nullopt;
}

std::string release_cycle(const ProductRule& rule, std::string_view version_text) {
  if (rule.cycle == CycleRule::kNone) return {};
  std::string number = leading_number(version_text);
  if (number.empty()) return {};
  size_t first_dot = number.find('.');
  std::string major = number.substr(0, first_dot);
  bool want_minor = rule.cycle == CycleRule::kMinor;
  if (rule.cycle == CycleRule::kMajor && rule.minor_cycles_below > 0 && major.size() < 10 &&
      std::stoll(major) < rule.minor_cycles_below) {
    want_minor = true;
  }
  if (!want_minor || first_dot == std::string::npos) return major;
  size_t second_dot = number.find('.', first_dot + 1);
  return number.substr(0, second_dot);
}

std::vector<std::string> identity_keys(const Component& component) {
  std::vector<std::string> keys;
  // The name the input used: display names of duplicates carry "@version (file:line)".
  const std::string& label = component.identity.label.empty() ? component.name : component.identity.label;
  if (!component.purl.empty()) {
    auto purl = PackageUrl::parse(component.purl);
    if (purl.ok() && (purl->type == "docker" || purl->type == "oci")) {
      // An image named by its purl: "pkg:docker/bitnami/redis", "pkg:docker/library/postgres".
      bool official = purl->namespace_.empty() || purl->namespace_ == "library";
      keys.push_back("image:" + (official ? purl->name : purl->namespace_ + "/" + purl->name));
    } else if (purl.ok() && purl->type == "bitnami") {
      // Bitnami's packages are its products: "pkg:bitnami/apache" is Apache httpd.
      keys.push_back("advisory:Bitnami:" + purl->name);
      keys.push_back("image:bitnami/" + purl->name);
    } else if (purl.ok()) {
      keys.push_back("purl:" + purl->type + "/" + purl->namespace_ + "/" + purl->name);
      keys.push_back("purl:" + purl->type + "/*/" + purl->name);
      keys.push_back("package:" + purl->type + ":" + purl->name);
    }
  }
  auto attribute = [&](const char* key) -> std::string {
    auto it = component.attributes.find(key);
    return it == component.attributes.end() ? std::string() : it->second;
  };
  if (component.source == "dpkg") {
    keys.push_back("package:deb:" + (component.identity.name.empty() ? label : component.identity.name));
    if (std::string source = attribute("source_package"); !source.empty()) keys.push_back("package:deb:" + source);
  }
  if (component.kind == "container-image") {
    keys.push_back("image:" + label);
    // Registry mirrors of Docker Hub's official images ("public.ecr.aws/docker/library/postgres").
    if (size_t library = label.find("/library/"); library != std::string::npos) {
      keys.push_back("image:" + label.substr(library + 9));
    }
  }
  if (std::string engine = attribute("terraform.engine"); !engine.empty()) {
    keys.push_back("terraform:" + attribute("terraform.resource") + ":" + engine);
    keys.push_back("terraform:*:" + engine);
  }
  if (component.kind == "tool" || component.kind == "terraform") {
    // A flavour names the product within a tool: java + temurin is Eclipse Temurin.
    if (std::string flavour = attribute("flavour"); !flavour.empty()) keys.push_back("tool:" + label + "-" + flavour);
    keys.push_back("tool:" + label);
  }
  if (component.kind == "github-runner") keys.push_back("runner:" + label);
  if (component.kind == "github-action") keys.push_back("action:" + label);
  // A package of a known ecosystem is what its ecosystem names, never a product that
  // merely shares its name: the npm "redis" client is not the Redis server.
  // A Helm chart's version is the chart's, not its app's (the "redis" chart 18.6 ships
  // Redis 7.2): a chart is never its app's product by name.
  if (component.identity.ecosystem.empty() && component.source != "dpkg" && component.kind != "helm-chart") {
    keys.push_back("name:" + label);
  }
  return keys;
}

ProductMap ProductMap::parse(std::string_view yaml_text, const std::string& path, std::vector<Diagnostic>& diagnostics) {
  ProductMap map;
  auto documents = internal::load_yaml(yaml_text, path, 16);
  if (!documents.ok()) {
    const Error& error = documents.error();
    diagnostics.push_back(make_diagnostic(Severity::kError, error.code, error.message, error.where));
    return map;
  }
  if (documents->empty()) return map;
  const YamlNode& root = documents->front();
  const YamlNode& list = root.is_map() ? root["products"] : root;
  if (!list || list.is_null()) return map;
  if (!list.is_sequence()) {
    diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.shape", "'products' must be a list",
                                          yaml_location(path, list.mark())));
    return map;
  }
  try {
    for (const YamlNode& entry : list.items()) {
      SourceLocation where = yaml_location(path, entry.mark());
      if (!entry.is_map()) {
        diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.shape", "each product entry must be a mapping", where));
        continue;
      }
      ProductRule rule;
      rule.location = where;
      rule.product = internal::yaml_string(entry, "product");
      if (rule.product.empty()) {
        diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.missing_field", "product entry is missing 'product'", where));
        continue;
      }
      if (std::string scheme = internal::yaml_string(entry, "scheme"); !scheme.empty()) {
        rule.scheme = versions::parse_scheme(scheme);
        if (!rule.scheme) {
          diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field", "unknown scheme '" + scheme + "'",
                                                yaml_location(path, entry["scheme"].mark())));
          continue;
        }
      }
      std::string cycle = internal::yaml_string(entry, "cycle");
      if (cycle == "major") rule.cycle = CycleRule::kMajor;
      else if (cycle == "minor") rule.cycle = CycleRule::kMinor;
      else if (!cycle.empty() && cycle != "none") {
        diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                              "cycle must be 'major', 'minor' or 'none', not '" + cycle + "'",
                                              yaml_location(path, entry["cycle"].mark())));
      }
      if (std::string below = internal::yaml_string(entry, "minor_cycles_below"); !below.empty()) {
        rule.minor_cycles_below = below.size() < 6 && below.find_first_not_of("0123456789") == std::string::npos ? std::stoi(below) : 0;
      }
      if (std::string parts = internal::yaml_string(entry, "version_parts"); !parts.empty()) {
        rule.version_parts = parts.size() == 1 && parts[0] >= '1' && parts[0] <= '9' ? parts[0] - '0' : 0;
      }
      if (std::string form = internal::yaml_string(entry, "java_1_n_versions"); !form.empty()) {
        if (form.find("{major}") == std::string::npos) {
          diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                                "java_1_n_versions must hold {major}, as in '{major}u{update}'",
                                                yaml_location(path, entry["java_1_n_versions"].mark())));
        } else {
          rule.java_1_n_versions = form;
        }
      }
      if (std::string step = internal::yaml_string(entry, "upgrade_step"); step == "cycle") {
        rule.upgrade_step_cycle = true;
      } else if (!step.empty() && step != "any") {
        diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                              "upgrade_step must be 'cycle' or 'any', not '" + step + "'",
                                              yaml_location(path, entry["upgrade_step"].mark())));
      }
      if (const YamlNode& codenames = entry["codenames"]) {
        if (!codenames.is_map()) {
          diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                                "'codenames' must map codenames to cycles", yaml_location(path, codenames.mark())));
        } else {
          for (const auto& codename : codenames.entries()) {
            if (codename.value.is_scalar()) rule.codenames[internal::to_lower(codename.key.scalar())] = codename.value.scalar();
          }
        }
      }
      static constexpr std::pair<const char*, const char*> kLists[] = {
          {"images", "image:"}, {"packages", "package:"}, {"purls", "purl:"}, {"terraform", "terraform:"},
          {"tools", "tool:"},   {"actions", "action:"},   {"names", "name:"},
          {"runners", "runner:"},
          {"advisories", "advisory:"}};
      for (const auto& [field, prefix] : kLists) {
        const YamlNode& values = entry[field];
        if (!values) continue;
        if (!values.is_sequence()) {
          diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                                std::string("'") + field + "' must be a list of strings", yaml_location(path, values.mark())));
          continue;
        }
        for (const YamlNode& value : values.items()) {
          if (!value.is_scalar() || value.scalar().empty()) continue;
          std::string text = value.scalar();
          if (std::string_view(field) == "purls") {
            // "pkg:deb/*/openssl" or "pkg:npm/react": keep type/namespace/name only.
            std::string_view rest = text;
            if (rest.substr(0, 4) == "pkg:") rest.remove_prefix(4);
            size_t first = rest.find('/');
            size_t last = rest.rfind('/');
            if (first == std::string_view::npos) continue;
            std::string type = internal::to_lower(rest.substr(0, first));
            std::string space = first == last ? "" : std::string(rest.substr(first + 1, last - first - 1));
            text = type + "/" + space + "/" + std::string(rest.substr(last + 1));
          }
          rule.keys.push_back(prefix + text);
        }
      }
      map.add(std::move(rule));
    }
  } catch (const std::exception& e) {
    diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.syntax", e.what(), SourceLocation{path, 0, 0}));
  }
  return map;
}

const ProductMap& ProductMap::bundled() {
  static const ProductMap map = [] {
    std::vector<Diagnostic> diagnostics;
    return parse(internal::kBundledProducts, "data/products.yaml", diagnostics);
  }();
  return map;
}

void ProductMap::add(ProductRule rule) {
  size_t index = rules_.size();
  for (const std::string& key : rule.keys) by_key_[key] = index;
  by_product_[rule.product] = index;
  rules_.push_back(std::move(rule));
}

void ProductMap::merge(const ProductMap& extra) {
  for (const ProductRule& rule : extra.rules_) add(rule);
}

const ProductRule* ProductMap::identify(const Component& component) const {
  for (const std::string& key : identity_keys(component)) {
    if (auto it = by_key_.find(key); it != by_key_.end()) return &rules_[it->second];
  }
  return nullptr;
}

const ProductRule* ProductMap::identify_advisory_package(std::string_view ecosystem, std::string_view name) const {
  std::string wanted = "advisory:" + std::string(ecosystem) + ":" + std::string(name);
  if (auto it = by_key_.find(wanted); it != by_key_.end()) return &rules_[it->second];
  // Bitnami's OSV packages are named as its container images are.
  if (ecosystem == "Bitnami") {
    if (auto it = by_key_.find("image:bitnami/" + std::string(name)); it != by_key_.end()) return &rules_[it->second];
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> ProductMap::advisory_packages(std::string_view product) const {
  // Every rule of the product, not only the one find_product() names: uprank.yaml may add
  // a rule for a product the bundled map has, and the bundled rule's keys still name it
  // (identify_advisory_package finds them through by_key_). A key counts when it still
  // leads to a rule of this product.
  auto names_product = [&](const std::string& key) {
    auto it = by_key_.find(key);
    return it != by_key_.end() && rules_[it->second].product == product;
  };
  std::vector<std::pair<std::string, std::string>> packages;
  auto add = [&](std::string ecosystem, std::string name) {
    std::pair<std::string, std::string> package{std::move(ecosystem), std::move(name)};
    if (std::find(packages.begin(), packages.end(), package) == packages.end()) packages.push_back(std::move(package));
  };
  for (const char* prefix : {"advisory:", "image:bitnami/"}) {
    for (const ProductRule& rule : rules_) {
      if (rule.product != product) continue;
      for (const std::string& key : rule.keys) {
        if (key.rfind(prefix, 0) != 0 || !names_product(key)) continue;
        std::string_view rest = std::string_view(key).substr(std::string_view(prefix).size());
        if (prefix[0] == 'i') {
          add("Bitnami", std::string(rest));
        } else if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
          add(std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1)));
        }
      }
    }
  }
  return packages;
}

const ProductRule* ProductMap::find_product(std::string_view product) const {
  auto it = by_product_.find(std::string(product));
  return it == by_product_.end() ? nullptr : &rules_[it->second];
}

namespace {

// Turns an exact pin coarser than the product's releases into a line pin, and gives a
// codename the rule knows its cycle. Packages (SBOMs, dpkg) name installed versions.
void settle_pin(const ProductRule& rule, Component& component) {
  VersionPin& pin = component.pin;
  if (!pin.codename.empty()) {
    if (auto it = rule.codenames.find(pin.codename); it != rule.codenames.end()) pin.cycle = it->second;
    return;
  }
  if (!pin.exact() || has_package_scheme(component) || rule.cycle == CycleRule::kNone) return;
  std::string number = leading_number(component.version_text);
  if (number.empty()) return;
  // A pre-release names one build, never a line: "postgres:17beta3", "golang:1.23rc1".
  // A wildcard written on the number ("3.10.x", "3.*") is the line itself.
  std::string rest = split_image_tag(component.version_text).version.substr(number.size());
  while (rest.size() >= 2 && rest[0] == '.' && (rest[1] == 'x' || rest[1] == 'X' || rest[1] == '*')) rest.erase(0, 2);
  if (!rest.empty()) return;
  int parts = rule.version_parts > 0 ? rule.version_parts : number_parts(release_cycle(rule, number)) + 1;
  if (number_parts(number) >= parts) return;
  pin.kind = VersionPin::Kind::kCycle;
  pin.cycle = number;
  component.version.reset();
}

std::string cycle_of_pin(const ProductRule& rule, const Component& component) {
  const VersionPin& pin = component.pin;
  switch (pin.kind) {
    case VersionPin::Kind::kExact: return release_cycle(rule, component.version_text);
    case VersionPin::Kind::kCycle: return pin.codename.empty() ? release_cycle(rule, pin.cycle) : pin.cycle;
    case VersionPin::Kind::kRange: return pin.lowest == "0" ? "" : release_cycle(rule, pin.lowest);
    default: return {};
  }
}

// Returns `text` ("1.8.0_392", "1.8.0_392-b08") written in `form` ("{major}u{update}" ->
// "8u392"), or "" when it is no Java 1.N version: "1.", N from 1 to 8 (Java 9 was the
// first to drop the "1.", JEP 223), ".0_", the update number; a build suffix is dropped.
std::string java_1_n_version(std::string_view text, const std::string& form) {
  if (text.size() < 7 || text.substr(0, 2) != "1." || text[2] < '1' || text[2] > '8' || text.substr(3, 3) != ".0_") return {};
  size_t end = 6;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == 6 || end - 6 > 6 || (end < text.size() && text[end] != '-' && text[end] != '+')) return {};
  std::string out = form;
  auto replace = [&out](std::string_view field, std::string_view value) {
    if (size_t at = out.find(field); at != std::string::npos) out.replace(at, field.size(), value);
  };
  replace("{major}", text.substr(2, 1));
  replace("{update}", text.substr(6, end - 6));
  return out;
}

// A Java before 9 that says "1.8.0_392" (an SBOM's JDK, `java -version`) runs the
// product's 8u392 (ProductRule::java_1_n_versions): cycle 8, not 1. A form without
// {update} names the line only: a line pin of cycle 8. The text as read stays in
// attributes.pinned, as an image tag's does.
void read_java_1_n(const ProductRule& rule, Component& component) {
  if (rule.java_1_n_versions.empty() || !component.pin.exact()) return;
  std::string java = java_1_n_version(component.version_text, rule.java_1_n_versions);
  if (java.empty()) return;
  component.attributes["pinned"] = component.version_text;
  component.version_text = java;
  if (rule.java_1_n_versions.find("{update}") == std::string::npos) {
    component.pin.kind = VersionPin::Kind::kCycle;
    component.pin.cycle = java;
    component.version.reset();
    return;
  }
  auto version = versions::Version::parse(component.scheme, java);
  if (version.ok()) component.version = std::move(version).value();
  else component.version.reset();
}

}  // namespace

void ProductMap::apply(Inventory& inventory) const {
  for (Component& component : inventory.components) {
    if (component.mapped()) {
      if (const ProductRule* rule = find_product(component.product)) {
        read_java_1_n(*rule, component);
        settle_pin(*rule, component);
        if (component.cycle.empty()) component.cycle = cycle_of_pin(*rule, component);
      }
      continue;
    }
    const ProductRule* rule = nullptr;
    std::string matched_key;
    for (const std::string& key : identity_keys(component)) {
      if (auto it = by_key_.find(key); it != by_key_.end()) {
        rule = &rules_[it->second];
        matched_key = key;
        break;
      }
    }
    if (!rule) continue;
    component.product = rule->product;
    component.attributes["mapped_by"] = matched_key;
    if (!has_package_scheme(component) && rule->scheme) {
      component.scheme = *rule->scheme;
      // A tag like "15.4-alpine" names product version 15.4 plus an image variant; a
      // pre-release stays in the version ("3.13.0rc2-slim" runs 3.13.0rc2, not 3.13.0).
      if (*rule->scheme == versions::Scheme::kGeneric && component.pin.exact()) {
        std::string number = split_image_tag(component.version_text).version;
        if (!number.empty() && number != component.version_text) {
          component.attributes["pinned"] = component.version_text;
          component.version_text = number;
        }
      }
    }
    read_java_1_n(*rule, component);
    settle_pin(*rule, component);
    component.cycle = cycle_of_pin(*rule, component);
  }
}

}  // namespace uprank::inventory
