#include "fetchers/snapshot.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fetchers/content_hash.h"
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

// Bodies are raw vendor bytes; replace invalid UTF-8 instead of failing the export.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<Snapshot> parse_snapshot(std::string_view text, const std::string& where) {
  auto parsed = parse_json(text, where, JsonLimits{kMaxSnapshotBytes, 8});
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
  for (size_t i = 0; i < responses->size(); ++i) {
    const json& entry = (*responses)[i];
    const std::string at = "responses[" + std::to_string(i) + "]";
    const json* status = json_member(entry, "status");
    const json* body = json_member(entry, "body");
    RawResponse response;
    response.source = json_string(entry, "source");
    response.key = json_string(entry, "key");
    if (response.source.empty() || response.key.empty() || status == nullptr || !status->is_number_integer() ||
        body == nullptr || !body->is_string()) {
      return snapshot_error("bad_format", where,
                            at + ": needs string \"source\", \"key\", \"body\" and integer \"status\"");
    }
    response.url = json_string(entry, "url");
    response.status = status->get<int>();
    response.fetched_at = json_string(entry, "fetched_at");
    response.etag = optional_string(entry, "etag");
    response.last_modified = optional_string(entry, "last_modified");
    response.body = body->get<std::string>();
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
  return snapshot;
}

Result<Snapshot> read_snapshot(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return snapshot_error("unreadable", path, "cannot read snapshot: " + ec.message());
  if (size > kMaxSnapshotBytes) return snapshot_error("too_large", path, "snapshot is larger than 2 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return snapshot_error("unreadable", path, "cannot open snapshot");
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (!in) return snapshot_error("unreadable", path, "cannot read snapshot");
  return parse_snapshot(text, path);
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
           ",\"etag\":" + (r.etag ? dump(*r.etag) : "null") +
           ",\"last_modified\":" + (r.last_modified ? dump(*r.last_modified) : "null") + ",\"body\":" + dump(r.body) +
           "}";
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
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return snapshot_error("unwritable", path, "cannot create " + temporary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) return snapshot_error("unwritable", path, "cannot write " + temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return snapshot_error("unwritable", path, "cannot replace snapshot: " + ec.message());
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
