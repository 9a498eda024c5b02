// Offline import: every feed classified by content (never by name), the real fixture files
// (../shared/fixtures), zip dumps and gzip, bounded YAML, the KEV CSV and the summary.
#include <gtest/gtest.h>

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <optional>

#include "fetchers/importer.h"
#include "fetchers/json_input.h"
#include "fetchers/kev.h"
#include "fetchers/osv.h"
#include "fetchers/store.h"
#include "fetchers/to_facts.h"
#include "fetchers/yaml_input.h"
#include "tests/test_folder.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = UPRANK_SHARED_FIXTURES;
constexpr const char* kNow = "2026-08-22T00:00:00Z";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Compresses `text` as gzip (window_bits 16 + MAX_WBITS) or raw deflate for zip (-MAX_WBITS).
std::string deflate_text(const std::string& text, int window_bits) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}
std::string gzip(const std::string& text) { return deflate_text(text, 16 + MAX_WBITS); }

// Builds a zip archive as osv.dev's `<ecosystem>/all.zip`: deflated entries (or stored
// ones); `zip64` writes the ZIP64 records and extra fields large dumps carry.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files, bool deflated = true,
                     bool zip64 = false) {
  auto le16 = [](uint64_t v) { return std::string{static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)}; };
  auto le32 = [&](uint64_t v) { return le16(v & 0xFFFF) + le16((v >> 16) & 0xFFFF); };
  auto le64 = [&](uint64_t v) { return le32(v & 0xFFFFFFFF) + le32(v >> 32); };
  std::string local, central;
  for (const auto& [name, data] : files) {
    uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    std::string stored = deflated ? deflate_text(data, -MAX_WBITS) : data;
    uint32_t method = deflated ? 8 : 0;
    uint64_t offset = local.size();
    local += le32(0x04034b50) + le16(20) + le16(0) + le16(method) + le32(0) + le32(crc) + le32(stored.size()) +
             le32(data.size()) + le16(name.size()) + le16(0) + name + stored;
    std::string extra = zip64 ? le16(1) + le16(8) + le64(offset) : "";
    central += le32(0x02014b50) + le16(45) + le16(45) + le16(0) + le16(method) + le32(0) + le32(crc) +
               le32(stored.size()) + le32(data.size()) + le16(name.size()) + le16(extra.size()) + le16(0) + le16(0) +
               le16(0) + le32(0) + le32(zip64 ? 0xFFFFFFFF : offset) + name + extra;
  }
  std::string end;
  if (zip64) {
    uint64_t record = local.size() + central.size();
    end += le32(0x06064b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0) + le64(files.size()) +
           le64(files.size()) + le64(central.size()) + le64(local.size());
    end += le32(0x07064b50) + le32(0) + le64(record) + le32(1);
  }
  uint64_t count = zip64 ? 0xFFFF : files.size();
  end += le32(0x06054b50) + le16(0) + le16(0) + le16(count) + le16(count) + le32(central.size()) +
         le32(zip64 ? 0xFFFFFFFF : local.size()) + le16(0);
  return local + central + end;
}

// Whether the value at `pointer` is a member of an object (so that it can be removed).
bool changed_parent_is_object(const nlohmann::json& document, const nlohmann::json::json_pointer& pointer) {
  return !pointer.empty() && document[pointer.parent_pointer()].is_object();
}

class ImportTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& data) {
    fs::path path = folder_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << data;
    return path.string();
  }
  test_support::TestFolder scratch_{"uprank-import"};
  const fs::path& folder_ = scratch_.path();
};

struct ClassifyCase {
  const char* name;
  std::string content;
  std::optional<FeedFormat> format;  // nullopt: unrecognised
};

TEST(ClassifyTest, ByContentOnly) {
  const std::vector<ClassifyCase> cases = {
      {"kev json", R"({"catalogVersion":"2025.08.25","vulnerabilities":[]})", FeedFormat::kKevJson},
      {"kev csv", "cveID,vendorProject,product\nCVE-2021-44228,Apache,Log4j\n", FeedFormat::kKevCsv},
      {"osv json", R"({"id":"GO-1","modified":"2024-01-01T00:00:00Z","affected":[]})", FeedFormat::kOsvJson},
      {"osv yaml", "id: PYSEC-1\nmodified: \"2024-01-01T00:00:00Z\"\n", FeedFormat::kOsvYaml},
      {"epss with comment", "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\n",
       FeedFormat::kEpssCsv},
      {"epss plain", "\xEF\xBB\xBF" "cve,epss,percentile\r\nCVE-1999-0001,0.1,0.2\r\n", FeedFormat::kEpssCsv},
      {"release-data", R"({"releases":{},"versions":{"7.2.4":{"name":"7.2.4","date":"2024-01-09"}}})",
       FeedFormat::kReleaseDataJson},
      {"release-data without releases", R"({"versions":{}})", std::nullopt},
      {"release-data with a versions array", R"({"releases":{},"versions":[]})", std::nullopt},
      {"release-data as yaml", "releases: {}\nversions: {}\n", std::nullopt},
      {"osv without modified", R"({"id":"GO-1"})", std::nullopt},
      {"kev without version", R"({"vulnerabilities":[]})", std::nullopt},
      {"a schema", R"({"$schema":"x","properties":{}})", std::nullopt},
      {"markdown", "# Fixture sources\n\nSome text.\n", std::nullopt},
      {"other csv", "name,version\nopenssl,3.0\n", std::nullopt},
      {"kev as yaml", "catalogVersion: x\nvulnerabilities: []\n", std::nullopt},
      {"broken json", "{\"id\": ", std::nullopt},
      {"binary", std::string("\x7F" "ELF\0\0", 6), std::nullopt},
      {"empty", " \n", std::nullopt},
  };
  for (const ClassifyCase& c : cases) {
    auto format = classify_feed(c.content, "f");
    if (c.format) {
      ASSERT_TRUE(format.ok()) << c.name << ": " << format.error().message;
      EXPECT_EQ(*format, *c.format) << c.name;
    } else {
      ASSERT_FALSE(format.ok()) << c.name;
      EXPECT_EQ(format.error().code, "uprank.import.unrecognised") << c.name;
      EXPECT_EQ(format.error().message.rfind("f: ", 0), 0u) << c.name << ": names the file: " << format.error().message;
    }
  }
}

