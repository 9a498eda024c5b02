#include "fetchers/store.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "engine/files/files.h"
#include "fetchers/content_hash.h"
#include "fetchers/fetcher.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

// Each step moves the schema from version i to i + 1 and runs in its own transaction
// together with the `PRAGMA user_version` bump, so a crash mid-migration changes nothing.
const char* const kMigrations[] = {
    // 0 → 1: raw responses and the fetch log.
    R"sql(
CREATE TABLE responses (
  source        TEXT NOT NULL,
  key           TEXT NOT NULL,
  url           TEXT NOT NULL,
  status        INTEGER NOT NULL,
  fetched_at    TEXT NOT NULL,
  checked_at    TEXT NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  body          BLOB NOT NULL,
  body_sha256   TEXT NOT NULL,
  PRIMARY KEY (source, key)
) WITHOUT ROWID;
CREATE TABLE fetch_log (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,
  key         TEXT NOT NULL,
  at          TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('fetched', 'unchanged', 'failed')),
  http_status INTEGER NOT NULL DEFAULT 0,
  error_code  TEXT NOT NULL DEFAULT '',
  message     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fetch_log_by_source ON fetch_log (source, at);
)sql",
    // 1 → 2: per-source state and report history (for trends).
    R"sql(
CREATE TABLE source_state (
  source          TEXT PRIMARY KEY,
  last_attempt_at TEXT NOT NULL DEFAULT '',
  last_success_at TEXT NOT NULL DEFAULT '',
  last_error      TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE report_history (
  id           INTEGER PRIMARY KEY,
  created_at   TEXT NOT NULL,
  today        TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
)sql",
    // 2 → 3: report history keyed by the inputs a run read (docs/history.md); one run kept
    // per (inputs_hash, today). summary_json holds its components (engine/history).
    R"sql(
ALTER TABLE report_history ADD COLUMN inputs_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX report_history_by_inputs ON report_history (inputs_hash, today);
)sql",
    // 3 → 4: each run's day of the trend beside its components, so that a trend reads
    // counts rather than every past run's components (engine/history).
    R"sql(
ALTER TABLE report_history ADD COLUMN trend_json TEXT NOT NULL DEFAULT '';
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kStoreSchemaVersion);

Error store_error(const std::string& path, const std::string& what, sqlite3* db) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return make_error("uprank.store.sqlite", path + ": " + what + ": " + detail);
}

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr); }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return statement_ != nullptr; }
  void bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, const std::optional<std::string>& text) {
    if (text) {
      bind(index, *text);
    } else {
      sqlite3_bind_null(statement_, index);
    }
  }
  void bind_blob(int index, const std::string& bytes) {
    sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, int64_t value) { sqlite3_bind_int64(statement_, index, value); }
  int step() { return sqlite3_step(statement_); }
  void reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  std::string text(int column) const {
    const unsigned char* value = sqlite3_column_text(statement_, column);
    return value == nullptr ? std::string() : reinterpret_cast<const char*>(value);
  }
  std::optional<std::string> optional_text(int column) const {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
    return text(column);
  }
  std::string blob(int column) const {
    const void* data = sqlite3_column_blob(statement_, column);
    int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), static_cast<size_t>(size));
  }
  int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

constexpr const char* kSelectColumns =
    "SELECT source, key, url, status, fetched_at, etag, last_modified, body FROM responses";

RawResponse read_response(const Statement& row) {
  RawResponse response;
  response.source = row.text(0);
  response.key = row.text(1);
  response.url = redact_url(row.text(2));  // a store written before a name was known to be secret
  response.status = static_cast<int>(row.integer(3));
  response.fetched_at = row.text(4);
  response.etag = row.optional_text(5);
  response.last_modified = row.optional_text(6);
  response.body = row.blob(7);
  return response;
}

}  // namespace

Store::~Store() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Store::Store(Store&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) { other.db_ = nullptr; }

Store& Store::operator=(Store&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

namespace {
// The first 16 bytes of every SQLite 3 database file.
constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};

// The tables a uprank store holds at each schema version (kMigrations creates them).
struct StoreTable {
  const char* name;
  int since_version;
};
constexpr StoreTable kStoreTables[] = {
    {"responses", 1}, {"fetch_log", 1}, {"source_state", 2}, {"report_history", 2}};

bool file_exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

// Returns `path` as an absolute SQLite URI ("file:///..."), with the bytes a URI path
// cannot hold as they are percent-encoded.
std::string file_uri(const std::string& path) {
  std::error_code error;
  std::string absolute = std::filesystem::absolute(path, error).string();
  if (error) absolute = path;
  std::string uri = "file://";
  for (char c : absolute) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::strchr("/-._~", c) != nullptr) {
      uri += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
      uri += escaped;
    }
  }
  return uri;
}

