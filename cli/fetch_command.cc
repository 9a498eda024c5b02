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
#include "cli/osv_identity.h"
#include "cli/pipeline.h"
#include "engine/base/terminal_text.h"
#include "fetchers/bundled_eol.h"
#include "fetchers/endoflife_releases.h"
#include "fetchers/fetcher.h"
#include "fetchers/http_client.h"
#include "fetchers/importer.h"
#include "fetchers/store.h"
#include "fetchers/to_facts.h"

namespace uprank::cli {
namespace {

// Whether the GitHub token may go to `url`. A checked-out repository's uprank.yaml may
// name any source URL, so the token follows only what the operator chose: the public
// API, or $UPRANK_GITHUB_URL from the environment, and only over https (plain http to a
// loopback address is allowed for local test servers).
bool github_token_allowed(const std::string& url) {
  const char* chosen = std::getenv("UPRANK_GITHUB_URL");
  const std::string trusted = chosen != nullptr && *chosen != '\0' ? chosen : fetch::default_source_url("github");
  auto [scheme, host] = fetch::url_scheme_and_host(url);
  if (host.empty() || std::make_pair(scheme, host) != fetch::url_scheme_and_host(trusted)) return false;
  const bool loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  return scheme == "https" || (scheme == "http" && loopback);
}

struct FetchOptions {
  std::vector<std::string> sources;
  std::vector<std::string> inventory_paths;
  std::vector<std::string> imports;
  bool offline = false;
  int concurrency = 8;
  double timeout_seconds = 120;
  std::string ca_bundle;
};

// Adds what the inventory needs: endoflife products and one OSV query per component with
// an identity OSV knows. Returns the names of the components that had none.
std::vector<std::string> add_inventory_needs(const inventory::Inventory& inventory, const inventory::ProductMap& product_map,
                                             std::map<std::string, fetch::SourceSettings>& settings) {
  std::vector<std::string> not_queried;
  std::set<std::string> products(settings["endoflife"].products.begin(), settings["endoflife"].products.end());
  std::set<std::string> queried;
  for (const auto& component : inventory.components) {
    // Bundled products (runner images) are not endoflife.date's to answer for.
    if (component.mapped() && !fetch::is_bundled_eol_product(component.product) && products.insert(component.product).second) {
      settings["endoflife"].products.push_back(component.product);
    }
    auto query = osv_query_for(component, product_map);
    if (!query) {
      not_queried.push_back(component.name);
      continue;
    }
    // Duplicates (the same package in several files) are asked once.
    std::string key = query->purl + "|" + query->ecosystem + "|" + query->name + "|" + query->version;
    if (queried.insert(key).second) settings["osv"].packages.push_back(std::move(query).value());
  }
  return not_queried;
}

// Prints what an import read: records per source, skipped files with reasons, and the OSV
// data uprank cannot compare, by ecosystem.
// Stores each imported response as the importer reads it.
class StoreSink final : public fetch::ImportSink {
 public:
  explicit StoreSink(fetch::Store::Writer& writer) : writer_(writer) {}
  Status add(fetch::RawResponse response, const std::vector<std::string>* advisory_packages) override {
    return writer_.add(response, advisory_packages);
  }

