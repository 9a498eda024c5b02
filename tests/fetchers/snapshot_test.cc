// The bundled snapshot and the snapshot format: loading, hashing, round trips, damage.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

#include "fetchers/content_hash.h"
#include "fetchers/snapshot.h"

namespace uprank::fetch {
namespace {

const std::string kBundled = std::string(UPRANK_SOURCE_DIR) + "/data/snapshot.json";

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("uprank-snapshot-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

TEST(SnapshotTest, BundledSnapshotLoadsAllProducts) {
  auto facts = load_snapshot_facts(kBundled);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->products.size(), 44u);
  EXPECT_EQ(facts->content_hash.substr(0, 7), "sha256:");
  // The demo's sources (docs/snapshot.md), each with the date of the fixtures it came from.
  ASSERT_EQ(facts->provenance.size(), 4u);
  const std::vector<std::tuple<std::string, size_t, std::string>> sources = {
      {"endoflife", 44, "2026-08-22T00:00:00Z"},
      {"endoflife-releases", 16, "2026-08-22T00:00:00Z"},
      {"kev", 1, "2025-08-25T00:00:00Z"},
      {"osv", 115, "2026-08-05T00:00:00Z"},
  };
  for (size_t i = 0; i < sources.size(); ++i) {
    EXPECT_EQ(facts->provenance[i].source, std::get<0>(sources[i]));
    EXPECT_EQ(facts->provenance[i].responses, std::get<1>(sources[i])) << std::get<0>(sources[i]);
    EXPECT_EQ(facts->provenance[i].newest_fetched_at, std::get<2>(sources[i])) << std::get<0>(sources[i]);
    EXPECT_EQ(facts->provenance[i].origin, "snapshot");
  }
  // Released versions for every endoflife product of the example fleet, newest first.
  EXPECT_EQ(facts->released.size(), 16u);
  const facts::ProductReleases& nginx = facts->released.at("nginx");
  EXPECT_EQ(nginx.evidence.url, "https://raw.githubusercontent.com/endoflife-date/release-data/main/releases/nginx.json");
  ASSERT_FALSE(nginx.versions.empty());
  EXPECT_EQ(nginx.versions.front().version, "1.31.4");
  // The KEV entries of the bundled advisories' CVEs: Apache's path traversal and HTTP/2
  // Rapid Reset, both real catalog entries.
  EXPECT_EQ(facts->kev.size(), 2u);
  EXPECT_EQ(facts->kev.count("CVE-2021-42013"), 1u);
  EXPECT_EQ(facts->kev.count("CVE-2023-44487"), 1u);
  EXPECT_EQ(facts->advisories.count("BIT-apache-2021-42013"), 1u);

  // postgresql.md: releaseCycle "12", eol 2024-11-21.
  const facts::EolProduct& postgres = facts->products.at("postgresql");
  EXPECT_EQ(postgres.label, "PostgreSQL");
  auto twelve = std::find_if(postgres.cycles.begin(), postgres.cycles.end(),
                             [](const facts::EolCycle& c) { return c.cycle == "12"; });
  ASSERT_NE(twelve, postgres.cycles.end());
  EXPECT_EQ(twelve->security_ends, Date::parse("2024-11-21"));
  EXPECT_EQ(twelve->evidence.id, "postgresql/12");
  EXPECT_EQ(twelve->evidence.url, "https://endoflife.date/postgresql");

  // go.md has `eol: false` on supported cycles: no date, no flag.
  const facts::EolProduct& go = facts->products.at("go");
  EXPECT_FALSE(go.cycles[0].security_ends.has_value());
  EXPECT_FALSE(go.cycles[0].security_ended_flag);

  // nodejs has eoasColumn and lts dates.
  const facts::EolProduct& node = facts->products.at("nodejs");
  auto c22 = std::find_if(node.cycles.begin(), node.cycles.end(), [](const auto& c) { return c.cycle == "22"; });
  ASSERT_NE(c22, node.cycles.end());
  EXPECT_EQ(c22->active_ends, Date::parse("2025-10-21"));
  EXPECT_EQ(c22->security_ends, Date::parse("2027-04-30"));
  EXPECT_TRUE(c22->lts);

  // vue has `eol: true` on an old cycle.
  const facts::EolProduct& vue = facts->products.at("vue");
  EXPECT_TRUE(std::any_of(vue.cycles.begin(), vue.cycles.end(), [](const auto& c) { return c.security_ended_flag; }));
}

TEST(SnapshotTest, ExportOfTheSameDataGivesTheSameHash) {
  auto snapshot = read_snapshot(kBundled);
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  std::vector<RawResponse> reversed(snapshot->responses.rbegin(), snapshot->responses.rend());
  std::string path = temp_path("roundtrip.json");
  auto hash = write_snapshot(path, reversed, "2030-01-01T00:00:00Z");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(*hash, snapshot->content_hash) << "order and created_at must not change the content hash";
  auto again = read_snapshot(path);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->responses.size(), snapshot->responses.size());
  EXPECT_EQ(again->responses.front().body, snapshot->responses.front().body);
  std::filesystem::remove(path);
}

// Issue 15 kind 10: bytes that are not UTF-8 (a Latin-1 CSV, a binary ETag) survive
// export and import exactly, so the snapshot's own import accepts it.
TEST(SnapshotTest, BytesThatAreNotUtf8RoundTrip) {
  RawResponse response;
  response.source = "epss";
  response.key = "csv/2026-01-01";
  response.url = "https://example.invalid/epss.csv";
  response.status = 200;
  response.fetched_at = "2026-01-01T00:00:00Z";
  response.etag = std::string("W/\"caf\xe9\"");
  response.body = std::string("cve,epss\nCVE-2024-0001,0.5\ncaf\xe9\xff\x00" "end\n", 37);
  std::string text = serialize_snapshot({response}, "2026-01-02T00:00:00Z");
  EXPECT_NE(text.find("\"body_base64\":"), std::string::npos) << text;
  EXPECT_NE(text.find("\"etag_base64\":"), std::string::npos) << text;
  auto parsed = parse_snapshot(text, "snap.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 1u);
  EXPECT_EQ(parsed->responses[0].body, response.body);
  EXPECT_EQ(parsed->responses[0].etag, response.etag);
  auto broken = parse_snapshot(std::string(text).replace(text.find("\"body_base64\":\"") + 15, 1, "!"), "snap.json");
  EXPECT_FALSE(broken.ok());
}

TEST(SnapshotTest, HashDefinitionIsStable) {
  RawResponse a{"kev", "catalog", "u", 200, "2026-01-01T00:00:00Z", std::nullopt, std::string("x"), "{}"};
  // netstrings: 3:kev,7:catalog,1:u,3:200,20:2026-01-01T00:00:00Z,~,1:x,2:{},
  std::string expected = "sha256:" + sha256_hex("3:kev,7:catalog,1:u,3:200,20:2026-01-01T00:00:00Z,~,1:x,2:{},");
  EXPECT_EQ(content_hash({&a}), expected);
  RawResponse b = a;
  b.etag = "";
  EXPECT_NE(content_hash({&a}), content_hash({&b})) << "an empty validator differs from an absent one";
}

struct DamageCase {
  const char* name;
  std::string text;
  const char* code;
};

class SnapshotDamageTest : public ::testing::TestWithParam<DamageCase> {};

TEST_P(SnapshotDamageTest, NamesFileAndProblem) {
  auto snapshot = parse_snapshot(GetParam().text, "snap.json");
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.error().code, GetParam().code);
  EXPECT_EQ(snapshot.error().message.rfind("snap.json: ", 0), 0u) << snapshot.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SnapshotDamageTest,
    ::testing::Values(
        DamageCase{"not_json", "hello", "uprank.snapshot.malformed"},
        DamageCase{"wrong_format", R"({"format":"other","format_version":1,"responses":[]})", "uprank.snapshot.bad_format"},
        DamageCase{"future_version", R"({"format":"uprank-snapshot","format_version":2,"responses":[]})",
                   "uprank.snapshot.bad_version"},
        DamageCase{"bad_entry", R"({"format":"uprank-snapshot","format_version":1,"responses":[{"source":"kev"}]})",
                   "uprank.snapshot.bad_format"},
        // Issue #15 kind 13: what no export writes is refused, not trusted.
        DamageCase{"duplicate_key",
                   R"({"format":"uprank-snapshot","format_version":1,"created_at":"2026-08-22T00:00:00Z","responses":[)"
                   R"({"source":"kev","key":"catalog","status":200,"fetched_at":"2026-08-22T00:00:00Z","body":"{}"},)"
                   R"({"source":"kev","key":"catalog","status":200,"fetched_at":"2026-08-22T00:00:00Z","body":"{}"}]})",
                   "uprank.snapshot.bad_format"},
        DamageCase{"impossible_status",
                   R"({"format":"uprank-snapshot","format_version":1,"created_at":"2026-08-22T00:00:00Z","responses":[)"
                   R"({"source":"kev","key":"catalog","status":999,"fetched_at":"2026-08-22T00:00:00Z","body":"{}"}]})",
                   "uprank.snapshot.bad_format"},
        DamageCase{"fetched_after_creation",
                   R"({"format":"uprank-snapshot","format_version":1,"created_at":"2026-08-22T00:00:00Z","responses":[)"
                   R"({"source":"kev","key":"catalog","status":200,"fetched_at":"2031-01-01T00:00:00Z","body":"{}"}]})",
                   "uprank.snapshot.bad_format"},
        DamageCase{"fetched_at_not_a_time",
                   R"({"format":"uprank-snapshot","format_version":1,"created_at":"2026-08-22T00:00:00Z","responses":[)"
                   R"({"source":"kev","key":"catalog","status":200,"fetched_at":"yesterday","body":"{}"}]})",
                   "uprank.snapshot.bad_format"},
        DamageCase{"hash_mismatch",
                   R"({"format":"uprank-snapshot","format_version":1,"content_hash":"sha256:00","responses":[]})",
                   "uprank.snapshot.hash_mismatch"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SnapshotTest, BadBodyInsideSnapshotIsLeftOutAndNamed) {
  RawResponse broken{"endoflife", "postgresql", "https://endoflife.date/api/v1/products/postgresql/", 200,
                     "2026-08-22T00:00:00Z", std::nullopt, std::nullopt, "{\"schema_version\":\"1.2.1\""};
  std::string path = temp_path("broken.json");
  ASSERT_TRUE(write_snapshot(path, {broken}, "2026-08-22T00:00:00Z").ok());
  // Left out and named (the caller warns with the file's name); the rest would be used.
  auto facts = load_snapshot_facts(path);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->skipped.size(), 1u);
  EXPECT_EQ(facts->skipped[0].rfind("endoflife/postgresql: ", 0), 0u) << facts->skipped[0];
  EXPECT_TRUE(facts->products.empty());
  std::filesystem::remove(path);
}

TEST(SnapshotTest, MissingFile) {
  auto facts = load_snapshot_facts("/nonexistent/snapshot.json");
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().code, "uprank.snapshot.unreadable");
  EXPECT_NE(facts.error().message.find("/nonexistent/snapshot.json"), std::string::npos);
}

}  // namespace
}  // namespace uprank::fetch
