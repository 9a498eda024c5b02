#include "fetchers/importer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>

#include "engine/files/files.h"
#include "fetchers/csaf.h"
#include "fetchers/endoflife_releases.h"
#include "fetchers/epss.h"
#include "fetchers/fetcher.h"
#include "fetchers/json_input.h"
#include "fetchers/kev.h"
#include "fetchers/osv.h"
#include "fetchers/yaml_input.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  auto data = files::read_regular_file(path, max_bytes);
  if (!data.ok()) {
    const bool too_large = data.error().code == "uprank.file.too_large";
    return make_error(too_large ? "uprank.import.too_large" : "uprank.import.unreadable", data.error().to_string());
  }
  return data;
}

// Inflates raw deflate (zip) or gzip (window_bits 16 + MAX_WBITS) data.
Result<std::string> inflate_bounded(std::string_view data, int window_bits, size_t max_bytes, const std::string& where) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) return make_error("uprank.import.corrupt", where + ": zlib init failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      return make_error("uprank.import.corrupt", where + ": corrupt compressed data");
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      return make_error("uprank.import.too_large", where + ": decompresses to more than " + std::to_string(max_bytes) +
                                                       " bytes");
    }
    if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      return make_error("uprank.import.corrupt", where + ": compressed data ends early");
    }
  }
  inflateEnd(&stream);
  return out;
}

uint32_t le32(std::string_view data, size_t at) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(data[at + static_cast<size_t>(i)]);
  return value;
}
uint16_t le16(std::string_view data, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(data[at]) | (static_cast<unsigned char>(data[at + 1]) << 8));
}

uint64_t le64(std::string_view data, size_t at) { return le32(data, at) | (uint64_t{le32(data, at + 4)} << 32); }

// Reads the ZIP64 extra field (id 1) of a central directory entry: it holds, in this order,
// those of the sizes and the local header offset whose 32-bit fields are 0xFFFFFFFF.
bool read_zip64_extra(std::string_view extra, size_t& size, size_t& compressed, size_t& local) {
  while (extra.size() >= 4) {
    size_t id = le16(extra, 0);
    size_t length = le16(extra, 2);
    if (4 + length > extra.size()) return false;
    if (id == 1) {
      size_t at = 4;
      for (size_t* field : {&size, &compressed, &local}) {
        if (*field != 0xFFFFFFFF) continue;
        if (at + 8 > 4 + length) return false;
        *field = le64(extra, at);
        at += 8;
      }
      return true;
    }
    extra.remove_prefix(4 + length);
  }
  return false;
}

// A parsed document and what it holds.
struct Classified {
  FeedFormat format;
  nlohmann::json document;  // JSON and YAML formats: the parsed record or catalog
};

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Returns the first line of `text` that is neither blank nor a "#" comment, without its end.
std::string_view first_data_line(std::string_view text) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') return line;
  }
  return {};
}

Result<FeedFormat> document_format(const nlohmann::json& document, bool yaml, const std::string& where) {
  const char* kind = yaml ? "YAML" : "JSON";
  if (document.is_object()) {
    const nlohmann::json* vulnerabilities = json_member(document, "vulnerabilities");
    if (json_member(document, "catalogVersion") != nullptr && vulnerabilities != nullptr &&
        vulnerabilities->is_array()) {
      if (yaml) return make_error("uprank.import.unrecognised", where + ": a KEV catalog must be JSON, not YAML");
      return FeedFormat::kKevJson;
    }
    const nlohmann::json* csaf = json_member(document, "document");
    if (csaf != nullptr && csaf->is_object() && json_member(*csaf, "csaf_version") != nullptr) {
      if (yaml) return make_error("uprank.import.unrecognised", where + ": a CSAF document must be JSON, not YAML");
      return FeedFormat::kCsafJson;
    }
    const nlohmann::json* id = json_member(document, "id");
    if (id != nullptr && id->is_string() && json_member(document, "modified") != nullptr) {
      return yaml ? FeedFormat::kOsvYaml : FeedFormat::kOsvJson;
    }
    const nlohmann::json* releases = json_member(document, "releases");
    const nlohmann::json* versions = json_member(document, "versions");
    if (!yaml && releases != nullptr && releases->is_object() && versions != nullptr && versions->is_object()) {
      return FeedFormat::kReleaseDataJson;
    }
  }
  return make_error("uprank.import.unrecognised",
                    where + ": " + kind + " but neither a KEV catalog ('catalogVersion' and 'vulnerabilities'), "
                                           "an OSV record ('id' and 'modified') nor an endoflife.date release-data "
                                           "file ('releases' and 'versions' objects)");
}

