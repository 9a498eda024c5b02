#include "fetchers/snapshot.h"

#include <map>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include <openssl/evp.h>

#include "engine/base/terminal_text.h"
#include "engine/files/files.h"
#include "fetchers/content_hash.h"
#include "fetchers/http_client.h"
#include "fetchers/json_input.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

using nlohmann::json;

constexpr size_t kMaxSnapshotBytes = size_t{2} << 30;  // 2 GiB

Error snapshot_error(const std::string& code, const std::string& where, const std::string& message) {
  return make_error("uprank.snapshot." + code, where + ": " + message);
}

std::optional<std::string> optional_string(const json& object, const char* key) {
  const json* value = json_member(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

// Raw fields that are not UTF-8 go base64-encoded (raw_field, below), so `replace` can
// only touch names the store holds (source, key, url), never a body's bytes.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(std::max(length, 0)));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (text.size() / 4), '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '=' && padding < 2; --i) ++padding;
  out.resize(static_cast<size_t>(length) - padding);
  return out;
}

// Writes `"name":"value"`, or `"name_base64":"…"` when the raw bytes are not UTF-8 (a
// Latin-1 CSV, a binary ETag): JSON strings cannot carry them, and replacing them would
// change the content hash, so the snapshot would not import (docs/snapshot.md).
std::string raw_field(const std::string& name, const std::string& value) {
  if (is_valid_utf8(value)) return "\"" + name + "\":" + dump(value);
  return "\"" + name + "_base64\":\"" + base64_encode(value) + "\"";
}

// Reads a field written by raw_field: `name`, or `name_base64` decoded; nullopt when
// neither is a string (or the base64 is malformed, which `bad` then says).
std::optional<std::string> read_raw_field(const json& entry, const std::string& name, bool& bad) {
  if (const json* encoded = json_member(entry, (name + "_base64").c_str()); encoded != nullptr && encoded->is_string()) {
    auto decoded = base64_decode(encoded->get_ref<const std::string&>());
    if (!decoded) bad = true;
    return decoded;
  }
  return optional_string(entry, name.c_str());
}

// Whether `text` is a UTC time as uprank writes it: "2026-08-22T00:00:00Z".
bool is_utc_time(std::string_view text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

Result<Snapshot> parse_snapshot(std::string_view text, const std::string& where) {
  auto parsed = parse_json(text, where, JsonLimits{.max_bytes = kMaxSnapshotBytes, .max_depth = 8});
  if (!parsed) return snapshot_error("malformed", where, parsed.error().message.substr(where.size() + 2));
  const json& document = *parsed;
  if (json_string(document, "format") != kSnapshotFormat) {
    return snapshot_error("bad_format", where, "not an uprank snapshot (\"format\" must be \"uprank-snapshot\")");
  }
  const json* version = json_member(document, "format_version");
  if (version == nullptr || !version->is_number_integer() || version->get<int>() != kSnapshotFormatVersion) {
    return snapshot_error("bad_version", where,
                          "unsupported format_version (this uprank reads version " +
                              std::to_string(kSnapshotFormatVersion) + ")");
  }
  Snapshot snapshot;
  snapshot.created_at = json_string(document, "created_at");
  snapshot.content_hash = json_string(document, "content_hash");
  const json* responses = json_member(document, "responses");
  if (responses == nullptr || !responses->is_array()) {
    return snapshot_error("bad_format", where, "\"responses\" must be an array");
  }
  snapshot.responses.reserve(responses->size());
  std::map<std::pair<std::string, std::string>, size_t> seen;  // (source, key) -> index
  for (size_t i = 0; i < responses->size(); ++i) {
    const json& entry = (*responses)[i];
    const std::string at = "responses[" + std::to_string(i) + "]";
    const json* status = json_member(entry, "status");
    bool bad_base64 = false;
    std::optional<std::string> body = read_raw_field(entry, "body", bad_base64);
    RawResponse response;
    response.source = json_string(entry, "source");
    response.key = json_string(entry, "key");
    if (response.source.empty() || response.key.empty() || status == nullptr || !status->is_number_integer() ||
        !body) {
      return snapshot_error("bad_format", where,
                            at + ": needs string \"source\", \"key\", \"body\" (or \"body_base64\") and integer \"status\"");
    }
    response.url = json_string(entry, "url");
    response.status = status->get<int>();
    response.fetched_at = json_string(entry, "fetched_at");
    response.etag = read_raw_field(entry, "etag", bad_base64);
    response.last_modified = read_raw_field(entry, "last_modified", bad_base64);
    if (bad_base64) return snapshot_error("bad_format", where, at + ": a \"…_base64\" field is not valid base64");
    // What an export writes, and nothing else: one successful answer per (source, key),
    // fetched no later than the snapshot was made.
    if (response.status < 200 || response.status > 299) {
      return snapshot_error("bad_format", where,
                            at + ": status " + std::to_string(response.status) + " is not a stored answer (200-299)");
    }
    if (!is_utc_time(response.fetched_at)) {
      return snapshot_error("bad_format", where, at + ": \"fetched_at\" must be a UTC time like 2026-08-22T00:00:00Z");
    }
    if (is_utc_time(snapshot.created_at) && response.fetched_at > snapshot.created_at) {
      return snapshot_error("bad_format", where,
                            at + ": fetched at " + response.fetched_at + ", after the snapshot was created (" +
                                snapshot.created_at + ")");
    }
    auto [previous, added] = seen.try_emplace({response.source, response.key}, i);
    if (!added) {
      return snapshot_error("bad_format", where,
                            at + ": a second answer for " + response.source + "/" + response.key + " (first at responses[" +
                                std::to_string(previous->second) + "])");
    }
    response.body = std::move(*body);
    snapshot.responses.push_back(std::move(response));
  }
  std::vector<const RawResponse*> pointers;
  for (const RawResponse& response : snapshot.responses) pointers.push_back(&response);
  std::string actual = content_hash(pointers);
  if (snapshot.content_hash != actual) {
    return snapshot_error("hash_mismatch", where,
                          "content hash " + snapshot.content_hash + " does not match the responses (" + actual +
                              "); the file is corrupt or was edited");
  }
  // Checked as written; kept and shown without credentials (a snapshot exported before a
  // parameter name was known to carry one). The content hash stays the file's.
  for (RawResponse& response : snapshot.responses) response.url = redact_url(response.url);
  return snapshot;
}

Result<Snapshot> read_snapshot(const std::string& path) {
  auto text = files::read_regular_file(path, kMaxSnapshotBytes);
  if (!text.ok()) {
    const bool too_large = text.error().code == "uprank.file.too_large";
    return snapshot_error(too_large ? "too_large" : "unreadable", path, "cannot read snapshot: " + text.error().message);
  }
  return parse_snapshot(*text, path);
}

namespace {

struct SerializedSnapshot {
  std::string text;
  std::string hash;
};

SerializedSnapshot serialize(std::vector<RawResponse> responses, const std::string& created_at) {
  std::sort(responses.begin(), responses.end(), [](const RawResponse& a, const RawResponse& b) {
    if (a.source != b.source) return a.source < b.source;
    return a.key < b.key;
  });
  for (RawResponse& response : responses) response.url = redact_url(response.url);  // exported: never a credential
  std::vector<const RawResponse*> pointers;
  for (const RawResponse& response : responses) pointers.push_back(&response);
  json header = json::object();
  header["format"] = kSnapshotFormat;
  header["format_version"] = kSnapshotFormatVersion;
  header["created_at"] = created_at;
  header["content_hash"] = content_hash(pointers);
  // Keys in a fixed order, one response per line, so snapshots diff well.
  std::string out = "{\"format\":" + dump(header["format"]) + ",\"format_version\":" + dump(header["format_version"]) +
                    ",\"created_at\":" + dump(header["created_at"]) + ",\"content_hash\":" +
                    dump(header["content_hash"]) + ",\"responses\":[\n";
  for (size_t i = 0; i < responses.size(); ++i) {
    const RawResponse& r = responses[i];
    out += "{\"source\":" + dump(r.source) + ",\"key\":" + dump(r.key) + ",\"url\":" + dump(r.url) +
           ",\"status\":" + std::to_string(r.status) + ",\"fetched_at\":" + dump(r.fetched_at) +
           "," + (r.etag ? raw_field("etag", *r.etag) : "\"etag\":null") + "," +
           (r.last_modified ? raw_field("last_modified", *r.last_modified) : "\"last_modified\":null") + "," +
           raw_field("body", r.body) + "}";
    out += i + 1 < responses.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  return {std::move(out), header["content_hash"].get<std::string>()};
}

}  // namespace

std::string serialize_snapshot(std::vector<RawResponse> responses, const std::string& created_at) {
  return serialize(std::move(responses), created_at).text;
}

Result<std::string> write_snapshot(const std::string& path, std::vector<RawResponse> responses,
                                   const std::string& created_at) {
  auto [text, hash] = serialize(std::move(responses), created_at);
  Status written = files::write_file_atomically(path, text);
  if (!written) return snapshot_error("unwritable", path, "cannot write snapshot: " + written.error().message);
  return hash;
}

Result<facts::FactSet> load_snapshot_facts(const std::string& path) {
  auto snapshot = read_snapshot(path);
  if (!snapshot) return snapshot.error();
  auto facts = facts_from_responses(snapshot->responses, "snapshot");
  if (!facts) return make_error(facts.error().code, path + ": " + facts.error().message);
  facts->content_hash = snapshot->content_hash;
  return facts;
}

}  // namespace uprank::fetch
