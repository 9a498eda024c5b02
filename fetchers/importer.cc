#include "fetchers/importer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>

#include "engine/files/files.h"
#include "fetchers/csaf.h"
#include "fetchers/endoflife_releases.h"
#include "fetchers/epss.h"
#include "fetchers/fetcher.h"
#include "fetchers/json_input.h"
#include "fetchers/kev.h"
#include "fetchers/osv.h"
#include "fetchers/to_facts.h"
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

// Inflates a zip archive's raw deflate entries one after another, with one zlib state
// reset between them, straight into a string sized by the size the directory declares
// (which only sizes the first buffer: the data decides). Errors as inflate_bounded().
class EntryInflater {
 public:
  EntryInflater() = default;
  ~EntryInflater() {
    if (ready_) inflateEnd(&stream_);
  }
  EntryInflater(const EntryInflater&) = delete;
  EntryInflater& operator=(const EntryInflater&) = delete;

  Result<std::string> inflate(std::string_view data, size_t declared, size_t max_bytes, const std::string& where) {
    if (!ready_) {
      stream_ = z_stream{};
      if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) return make_error("uprank.import.corrupt", where + ": zlib init failed");
      ready_ = true;
    } else if (inflateReset(&stream_) != Z_OK) {
      return make_error("uprank.import.corrupt", where + ": zlib reset failed");
    }
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream_.avail_in = static_cast<uInt>(data.size());
    // One byte past the declared size, so that an entry of exactly that size ends in the
    // first buffer; never past max_bytes + 1, the first byte that is too many.
    std::string out(std::min(std::max<size_t>(declared, 64), max_bytes) + 1, '\0');
    size_t produced = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (produced == out.size()) out.resize(std::min(out.size() * 2, max_bytes + 1));
      const size_t room = std::min<size_t>(out.size() - produced, std::numeric_limits<uInt>::max());
      stream_.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      stream_.avail_out = static_cast<uInt>(room);
      rc = ::inflate(&stream_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) return make_error("uprank.import.corrupt", where + ": corrupt compressed data");
      produced += room - stream_.avail_out;
      if (produced > max_bytes) {
        return make_error("uprank.import.too_large",
                          where + ": decompresses to more than " + std::to_string(max_bytes) + " bytes");
      }
      if (rc == Z_OK && stream_.avail_in == 0 && stream_.avail_out != 0) {
        return make_error("uprank.import.corrupt", where + ": compressed data ends early");
      }
    }
    out.resize(produced);
    return out;
  }

 private:
  z_stream stream_{};
  bool ready_ = false;
};

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

// The bytes of a zip archive, read at any offset: held in memory, or read from the file
// piece by piece, so that a 50 MB dump of 100,000 records is never held whole.
class ArchiveBytes {
 public:
  virtual ~ArchiveBytes() = default;
  virtual size_t size() const = 0;
  // Returns the `length` bytes at `offset` (the caller keeps offset + length <= size()),
  // valid until `buffer` changes.
  virtual Result<std::string_view> read(size_t offset, size_t length, std::string& buffer) const = 0;
};

class MemoryBytes final : public ArchiveBytes {
 public:
  explicit MemoryBytes(std::string_view data) : data_(data) {}
  size_t size() const override { return data_.size(); }
  Result<std::string_view> read(size_t offset, size_t length, std::string&) const override {
    return data_.substr(offset, length);
  }

 private:
  std::string_view data_;
};