Result<Classified> classify(std::string_view content, const std::string& where) {
  if (starts_with(content, "\xEF\xBB\xBF")) content.remove_prefix(3);
  size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error("uprank.import.unrecognised", where + ": empty file");
  if (content.find('\0') != std::string_view::npos) {
    return make_error("uprank.import.unrecognised", where + ": binary data that is neither gzip nor zip");
  }
  if (content[first] == '{' || content[first] == '[') {
    auto document = parse_json(content, where);
    if (!document) return make_error("uprank.import.unrecognised", document.error().message);
    auto format = document_format(*document, false, where);
    if (!format) return format.error();
    return Classified{*format, std::move(document).value()};
  }
  std::string_view header = first_data_line(content);
  if (starts_with(header, "cve,epss,percentile")) return Classified{FeedFormat::kEpssCsv, {}};
  if (starts_with(header, "cveID,vendorProject")) return Classified{FeedFormat::kKevCsv, {}};
  auto document = parse_yaml_as_json(content, where);
  if (!document && document.error().code == "uprank.fetch.too_large") {
    return make_error("uprank.import.too_large", document.error().message);  // YAML, but over a limit: say which
  }
  if (!document) {
    std::string why = document.error().message;  // "<where>:6:15: malformed YAML: …"
    if (starts_with(why, where)) why.erase(0, where.size() + 1);
    return make_error("uprank.import.unrecognised", where + ": not JSON, no KEV ('cveID,vendorProject') or EPSS "
                                                            "('cve,epss,percentile') CSV header, and not YAML (" +
                                                        why + ")");
  }
  auto format = document_format(*document, true, where);
  if (!format) return format.error();
  return Classified{*format, std::move(document).value()};
}

// Walks one import: files, their archives and the summary, until the first bad record.
class Importer {
 public:
  Importer(const std::string& now, const ImportLimits& limits) : now_(now), limits_(limits) {}

  // Imports `data` read from `where`. `named` is true for a file the user named, whose
  // failure to classify is an error rather than a skip.
  Status add(std::string data, const std::string& where, bool named, int archive_depth = 0) {
    if (starts_with(data, "\x1F\x8B")) {
      if (archive_depth > 0) return skip(where, "an archive inside an archive is not opened", named);
      auto text = inflate_bounded(data, 16 + MAX_WBITS, limits_.max_inflated_bytes, where);
      if (!text) return text.error();
      return add(std::move(text).value(), where, named, archive_depth + 1);
    }
    if (starts_with(data, "PK\x03\x04") || starts_with(data, "PK\x05\x06")) {
      if (archive_depth > 0) return skip(where, "an archive inside an archive is not opened", named);
      auto entries = read_zip(data, limits_);
      if (!entries) return make_error(entries.error().code, where + ": " + entries.error().message);
      data.clear();
      for (ZipEntry& entry : *entries) {
        if (Status s = add(std::move(entry.data), where + "!" + entry.name, false, archive_depth + 1); !s) return s;
      }
      return {};
    }
    auto classified = classify(data, where);
    if (!classified) {
      if (named) return classified.error();
      std::string reason = classified.error().message;
      if (starts_with(reason, where + ": ")) reason.erase(0, where.size() + 2);
      return skip(where, reason, false);
    }
    RawResponse response;
    response.url = "file://" + where;
    response.fetched_at = now_;
    switch (classified->format) {
      case FeedFormat::kKevJson:
        response.body = std::move(data);
        return add_kev(std::move(response));
      case FeedFormat::kKevCsv: {
        auto catalog = kev_catalog_json_from_csv(data, where);
        if (!catalog) return catalog.error();
        response.body = std::move(catalog).value();
        return add_kev(std::move(response));
      }
      case FeedFormat::kOsvJson:
        response.body = std::move(data);
        return add_osv(std::move(response), where);
      case FeedFormat::kOsvYaml:
        response.body = classified->document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return add_osv(std::move(response), where);
      case FeedFormat::kEpssCsv:
        response.body = std::move(data);
        return add_epss(std::move(response));
      case FeedFormat::kReleaseDataJson:
        response.body = std::move(data);
        return add_release_data(std::move(response), where);
      case FeedFormat::kCsafJson:
        response.body = std::move(data);
        return add_csaf(std::move(response), where, named);
    }
    return {};
  }

  Status add_file(const std::string& path, bool named) {
    auto data = read_file(path, limits_.max_file_bytes);
    if (!data) return data.error();
    return add(std::move(data).value(), path, named);
  }

  ImportedFeeds take() { return std::move(out_); }

 private:
  Status skip(const std::string& where, const std::string& reason, bool named) {
    if (named) return make_error("uprank.import.unrecognised", where + ": " + reason);
    out_.summary.skipped.push_back(where + ": " + reason);
    return {};
  }

  void count(const std::string& source, size_t records) {
    out_.summary.records[source] += records;
    ++out_.summary.files[source];
  }