// Opens `uri` read-only. Returns the connection (null with `error` set on failure).
sqlite3* open_uri(const std::string& uri, const std::string& path, Error& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    error = store_error(path, "cannot open the store", db);
    sqlite3_close_v2(db);
    return nullptr;
  }
  sqlite3_extended_result_codes(db, 1);
  return db;
}

// Reads the schema version and table names; SQLITE_OK or the failing result code.
int read_identity(sqlite3* db, int& version, std::vector<std::string>& tables) {
  Statement pragma(db, "PRAGMA user_version");
  if (!pragma.ok()) return sqlite3_errcode(db);
  int rc = pragma.step();
  if (rc != SQLITE_ROW) return rc;
  version = static_cast<int>(pragma.integer(0));
  Statement names(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!names.ok()) return sqlite3_errcode(db);
  while ((rc = names.step()) == SQLITE_ROW) tables.push_back(names.text(0));
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Opens an existing store file read-only, changing nothing in it or beside it. SQLite's
// documented ways (https://www.sqlite.org/wal.html, "Read-Only Databases"): a read-only
// connection to a WAL database needs its -wal and -shm files to exist or to be creatable;
// otherwise only `immutable=1` opens it, which takes no lock and reads no -wal file. So:
//  - `for_inspection` (before a read-write open decides whether the file is ours): with
//    no -wal file beside it nothing is left to read in one, and `immutable=1` reads the
//    file without creating -wal/-shm files or switching anything; with one, `mode=ro`.
//  - otherwise `mode=ro`, which sees a concurrent writer's commits; when the -wal/-shm
//    files cannot be created (read-only media, a folder without write permission) and
//    there is no -wal file, `immutable=1`. A -wal file without a way to read it is an
//    error: reading around it would show older data as current.
Result<sqlite3*> open_existing_read_only(const std::string& path, bool for_inspection, int& version,
                                         std::vector<std::string>& tables) {
  const std::string uri = file_uri(path);
  const bool has_wal = file_exists(path + "-wal");
  Error error;
  if (for_inspection && !has_wal) {
    sqlite3* db = open_uri(uri + "?immutable=1", path, error);
    if (db == nullptr) return error;
    if (int rc = read_identity(db, version, tables); rc != SQLITE_OK) {
      Error failed = store_error(path, "cannot read the store", db);
      sqlite3_close_v2(db);
      return failed;
    }
    return db;
  }
  sqlite3* db = open_uri(uri + "?mode=ro", path, error);
  if (db == nullptr) return error;
  int rc = read_identity(db, version, tables);
  if (rc == SQLITE_OK) return db;
  Error failed = store_error(path, "cannot read the store", db);
  sqlite3_close_v2(db);
  const int primary = rc & 0xff;
  if (primary != SQLITE_READONLY && primary != SQLITE_CANTOPEN) return failed;
  if (has_wal) {
    return make_error("uprank.store.read_only",
                      path + ": cannot be read where it is: its -wal file holds changes, and the folder cannot be "
                             "written to open it; copy the store with its -wal file somewhere writable");
  }
  version = 0;
  tables.clear();
  db = open_uri(uri + "?immutable=1", path, error);
  if (db == nullptr) return error;
  if (read_identity(db, version, tables) != SQLITE_OK) {
    Error unreadable = store_error(path, "cannot read the store", db);
    sqlite3_close_v2(db);
    return unreadable;
  }
  return db;
}

// Returns an error unless a file with this schema version and these tables is a uprank
// store this uprank can use (or an empty database, which the first migration fills).
Status check_identity(const std::string& path, int version, const std::vector<std::string>& tables) {
  auto has = [&](const char* name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
  bool ours = version > 0 || tables.empty();
  for (const StoreTable& table : kStoreTables) {
    if (version >= table.since_version && !has(table.name)) ours = false;
  }
  if (!ours) {
    std::string names;
    for (size_t i = 0; i < tables.size() && i < 5; ++i) names += (i ? ", " : "") + tables[i];
    if (tables.size() > 5) names += ", …";
    return make_error("uprank.store.foreign",
                      path + ": a SQLite database of another application (schema version " + std::to_string(version) +
                          (names.empty() ? "" : ", tables " + names) + "), not a uprank store; left untouched");
  }
  if (version > kStoreSchemaVersion) {
    return make_error("uprank.store.newer_schema", path + ": the store has schema version " + std::to_string(version) +
                                                       ", newer than this uprank understands (" +
                                                       std::to_string(kStoreSchemaVersion) + "); left untouched");
  }
  return {};
}

}  // namespace

Result<Store> Store::open(const std::string& path, Options options) {
  if (path.empty()) return make_error("uprank.store.path", "no store path given");
  if (options.read_only) {
    if (!std::filesystem::exists(path)) {
      return make_error("uprank.store.missing", path + ": no store here (run 'uprank fetch' first)");
    }
  } else {
    std::error_code ec;
    auto folder = std::filesystem::path(path).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    if (ec) return make_error("uprank.store.path", path + ": cannot create folder: " + ec.message());
  }
  // Checked before SQLite sees the path, which would block on a FIFO and write into a
  // device: an existing store must be a regular file holding a SQLite database.
  bool has_content = false;
  if (file_exists(path)) {
    auto head = files::read_regular_file_head(path, kSqliteMagic.size());
    if (!head.ok()) return make_error("uprank.store.path", head.error().to_string());
    if (!head->empty() && *head != kSqliteMagic) {
      return make_error("uprank.store.foreign", path + ": not a SQLite database, so not a uprank store; left untouched");
    }
    has_content = !head->empty();
  }
  // A database that is not ours, or a newer uprank's, is refused before anything about
  // it changes: no journal mode switched, no migration, no -wal or -shm file created.
  if (has_content) {
    int version = 0;
    std::vector<std::string> tables;
    {
      auto inspection = open_existing_read_only(path, true, version, tables);
      if (!inspection) return inspection.error();
      Store closes_it(*inspection, path);
    }
    if (Status identity = check_identity(path, version, tables); !identity) return identity.error();
    if (options.read_only) {
      if (version < kStoreSchemaVersion) {
        return make_error("uprank.store.old_schema", path + ": the store has schema version " + std::to_string(version) +
                                                         "; open it once without --offline to migrate it");
      }
      auto db = open_existing_read_only(path, false, version, tables);
      if (!db) return db.error();
      Store store(*db, path);
      sqlite3_busy_timeout(*db, options.busy_timeout_ms);
      return store;
    }
  }
  sqlite3* db = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    Error error = store_error(path, "cannot open the store", db);
    sqlite3_close_v2(db);
    return error;
  }
  Store store(db, path);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  if (!options.read_only) {
    // SQLite opens a file it may not write read-only; say so rather than fail on the
    // first write ("attempt to write a readonly database").
    if (sqlite3_db_readonly(db, "main") == 1) {
      return make_error("uprank.store.read_only",
                        path + ": cannot be written (a read-only file, folder or medium); 'uprank report --no-history', "
                               "'uprank history' and 'uprank fetch --offline' read it as it is");
    }
    // WAL: readers never block the writer; NORMAL sync is crash-safe in WAL mode.
    if (Status s = store.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !s) return s.error();
    if (Status s = store.migrate(); !s) return s.error();
  }
  auto version = store.schema_version();
  if (!version) return version.error();
  if (*version > kStoreSchemaVersion) {
    return make_error("uprank.store.newer_schema", path + ": the store has schema version " + std::to_string(*version) +
                                                       ", newer than this uprank understands (" +
                                                       std::to_string(kStoreSchemaVersion) + ")");
  }
  if (*version < kStoreSchemaVersion) {
    return make_error("uprank.store.old_schema", path + ": the store has schema version " + std::to_string(*version) +
                                                     "; open it once without --offline to migrate it");
  }
  return store;
}

