#include "fetchers/osv.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "fetchers/cvss.h"
#include "fetchers/json_input.h"
#include "fetchers/osv_stream.h"

namespace uprank::fetch {
namespace {

using nlohmann::json;

// RFC 3339 timestamps keep their date; Go's placeholder "0001-01-01T00:00:00Z" means unknown.
std::optional<Date> timestamp_date(const json& object, const char* key) {
  std::string text = json_string(object, key);
  if (text.size() < 10 || text.compare(0, 4, "0001") == 0) return std::nullopt;
  return Date::parse(std::string_view(text).substr(0, 10));
}

std::vector<std::pair<std::string, std::string>> read_severity(const json& object) {
  std::vector<std::pair<std::string, std::string>> out;
  const json* severity = json_member(object, "severity");
  if (severity == nullptr || !severity->is_array()) return out;
  for (const json& entry : *severity) {
    std::string type = json_string(entry, "type");
    std::string score = json_string(entry, "score");
    if (!type.empty() && !score.empty()) out.emplace_back(std::move(type), std::move(score));
  }
  return out;
}

// "an object", "a string", …: the kind of a JSON value, for messages.
std::string a_kind(const json& value) {
  std::string name = value.type_name();
  return (name == "object" || name == "array" ? "an " : "a ") + name;
}

}  // namespace

namespace internal {

void parse_osv_range(facts::AffectedRange& range, std::optional<versions::Scheme> package_scheme) {
  std::optional<versions::Scheme> scheme;
  if (range.type == "SEMVER") scheme = versions::Scheme::kSemver;
  if (range.type == "ECOSYSTEM") scheme = package_scheme;
  if (!scheme) return;
  // The version library may not support every scheme yet: the raw events remain.
  auto parsed = versions::Range::from_osv_events(*scheme, range.events);
  if (parsed) range.range = std::move(parsed).value();
}

}  // namespace internal

namespace {

// `path`: the entry's JSON path ("$.affected[2]"), for messages.
Result<facts::AffectedPackage> read_affected(const json& entry, const std::string& where, const std::string& path) {
  facts::AffectedPackage package;
  const json* pkg = json_member(entry, "package");
  if (pkg != nullptr) {
    package.ecosystem = json_string(*pkg, "ecosystem");
    package.name = json_string(*pkg, "name");
    package.purl = json_string(*pkg, "purl");
  }
  package.scheme = scheme_for_ecosystem(package.ecosystem);
  package.severity = read_severity(entry);
  if (const json* listed = json_member(entry, "versions"); listed != nullptr && !listed->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": " + path + ".versions must be an array, not " + a_kind(*listed));
  }
  package.versions = json_strings(entry, "versions");
  const json* ranges = json_member(entry, "ranges");
  if (ranges != nullptr && !ranges->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": " + path + ".ranges must be an array, not " + a_kind(*ranges));
  }
  if (ranges == nullptr) return package;
  for (size_t r = 0; r < ranges->size(); ++r) {
    const json& range_json = (*ranges)[r];
    const std::string range_path = path + ".ranges[" + std::to_string(r) + "]";
    facts::AffectedRange range;
    range.type = json_string(range_json, "type");
    range.repo = json_string(range_json, "repo");
    const json* events = json_member(range_json, "events");
    if (events == nullptr) {
      return make_error("uprank.fetch.bad_shape",
                        where + ": " + range_path + ": a range of " + package.name + " has no 'events' array");
    }
    if (!events->is_array()) {
      return make_error("uprank.fetch.bad_shape",
                        where + ": " + range_path + ".events must be an array, not " + a_kind(*events));
    }
    for (size_t e = 0; e < events->size(); ++e) {
      const json& event = (*events)[e];
      if (!event.is_object() || event.size() != 1 || !event.begin()->is_string()) {
        return make_error("uprank.fetch.bad_shape", where + ": " + range_path + ".events[" + std::to_string(e) +
                                                        "]: an event of " + package.name + " must be an object with one string");
      }
      range.events.push_back({event.begin().key(), event.begin()->get<std::string>()});
    }
    internal::parse_osv_range(range, package.scheme);
    package.ranges.push_back(std::move(range));
  }
  return package;
}

}  // namespace

std::optional<versions::Scheme> scheme_for_ecosystem(std::string_view ecosystem) {
  std::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  using versions::Scheme;
  if (base == "PyPI") return Scheme::kPep440;
  if (base == "npm") return Scheme::kNpm;
  if (base == "Go") return Scheme::kGolang;
  if (base == "Maven") return Scheme::kMaven;
  if (base == "RubyGems") return Scheme::kRubygems;
  if (base == "Alpine") return Scheme::kApk;  // also "Alpine:v3.19": the release follows the colon
  if (base == "NuGet") return Scheme::kNuget;
  if (base == "Packagist") return Scheme::kPackagist;
  if (base == "crates.io" || base == "Bitnami" || base == "Pub" || base == "Hex") {
    return Scheme::kSemver;
  }
  if (base == "Debian" || base == "Ubuntu") return Scheme::kDeb;
  if (base == "Red Hat" || base == "AlmaLinux" || base == "Rocky Linux" || base == "SUSE" || base == "openSUSE" ||
      base == "Mageia") {
    return Scheme::kRpm;
  }
  return std::nullopt;
}

namespace {

// What parse_osv_document() adds once the record's members are read: the CVSS vector it
// prefers and the evidence.
void finish_advisory(facts::Advisory& advisory, const std::string& fetched_at) {
  auto cvss = preferred_cvss(advisory.severity);
  for (const auto& package : advisory.affected) {  // Bitnami puts CVSS on each package
    if (cvss) break;
    cvss = preferred_cvss(package.severity);
  }
  if (cvss) {
    advisory.cvss_score = cvss->score.base;
    advisory.cvss_vector = std::move(cvss->vector);
  }
  advisory.evidence = {"osv", advisory.id, "https://osv.dev/vulnerability/" + advisory.id, fetched_at};
}

}  // namespace

