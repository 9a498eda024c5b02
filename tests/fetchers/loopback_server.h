// A cpp-httplib server bound to 127.0.0.1 on an ephemeral port, for integration tests:
// it serves recorded data shaped from ../shared/fixtures and injects faults on demand.
// Nothing here ever listens on or connects to a non-loopback address.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "fetchers/http_client.h"
#include "fetchers/snapshot.h"

namespace uprank::fetch::testing {

// Returns the bytes of a file (a fixture to serve), or "" when it cannot be read.
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// HTTP options for talking to a LoopbackServer: short timeouts and backoff, two attempts,
// no proxy from the environment.
inline HttpOptions loopback_http_options() {
  using namespace std::chrono_literals;
  HttpOptions options;
  options.connect_timeout = 1000ms;
  options.total_timeout = 10000ms;
  options.stall_timeout = 5000ms;
  options.backoff_base = 10ms;
  options.max_attempts = 2;
  options.proxy_from_environment = false;
  return options;
}

// Returns a new, empty folder for one test: `prefix`, the process id and the test's name.
inline std::filesystem::path fresh_test_folder(const std::string& prefix) {
  std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                 (prefix + std::to_string(::getpid()) + "-" +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

class LoopbackServer {
 public:
  // `threads`: connections served at once (each keep-alive connection holds one).
  explicit LoopbackServer(size_t threads = 8) {
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_tcp_nodelay(true);  // else Nagle + delayed ACK add 40 ms per response
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() { stop(); }

  // Stops listening: later requests get "connection refused".
  void stop() {
    release_stalls();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  httplib::Server& server() { return server_; }
  int port() const { return port_; }

  // Wakes every handler that is stalling on purpose.
  void release_stalls() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    released_cv_.notify_all();
  }
  // Blocks a handler until release_stalls() or `limit`.
  void stall(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    released_cv_.wait_for(lock, limit, [this] { return released_; });
  }

  std::atomic<int> hits{0};

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// The endoflife bodies of the bundled snapshot (derived from the fixtures' products/*.md by
// scripts/make-snapshot; derived, not captured), by product.
inline std::map<std::string, std::string> endoflife_bodies() {
  std::map<std::string, std::string> bodies;
  auto snapshot = read_snapshot(std::string(UPRANK_SOURCE_DIR) + "/data/snapshot.json");
  if (!snapshot) return bodies;
  for (const RawResponse& response : snapshot->responses) {
    if (response.source == "endoflife") bodies[response.key] = response.body;
  }
  return bodies;
}

// Serves /api/v1/products/ and /api/v1/products/<p>/ with ETags and 304s. `override`
// (when it returns true) handles a request first, for fault injection.
inline void serve_endoflife(LoopbackServer& server, std::map<std::string, std::string> bodies,
                            std::function<bool(const httplib::Request&, httplib::Response&)> override = {}) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(bodies));
  server.server().Get(R"(/api/v1/products/)", [shared, &server](const httplib::Request&, httplib::Response& res) {
    ++server.hits;
    std::string body = R"({"schema_version":"1.2.1","generated_at":"2026-08-22T00:00:00+00:00","total":)" +
                       std::to_string(shared->size()) + R"(,"result":[)";
    bool first = true;
    for (const auto& [name, unused] : *shared) {
      body += (first ? "" : ",") + std::string(R"({"name":")") + name + R"(","uri":"x"})";
      first = false;
    }
    res.set_content(body + "]}", "application/json");
  });
  server.server().Get(R"(/api/v1/products/([^/]+)/)",
                      [shared, override, &server](const httplib::Request& req, httplib::Response& res) {
                        ++server.hits;
                        if (override && override(req, res)) return;
                        auto it = shared->find(req.matches[1]);
                        if (it == shared->end()) {
                          res.status = 404;
                          res.set_content("<html><body><h1>404</h1>Page not found</body></html>", "text/html");
                          return;
                        }
                        std::string etag = "\"" + std::to_string(std::hash<std::string>{}(it->second)) + "\"";
                        res.set_header("ETag", etag);
                        if (req.get_header_value("If-None-Match") == etag) {
                          res.status = 304;
                          return;
                        }
                        res.set_content(it->second, "application/json");
                      });
}

}  // namespace uprank::fetch::testing
