#include "fetchers/to_facts.h"

#include <algorithm>

#include "engine/inventory/identity.h"
#include "fetchers/csaf.h"
#include "fetchers/csaf_advisory.h"
#include "fetchers/endoflife.h"
#include "fetchers/endoflife_releases.h"
#include "fetchers/epss.h"
#include "fetchers/github.h"
#include "fetchers/kev.h"
#include "fetchers/osv.h"

namespace uprank::fetch {
namespace {

bool is_epss_csv(const RawResponse& response) { return response.key.rfind("csv/", 0) == 0; }

template <typename T>
Status as_status(const Result<T>& result) {
  if (!result) return result.error();
  return {};
}

// A body stored under a key must be about that key: an endoflife answer for another
// product, or an OSV record with another id, would give one product's facts to another.
Status check_key(const RawResponse& response, const std::string& named, const char* what) {
  if (named == response.key) return {};
  return make_error("uprank.fetch.wrong_key", "the body is for " + std::string(what) + " '" + named +
                                                  "', not the key '" + response.key + "' it is stored under");
}

}  // namespace

const std::vector<std::string>& known_sources() {
  static const std::vector<std::string> kSources = {"endoflife", kReleaseDataSource, "osv", "kev", "epss", "github"};
  return kSources;
}

std::string known_source_list() {
  std::string list;
  for (const std::string& source : known_sources()) list += (list.empty() ? "" : ", ") + source;
  return list;
}

std::optional<std::vector<std::string>> advisory_package_keys(const RawResponse& response) {
  if (response.source != "osv") return std::nullopt;
  auto advisory = parse_osv_record(response);
  if (!advisory || advisory->id != response.key) return std::nullopt;
  return advisory_package_keys(*advisory);
}

std::vector<std::string> advisory_package_keys(const facts::Advisory& advisory) {
  std::vector<std::string> keys;
  for (const facts::AffectedPackage& package : advisory.affected) {
    bool by_package = !package.ecosystem.empty() && package.ecosystem != "CPE" && package.ecosystem != "CSAF" &&
                      package.ecosystem != "rules";
    keys.push_back(by_package ? inventory::advisory_package_key(package.ecosystem, package.name) : kAnyPackage);
  }
  if (keys.empty()) keys.push_back(kNoPackage);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Status validate_response(const RawResponse& response) {
  if (response.source == "endoflife") {
    auto product = parse_endoflife_product(response);
    return product ? check_key(response, product->name, "product") : Status(product.error());
  }
  if (response.source == "osv") {
    auto advisory = parse_osv_record(response);
    return advisory ? check_key(response, advisory->id, "advisory") : Status(advisory.error());
  }
  if (response.source == kReleaseDataSource) return as_status(parse_release_data(response));
  if (response.source == "kev") return as_status(parse_kev_catalog(response));
  if (response.source == "epss") return as_status(is_epss_csv(response) ? parse_epss_csv(response) : parse_epss_api(response));
  if (response.source == "github") return as_status(parse_github_releases(response));
  if (response.source == "csaf") return as_status(parse_csaf(response.body, response.url.empty() ? "csaf/" + response.key : response.url));
  return make_error("uprank.fetch.unknown_source", "unknown source '" + response.source + "'");
}

Status add_response_facts(const RawResponse& response, facts::FactSet& facts) {
  if (response.source == "endoflife") {
    auto product = parse_endoflife_product(response);
    if (!product) return product.error();
    if (Status same = check_key(response, product->name, "product"); !same) return same;
    std::string name = product->name;
    facts.products[name] = std::move(product).value();
    return {};
  }
  if (response.source == kReleaseDataSource) {
    auto data = parse_release_data(response);
    if (!data) return data.error();
    facts.released[response.key] = std::move(data->releases);  // skipped entries: said by fetch and import
    return {};
  }
  if (response.source == "kev") {
    auto catalog = parse_kev_catalog(response);
    if (!catalog) return catalog.error();
    for (auto& [cve, entry] : catalog->entries) facts.kev[cve] = std::move(entry);
    return {};
  }
  if (response.source == "osv") {
    auto advisory = parse_osv_record(response);
    if (!advisory) return advisory.error();
    if (Status same = check_key(response, advisory->id, "advisory"); !same) return same;
    std::string key = facts::advisory_key(*advisory);
    facts.advisories[key] = std::move(advisory).value();
    return {};
  }
  if (response.source == "csaf") {  // imported only: no fetcher publishes CSAF yet
    auto document = parse_csaf(response.body, response.url.empty() ? "csaf/" + response.key : response.url);
    if (!document) return document.error();
    facts::Advisory advisory = csaf_to_advisory(*document, response.fetched_at);
    std::string key = facts::advisory_key(advisory);  // beside an OSV record of the same id
    facts.advisories[key] = std::move(advisory);
    return {};
  }
  if (response.source == "epss") {
    auto scores = is_epss_csv(response) ? parse_epss_csv(response) : parse_epss_api(response);
    if (!scores) return scores.error();
    for (auto& [cve, score] : *scores) {
      auto it = facts.epss.find(cve);
      // Several batches or a CSV may cover one CVE: the newest score date wins.
      if (it == facts.epss.end() || (score.date && (!it->second.date || *score.date >= *it->second.date))) {
        facts.epss[cve] = std::move(score);
      }
    }
    return {};
  }
  if (response.source == "github") {
    auto notes = parse_github_releases(response);
    if (!notes) return notes.error();
    auto& list = facts.releases[response.key];
    list.insert(list.end(), notes->begin(), notes->end());
    std::stable_sort(list.begin(), list.end(), [](const facts::ReleaseNote& a, const facts::ReleaseNote& b) {
      return a.published > b.published;
    });
    return {};
  }
  return make_error("uprank.fetch.unknown_source", "unknown source '" + response.source + "'");
}

void add_provenance(facts::FactSet& facts, const std::string& source, const std::string& oldest,
                    const std::string& newest, size_t responses, const std::string& origin) {
  auto it = std::lower_bound(facts.provenance.begin(), facts.provenance.end(), source,
                             [](const facts::SourceProvenance& p, const std::string& name) { return p.source < name; });
  if (it == facts.provenance.end() || it->source != source) {
    it = facts.provenance.insert(it, {source, oldest, newest, 0, false, origin});
  }
  it->responses += responses;
  // ISO-8601 UTC strings of one shape order like the times they name.
  if (oldest < it->oldest_fetched_at) it->oldest_fetched_at = oldest;
  if (newest > it->newest_fetched_at) it->newest_fetched_at = newest;
}

void add_response_to_facts(const RawResponse& response, const std::string& origin, bool count, facts::FactSet& facts) {
  if (Status status = add_response_facts(response, facts); !status) {
    facts.skipped.push_back(response.source + "/" + response.key + ": " + status.error().message + " [" +
                            status.error().code + "]");
    return;
  }
  if (count) add_provenance(facts, response.source, response.fetched_at, response.fetched_at, 1, origin);
}

Result<facts::FactSet> facts_from_responses(const std::vector<RawResponse>& responses, const std::string& origin) {
  facts::FactSet facts;
  for (const RawResponse& response : responses) add_response_to_facts(response, origin, true, facts);
  return facts;
}

}  // namespace uprank::fetch
