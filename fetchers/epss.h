// The FIRST EPSS source: API responses and the daily CSV into EpssScore facts.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// Parses `GET /data/v1/epss?cve=…` (scores are decimal strings in the API).
Result<std::map<std::string, facts::EpssScore>> parse_epss_api(const RawResponse& response);

// Parses the daily CSV (already decompressed): an optional "#model_version:…,score_date:…"
// line, the header "cve,epss,percentile", then one row per CVE. A bad row is an error
// naming its line.
Result<std::map<std::string, facts::EpssScore>> parse_epss_csv(const RawResponse& response);

// Returns `cve`-parameter batches for `cves`, each at most `max_chars` long joined by ','.
std::vector<std::string> epss_batches(const std::vector<std::string>& cves, size_t max_chars = 2000);

// Returns whether `text` looks like a CVE id ("CVE-2021-44228").
bool valid_cve_id(std::string_view text);

}  // namespace uprank::fetch
