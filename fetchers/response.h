// A raw response as fetched, stored and exported: the unit that moves between the HTTP
// client, the store and snapshots, always parsed by the same per-source parser.
#pragma once

#include <optional>
#include <string>

namespace uprank::fetch {

// One stored response. `key` names what it holds inside its source: the product for
// endoflife, "catalog" for kev, the advisory id for osv, a batch or "csv/<date>" for
// epss, "owner/repo" for github (see docs/snapshot.md).
struct RawResponse {
  std::string source;
  std::string key;
  std::string url;                      // never carries credentials
  int status = 200;
  std::string fetched_at;               // ISO-8601 UTC, "2026-08-22T00:00:00Z"
  std::optional<std::string> etag;      // validators for conditional requests
  std::optional<std::string> last_modified;
  std::string body;
};

}  // namespace uprank::fetch