void Store::rollback() const { (void)execute("ROLLBACK"); }

Status Store::execute(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return make_error("uprank.store.sqlite", path_ + ": " + detail);
  }
  return {};
}

Result<int> Store::schema_version() const {
  Statement statement(db_, "PRAGMA user_version");
  if (!statement.ok() || statement.step() != SQLITE_ROW) return store_error(path_, "cannot read the schema version", db_);
  return static_cast<int>(statement.integer(0));
}

Status Store::migrate() {
  // BEGIN IMMEDIATE takes the write lock first, so two processes never migrate at once.
  for (;;) {
    if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
    auto version = schema_version();
    if (!version) {
      rollback();
      return version.error();
    }
    if (*version >= kStoreSchemaVersion) return execute("COMMIT");
    std::string step = std::string(kMigrations[*version]) + "PRAGMA user_version = " + std::to_string(*version + 1) + ";";
    if (Status s = execute(step.c_str()); !s) {
      rollback();
      return make_error("uprank.store.migration", "migrating to schema " + std::to_string(*version + 1) + " failed: " +
                                                      s.error().message);
    }
    if (Status s = execute("COMMIT"); !s) return s;
  }
}

Result<std::optional<RawResponse>> Store::get(const std::string& source, const std::string& key) const {
  Statement statement(db_, (std::string(kSelectColumns) + " WHERE source = ?1 AND key = ?2").c_str());
  if (!statement.ok()) return store_error(path_, "cannot read responses", db_);
  statement.bind(1, source);
  statement.bind(2, key);
  int rc = statement.step();
  if (rc == SQLITE_ROW) return std::optional<RawResponse>(read_response(statement));
  if (rc == SQLITE_DONE) return std::optional<RawResponse>();
  return store_error(path_, "cannot read responses", db_);
}