TEST_F(ImportTest, NamesDoNotDecide) {
  // An EPSS CSV called kev.json and an OSV record called epss.csv.
  std::string csv = read_text(kFixtures / "epss/epss_scores-sample-2025-02-20.csv");
  auto epss = import_feeds(write("kev.json", csv), kNow);
  ASSERT_TRUE(epss.ok()) << epss.error().message;
  ASSERT_EQ(epss->responses.size(), 1u);
  EXPECT_EQ(epss->responses[0].source, "epss");
  EXPECT_EQ(epss->responses[0].key, "csv/2025-02-20");
  EXPECT_EQ(epss->summary.records.at("epss"), 5u);
  auto osv = import_feeds(write("epss.csv", read_text(kFixtures / "osv/go/GO-2022-0304.json")), kNow);
  ASSERT_TRUE(osv.ok()) << osv.error().message;
  EXPECT_EQ(osv->responses.at(0).source, "osv");
  EXPECT_EQ(osv->responses.at(0).key, "GO-2022-0304");
  auto gz = import_feeds(write("data.bin", gzip(csv)), kNow);
  ASSERT_TRUE(gz.ok()) << gz.error().message;
  EXPECT_EQ(gz->responses.at(0).body, csv);
}

TEST_F(ImportTest, ReleaseDataFolderTakesProductsFromFileNames) {
  const fs::path folder = kFixtures / "endoflife/release-data";
  auto result = import_feeds(folder.string(), kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->summary.files.at("endoflife-releases"), 41u);
  EXPECT_GT(result->summary.records.at("endoflife-releases"), 10'000u);  // versions
  // README.md and the licence are no feed; nothing inside the files was skipped.
  EXPECT_EQ(result->summary.skipped.size(), 2u);
  for (const std::string& line : result->summary.skipped) EXPECT_EQ(line.find("$.versions"), std::string::npos) << line;
  const RawResponse* postgresql = nullptr;
  for (const RawResponse& response : result->responses) {
    if (response.key == "postgresql") postgresql = &response;
  }
  ASSERT_NE(postgresql, nullptr);
  EXPECT_EQ(postgresql->source, "endoflife-releases");
  EXPECT_EQ(postgresql->body, read_text(folder / "postgresql.json"));  // stored as fetched: the raw file
  EXPECT_TRUE(validate_response(*postgresql).ok());

  // Content decides the feed; the name gives the product, inside a zip too, and must be one.
  std::string redis = read_text(folder / "redis.json");
  auto zipped = import_feeds(write("release-data.zip", make_zip({{"releases/redis.json", redis}})), kNow);
  ASSERT_TRUE(zipped.ok()) << zipped.error().message;
  ASSERT_EQ(zipped->responses.size(), 1u);
  EXPECT_EQ(zipped->responses[0].key, "redis");
  auto unnamed = import_feeds(write("Redis Releases.json", redis), kNow);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().code, "uprank.import.bad_id");
  EXPECT_NE(unnamed.error().message.find("Redis Releases.json"), std::string::npos) << unnamed.error().message;

  // Unusable entries are skipped and said, with the file and the JSON path.
  std::string path = write("nginx.json", R"({"releases":{},"versions":{"1.27.1":{"name":"1.27.1","date":"2024-08-12"},)"
                                         R"("1.27.0":{"name":"1.27.0","date":"2024-13-01"}}})");
  auto skipping = import_feeds(path, kNow);
  ASSERT_TRUE(skipping.ok()) << skipping.error().message;
  EXPECT_EQ(skipping->summary.records.at("endoflife-releases"), 1u);
  ASSERT_EQ(skipping->summary.skipped.size(), 1u);
  EXPECT_EQ(skipping->summary.skipped[0], path + R"(: $.versions["1.27.0"].date: not a YYYY-MM-DD date ('2024-13-01'))");
  // A wrong shape is an error naming the file.
  auto broken = import_feeds(write("mysql.json", R"({"releases":{},"versions":{"8.4.2":"2024-07-01"}})"), kNow);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "uprank.fetch.bad_shape");
  EXPECT_NE(broken.error().message.find(R"(mysql.json: $.versions["8.4.2"]: must be an object)"), std::string::npos)
      << broken.error().message;
}

TEST_F(ImportTest, UnrecognisedNamedFileIsAnErrorNamingIt) {
  std::string path = write("notes.json", R"({"hello":"world"})");
  auto result = import_feeds(path, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "uprank.import.unrecognised");
  EXPECT_NE(result.error().message.find(path), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("OSV record"), std::string::npos) << "says why: " << result.error().message;
  EXPECT_FALSE(import_feeds((folder_ / "missing.json").string(), kNow).ok());
}

TEST_F(ImportTest, KevJsonIsStoredAsTheFetcherStoresIt) {
  fs::path path = kFixtures / "kev/known_exploited_vulnerabilities.json";
  auto result = import_feeds(path.string(), kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->responses.size(), 1u);
  const RawResponse& response = result->responses[0];
  EXPECT_EQ(response.source, "kev");
  EXPECT_EQ(response.key, "catalog");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, read_text(path));
  EXPECT_EQ(result->summary.records.at("kev"), 1404u);
  EXPECT_TRUE(validate_response(response).ok());
}

