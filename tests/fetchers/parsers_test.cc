// kev, osv, epss, github parsers, CVSS and retry helpers, table-driven where it fits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "fetchers/epss.h"
#include "fetchers/github.h"
#include "fetchers/http_client.h"
#include "fetchers/kev.h"
#include "fetchers/osv.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = UPRANK_SHARED_FIXTURES;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

RawResponse raw(const std::string& source, const std::string& key, std::string body) {
  RawResponse r;
  r.source = source;
  r.key = key;
  r.fetched_at = "2026-08-22T00:00:00Z";
  r.body = std::move(body);
  return r;
}

TEST(KevTest, FixtureCatalog) {
  auto catalog = parse_kev_catalog(raw("kev", "catalog", read_text(kFixtures / "kev/known_exploited_vulnerabilities.json")));
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->catalog_version, "2025.08.25");
  EXPECT_EQ(catalog->entries.size(), 1404u);
  size_t without_cwes = 0;
  for (const auto& [cve, entry] : catalog->entries) without_cwes += entry.cwes.empty() ? 1 : 0;
  EXPECT_EQ(without_cwes, 152u);
}

TEST(KevTest, BadDateIsAnErrorNamingTheCve) {
  auto catalog = parse_kev_catalog(raw("kev", "catalog", R"({"vulnerabilities":[{"cveID":"CVE-2024-1","dateAdded":"soon"}]})"));
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().code, "uprank.fetch.bad_field");
  EXPECT_NE(catalog.error().message.find("CVE-2024-1"), std::string::npos);
}

TEST(OsvTest, EveryJsonFixtureParses) {
  size_t count = 0, withdrawn = 0, scored = 0;
  for (const char* folder : {"bitnami", "go", "crates.io-rustsec"}) {
    for (const auto& entry : fs::directory_iterator(kFixtures / "osv" / folder)) {
      if (entry.path().extension() != ".json") continue;
      auto advisory = parse_osv_record(raw("osv", entry.path().stem().string(), read_text(entry.path())));
      ASSERT_TRUE(advisory.ok()) << entry.path() << ": " << advisory.error().message;
      ++count;
      withdrawn += advisory->withdrawn ? 1 : 0;
      scored += advisory->cvss_score ? 1 : 0;
      for (const auto& package : advisory->affected) {
        for (const auto& range : package.ranges) EXPECT_FALSE(range.events.empty()) << advisory->id;
      }
    }
  }
  EXPECT_EQ(count, 342u + 107u + 111u);
  EXPECT_EQ(withdrawn, 3u + 4u);
  EXPECT_GT(scored, 250u);
}

// RustSec's informational records (affected[].database_specific.informational): in the
// fixtures' 111 records, 17 "unmaintained" and 9 "unsound" (counted in the files with jq);
// the others are vulnerabilities.
TEST(OsvTest, RustSecInformationalKindIsKept) {
  std::map<std::string, size_t> kinds;
  for (const auto& entry : fs::directory_iterator(kFixtures / "osv" / "crates.io-rustsec")) {
    if (entry.path().extension() != ".json") continue;
    auto advisory = parse_osv_record(raw("osv", entry.path().stem().string(), read_text(entry.path())));
    ASSERT_TRUE(advisory.ok()) << entry.path();
    ++kinds[advisory->informational];
    if (advisory->id == "RUSTSEC-2021-0025") EXPECT_EQ(advisory->informational, "unmaintained");
    if (advisory->id == "RUSTSEC-2026-0117") EXPECT_EQ(advisory->informational, "unsound");
    if (advisory->id == "RUSTSEC-2023-0090") EXPECT_EQ(advisory->informational, "");
  }
  EXPECT_EQ(kinds["unmaintained"], 17u);
  EXPECT_EQ(kinds["unsound"], 9u);
  EXPECT_EQ(kinds[""], 111u - 17u - 9u);
  EXPECT_EQ(kinds.size(), 3u);
}

