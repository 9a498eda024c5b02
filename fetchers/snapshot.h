// uprank snapshots: a portable file of raw responses with a content hash, for the bundled
// demo data and for moving a store to an air-gapped machine (docs/snapshot.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

inline constexpr const char* kSnapshotFormat = "uprank-snapshot";
inline constexpr int kSnapshotFormatVersion = 1;

struct Snapshot {
  std::string created_at;            // ISO-8601 UTC
  std::string content_hash;          // "sha256:…", see content_hash.h
  std::vector<RawResponse> responses;  // in (source, key) order
};

// Parses snapshot text and verifies its format, version and content hash. Errors
// ("uprank.snapshot.*") name `where` and, for a bad entry, its index.
Result<Snapshot> parse_snapshot(std::string_view text, const std::string& where);

// Reads and parses the snapshot file at `path`.
Result<Snapshot> read_snapshot(const std::string& path);

// Returns the snapshot text for `responses`: sorted, hashed, one response per line.
std::string serialize_snapshot(std::vector<RawResponse> responses, const std::string& created_at);

// Writes a snapshot atomically (temporary file, then rename). Returns its content hash.
Result<std::string> write_snapshot(const std::string& path, std::vector<RawResponse> responses,
                                   const std::string& created_at);

// Reads the snapshot at `path` and parses every response through its source's parser.
// The FactSet carries the snapshot's content hash and per-source provenance.
Result<facts::FactSet> load_snapshot_facts(const std::string& path);

}  // namespace uprank::fetch

namespace uprank {
namespace fetchers = fetch;  // the CMake target is uprank::fetchers; both spellings work
}  // namespace uprank