Result<std::vector<RawResponse>> Store::responses(const std::string& source) const {
  std::string sql = std::string(kSelectColumns) + (source.empty() ? "" : " WHERE source = ?1") + " ORDER BY source, key";
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return store_error(path_, "cannot read responses", db_);
  if (!source.empty()) statement.bind(1, source);
  std::vector<RawResponse> out;
  int rc;
  while ((rc = statement.step()) == SQLITE_ROW) out.push_back(read_response(statement));
  if (rc != SQLITE_DONE) return store_error(path_, "cannot read responses", db_);
  return out;
}

Status Store::put(const std::vector<RawResponse>& batch, const std::string& now,
                  const std::vector<std::string>& replace_sources) {
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
  auto fail = [&](const char* what) -> Status {
    Error error = store_error(path_, what, db_);
    rollback();
    return error;
  };
  for (const std::string& source : replace_sources) {
    Statement clear(db_, "DELETE FROM responses WHERE source = ?1");
    if (!clear.ok()) return fail("cannot replace responses");
    clear.bind(1, source);
    if (clear.step() != SQLITE_DONE) return fail("cannot replace responses");
  }
  Statement upsert(db_,
                   "INSERT INTO responses (source, key, url, status, fetched_at, checked_at, etag, last_modified, body,"
                   " body_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                   " ON CONFLICT (source, key) DO UPDATE SET url = excluded.url, status = excluded.status,"
                   " fetched_at = excluded.fetched_at, checked_at = excluded.checked_at, etag = excluded.etag,"
                   " last_modified = excluded.last_modified, body = excluded.body, body_sha256 = excluded.body_sha256");
  Statement log(db_, "INSERT INTO fetch_log (source, key, at, outcome, http_status) VALUES (?1, ?2, ?3, 'fetched', ?4)");
  Statement state(db_,
                  "INSERT INTO source_state (source, last_attempt_at, last_success_at, last_error) VALUES (?1, ?2, ?2, '')"
                  " ON CONFLICT (source) DO UPDATE SET last_attempt_at = ?2, last_success_at = ?2, last_error = ''");
  if (!upsert.ok() || !log.ok() || !state.ok()) return fail("cannot store responses");
  for (const RawResponse& response : batch) {
    upsert.bind(1, response.source);
    upsert.bind(2, response.key);
    upsert.bind(3, redact_url(response.url));
    upsert.bind(4, int64_t{response.status});
    upsert.bind(5, response.fetched_at);
    upsert.bind(6, now);
    upsert.bind(7, response.etag);
    upsert.bind(8, response.last_modified);
    upsert.bind_blob(9, response.body);
    upsert.bind(10, sha256_hex(response.body));
    if (upsert.step() != SQLITE_DONE) return fail("cannot store a response");
    upsert.reset();
    log.bind(1, response.source);
    log.bind(2, response.key);
    log.bind(3, now);
    log.bind(4, int64_t{response.status});
    if (log.step() != SQLITE_DONE) return fail("cannot log a fetch");
    log.reset();
  }
  std::vector<std::string> sources;
  for (const RawResponse& response : batch) {
    if (std::find(sources.begin(), sources.end(), response.source) == sources.end()) sources.push_back(response.source);
  }
  for (const std::string& source : sources) {
    state.bind(1, source);
    state.bind(2, now);
    if (state.step() != SQLITE_DONE) return fail("cannot update source state");
    state.reset();
  }
  if (Status s = execute("COMMIT"); !s) {
    rollback();
    return s;
  }
  return {};
}

