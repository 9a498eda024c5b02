#include "fetchers/bundled_eol.h"

#include "fetchers/json_input.h"

namespace uprank::fetch {
namespace internal {
extern const char kBundledRunnerImages[];
}  // namespace internal

using nlohmann::json;

Result<std::vector<facts::EolProduct>> parse_bundled_eol(std::string_view json_text, const std::string& where) {
  auto parsed = parse_json(json_text, where);
  if (!parsed) return parsed.error();
  const json* products = json_member(*parsed, "products");
  if (products == nullptr || !products->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": 'products' must be an array");
  }
  std::vector<facts::EolProduct> out;
  for (const json& item : *products) {
    if (!item.is_object()) return make_error("uprank.fetch.bad_shape", where + ": a product is not an object");
    facts::EolProduct product;
    product.name = json_string(item, "name");
    product.label = json_string(item, "label", product.name);
    if (product.name.empty()) return make_error("uprank.fetch.bad_shape", where + ": a product has no name");
    const json* cycles = json_member(item, "cycles");
    if (cycles == nullptr || !cycles->is_array()) {
      return make_error("uprank.fetch.bad_shape", where + ": " + product.name + ": 'cycles' must be an array");
    }
    for (const json& entry : *cycles) {
      facts::EolCycle cycle;
      cycle.product = product.name;
      cycle.cycle = entry.is_object() ? json_string(entry, "cycle") : "";
      if (cycle.cycle.empty()) return make_error("uprank.fetch.bad_shape", where + ": " + product.name + ": a cycle has no name");
      if (const json* retired = json_member(entry, "retired"); retired != nullptr && !retired->is_null()) {
        auto date = retired->is_string() ? Date::parse(retired->get<std::string>()) : std::nullopt;
        if (!date) {
          return make_error("uprank.fetch.bad_field",
                            where + ": " + product.name + " " + cycle.cycle + ": 'retired' is not a YYYY-MM-DD date");
        }
        // A retired image runs nothing: support of every kind ends that day.
        cycle.security_ends = *date;
        cycle.active_ends = *date;
      }
      cycle.evidence.source = "bundled";
      cycle.evidence.id = product.name + "/" + cycle.cycle;
      cycle.evidence.url = json_string(entry, "source");
      product.cycles.push_back(std::move(cycle));
    }
    out.push_back(std::move(product));
  }
  return out;
}

const std::vector<facts::EolProduct>& bundled_eol_products() {
  static const std::vector<facts::EolProduct> kProducts = [] {
    // The file is tested (bundled_eol_test.cc): a bad edit fails the tests, not a report.
    auto parsed = parse_bundled_eol(internal::kBundledRunnerImages, "data/github-runner-images.json");
    return parsed ? std::move(parsed).value() : std::vector<facts::EolProduct>{};
  }();
  return kProducts;
}

bool is_bundled_eol_product(std::string_view product) {
  for (const facts::EolProduct& bundled : bundled_eol_products()) {
    if (bundled.name == product) return true;
  }
  return false;
}

void add_bundled_eol(facts::FactSet& facts) {
  for (const facts::EolProduct& product : bundled_eol_products()) {
    if (!facts.products.emplace(product.name, product).second) continue;
    // Each image label is a release the target solver may recommend ("ubuntu-24.04").
    facts::ProductReleases released;
    released.product = product.name;
    released.evidence.source = "bundled";
    released.evidence.id = product.name;
    for (const facts::EolCycle& cycle : product.cycles) released.versions.push_back({cycle.cycle, std::nullopt});
    if (!product.cycles.empty()) released.evidence.url = product.cycles.front().evidence.url;
    facts.released.emplace(product.name, std::move(released));
  }
}

}  // namespace uprank::fetch
