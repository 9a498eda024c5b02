// kev, osv, epss, github parsers, CVSS, retry helpers and imports, table-driven where it fits.
#include <gtest/gtest.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "fetchers/epss.h"
#include "fetchers/github.h"
#include "fetchers/http_client.h"
#include "fetchers/importer.h"
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
  EXPECT_EQ(scheme_for_ecosystem("Alpine:v3.20"), std::nullopt);
}

TEST(OsvTest, QuerybatchCountsMustMatch) {
  auto ids = parse_osv_querybatch(R"({"results":[{"vulns":[{"id":"GO-1","modified":"x"}]},{}]})", 2, "q");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::vector<std::string>{"GO-1"});
  EXPECT_FALSE(parse_osv_querybatch(R"({"results":[{}]})", 2, "q").ok());
  EXPECT_FALSE(parse_osv_querybatch(R"({"results":[{"vulns":[{"id":"../etc"}]}]})", 1, "q").ok());
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

std::string gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(ImportTest, EpssGzipAndOsvDirectory) {
  fs::path folder = fs::temp_directory_path() / ("uprank-import-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::string csv = read_text(kFixtures / "epss/epss_scores-sample-2025-02-20.csv");
  { std::ofstream(folder / "epss.csv.gz", std::ios::binary) << gzip(csv); }
  auto epss = import_epss_csv((folder / "epss.csv.gz").string(), "2026-08-22T00:00:00Z");
  ASSERT_TRUE(epss.ok()) << epss.error().message;
  EXPECT_EQ(epss->key, "csv/2025-02-20");
  EXPECT_EQ(epss->body, csv);
  { std::ofstream(folder / "bomb.csv.gz", std::ios::binary) << gzip(std::string(1 << 20, 'a')); }
  ImportLimits tight;
  tight.max_inflated_bytes = 1000;
  auto bomb = import_epss_csv((folder / "bomb.csv.gz").string(), "now", tight);
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error().code, "uprank.import.too_large");
  auto osv = import_osv((kFixtures / "osv/go").string(), "2026-08-22T00:00:00Z");
  ASSERT_TRUE(osv.ok()) << osv.error().message;
  EXPECT_EQ(osv->size(), 107u);
  fs::remove_all(folder);
}

TEST(ImportTest, ZipDump) {
  // A zip with one stored entry, built by hand: local header, data, central directory, end.
  std::string record = read_text(kFixtures / "osv/go/GO-2022-0304.json");
  auto le16 = [](uint16_t v) { return std::string{static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; };
  auto le32 = [&](uint32_t v) { return le16(static_cast<uint16_t>(v & 0xFFFF)) + le16(static_cast<uint16_t>(v >> 16)); };
  std::string name = "GO-2022-0304.json";
  uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(record.data()), static_cast<uInt>(record.size())));
  std::string local = le32(0x04034b50) + le16(20) + le16(0) + le16(0) + le32(0) + le32(crc) +
                      le32(static_cast<uint32_t>(record.size())) + le32(static_cast<uint32_t>(record.size())) +
                      le16(static_cast<uint16_t>(name.size())) + le16(0) + name + record;
  std::string central = le32(0x02014b50) + le16(20) + le16(20) + le16(0) + le16(0) + le32(0) + le32(crc) +
                        le32(static_cast<uint32_t>(record.size())) + le32(static_cast<uint32_t>(record.size())) +
                        le16(static_cast<uint16_t>(name.size())) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) +
                        le32(0) + name;
  std::string end = le32(0x06054b50) + le16(0) + le16(0) + le16(1) + le16(1) +
                    le32(static_cast<uint32_t>(central.size())) + le32(static_cast<uint32_t>(local.size())) + le16(0);
  auto entries = read_zip(local + central + end, ImportLimits{});
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->at(0).data, record);
  EXPECT_FALSE(read_zip("PK junk", ImportLimits{}).ok());
}

}  // namespace
}  // namespace uprank::fetch
