#include "cli/report_history.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/pipeline.h"
#include "engine/history/history.h"
#include "fetchers/content_hash.h"
#include "fetchers/store.h"

namespace uprank::cli {

std::string inputs_hash(const std::vector<std::string>& inventory_paths) {
  std::vector<std::string> paths;
  for (const std::string& path : inventory_paths) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    paths.push_back((ec ? std::filesystem::path(path) : absolute).lexically_normal().generic_string());
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::string text;
  for (const std::string& path : paths) text += path + "\n";
  return "sha256:" + fetch::sha256_hex(text);
}

std::string history_store_path(const GlobalOptions& global, const std::string& snapshot) {
  if (!global.store_path.empty()) return global.store_path;
  return snapshot.empty() ? fetch::default_store_path() : std::string();
}

std::optional<int> prepare_history_store(const std::string& store_path, bool facts_from_store) {
  if (store_path.empty()) return std::nullopt;
  // A missing fact store is load_facts()' error to report (exit 3 with its hint).
  if (facts_from_store && !std::filesystem::exists(store_path)) return std::nullopt;
  auto store = fetch::Store::open(store_path);
  if (store) return std::nullopt;
  std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
  return exit_code_for(store.error());
}

namespace {

std::optional<int> compare_with_baseline(report::Report& report, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return std::nullopt;  // apply_gate has said that it cannot be read
  auto previous = history::run_from_report(text.str(), path);
  if (!previous) {
    if (previous.error().code == "uprank.history.not_a_report") return std::nullopt;  // a SARIF log
    std::fprintf(stderr, "note: %s: not compared for the New/Resolved/Escalated/Upgraded sections: %s\n", path.c_str(),
                 previous.error().message.c_str());
    return std::nullopt;
  }
  report.changes = history::compare_runs(&*previous, history::record_run(report, "", ""), path);
  return std::nullopt;
}

}  // namespace

std::vector<history::Run> runs_of(const std::vector<fetch::ReportRun>& rows, const std::string& store_path) {
  std::vector<history::Run> runs;
  for (const fetch::ReportRun& row : rows) {
    history::Run run;
    run.today = Date::parse(row.today).value_or(Date());
    run.inputs_hash = row.inputs_hash;
    run.data_hash = row.content_hash;
    if (Status read = history::read_components_json(row.summary_json, store_path + ": report_history " + row.today, run);
        !read) {
      std::fprintf(stderr, "warning: %s; left out\n", read.error().message.c_str());
      continue;
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

std::optional<int> apply_history(report::Report& report, const HistorySettings& settings, const std::string& store_path,
                                 std::optional<fetch::ReportRun>& to_record, std::vector<history::TrendDay>* trend) {
  if (!settings.baseline.empty()) {
    if (auto exit = compare_with_baseline(report, settings.baseline)) return exit;
  }
  if (store_path.empty() || !settings.record) return std::nullopt;
  auto store = fetch::Store::open(store_path);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return exit_code_for(store.error());
  }
  history::Run run = history::record_run(report, settings.inputs_hash, settings.data_hash);
  if (!report.changes) {
    auto earlier = store->latest_report_run(settings.inputs_hash, report.today.to_string());
    if (!earlier) {
      std::fprintf(stderr, "error: %s\n", earlier.error().message.c_str());
      return kExitBadInput;
    }
    std::optional<history::Run> previous;
    if (const std::optional<fetch::ReportRun>& row = *earlier) {
      previous.emplace();
      previous->today = Date::parse(row->today).value_or(Date());
      if (Status read = history::read_components_json(row->summary_json, store_path + ": report_history " + row->today,
                                                      *previous);
          !read) {
        std::fprintf(stderr, "warning: %s; not compared\n", read.error().message.c_str());
        previous.reset();
      }
    }
    report.changes = history::compare_runs(previous ? &*previous : nullptr, run, "history");
  }
  history::TrendDay today = history::trend_day(run);
  to_record = fetch::ReportRun{fetch::utc_now_iso(), report.today.to_string(), settings.inputs_hash, settings.data_hash,
                               history::components_json(run), history::trend_day_json(today)};
  if (trend) {
    // The HTML trend chart: the last year of these inputs' runs before today, and this one.
    // Each run's day is read from its counts; a run recorded before they were kept is
    // counted from its components.
    auto rows = store->report_runs(settings.inputs_hash, (report.today + -365).to_string(), report.today.to_string(),
                                   false);
    if (rows) {
      for (const fetch::ReportRun& row : *rows) {
        if (row.trend_json.empty()) {
          for (const history::Run& old : runs_of({row}, store_path)) trend->push_back(history::trend_day(old));
          continue;
        }
        auto day = history::read_trend_day_json(row.trend_json, store_path + ": report_history " + row.today);
        if (!day) {
          std::fprintf(stderr, "warning: %s; left out of the trend\n", day.error().message.c_str());
          continue;
        }
        trend->push_back(*day);
      }
    }
    trend->push_back(std::move(today));
  }
  return std::nullopt;
}

std::optional<int> record_history(const fetch::ReportRun& run, const std::string& store_path) {
  auto store = fetch::Store::open(store_path);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return exit_code_for(store.error());
  }
  if (Status recorded = store->record_report_run(run); !recorded) {
    std::fprintf(stderr, "error: %s\n", recorded.error().message.c_str());
    return kExitBadInput;
  }
  return std::nullopt;
}

}  // namespace uprank::cli