Status Store::mark_unchanged(const std::string& source, const std::string& key, const std::string& now,
                             const std::optional<std::string>& etag, const std::optional<std::string>& last_modified) {
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
  Statement update(db_,
                   "UPDATE responses SET checked_at = ?3, etag = COALESCE(?4, etag),"
                   " last_modified = COALESCE(?5, last_modified) WHERE source = ?1 AND key = ?2");
  Statement log(db_, "INSERT INTO fetch_log (source, key, at, outcome, http_status) VALUES (?1, ?2, ?3, 'unchanged', 304)");
  Statement state(db_,
                  "INSERT INTO source_state (source, last_attempt_at, last_success_at, last_error) VALUES (?1, ?2, ?2, '')"
                  " ON CONFLICT (source) DO UPDATE SET last_attempt_at = ?2, last_success_at = ?2, last_error = ''");
  if (!update.ok() || !log.ok() || !state.ok()) {
    rollback();
    return store_error(path_, "cannot record an unchanged response", db_);
  }
  update.bind(1, source);
  update.bind(2, key);
  update.bind(3, now);
  update.bind(4, etag);
  update.bind(5, last_modified);
  log.bind(1, source);
  log.bind(2, key);
  log.bind(3, now);
  state.bind(1, source);
  state.bind(2, now);
  if (update.step() != SQLITE_DONE || log.step() != SQLITE_DONE || state.step() != SQLITE_DONE) {
    Error error = store_error(path_, "cannot record an unchanged response", db_);
    rollback();
    return error;
  }
  return execute("COMMIT");
}

Status Store::record_failure(const std::string& source, const std::string& key, const std::string& now,
                             int http_status, const Error& error) {
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
  Statement log(db_,
                "INSERT INTO fetch_log (source, key, at, outcome, http_status, error_code, message)"
                " VALUES (?1, ?2, ?3, 'failed', ?4, ?5, ?6)");
  Statement state(db_,
                  "INSERT INTO source_state (source, last_attempt_at, last_error) VALUES (?1, ?2, ?3)"
                  " ON CONFLICT (source) DO UPDATE SET last_attempt_at = ?2, last_error = ?3");
  if (!log.ok() || !state.ok()) {
    rollback();
    return store_error(path_, "cannot record a failure", db_);
  }
  log.bind(1, source);
  log.bind(2, key);
  log.bind(3, now);
  log.bind(4, int64_t{http_status});
  log.bind(5, error.code);
  const std::string message = redact_urls_in_text(error.message);  // messages quote the URLs they failed on
  log.bind(6, message);
  state.bind(1, source);
  state.bind(2, now);
  state.bind(3, message);
  if (log.step() != SQLITE_DONE || state.step() != SQLITE_DONE) {
    Error failure = store_error(path_, "cannot record a failure", db_);
    rollback();
    return failure;
  }
  return execute("COMMIT");
}

Result<std::map<std::string, SourceState>> Store::source_states() const {
  std::map<std::string, SourceState> states;
  Statement data(db_, "SELECT source, COUNT(*), MIN(fetched_at), MAX(fetched_at) FROM responses GROUP BY source");
  if (!data.ok()) return store_error(path_, "cannot read source state", db_);
  while (data.step() == SQLITE_ROW) {
    SourceState& state = states[data.text(0)];
    state.source = data.text(0);
    state.responses = static_cast<size_t>(data.integer(1));
    state.oldest_fetched_at = data.text(2);
    state.newest_fetched_at = data.text(3);
  }
  Statement attempts(db_, "SELECT source, last_attempt_at, last_success_at, last_error FROM source_state");
  if (!attempts.ok()) return store_error(path_, "cannot read source state", db_);
  while (attempts.step() == SQLITE_ROW) {
    SourceState& state = states[attempts.text(0)];
    state.source = attempts.text(0);
    state.last_attempt_at = attempts.text(1);
    state.last_success_at = attempts.text(2);
    state.last_error = attempts.text(3);
  }
  return states;
}

Result<std::vector<FetchLogEntry>> Store::fetch_log(size_t limit) const {
  Statement statement(db_,
                      "SELECT source, key, at, outcome, http_status, error_code, message FROM fetch_log"
                      " ORDER BY id DESC LIMIT ?1");
  if (!statement.ok()) return store_error(path_, "cannot read the fetch log", db_);
  statement.bind(1, static_cast<int64_t>(limit));
  std::vector<FetchLogEntry> entries;
  while (statement.step() == SQLITE_ROW) {
    entries.push_back({statement.text(0), statement.text(1), statement.text(2), statement.text(3),
                       static_cast<int>(statement.integer(4)), statement.text(5), statement.text(6)});
  }
  return entries;
}

