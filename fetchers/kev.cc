#include "fetchers/kev.h"

#include <algorithm>

#include "fetchers/json_input.h"

namespace uprank::fetch {

namespace {

using nlohmann::json;

Status read_date(const json& entry, const char* key, std::optional<Date>& out, const std::string& where) {
  std::string text = json_string(entry, key);
  if (text.empty()) return {};
  auto date = Date::parse(text);
  if (!date) return make_error("uprank.fetch.bad_field", where + ": '" + key + "' is not a date: '" + text + "'");
  out = *date;
  return {};
}

}  // namespace

Result<KevCatalog> parse_kev_catalog(const RawResponse& response) {
  const std::string where = response.url.empty() ? "kev/" + response.key : response.url;
  auto parsed = parse_json(response.body, where);
  if (!parsed) return parsed.error();
  const json* vulnerabilities = json_member(*parsed, "vulnerabilities");
  if (vulnerabilities == nullptr || !vulnerabilities->is_array()) {
    return make_error("uprank.fetch.bad_shape", where + ": not a KEV catalog ('vulnerabilities' must be an array)");
  }
  KevCatalog catalog;
  catalog.catalog_version = json_string(*parsed, "catalogVersion");
  catalog.date_released = json_string(*parsed, "dateReleased");
  for (const json& item : *vulnerabilities) {
    facts::KevEntry entry;
    entry.cve = json_string(item, "cveID");
    if (entry.cve.empty()) return make_error("uprank.fetch.bad_shape", where + ": a KEV entry has no 'cveID'");
    const std::string at = where + " (" + entry.cve + ")";
    entry.vendor = json_string(item, "vendorProject");
    entry.product = json_string(item, "product");
    entry.name = json_string(item, "vulnerabilityName");
    entry.required_action = json_string(item, "requiredAction");
    entry.short_description = json_string(item, "shortDescription");
    entry.known_ransomware_use = json_string(item, "knownRansomwareCampaignUse") == "Known";
    if (Status s = read_date(item, "dateAdded", entry.date_added, at); !s) return s.error();
    if (Status s = read_date(item, "dueDate", entry.due_date, at); !s) return s.error();
    entry.cwes = json_strings(item, "cwes");
    entry.evidence = {"kev", entry.cve,
                      "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=" + entry.cve,
                      response.fetched_at};
    catalog.entries[entry.cve] = std::move(entry);
  }
  return catalog;
}

}  // namespace uprank::fetch

namespace uprank::fetch {
namespace {

// Splits one RFC 4180 record starting at `at` (quoted fields may hold commas, doubled
// quotes and line breaks); advances `at` and `line` past it.
Result<std::vector<std::string>> next_csv_record(std::string_view text, size_t& at, size_t& line,
                                                 const std::string& where) {
  constexpr size_t kMaxFields = 64;
  std::vector<std::string> fields(1);
  const size_t first_line = line;
  bool quoted = false;
  while (at < text.size()) {
    char c = text[at++];
    if (quoted) {
      if (c == '"') {
        if (at < text.size() && text[at] == '"') {
          fields.back() += '"';
          ++at;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
      continue;
    }
    if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      if (fields.size() == kMaxFields) {
        return make_error("uprank.fetch.bad_shape", where + ":" + std::to_string(first_line) + ": too many fields");
      }
      fields.emplace_back();
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) {
    return make_error("uprank.fetch.bad_shape", where + ":" + std::to_string(first_line) + ": unterminated quoted field");
  }
  return fields;
}

}  // namespace

Result<std::string> kev_catalog_json_from_csv(std::string_view csv, const std::string& where) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);  // a UTF-8 byte order mark
  size_t at = 0;
  size_t line = 1;
  auto header = next_csv_record(csv, at, line, where);
  if (!header) return header.error();
  if (header->size() < 2 || (*header)[0] != "cveID" || (*header)[1] != "vendorProject") {
    return make_error("uprank.fetch.bad_shape", where + ":1: not a KEV CSV (the header must start 'cveID,vendorProject')");
  }
  json vulnerabilities = json::array();
  std::string newest_added;
  while (at < csv.size()) {
    const size_t record_line = line;
    auto fields = next_csv_record(csv, at, line, where);
    if (!fields) return fields.error();
    if (fields->size() == 1 && fields->front().empty()) continue;  // a blank line
    if (fields->size() != header->size()) {
      return make_error("uprank.fetch.bad_shape", where + ":" + std::to_string(record_line) + ": " +
                                                      std::to_string(fields->size()) + " fields, the header has " +
                                                      std::to_string(header->size()));
    }
    json entry = json::object();
    for (size_t i = 0; i < header->size(); ++i) {
      const std::string& name = (*header)[i];
      std::string& value = (*fields)[i];
      if (name == "cwes") {  // "CWE-59, CWE-436" in the CSV, an array in the JSON feed
        json cwes = json::array();
        for (size_t start = 0; start < value.size();) {
          size_t comma = std::min(value.find(',', start), value.size());
          std::string cwe = value.substr(start, comma - start);
          cwe.erase(0, cwe.find_first_not_of(' '));
          cwe.erase(cwe.find_last_not_of(' ') + 1);
          if (!cwe.empty()) cwes.push_back(std::move(cwe));
          start = comma + 1;
        }
        entry[name] = std::move(cwes);
      } else {
        if (name == "dateAdded" && value > newest_added) newest_added = value;
        entry[name] = std::move(value);
      }
    }
    vulnerabilities.push_back(std::move(entry));
  }
  std::string version = newest_added;
  std::replace(version.begin(), version.end(), '-', '.');
  json catalog = {{"title", "CISA Catalog of Known Exploited Vulnerabilities"},
                  {"catalogVersion", version},
                  {"dateReleased", ""},
                  {"count", vulnerabilities.size()},
                  {"vulnerabilities", std::move(vulnerabilities)}};
  return catalog.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace uprank::fetch
