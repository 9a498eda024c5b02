// `uprank fetch` through the real binary against the loopback server: exit codes (an empty
// OSV answer is data; 3 only when a source has neither fresh nor cached data), what
// querybatch is asked per component, and `--import` over the real fixture feeds.
#include <gtest/gtest.h>


#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "../fetchers/loopback_server.h"
#include "tests/run_command.h"
#include "tests/test_folder.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = UPRANK_SHARED_FIXTURES;

using test_support::CommandResult;  // `out` holds stdout and stderr together here

class FetchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Get("/kev.json", [this](const httplib::Request&, httplib::Response& res) {
      if (kev_fails_) {
        res.status = 500;
        return;
      }
      res.set_content(R"({"catalogVersion":"2025.08.25","dateReleased":"2025-08-25T00:00:00Z","vulnerabilities":[]})",
                      "application/json");
    });
    server_.server().Get(R"(/release-data/releases/([a-z0-9-]+)\.json)",
                         [this](const httplib::Request& req, httplib::Response& res) {
                           fs::path file = kFixtures / "endoflife/release-data" / (std::string(req.matches[1]) + ".json");
                           {
                             std::lock_guard<std::mutex> lock(mutex_);
                             release_data_asked_.push_back(req.matches[1]);
                           }
                           if (!fs::exists(file)) {
                             res.status = 404;
                             return;
                           }
                           std::ifstream in(file, std::ios::binary);
                           res.set_content(std::string(std::istreambuf_iterator<char>(in), {}), "text/plain");
                         });
    server_.server().Post("/v1/querybatch", [this](const httplib::Request& req, httplib::Response& res) {
      auto body = nlohmann::json::parse(req.body);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& query : body["queries"]) queries_.push_back(query);
      }
      nlohmann::json results = nlohmann::json::array();
      for (size_t i = 0; i < body["queries"].size(); ++i) results.push_back(nlohmann::json::object());
      res.set_content(nlohmann::json{{"results", results}}.dump(), "application/json");  // {"results":[{}]}
    });
  }
  void TearDown() override { server_.stop(); }

  // Runs the binary in the test folder (no uprank.yaml there), sources pointed at loopback.
  CommandResult run(const std::string& arguments) {
    std::string command = "cd '" + folder_.string() + "' && UPRANK_OSV_URL=" + server_.url() +
                          " UPRANK_KEV_URL=" + server_.url() + "/kev.json UPRANK_EPSS_URL=" + server_.url() +
                          "/epss UPRANK_ENDOFLIFE_RELEASES_URL=" + server_.url() + "/release-data" +
                          " no_proxy='*' " + UPRANK_CLI + " fetch --store '" + (folder_ / "store.db").string() +
                          "' " + arguments + " 2>&1";
    return uprank::test_support::run_command(command);
  }

  // A native inventory (purls, an image, a mapped product, one with no identity) and the
  // real dpkg status fixture.
  std::string write_inventory() {
    fs::path path = folder_ / "inventory.yaml";
    std::ofstream(path) << R"(components:
  - name: openssl
    purl: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"
    version: "3.0.11-1~deb12u2"
  - name: jinja
    purl: "pkg:pypi/jinja2@2.4.1"
    version: "2.4.1"
  - name: cache
    purl: "pkg:docker/bitnami/redis@7.2.4"
    version: "7.2.4"
  - name: billing-db
    product: postgresql
    version: "15.3"
  - name: in-house-tool
    version: "1.0"
)";
    return path.string() + " --inventory " + (kFixtures / "inventories/dpkg/status.d-multiple").string();
  }

  fetch::testing::LoopbackServer server_;
  test_support::TestFolder scratch_{"uprank-fetch-cli"};
  const fs::path& folder_ = scratch_.path();
  std::mutex mutex_;
  std::vector<nlohmann::json> queries_;
  std::vector<std::string> release_data_asked_;
  std::atomic<bool> kev_fails_{false};
};

