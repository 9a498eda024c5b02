// Offline import: OSV JSON files, directories and ecosystem zip dumps, and the EPSS daily
// CSV (plain or gzip), turned into raw responses that the store takes like fetched ones.
#pragma once

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
};

// Reads OSV records from `path`: a .json file, a .zip dump (one record per entry), or a
// directory walked for both. Every record is validated; the first bad one is an error
// naming the file (and the zip entry).
Result<std::vector<RawResponse>> import_osv(const std::string& path, const std::string& now,
                                            const ImportLimits& limits = {});

// Reads an EPSS daily CSV (".csv" or ".csv.gz") into one response keyed "csv/<score date>".
Result<RawResponse> import_epss_csv(const std::string& path, const std::string& now, const ImportLimits& limits = {});

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
