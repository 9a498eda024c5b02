// The fetch layer against a real loopback HTTP server: recorded data, injected faults,
// and for each fault the right error, a bounded time and the last good data intact.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "fetchers/fetcher.h"
#include "fetchers/http_client.h"
#include "fetchers/store.h"
#include "loopback_server.h"

namespace uprank::fetch {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using Clock = std::chrono::steady_clock;

HttpOptions test_options() {
  HttpOptions options;
  options.connect_timeout = 1000ms;
  options.total_timeout = 3000ms;
  options.stall_timeout = 1000ms;
  options.backoff_base = 10ms;
  options.backoff_max = 50ms;
  options.max_attempts = 3;
  options.max_retry_after = 5000ms;
  options.proxy_from_environment = false;
  options.jitter_seed = 42;
  return options;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = std::filesystem::temp_directory_path() /
              ("uprank-fetch-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    store_path_ = (folder_ / "store.db").string();
    auto store = Store::open(store_path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::make_unique<Store>(std::move(store).value());
  }
  void TearDown() override {
    server_.stop();
    store_.reset();
    std::filesystem::remove_all(folder_);
  }

  SourceSettings endoflife(std::vector<std::string> products) {
    SourceSettings settings;
    settings.name = "endoflife";
    settings.url = server_.url();
    settings.products = std::move(products);
    return settings;
  }

  // Fetches postgresql and go successfully so later faults have good data to keep.
  void seed_good_data() {
    auto client = make_curl_http_client(test_options());
    SourceReport report = fetch_source(*store_, *client, endoflife({"postgresql", "go"}), "2026-08-22T01:00:00Z");
    ASSERT_EQ(report.fetched, 2u) << (report.errors.empty() ? "" : report.errors[0].message);
    good_body_ = (*store_->get("endoflife", "postgresql"))->body;
  }

  // Asserts the stored postgresql response is the one seed_good_data stored.
  void expect_good_data_intact() {
    auto stored = store_->get("endoflife", "postgresql");
    ASSERT_TRUE(stored.ok());
    ASSERT_TRUE(stored->has_value());
    EXPECT_EQ((*stored)->body, good_body_);
    EXPECT_EQ((*stored)->fetched_at, "2026-08-22T01:00:00Z");
    auto facts = load_store_facts(store_path_);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    EXPECT_EQ(facts->products.count("postgresql"), 1u);
  }

  // Runs a fetch of postgresql with `options`; returns the report and the elapsed time.
  std::pair<SourceReport, std::chrono::milliseconds> fetch_postgresql(const HttpOptions& options) {
    auto client = make_curl_http_client(options);
    auto start = Clock::now();
    SourceReport report = fetch_source(*store_, *client, endoflife({"postgresql"}), "2026-08-23T01:00:00Z");
    return {report, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  }

  LoopbackServer server_;
  std::filesystem::path folder_;
  std::string store_path_;
  std::unique_ptr<Store> store_;
  std::string good_body_;
};

TEST_F(FetchTest, FetchesProductsAndThenRevalidatesWith304) {
  testing::serve_endoflife(server_, testing::endoflife_bodies());
  auto client = make_curl_http_client(test_options());
  SourceReport first = fetch_source(*store_, *client, endoflife({"postgresql", "nodejs", "go"}), "2026-08-22T01:00:00Z");
  EXPECT_EQ(first.fetched, 3u);
  EXPECT_EQ(first.failed, 0u);
  EXPECT_TRUE(first.has_data);
  auto facts = load_store_facts(store_path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->products.size(), 3u);
  EXPECT_EQ(facts->products.at("postgresql").cycles.front().evidence.fetched_at, "2026-08-22T01:00:00Z");
  ASSERT_EQ(facts->provenance.size(), 1u);
  EXPECT_EQ(facts->provenance[0].origin, "store");

  SourceReport second = fetch_source(*store_, *client, endoflife({"postgresql", "nodejs", "go"}), "2026-08-23T01:00:00Z");
  EXPECT_EQ(second.unchanged, 3u) << "the ETag must be sent back as If-None-Match";
  EXPECT_EQ(second.fetched, 0u);
  // A 304 keeps the body's fetch time: the data is as old as when it was fetched.
  EXPECT_EQ((*store_->get("endoflife", "go"))->fetched_at, "2026-08-22T01:00:00Z");
}

TEST_F(FetchTest, NoProductsChosenFetchesTheListing) {
  auto bodies = testing::endoflife_bodies();
  testing::serve_endoflife(server_, bodies);
  auto client = make_curl_http_client(test_options());
  SourceReport report = fetch_source(*store_, *client, endoflife({}), "2026-08-22T01:00:00Z");
  EXPECT_EQ(report.fetched, bodies.size());
  EXPECT_EQ(report.fetched, 44u);
}

// --- Faults -------------------------------------------------------------------------------

struct Fault {
  const char* name;
  std::function<bool(LoopbackServer&, const httplib::Request&, httplib::Response&)> respond;
  const char* expected_code;
  std::chrono::milliseconds bound;
  const char* expected_text = "";
};

class FaultTest : public FetchTest, public ::testing::WithParamInterface<Fault> {};

TEST_P(FaultTest, FailsCleanlyAndKeepsLastGoodData) {
  const Fault& fault = GetParam();
  std::atomic<bool> faulty{false};
  testing::serve_endoflife(server_, testing::endoflife_bodies(),
                           [&](const httplib::Request& req, httplib::Response& res) {
                             return faulty && fault.respond(server_, req, res);
                           });
  server_.server().Get("/loop/a", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop/b"); });
  server_.server().Get("/loop/b", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop/a"); });
  seed_good_data();
  faulty = true;
  HttpOptions options = test_options();
  options.max_body_bytes = 2u << 20;  // postgresql's body is about 10 KB
  auto [report, elapsed] = fetch_postgresql(options);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.fetched, 0u);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].code, fault.expected_code) << report.errors[0].message;
  EXPECT_NE(report.errors[0].message.find(fault.expected_text), std::string::npos) << report.errors[0].message;
  EXPECT_LT(elapsed, fault.bound) << "the fault must fail in bounded time";
  EXPECT_TRUE(report.has_data) << "cached data still counts as data";
  expect_good_data_intact();
  auto log = store_->fetch_log(1);
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->front().outcome, "failed");
  EXPECT_EQ(log->front().error_code, fault.expected_code);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultTest,
    ::testing::Values(
        Fault{"server_error_500",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.status = 500;
                res.set_content("internal error", "text/plain");
                return true;
              },
              "uprank.http.status", 3000ms, "HTTP 500 after 3 attempts"},
        Fault{"rate_limited_429_retry_after_too_long",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.status = 429;
                res.set_header("Retry-After", "3600");
                return true;
              },
              "uprank.http.rate_limited", 2000ms, "retry after 3600"},
        Fault{"rate_limited_429_every_time",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.status = 429;
                res.set_header("Retry-After", "0");
                return true;
              },
              "uprank.http.rate_limited", 3000ms, "HTTP 429"},
        Fault{"stalled_response",
              [](LoopbackServer& server, const httplib::Request&, httplib::Response& res) {
                res.set_chunked_content_provider("application/json", [&server](size_t offset, httplib::DataSink& sink) {
                  if (offset == 0) {
                    sink.write("{\"schema_version\"", 17);
                    return true;
                  }
                  server.stall(10s);  // never finishes in time
                  return false;
                });
                return true;
              },
              "uprank.http.timeout", 12000ms, "timed out"},
        Fault{"truncated_body",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content_provider(100000, "application/json", [](size_t, size_t, httplib::DataSink& sink) {
                  sink.write("{\"schema_version\":\"1.2.1\",\"result\":{", 36);
                  return false;  // closes the connection short of Content-Length
                });
                return true;
              },
              "uprank.http.transfer", 3000ms, "transfer failed"},
        Fault{"malformed_json",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content("{\"schema_version\":\"1.2.1\",\"result\":{\"name\":\"postgresql\",", "application/json");
                return true;
              },
              "uprank.fetch.malformed_json", 2000ms, "malformed JSON"},
        Fault{"deeply_nested_json",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content(std::string(200000, '[') + std::string(200000, ']'), "application/json");
                return true;
              },
              "uprank.fetch.malformed_json", 2000ms, "nested deeper"},
        Fault{"valid_json_wrong_shape",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content(R"([{"cycle":"17","eol":"2029-11-08"}])", "application/json");
                return true;
              },
              "uprank.fetch.bad_shape", 2000ms, "not an endoflife.date API v1 response"},
        Fault{"oversize_body_with_length",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content(std::string(3u << 20, ' '), "application/json");
                return true;
              },
              "uprank.http.too_large", 3000ms, "exceeds the limit"},
        Fault{"oversize_body_chunked",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_chunked_content_provider("application/json", [](size_t offset, httplib::DataSink& sink) {
                  if (offset >= (4u << 20)) {
                    sink.done();
                    return true;
                  }
                  std::string chunk(64 * 1024, ' ');
                  sink.write(chunk.data(), chunk.size());
                  return true;
                });
                return true;
              },
              "uprank.http.too_large", 3000ms, "exceeds the limit"},
        Fault{"html_404_page",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.status = 404;
                res.set_content("<!DOCTYPE html><html><body>Not found</body></html>", "text/html; charset=utf-8");
                return true;
              },
              "uprank.http.status", 2000ms, "HTTP 404 (an HTML page, not data)"},
        Fault{"html_200_page",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_content("<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html");
                return true;
              },
              "uprank.fetch.malformed_json", 2000ms, "malformed JSON"},
        Fault{"redirect_loop",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_redirect("/loop/a");
                return true;
              },
              "uprank.http.redirect", 2000ms, "too many redirects"},
        Fault{"redirect_to_file_url",
              [](LoopbackServer&, const httplib::Request&, httplib::Response& res) {
                res.set_redirect("file:///etc/passwd");
                return true;
              },
              "uprank.http.protocol", 2000ms, "refused a non-http(s)"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(FetchTest, RetriesTransient500ThenSucceeds) {
  std::atomic<int> calls{0};
  testing::serve_endoflife(server_, testing::endoflife_bodies(), [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ >= 2) return false;
    res.status = 503;
    return true;
  });
  auto [report, elapsed] = fetch_postgresql(test_options());
  EXPECT_EQ(report.fetched, 1u) << (report.errors.empty() ? "" : report.errors[0].message);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_LT(elapsed, 2000ms);
}