TEST_F(ImportTest, KevCsvGivesTheSameEntriesAsTheJson) {
  auto csv = import_feeds((kFixtures / "kev/known_exploited_vulnerabilities.csv").string(), kNow);
  ASSERT_TRUE(csv.ok()) << csv.error().message;
  ASSERT_EQ(csv->responses.size(), 1u);
  EXPECT_EQ(csv->responses[0].key, "catalog");
  auto from_csv = parse_kev_catalog(csv->responses[0]);
  ASSERT_TRUE(from_csv.ok()) << from_csv.error().message;
  RawResponse json_response;
  json_response.source = "kev";
  json_response.key = "catalog";
  json_response.body = read_text(kFixtures / "kev/known_exploited_vulnerabilities.json");
  auto from_json = parse_kev_catalog(json_response);
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(from_csv->catalog_version, "2025.08.25");
  ASSERT_EQ(from_csv->entries.size(), from_json->entries.size());
  for (const auto& [cve, entry] : from_json->entries) {
    const facts::KevEntry& other = from_csv->entries.at(cve);
    EXPECT_EQ(other.vendor, entry.vendor) << cve;
    EXPECT_EQ(other.name, entry.name) << cve;
    EXPECT_EQ(other.short_description, entry.short_description) << cve;
    EXPECT_EQ(other.date_added, entry.date_added) << cve;
    EXPECT_EQ(other.due_date, entry.due_date) << cve;
    EXPECT_EQ(other.known_ransomware_use, entry.known_ransomware_use) << cve;
    EXPECT_EQ(other.cwes, entry.cwes) << cve;
  }
}

TEST(KevCsvTest, QuotingAndErrors) {
  auto json = kev_catalog_json_from_csv(
      "cveID,vendorProject,product,shortDescription,dateAdded,cwes\r\n"
      "CVE-2021-44228,Apache,Log4j,\"say \"\"hi\"\", then\nnewline\",2021-12-10,\"CWE-20, CWE-917\"\r\n",
      "k.csv");
  ASSERT_TRUE(json.ok()) << json.error().message;
  RawResponse response;
  response.source = "kev";
  response.body = *json;
  auto catalog = parse_kev_catalog(response);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  const facts::KevEntry& entry = catalog->entries.at("CVE-2021-44228");
  EXPECT_EQ(entry.short_description, "say \"hi\", then\nnewline");
  EXPECT_EQ(entry.cwes, (std::vector<std::string>{"CWE-20", "CWE-917"}));
  EXPECT_EQ(catalog->catalog_version, "2021.12.10");
  auto unterminated = kev_catalog_json_from_csv("cveID,vendorProject\n\"CVE-1,x\n", "k.csv");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.error().message.find("k.csv:2"), std::string::npos) << unterminated.error().message;
  auto ragged = kev_catalog_json_from_csv("cveID,vendorProject\nCVE-1\n", "k.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.error().message.find("k.csv:2"), std::string::npos) << ragged.error().message;
}

TEST_F(ImportTest, OsvYamlDirectoryImportsEveryRecord) {
  auto result = import_feeds((kFixtures / "osv/pypi-pypa-yaml").string(), kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->summary.records.at("osv"), 83u);
  EXPECT_EQ(result->responses.size(), 83u);
  ASSERT_EQ(result->summary.skipped.size(), 1u) << "the licence file, said, not silent";
  EXPECT_NE(result->summary.skipped[0].find("LICENSE-CC-BY-4.0: "), std::string::npos) << result->summary.skipped[0];
  for (const RawResponse& response : result->responses) {
    auto advisory = parse_osv_record(response);
    ASSERT_TRUE(advisory.ok()) << advisory.error().message;
    EXPECT_EQ(advisory->id, response.key);
  }
  // Unquoted YAML versions keep their text: PYSEC-2008-1 lists `1.0.1` and ranges "fixed".
  const auto& first = *std::find_if(result->responses.begin(), result->responses.end(),
                                    [](const RawResponse& r) { return r.key == "PYSEC-2008-1"; });
  auto advisory = parse_osv_record(first);
  ASSERT_TRUE(advisory.ok());
  EXPECT_EQ(advisory->affected.at(0).versions.front(), "1.0.1");
  EXPECT_TRUE(advisory->affected.at(0).ranges.at(0).range.has_value());
}

TEST_F(ImportTest, WholeOsvFixtureTreeWithSummary) {
  auto result = import_feeds((kFixtures / "osv").string(), kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->summary.records.at("osv"), 643u);
  EXPECT_EQ(result->summary.files.at("osv"), 643u);
  // FORMAT.md, MANIFEST.tsv, README and licence files are listed with a reason.
  EXPECT_GE(result->summary.skipped.size(), 4u);
  for (const std::string& line : result->summary.skipped) EXPECT_NE(line.find(": "), std::string::npos) << line;
  // Every fixture ecosystem has a scheme: nothing in them is left uncompared for that reason.
  for (const char* ecosystem : {"PyPI", "Go", "Bitnami", "crates.io"}) {
    EXPECT_EQ(result->summary.unknown_ecosystems.count(ecosystem), 0u) << ecosystem;
  }
}

TEST_F(ImportTest, ZipDumpWithDeflatedEntriesAndSkips) {
  std::string go = read_text(kFixtures / "osv/go/GO-2022-0304.json");
  std::string yaml = read_text(kFixtures / "osv/pypi-pypa-yaml/PYSEC-2008-1.yaml");
  std::string zip = make_zip({{"GO-2022-0304.json", go}, {"PYSEC-2008-1.yaml", yaml}, {"README.txt", "hello"}});
  std::string path = write("all.zip", zip);
  auto result = import_feeds(path, kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->summary.records.at("osv"), 2u);
  ASSERT_EQ(result->summary.skipped.size(), 1u);
  EXPECT_NE(result->summary.skipped[0].find(path + "!README.txt: "), std::string::npos) << result->summary.skipped[0];
  // ZIP64 records and extra fields, as dumps past 65,535 entries carry, read the same.
  auto zip64 = read_zip(make_zip({{"GO-2022-0304.json", go}, {"README.txt", "hello"}}, true, true), ImportLimits{});
  ASSERT_TRUE(zip64.ok()) << zip64.error().message;
  ASSERT_EQ(zip64->size(), 2u);
  EXPECT_EQ(zip64->at(0).data, go);
  EXPECT_EQ(zip64->at(1).data, "hello");
  // A stored (method 0) archive reads the same.
  auto stored = read_zip(make_zip({{"a.json", go}}, false), ImportLimits{});
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->at(0).data, go);
  // A bad record inside a zip is an error naming the archive and the entry.
  std::string bad = write("bad.zip", make_zip({{"X.json", R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":{}})"}}));
  auto failed = import_feeds(bad, kNow);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("bad.zip!X.json"), std::string::npos) << failed.error().message;
  EXPECT_FALSE(read_zip("PK junk", ImportLimits{}).ok());
}