  Status add_kev(RawResponse response) {
    response.source = "kev";
    response.key = "catalog";  // as the KEV fetcher stores it
    auto catalog = parse_kev_catalog(response);
    if (!catalog) return catalog.error();
    ++out_.summary.files["kev"];
    out_.summary.records["kev"] = catalog->entries.size();
    if (kev_at_) {  // the store keeps one catalog: the later file replaces the earlier one
      RawResponse& earlier = out_.responses[*kev_at_];
      out_.summary.skipped.push_back(earlier.url.substr(7) + ": replaced by the KEV catalog of " + response.url.substr(7));
      earlier = std::move(response);
      return {};
    }
    kev_at_ = out_.responses.size();
    out_.responses.push_back(std::move(response));
    return {};
  }

  Status add_osv(RawResponse response, const std::string& where) {
    response.source = "osv";
    response.key = "import";
    auto advisory = parse_osv_record(response);
    if (!advisory) return advisory.error();
    if (!valid_osv_id(advisory->id)) return make_error("uprank.import.bad_id", where + ": invalid advisory id");
    for (const facts::AffectedPackage& package : advisory->affected) {
      std::string ecosystem = package.ecosystem.empty() ? "(no ecosystem)" : package.ecosystem;
      if (!package.scheme) {
        ++out_.summary.unknown_ecosystems[ecosystem];
        continue;
      }
      for (const facts::AffectedRange& range : package.ranges) {
        if ((range.type == "SEMVER" || range.type == "ECOSYSTEM") && !range.range) {
          ++out_.summary.unreadable_ranges[ecosystem];
        }
      }
    }
    response.key = advisory->id;
    count("osv", 1);
    out_.responses.push_back(std::move(response));
    return {};
  }

  // A provider directory (a CSAF trusted provider's mirror) holds many documents: one that
  // fails validation is skipped with its JSON pointer and reason, not fatal to the rest.
  Status add_csaf(RawResponse response, const std::string& where, bool named) {
    auto document = parse_csaf(response.body, where);
    if (!document) {
      if (named) return document.error();
      ++out_.summary.invalid["csaf"];
      std::string reason = document.error().message;
      if (starts_with(reason, where + ": ")) reason.erase(0, where.size() + 2);
      return skip(where, "invalid CSAF: " + reason, false);
    }
    response.source = "csaf";
    response.key = document->tracking_id;
    count("csaf", 1);
    out_.responses.push_back(std::move(response));
    return {};
  }

  // A release-data file holds no product name: the repository names each file after its
  // endoflife product (releases/postgresql.json), so the file or zip entry name gives the key.
  Status add_release_data(RawResponse response, const std::string& where) {
    response.source = kReleaseDataSource;
    response.key = product_from_file_name(where);
    if (!valid_product_id(response.key)) {
      return make_error("uprank.import.bad_id", where + ": a release-data file is named after its endoflife product "
                                                        "(postgresql.json); '" + response.key + "' is no product id");
    }
    auto data = parse_release_data(response);
    if (!data) return data.error();
    for (const std::string& reason : data->skipped) out_.summary.skipped.push_back(where + ": " + reason);
    // Two files for one product (a folder and a zip of it): the later replaces the earlier.
    auto earlier = std::find_if(out_.responses.begin(), out_.responses.end(), [&](const RawResponse& r) {
      return r.source == response.source && r.key == response.key;
    });
    count(kReleaseDataSource, data->releases.versions.size());
    if (earlier != out_.responses.end()) {
      out_.summary.skipped.push_back(earlier->url.substr(7) + ": replaced by the release-data of " + where);
      *earlier = std::move(response);
      return {};
    }
    out_.responses.push_back(std::move(response));
    return {};
  }

  static std::string product_from_file_name(std::string name) {
    if (size_t bang = name.rfind('!'); bang != std::string::npos) name.erase(0, bang + 1);
    if (size_t slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    for (std::string_view suffix : {".gz", ".json"}) {
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        name.erase(name.size() - suffix.size());
      }
    }
    return name;
  }

  Status add_epss(RawResponse response) {
    response.source = "epss";
    response.key = "csv/import";
    auto scores = parse_epss_csv(response);
    if (!scores) return scores.error();
    std::string date = "unknown";
    if (!scores->empty() && scores->begin()->second.date) date = scores->begin()->second.date->to_string();
    response.key = "csv/" + date;
    count("epss", scores->size());
    out_.responses.push_back(std::move(response));
    return {};
  }

  const std::string& now_;
  const ImportLimits& limits_;
  ImportedFeeds out_;
  std::optional<size_t> kev_at_;  // index of the KEV catalog in out_.responses
};

}  // namespace

Result<std::string> gunzip(std::string_view data, size_t max_bytes) {
  return inflate_bounded(data, 16 + MAX_WBITS, max_bytes, "gzip");
}

