// The content hash of a set of responses: the same facts give the same hash whether
// they come from scripts/make-snapshot, `uprank snapshot export` or the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fetchers/response.h"

namespace uprank::fetch {

// Returns "sha256:<hex>" over `responses` in (source, key) byte order. Each response
// contributes source, key, url, status (decimal), fetched_at, etag, last_modified, body,
// each as a netstring "<byte length>:<bytes>," and an absent validator as "~,".
// docs/snapshot.md holds the normative definition.
std::string content_hash(std::vector<const RawResponse*> responses);

// Returns the lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace uprank::fetch
