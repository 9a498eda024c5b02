// Fetch and store speed: 400 products from a loopback server concurrently versus one at a
// time (compare the two BM_FetchProducts rows), loading the KEV catalog plus 100,000 OSV
// records into the store and back into facts, and reading one OSV record from its text
// against reading it through a JSON tree (compare the two BM_ParseOsvRecord rows).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fetchers/fetcher.h"
#include "fetchers/json_input.h"
#include "fetchers/osv.h"
#include "fetchers/store.h"
#include "loopback_server.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path temp_store(const std::string& name) {
  fs::path path = fs::temp_directory_path() / ("uprank-bench-" + std::to_string(::getpid()) + "-" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

// 400 products: the 44 real bodies, each served under several names, with 2 ms of
// simulated server latency so the comparison reflects network waiting, not parsing.
void BM_FetchProducts(benchmark::State& state) {
  const int concurrency = static_cast<int>(state.range(0));
  auto real = testing::endoflife_bodies();
  std::map<std::string, std::string> bodies;
  std::vector<std::string> names;
  size_t i = 0;
  while (bodies.size() < 400) {
    for (const auto& [name, body] : real) {
      if (bodies.size() == 400) break;
      std::string alias = name + "-" + std::to_string(i);
      std::string renamed = body;
      renamed.replace(renamed.find("\"name\":\"" + name + "\""), name.size() + 9, "\"name\":\"" + alias + "\"");
      bodies[alias] = renamed;
      names.push_back(alias);
    }
    ++i;
  }
  testing::LoopbackServer server(32);
  testing::serve_endoflife(server, bodies, [](const httplib::Request&, httplib::Response&) {
    std::this_thread::sleep_for(2ms);
    return false;
  });
  HttpOptions options;
  options.max_concurrency = concurrency;
  options.proxy_from_environment = false;
  // cpp-httplib compresses on the fly, brotli at its slowest setting (~25 ms per body on
  // this machine); real servers send pre-compressed bodies. gzip keeps compression in
  // the path without measuring the test server's compressor.
  options.accept_encoding = "gzip";
  for (auto _ : state) {
    state.PauseTiming();
    fs::path path = temp_store("fetch");
    auto store = Store::open(path.string());
    auto client = make_curl_http_client(options);
    SourceSettings settings;
    settings.name = "endoflife";
    settings.url = server.url();
    settings.products = names;
    state.ResumeTiming();
    SourceReport report = fetch_source(*store, *client, settings, "2026-08-22T00:00:00Z");
    if (report.fetched != 400) state.SkipWithError("not every product was fetched");
  }
  state.counters["products"] = 400;
}
BENCHMARK(BM_FetchProducts)->Arg(1)->Arg(8)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The KEV catalog plus 100,000 OSV records (the 342 Bitnami fixtures, renamed) stored in
// one transaction, then loaded back into facts.
void BM_StoreKevAndOsv(benchmark::State& state) {
  const fs::path fixtures = UPRANK_SHARED_FIXTURES;
  std::vector<std::string> records;
  for (const auto& entry : fs::directory_iterator(fixtures / "osv/bitnami")) {
    if (entry.path().extension() == ".json") records.push_back(read_text(entry.path()));
  }
  std::vector<RawResponse> batch;
  batch.push_back({"kev", "catalog", "kev", 200, "2026-08-22T00:00:00Z", std::nullopt, std::nullopt,
                   read_text(fixtures / "kev/known_exploited_vulnerabilities.json")});
  for (int n = 0; n < 100000; ++n) {
    auto record = nlohmann::json::parse(records[static_cast<size_t>(n) % records.size()]);
    std::string id = "BENCH-" + std::to_string(n);
    record["id"] = id;
    std::string body = record.dump();
    batch.push_back({"osv", id, "bench", 200, "2026-08-22T00:00:00Z", std::nullopt, std::nullopt, std::move(body)});
  }
  size_t advisories = 0;
  for (auto _ : state) {
    fs::path path = temp_store("load");
    {
      auto store = Store::open(path.string());
      if (!store || !store->put(batch, "2026-08-22T00:00:00Z")) state.SkipWithError("store failed");
    }
    auto facts = load_store_facts(path.string());
    if (!facts) {
      state.SkipWithError(facts.error().message.c_str());
      break;
    }
    advisories = facts->advisories.size();
  }
  state.counters["advisories"] = static_cast<double>(advisories);
}
BENCHMARK(BM_StoreKevAndOsv)->Unit(benchmark::kMillisecond)->Iterations(1);

// The 560 fixture records (Bitnami, Go, RustSec), each parsed into an Advisory: Arg(0)
// as a report reads them (parse_osv_record, from the text), Arg(1) through the tree
// (parse_json, then parse_osv_document), the path before session 18.
void BM_ParseOsvRecord(benchmark::State& state) {
  const fs::path fixtures = UPRANK_SHARED_FIXTURES;
  std::vector<RawResponse> records;
  for (const char* folder : {"bitnami", "go", "crates.io-rustsec"}) {
    for (const auto& entry : fs::directory_iterator(fixtures / "osv" / folder)) {
      if (entry.path().extension() != ".json") continue;
      records.push_back({"osv", entry.path().stem().string(), "", 200, "2026-08-22T00:00:00Z", std::nullopt,
                         std::nullopt, read_text(entry.path())});
    }
  }
  const bool tree = state.range(0) == 1;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const RawResponse& record : records) {
      if (tree) {
        auto parsed = parse_json(record.body, record.key);
        if (!parsed) continue;
        auto advisory = parse_osv_document(*parsed, record.key, record.fetched_at);
        benchmark::DoNotOptimize(advisory);
      } else {
        auto advisory = parse_osv_record(record);
        benchmark::DoNotOptimize(advisory);
      }
      bytes += record.body.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(tree ? "tree" : "text");
}
BENCHMARK(BM_ParseOsvRecord)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace uprank::fetch

BENCHMARK_MAIN();
