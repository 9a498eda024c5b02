// kev, osv, epss and github against the loopback server, serving the recorded fixtures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fetchers/fetcher.h"
#include "fetchers/osv.h"
#include "fetchers/store.h"
#include "loopback_server.h"

namespace uprank::fetch {
namespace {

using namespace std::chrono_literals;
using testing::fresh_test_folder;
using testing::loopback_http_options;
using testing::read_text;
namespace fs = std::filesystem;
const fs::path kFixtures = UPRANK_SHARED_FIXTURES;

class SourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fresh_test_folder("uprank-sources-");
    store_path_ = (folder_ / "store.db").string();
    store_ = std::make_unique<Store>(std::move(Store::open(store_path_)).value());
    client_ = make_curl_http_client(loopback_http_options());
  }
  void TearDown() override {
    server_.stop();
    store_.reset();
    fs::remove_all(folder_);
  }
  SourceSettings settings(const std::string& name, const std::string& path) {
    SourceSettings s;
    s.name = name;
    s.url = server_.url() + path;
    return s;
  }

  testing::LoopbackServer server_;
  fs::path folder_;
  std::string store_path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(SourcesTest, KevCatalog) {
  std::string catalog = read_text(kFixtures / "kev/known_exploited_vulnerabilities.json");
  server_.server().Get("/feeds/kev.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(catalog, "application/json");
  });
  // cpp-httplib brotli-compresses the 1.3 MB catalog at its highest quality before the
  // first byte: give the loopback server time.
  HttpOptions options = loopback_http_options();
  options.stall_timeout = 20s;
  options.total_timeout = 30s;
  auto client = make_curl_http_client(options);
  SourceReport report = fetch_source(*store_, *client, settings("kev", "/feeds/kev.json"), "2025-08-26T00:00:00Z");
  ASSERT_EQ(report.fetched, 1u) << report.errors[0].message;
  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->kev.size(), 1404u);
  size_t ransomware = 0;
  for (const auto& [cve, entry] : facts->kev) ransomware += entry.known_ransomware_use ? 1 : 0;
  EXPECT_EQ(ransomware, 293u);
  const facts::KevEntry& log4shell = facts->kev.at("CVE-2021-44228");
  EXPECT_EQ(log4shell.vendor, "Apache");
  EXPECT_TRUE(log4shell.date_added.has_value());
  EXPECT_TRUE(log4shell.due_date.has_value());
  EXPECT_EQ(log4shell.evidence.source, "kev");
}

TEST_F(SourcesTest, OsvQuerybatchThenVulns) {
  // Index the fixture records by package name, as osv.dev would answer querybatch.
  std::map<std::string, std::vector<std::string>> ids_by_package;
  std::map<std::string, std::string> records;
  for (const char* folder : {"go", "bitnami", "crates.io-rustsec"}) {
    for (const auto& entry : fs::directory_iterator(kFixtures / "osv" / folder)) {
      if (entry.path().extension() != ".json") continue;
      RawResponse raw;
      raw.source = "osv";
      raw.key = entry.path().stem().string();
      raw.body = read_text(entry.path());
      auto advisory = parse_osv_record(raw);
      ASSERT_TRUE(advisory.ok()) << entry.path() << ": " << advisory.error().message;
      records[advisory->id] = raw.body;
      for (const auto& package : advisory->affected) ids_by_package[package.name].push_back(advisory->id);
    }
  }
  server_.server().Post("/v1/querybatch", [&](const httplib::Request& req, httplib::Response& res) {
    auto body = nlohmann::json::parse(req.body);
    nlohmann::json results = nlohmann::json::array();
    for (const auto& query : body["queries"]) {
      nlohmann::json vulns = nlohmann::json::array();
      for (const auto& id : ids_by_package[query["package"]["name"].get<std::string>()]) {
        vulns.push_back({{"id", id}, {"modified", "2026-01-01T00:00:00Z"}});
      }
      results.push_back(vulns.empty() ? nlohmann::json::object() : nlohmann::json{{"vulns", vulns}});
    }
    res.set_content(nlohmann::json{{"results", results}}.dump(), "application/json");
  });
  server_.server().Get(R"(/v1/vulns/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto it = records.find(req.matches[1]);
    if (it == records.end()) {
      res.status = 404;
      return;
    }
    res.set_content(it->second, "application/json");
  });
  SourceSettings osv = settings("osv", "");
  osv.packages = {{"Go", "github.com/argoproj/argo-cd", ""}, {"Bitnami", "redis", ""}, {"PyPI", "nothing-here", ""}};
  SourceReport report = fetch_source(*store_, *client_, osv, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.failed, 0u) << (report.errors.empty() ? "" : report.errors[0].message);
  size_t expected = ids_by_package["github.com/argoproj/argo-cd"].size() + ids_by_package["redis"].size();
  EXPECT_EQ(report.fetched, expected);
  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->advisories.size(), expected);
  const facts::Advisory& go = facts->advisories.at("GO-2022-0304");
  EXPECT_FALSE(go.published.has_value()) << "Go's 0001-01-01 placeholder means unknown";
  EXPECT_EQ(go.aliases.front(), "CVE-2022-24348");
  ASSERT_FALSE(go.affected.empty());
  EXPECT_FALSE(go.affected[0].ranges.front().events.empty()) << "raw events are kept";
}

