// Offline import of every feed uprank reads: the CISA KEV catalog (JSON or CSV), OSV records
// (JSON or YAML files, directories, ecosystem zip dumps), CSAF 2.0 advisories (files and
// provider directories), the EPSS daily CSV (plain or
// gzip) and endoflife.date release-data files. Files are classified by their content, never by their names, and become raw
// responses that the store takes exactly like fetched ones.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "fetchers/response.h"

namespace uprank::fetch {

struct ImportLimits {
  size_t max_file_bytes = size_t{512} << 20;     // one input file, compressed or not
  size_t max_inflated_bytes = size_t{2} << 30;   // everything decompressed from one file
  size_t max_entries = 2'000'000;                // zip entries
  size_t max_files = 1'000'000;                  // files visited in one directory walk
};

// The feeds a file can hold, told apart by content: KEV JSON has `catalogVersion` and a
// `vulnerabilities` array; the KEV CSV header starts "cveID,vendorProject"; an OSV record
// (JSON or YAML) has `id` and `modified`; the EPSS CSV header is "cve,epss,percentile"
// (after optional "#…" comment lines); an endoflife.date release-data file is a JSON object
// with `releases` and `versions` objects (its product comes from the file name, as the
// release-data repository names each file `releases/<product>.json`); a CSAF 2.0 document
// (JSON) has a `document` object with `csaf_version`.
enum class FeedFormat { kKevJson, kKevCsv, kOsvJson, kOsvYaml, kEpssCsv, kReleaseDataJson, kCsafJson };

// Returns the format of `content` (already decompressed). Errors with code
// "uprank.import.unrecognised" and a reason naming `where` when it is none of them.
Result<FeedFormat> classify_feed(std::string_view content, const std::string& where);

// What an import read, for the summary `uprank fetch --import` prints. Nothing is dropped
// in silence: files that are no feed, and OSV data uprank cannot compare, are counted here.
struct ImportSummary {
  // By source: KEV entries (of the one catalog kept), OSV records, EPSS scores,
  // endoflife-releases versions.
  std::map<std::string, size_t> records;
  std::map<std::string, size_t> files;  // by source: files and zip entries read
  // "file: reason" for walked files that hold no feed, for a KEV catalog or a product's
  // release-data that a later file replaced (the store keeps one), and for release-data
  // versions the parser skipped ("file: $.versions[\"1.2\"].date: …").
  std::vector<std::string> skipped;
  // Documents of a known format that failed validation inside a directory, by source
  // ("csaf"); each is also listed in `skipped` with its JSON pointer and reason.
  std::map<std::string, size_t> invalid;
  // OSV `affected[]` entries whose ecosystem has no version scheme uprank knows, by ecosystem.
  std::map<std::string, size_t> unknown_ecosystems;
  // OSV SEMVER/ECOSYSTEM ranges of a known scheme that the version library could not read,
  // by ecosystem (their raw events are kept; matching cannot use them).
  std::map<std::string, size_t> unreadable_ranges;
};

struct ImportedFeeds {
  std::vector<RawResponse> responses;  // kev "catalog", osv by advisory id, epss "csv/<date>",
                                       // endoflife-releases by product, csaf by tracking id
  ImportSummary summary;
};

// Imports `path`: a file (gzip or zip by their magic bytes, else classified by content) or a
// directory walked recursively in name order. A file named directly that holds no feed is an
// error; inside a directory or zip it is skipped and listed in the summary. Every record is
// validated by its source's parser; the first bad one is an error naming the file (and the
// zip entry). A KEV CSV becomes the JSON catalog the KEV fetcher stores.
Result<ImportedFeeds> import_feeds(const std::string& path, const std::string& now, const ImportLimits& limits = {});

// Receives the responses of an import as they are read (import_feeds_into).
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  // Takes one validated response. For an OSV record, `advisory_packages` are its
  // advisory_package_keys() (fetchers/to_facts.h) from the parse that validated it, so that
  // the store need not parse the body again; null for other sources. An error ends the import.
  virtual Status add(RawResponse response, const std::vector<std::string>* advisory_packages) = 0;
};

// An ImportSink that hands each response to `inner` on a thread of its own, through a
// queue of at most `capacity` responses, so that reading, inflating and validating the
// next records overlaps storing the last ones (on 100,000 OSV records SQLite's inserts are
// about half of an import's CPU, bench/import/run). `inner` sees the responses in the
// order add() took them, on one thread at a time. After `inner` fails, add() returns its
// error (the first one) and drops what it is given. finish() waits for the queue to empty
// and returns the first error, or ok; call it before using what `inner` wrote. The
// destructor finishes too. Memory: `capacity` responses beyond what `inner` holds.
class PipelinedSink final : public ImportSink {
 public:
  explicit PipelinedSink(ImportSink& inner, size_t capacity = 256);
  ~PipelinedSink() override;
  PipelinedSink(const PipelinedSink&) = delete;
  PipelinedSink& operator=(const PipelinedSink&) = delete;

  Status add(RawResponse response, const std::vector<std::string>* advisory_packages) override;
  Status finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// import_feeds() without holding the import: each record goes to `sink` once read and
// validated, and is forgotten (a zip dump is read from its file entry by entry). The KEV
// catalog and release-data files, which a later file of the same import replaces, reach the
// sink at the end. On an error the sink has seen part of the import: a store discards it
// by not committing (Store::Writer). Returns the summary.
Result<ImportSummary> import_feeds_into(const std::string& path, const std::string& now, ImportSink& sink,
                                        const ImportLimits& limits = {});

// Decompresses gzip data; errors on corrupt input or output beyond `max_bytes`.
Result<std::string> gunzip(std::string_view data, size_t max_bytes);

// One file inside a zip archive.
struct ZipEntry {
  std::string name;
  std::string data;
};

// Returns the files of a zip archive (stored or deflated entries), bounded by `limits`.
Result<std::vector<ZipEntry>> read_zip(std::string_view archive, const ImportLimits& limits);

}  // namespace uprank::fetch