 private:
  fetch::Store::Writer& writer_;
};

void print_import_summary(const std::string& path, const fetch::ImportSummary& summary) {
  std::printf("import %s\n", path.c_str());
  for (const auto& [source, records] : summary.records) {
    size_t files = summary.files.count(source) ? summary.files.at(source) : 0;
    std::printf("  %-5s %zu record(s) from %zu file(s)\n", source.c_str(), records, files);
  }
  if (summary.records.empty()) std::printf("  no records\n");
  for (const auto& [source, count] : summary.invalid) {
    std::printf("  %-5s %zu invalid document(s) skipped (listed below)\n", source.c_str(), count);
  }
  if (!summary.skipped.empty()) {
    std::printf("  skipped %zu file(s):\n", summary.skipped.size());
    for (const std::string& line : summary.skipped) std::printf("    %s\n", line.c_str());
  }
  auto by_ecosystem = [](const std::map<std::string, size_t>& counts) {
    size_t total = 0;
    std::string list;
    for (const auto& [ecosystem, count] : counts) {
      total += count;
      list += (list.empty() ? "" : ", ") + ecosystem + " " + std::to_string(count);
    }
    return std::make_pair(total, list);
  };
  if (auto [total, list] = by_ecosystem(summary.unknown_ecosystems); total > 0) {
    std::printf("  osv: %zu affected[] entr%s in ecosystems with no version scheme uprank knows (not compared): %s\n",
                total, total == 1 ? "y" : "ies", list.c_str());
  }
  if (auto [total, list] = by_ecosystem(summary.unreadable_ranges); total > 0) {
    std::printf("  osv: %zu range(s) could not be read (not compared): %s\n", total, list.c_str());
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
  // endoflife falls back to every product; endoflife-releases to the endoflife products
  // stored by then (endoflife is fetched first).
  if (name == "endoflife" || name == fetch::kReleaseDataSource || name == "kev") return true;
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
      std::fprintf(stderr, "error: unknown source '%s' (known: %s)\n", name.c_str(),
                   fetch::known_source_list().c_str());
      return kExitBadInput;
    }
  }
  for (const std::string& name : known) {
    fetch::SourceSettings& source = settings[name];
    source.name = name;
    source.url = fetch::resolve_source_url(name, source.url);
    if (source.stale_after == std::chrono::hours(168)) source.stale_after = fetch::default_stale_after(name);
    // A credential in a URL would reach messages, the store and snapshot exports.
    if (fetch::url_has_credentials(source.url)) {
      std::fprintf(stderr,
                   "error: the %s source URL %s carries credentials (user:password@ or a secret query parameter); "
                   "refused, as they would be logged, stored and exported\n",
                   name.c_str(), escape_for_terminal(fetch::redact_url(source.url)).c_str());
      return kExitBadInput;
    }
  }
  if (const char* token = std::getenv("GITHUB_TOKEN"); token != nullptr && *token != '\0') {
    if (!fetch::valid_header_value(token)) {
      std::fputs("error: GITHUB_TOKEN holds a control character (CR, LF); refused\n", stderr);
      return kExitBadInput;
    }
    if (github_token_allowed(settings["github"].url)) {
      settings["github"].token = token;
    } else {
      std::fprintf(stderr,
                   "warning: GITHUB_TOKEN not sent to %s: only to the GitHub API (https://api.github.com, or "
                   "$UPRANK_GITHUB_URL) over https; see docs/config.md, trust model\n",
                   escape_for_terminal(fetch::redact_url(settings["github"].url)).c_str());
    }
  }
  if (!options.inventory_paths.empty()) {
    auto reading = inventory_reading(*config);
    auto inventory = read_inventories(options.inventory_paths, false, reading->options);
    if (!inventory) return kExitBadInput;
    if (std::vector<std::string> not_queried = add_inventory_needs(*inventory, reading->products, settings);
        !not_queried.empty()) {
      std::string names;
      for (size_t i = 0; i < std::min<size_t>(5, not_queried.size()); ++i) names += (i ? ", " : "") + not_queried[i];
      if (not_queried.size() > 5) names += ", …";
      std::printf("osv: %zu component(s) not queried: no package ecosystem with a known release, nor a product "
                  "that advisories name, or no version (%s)\n",
                  not_queried.size(), names.c_str());
    }
  }

  const std::string store_path = global.store_path.empty() ? fetch::default_store_path() : global.store_path;
  fetch::Store::Options store_options;
  store_options.read_only = options.offline;
  auto store = fetch::Store::open(store_path, store_options);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", escape_for_terminal(store.error().message).c_str());
    return exit_code_for(store.error());
  }
  const std::string now = fetch::utc_now_iso();
  // Progress goes to a terminal only: a cron job's mail or a CI log gets the summary alone.
  const bool terminal = ::isatty(STDERR_FILENO) != 0;

  // Offline imports: KEV, OSV and EPSS files classified by content, stored like fetched data.
  for (const std::string& path : options.imports) {
    if (options.offline) {
      std::fputs("error: --import writes to the store; it cannot be combined with --offline\n", stderr);
      return kExitBadInput;
    }
    if (terminal) std::fprintf(stderr, "\rimporting %s …", path.c_str());
    // Each record is stored as it is read, in one transaction: a bad record rolls the whole
    // file back, as if nothing had been read.
    auto writer = store->begin_import(now, path);
    if (!writer) {
      std::fprintf(stderr, "error: %s\n", escape_for_terminal(writer.error().message).c_str());
      return kExitBadInput;
    }
    // Stored on a second thread while the importer reads and validates the next records.
    StoreSink store_sink(*writer);
    fetch::PipelinedSink sink(store_sink);
    auto imported = fetch::import_feeds_into(path, now, sink);
    Status stored_all = sink.finish();
    if (terminal) std::fputs("\r\033[K", stderr);
    // A store error stops the import at its next record: it is the cause to name.
    if (!stored_all || !imported) {
      const Error& error = !stored_all ? stored_all.error() : imported.error();
      std::fprintf(stderr, "error: %s\n", escape_for_terminal(error.message).c_str());
      return kExitBadInput;
    }
    if (Status stored = writer->commit(); !stored) {
      std::fprintf(stderr, "error: %s\n", escape_for_terminal(stored.error().message).c_str());
      return kExitBadInput;
    }
    print_import_summary(path, *imported);
  }
  if (!options.imports.empty() && options.sources.empty()) return kExitClean;
  // Release-data is asked for the products endoflife is asked for, unless configured apart.
  if (fetch::SourceSettings& releases = settings[fetch::kReleaseDataSource]; releases.products.empty()) {
    releases.products = settings["endoflife"].products;
  }