// A querybatch server that pages as osv.dev does: each answer carries at most `per_page`
// vulns and a `next_page_token` while more remain; the token must come back as page_token.
class PagingOsv {
 public:
  PagingOsv(testing::LoopbackServer& server, std::map<std::string, std::vector<std::string>> ids_by_package,
            size_t per_page)
      : ids_(std::move(ids_by_package)), per_page_(per_page) {
    server.server().Post("/v1/querybatch", [this](const httplib::Request& req, httplib::Response& res) {
      auto body = nlohmann::json::parse(req.body);
      nlohmann::json results = nlohmann::json::array();
      for (const auto& query : body["queries"]) {
        ++queries;
        const std::vector<std::string>& ids = ids_[query["package"]["name"].get<std::string>()];
        size_t start = query.contains("page_token") ? std::stoul(query["page_token"].get<std::string>()) : 0;
        nlohmann::json result = nlohmann::json::object();
        nlohmann::json vulns = nlohmann::json::array();
        for (size_t i = start; i < std::min(ids.size(), start + per_page_); ++i) {
          vulns.push_back({{"id", ids[i]}, {"modified", "2026-01-01T00:00:00Z"}});
        }
        if (!vulns.empty()) result["vulns"] = vulns;
        if (start + per_page_ < ids.size()) result["next_page_token"] = std::to_string(start + per_page_);
        results.push_back(result);
      }
      res.set_content(nlohmann::json{{"results", results}}.dump(), "application/json");
    });
    server.server().Get(R"(/v1/vulns/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(nlohmann::json{{"id", req.matches[1].str()}, {"modified", "2026-01-01T00:00:00Z"}}.dump(),
                      "application/json");
    });
  }
  std::atomic<int> queries{0};

 private:
  std::map<std::string, std::vector<std::string>> ids_;
  size_t per_page_;
};

TEST_F(SourcesTest, OsvQuerybatchFollowsPageTokens) {
  std::vector<std::string> many;
  for (int i = 0; i < 7; ++i) many.push_back("GHSA-page-" + std::to_string(i));
  PagingOsv osv_server(server_, {{"big", many}, {"small", {"GHSA-small-1"}}}, 2);
  SourceSettings osv = settings("osv", "");
  osv.packages = {{"PyPI", "big", "", "", ""}, {"PyPI", "small", "", "", ""}, {"PyPI", "none", "", "", ""}};
  SourceReport report = fetch_source(*store_, *client_, osv, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.failed, 0u) << (report.errors.empty() ? "" : report.errors[0].message);
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(report.fetched, 8u) << "every page of 'big' and 'small'";
  EXPECT_EQ(osv_server.queries.load(), 3 + 3) << "only 'big' is asked again, for pages 2, 3 and 4";
  auto stored = store_->responses("osv");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->size(), 8u);
}

