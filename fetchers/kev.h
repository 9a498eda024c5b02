// The CISA Known Exploited Vulnerabilities source: the JSON catalog into KevEntry facts.
#pragma once

#include <map>
#include <string>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

struct KevCatalog {
  std::string catalog_version;  // "2025.08.25"
  std::string date_released;
  std::map<std::string, facts::KevEntry> entries;  // by CVE id
};

// Parses `known_exploited_vulnerabilities.json`. Every entry needs a cveID; a malformed
// date is an error naming the CVE, so a broken feed never replaces a good one.
Result<KevCatalog> parse_kev_catalog(const RawResponse& response);

}  // namespace uprank::fetch