class FileBytes final : public ArchiveBytes {
 public:
  FileBytes(int fd, size_t size, const std::string& path) : fd_(fd), size_(size), path_(path) {}
  ~FileBytes() override { ::close(fd_); }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  size_t size() const override { return size_; }
  Result<std::string_view> read(size_t offset, size_t length, std::string& buffer) const override {
    buffer.resize(length);
    size_t done = 0;
    while (done < length) {
      ssize_t got = ::pread(fd_, buffer.data() + done, length - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return make_error("uprank.import.unreadable", path_ + ": read: " + std::strerror(errno));
      if (got == 0) return make_error("uprank.import.corrupt", path_ + ": the file ends early (changed while read?)");
      done += static_cast<size_t>(got);
    }
    return std::string_view(buffer);
  }

 private:
  int fd_;
  size_t size_;
  const std::string& path_;
};

// Reads a zip's central directory front to back, a window of 1 MiB at a time: a directory
// of 2,000,000 entries is 128 MB.
class DirectoryReader {
 public:
  explicit DirectoryReader(const ArchiveBytes& bytes) : bytes_(bytes) {}
  Result<std::string_view> read(size_t offset, size_t length) {
    if (offset >= base_ && offset - base_ <= window_.size() && length <= window_.size() - (offset - base_)) {
      return window_.substr(offset - base_, length);
    }
    constexpr size_t kWindow = size_t{1} << 20;
    auto got = bytes_.read(offset, std::max(length, std::min(kWindow, bytes_.size() - offset)), buffer_);
    if (!got) return got.error();
    base_ = offset;
    window_ = *got;
    return window_.substr(0, length);
  }

