// The content hash of a set of responses: the same facts give the same hash whether
// they come from scripts/make-snapshot, `uprank snapshot export` or the store.
#pragma once

#include <memory>
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

// content_hash() over responses given one at a time, already in (source, key) byte order
// (as the store reads them), so that a whole store is hashed without holding it.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;
  void add(const RawResponse& response);
  // Returns "sha256:<hex>" of what was added; the hasher is spent.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Returns the lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace uprank::fetch
