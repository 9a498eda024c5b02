#include "engine/inventory/product_map.h"

#include <yaml-cpp/yaml.h>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"

namespace uprank::inventory {
namespace internal {
extern const char kBundledProducts[];  // generated from data/products.yaml
}

namespace {

using internal::yaml_location;

// The leading dotted number of a version ("15.4-alpine" -> "15.4", "v1.33" -> "1.33",
// "1:3.0.11-1" -> "3.0.11"), or "".
std::string leading_number(std::string_view text) {
  if (size_t colon = text.find(':'); colon != std::string_view::npos && colon < 4) {
    bool epoch = colon > 0;
    for (size_t i = 0; i < colon; ++i) epoch = epoch && text[i] >= '0' && text[i] <= '9';
    if (epoch) text = text.substr(colon + 1);
  }
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  size_t end = 0;
  while (end < text.size()) {
    size_t start = end;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == start) {
      if (start > 0) --end;  // drop the dot that had no digits after it
      break;
    }
    if (end < text.size() && text[end] == '.' && end + 1 < text.size() && text[end + 1] >= '0' && text[end + 1] <= '9') {
      ++end;
      continue;
    }
    break;
  }
  return std::string(text.substr(0, end));
}

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
  if (!component.purl.empty()) {
    auto purl = PackageUrl::parse(component.purl);
    if (purl.ok() && purl->type != "docker") {
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
    keys.push_back("package:deb:" + component.name);
    if (std::string source = attribute("source_package"); !source.empty()) keys.push_back("package:deb:" + source);
  }
  if (component.kind == "container-image") {
    keys.push_back("image:" + component.name);
    // Registry mirrors of Docker Hub's official images ("public.ecr.aws/docker/library/postgres").
    if (size_t library = component.name.find("/library/"); library != std::string::npos) {
      keys.push_back("image:" + component.name.substr(library + 9));
    }
  }
  if (std::string engine = attribute("terraform.engine"); !engine.empty()) {
    keys.push_back("terraform:" + attribute("terraform.resource") + ":" + engine);
    keys.push_back("terraform:*:" + engine);
  }
  if (component.kind == "tool" || component.kind == "terraform") keys.push_back("tool:" + component.name);
  if (component.kind == "github-action") keys.push_back("action:" + component.name);
  keys.push_back("name:" + component.name);
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
  YAML::Node root = documents->front();
  YAML::Node list = root.IsMap() ? root["products"] : root;
  if (!list || list.IsNull()) return map;
  if (!list.IsSequence()) {
    diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.shape", "'products' must be a list",
                                          yaml_location(path, list.Mark())));
    return map;
  }
  try {
    for (const YAML::Node& entry : list) {
      SourceLocation where = yaml_location(path, entry.Mark());
      if (!entry.IsMap()) {
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
                                                yaml_location(path, entry["scheme"].Mark())));
          continue;
        }
      }
      std::string cycle = internal::yaml_string(entry, "cycle");
      if (cycle == "major") rule.cycle = CycleRule::kMajor;
      else if (cycle == "minor") rule.cycle = CycleRule::kMinor;
      else if (!cycle.empty() && cycle != "none") {
        diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                              "cycle must be 'major', 'minor' or 'none', not '" + cycle + "'",
                                              yaml_location(path, entry["cycle"].Mark())));
      }
      if (std::string below = internal::yaml_string(entry, "minor_cycles_below"); !below.empty()) {
        rule.minor_cycles_below = below.size() < 6 && below.find_first_not_of("0123456789") == std::string::npos ? std::stoi(below) : 0;
      }
      static constexpr std::pair<const char*, const char*> kLists[] = {
          {"images", "image:"}, {"packages", "package:"}, {"purls", "purl:"}, {"terraform", "terraform:"},
          {"tools", "tool:"},   {"actions", "action:"},   {"names", "name:"}};
      for (const auto& [field, prefix] : kLists) {
        YAML::Node values = entry[field];
        if (!values) continue;
        if (!values.IsSequence()) {
          diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.products.bad_field",
                                                std::string("'") + field + "' must be a list of strings", yaml_location(path, values.Mark())));
          continue;
        }
        for (const YAML::Node& value : values) {
          if (!value.IsScalar() || value.Scalar().empty()) continue;
          std::string text = value.Scalar();
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

const ProductRule* ProductMap::find_product(std::string_view product) const {
  auto it = by_product_.find(std::string(product));
  return it == by_product_.end() ? nullptr : &rules_[it->second];
}

void ProductMap::apply(Inventory& inventory) const {
  for (Component& component : inventory.components) {
    if (component.mapped()) {
      if (const ProductRule* rule = find_product(component.product); rule && component.cycle.empty()) {
        component.cycle = release_cycle(*rule, component.version_text);
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
      // A tag like "15.4-alpine" names product version 15.4 plus an image variant.
      if (*rule->scheme == versions::Scheme::kGeneric) {
        std::string number = leading_number(component.version_text);
        if (!number.empty() && number != component.version_text) {
          component.attributes["pinned"] = component.version_text;
          component.version_text = number;
        }
      }
    }
    component.cycle = release_cycle(*rule, component.version_text);
  }
}

}  // namespace uprank::inventory
