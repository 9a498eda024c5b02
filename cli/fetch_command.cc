// `uprank fetch`: pull vendor facts into the store, one source at a time, with a progress
// line on a terminal and a summary per source. Exit 3 when a source has neither fresh nor
// cached data. `--offline` only reports what the store holds.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include "cli/command.h"
#include "cli/config.h"
#include "cli/pipeline.h"
#include "engine/inventory/purl.h"
#include "fetchers/fetcher.h"
#include "fetchers/importer.h"
#include "fetchers/store.h"
#include "fetchers/to_facts.h"

namespace uprank::cli {
namespace {

struct FetchOptions {
  std::vector<std::string> sources;
  std::vector<std::string> inventory_paths;
  std::vector<std::string> imports;
  bool offline = false;
  int concurrency = 8;
  double timeout_seconds = 120;
  std::string ca_bundle;
};

// Parses "7d", "36h", "90m" into hours (minutes round up).

// Maps a package URL type to its OSV ecosystem; "" when OSV has none.
std::string osv_ecosystem(const inventory::PackageUrl& purl) {
  static const std::map<std::string, std::string> kEcosystems = {
      {"pypi", "PyPI"},     {"npm", "npm"},           {"golang", "Go"},   {"cargo", "crates.io"},
      {"maven", "Maven"},   {"gem", "RubyGems"},      {"nuget", "NuGet"}, {"composer", "Packagist"},
      {"hex", "Hex"},       {"pub", "Pub"},           {"bitnami", "Bitnami"}};
  auto it = kEcosystems.find(purl.type);
  return it == kEcosystems.end() ? std::string() : it->second;
}

// Adds what the inventory needs: endoflife products and OSV package queries.
void add_inventory_needs(const inventory::Inventory& inventory, std::map<std::string, fetch::SourceSettings>& settings) {
  std::set<std::string> products(settings["endoflife"].products.begin(), settings["endoflife"].products.end());
  for (const auto& component : inventory.components) {
    if (component.mapped() && products.insert(component.product).second) {
      settings["endoflife"].products.push_back(component.product);
    }
    if (component.purl.empty()) continue;
    auto purl = inventory::PackageUrl::parse(component.purl);
    if (!purl) continue;
    std::string ecosystem = osv_ecosystem(*purl);
    if (ecosystem.empty()) continue;
    std::string name = purl->name;
    if (!purl->namespace_.empty()) name = purl->namespace_ + (purl->type == "maven" ? ":" : "/") + purl->name;
    settings["osv"].packages.push_back({ecosystem, name, purl->version.empty() ? component.version_text : purl->version});
  }
}

std::string describe_age(const std::string& fetched_at) {
  auto when = fetch::parse_utc_timestamp(fetched_at);
  if (!when) return "-";
  auto hours = std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now() - *when).count();
  if (hours < 1) return "<1h";
  if (hours < 48) return std::to_string(hours) + "h";
  return std::to_string(hours / 24) + "d";
}

// Returns whether `settings` gives `source` anything to fetch, counting stored data.
bool has_work(const fetch::SourceSettings& settings, const std::map<std::string, fetch::SourceState>& states) {
  const std::string& name = settings.name;
  auto state = states.find(name);
  bool stored = state != states.end() && state->second.responses > 0;
  if (name == "endoflife" || name == "kev") return true;  // endoflife falls back to every product
  if (name == "osv") return stored || !settings.packages.empty();
  if (name == "epss") return stored || !settings.cves.empty() || states.count("osv") != 0;
  if (name == "github") return stored || !settings.repositories.empty();
  return false;
}

int run_fetch(const FetchOptions& options, const GlobalOptions& global) {
  std::map<std::string, fetch::SourceSettings> settings;
  auto config = load_config(global);
  if (!config) return kExitBadInput;
  settings = config->sources;
  const auto& known = fetch::known_sources();
  std::vector<std::string> chosen = options.sources.empty() ? known : options.sources;
  for (const std::string& name : chosen) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::fprintf(stderr, "error: unknown source '%s' (known: endoflife, osv, kev, epss, github)\n", name.c_str());
      return kExitBadInput;
    }
  }
  for (const std::string& name : known) {
    fetch::SourceSettings& source = settings[name];
    source.name = name;
    source.url = fetch::resolve_source_url(name, source.url);
    if (source.stale_after == std::chrono::hours(168)) source.stale_after = fetch::default_stale_after(name);
  }
  if (const char* token = std::getenv("GITHUB_TOKEN"); token != nullptr) settings["github"].token = token;
  if (!options.inventory_paths.empty()) {
    auto reading = inventory_reading(*config);
    auto inventory = read_inventories(options.inventory_paths, false, reading->options);
    if (!inventory) return kExitBadInput;
    add_inventory_needs(*inventory, settings);
  }

  const std::string store_path = global.store_path.empty() ? fetch::default_store_path() : global.store_path;
  fetch::Store::Options store_options;
  store_options.read_only = options.offline;
  auto store = fetch::Store::open(store_path, store_options);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return options.offline && store.error().code == "uprank.store.missing" ? kExitDataUnavailable : kExitBadInput;
  }
  const std::string now = fetch::utc_now_iso();

  // Offline imports: OSV files/directories/zips and EPSS CSVs, stored like fetched data.
  for (const std::string& path : options.imports) {
    if (options.offline) {
      std::fputs("error: --import writes to the store; it cannot be combined with --offline\n", stderr);
      return kExitBadInput;
    }
    std::vector<fetch::RawResponse> imported;
    if (path.find("epss") != std::string::npos || path.ends_with(".csv") || path.ends_with(".csv.gz")) {
      auto csv = fetch::import_epss_csv(path, now);
      if (!csv) {
        std::fprintf(stderr, "error: %s\n", csv.error().message.c_str());
        return kExitBadInput;
      }
      imported.push_back(std::move(csv).value());
    } else {
      auto records = fetch::import_osv(path, now);
      if (!records) {
        std::fprintf(stderr, "error: %s\n", records.error().message.c_str());
        return kExitBadInput;
      }
      imported = std::move(records).value();
    }
    if (Status stored = store->put(imported, now); !stored) {
      std::fprintf(stderr, "error: %s\n", stored.error().message.c_str());
      return kExitBadInput;
    }
    std::printf("imported %zu response(s) from %s\n", imported.size(), path.c_str());
  }
  if (!options.imports.empty() && options.sources.empty()) return kExitClean;

  fetch::HttpOptions http;
  http.max_concurrency = std::max(1, options.concurrency);
  http.total_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  http.ca_bundle = options.ca_bundle;
  auto client = fetch::make_curl_http_client(http);
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  auto progress = [&](const std::string& source, size_t done, size_t total) {
    if (terminal) std::fprintf(stderr, "\r%-10s %zu/%zu", source.c_str(), done, total);
  };

  auto states = store->source_states();
  std::map<std::string, fetch::SourceState> before = states ? *states : std::map<std::string, fetch::SourceState>{};
  bool data_missing = false;
  std::printf("%-10s %8s %10s %7s %6s\n", "source", "fetched", "unchanged", "failed", "age");
  for (const std::string& name : chosen) {
    const fetch::SourceSettings& source = settings[name];
    fetch::SourceReport report;
    report.source = name;
    if (options.offline) {
      auto state = before.find(name);
      report.has_data = state != before.end() && state->second.responses > 0;
      if (report.has_data) report.oldest_fetched_at = state->second.oldest_fetched_at;
    } else if (!has_work(source, before)) {
      std::printf("%-10s %8s %10s %7s %6s  (nothing to fetch: configure sources.%s)\n", name.c_str(), "-", "-", "-", "-",
                  name.c_str());
      continue;
    } else {
      spdlog::info("fetching {} from {}", name, source.url);
      report = fetch::fetch_source(*store, *client, source, now, progress);
      if (terminal && report.requested > 0) std::fputs("\r\033[K", stderr);
      constexpr size_t kShown = 5;  // the rest are usually the same failure
      for (size_t i = 0; i < std::min(kShown, report.errors.size()); ++i) {
        spdlog::warn("{}: {}", name, report.errors[i].message);
      }
      if (report.errors.size() > kShown) {
        spdlog::warn("{}: … and {} more failures (see the store's fetch log)", name, report.errors.size() - kShown);
      }
    }
    std::printf("%-10s %8zu %10zu %7zu %6s%s\n", name.c_str(), report.fetched, report.unchanged, report.failed,
                describe_age(report.oldest_fetched_at).c_str(),
                report.has_data ? (report.failed > 0 ? "  (kept cached data)" : "") : "  NO DATA");
    if (!report.has_data) {
      data_missing = true;
      std::fprintf(stderr, "error: %s: no fresh or cached data%s\n", name.c_str(),
                   report.errors.empty() ? "" : (" (" + report.errors.front().message + ")").c_str());
    } else if (auto when = fetch::parse_utc_timestamp(report.oldest_fetched_at);
               when && std::chrono::system_clock::now() - *when > source.stale_after) {
      spdlog::warn("{}: data is stale (oldest fetched {})", name, report.oldest_fetched_at);
    }
  }
  return data_missing ? kExitDataUnavailable : kExitClean;
}

}  // namespace

Runner add_fetch_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<FetchOptions>();
  app.add_option("--source", options->sources, "Sources to fetch: endoflife, osv, kev, epss, github (default: all)")
      ->delimiter(',');
  app.add_option("--inventory", options->inventory_paths, "Fetch what these inventories need");
  app.add_option("--import", options->imports,
                 "Import offline data: OSV .json files, directories or .zip dumps; EPSS .csv or .csv.gz");
  app.add_flag("--offline", options->offline, "Do not use the network: report what the store holds");
  app.add_option("--concurrency", options->concurrency, "Parallel requests (default 8)")->check(CLI::Range(1, 64));
  app.add_option("--timeout", options->timeout_seconds, "Seconds per request attempt (default 120)")
      ->check(CLI::Range(1.0, 3600.0));
  app.add_option("--ca-bundle", options->ca_bundle, "PEM file of CA certificates to trust");
  return [options, &global] { return run_fetch(*options, global); };
}

}  // namespace uprank::cli