  fetch::HttpOptions http;
  http.max_concurrency = std::max(1, options.concurrency);
  http.total_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  http.ca_bundle = options.ca_bundle;
  auto client = fetch::make_curl_http_client(http);
  auto progress = [&](const std::string& source, size_t done, size_t total) {
    if (terminal) std::fprintf(stderr, "\r%-18s %zu/%zu", source.c_str(), done, total);
  };

  auto states = store->source_states();
  std::map<std::string, fetch::SourceState> before = states ? *states : std::map<std::string, fetch::SourceState>{};
  bool data_missing = false;
  std::printf("%-18s %8s %10s %7s %6s\n", "source", "fetched", "unchanged", "failed", "age");
  for (const std::string& name : chosen) {
    const fetch::SourceSettings& source = settings[name];
    fetch::SourceReport report;
    report.source = name;
    if (options.offline) {
      auto state = before.find(name);
      report.has_data = state != before.end() && state->second.responses > 0;
      if (report.has_data) report.oldest_fetched_at = state->second.oldest_fetched_at;
    } else if (!has_work(source, before)) {
      std::printf("%-18s %8s %10s %7s %6s  (nothing to fetch: configure sources.%s)\n", name.c_str(), "-", "-", "-", "-",
                  name.c_str());
      continue;
    } else {
      spdlog::info("fetching {} from {}", name, escape_for_terminal(fetch::redact_url(source.url)));
      report = fetch::fetch_source(*store, *client, source, now, progress);
      if (terminal && report.requested > 0) std::fputs("\r\033[K", stderr);
      constexpr size_t kShown = 5;  // the rest are usually the same failure
      for (size_t i = 0; i < std::min(kShown, report.errors.size()); ++i) {
        spdlog::warn("{}: {}", name, escape_for_terminal(report.errors[i].message));  // quotes server text
      }
      if (report.errors.size() > kShown) {
        spdlog::warn("{}: … and {} more failures (see the store's fetch log)", name, report.errors.size() - kShown);
      }
    }
    std::printf("%-18s %8zu %10zu %7zu %6s%s\n", name.c_str(), report.fetched, report.unchanged, report.failed,
                describe_age(report.oldest_fetched_at).c_str(),
                report.has_data ? (report.failed > 0 ? "  (kept cached data)" : "")
                                : (report.answered ? "  (answered: nothing to store)" : "  NO DATA"));
    for (const std::string& warning : report.warnings) spdlog::warn("{}", escape_for_terminal(warning));
    // An answer with nothing in it (osv: no advisories) is data; only a source with neither
    // an answer nor cached data makes the exit code 3.
    if (!report.has_data && !report.answered) {
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
  app.add_option("--source", options->sources, "Sources to fetch: " + fetch::known_source_list() + " (default: all)")
      ->delimiter(',');
  app.add_option("--inventory", options->inventory_paths, "Fetch what these inventories need");
  app.add_option("--import", options->imports,
                 "Import offline data, told apart by content: KEV JSON or CSV; OSV JSON or YAML records, "
                 "directories or zip dumps; EPSS CSV (plain or gzip)");
  app.add_flag("--offline", options->offline, "Do not use the network: report what the store holds");
  app.add_option("--concurrency", options->concurrency, "Parallel requests (default 8)")->check(CLI::Range(1, 64));
  app.add_option("--timeout", options->timeout_seconds, "Seconds per request attempt (default 120)")
      ->check(CLI::Range(1.0, 3600.0));
  app.add_option("--ca-bundle", options->ca_bundle, "PEM file of CA certificates to trust");
  return [options, &global] { return run_fetch(*options, global); };
}

}  // namespace uprank::cli
