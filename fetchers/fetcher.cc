#include "fetchers/fetcher.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <set>

#include "fetchers/content_hash.h"
#include "fetchers/endoflife.h"
#include "fetchers/endoflife_releases.h"
#include "fetchers/epss.h"
#include "fetchers/github.h"
#include "fetchers/json_input.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

struct Planned {
  std::string key;
  HttpRequest request;
};

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Describes a non-success status in words a nightly log reader can act on.
Error status_error(const std::string& url, const HttpResponse& response) {
  std::string what = "HTTP " + std::to_string(response.status);
  std::string type = response.header("content-type");
  if (type.find("html") != std::string::npos) what += " (an HTML page, not data)";
  if (response.status == 429 || response.status == 403) {
    if (response.header("x-ratelimit-remaining") == "0") {
      what += " (rate limit exhausted until " + response.header("x-ratelimit-reset") + ")";
    }
  }
  if (response.attempts > 1) what += " after " + std::to_string(response.attempts) + " attempts";
  const char* code = response.status == 429 ? "uprank.http.rate_limited" : "uprank.http.status";
  return make_error(code, url + ": " + what);
}

// Performs `planned` with validators from the store, validates every 200 body with the
// source's parser, and stores the good ones in one transaction. Returns the responses
// that were stored, for sources that chain requests.
std::vector<RawResponse> run_batch(Store& store, HttpClient& client, const std::string& source,
                                   std::vector<Planned> planned, const std::string& now, SourceReport& report,
                                   const FetchProgress& progress, size_t& done, size_t total,
                                   const std::function<Status(RawResponse&, const HttpResponse&)>& adjust = {},
                                   bool not_found_is_absent = false) {
  std::vector<HttpRequest> requests;
  for (Planned& item : planned) {
    auto stored = store.get(source, item.key);
    if (stored && stored->has_value()) {
      item.request.if_none_match = (*stored)->etag;
      item.request.if_modified_since = (*stored)->last_modified;
    }
    requests.push_back(item.request);
  }
  report.requested += planned.size();
  auto results = client.perform(requests, [&](size_t) {
    ++done;
    if (progress) progress(source, done, total);
  });
  std::vector<RawResponse> good;
  for (size_t i = 0; i < planned.size(); ++i) {
    const Planned& item = planned[i];
    auto& result = results[i];
    auto fail = [&](const Error& error, int status) {
      ++report.failed;
      report.errors.push_back(error);
      (void)store.record_failure(source, item.key, now, status, error);
    };
    if (!result) {
      fail(result.error(), 0);
      continue;
    }
    const HttpResponse& response = *result;
    if (response.status == 304) {
      ++report.unchanged;
      auto etag = response.header("etag");
      auto modified = response.header("last-modified");
      (void)store.mark_unchanged(source, item.key, now, etag.empty() ? std::nullopt : std::optional(etag),
                                 modified.empty() ? std::nullopt : std::optional(modified));
      continue;
    }
    if (response.status == 404 && not_found_is_absent) {
      // The source does not track this key (release-data covers most endoflife products,
      // not all): nothing to store, and no failure to retry.
      report.warnings.push_back(source + ": " + item.request.url + ": HTTP 404, no data for '" + item.key + "'");
      continue;
    }
    if (response.status != 200) {
      fail(status_error(item.request.url, response), response.status);
      continue;
    }
    RawResponse raw;
    raw.source = source;
    raw.key = item.key;
    raw.url = redact_url(item.request.url);  // stored and exported: never a credential
    raw.status = response.status;
    raw.fetched_at = now;
    if (auto etag = response.header("etag"); !etag.empty()) raw.etag = etag;
    if (auto modified = response.header("last-modified"); !modified.empty()) raw.last_modified = modified;
    raw.body = response.body;
    if (adjust) {
      if (Status s = adjust(raw, response); !s) {
        fail(s.error(), response.status);
        continue;
      }
    }
    if (Status valid = validate_response(raw); !valid) {
      fail(valid.error(), response.status);  // malformed: the stored body stays
      continue;
    }
    good.push_back(std::move(raw));
  }
  if (good.empty() && report.unchanged > 0) {
    // 304s may bring new validators, which the content hash covers (put() rehashes itself).
    if (Status hashed = store.refresh_content_hash(); !hashed) report.errors.push_back(hashed.error());
  }
  if (!good.empty()) {
    if (Status stored = store.put(good, now); !stored) {
      report.failed += good.size();
      report.errors.push_back(stored.error());
      return {};
    }
    report.fetched += good.size();
  }
  return good;
}

std::vector<std::string> stored_keys(Store& store, const std::string& source) {
  std::vector<std::string> keys;
  if (auto responses = store.responses(source)) {
    for (const RawResponse& response : *responses) keys.push_back(response.key);
  }
  return keys;
}