TEST_F(SourcesTest, OsvPagingStopsAtTheBoundWithAWarning) {
  std::vector<std::string> many;
  for (int i = 0; i < 50; ++i) many.push_back("GHSA-page-" + std::to_string(i));
  PagingOsv osv_server(server_, {{"big", many}}, 5);
  SourceSettings osv = settings("osv", "");
  osv.packages = {{"PyPI", "big", "", "", ""}};
  osv.max_pages = 3;
  SourceReport report = fetch_source(*store_, *client_, osv, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.fetched, 15u);
  EXPECT_EQ(osv_server.queries.load(), 3);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("truncated"), std::string::npos) << report.warnings[0];
}

TEST_F(SourcesTest, OsvEmptyAnswerIsAnAnswer) {
  server_.server().Post("/v1/querybatch", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"results":[{}]})", "application/json");
  });
  SourceSettings osv = settings("osv", "");
  osv.packages = {{"PyPI", "nothing-here", "1.0", "", ""}};
  SourceReport report = fetch_source(*store_, *client_, osv, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.fetched, 0u);
  EXPECT_FALSE(report.has_data);
  EXPECT_TRUE(report.answered) << "no vulnerabilities is data, not a failure";
  server_.stop();
  SourceReport down = fetch_source(*store_, *client_, osv, "2026-08-22T00:00:00Z");
  EXPECT_FALSE(down.answered);
  EXPECT_EQ(down.failed, 1u);
}

TEST_F(SourcesTest, EpssApiBatches) {
  std::string csv = read_text(kFixtures / "epss/epss_scores-sample-2025-02-20.csv");
  server_.server().Get("/data/v1/epss", [&](const httplib::Request& req, httplib::Response& res) {
    std::string cves = req.get_param_value("cve");
    nlohmann::json data = nlohmann::json::array();
    std::istringstream lines(csv);
    std::string line;
    while (std::getline(lines, line)) {
      auto comma = line.find(',');
      if (line.rfind("CVE-", 0) != 0 || cves.find(line.substr(0, comma)) == std::string::npos) continue;
      auto second = line.find(',', comma + 1);
      data.push_back({{"cve", line.substr(0, comma)},
                      {"epss", line.substr(comma + 1, second - comma - 1)},
                      {"percentile", line.substr(second + 1)},
                      {"date", "2025-02-20"}});
    }
    res.set_content(nlohmann::json{{"status", "OK"}, {"total", data.size()}, {"data", data}}.dump(), "application/json");
  });
  SourceSettings epss = settings("epss", "/data/v1/epss");
  epss.cves = {"CVE-1999-0001", "CVE-1999-0002", "CVE-2099-99999"};
  SourceReport report = fetch_source(*store_, *client_, epss, "2026-08-22T00:00:00Z");
  ASSERT_EQ(report.fetched, 1u) << (report.errors.empty() ? "" : report.errors[0].message);
  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->epss.size(), 2u) << "CVEs without a score are absent";
  EXPECT_NEAR(facts->epss.at("CVE-1999-0001").score, 0.00383, 1e-9);
}

