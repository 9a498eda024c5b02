#include "fetchers/importer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fetchers/epss.h"
#include "fetchers/osv.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return make_error("uprank.import.unreadable", path + ": " + ec.message());
  if (size > max_bytes) {
    return make_error("uprank.import.too_large", path + ": larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (!in) return make_error("uprank.import.unreadable", path + ": cannot read");
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

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status add_osv_record(std::string body, const std::string& where, const std::string& now,
                      std::vector<RawResponse>& out) {
  RawResponse response;
  response.source = "osv";
  response.url = "file://" + where;
  response.fetched_at = now;
  response.body = std::move(body);
  response.key = "import";
  auto advisory = parse_osv_record(response);
  if (!advisory) return make_error(advisory.error().code, where + ": " + advisory.error().message);
  if (!valid_osv_id(advisory->id)) return make_error("uprank.import.bad_id", where + ": invalid advisory id");
  response.key = advisory->id;
  out.push_back(std::move(response));
  return {};
}

Status import_one(const std::string& path, const std::string& now, const ImportLimits& limits,
                  std::vector<RawResponse>& out) {
  auto data = read_file(path, limits.max_file_bytes);
  if (!data) return data.error();
  if (ends_with(path, ".zip")) {
    auto entries = read_zip(*data, limits);
    if (!entries) return make_error(entries.error().code, path + ": " + entries.error().message);
    for (ZipEntry& entry : *entries) {
      if (!ends_with(entry.name, ".json")) continue;
      if (Status s = add_osv_record(std::move(entry.data), path + "!" + entry.name, now, out); !s) return s;
    }
    return {};
  }
  return add_osv_record(std::move(data).value(), path, now, out);
}

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
  if (count > limits.max_entries) return make_error("uprank.import.too_large", "too many zip entries");
  std::vector<ZipEntry> entries;
  size_t inflated_total = 0;
  size_t at = directory;
  for (size_t i = 0; i < count; ++i) {
    if (at + 46 > archive.size() || le32(archive, at) != 0x02014b50) {
      return make_error("uprank.import.corrupt", "damaged zip directory");
    }
    uint16_t method = le16(archive, at + 10);
    size_t compressed = le32(archive, at + 20);
    size_t size = le32(archive, at + 24);
    size_t name_length = le16(archive, at + 28);
    size_t extra_length = le16(archive, at + 30);
    size_t comment_length = le16(archive, at + 32);
    size_t local = le32(archive, at + 42);
    if (at + 46 + name_length > archive.size()) return make_error("uprank.import.corrupt", "damaged zip directory");
    std::string name(archive.substr(at + 46, name_length));
    at += 46 + name_length + extra_length + comment_length;
    if (!name.empty() && name.back() == '/') continue;  // a folder
    if (local + 30 > archive.size() || le32(archive, local) != 0x04034b50) {
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

Result<std::vector<RawResponse>> import_osv(const std::string& path, const std::string& now,
                                            const ImportLimits& limits) {
  std::vector<RawResponse> out;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string file = it->path().string();
      if (ends_with(file, ".json") || ends_with(file, ".zip")) files.push_back(file);
    }
    if (ec) return make_error("uprank.import.unreadable", path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      if (Status s = import_one(file, now, limits, out); !s) return s.error();
    }
    return out;
  }
  if (Status s = import_one(path, now, limits, out); !s) return s.error();
  return out;
}

Result<RawResponse> import_epss_csv(const std::string& path, const std::string& now, const ImportLimits& limits) {
  auto data = read_file(path, limits.max_file_bytes);
  if (!data) return data.error();
  RawResponse response;
  response.source = "epss";
  response.url = "file://" + path;
  response.fetched_at = now;
  if (ends_with(path, ".gz")) {
    auto text = inflate_bounded(*data, 16 + MAX_WBITS, limits.max_inflated_bytes, path);
    if (!text) return text.error();
    response.body = std::move(text).value();
  } else {
    response.body = std::move(data).value();
  }
  response.key = "csv/import";
  auto scores = parse_epss_csv(response);
  if (!scores) return scores.error();
  std::string date = "unknown";
  if (!scores->empty() && scores->begin()->second.date) date = scores->begin()->second.date->to_string();
  response.key = "csv/" + date;
  return response;
}

}  // namespace uprank::fetch