TEST_F(ImportTest, GzipBombAndFileCountAreBounded) {
  std::string bomb = write("bomb.gz", gzip(std::string(1 << 20, 'a')));
  ImportLimits tight;
  tight.max_inflated_bytes = 1000;
  auto result = import_feeds(bomb, kNow, tight);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "uprank.import.too_large");
  write("d/a.json", "{}");
  write("d/b.json", "{}");
  tight.max_files = 1;
  EXPECT_EQ(import_feeds((folder_ / "d").string(), kNow, tight).error().code, "uprank.import.too_large");
}

TEST_F(ImportTest, EcosystemsWithoutSchemesAndUnreadableRangesAreCounted) {
  std::string record = R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"OSS-Fuzz","name":"a"},"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"0"}]}]},
    {"package":{"ecosystem":"OSS-Fuzz","name":"b"}},
    {"package":{"ecosystem":"PyPI","name":"c"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"not a version!"}]}]},
    {"package":{"ecosystem":"PyPI","name":"d"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]})";
  auto result = import_feeds(write("x.json", record), kNow);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->summary.unknown_ecosystems, (std::map<std::string, size_t>{{"OSS-Fuzz", 2}}));
  EXPECT_EQ(result->summary.unreadable_ranges, (std::map<std::string, size_t>{{"PyPI", 1}}));
}

// Streaming (import_feeds_into): each record reaches the sink once read, with the advisory
// package keys the store would compute from its body; a zip is read from its file.
class RecordingSink final : public ImportSink {
 public:
  Status add(RawResponse response, const std::vector<std::string>* packages) override {
    if (refuse_at && seen.size() == *refuse_at) return make_error("test.refused", "refused " + response.key);
    seen.push_back(std::move(response));
    keys.push_back(packages != nullptr ? std::optional<std::vector<std::string>>(*packages) : std::nullopt);
    return {};
  }
  std::vector<RawResponse> seen;
  std::vector<std::optional<std::vector<std::string>>> keys;
  std::optional<size_t> refuse_at;
};

TEST_F(ImportTest, StreamsEachRecordWithItsPackageKeys) {
  std::string go = read_text(kFixtures / "osv/go/GO-2022-0304.json");
  std::string go2 = read_text(kFixtures / "osv/go/GO-2022-0480.json");
  std::string yaml = read_text(kFixtures / "osv/pypi-pypa-yaml/PYSEC-2008-1.yaml");
  std::string zip = make_zip({{"GO-2022-0304.json", go}, {"PYSEC-2008-1.yaml", yaml}, {"README.txt", "hello"},
                              {"GO-2022-0480.json", go2}}, true, true);
  std::string path = write("all.zip", zip);
  RecordingSink sink;
  auto summary = import_feeds_into(path, kNow, sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->records.at("osv"), 3u);
  ASSERT_EQ(summary->skipped.size(), 1u);
  ASSERT_EQ(sink.seen.size(), 3u);
  EXPECT_EQ(sink.seen[0].key, "GO-2022-0304");
  for (size_t i = 0; i < sink.seen.size(); ++i) {
    ASSERT_TRUE(sink.keys[i].has_value()) << sink.seen[i].key;
    EXPECT_FALSE(sink.keys[i]->empty());
    EXPECT_EQ(*sink.keys[i], advisory_package_keys(sink.seen[i]).value()) << sink.seen[i].key;
  }
  // The same records as the archive read whole from memory.
  auto whole = read_zip(zip, ImportLimits{});
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  EXPECT_EQ(whole->size(), 4u);
  EXPECT_EQ(sink.seen[2].body, go2);
  // A sink's error ends the import, as it is.
  RecordingSink refusing;
  refusing.refuse_at = 1;
  auto refused = import_feeds_into(path, kNow, refusing);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "test.refused");
  EXPECT_EQ(refusing.seen.size(), 1u);
  // A dump cut short is corrupt, named.
  std::string cut = write("cut.zip", zip.substr(0, zip.size() - 30));
  RecordingSink none;
  auto corrupt = import_feeds_into(cut, kNow, none);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().code, "uprank.import.corrupt");
  EXPECT_EQ(corrupt.error().message.rfind(cut + ": ", 0), 0u) << corrupt.error().message;
}

// Writes each imported record into a Store::Writer, as `uprank fetch --import` does.
class WriterSink final : public ImportSink {
 public:
  explicit WriterSink(Store::Writer& writer) : writer_(writer) {}
  Status add(RawResponse response, const std::vector<std::string>* packages) override {
    return writer_.add(response, packages);
  }

 private:
  Store::Writer& writer_;
};