TEST(OsvTest, ReferencesKeepTheirTypeAndTheSeverityLabelIsRead) {
  auto advisory = parse_osv_record(raw("osv", "GHSA-x", R"({
    "id": "GHSA-x", "database_specific": {"severity": "MODERATE"},
    "references": [{"type": "ADVISORY", "url": "https://example.org/a"},
                   {"type": "EXPLOIT", "url": "https://example.org/poc"},
                   {"url": "https://example.org/untyped"}]})"));
  ASSERT_TRUE(advisory.ok()) << advisory.error().message;
  EXPECT_EQ(advisory->severity_label, "MODERATE");
  EXPECT_FALSE(advisory->cvss_score.has_value());
  ASSERT_EQ(advisory->references.size(), 3u);
  EXPECT_EQ(advisory->references[1].type, "EXPLOIT");
  EXPECT_EQ(advisory->references[1].url, "https://example.org/poc");
  EXPECT_EQ(advisory->references[2].type, "");
}

TEST(OsvTest, EcosystemSchemes) {
  EXPECT_EQ(scheme_for_ecosystem("PyPI"), versions::Scheme::kPep440);
  EXPECT_EQ(scheme_for_ecosystem("Debian:12"), versions::Scheme::kDeb);
  EXPECT_EQ(scheme_for_ecosystem("Ubuntu:Pro:22.04:LTS"), versions::Scheme::kDeb);
  EXPECT_EQ(scheme_for_ecosystem("Go"), versions::Scheme::kGolang);
  EXPECT_EQ(scheme_for_ecosystem("Alpine:v3.20"), versions::Scheme::kApk);
  EXPECT_EQ(scheme_for_ecosystem("Alpine"), versions::Scheme::kApk);
  EXPECT_EQ(scheme_for_ecosystem("RubyGems"), versions::Scheme::kRubygems);
  EXPECT_EQ(scheme_for_ecosystem("NuGet"), versions::Scheme::kNuget);
  EXPECT_EQ(scheme_for_ecosystem("Packagist"), versions::Scheme::kPackagist);
  EXPECT_EQ(scheme_for_ecosystem("crates.io"), versions::Scheme::kSemver);
  EXPECT_EQ(scheme_for_ecosystem("Wolfi"), std::nullopt);
}

TEST(OsvTest, QuerybatchCountsMustMatch) {
  auto answer = parse_osv_querybatch(R"({"results":[{"vulns":[{"id":"GO-1","modified":"x"}],"next_page_token":"t2"},{}]})",
                                     2, "q");
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->ids, std::vector<std::string>{"GO-1"});
  EXPECT_EQ(answer->modified.at("GO-1"), "x");
  EXPECT_EQ(answer->next_page_tokens, (std::vector<std::string>{"t2", ""}));
  auto empty = parse_osv_querybatch(R"({"results":[{}]})", 1, "q");
  ASSERT_TRUE(empty.ok()) << "no vulnerabilities is an answer";
  EXPECT_TRUE(empty->ids.empty());
  EXPECT_FALSE(parse_osv_querybatch(R"({"results":[{}]})", 2, "q").ok());
  EXPECT_FALSE(parse_osv_querybatch(R"({"results":[{"vulns":[{"id":"../etc"}]}]})", 1, "q").ok());
}

