// endoflife-releases against the loopback server serving the real release-data fixture
// files: conditional requests, a product release-data does not track, a malformed answer
// that must not replace good data, the endoflife products it follows, and a snapshot
// round trip.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "fetchers/endoflife_releases.h"
#include "fetchers/fetcher.h"
#include "fetchers/snapshot.h"
#include "fetchers/store.h"
#include "loopback_server.h"

namespace uprank::fetch {
namespace {

using namespace std::chrono_literals;
using testing::fresh_test_folder;
using testing::loopback_http_options;
using testing::read_text;
namespace fs = std::filesystem;
const fs::path kReleaseData = fs::path(UPRANK_SHARED_FIXTURES) / "endoflife" / "release-data";

class ReleaseDataFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fresh_test_folder("uprank-release-data-");
    store_path_ = (folder_ / "store.db").string();
    store_ = std::make_unique<Store>(std::move(Store::open(store_path_)).value());
    client_ = make_curl_http_client(loopback_http_options());
    // Serves release-data files as raw.githubusercontent.com does: an ETag per file,
    // 304 on a matching If-None-Match, 404 for a product it does not track. A body put
    // in overrides_ replaces the fixture file.
    server_.server().Get(R"(/release-data/releases/([a-z0-9.+_-]+)\.json)",
                         [this](const httplib::Request& req, httplib::Response& res) {
                           ++server_.hits;
                           const std::string product = req.matches[1];
                           std::string body;
                           if (auto it = overrides_.find(product); it != overrides_.end()) {
                             body = it->second;
                           } else if (fs::exists(kReleaseData / (product + ".json"))) {
                             body = read_text(kReleaseData / (product + ".json"));
                           } else {
                             res.status = 404;
                             res.set_content("404: Not Found", "text/plain");
                             return;
                           }
                           const std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
                           if (req.get_header_value("If-None-Match") == etag) {
                             res.status = 304;
                             return;
                           }
                           res.set_header("ETag", etag);
                           res.set_content(body, "text/plain; charset=utf-8");
                         });
  }
  void TearDown() override {
    server_.stop();
    store_.reset();
    fs::remove_all(folder_);
  }
  SourceSettings settings(std::vector<std::string> products) {
    SourceSettings s;
    s.name = kReleaseDataSource;
    s.url = server_.url() + "/release-data";
    s.products = std::move(products);
    return s;
  }

  std::map<std::string, std::string> overrides_;
  testing::LoopbackServer server_;
  fs::path folder_;
  std::string store_path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(ReleaseDataFetchTest, FetchesStoresAndRevalidates) {
  SourceReport report = fetch_source(*store_, *client_, settings({"postgresql", "redis", "nodejs", "android"}),
                                     "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.requested, 4u);
  EXPECT_EQ(report.fetched, 3u);
  EXPECT_EQ(report.failed, 0u) << report.errors[0].message;
  EXPECT_TRUE(report.answered);
  // android has no release-data: said, not a failure.
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("HTTP 404, no data for 'android'"), std::string::npos) << report.warnings[0];

  auto stored = store_->get(kReleaseDataSource, "redis");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->body, read_text(kReleaseData / "redis.json"));  // the raw response, unchanged
  EXPECT_TRUE((*stored)->etag.has_value());

  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->released.size(), 3u);
  EXPECT_EQ(facts->released.at("postgresql").versions.front().version, "18.6");
  EXPECT_EQ(facts->released.at("postgresql").evidence.fetched_at, "2026-08-22T00:00:00Z");
  bool provenance = false;
  for (const auto& p : facts->provenance) {
    if (p.source != "endoflife-releases") continue;
    provenance = true;
    EXPECT_EQ(p.responses, 3u);
    EXPECT_EQ(p.origin, "store");
  }
  EXPECT_TRUE(provenance);

  // The second run asks with the stored ETags and keeps bodies and fetch times.
  SourceReport again = fetch_source(*store_, *client_, settings({"postgresql", "redis", "nodejs"}), "2026-08-23T00:00:00Z");
  EXPECT_EQ(again.unchanged, 3u);
  EXPECT_EQ(again.fetched, 0u);
  auto after = store_->get(kReleaseDataSource, "redis");
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->fetched_at, "2026-08-22T00:00:00Z");
}

