// `uprank history`: the trend of open findings per day and the upgrade records, from the
// report runs the store recorded (docs/history.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/pipeline.h"
#include "cli/report_history.h"
#include "engine/history/history.h"
#include "fetchers/store.h"

namespace uprank::cli {
namespace {

struct HistoryOptions {
  std::vector<std::string> inventory_paths;
  std::string since = "30d";
  std::string format = "table";
  std::string today;
};

// Returns the first day `since` covers: "Nd" counts back from `today`, else a date.
std::optional<Date> since_date(const std::string& since, Date today) {
  if (since.size() >= 2 && since.back() == 'd' && since.find_first_not_of("0123456789") == since.size() - 1 &&
      since.size() <= 6) {
    return today + -std::stoi(since.substr(0, since.size() - 1));
  }
  return Date::parse(since);
}

int run_history(const HistoryOptions& options, const GlobalOptions& global) {
  if (options.format != "table" && options.format != "json") {
    std::fprintf(stderr, "error: --format takes table or json, not '%s'\n", options.format.c_str());
    return kExitBadInput;
  }
  auto today = parse_today(options.today);
  if (!today) return kExitBadInput;
  auto since = since_date(options.since, *today);
  if (!since) {
    std::fprintf(stderr, "error: --since takes a number of days (30d) or a date (YYYY-MM-DD), not '%s'\n",
                 options.since.c_str());
    return kExitBadInput;
  }
  const std::string path = global.store_path.empty() ? fetch::default_store_path() : global.store_path;
  auto store = fetch::Store::open(path, fetch::Store::Options{true, 10'000});
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return exit_code_for(store.error());
  }
  // Without --inventory: the inputs reported last, so that two fleets' runs never mix.
  std::string key = options.inventory_paths.empty() ? std::string() : inputs_hash(options.inventory_paths);
  auto rows = store->report_runs(key, since->to_string(), (*today + 1).to_string());
  if (!rows) {
    std::fprintf(stderr, "error: %s\n", rows.error().message.c_str());
    return kExitBadInput;
  }
  if (key.empty() && !rows->empty()) {
    auto last = std::max_element(rows->begin(), rows->end(), [](const fetch::ReportRun& a, const fetch::ReportRun& b) {
      return a.created_at < b.created_at;
    });
    key = last->inputs_hash;
    std::erase_if(*rows, [&](const fetch::ReportRun& row) { return row.inputs_hash != key; });
  }
  std::vector<history::Run> runs = runs_of(*rows, path);
  history::Summary summary = history::summarize(runs);
  std::string text = options.format == "json" ? history::write_summary_json(summary) : history::write_summary_table(summary);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitClean;
}

}  // namespace

Runner add_history_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<HistoryOptions>();
  app.add_option("-i,--inventory", options->inventory_paths,
                 "The inventory paths `report` was run on (default: the inputs reported last)");
  app.add_option("--since", options->since, "First day shown: days back from today (30d) or a date (YYYY-MM-DD)")
      ->capture_default_str();
  app.add_option("-f,--format", options->format, "Output format: table or json")->capture_default_str();
  app.add_option("--today", options->today, "Count --since back from this date (YYYY-MM-DD) instead of today");
  return [options, &global] { return run_history(*options, global); };
}

}  // namespace uprank::cli