std::string default_store_path() {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  std::filesystem::path base;
  if (cache != nullptr && *cache == '/') {
    base = cache;
  } else {
    const char* home = std::getenv("HOME");
    base = std::filesystem::path(home != nullptr ? home : ".") / ".cache";
  }
  return (base / "uprank" / "store.db").string();
}

Result<facts::FactSet> load_store_facts(const std::string& store_path) {
  auto store = Store::open(store_path, Store::Options{true, 10000});
  if (!store) return store.error();
  auto responses = store->responses();
  if (!responses) return responses.error();
  auto facts = facts_from_responses(*responses, "store");
  if (!facts) return make_error(facts.error().code, store_path + ": " + facts.error().message);
  std::vector<const RawResponse*> pointers;
  for (const RawResponse& response : *responses) pointers.push_back(&response);
  facts->content_hash = content_hash(pointers);
  // Staleness is the caller's to mark, as of its report date (fetch::mark_stale).
  return facts;
}

std::string utc_now_iso() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Status Store::record_report_run(const ReportRun& run) {
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
  auto fail = [&](const char* what) -> Status {
    Error error = store_error(path_, what, db_);
    rollback();
    return error;
  };
  Statement clear(db_, "DELETE FROM report_history WHERE inputs_hash = ?1 AND today = ?2");
  Statement insert(db_,
                   "INSERT INTO report_history (created_at, today, content_hash, summary_json, inputs_hash, trend_json)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!clear.ok() || !insert.ok()) return fail("cannot record the report run");
  clear.bind(1, run.inputs_hash);
  clear.bind(2, run.today);
  if (clear.step() != SQLITE_DONE) return fail("cannot record the report run");
  insert.bind(1, run.created_at);
  insert.bind(2, run.today);
  insert.bind(3, run.content_hash);
  insert.bind(4, run.summary_json);
  insert.bind(5, run.inputs_hash);
  insert.bind(6, run.trend_json);
  if (insert.step() != SQLITE_DONE) return fail("cannot record the report run");
  return execute("COMMIT");
}

Result<std::vector<ReportRun>> Store::report_runs(const std::string& inputs_hash, const std::string& since,
                                                  const std::string& before, bool components) const {
  std::string sql =
      "SELECT created_at, today, inputs_hash, content_hash,"
      " CASE WHEN ?4 OR trend_json = '' THEN summary_json ELSE '' END, trend_json"
      " FROM report_history WHERE today >= ?2 AND (?3 = '' OR today < ?3)";
  if (!inputs_hash.empty()) sql += " AND inputs_hash = ?1";
  sql += " ORDER BY today, inputs_hash, id";
  Statement statement(db_, sql.c_str());
  if (!statement.ok()) return store_error(path_, "cannot read the report history", db_);
  statement.bind(1, inputs_hash);
  statement.bind(2, since);
  statement.bind(3, before);
  statement.bind(4, int64_t{components ? 1 : 0});
  std::vector<ReportRun> out;
  int rc;
  while ((rc = statement.step()) == SQLITE_ROW) {
    out.push_back(ReportRun{statement.text(0), statement.text(1), statement.text(2), statement.text(3), statement.text(4),
                            statement.text(5)});
  }
  if (rc != SQLITE_DONE) return store_error(path_, "cannot read the report history", db_);
  return out;
}

Result<std::optional<ReportRun>> Store::latest_report_run(const std::string& inputs_hash, const std::string& before) const {
  Statement statement(db_,
                      "SELECT created_at, today, inputs_hash, content_hash, summary_json, trend_json FROM report_history"
                      " WHERE inputs_hash = ?1 AND today < ?2 ORDER BY today DESC, id DESC LIMIT 1");
  if (!statement.ok()) return store_error(path_, "cannot read the report history", db_);
  statement.bind(1, inputs_hash);
  statement.bind(2, before);
  int rc = statement.step();
  if (rc == SQLITE_DONE) return std::optional<ReportRun>();
  if (rc != SQLITE_ROW) return store_error(path_, "cannot read the report history", db_);
  return std::optional<ReportRun>(ReportRun{statement.text(0), statement.text(1), statement.text(2), statement.text(3),
                                            statement.text(4), statement.text(5)});
}

}  // namespace uprank::fetch