void fetch_endoflife(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                     SourceReport& report, const FetchProgress& progress) {
  const std::string base = trim_slash(settings.url);
  std::vector<std::string> products = settings.products;
  if (products.empty()) products = stored_keys(store, "endoflife");
  if (products.empty()) {
    // Nothing chosen and nothing stored: every product the API lists.
    std::string list_url = join_url(base, "/api/v1/products/");
    auto listing = client.perform_one(http_get(list_url));
    Error failure;
    if (!listing) {
      failure = listing.error();
    } else if (listing->status != 200) {
      failure = status_error(list_url, *listing);
    } else if (auto names = parse_endoflife_product_list(listing->body, list_url)) {
      products = *names;
    } else {
      failure = names.error();
    }
    if (products.empty()) {
      if (failure.code.empty()) return;
      ++report.failed;
      report.errors.push_back(failure);
      (void)store.record_failure("endoflife", "products", now, listing ? listing->status : 0, failure);
      return;
    }
  }
  std::vector<Planned> planned;
  for (const std::string& product : products) {
    if (!valid_product_id(product)) {
      ++report.failed;
      report.errors.push_back(make_error("uprank.fetch.bad_name", "endoflife: invalid product id '" + product + "'"));
      continue;
    }
    planned.push_back({product, http_get(endoflife_product_url(base, product))});
  }
  size_t done = 0;
  size_t total = planned.size();
  run_batch(store, client, "endoflife", std::move(planned), now, report, progress, done, total);
}

// Release-data follows the endoflife products: the configured or inventory-mapped ones,
// else those already stored for release-data, else those stored for endoflife.
void fetch_endoflife_releases(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                              SourceReport& report, const FetchProgress& progress) {
  const std::string base = trim_slash(settings.url);
  std::vector<std::string> products = settings.products;
  if (products.empty()) products = stored_keys(store, kReleaseDataSource);
  if (products.empty()) products = stored_keys(store, "endoflife");
  std::vector<Planned> planned;
  for (const std::string& product : products) {
    if (!valid_product_id(product)) {
      ++report.failed;
      report.errors.push_back(
          make_error("uprank.fetch.bad_name", std::string(kReleaseDataSource) + ": invalid product id '" + product + "'"));
      continue;
    }
    planned.push_back({product, http_get(release_data_url(base, product))});
  }
  size_t done = 0;
  size_t total = planned.size();
  std::vector<RawResponse> stored = run_batch(store, client, kReleaseDataSource, std::move(planned), now, report,
                                              progress, done, total, {}, /*not_found_is_absent=*/true);
  for (const RawResponse& response : stored) {
    if (auto data = parse_release_data(response); data && !data->skipped.empty()) {
      report.warnings.push_back(std::string(kReleaseDataSource) + ": " + response.key + ": skipped " +
                                std::to_string(data->skipped.size()) + " version(s), first " + data->skipped.front());
    }
  }
}

void fetch_kev(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
               SourceReport& report, const FetchProgress& progress) {
  size_t done = 0;
  run_batch(store, client, "kev", {{"catalog", http_get(settings.url)}}, now, report, progress, done, 1);
}