// A bad record late in a dump, after good ones were written, leaves the store as it was.
TEST_F(ImportTest, ABadRecordLateInADumpLeavesTheStoreAsItWas) {
  std::string go = read_text(kFixtures / "osv/go/GO-2022-0304.json");
  std::string go2 = read_text(kFixtures / "osv/go/GO-2022-0480.json");
  auto store = Store::open((folder_ / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto import = [&](const std::string& path) -> Status {
    auto writer = store->begin_put(kNow);
    if (!writer) return writer.error();
    WriterSink sink(*writer);
    auto summary = import_feeds_into(path, kNow, sink);
    if (!summary) return summary.error();
    return writer->commit();
  };
  ASSERT_TRUE(import(write("good.zip", make_zip({{"GO-2022-0304.json", go}}))).ok());
  const std::string hash = *store->content_hash();
  std::string bad = write("bad.zip", make_zip({{"GO-2022-0480.json", go2},
                                               {"X.json", R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":{}})"}}));
  Status failed = import(bad);
  ASSERT_FALSE(failed.ok());
  // The error names the zip entry, the record and the JSON path of what is wrong.
  EXPECT_EQ(failed.error().message, "file://" + bad + "!X.json (X-1): $.affected must be an array, not an object");
  EXPECT_EQ(failed.error().code, "uprank.fetch.bad_shape");
  EXPECT_EQ(*store->content_hash(), hash);
  EXPECT_FALSE(store->get("osv", "GO-2022-0480")->has_value());
  EXPECT_TRUE(store->get("osv", "GO-2022-0304")->has_value());
  EXPECT_EQ(store->responses("osv")->size(), 1u);
}

// An import is one event in the fetch log: one line per source it wrote, at commit, not one
// per record; a failed import logs nothing, as it stores nothing.
TEST_F(ImportTest, AnImportIsOneFetchLogLinePerSource) {
  std::string go = read_text(kFixtures / "osv/go/GO-2022-0304.json");
  std::string go2 = read_text(kFixtures / "osv/go/GO-2022-0480.json");
  std::string kev = read_text(kFixtures / "kev/known_exploited_vulnerabilities.json");
  auto store = Store::open((folder_ / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto import = [&](const std::string& path) -> Status {
    auto writer = store->begin_import(kNow, path);
    if (!writer) return writer.error();
    WriterSink sink(*writer);
    auto summary = import_feeds_into(path, kNow, sink);
    if (!summary) return summary.error();
    return writer->commit();
  };
  const std::string path = write("dump.zip", make_zip({{"GO-2022-0304.json", go}, {"kev.json", kev}, {"GO-2022-0480.json", go2}}));
  ASSERT_TRUE(import(path).ok());
  auto log = store->fetch_log();
  ASSERT_TRUE(log.ok()) << log.error().message;
  ASSERT_EQ(log->size(), 2u);
  // Newest first: the KEV catalog reaches the store at the end of the import.
  EXPECT_EQ(log->at(0).source, "kev");
  EXPECT_EQ(log->at(0).message, "imported 1 response(s) from " + path);
  EXPECT_EQ(log->at(1).source, "osv");
  EXPECT_EQ(log->at(1).key, "import");
  EXPECT_EQ(log->at(1).outcome, "fetched");
  EXPECT_EQ(log->at(1).at, kNow);
  EXPECT_EQ(log->at(1).message, "imported 2 response(s) from " + path);
  EXPECT_EQ(store->responses("osv")->size(), 2u);
  auto states = store->source_states();
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->at("osv").last_success_at, kNow);
  EXPECT_EQ(states->at("kev").last_success_at, kNow);
  const std::string bad = write("bad.zip", make_zip({{"GO-2022-0480.json", go2}, {"X.json", R"({"id":"X-1","modified":"m","affected":7})"}}));
  ASSERT_FALSE(import(bad).ok());
  EXPECT_EQ(store->fetch_log()->size(), 2u);
}

// An import reads an OSV record without its tree (scan_osv_record): for every JSON record
// of the fixtures (go, crates.io-rustsec, bitnami) it finds the id and affected packages
// parse_osv_document finds, field by field, and it declines what is no OSV record.
TEST(OsvScanTest, ReadsWhatTheTreeParseReadsOfEveryFixtureRecord) {
  size_t records = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtures / "osv")) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = read_text(entry.path());
    const std::string where = "file://" + entry.path().string();
    auto tree = parse_json(text, where);
    ASSERT_TRUE(tree.ok()) << tree.error().message;
    auto expected = parse_osv_document(*tree, where, kNow);
    ASSERT_TRUE(expected.ok()) << expected.error().message;
    auto scanned = scan_osv_record(text, where);
    ASSERT_TRUE(scanned.ok()) << scanned.error().message;
    ASSERT_TRUE(scanned->has_value()) << entry.path();
    const facts::Advisory& got = **scanned;
    EXPECT_EQ(got.id, expected->id);
    ASSERT_EQ(got.affected.size(), expected->affected.size()) << entry.path();
    for (size_t i = 0; i < got.affected.size(); ++i) {
      const facts::AffectedPackage& a = got.affected[i];
      const facts::AffectedPackage& b = expected->affected[i];
      EXPECT_EQ(a.ecosystem, b.ecosystem) << entry.path();
      EXPECT_EQ(a.name, b.name) << entry.path();
      EXPECT_EQ(a.purl, b.purl) << entry.path();
      EXPECT_EQ(a.scheme, b.scheme) << entry.path();
      ASSERT_EQ(a.ranges.size(), b.ranges.size()) << entry.path();
      for (size_t r = 0; r < a.ranges.size(); ++r) {
        EXPECT_EQ(a.ranges[r].type, b.ranges[r].type) << entry.path();
        ASSERT_EQ(a.ranges[r].events.size(), b.ranges[r].events.size()) << entry.path();
        for (size_t e = 0; e < a.ranges[r].events.size(); ++e) {
          EXPECT_EQ(a.ranges[r].events[e].kind, b.ranges[r].events[e].kind);
          EXPECT_EQ(a.ranges[r].events[e].version, b.ranges[r].events[e].version);
        }
        EXPECT_EQ(a.ranges[r].range.has_value(), b.ranges[r].range.has_value()) << entry.path();
        if (a.ranges[r].range && b.ranges[r].range) EXPECT_EQ(a.ranges[r].range->text(), b.ranges[r].range->text());
      }
    }
    EXPECT_EQ(advisory_package_keys(got), advisory_package_keys(*expected)) << entry.path();
    ++records;
  }
  EXPECT_GT(records, 100u);
  // Not OSV records (classify_feed says what they are): declined, for the tree to decide.
  for (const char* other : {R"({"catalogVersion":"1","vulnerabilities":[],"id":"X","modified":"m"})",
                            R"({"id":"X","modified":"m","document":{"csaf_version":"2.0"}})",
                            R"({"id":"X","modified":"m","releases":{},"versions":{}})",
                            R"({"id":"X"})", R"({"id":5,"modified":"m"})", R"({"id":"X","modified":null})",
                            R"(["id","modified"])", R"("id")", R"({"id":"X","modified":"m")", R"({"id":"X","modified":"m"} x)",
                            R"({"id":"X","modified":"m","affected":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})"}) {
    auto declined = scan_osv_record(other, "f");
    ASSERT_TRUE(declined.ok()) << other << ": " << declined.error().message;
    EXPECT_FALSE(declined->has_value()) << other;
  }
}