 private:
  const ArchiveBytes& bytes_;
  std::string buffer_;
  size_t base_ = 0;
  std::string_view window_;
};

// Calls `on_entry` with each file of a zip archive (stored or deflated entries), in
// directory order, bounded by `limits`; the archive's own errors are prefixed with
// `where`, `on_entry`'s are returned as they are.
Status walk_zip(const ArchiveBytes& archive, const ImportLimits& limits, const std::string& where,
                const std::function<Status(ZipEntry&&)>& on_entry) {
  auto error = [&](const char* code, const std::string& message) { return make_error(code, where + message); };
  // Find the end-of-central-directory record (it may be followed by a comment).
  if (archive.size() < 22) return error("uprank.import.corrupt", "not a zip archive");
  std::string buffer;
  size_t lowest = archive.size() > 22 + 65535 ? archive.size() - 22 - 65535 : 0;
  auto tail = archive.read(lowest, archive.size() - lowest, buffer);
  if (!tail) return tail.error();
  size_t eocd = std::string_view::npos;
  for (size_t at = archive.size() - 22 + 1; at-- > lowest;) {
    if (le32(*tail, at - lowest) == 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return error("uprank.import.corrupt", "not a zip archive (no directory)");
  size_t count = le16(*tail, eocd - lowest + 10);
  size_t directory = le32(*tail, eocd - lowest + 16);
  // ZIP64 (past 65,535 entries, as osv.dev's larger dumps are): the classic record holds
  // 0xFFFF / 0xFFFFFFFF and a locator just before it points at the ZIP64 record.
  if ((count == 0xFFFF || directory == 0xFFFFFFFF) && eocd >= 20) {
    auto locator = archive.read(eocd - 20, 20, buffer);
    if (!locator) return locator.error();
    if (le32(*locator, 0) == 0x07064b50) {
      uint64_t record_at = le64(*locator, 8);
      if (archive.size() < 56 || record_at > archive.size() - 56) return error("uprank.import.corrupt", "damaged zip64 directory");
      auto record = archive.read(record_at, 56, buffer);
      if (!record) return record.error();
      if (le32(*record, 0) != 0x06064b50) return error("uprank.import.corrupt", "damaged zip64 directory");
      count = le64(*record, 32);
      directory = le64(*record, 48);
    }
  }
  if (count > limits.max_entries) return error("uprank.import.too_large", "too many zip entries");
  DirectoryReader entries(archive);
  // The entries' local headers and data, read through a window of their own: a dump's
  // entries lie one after another, so 100,000 entries are 50 reads, not 200,000.
  DirectoryReader contents(archive);
  EntryInflater inflater;
  size_t inflated_total = 0;
  size_t at = directory;
  for (size_t i = 0; i < count; ++i) {
    if (at > archive.size() || archive.size() - at < 46) return error("uprank.import.corrupt", "damaged zip directory");
    auto header = entries.read(at, 46);
    if (!header) return header.error();
    if (le32(*header, 0) != 0x02014b50) return error("uprank.import.corrupt", "damaged zip directory");
    uint16_t method = le16(*header, 10);
    size_t compressed = le32(*header, 20);
    size_t size = le32(*header, 24);
    size_t name_length = le16(*header, 28);
    size_t extra_length = le16(*header, 30);
    size_t comment_length = le16(*header, 32);
    size_t local = le32(*header, 42);
    if (at + 46 + name_length + extra_length > archive.size()) {
      return error("uprank.import.corrupt", "damaged zip directory");
    }
    auto name_and_extra = entries.read(at + 46, name_length + extra_length);
    if (!name_and_extra) return name_and_extra.error();
    std::string name(name_and_extra->substr(0, name_length));
    if (size == 0xFFFFFFFF || compressed == 0xFFFFFFFF || local == 0xFFFFFFFF) {
      if (!read_zip64_extra(name_and_extra->substr(name_length), size, compressed, local)) {
        return error("uprank.import.corrupt", name + ": damaged zip64 extra field");
      }
    }
    at += 46 + name_length + extra_length + comment_length;
    if (!name.empty() && name.back() == '/') continue;  // a folder
    if (local > archive.size() || archive.size() - local < 30) {
      return error("uprank.import.corrupt", name + ": damaged zip entry");
    }
    auto local_header = contents.read(local, 30);
    if (!local_header) return local_header.error();
    if (le32(*local_header, 0) != 0x04034b50) return error("uprank.import.corrupt", name + ": damaged zip entry");
    size_t data_at = local + 30 + le16(*local_header, 26) + le16(*local_header, 28);
    if (data_at > archive.size() || compressed > archive.size() - data_at) {
      return error("uprank.import.corrupt", name + ": zip entry runs past the end");
    }
    auto raw = contents.read(data_at, compressed);
    if (!raw) return raw.error();
    ZipEntry entry;
    entry.name = std::move(name);
    if (method == 0) {
      entry.data = std::string(*raw);
    } else if (method == 8) {
      auto inflated =
          inflater.inflate(*raw, size, std::min(limits.max_inflated_bytes - inflated_total, size + 1), entry.name);
      if (!inflated) return make_error(inflated.error().code, where + inflated.error().message);
      entry.data = std::move(inflated).value();
    } else {
      return error("uprank.import.unsupported", entry.name + ": zip compression method " + std::to_string(method));
    }
    inflated_total += entry.data.size();
    if (inflated_total > limits.max_inflated_bytes) return error("uprank.import.too_large", "zip inflates too far");
    if (Status s = on_entry(std::move(entry)); !s) return s;
  }
  return {};
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

// Whether `data` might be an OSV record in JSON, for scan_osv_record: an object, of at
// most 16 MiB (larger JSON is some other document, parsed once as a tree).
bool might_be_osv_json(std::string_view data) {
  if (data.size() > (size_t{16} << 20)) return false;
  if (starts_with(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  size_t first = data.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && data[first] == '{';
}

// Walks one import: files, their archives and the summary, until the first bad record.
// Each OSV, CSAF and EPSS response goes to the sink as soon as it is read and validated;
// the KEV catalog and release-data files, which a later file of the same import replaces,
// are held until finish().
class Importer {
 public:
  Importer(const std::string& now, const ImportLimits& limits, ImportSink& sink)
      : now_(now), limits_(limits), sink_(sink) {}

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
      return add_zip(MemoryBytes(data), where, archive_depth);
    }
    // An OSV record (most of a dump) is read without building its tree; whatever else the
    // text is, it is classified from the tree below, as before.
    if (might_be_osv_json(data)) {
      auto scanned = scan_osv_record(data, "file://" + where);
      if (!scanned || *scanned) {
        RawResponse response;
        response.url = "file://" + where;
        response.fetched_at = now_;
        response.body = std::move(data);
        if (!scanned) return add_osv(std::move(response), where, scanned.error());
        return add_osv(std::move(response), where, std::move(**scanned));
      }
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
      case FeedFormat::kOsvJson: {
        response.body = std::move(data);
        auto advisory = parse_osv_document(classified->document, response.url, response.fetched_at);
        return add_osv(std::move(response), where, std::move(advisory));
      }
      case FeedFormat::kOsvYaml: {  // the body is the JSON dump, parsed again as a fetched record would be
        response.body = classified->document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        auto advisory = parse_osv_record(response);
        return add_osv(std::move(response), where, std::move(advisory));
      }
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
    // A zip is read entry by entry from the file, never whole.
    auto head = files::read_regular_file_head(path, 4);
    if (head.ok() && (starts_with(*head, "PK\x03\x04") || starts_with(*head, "PK\x05\x06"))) {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
      struct stat info {};
      if (fd >= 0 && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
          static_cast<uint64_t>(info.st_size) <= limits_.max_file_bytes) {
        return add_zip(FileBytes(fd, static_cast<size_t>(info.st_size), path), path, 0);
      }
      if (fd >= 0) ::close(fd);  // read_file says why it cannot be read
    }
    auto data = read_file(path, limits_.max_file_bytes);
    if (!data) return data.error();
    return add(std::move(data).value(), path, named);
  }

  // Sends the held KEV catalog and release-data to the sink; returns the summary.
  Result<ImportSummary> finish() {
    if (kev_) {
      if (Status s = sink_.add(std::move(*kev_), nullptr); !s) return s.error();
    }
    for (RawResponse& release_data : release_data_) {
      if (Status s = sink_.add(std::move(release_data), nullptr); !s) return s.error();
    }
    return std::move(summary_);
  }

 private:
  Status add_zip(const ArchiveBytes& archive, const std::string& where, int archive_depth) {
    return walk_zip(archive, limits_, where + ": ", [&](ZipEntry&& entry) {
      return add(std::move(entry.data), where + "!" + entry.name, false, archive_depth + 1);
    });
  }

  Status skip(const std::string& where, const std::string& reason, bool named) {
    if (named) return make_error("uprank.import.unrecognised", where + ": " + reason);
    summary_.skipped.push_back(where + ": " + reason);
    return {};
  }

  void count(const std::string& source, size_t records) {
    summary_.records[source] += records;
    ++summary_.files[source];
  }

  Status add_kev(RawResponse response) {
    response.source = "kev";
    response.key = "catalog";  // as the KEV fetcher stores it
    auto catalog = parse_kev_catalog(response);
    if (!catalog) return catalog.error();
    ++summary_.files["kev"];
    summary_.records["kev"] = catalog->entries.size();
    if (kev_) {  // the store keeps one catalog: the later file replaces the earlier one
      summary_.skipped.push_back(kev_->url.substr(7) + ": replaced by the KEV catalog of " + response.url.substr(7));
    }
    kev_ = std::move(response);
    return {};
  }

  // `advisory`: the record as parsed once (scan_osv_record, or parse_osv_document of the
  // tree classify() built), of which only the id and affected packages are read; its
  // advisory package keys go to the sink with it, for the store's index.
  Status add_osv(RawResponse response, const std::string& where, Result<facts::Advisory> advisory) {
    response.source = "osv";
    if (!advisory) return advisory.error();
    if (!valid_osv_id(advisory->id)) return make_error("uprank.import.bad_id", where + ": invalid advisory id");
    for (const facts::AffectedPackage& package : advisory->affected) {
      std::string ecosystem = package.ecosystem.empty() ? "(no ecosystem)" : package.ecosystem;
      if (!package.scheme) {
        ++summary_.unknown_ecosystems[ecosystem];
        continue;
      }
      for (const facts::AffectedRange& range : package.ranges) {
        if ((range.type == "SEMVER" || range.type == "ECOSYSTEM") && !range.range) {
          ++summary_.unreadable_ranges[ecosystem];
        }
      }
    }
    response.key = advisory->id;
    count("osv", 1);
    std::vector<std::string> packages = advisory_package_keys(*advisory);
    return sink_.add(std::move(response), &packages);
  }

  // A provider directory (a CSAF trusted provider's mirror) holds many documents: one that
  // fails validation is skipped with its JSON pointer and reason, not fatal to the rest.
  Status add_csaf(RawResponse response, const std::string& where, bool named) {
    auto document = parse_csaf(response.body, where);
    if (!document) {
      if (named) return document.error();
      ++summary_.invalid["csaf"];
      std::string reason = document.error().message;
      if (starts_with(reason, where + ": ")) reason.erase(0, where.size() + 2);
      return skip(where, "invalid CSAF: " + reason, false);
    }
    response.source = "csaf";
    response.key = document->tracking_id;
    count("csaf", 1);
    return sink_.add(std::move(response), nullptr);
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
    for (const std::string& reason : data->skipped) summary_.skipped.push_back(where + ": " + reason);
    // Two files for one product (a folder and a zip of it): the later replaces the earlier.
    auto earlier = std::find_if(release_data_.begin(), release_data_.end(),
                                [&](const RawResponse& r) { return r.key == response.key; });
    count(kReleaseDataSource, data->releases.versions.size());
    if (earlier != release_data_.end()) {
      summary_.skipped.push_back(earlier->url.substr(7) + ": replaced by the release-data of " + where);
      *earlier = std::move(response);
      return {};
    }
    release_data_.push_back(std::move(response));
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
    return sink_.add(std::move(response), nullptr);
  }

  const std::string& now_;
  const ImportLimits& limits_;
  ImportSink& sink_;
  ImportSummary summary_;
  std::optional<RawResponse> kev_;          // the one catalog kept: the last read
  std::vector<RawResponse> release_data_;   // one per product: the last read
};

// Collects what an import reads, for import_feeds().
class CollectingSink final : public ImportSink {
 public:
  explicit CollectingSink(std::vector<RawResponse>& out) : out_(out) {}
  Status add(RawResponse response, const std::vector<std::string>*) override {
    out_.push_back(std::move(response));
    return {};
  }

 private:
  std::vector<RawResponse>& out_;
};

}  // namespace

Result<std::string> gunzip(std::string_view data, size_t max_bytes) {
  return inflate_bounded(data, 16 + MAX_WBITS, max_bytes, "gzip");
}

Result<std::vector<ZipEntry>> read_zip(std::string_view archive, const ImportLimits& limits) {
  std::vector<ZipEntry> entries;
  Status walked = walk_zip(MemoryBytes(archive), limits, "", [&](ZipEntry&& entry) {
    entries.push_back(std::move(entry));
    return Status{};
  });
  if (!walked) return walked.error();
  return entries;
}

Result<FeedFormat> classify_feed(std::string_view content, const std::string& where) {
  auto classified = classify(content, where);
  if (!classified) return classified.error();
  return classified->format;
}

Result<ImportedFeeds> import_feeds(const std::string& path, const std::string& now, const ImportLimits& limits) {
  ImportedFeeds feeds;
  CollectingSink sink(feeds.responses);
  auto summary = import_feeds_into(path, now, sink, limits);
  if (!summary) return summary.error();
  feeds.summary = std::move(summary).value();
  return feeds;
}

Result<ImportSummary> import_feeds_into(const std::string& path, const std::string& now, ImportSink& sink,
                                        const ImportLimits& limits) {
  Importer importer(now, limits, sink);
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (Status s = importer.add_file(path, true); !s) return s.error();
    return importer.finish();
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
  return importer.finish();
}

}  // namespace uprank::fetch
