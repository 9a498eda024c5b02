// Fetching sources into the store: builds each source's requests (conditional, from the
// stored validators), validates every body with the source's parser before it may replace
// stored data, and reports per source what was fetched, unchanged or failed.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/http_client.h"
#include "fetchers/osv.h"
#include "fetchers/store.h"

namespace uprank::fetch {

// What to fetch from one source and where from.
struct SourceSettings {
  std::string name;                       // one of known_sources()
  std::string url;                        // resolved base URL (kev: the feed URL)
  std::chrono::hours stale_after{168};
  std::vector<std::string> products;      // endoflife: empty = the stored ones, else all listed;
                                          // endoflife-releases: empty = its stored ones, else endoflife's
  std::vector<OsvQuery> packages;         // osv: empty = refresh the stored advisories
  std::vector<std::string> cves;          // epss: added to the CVEs of stored advisories
  std::vector<std::string> repositories;  // github: "owner/repo"
  std::string token;                      // github: GITHUB_TOKEN; only ever a request header
  int max_pages = 10;                     // pagination bound: github pages, osv querybatch pages
};

// Returns the public endpoint of `source` (used only when nothing overrides it).
std::string default_source_url(const std::string& source);

// Returns the base URL for `source`: $UPRANK_<NAME>_URL (NAME upper-cased, '-' as '_':
// UPRANK_ENDOFLIFE_RELEASES_URL), else `configured`, else the default.
std::string resolve_source_url(const std::string& source, const std::string& configured);

// Returns how old a source's data may get before reports warn (endoflife, endoflife-releases
// and github 7 days, kev/osv/epss 2 days).
std::chrono::hours default_stale_after(const std::string& source);

struct SourceReport {
  std::string source;
  size_t requested = 0;
  size_t fetched = 0;
  size_t unchanged = 0;
  size_t failed = 0;
  std::vector<Error> errors;             // one per failed request, never carrying a token
  std::vector<std::string> warnings;     // e.g. results truncated at the page bound
  bool answered = false;                 // every request needed was answered (an empty answer is data)
  bool has_data = false;                 // the store holds data for the source afterwards
  std::string oldest_fetched_at;         // of the source's stored data afterwards
};

// Called as requests finish: (source, done, total).
using FetchProgress = std::function<void(const std::string&, size_t, size_t)>;

// Fetches `settings` into `store`. Never throws, never replaces good data with a failed or
// malformed response; failures are recorded in the store's fetch log and the report.
SourceReport fetch_source(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                          const FetchProgress& progress = {});

// Marks each provenance entry whose oldest data is older than its source's limit as stale
// (`limits` by source; missing sources use default_stale_after).
void mark_stale(facts::FactSet& facts, std::chrono::system_clock::time_point now,
                const std::map<std::string, std::chrono::hours>& limits = {});

// Parses "YYYY-MM-DDTHH:MM:SSZ" (fractions and offsets other than Z are rejected).
std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(const std::string& text);

// Returns whether `product` is a safe endoflife product id ([a-z0-9._+-]+).
bool valid_product_id(const std::string& product);

}  // namespace uprank::fetch
