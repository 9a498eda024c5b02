// The endoflife.date release-data source: every released version of a product, from the
// generated files of github.com/endoflife-date/release-data (`releases/<product>.json`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// The source name in the store, snapshots, provenance and Evidence.
inline constexpr const char* kReleaseDataSource = "endoflife-releases";

// The public base URL; files live under `<base>/releases/<product>.json`.
inline constexpr const char* kReleaseDataBaseUrl = "https://raw.githubusercontent.com/endoflife-date/release-data/main";

// A parsed release-data file and the entries it could not use.
struct ReleaseData {
  facts::ProductReleases releases;
  // One line per skipped `versions` entry: "$.versions[\"1.2\"].date: not a YYYY-MM-DD date
  // ('2024-02-30')". Skips are entries whose values are of the right type but unusable;
  // anything of the wrong shape is an error instead.
  std::vector<std::string> skipped;
};

// Parses one release-data file. The release-data README warns its format "is not
// guaranteed to be stable", so the parser is strict on shape and names the JSON path of
// whatever it refuses:
//   {"releases": {<cycle>: {...}, ...},              (an object; its cycles are not read:
//                                                     the endoflife API is their source)
//    "versions": {"16.4": {"name": "16.4", "date": "2024-08-08"}, ...}}
// `response.key` is the endoflife product id ("postgresql"), `response.body` the file.
// Each `versions` member must be an object; `name` (a string, the member's key when absent)
// is kept exactly as published, `date` is a "YYYY-MM-DD" string or null/absent. Versions
// stay in the file's order (newest first). Skipped, counted and listed in ReleaseData::
// skipped: an empty name, a name seen before, a date string that is no calendar date.
// Errors: "uprank.fetch.malformed_json" / "too_large" (json_input.h), "uprank.fetch.bad_shape"
// (wrong type at a path), "uprank.fetch.bad_name" (key not a product id); messages start with
// the response URL (or "endoflife-releases/<product>"). Evidence: source kReleaseDataSource,
// id the product, url release_data_url(kReleaseDataBaseUrl, product), the fetch time.
Result<ReleaseData> parse_release_data(const RawResponse& response);

// Returns `<base_url>/releases/<product>.json`, trailing slashes of `base_url` ignored.
std::string release_data_url(std::string_view base_url, std::string_view product);

}  // namespace uprank::fetch