Result<facts::Advisory> parse_osv_record(const RawResponse& response) {
  // The usual record is read straight from its text; anything else through the tree,
  // which says what is wrong with it (internal::read_osv_stream).
  facts::Advisory streamed;
  if (internal::read_osv_stream(response.body, JsonLimits{}, streamed)) {
    finish_advisory(streamed, response.fetched_at);
    return streamed;
  }
  const std::string where = response.url.empty() ? "osv/" + response.key : response.url;
  auto parsed = parse_json(response.body, where);
  if (!parsed) return parsed.error();
  return parse_osv_document(*parsed, where, response.fetched_at);
}

Result<facts::Advisory> parse_osv_document(const nlohmann::json& record, const std::string& where,
                                           const std::string& fetched_at) {
  if (!record.is_object()) return make_error("uprank.fetch.bad_shape", where + ": an OSV record must be an object");
  facts::Advisory advisory;
  advisory.id = json_string(record, "id");
  if (advisory.id.empty()) return make_error("uprank.fetch.bad_shape", where + ": OSV record has no 'id'");
  const std::string at = where + " (" + advisory.id + ")";
  advisory.summary = json_string(record, "summary");
  advisory.details = json_string(record, "details");
  advisory.published = timestamp_date(record, "published");
  advisory.modified = timestamp_date(record, "modified");
  advisory.withdrawn = timestamp_date(record, "withdrawn");
  advisory.aliases = json_strings(record, "aliases");
  advisory.severity = read_severity(record);
  if (const json* specific = json_member(record, "database_specific")) {
    advisory.severity_label = json_string(*specific, "severity");
  }
  const json* affected = json_member(record, "affected");
  if (affected != nullptr && !affected->is_array()) {
    return make_error("uprank.fetch.bad_shape", at + ": $.affected must be an array, not " + a_kind(*affected));
  }
  if (affected != nullptr) {
    for (size_t i = 0; i < affected->size(); ++i) {
      const json& entry = (*affected)[i];
      auto package = read_affected(entry, at, "$.affected[" + std::to_string(i) + "]");
      if (!package) return package.error();
      advisory.affected.push_back(std::move(package).value());
      // RustSec marks a notice per entry; its records name one crate, so the first
      // entry's kind is the record's.
      if (const json* specific = json_member(entry, "database_specific"); specific != nullptr && advisory.informational.empty()) {
        advisory.informational = json_string(*specific, "informational");
      }
    }
  }
  if (const json* references = json_member(record, "references"); references != nullptr && references->is_array()) {
    for (const json& reference : *references) {
      std::string url = json_string(reference, "url");
      if (!url.empty()) advisory.references.push_back({json_string(reference, "type"), std::move(url)});
    }
  }
  finish_advisory(advisory, fetched_at);
  return advisory;
}

std::string osv_querybatch_body(const std::vector<OsvQuery>& queries) {
  json body = json::object();
  json list = json::array();
  for (const OsvQuery& query : queries) {
    json item = json::object();
    if (!query.purl.empty()) {
      item["package"] = {{"purl", query.purl}};
    } else {
      item["package"] = {{"ecosystem", query.ecosystem}, {"name", query.name}};
    }
    if (!query.version.empty()) item["version"] = query.version;
    if (!query.page_token.empty()) item["page_token"] = query.page_token;
    list.push_back(std::move(item));
  }
  body["queries"] = std::move(list);
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<OsvBatchAnswer> parse_osv_querybatch(std::string_view body, size_t expected_results, const std::string& where) {
  auto parsed = parse_json(body, where);
  if (!parsed) return parsed.error();
  const json* results = json_member(*parsed, "results");
  if (results == nullptr || !results->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": querybatch response has no 'results' array");
  }
  if (results->size() != expected_results) {
    return make_error("uprank.fetch.bad_shape", where + ": querybatch returned " + std::to_string(results->size()) +
                                                    " results for " + std::to_string(expected_results) + " queries");
  }
  OsvBatchAnswer answer;
  std::set<std::string> ids;
  for (size_t i = 0; i < results->size(); ++i) {
    const json& result = (*results)[i];
    const std::string at = where + ": results[" + std::to_string(i) + "]";
    if (!result.is_object()) return make_error("uprank.fetch.bad_shape", at + " must be an object");
    std::string token = json_string(result, "next_page_token");
    constexpr size_t kMaxToken = 4096;
    if (token.size() > kMaxToken) return make_error("uprank.fetch.bad_field", at + ".next_page_token is too long");
    answer.next_page_tokens.push_back(std::move(token));
    const json* vulns = json_member(result, "vulns");
    if (vulns == nullptr) continue;
    if (!vulns->is_array()) return make_error("uprank.fetch.bad_shape", at + ".vulns must be an array");
    for (const json& vuln : *vulns) {
      std::string id = json_string(vuln, "id");
      if (!valid_osv_id(id)) return make_error("uprank.fetch.bad_field", at + ": invalid advisory id '" + id + "'");
      if (std::string modified = json_string(vuln, "modified"); !modified.empty()) answer.modified[id] = modified;
      ids.insert(std::move(id));
    }
  }
  answer.ids.assign(ids.begin(), ids.end());
  return answer;
}

bool valid_osv_id(std::string_view id) {
  // Starts with a letter or digit: "." and ".." are path segments, not ids.
  if (id.empty() || id.size() > 128 || !std::isalnum(static_cast<unsigned char>(id.front()))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
}

}  // namespace uprank::fetch
