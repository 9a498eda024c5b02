// endoflife.date release-data: every real fixture file, the shape errors with their JSON
// paths, the skipped entries, source order and the facts it fills.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fetchers/endoflife_releases.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
const fs::path kReleaseData = fs::path(UPRANK_SHARED_FIXTURES) / "endoflife" / "release-data";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

RawResponse release_data(const std::string& product, std::string body) {
  RawResponse r;
  r.source = kReleaseDataSource;
  r.key = product;
  r.url = release_data_url(kReleaseDataBaseUrl, product);
  r.fetched_at = "2026-08-22T00:00:00Z";
  r.body = std::move(body);
  return r;
}

TEST(ReleaseDataTest, EveryFixtureFileParsesWithNothingSkipped) {
  size_t files = 0;
  size_t versions = 0;
  for (const auto& entry : fs::directory_iterator(kReleaseData)) {
    if (entry.path().extension() != ".json") continue;
    const std::string product = entry.path().stem().string();
    auto parsed = parse_release_data(release_data(product, read_text(entry.path())));
    ASSERT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.error().message;
    EXPECT_TRUE(parsed->skipped.empty()) << entry.path() << ": " << parsed->skipped.front();
    EXPECT_EQ(parsed->releases.product, product);
    for (const facts::ProductRelease& release : parsed->releases.versions) {
      EXPECT_TRUE(release.date.has_value()) << product << " " << release.version;
    }
    ++files;
    versions += parsed->releases.versions.size();
  }
  EXPECT_EQ(files, 41u);  // fixtures/SOURCES.md: 44 products minus android, centos, windows-server
  EXPECT_GT(versions, 10'000u);
}

TEST(ReleaseDataTest, PostgresqlKeepsSourceOrderNamesDatesAndEvidence) {
  auto parsed = parse_release_data(release_data("postgresql", read_text(kReleaseData / "postgresql.json")));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const facts::ProductReleases& releases = parsed->releases;
  ASSERT_EQ(releases.versions.size(), 554u);
  // The file's order (newest first), not the alphabetical order of a JSON map.
  EXPECT_EQ(releases.versions[0].version, "18.6");
  EXPECT_EQ(releases.versions[0].date->to_string(), "2026-08-11");
  EXPECT_EQ(releases.versions[1].version, "17.11");
  EXPECT_EQ(releases.versions[2].version, "16.15");
  EXPECT_EQ(releases.evidence.source, "endoflife-releases");
  EXPECT_EQ(releases.evidence.id, "postgresql");
  EXPECT_EQ(releases.evidence.url,
            "https://raw.githubusercontent.com/endoflife-date/release-data/main/releases/postgresql.json");
  EXPECT_EQ(releases.evidence.fetched_at, "2026-08-22T00:00:00Z");
  bool found = false;
  for (const auto& release : releases.versions) {
    if (release.version == "16.4") {
      found = true;
      EXPECT_EQ(release.date->to_string(), "2024-08-05");  // as the fixture has it
    }
  }
  EXPECT_TRUE(found);
}

TEST(ReleaseDataTest, NamesArePublishedAsIs) {
  auto parsed = parse_release_data(release_data("amazon-eks", read_text(kReleaseData / "amazon-eks.json")));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  bool eks_style = false;
  for (const auto& release : parsed->releases.versions) eks_style |= release.version.find("-eks-") != std::string::npos;
  EXPECT_TRUE(eks_style);  // "1.35-eks-17": not normalised into a version scheme
}

struct ShapeCase {
  const char* name;
  const char* body;
  const char* code;     // "" when the body parses
  const char* in_text;  // in the error message, or in the first skipped line
  size_t versions;      // kept, when it parses
};

class ReleaseDataShapeTest : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(ReleaseDataShapeTest, ErrorsNameThePathAndSkipsAreSaid) {
  const ShapeCase& c = GetParam();
  auto parsed = parse_release_data(release_data("redis", c.body));
  if (*c.code != '\0') {
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.error().code, c.code) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(c.in_text), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.rfind("https://raw.githubusercontent.com/", 0), 0u) << parsed.error().message;
    return;
  }
  ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.error().message;
  EXPECT_EQ(parsed->releases.versions.size(), c.versions);
  if (*c.in_text != '\0') {
    ASSERT_FALSE(parsed->skipped.empty());
    EXPECT_NE(parsed->skipped.front().find(c.in_text), std::string::npos) << parsed->skipped.front();
  } else {
    EXPECT_TRUE(parsed->skipped.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReleaseDataShapeTest,
    ::testing::Values(
        ShapeCase{"not json", "{\"versions\": ", "uprank.fetch.malformed_json", "malformed JSON", 0},
        ShapeCase{"array", "[]", "uprank.fetch.bad_shape", "$: a release-data file is a JSON object, not array", 0},
        ShapeCase{"no versions", R"({"releases":{}})", "uprank.fetch.bad_shape", "$.versions: must be an object of released versions (missing)", 0},
        ShapeCase{"versions array", R"({"versions":[]})", "uprank.fetch.bad_shape", "$.versions: must be an object of released versions, not array", 0},
        ShapeCase{"releases array", R"({"releases":[],"versions":{}})", "uprank.fetch.bad_shape", "$.releases: must be an object, not array", 0},
        ShapeCase{"entry a string", R"({"versions":{"7.2.4":"2024-01-09"}})", "uprank.fetch.bad_shape", R"($.versions["7.2.4"]: must be an object, not string)", 0},
        ShapeCase{"name a number", R"({"versions":{"7.2.4":{"name":7.2}}})", "uprank.fetch.bad_shape", R"($.versions["7.2.4"].name: must be a string, not number)", 0},
        ShapeCase{"date a number", R"({"versions":{"7.2.4":{"name":"7.2.4","date":20240109}}})", "uprank.fetch.bad_shape", R"($.versions["7.2.4"].date: must be a YYYY-MM-DD string or null, not number)", 0},
        ShapeCase{"empty", R"({"releases":{},"versions":{}})", "", "", 0},
        ShapeCase{"date null and name absent", R"({"versions":{"7.2.4":{"date":null}}})", "", "", 1},
        ShapeCase{"impossible date skipped", R"({"versions":{"7.2.5":{"name":"7.2.5","date":"2024-02-30"},"7.2.4":{"name":"7.2.4","date":"2024-01-09"}}})", "", R"($.versions["7.2.5"].date: not a YYYY-MM-DD date ('2024-02-30'))", 1},
        ShapeCase{"empty name skipped", R"({"versions":{"x":{"name":"","date":"2024-01-09"}}})", "", R"($.versions["x"].name: empty version name)", 0},
        ShapeCase{"duplicate name skipped", R"({"versions":{"v7.2.4":{"name":"7.2.4"},"7.2.4":{"name":"7.2.4"}}})", "", "listed twice (first kept)", 1}),
    [](const ::testing::TestParamInfo<ShapeCase>& info) {
      std::string name = info.param.name;
      for (char& ch : name) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return name;
    });

TEST(ReleaseDataTest, KeyMustBeAProductId) {
  auto parsed = parse_release_data(release_data("../etc", R"({"versions":{}})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "uprank.fetch.bad_name");
}

TEST(ReleaseDataTest, FactsFillReleasedByProductWithProvenance) {
  std::vector<RawResponse> responses = {
      release_data("redis", read_text(kReleaseData / "redis.json")),
      release_data("nginx", read_text(kReleaseData / "nginx.json")),
  };
  auto facts = facts_from_responses(responses, "snapshot");
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->released.size(), 2u);
  EXPECT_EQ(facts->released.at("redis").product, "redis");
  EXPECT_FALSE(facts->released.at("nginx").versions.empty());
  EXPECT_TRUE(facts->products.empty());  // release-data fills `released` only
  ASSERT_EQ(facts->provenance.size(), 1u);
  EXPECT_EQ(facts->provenance[0].source, "endoflife-releases");
  EXPECT_EQ(facts->provenance[0].responses, 2u);
  EXPECT_EQ(facts->provenance[0].origin, "snapshot");

  RawResponse broken = release_data("redis", R"({"versions":{"7.2.4":[]}})");
  EXPECT_FALSE(validate_response(broken).ok());
  // One bad stored row is left out and named; the others are still facts.
  auto loaded = facts_from_responses({broken, release_data("nginx", R"({"versions":{"1.25.3":{"name":"1.25.3","date":"2023-10-24"}}})")},
                                     "store");
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->skipped.size(), 1u);
  EXPECT_EQ(loaded->skipped[0].rfind("endoflife-releases/redis: ", 0), 0u) << loaded->skipped[0];
  EXPECT_EQ(loaded->released.count("nginx"), 1u);
}

TEST(ReleaseDataTest, UrlJoinsBaseAndProduct) {
  EXPECT_EQ(release_data_url("http://127.0.0.1:8080//", "nodejs"), "http://127.0.0.1:8080/releases/nodejs.json");
}

}  // namespace
}  // namespace uprank::fetch
