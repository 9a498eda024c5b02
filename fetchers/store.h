// The fact store: one SQLite file holding raw responses with their validators and fetch
// times, a fetch log, and per-source state. WAL mode and a busy timeout let a nightly job
// and a manual run overlap; every write is one transaction, so a kill -9 leaves the last
// committed state, and a failed or malformed fetch never replaces good data.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

struct sqlite3;

namespace uprank::fetch {

inline constexpr int kStoreSchemaVersion = 5;

// The state of one source in the store, for fetch summaries and data age.
struct SourceState {
  std::string source;
  size_t responses = 0;
  std::string oldest_fetched_at;   // "" when there is no data
  std::string newest_fetched_at;
  std::string last_attempt_at;
  std::string last_success_at;
  std::string last_error;          // "" after a success
};

// One line of the fetch log.
struct FetchLogEntry {
  std::string source;
  std::string key;
  std::string at;
  std::string outcome;   // "fetched", "unchanged", "failed"
  int http_status = 0;
  std::string error_code;
  std::string message;
};

// One recorded `uprank report` run (report_history; engine/history reads summary_json).
struct ReportRun {
  std::string created_at;    // when it ran, "YYYY-MM-DDTHH:MM:SSZ"
  std::string today;         // its --today, "YYYY-MM-DD"
  std::string inputs_hash;   // which inputs it read (docs/history.md)
  std::string content_hash;  // the facts' content hash
  std::string summary_json;  // its components (history::components_json())
  std::string trend_json;    // its day of the trend (history::trend_day_json()); "" when
                             // recorded before schema 4: the trend is then read from summary_json
};

class Store {
 public:
  struct Options {
    bool read_only = false;           // --offline readers: never create or migrate
    int busy_timeout_ms = 10'000;
  };

  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  // Opens (creating the file and its folder unless read-only) and migrates the store to
  // kStoreSchemaVersion. A store written by a newer uprank is an error, never touched.
  static Result<Store> open(const std::string& path, Options options);
  static Result<Store> open(const std::string& path) { return open(path, Options{}); }

  const std::string& path() const { return path_; }

  // Returns the stored response for (source, key), or nullopt.
  Result<std::optional<RawResponse>> get(const std::string& source, const std::string& key) const;

  // Returns every stored response of `source` (all sources when empty), in (source, key) order.
  Result<std::vector<RawResponse>> responses(const std::string& source = {}) const;

  // Stores validated responses and logs them as fetched, in one transaction. Responses of
  // the `replace_sources` not in `batch` are removed in the same transaction (a complete
  // refresh, e.g. a snapshot import). Indexes each OSV record by the packages it names
  // and recomputes the content hash before committing: O(stored bytes) per call.
  Status put(const std::vector<RawResponse>& batch, const std::string& now,
             const std::vector<std::string>& replace_sources = {});

  // put() one response at a time, for an import that streams more records than it should
  // hold (100,000 OSV records): the statements are prepared once and reused, and every
  // response goes into one transaction, so a failed or killed import changes nothing, as
  // put() does. SQLite spills the transaction's pages to the WAL file as its cache fills:
  // memory stays bounded by the page cache, not by the size of the import.
  class Writer {
   public:
    ~Writer();  // rolls back what was not committed
    Writer(Writer&&) noexcept;
    Writer& operator=(Writer&&) = delete;

    // Stores one validated response and logs it as fetched (an import's writer logs each
    // source once, at commit). For an OSV record the caller
    // already parsed, `advisory_packages` are its advisory_package_keys() (to_facts.h), so
    // the body is not parsed again; null parses it. After an error the writer has rolled
    // back and refuses further calls.
    Status add(const RawResponse& response, const std::vector<std::string>* advisory_packages = nullptr);

    // Updates the state of every source written, recomputes the content hash (O(stored
    // bytes)) and commits.
    Status commit();

   private:
    friend class Store;
    struct State;
    explicit Writer(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };

  // Begins a Writer's transaction; the `replace_sources` are emptied first, as put() does.
  // One writer at a time: the store is locked for writing until it commits or is destroyed.
  Result<Writer> begin_put(const std::string& now, const std::vector<std::string>& replace_sources = {});