// A record the importer refuses is refused with parse_osv_document's error, word for
// word, which names the file and the JSON path of what is wrong (the paths below are
// written from the records, not taken from the output). Duplicate members count as
// nlohmann's tree keeps them: the last one.
TEST(OsvScanTest, RefusesWhatTheTreeParseRefusesWithItsJsonPath) {
  struct Case {
    std::string record;
    std::string error;  // "" when valid
  };
  const std::string head = R"({"id":"X-1","modified":"2024-01-01T00:00:00Z",)";
  const std::string at = "f (X-1): ";
  const std::vector<Case> cases = {
      {head + R"("affected":{}})", at + "$.affected must be an array, not an object"},
      {head + R"("affected":"x"})", at + "$.affected must be an array, not a string"},
      {head + R"("affected":[{},{"versions":7}]})", at + "$.affected[1].versions must be an array, not a number"},
      {head + R"("affected":[{"ranges":true}]})", at + "$.affected[0].ranges must be an array, not a boolean"},
      {head + R"("affected":[{"package":{"name":"p"},"ranges":[{"type":"SEMVER","events":[]},{"type":"GIT"}]}]})",
       at + "$.affected[0].ranges[1]: a range of p has no 'events' array"},
      {head + R"("affected":[{"ranges":[{"events":{}}],"package":{"name":"late"}}]})",
       at + "$.affected[0].ranges[0].events must be an array, not an object"},
      {head + R"("affected":[{"ranges":[{"events":[{"introduced":"0"},{"fixed":1}]}],"package":{"name":"q"}}]})",
       at + "$.affected[0].ranges[0].events[1]: an event of q must be an object with one string"},
      {head + R"("affected":[{"ranges":[{"events":[{"introduced":"0","fixed":"1"}]}]}]})",
       at + "$.affected[0].ranges[0].events[0]: an event of  must be an object with one string"},
      {head + R"("affected":[{"ranges":[{"events":["0"]}]}]})",
       at + "$.affected[0].ranges[0].events[0]: an event of  must be an object with one string"},
      {head + R"("affected":[{"ranges":[5]}]})", at + "$.affected[0].ranges[0]: a range of  has no 'events' array"},
      {R"({"id":"","modified":"m"})", "f: OSV record has no 'id'"},
      // The first error in document order: entry 0's ranges before entry 1's versions.
      {head + R"("affected":[{"ranges":{}},{"versions":{}}]})", at + "$.affected[0].ranges must be an array, not an object"},
      // Last member wins, as in the tree.
      {head + R"("affected":5,"affected":[]})", ""},
      {head + R"("affected":[],"affected":5})", at + "$.affected must be an array, not a number"},
      {head + R"("affected":[{"ranges":7,"ranges":[]}]})", ""},
      {head + R"("affected":[{"ranges":[{"events":[{"fixed":"1","fixed":"2"}]}]}]})", ""},
      {head + R"("affected":[{"ranges":[{"events":[{"fixed":"1","fixed":2}]}]}]})",
       at + "$.affected[0].ranges[0].events[0]: an event of  must be an object with one string"},
      {head + R"("affected":[{"package":{"name":"a"},"package":null,"ranges":[{}]}]})",
       at + "$.affected[0].ranges[0]: a range of  has no 'events' array"},
      // Null is absent; an entry that is no object names no package.
      {head + R"("affected":null})", ""},
      {head + R"("affected":[7,{"versions":null,"ranges":null}]})", ""},
      {head + R"("id":"X-2","affected":[{"ranges":{}}]})", "f (X-2): $.affected[0].ranges must be an array, not an object"},
  };
  for (const Case& c : cases) {
    auto tree = parse_json(c.record, "f");
    ASSERT_TRUE(tree.ok()) << c.record;
    auto expected = parse_osv_document(*tree, "f", kNow);
    auto scanned = scan_osv_record(c.record, "f");
    if (c.error.empty()) {
      ASSERT_TRUE(expected.ok()) << c.record << ": " << expected.error().message;
      ASSERT_TRUE(scanned.ok()) << c.record << ": " << scanned.error().message;
      ASSERT_TRUE(scanned->has_value()) << c.record;
      EXPECT_EQ(advisory_package_keys(**scanned), advisory_package_keys(*expected)) << c.record;
      EXPECT_EQ((*scanned)->affected.size(), expected->affected.size()) << c.record;
      continue;
    }
    ASSERT_FALSE(expected.ok()) << c.record;
    EXPECT_EQ(expected.error().message, c.error) << c.record;
    ASSERT_FALSE(scanned.ok()) << c.record;
    EXPECT_EQ(scanned.error().code, expected.error().code) << c.record;
    EXPECT_EQ(scanned.error().message, c.error) << c.record;
  }
}