Result<std::vector<ZipEntry>> read_zip(std::string_view archive, const ImportLimits& limits) {
  // Find the end-of-central-directory record (it may be followed by a comment).
  if (archive.size() < 22) return make_error("uprank.import.corrupt", "not a zip archive");
  size_t eocd = std::string_view::npos;
  size_t lowest = archive.size() > 22 + 65535 ? archive.size() - 22 - 65535 : 0;
  for (size_t at = archive.size() - 22 + 1; at-- > lowest;) {
    if (le32(archive, at) == 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return make_error("uprank.import.corrupt", "not a zip archive (no directory)");
  size_t count = le16(archive, eocd + 10);
  size_t directory = le32(archive, eocd + 16);
  // ZIP64 (past 65,535 entries, as osv.dev's larger dumps are): the classic record holds
  // 0xFFFF / 0xFFFFFFFF and a locator just before it points at the ZIP64 record.
  if ((count == 0xFFFF || directory == 0xFFFFFFFF) && eocd >= 20 && le32(archive, eocd - 20) == 0x07064b50) {
    uint64_t record = le64(archive, eocd - 20 + 8);
    if (archive.size() < 56 || record > archive.size() - 56 || le32(archive, record) != 0x06064b50) {
      return make_error("uprank.import.corrupt", "damaged zip64 directory");
    }
    count = le64(archive, record + 32);
    directory = le64(archive, record + 48);
  }
  if (count > limits.max_entries) return make_error("uprank.import.too_large", "too many zip entries");
  std::vector<ZipEntry> entries;
  size_t inflated_total = 0;
  size_t at = directory;
  for (size_t i = 0; i < count; ++i) {
    if (at > archive.size() || archive.size() - at < 46 || le32(archive, at) != 0x02014b50) {
      return make_error("uprank.import.corrupt", "damaged zip directory");
    }
    uint16_t method = le16(archive, at + 10);
    size_t compressed = le32(archive, at + 20);
    size_t size = le32(archive, at + 24);
    size_t name_length = le16(archive, at + 28);
    size_t extra_length = le16(archive, at + 30);
    size_t comment_length = le16(archive, at + 32);
    size_t local = le32(archive, at + 42);
    if (at + 46 + name_length + extra_length > archive.size()) {
      return make_error("uprank.import.corrupt", "damaged zip directory");
    }
    std::string name(archive.substr(at + 46, name_length));
    if (size == 0xFFFFFFFF || compressed == 0xFFFFFFFF || local == 0xFFFFFFFF) {
      if (!read_zip64_extra(archive.substr(at + 46 + name_length, extra_length), size, compressed, local)) {
        return make_error("uprank.import.corrupt", name + ": damaged zip64 extra field");
      }
    }
    at += 46 + name_length + extra_length + comment_length;
    if (!name.empty() && name.back() == '/') continue;  // a folder
    if (local > archive.size() || archive.size() - local < 30 || le32(archive, local) != 0x04034b50) {
      return make_error("uprank.import.corrupt", name + ": damaged zip entry");
    }
    size_t data_at = local + 30 + le16(archive, local + 26) + le16(archive, local + 28);
    if (data_at > archive.size() || compressed > archive.size() - data_at) {
      return make_error("uprank.import.corrupt", name + ": zip entry runs past the end");
    }
    std::string_view raw = archive.substr(data_at, compressed);
    ZipEntry entry;
    entry.name = name;
    if (method == 0) {
      entry.data = std::string(raw);
    } else if (method == 8) {
      auto inflated = inflate_bounded(raw, -MAX_WBITS, std::min(limits.max_inflated_bytes - inflated_total, size + 1), name);
      if (!inflated) return inflated.error();
      entry.data = std::move(inflated).value();
    } else {
      return make_error("uprank.import.unsupported", name + ": zip compression method " + std::to_string(method));
    }
    inflated_total += entry.data.size();
    if (inflated_total > limits.max_inflated_bytes) return make_error("uprank.import.too_large", "zip inflates too far");
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<FeedFormat> classify_feed(std::string_view content, const std::string& where) {
  auto classified = classify(content, where);
  if (!classified) return classified.error();
  return classified->format;
}

Result<ImportedFeeds> import_feeds(const std::string& path, const std::string& now, const ImportLimits& limits) {
  Importer importer(now, limits);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (Status s = importer.add_file(path, true); !s) return s.error();
    return importer.take();
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    if (files.size() == limits.max_files) {
      return make_error("uprank.import.too_large", path + ": more than " + std::to_string(limits.max_files) + " files");
    }
    files.push_back(it->path().string());
  }
  if (ec) return make_error("uprank.import.unreadable", path + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    if (Status s = importer.add_file(file, false); !s) return s.error();
  }
  return importer.take();
}

}  // namespace uprank::fetch