  // begin_put() for an offline import of `path` (`uprank fetch --import`): the same rows,
  // but the fetch log gets one line per source the import wrote, at commit (key "import",
  // outcome "fetched", message "imported N response(s) from PATH"), not one per record: a
  // dump of 100,000 records is one event, and its records are in `responses`.
  Result<Writer> begin_import(const std::string& now, const std::string& path);

  // Records a 304: the stored body is still current; its validators and check time update
  // but fetched_at stays the time the body was fetched.
  Status mark_unchanged(const std::string& source, const std::string& key, const std::string& now,
                        const std::optional<std::string>& etag, const std::optional<std::string>& last_modified);

  // Records a failed fetch without touching stored data.
  Status record_failure(const std::string& source, const std::string& key, const std::string& now,
                        int http_status, const Error& error);

  // Returns the state of every source that has data or a logged attempt, by name.
  Result<std::map<std::string, SourceState>> source_states() const;

  // Returns the last `limit` fetch log entries, newest first.
  Result<std::vector<FetchLogEntry>> fetch_log(size_t limit = 100) const;

  // Records a report run in one transaction, replacing the run of the same inputs_hash and
  // today: the latest run of a day is that day's record.
  Status record_report_run(const ReportRun& run);

  // Returns the recorded runs with today >= `since` and, unless `before` is "", today <
  // `before` (dates "YYYY-MM-DD"), of `inputs_hash` (every input when ""), in (today,
  // inputs_hash) order.
  // With `components` false, summary_json is read only for runs without a trend_json: a
  // trend over a year of a large fleet reads 365 small rows, not 365 fleets.
  Result<std::vector<ReportRun>> report_runs(const std::string& inputs_hash, const std::string& since,
                                             const std::string& before = {}, bool components = true) const;

  // Returns the latest recorded run of `inputs_hash` with today < `before` ("YYYY-MM-DD"),
  // or none: the run a report compares itself with.
  Result<std::optional<ReportRun>> latest_report_run(const std::string& inputs_hash, const std::string& before) const;

  // Returns the schema version recorded in the file.
  Result<int> schema_version() const;

  // Returns content_hash() (fetchers/content_hash.h) of every stored response: the one
  // put() keeps, else computed by reading every response once.
  Result<std::string> content_hash() const;

  // Computes and keeps the content hash, after writes that only forgot it (mark_unchanged).
  Status refresh_content_hash();

  // Parses the stored responses into facts in one read transaction (see load_store_facts).
  Result<facts::FactSet> read_facts(const std::vector<std::string>* advisory_packages) const;

 private:
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status migrate();
  Status index_stored_advisories();  // every stored record's advisory_packages rows, at migration
  Result<std::string> computed_content_hash() const;
  Status store_content_hash();                          // and the advisory counts, inside a write transaction
  Status keep(const char* name, const std::string& value);       // a `meta` row
  Result<std::optional<std::string>> kept(const char* name) const;
  // The stored OSV records: how many, their fetch times, how many have advisory_packages rows.
  struct AdvisoryCounts {
    size_t records = 0;
    std::string oldest;
    std::string newest;
    size_t indexed = 0;
  };
  Result<AdvisoryCounts> advisory_counts() const;  // kept by put(), else counted
  Result<AdvisoryCounts> computed_advisory_counts() const;
  Result<facts::FactSet> read_facts_in_transaction(const std::vector<std::string>* advisory_packages) const;
  Status execute(const char* sql) const;
  void rollback() const;  // best effort: SQLite rolls back by itself when it cannot
  sqlite3* db_ = nullptr;
  std::string path_;
};

// Returns the default store path: $XDG_CACHE_HOME/uprank/store.db, else
// $HOME/.cache/uprank/store.db.
std::string default_store_path();

// Opens the store read-only and parses its responses into facts, with per-source
// provenance (origin "store") and the content hash of every stored response. With
// `advisory_packages` (inventory::advisory_package_key values, e.g. from
// evaluator::advisory_packages_of), an OSV record is parsed only when one of them, or no
// package (fetch::kAnyPackage), names it: a report on 10 components does not parse
// 100,000 advisories. Records left unread still count in the provenance and in
// FactSet::advisories_left_unread. Null reads every record. A missing store is an error
// with code "uprank.store.missing".
Result<facts::FactSet> load_store_facts(const std::string& store_path,
                                        const std::vector<std::string>* advisory_packages = nullptr);

// Returns the current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now_iso();

}  // namespace uprank::fetch