TEST_F(FetchTest, HonoursRetryAfterOn429) {
  std::atomic<int> calls{0};
  testing::serve_endoflife(server_, testing::endoflife_bodies(), [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ >= 1) return false;
    res.status = 429;
    res.set_header("Retry-After", "1");
    return true;
  });
  auto [report, elapsed] = fetch_postgresql(test_options());
  EXPECT_EQ(report.fetched, 1u) << (report.errors.empty() ? "" : report.errors[0].message);
  EXPECT_GE(elapsed, 950ms) << "Retry-After: 1 must delay the retry by a second";
  EXPECT_LT(elapsed, 3000ms);
}

TEST_F(FetchTest, ServerStoppedFailsCleanlyAndKeepsData) {
  testing::serve_endoflife(server_, testing::endoflife_bodies());
  seed_good_data();
  server_.stop();
  auto [report, elapsed] = fetch_postgresql(test_options());
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].code, "uprank.http.connect") << report.errors[0].message;
  EXPECT_LT(elapsed, 3000ms);
  EXPECT_TRUE(report.has_data);
  expect_good_data_intact();
  auto states = store_->source_states();
  ASSERT_TRUE(states.ok());
  EXPECT_NE(states->at("endoflife").last_error.find("cannot connect"), std::string::npos);
}