TEST_F(FetchCliTest, EmptyOsvAnswerExitsZeroAndQueriesByIdentity) {
  CommandResult result = run("--source osv,kev --inventory " + write_inventory());
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("1 component(s) not queried:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("(in-house-tool)"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("NO DATA"), std::string::npos) << result.out;
  std::lock_guard<std::mutex> lock(mutex_);
  ASSERT_EQ(queries_.size(), 6u);
  std::vector<std::string> asked;
  for (const auto& query : queries_) asked.push_back(query.dump());
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{
                       R"({"package":{"ecosystem":"Bitnami","name":"postgresql"},"version":"15.3"})",
                       R"({"package":{"ecosystem":"Bitnami","name":"redis"},"version":"7.2.4"})",
                       // The dpkg fixture states no release; its versions name Debian 10.
                       R"({"package":{"ecosystem":"Debian:10","name":"tzdata-dev"},"version":"2020a-0+deb10u1"})",
                       R"({"package":{"ecosystem":"Debian:10","name":"util-linux"},"version":"2.33.1-0.1"})",
                       R"({"package":{"ecosystem":"Debian:12","name":"openssl"},"version":"3.0.11-1~deb12u2"})",
                       R"({"package":{"ecosystem":"PyPI","name":"jinja2"},"version":"2.4.1"})",
                   }));
}

// Issue 13's acceptance: `uprank fetch && uprank report` on a clean fleet, OSV answering
// "no vulnerabilities", exits 0.
TEST_F(FetchCliTest, FetchThenReportOnACleanFleetExitsZero) {
  std::ofstream(folder_ / "clean.yaml") << R"(components:
  - name: templates
    purl: "pkg:pypi/jinja2@3.1.6"
    version: "3.1.6"
)";
  CommandResult result = run("--source osv,kev --inventory clean.yaml && " + std::string(UPRANK_CLI) + " report --store '" +
                             (folder_ / "store.db").string() + "' --inventory clean.yaml --today 2026-09-01");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_EQ(result.out.find("NO DATA"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("answered: nothing to store"), std::string::npos) << result.out;
}

TEST_F(FetchCliTest, SourceWithNeitherFreshNorCachedDataExitsThree) {
  kev_fails_ = true;
  CommandResult result = run("--source osv,kev --inventory " + write_inventory() + " --timeout 5");
  EXPECT_EQ(result.status, 3) << result.out;
  EXPECT_NE(result.out.find("error: kev: no fresh or cached data"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("error: osv"), std::string::npos) << "osv answered: " << result.out;
  // Once the catalog is cached, a failing feed keeps it and the exit code is 0.
  kev_fails_ = false;
  EXPECT_EQ(run("--source kev").status, 0);
  kev_fails_ = true;
  CommandResult cached = run("--source kev --timeout 5");
  EXPECT_EQ(cached.status, 0) << cached.out;
  EXPECT_NE(cached.out.find("kept cached data"), std::string::npos) << cached.out;
}

TEST_F(FetchCliTest, ImportsEveryFixtureFeedByContent) {
  CommandResult result = run("--import " + (kFixtures / "kev").string() + " --import " + (kFixtures / "osv").string() +
                   " --import " + (kFixtures / "epss").string());
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("kev   1404 record(s) from 2 file(s)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("osv   643 record(s) from 643 file(s)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("epss  5 record(s) from 1 file(s)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FORMAT.md: "), std::string::npos) << "skipped files are said: " << result.out;
  EXPECT_NE(result.out.find("known_exploited_vulnerabilities.csv: replaced by the KEV catalog of"), std::string::npos)
      << "the store keeps one catalog, and says which: " << result.out;
  CommandResult offline = run("--offline --source kev,osv,epss");
  EXPECT_EQ(offline.status, 0) << offline.out;
  CommandResult bad = run("--import " + (kFixtures / "SOURCES.md").string());
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("SOURCES.md: "), std::string::npos) << bad.out;
}

