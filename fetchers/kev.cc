#include "fetchers/kev.h"

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