TEST_F(FetchTest, NoCachedDataMeansNoData) {
  server_.stop();
  auto [report, elapsed] = fetch_postgresql(test_options());
  EXPECT_EQ(report.failed, 1u);
  EXPECT_FALSE(report.has_data) << "the CLI exits 3 on this";
}

TEST_F(FetchTest, ConcurrencyLimitIsHonoured) {
  std::atomic<int> active{0};
  std::atomic<int> peak{0};
  testing::serve_endoflife(server_, testing::endoflife_bodies(), [&](const httplib::Request&, httplib::Response&) {
    int now = ++active;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(50ms);
    --active;
    return false;
  });
  HttpOptions options = test_options();
  options.max_concurrency = 3;
  auto client = make_curl_http_client(options);
  SourceReport report = fetch_source(
      *store_, *client,
      endoflife({"postgresql", "go", "nodejs", "python", "redis", "nginx", "mysql", "debian", "ubuntu", "php"}),
      "2026-08-22T01:00:00Z");
  EXPECT_EQ(report.fetched, 10u);
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 2) << "requests must overlap";
}

TEST_F(FetchTest, InvalidProductNamesNeverReachTheServer) {
  testing::serve_endoflife(server_, testing::endoflife_bodies());
  auto client = make_curl_http_client(test_options());
  SourceReport report = fetch_source(*store_, *client, endoflife({"../../etc", "go"}), "2026-08-22T01:00:00Z");
  EXPECT_EQ(report.fetched, 1u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.errors[0].code, "uprank.fetch.bad_name");
}

}  // namespace
}  // namespace uprank::fetch