TEST_F(FetchCliTest, ReleaseDataFollowsTheInventoryProducts) {
  std::ofstream(folder_ / "fleet.yaml") << R"(components:
  - name: billing-db
    product: postgresql
    version: "15.3"
  - name: edge
    product: nginx
    version: "1.24.0"
  - name: phone
    product: android
    version: "14"
)";
  CommandResult result = run("--source endoflife-releases --inventory " + (folder_ / "fleet.yaml").string());
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("endoflife-releases        2          0       0"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("HTTP 404, no data for 'android'"), std::string::npos) << result.out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::sort(release_data_asked_.begin(), release_data_asked_.end());
    EXPECT_EQ(release_data_asked_, (std::vector<std::string>{"android", "nginx", "postgresql"}));
  }
  CommandResult offline = run("--offline --source endoflife-releases");
  EXPECT_EQ(offline.status, 0) << offline.out;
}

TEST_F(FetchCliTest, ImportsReleaseDataByContent) {
  CommandResult result = run("--import " + (kFixtures / "endoflife/release-data").string());
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("from 41 file(s)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("endoflife-releases "), std::string::npos) << result.out;
  CommandResult offline = run("--offline --source endoflife-releases");
  EXPECT_EQ(offline.status, 0) << offline.out;
  CommandResult unknown = run("--source endoflife_releases");
  EXPECT_EQ(unknown.status, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("known: endoflife, endoflife-releases,"), std::string::npos) << unknown.out;
}

// Issue #16: a report reads only the stored advisories its inventory can meet. On the real
// fixture feeds (OSV records of PyPI, Go, crates.io and Bitnami, KEV, EPSS) and the real
// inventories, it reports exactly what the same data read whole (a snapshot export of the
// store) reports: the same findings, evidence, counts and content hash.
TEST_F(FetchCliTest, AReportReadingTheStoreByNeedAgreesWithTheWholeData) {
  const std::string cli = UPRANK_CLI;
  const std::string store = (folder_ / "store.db").string();
  ASSERT_EQ(test_support::run_command(cli + " --store '" + store + "' snapshot import " + UPRANK_SOURCE_DIR +
                                      "/data/snapshot.json 2>&1").status,
            0);
  CommandResult imported = run("--import " + (kFixtures / "osv").string() + " --import " + (kFixtures / "kev").string() +
                               " --import " + (kFixtures / "epss").string());
  ASSERT_EQ(imported.status, 0) << imported.out;
  const std::string whole = (folder_ / "whole.json").string();
  CommandResult exported = test_support::run_command(cli + " --store '" + store + "' snapshot export '" + whole + "' 2>&1");
  ASSERT_EQ(exported.status, 0) << exported.out;
  auto report = [&](const std::string& facts, const std::string& inventory) {
    CommandResult result = test_support::run_command(cli + " report " + facts + " --inventory " + inventory +
                                                     " --today 2026-09-01 --format json --no-history 2>/dev/null");
    EXPECT_LE(result.status, 1) << inventory;
    nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
    if (json.is_discarded()) return std::string("not JSON: ") + result.out.substr(0, 200);
    for (auto& source : json["data_sources"]) source.erase("description");  // "store (…)" or "snapshot FILE (…)"
    return json.dump(1);
  };
  size_t components = 0;
  for (const std::string& inventory :
       {write_inventory(), (kFixtures / "inventories/sbom/cyclonedx").string(), (kFixtures / "inventories/sbom/spdx").string(),
        (kFixtures / "inventories/infra/retail-store-sample-app").string()}) {
    std::string by_need = report("--store '" + store + "'", inventory);
    std::string read_whole = report("--snapshot '" + whole + "'", inventory);
    ASSERT_EQ(by_need.substr(0, 9), read_whole.substr(0, 9)) << by_need.substr(0, 300);
    EXPECT_TRUE(by_need == read_whole) << inventory << ": the reports differ";
    components += nlohmann::json::parse(by_need)["components"].size();
  }
  EXPECT_GT(components, 100u) << "the inventories must have components for the comparison to mean anything";
}

// The by-need report against the same store read whole (its snapshot export), for
// inputs the fixture comparison above does not cover: each pair must be equal but for the
// data sources' descriptions and the "Advisory entries not usable" line (table output).
class ByNeedVersusWholeTest : public FetchCliTest {
 protected:
  struct Pair {
    std::string by_need;
    std::string whole;
  };
  Pair reports(const std::string& inventory_yaml, const std::string& arguments = "") {
    const std::string cli = UPRANK_CLI;
    const std::string store = (folder_ / "store.db").string();
    const std::string whole = (folder_ / "whole.json").string();
    fs::path inventory = folder_ / "inventory.yaml";
    std::ofstream(inventory) << inventory_yaml;
    CommandResult exported = test_support::run_command(cli + " --store '" + store + "' snapshot export '" + whole + "' 2>&1");
    EXPECT_EQ(exported.status, 0) << exported.out;
    auto report = [&](const std::string& facts, const std::string& format) {
      CommandResult result = test_support::run_command(cli + " report " + facts + " --inventory '" + inventory.string() +
                                                       "' --today 2026-09-01 --no-history --format " + format + " " +
                                                       arguments + " 2>/dev/null");
      EXPECT_LE(result.status, 1) << result.out;
      if (format == "json") {
        nlohmann::json json = nlohmann::json::parse(result.out, nullptr, false);
        if (json.is_discarded()) return std::string("not JSON: ") + result.out.substr(0, 200);
        for (auto& source : json["data_sources"]) source.erase("description");
        return json.dump(1);
      }
      std::string kept;  // the table without the lines allowed to differ
      size_t start = 0;
      while (start < result.out.size()) {
        size_t end = result.out.find('\n', start);
        if (end == std::string::npos) end = result.out.size();
        std::string line = result.out.substr(start, end - start);
        if (line.rfind("Advisory entries not usable", 0) != 0 && line.rfind("Data: ", 0) != 0) kept += line + "\n";
        start = end + 1;
      }
      return kept;
    };
    Pair pair;
    for (const char* format : {"json", "table"}) {
      pair.by_need += report("--store '" + store + "'", format);
      pair.whole += report("--snapshot '" + whole + "'", format);
    }
    return pair;
  }
};

// uprank.yaml extending a bundled product ("entries here win"): the product map's
// advisory_packages(product) read only the last rule of that product, while the advisory
// index still met Bitnami's "nginx" through the bundled rule's image:bitnami/nginx. The
// by-need report read no Bitnami nginx record and lost its findings (examples/uprank.yaml
// does this to postgresql). advisory_packages() is now the exact inverse.
TEST_F(ByNeedVersusWholeTest, AProductExtendedInUprankYamlKeepsItsBundledAdvisoryPackages) {
  CommandResult imported = run("--import " + (kFixtures / "osv/bitnami/BIT-nginx-2026-9256.json").string());
  ASSERT_EQ(imported.status, 0) << imported.out;
  std::ofstream(folder_ / "uprank.yaml") << "products:\n  - product: nginx\n    images: [registry.example.com/nginx]\n";
  Pair pair = reports("components:\n  - name: edge\n    product: nginx\n    version: \"1.22.0\"\n",
                      "--config '" + (folder_ / "uprank.yaml").string() + "'");
  EXPECT_NE(pair.whole.find("BIT-nginx-2026-9256"), std::string::npos) << pair.whole;
  EXPECT_EQ(pair.by_need, pair.whole);
}

// A store whose only advisories give no usable entry (a Bitnami product the map does not
// know, a withdrawn record): read whole, the report said "no advisory data loaded" of
// django; by need, the unread record kept it from saying so. Records are data, usable or
// not: both now count django as checked against 0 entries.
TEST_F(ByNeedVersusWholeTest, NoAdvisoryDataIsSaidAlikeWhenNoStoredAdvisoryIsUsable) {
  CommandResult imported = run("--import " + (kFixtures / "osv/go/GO-2022-0617.json").string());  // withdrawn
  ASSERT_EQ(imported.status, 0) << imported.out;
  Pair pair = reports("components:\n  - name: django\n    purl: pkg:pypi/django@3.2.0\n    version: \"3.2.0\"\n");
  EXPECT_EQ(pair.by_need, pair.whole);
}

}  // namespace
}  // namespace uprank::cli