TEST_F(SourcesTest, GithubReleasesPaginateAndTheTokenStaysSecret) {
  const std::string token = "ghp_SECRETtoken1234567890";
  // Two pages of releases shaped like the GitHub API, notes from redis 7.2's release notes.
  std::string notes = read_text(kFixtures / "release-notes/redis/redis-7.2-00-RELEASENOTES.txt");
  std::regex header(R"(Redis (?:Community Edition )?(7\.2\.\d+)\s+Released)");
  std::vector<std::string> versions;
  for (std::sregex_iterator it(notes.begin(), notes.end(), header), end; it != end; ++it) versions.push_back((*it)[1]);
  ASSERT_GE(versions.size(), 4u);
  auto page = [&](size_t from, size_t to) {
    nlohmann::json releases = nlohmann::json::array();
    for (size_t i = from; i < std::min(to, versions.size()); ++i) {
      releases.push_back({{"tag_name", versions[i]},
                          {"name", versions[i]},
                          {"body", "Upgrade urgency SECURITY: see CVE-2024-31449"},
                          {"draft", false},
                          {"prerelease", false},
                          {"published_at", "2024-10-02T12:00:00Z"},
                          {"html_url", "https://github.com/redis/redis/releases/tag/" + versions[i]}});
    }
    return releases.dump();
  };
  std::atomic<int> authorized{0};
  server_.server().Get("/repos/redis/redis/releases", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == "Bearer " + token) ++authorized;
    if (req.get_param_value("page") == "2") {
      res.set_content(page(2, versions.size()), "application/json");
      return;
    }
    res.set_header("Link", "<" + server_.url() + "/repos/redis/redis/releases?per_page=100&page=2>; rel=\"next\", <" +
                               server_.url() + "/repos/redis/redis/releases?per_page=100&page=2>; rel=\"last\"");
    res.set_content(page(0, 2), "application/json");
  });
  server_.server().Get("/repos/gone/away/releases", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 403;
    res.set_header("x-ratelimit-remaining", "0");
    res.set_header("x-ratelimit-reset", "1767225600");
    res.set_content(R"({"message":"API rate limit exceeded"})", "application/json");
  });
  SourceSettings github = settings("github", "");
  github.repositories = {"redis/redis", "gone/away"};
  github.token = token;
  SourceReport report = fetch_source(*store_, *client_, github, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.fetched, 1u);
  ASSERT_EQ(report.failed, 1u);
  EXPECT_NE(report.errors[0].message.find("rate limit exhausted"), std::string::npos) << report.errors[0].message;
  EXPECT_EQ(authorized.load(), 2) << "both pages carry the token";
  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->releases.at("redis/redis").size(), versions.size());
  // The token is nowhere: not in errors, not in the store file (main db and WAL).
  for (const Error& error : report.errors) EXPECT_EQ(error.message.find(token), std::string::npos);
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string bytes = read_text(store_path_ + suffix);
    EXPECT_EQ(bytes.find(token), std::string::npos) << "token leaked into " << store_path_ << suffix;
    EXPECT_EQ(bytes.find("Authorization"), std::string::npos);
  }
}

// Issue #15 kind 12: GitHub paging stopped at the page bound without saying so, and the
// releases kept looked like all of them. The cut is a warning naming the repository.
TEST_F(SourcesTest, GithubPagingStopsAtTheBoundWithAWarning) {
  std::atomic<int> requests{0};
  server_.server().Get("/repos/a/b/releases", [&](const httplib::Request& req, httplib::Response& res) {
    ++requests;
    int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 1;
    res.set_header("Link", "<" + server_.url() + "/repos/a/b/releases?per_page=100&page=" + std::to_string(page + 1) +
                               ">; rel=\"next\"");
    res.set_content(R"([{"tag_name":"v)" + std::to_string(page) + R"(.0.0","draft":false,"prerelease":false}])",
                    "application/json");
  });
  SourceSettings github = settings("github", "");
  github.repositories = {"a/b"};
  github.max_pages = 3;
  SourceReport report = fetch_source(*store_, *client_, github, "2026-08-22T00:00:00Z");
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.fetched, 1u);
  EXPECT_EQ(requests.load(), 3);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("a/b: releases truncated: more pages after 3 pages"), std::string::npos)
      << report.warnings[0];
}

TEST_F(SourcesTest, GithubPaginationNeverLeavesTheBaseUrl) {
  server_.server().Get("/repos/a/b/releases", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Link", "<http://127.0.0.2:1/steal?page=2>; rel=\"next\"");
    res.set_content("[]", "application/json");
  });
  SourceSettings github = settings("github", "");
  github.repositories = {"a/b"};
  github.token = "ghp_x";
  SourceReport report = fetch_source(*store_, *client_, github, "2026-08-22T00:00:00Z");
  ASSERT_EQ(report.failed, 1u);
  EXPECT_EQ(report.errors[0].code, "uprank.fetch.bad_link");
}

}  // namespace
}  // namespace uprank::fetch
