// End-of-life data shipped with uprank for products no fetched source publishes: the
// retirement dates of GitHub-hosted runner images (data/github-runner-images.json).
#pragma once

#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"

namespace uprank::fetch {

// Parses a bundled end-of-life file (the shape of data/github-runner-images.json: products
// with cycles, each with a `retired` date or null and the `source` that announced it).
// Each cycle's evidence is source "bundled", id "product/cycle", the announcement's URL.
Result<std::vector<facts::EolProduct>> parse_bundled_eol(std::string_view json_text, const std::string& where);

// Returns the products of the end-of-life data compiled into uprank.
const std::vector<facts::EolProduct>& bundled_eol_products();

// Returns whether `product` is one of bundled_eol_products(): no fetcher asks for it.
bool is_bundled_eol_product(std::string_view product);

// Adds each bundled product that `facts` does not already hold, with its cycles as the
// released versions the target solver picks from (each image label is a release).
void add_bundled_eol(facts::FactSet& facts);

}  // namespace uprank::fetch