TEST(OsvTest, QuerybatchBodyByPurlOrPackage) {
  std::string body = osv_querybatch_body({{"PyPI", "jinja2", "2.4.1", "", ""},
                                          {"", "", "", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12", "p2"}});
  EXPECT_EQ(body, R"({"queries":[{"package":{"ecosystem":"PyPI","name":"jinja2"},"version":"2.4.1"},)"
                  R"({"package":{"purl":"pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"},"page_token":"p2"}]})");
}

TEST(EpssTest, CsvFixtureAndApi) {
  auto scores = parse_epss_csv(raw("epss", "csv/x", read_text(kFixtures / "epss/epss_scores-sample-2025-02-20.csv")));
  ASSERT_TRUE(scores.ok()) << scores.error().message;
  EXPECT_EQ(scores->size(), 5u);
  EXPECT_EQ(scores->begin()->second.model_version, "v2023.03.01");
  EXPECT_EQ(scores->begin()->second.date, Date::parse("2025-02-20"));
  auto api = parse_epss_api(raw("epss", "api/x",
                                R"({"status":"OK","data":[{"cve":"CVE-2021-40438","epss":"0.972240000","percentile":"1.000000000","date":"2022-02-28"}]})"));
  ASSERT_TRUE(api.ok()) << api.error().message;
  EXPECT_NEAR(api->at("CVE-2021-40438").score, 0.97224, 1e-9);
  auto bad = parse_epss_csv(raw("epss", "csv/x", "cve,epss,percentile\nCVE-2020-0001,1.5,0.3\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":2:"), std::string::npos) << bad.error().message;
  EXPECT_EQ(epss_batches({"CVE-2020-0001", "CVE-2020-0002", "CVE-2020-0003"}, 27).size(), 2u);
}

TEST(GithubTest, TagsLinksAndNames) {
  EXPECT_EQ(version_from_tag("v7.2.5", "redis"), "7.2.5");
  EXPECT_EQ(version_from_tag("jenkins-2.452", "jenkins"), "2.452");
  EXPECT_EQ(version_from_tag("REL_17_2", "postgres"), "REL_17_2");
  EXPECT_EQ(next_link(R"(<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last")"),
            "https://api.github.com/x?page=2");
  EXPECT_EQ(next_link(R"(<https://api.github.com/x?page=5>; rel="last")"), std::nullopt);
  EXPECT_TRUE(valid_github_repository("redis/redis"));
  EXPECT_FALSE(valid_github_repository("../x"));
  EXPECT_FALSE(valid_github_repository("a/b/c"));
  auto notes = parse_github_releases(raw("github", "redis/redis",
                                         R"([{"tag_name":"7.2.5","draft":true},{"tag_name":"7.2.4","body":null,"published_at":"2024-01-09T10:00:00Z"}])"));
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u) << "drafts are skipped";
  EXPECT_EQ(notes->at(0).published, Date::parse("2024-01-09"));
}

TEST(RetryTest, BackoffAndRetryAfter) {
  using std::chrono::milliseconds;
  EXPECT_EQ(backoff_delay(1, milliseconds(500), milliseconds(30000), 0.0), milliseconds(250));
  EXPECT_EQ(backoff_delay(3, milliseconds(500), milliseconds(30000), 1.0), milliseconds(2000));
  EXPECT_EQ(backoff_delay(30, milliseconds(500), milliseconds(30000), 1.0), milliseconds(30000));
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

TEST(FakeHttpClientTest, ConditionalAnd404) {
  FakeHttpClient client;
  HttpResponse ok;
  ok.status = 200;
  ok.body = "{}";
  ok.headers["etag"] = "\"1\"";
  client.respond("http://127.0.0.1/a", ok);
  HttpRequest request = http_get("http://127.0.0.1/a");
  request.if_none_match = "\"1\"";
  EXPECT_EQ(client.perform_one(request)->status, 304);
  EXPECT_EQ(client.perform_one(http_get("http://127.0.0.1/b"))->status, 404);
  EXPECT_EQ(client.requests().size(), 2u);
}

TEST(UrlSafetyTest, RedactsUserinfoAndSecretParameters) {
  EXPECT_EQ(redact_url("https://api.github.com/repos/a/b"), "https://api.github.com/repos/a/b");
  EXPECT_EQ(redact_url("https://user:pass@mirror.example/kev.json"), "https://mirror.example/kev.json");
  EXPECT_EQ(redact_url("https://h.example/a?x=1&API_KEY=s3cret&token=t#frag"),
            "https://h.example/a?x=1&API_KEY=REDACTED&token=REDACTED#frag");
  EXPECT_EQ(redact_url("https://h.example/a?page=2&per_page=100&q=nginx"), "https://h.example/a?page=2&per_page=100&q=nginx");
  EXPECT_TRUE(url_has_credentials("http://u@h/"));
  EXPECT_FALSE(url_has_credentials("https://h.example/path@v1"));  // '@' in the path is not userinfo
}

// Issue #15 kind 6: secret parameters were a fixed list of names; S3's and OAuth's names
// and the usual spellings passed. Any name containing a word that names a secret is
// redacted, in any case, percent-encoded or not, in the query and in the fragment.
TEST(UrlSafetyTest, RedactsEverySpellingOfASecretParameter) {
  const char* const kSecretNames[] = {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "client_secret",
                                      "private_token",   "access-token",     "apiKey",               "API_KEY",
                                      "passwd",          "pwd",              "auth",                 "oauth_signature",
                                      "sessionid",       "JSESSIONID",       "sig",                  "Password",
                                      "api%5Fkey",       "refresh_token",    "credentials",          "subscription-key"};
  for (const char* name : kSecretNames) {
    std::string url = std::string("https://h.example/feed.json?page=2&") + name + "=s3cr3t&x=1";
    EXPECT_EQ(redact_url(url), std::string("https://h.example/feed.json?page=2&") + name + "=REDACTED&x=1") << name;
    EXPECT_TRUE(url_has_credentials(url)) << name;
  }
  EXPECT_EQ(redact_url("https://h.example/cb#access_token=s3cr3t&state=1"), "https://h.example/cb#access_token=REDACTED&state=1");
  EXPECT_EQ(redact_url("https://h.example/a#section-2"), "https://h.example/a#section-2");
  EXPECT_EQ(redact_url("https://u:p@h.example:8443/a?b=1#c"), "https://h.example:8443/a?b=1#c");
  EXPECT_EQ(redact_url("https://h.example/a?"), "https://h.example/a?");
}

TEST(UrlSafetyTest, RedactsEveryUrlInAMessage) {
  EXPECT_EQ(redact_urls_in_text("https://objects.example/a?X-Amz-Signature=abc: HTTP 403 (see "
                                "http://u:pw@mirror.example/x?token=t)."),
            "https://objects.example/a?X-Amz-Signature=REDACTED: HTTP 403 (see http://mirror.example/x?token=REDACTED).");
  EXPECT_EQ(redact_urls_in_text("no URL here: a://"), "no URL here: a://");
  EXPECT_EQ(redact_urls_in_text("'https://h/?key=1', \"https://h/?sig=2\""), "'https://h/?key=REDACTED', \"https://h/?sig=REDACTED\"");
}

TEST(UrlSafetyTest, JoinsPathsAndQueriesToABaseUrl) {
  EXPECT_EQ(join_url("https://endoflife.date/", "/api/v1/products/"), "https://endoflife.date/api/v1/products/");
  EXPECT_EQ(join_url("https://h.example/epss", "", "cve=CVE-1&limit=100"), "https://h.example/epss?cve=CVE-1&limit=100");
  EXPECT_EQ(join_url("https://h.example/epss?tenant=7", "", "cve=CVE-1"), "https://h.example/epss?tenant=7&cve=CVE-1");
  EXPECT_EQ(join_url("https://h.example/osv//?a=b#top", "/v1/querybatch"), "https://h.example/osv/v1/querybatch?a=b");
  EXPECT_EQ(join_url("https://h.example", "/x", ""), "https://h.example/x");
}

TEST(UrlSafetyTest, SchemeAndHost) {
  EXPECT_EQ(url_scheme_and_host("HTTPS://API.GitHub.com:443/x"), std::make_pair(std::string("https"), std::string("api.github.com")));
  EXPECT_EQ(url_scheme_and_host("http://u:p@[::1]:8080/"), std::make_pair(std::string("http"), std::string("[::1]")));
  EXPECT_EQ(url_scheme_and_host("not a url"), std::make_pair(std::string(), std::string()));
}

TEST(UrlSafetyTest, HeaderValuesWithoutControlCharacters) {
  EXPECT_TRUE(valid_header_value("ghp_abc123\tx"));
  EXPECT_FALSE(valid_header_value("abc\r\nX-Injected: 1"));
  EXPECT_FALSE(valid_header_value(std::string("a\0b", 3)));
}

TEST(CurlHttpClientTest, ControlCharactersInHeadersAreNotSent) {
  auto client = make_curl_http_client(HttpOptions{});
  HttpRequest request = http_get("http://127.0.0.1:9/");
  request.bearer_token = "abc\r\nX-Injected: 1";
  auto results = client->perform({request});
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().code, "uprank.http.protocol");
  EXPECT_EQ(results[0].error().message.find("Injected"), std::string::npos);
}

}  // namespace
}  // namespace uprank::fetch
