// The CISA Known Exploited Vulnerabilities source: the JSON catalog into KevEntry facts.
#pragma once

#include <map>
#include <string>
#include <string_view>

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

// Converts CISA's CSV variant (`known_exploited_vulnerabilities.csv`, RFC 4180 quoting,
// header starting "cveID,vendorProject") into the JSON catalog the feed serves, so an
// imported CSV is stored exactly like a fetched catalog. The CSV carries no catalog
// version: it becomes the newest `dateAdded` with dots ("2025.08.25"), as CISA names them.
// Errors name `where` and the line.
Result<std::string> kev_catalog_json_from_csv(std::string_view csv, const std::string& where);

}  // namespace uprank::fetch