// Every value under `affected` of a few fixture records replaced, one at a time, by a value
// of each other kind (and removed from its object): the SAX read accepts exactly what the
// tree parse accepts, with the same error or the same packages and ranges.
TEST(OsvScanTest, AgreesWithTheTreeParseOnEveryValueOfAnotherKind) {
  std::vector<fs::path> records;
  for (const char* folder : {"osv/go", "osv/crates.io-rustsec", "osv/bitnami"}) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(kFixtures / folder)) {
      if (entry.path().extension() == ".json") found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    for (size_t i = 0; i < found.size() && i < 3; ++i) records.push_back(found[i]);
  }
  ASSERT_GE(records.size(), 6u);
  const std::vector<nlohmann::json> replacements = {nullptr, true, 7, "s", nlohmann::json::object(), nlohmann::json::array(),
                                                    nlohmann::json::array({nlohmann::json::object({{"fixed", "1"}})})};
  size_t variants = 0;
  for (const fs::path& path : records) {
    auto original = parse_json(read_text(path), path.string());
    ASSERT_TRUE(original.ok());
    // Every JSON pointer under /affected.
    std::vector<nlohmann::json::json_pointer> pointers;
    std::function<void(const nlohmann::json&, const nlohmann::json::json_pointer&)> walk =
        [&](const nlohmann::json& value, const nlohmann::json::json_pointer& at) {
          pointers.push_back(at);
          if (value.is_object()) {
            for (const auto& [key, item] : value.items()) walk(item, at / key);
          } else if (value.is_array()) {
            for (size_t i = 0; i < value.size(); ++i) walk(value[i], at / i);
          }
        };
    walk((*original)["affected"], nlohmann::json::json_pointer("/affected"));
    for (const auto& pointer : pointers) {
      std::vector<nlohmann::json> documents;
      for (const nlohmann::json& replacement : replacements) {
        nlohmann::json changed = *original;
        changed[pointer] = replacement;
        documents.push_back(std::move(changed));
      }
      if (pointer != nlohmann::json::json_pointer("/affected") && changed_parent_is_object(*original, pointer)) {
        nlohmann::json removed = *original;
        removed[pointer.parent_pointer()].erase(pointer.back());
        documents.push_back(std::move(removed));
      }
      for (const nlohmann::json& document : documents) {
        const std::string text = document.dump();
        auto tree = parse_osv_document(document, "f", kNow);
        auto scanned = scan_osv_record(text, "f");
        ++variants;
        if (!tree.ok()) {
          ASSERT_FALSE(scanned.ok()) << text;
          EXPECT_EQ(scanned.error().message, tree.error().message) << text;
          continue;
        }
        ASSERT_TRUE(scanned.ok()) << text << ": " << scanned.error().message;
        ASSERT_TRUE(scanned->has_value()) << text;
        EXPECT_EQ(advisory_package_keys(**scanned), advisory_package_keys(*tree)) << text;
        ASSERT_EQ((*scanned)->affected.size(), tree->affected.size()) << text;
        for (size_t i = 0; i < tree->affected.size(); ++i) {
          const auto& a = (*scanned)->affected[i];
          const auto& b = tree->affected[i];
          EXPECT_EQ(a.purl, b.purl) << text;
          ASSERT_EQ(a.ranges.size(), b.ranges.size()) << text;
          for (size_t r = 0; r < a.ranges.size(); ++r) {
            EXPECT_EQ(a.ranges[r].type, b.ranges[r].type) << text;
            EXPECT_EQ(a.ranges[r].events.size(), b.ranges[r].events.size()) << text;
            EXPECT_EQ(a.ranges[r].range.has_value(), b.ranges[r].range.has_value()) << text;
          }
        }
      }
    }
  }
  EXPECT_GT(variants, 1000u);
}

// PipelinedSink: the wrapped sink sees what a direct import gives it, in the same order,
// with the same package keys, whatever the queue's capacity; its first error ends the
// import, and finish() returns it.
TEST_F(ImportTest, PipelinedSinkKeepsOrderKeysAndTheFirstError) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const char* name : {"GO-2022-0304.json", "GO-2022-0480.json"}) entries.emplace_back(name, read_text(kFixtures / "osv/go" / name));
  entries.emplace_back("PYSEC-2008-1.yaml", read_text(kFixtures / "osv/pypi-pypa-yaml/PYSEC-2008-1.yaml"));
  for (int i = 0; i < 40; ++i) {
    entries.emplace_back("T-" + std::to_string(i) + ".json",
                         R"({"id":"T-)" + std::to_string(i) + R"(","modified":"2024-01-01T00:00:00Z","affected":[{"package":)"
                         R"({"ecosystem":"npm","name":"p)" + std::to_string(i) + R"("},"versions":["1.0.0"]}]})");
  }
  std::string path = write("many.zip", make_zip(entries));
  RecordingSink direct;
  ASSERT_TRUE(import_feeds_into(path, kNow, direct).ok());
  ASSERT_EQ(direct.seen.size(), entries.size());
  for (size_t capacity : {size_t{1}, size_t{3}, size_t{256}}) {
    RecordingSink inner;
    PipelinedSink sink(inner, capacity);
    auto summary = import_feeds_into(path, kNow, sink);
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    ASSERT_TRUE(sink.finish().ok());
    ASSERT_EQ(inner.seen.size(), direct.seen.size()) << capacity;
    for (size_t i = 0; i < inner.seen.size(); ++i) {
      EXPECT_EQ(inner.seen[i].key, direct.seen[i].key) << capacity;
      EXPECT_EQ(inner.seen[i].body, direct.seen[i].body);
      EXPECT_EQ(inner.keys[i], direct.keys[i]) << inner.seen[i].key;
    }
  }
  RecordingSink refusing;
  refusing.refuse_at = 5;
  PipelinedSink sink(refusing, 2);
  auto refused = import_feeds_into(path, kNow, sink);
  Status finished = sink.finish();
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().code, "test.refused");
  EXPECT_EQ(finished.error().message, "refused " + direct.seen[5].key);
  // The importer stops at a later record (the error reaches it through the queue), never
  // silently finishing; the wrapped sink saw exactly the records before the refused one.
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "test.refused");
  EXPECT_EQ(refusing.seen.size(), 5u);
  EXPECT_EQ(sink.finish().error().code, "test.refused") << "finish() again returns the same error";
}

