// The endoflife.date source: API v1 product responses into EolProduct facts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// Parses a `GET /api/v1/products/<product>/` body (schema 1.x). Dates win over the
// build-time flags: `eolFrom` gives security_ends whatever `isEol` says, and a true
// `isEol` with no date gives security_ended_flag. Errors name the response and cycle.
Result<facts::EolProduct> parse_endoflife_product(const RawResponse& response);

// Parses a `GET /api/v1/products/` body into the product names it lists.
Result<std::vector<std::string>> parse_endoflife_product_list(std::string_view body, const std::string& where);

// Returns the URL of one product's details under `base_url` ("https://endoflife.date").
std::string endoflife_product_url(std::string_view base_url, std::string_view product);

}  // namespace uprank::fetch