TEST_F(ReleaseDataFetchTest, MalformedAnswerKeepsTheGoodData) {
  SourceReport first = fetch_source(*store_, *client_, settings({"redis"}), "2026-08-22T00:00:00Z");
  ASSERT_EQ(first.fetched, 1u);
  for (const char* bad : {R"({"releases":{},"versions":[]})", "<html>rate limited</html>",
                          R"({"versions":{"7.2.4":{"name":"7.2.4","date":20240109}}})"}) {
    overrides_["redis"] = bad;
    SourceReport report = fetch_source(*store_, *client_, settings({"redis"}), "2026-08-23T00:00:00Z");
    EXPECT_EQ(report.failed, 1u) << bad;
    EXPECT_EQ(report.fetched, 0u) << bad;
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_TRUE(report.errors[0].code == "uprank.fetch.bad_shape" || report.errors[0].code == "uprank.fetch.malformed_json")
        << report.errors[0].code;
    EXPECT_NE(report.errors[0].message.find("/release-data/releases/redis.json"), std::string::npos)
        << report.errors[0].message;
    EXPECT_TRUE(report.has_data);
  }
  auto stored = store_->get(kReleaseDataSource, "redis");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->body, read_text(kReleaseData / "redis.json"));
  EXPECT_EQ((*stored)->fetched_at, "2026-08-22T00:00:00Z");
  auto log = store_->fetch_log(1);
  ASSERT_TRUE(log.ok() && !log->empty());
  EXPECT_EQ(log->front().outcome, "failed");
  EXPECT_EQ(log->front().source, "endoflife-releases");
}

TEST_F(ReleaseDataFetchTest, FollowsTheStoredEndoflifeProducts) {
  RawResponse eol;
  eol.source = "endoflife";
  eol.url = "https://endoflife.date/api/v1/products/nginx/";
  eol.fetched_at = "2026-08-22T00:00:00Z";
  for (const char* product : {"nginx", "openssl"}) {
    eol.key = product;
    eol.body = std::string(R"({"schema_version":"1.2.1","result":{"name":")") + product + R"(","releases":[]}})";
    ASSERT_TRUE(store_->put({eol}, "2026-08-22T00:00:00Z").ok());
  }
  SourceReport report = fetch_source(*store_, *client_, settings({}), "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.fetched, 2u);
  auto responses = store_->responses(kReleaseDataSource);
  ASSERT_TRUE(responses.ok());
  std::set<std::string> keys;
  for (const RawResponse& r : *responses) keys.insert(r.key);
  EXPECT_EQ(keys, (std::set<std::string>{"nginx", "openssl"}));
}

TEST_F(ReleaseDataFetchTest, SnapshotCarriesReleaseData) {
  ASSERT_EQ(fetch_source(*store_, *client_, settings({"nginx", "python"}), "2026-08-22T00:00:00Z").fetched, 2u);
  auto responses = store_->responses();
  ASSERT_TRUE(responses.ok());
  const std::string path = (folder_ / "snapshot.json").string();
  ASSERT_TRUE(write_snapshot(path, *responses, "2026-08-22T00:00:00Z").ok());
  auto facts = load_snapshot_facts(path);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->released.size(), 2u);
  EXPECT_EQ(facts->released.at("python").evidence.source, "endoflife-releases");
  ASSERT_EQ(facts->provenance.size(), 1u);
  EXPECT_EQ(facts->provenance[0].source, "endoflife-releases");
  EXPECT_EQ(facts->provenance[0].origin, "snapshot");
}

}  // namespace
}  // namespace uprank::fetch