TEST(YamlInputTest, ScalarsBoundsAndErrors) {
  auto doc = parse_yaml_as_json("a: 2.0\nb: \"0\"\nc: true\nd: ~\ne: [1, '2']\n", "y");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ((*doc)["a"], "2.0") << "versions keep their text";
  EXPECT_EQ((*doc)["b"], "0");
  EXPECT_EQ((*doc)["c"], true);
  EXPECT_TRUE((*doc)["d"].is_null());
  EXPECT_EQ((*doc)["e"][0], "1");
  std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_FALSE(parse_yaml_as_json(deep, "y").ok());
  std::string block;
  for (int i = 0; i < 80; ++i) block += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  auto too_deep = parse_yaml_as_json(block, "deep.yaml");
  ASSERT_FALSE(too_deep.ok());
  EXPECT_NE(too_deep.error().message.find("deep.yaml"), std::string::npos);
  // A billion laughs: aliases expand past the node budget.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
              ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  auto bomb = parse_yaml_as_json(laughs, "laughs.yaml");
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.error().code, "uprank.fetch.too_large");
  auto broken = parse_yaml_as_json("a: [1, 2\nb: c\n", "broken.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "uprank.fetch.malformed_yaml");
  EXPECT_NE(broken.error().message.find("broken.yaml:"), std::string::npos) << broken.error().message;
  JsonLimits small;
  small.max_bytes = 4;
  EXPECT_EQ(parse_yaml_as_json("a: bcdef", "y", small).error().code, "uprank.fetch.too_large");
}

// Kind 2 of issue 15: the node budget applies while parsing, and says which limit was
// crossed: a plain long list is not an "alias expansion".
TEST(YamlInputTest, NodeBudgetNamesTheRealLimit) {
  std::string list;
  for (int i = 0; i < 5000; ++i) list += "- item\n";
  auto plain = parse_yaml_as_json(list, "list.yaml", {}, 1000);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code, "uprank.fetch.too_large");
  EXPECT_NE(plain.error().message.find("list.yaml:1000:"), std::string::npos) << plain.error().message;
  EXPECT_NE(plain.error().message.find("more than 1000 YAML nodes, the limit for one document, at $[999]"),
            std::string::npos)
      << plain.error().message;
  EXPECT_EQ(plain.error().message.find("alias"), std::string::npos) << plain.error().message;

  std::string repeated = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
  auto expanded = parse_yaml_as_json(repeated, "aliases.yaml", {}, 100);
  ASSERT_FALSE(expanded.ok());
  EXPECT_NE(expanded.error().message.find("more than 100 YAML nodes once aliases are expanded"), std::string::npos)
      << expanded.error().message;
  EXPECT_TRUE(parse_yaml_as_json(repeated, "aliases.yaml", {}, 200).ok());
}

TEST(YamlInputTest, AnchorsAliasesKeysAndDocuments) {
  auto doc = parse_yaml_as_json(
      "a: &x {k: v, n: [1, '2']}\nb: *x\nc: &t true\nd: *t\n&kk name: value\ne: *kk\n*kk : again\n"
      "\"true\": quoted\nf: !!str 4\n---\nsecond: document\n",
      "anchors.yaml");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ((*doc)["b"], (*doc)["a"]);
  EXPECT_EQ((*doc)["a"]["n"], nlohmann::json::array({"1", "2"}));
  EXPECT_EQ((*doc)["d"], true);
  EXPECT_EQ((*doc)["e"], "name");
  EXPECT_EQ((*doc)["name"], "again") << "a repeated key: the last one wins";
  EXPECT_EQ((*doc)["true"], "quoted");
  EXPECT_EQ((*doc)["f"], "4");
  EXPECT_FALSE(doc->contains("second")) << "only the first document";

  auto empty = parse_yaml_as_json("", "empty.yaml");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_null());
  auto scalar = parse_yaml_as_json("just text", "scalar.yaml");
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(*scalar, "just text");

  auto recursive = parse_yaml_as_json("a: &x [1, *x]\n", "recursive.yaml");
  ASSERT_FALSE(recursive.ok());
  EXPECT_EQ(recursive.error().code, "uprank.fetch.malformed_yaml");
  auto map_key = parse_yaml_as_json("? [a, b]\n: c\n", "key.yaml");
  ASSERT_FALSE(map_key.ok());
  EXPECT_NE(map_key.error().message.find("is not a plain string"), std::string::npos) << map_key.error().message;

  // Depth counts where an alias lands: 40 levels repeated 40 levels down is 80.
  std::string deep = "a: &d ";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "\nb: ";
  for (int i = 0; i < 40; ++i) deep += "[";
  deep += "*d";
  for (int i = 0; i < 40; ++i) deep += "]";
  auto too_deep = parse_yaml_as_json(deep + "\n", "deep.yaml");
  ASSERT_FALSE(too_deep.ok());
  EXPECT_NE(too_deep.error().message.find("nested deeper than 64 levels once an alias is expanded"), std::string::npos)
      << too_deep.error().message;
}

// JSON bounds apply while nlohmann parses: depth and the number of values, one pass.
TEST(JsonInputTest, ValueBudgetAndDepthWhileParsing) {
  std::string many = "[";
  for (int i = 0; i < 5000; ++i) many += "{},";
  many += "0]";
  JsonLimits limits;
  limits.max_values = 1000;
  auto over = parse_json(many, "many.json", limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "uprank.fetch.too_large");
  EXPECT_NE(over.error().message.find("many.json: more than 1000 JSON values"), std::string::npos) << over.error().message;
  limits.max_values = 5002;  // the array, 5,000 objects and the 0
  EXPECT_TRUE(parse_json(many, "many.json", limits).ok());
  EXPECT_FALSE(parse_ordered_json(many, "many.json", JsonLimits{.max_values = 10}).ok());

  std::string deep = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(parse_json(deep, "deep.json").ok());
  auto deeper = parse_json("[" + deep + "]", "deep.json");
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.error().code, "uprank.fetch.malformed_json");
  EXPECT_NE(deeper.error().message.find("deeper than 64 levels"), std::string::npos) << deeper.error().message;
  // A bracket inside a string is text, not nesting.
  EXPECT_TRUE(parse_json("[\"" + std::string(100, '[') + "\"]", "string.json").ok());
}

}  // namespace
}  // namespace uprank::fetch
