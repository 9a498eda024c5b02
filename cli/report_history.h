// The report history glue between `uprank report`, the store and engine/history: which
// run is "previous", recording this one, and the --baseline PREV.json comparison.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "engine/history/history.h"
#include "engine/report/report.h"
#include "fetchers/store.h"

namespace uprank::cli {

// Returns the inputs' hash of a report run: "sha256:" over the sorted, absolute, lexically
// normalised inventory paths, one per line. The paths and not their bytes: a fleet's
// inventory changes from night to night (that change is what history records), while
// the files it is read from stay.
std::string inputs_hash(const std::vector<std::string>& inventory_paths);

// What `report` records and compares with.
struct HistorySettings {
  bool record = true;          // false under --no-history
  std::string inputs_hash;     // inputs_hash() of the run's inventory paths
  std::string baseline;        // --baseline: a JSON report compares with it instead of history
  std::string data_hash;       // the facts' content hash
};

// Returns the store path history uses: --store when given, else the default store when
// facts come from it; "" when facts come from --snapshot and no --store names a store
// (a snapshot report leaves no trace in the user's cache).
std::string history_store_path(const GlobalOptions& global, const std::string& snapshot);

// Opens (creating or migrating) the store at `store_path` once before facts are read, so
// that a store of an older schema is migrated before the read-only fact load. When facts
// come from the store (`facts_from_store`) a missing file is left for the fact load to
// report. Prints the error and returns its exit code when the store cannot be opened.
std::optional<int> prepare_history_store(const std::string& store_path, bool facts_from_store);

// Sets report.changes: against the JSON report named by settings.baseline when there is
// one (a SARIF baseline or an older report is noted on stderr and not compared), else
// against the latest recorded run of the same inputs on an earlier day in the store at
// `store_path` ("": no history), and sets `to_record` to this run's history row, for
// record_history() once the report is written. Under --no-history (settings.record false)
// the store is neither read nor written. With `trend`, fills it with the trend
// (history::summarize) of these inputs' runs over the last 365 days and this one. Prints
// what went wrong and returns its exit code; nullopt when the run goes on.
std::optional<int> apply_history(report::Report& report, const HistorySettings& settings, const std::string& store_path,
                                 std::optional<fetch::ReportRun>& to_record,
                                 std::vector<history::TrendDay>* trend = nullptr);

// Records `run` (apply_history's `to_record`) in the store at `store_path`, replacing a
// run of the same inputs on the same day. Called after every output was written, so that
// a report nobody received never becomes tomorrow's "previous run". Prints what went wrong
// and returns its exit code; nullopt on success.
std::optional<int> record_history(const fetch::ReportRun& run, const std::string& store_path);

// Returns the runs of the store's report_history `rows` (from Store::report_runs), in
// their order; a row whose record cannot be read is left out with a warning naming
// `store_path` and its day.
std::vector<history::Run> runs_of(const std::vector<fetch::ReportRun>& rows, const std::string& store_path);

}  // namespace uprank::cli