void fetch_osv(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
               SourceReport& report, const FetchProgress& progress) {
  const std::string base = trim_slash(settings.url);
  std::set<std::string> ids;
  std::map<std::string, std::string> modified_by_id;  // from querybatch, to skip unchanged records
  if (settings.packages.empty()) {
    for (const std::string& key : stored_keys(store, "osv")) ids.insert(key);
  }
  // osv.dev answers a query with at most one page of advisories and a `next_page_token`
  // when there are more: those queries are asked again with `page_token`, up to max_pages.
  constexpr size_t kBatch = 1000;  // osv.dev's querybatch limit
  const std::string url = join_url(base, "/v1/querybatch");
  std::vector<OsvQuery> pending = settings.packages;
  size_t truncated = 0;
  for (int page = 1; !pending.empty(); ++page) {
    std::vector<OsvQuery> next_pages;
    for (size_t start = 0; start < pending.size(); start += kBatch) {
      std::vector<OsvQuery> chunk(pending.begin() + static_cast<long>(start),
                                  pending.begin() + static_cast<long>(std::min(start + kBatch, pending.size())));
      HttpRequest request = http_get(url);
      request.method = "POST";
      request.body = osv_querybatch_body(chunk);
      request.content_type = "application/json";
      ++report.requested;
      auto result = client.perform_one(request);
      Error failure;
      if (!result) {
        failure = result.error();
      } else if (result->status != 200) {
        failure = status_error(url, *result);
      } else if (auto answer = parse_osv_querybatch(result->body, chunk.size(), url)) {
        ids.insert(answer->ids.begin(), answer->ids.end());
        modified_by_id.insert(answer->modified.begin(), answer->modified.end());
        for (size_t i = 0; i < chunk.size(); ++i) {
          if (answer->next_page_tokens[i].empty()) continue;
          OsvQuery more = chunk[i];
          more.page_token = answer->next_page_tokens[i];
          next_pages.push_back(std::move(more));
        }
      } else {
        failure = answer.error();
      }
      if (!failure.code.empty()) {
        ++report.failed;
        report.errors.push_back(failure);
        (void)store.record_failure("osv", "querybatch", now, result ? result->status : 0, failure);
      }
    }
    if (!next_pages.empty() && page >= settings.max_pages) {
      truncated = next_pages.size();
      break;
    }
    pending = std::move(next_pages);
  }
  if (truncated > 0) {
    report.warnings.push_back("osv: querybatch results truncated: " + std::to_string(truncated) +
                              " package(s) still had more pages after " + std::to_string(settings.max_pages) +
                              " pages (raise sources.osv.max_pages)");
  }
  std::vector<Planned> planned;
  for (const std::string& id : ids) {
    if (auto it = modified_by_id.find(id); it != modified_by_id.end() && !it->second.empty()) {
      auto stored = store.get("osv", id);
      if (stored && stored->has_value()) {
        auto record = parse_json((*stored)->body, id);
        if (record && json_string(*record, "modified") == it->second) {
          ++report.unchanged;
          continue;
        }
      }
    }
    if (!valid_osv_id(id)) {  // a key of an imported snapshot, say, never becomes a path unchecked
      ++report.failed;
      report.errors.push_back(make_error("uprank.fetch.bad_name", "osv: invalid advisory id '" + id + "'"));
      continue;
    }
    planned.push_back({id, http_get(join_url(base, "/v1/vulns/" + id))});
  }
  size_t done = 0;
  size_t total = planned.size();
  run_batch(store, client, "osv", std::move(planned), now, report, progress, done, total);
}

void fetch_epss(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                SourceReport& report, const FetchProgress& progress) {
  std::set<std::string> cves(settings.cves.begin(), settings.cves.end());
  if (auto advisories = store.responses("osv")) {
    for (const RawResponse& response : *advisories) {
      if (auto advisory = parse_osv_record(response)) {
        for (const std::string& id : advisory->all_ids()) {
          if (valid_cve_id(id)) cves.insert(id);
        }
      }
    }
  }
  std::vector<std::string> list;
  for (const std::string& cve : cves) {
    if (valid_cve_id(cve)) list.push_back(cve);
  }
  if (list.empty()) return;
  const std::string base = trim_slash(settings.url);
  std::vector<Planned> planned;
  constexpr size_t kPerBatch = 100;  // the API's default page size
  for (size_t start = 0; start < list.size(); start += kPerBatch) {
    std::string joined;
    for (size_t i = start; i < std::min(start + kPerBatch, list.size()); ++i) joined += (joined.empty() ? "" : ",") + list[i];
    planned.push_back({"api/" + sha256_hex(joined).substr(0, 16), http_get(join_url(base, "", "cve=" + joined + "&limit=" +
                                                                                          std::to_string(kPerBatch)))});
  }
  size_t done = 0;
  size_t total = planned.size();
  run_batch(store, client, "epss", std::move(planned), now, report, progress, done, total);
}

HttpRequest github_request(std::string url, const std::string& token) {
  HttpRequest request = http_get(std::move(url));
  request.headers = {{"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}};
  request.bearer_token = token;
  return request;
}

void fetch_github(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                  SourceReport& report, const FetchProgress& progress) {
  const std::string base = trim_slash(settings.url);
  std::vector<std::string> repositories = settings.repositories;
  if (repositories.empty()) repositories = stored_keys(store, "github");
  std::vector<Planned> planned;
  for (const std::string& repository : repositories) {
    if (!valid_github_repository(repository)) {
      ++report.failed;
      report.errors.push_back(make_error("uprank.fetch.bad_name", "github: invalid repository '" + repository + "'"));
      continue;
    }
    HttpRequest request = github_request(join_url(base, "/repos/" + repository + "/releases", "per_page=100"), settings.token);
    planned.push_back({repository, std::move(request)});
  }
  // Follows `Link: rel="next"` within the same base URL (a token never goes elsewhere) and
  // stores the pages' arrays concatenated, so one key holds a repository's releases.
  auto follow_pages = [&](RawResponse& raw, const HttpResponse& first) -> Status {
    auto all = parse_json(raw.body, raw.url);
    if (!all) return all.error();
    if (!all->is_array()) return make_error("uprank.fetch.bad_shape", raw.url + ": releases must be a JSON array");
    std::optional<std::string> next = next_link(first.header("link"));
    for (int page = 2; next && page <= settings.max_pages; ++page) {
      if (next->rfind(join_url(base, "/"), 0) != 0) {
        return make_error("uprank.fetch.bad_link", raw.url + ": pagination link leaves " + base);
      }
      HttpRequest request = github_request(*next, settings.token);
      auto result = client.perform_one(request);
      if (!result) return result.error();
      if (result->status != 200) return status_error(*next, *result);
      auto page_json = parse_json(result->body, *next);
      if (!page_json) return page_json.error();
      if (!page_json->is_array()) return make_error("uprank.fetch.bad_shape", *next + ": releases must be a JSON array");
      for (auto& item : *page_json) all->push_back(std::move(item));
      next = next_link(result->header("link"));
    }
    if (next) {  // what was stored is a repository's newest releases, not all of them: said
      report.warnings.push_back("github: " + raw.key + ": releases truncated: more pages after " +
                                std::to_string(settings.max_pages) + " pages (raise sources.github.max_pages)");
    }
    raw.body = all->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return {};
  };
  size_t done = 0;
  size_t total = planned.size();
  run_batch(store, client, "github", std::move(planned), now, report, progress, done, total, follow_pages);
}

}  // namespace

std::string default_source_url(const std::string& source) {
  if (source == "endoflife") return "https://endoflife.date";
  if (source == kReleaseDataSource) return kReleaseDataBaseUrl;
  if (source == "kev") return "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
  if (source == "osv") return "https://api.osv.dev";
  if (source == "epss") return "https://api.first.org/data/v1/epss";
  if (source == "github") return "https://api.github.com";
  return {};
}

std::string resolve_source_url(const std::string& source, const std::string& configured) {
  std::string variable = "UPRANK_";
  // "endoflife-releases" reads UPRANK_ENDOFLIFE_RELEASES_URL: a shell name has no '-'.
  for (char c : source) {
    variable += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                                              : '_';
  }
  variable += "_URL";
  if (const char* value = std::getenv(variable.c_str()); value != nullptr && *value != '\0') return value;
  if (!configured.empty()) return configured;
  return default_source_url(source);
}

std::chrono::hours default_stale_after(const std::string& source) {
  if (source == "endoflife" || source == kReleaseDataSource || source == "github") return std::chrono::hours(24 * 7);
  return std::chrono::hours(24 * 2);
}

SourceReport fetch_source(Store& store, HttpClient& client, const SourceSettings& settings, const std::string& now,
                          const FetchProgress& progress) {
  SourceReport report;
  report.source = settings.name;
  if (settings.name == "endoflife") {
    fetch_endoflife(store, client, settings, now, report, progress);
  } else if (settings.name == kReleaseDataSource) {
    fetch_endoflife_releases(store, client, settings, now, report, progress);
  } else if (settings.name == "kev") {
    fetch_kev(store, client, settings, now, report, progress);
  } else if (settings.name == "osv") {
    fetch_osv(store, client, settings, now, report, progress);
  } else if (settings.name == "epss") {
    fetch_epss(store, client, settings, now, report, progress);
  } else if (settings.name == "github") {
    fetch_github(store, client, settings, now, report, progress);
  } else {
    report.errors.push_back(make_error("uprank.fetch.unknown_source", "unknown source '" + settings.name + "'"));
    ++report.failed;
  }
  // Messages quote URLs: a redirect's or a pagination link's may carry a signature.
  for (Error& error : report.errors) error.message = redact_urls_in_text(error.message);
  for (std::string& warning : report.warnings) warning = redact_urls_in_text(warning);
  report.answered = report.failed == 0;
  if (auto states = store.source_states()) {
    if (auto it = states->find(settings.name); it != states->end() && it->second.responses > 0) {
      report.has_data = true;
      report.oldest_fetched_at = it->second.oldest_fetched_at;
    }
  }
  return report;
}

std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(const std::string& text) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char zone = 0;
  if (text.size() != 20 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second, &zone) != 7 ||
      zone != 'Z') {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

void mark_stale(facts::FactSet& facts, std::chrono::system_clock::time_point now,
                const std::map<std::string, std::chrono::hours>& limits) {
  for (facts::SourceProvenance& provenance : facts.provenance) {
    auto limit_it = limits.find(provenance.source);
    auto limit = limit_it != limits.end() ? limit_it->second : default_stale_after(provenance.source);
    auto oldest = parse_utc_timestamp(provenance.oldest_fetched_at);
    provenance.stale = !oldest || now - *oldest > limit;
  }
}

bool valid_product_id(const std::string& product) {
  if (product.empty() || product.size() > 100 || product.front() == '.') return false;
  return std::all_of(product.begin(), product.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '+';
  });
}

}  // namespace uprank::fetch
