#include "fetchers/store.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

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
    // 4 → 5: the packages each stored advisory names, so that a report reads only the
    // advisories its inventory can meet (load_store_facts); the content hash of the
    // responses and the count of OSV records, kept so that a report does not reread every
    // body to name its data; each source's fetch times read from an index, not from beside
    // every body. `meta` holds only what can be recomputed: triggers forget it, and a
    // changed record's packages, on any write to `responses`, a hand edit with sqlite3
    // included (put() then indexes and keeps them again in its own transaction).
    // Store::migrate fills both for the rows already stored (index_stored_advisories).
    R"sql(
CREATE TABLE advisory_packages (
  source  TEXT NOT NULL,
  key     TEXT NOT NULL,
  package TEXT NOT NULL,
  PRIMARY KEY (source, key, package)
) WITHOUT ROWID;
CREATE INDEX advisory_packages_by_package ON advisory_packages (package, source, key);
CREATE INDEX responses_by_fetch_time ON responses (source, fetched_at);
CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER responses_inserted AFTER INSERT ON responses BEGIN
  DELETE FROM advisory_packages WHERE source = NEW.source AND key = NEW.key;
  DELETE FROM meta;
END;
CREATE TRIGGER responses_updated AFTER UPDATE ON responses BEGIN
  DELETE FROM advisory_packages
    WHERE source = OLD.source AND key = OLD.key AND (NEW.body IS NOT OLD.body OR NEW.key IS NOT OLD.key
                                                      OR NEW.source IS NOT OLD.source);
  DELETE FROM meta;
END;
CREATE TRIGGER responses_deleted AFTER DELETE ON responses BEGIN
  DELETE FROM advisory_packages WHERE source = OLD.source AND key = OLD.key;
  DELETE FROM meta;
END;
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
  // Binds without a copy: `bytes` must outlive the next reset() (a write's step and reset).
  void bind_unowned(int index, std::string_view bytes, bool blob = false) {
    if (blob) {
      sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_text(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    }
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
    {"responses", 1}, {"fetch_log", 1}, {"source_state", 2}, {"report_history", 2}, {"advisory_packages", 5}, {"meta", 5}};

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
    // temp_store=MEMORY: an upsert whose triggers delete rows needs a statement journal
    // (to undo that one statement on a constraint failure); in a file it was 6.7 writes per
    // imported record and most of an import's wall time (bench/import/run). A statement
    // journal holds only the pages one statement changes, so memory stays small; crash
    // safety is the WAL's, unchanged.
    if (Status s = store.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"); !s) {
      return s.error();
    }
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
    Status s = execute(step.c_str());
    if (s && *version + 1 == 5) s = index_stored_advisories();
    if (!s) {
      rollback();
      return make_error("uprank.store.migration", "migrating to schema " + std::to_string(*version + 1) + " failed: " +
                                                      s.error().message);
    }
    if (Status committed = execute("COMMIT"); !committed) return committed;
  }
}

namespace {

// Writes each OSV record's advisory_packages rows, with its statements prepared once for
// a whole batch (an import puts 100,000 records in one call).
class AdvisoryIndexWriter {
 public:
  AdvisoryIndexWriter(sqlite3* db, const std::string& path)
      : db_(db),
        path_(path),
        clear_(db, "DELETE FROM advisory_packages WHERE source = ?1 AND key = ?2"),
        insert_(db, "INSERT INTO advisory_packages (source, key, package) VALUES (?1, ?2, ?3)") {}

  // `known`: the advisory_package_keys() of `response`, when its writer parsed it already.
  // `every_source`: clear the rows of a response of any source, as the `responses`
  // triggers would (a writer that suspended them, Store::begin_import).
  Status write(const RawResponse& response, const std::vector<std::string>* known = nullptr, bool every_source = false) {
    if (response.source != "osv" && !every_source) return {};
    if (!clear_.ok() || !insert_.ok()) return store_error(path_, "cannot index an advisory", db_);
    clear_.bind(1, response.source);
    clear_.bind(2, response.key);
    int rc = clear_.step();
    clear_.reset();
    if (rc != SQLITE_DONE) return store_error(path_, "cannot index an advisory", db_);
    if (response.source != "osv") return {};
    std::optional<std::vector<std::string>> parsed;
    if (known == nullptr) parsed = advisory_package_keys(response);
    const std::vector<std::string>* packages = known != nullptr ? known : (parsed ? &*parsed : nullptr);
    // A body that does not parse stays unindexed: every report reads it and says it skipped it.
    if (packages == nullptr) return {};
    for (const std::string& package : *packages) {
      insert_.bind(1, response.source);
      insert_.bind(2, response.key);
      insert_.bind(3, package);
      rc = insert_.step();
      insert_.reset();
      if (rc != SQLITE_DONE) return store_error(path_, "cannot index an advisory", db_);
    }
    return {};
  }

 private:
  sqlite3* db_;
  const std::string& path_;
  Statement clear_;
  Statement insert_;
};

}  // namespace

Status Store::index_stored_advisories() {
  Statement rows(db_, (std::string(kSelectColumns) + " WHERE source = 'osv' ORDER BY source, key").c_str());
  if (!rows.ok()) return store_error(path_, "cannot read responses", db_);
  AdvisoryIndexWriter index(db_, path_);
  int rc;
  while ((rc = rows.step()) == SQLITE_ROW) {
    if (Status indexed = index.write(read_response(rows)); !indexed) return indexed;
  }
  if (rc != SQLITE_DONE) return store_error(path_, "cannot read responses", db_);
  return store_content_hash();
}

Result<std::string> Store::computed_content_hash() const {
  Statement rows(db_, (std::string(kSelectColumns) + " ORDER BY source, key").c_str());
  if (!rows.ok()) return store_error(path_, "cannot read responses", db_);
  ContentHasher hasher;
  int rc;
  while ((rc = rows.step()) == SQLITE_ROW) hasher.add(read_response(rows));
  if (rc != SQLITE_DONE) return store_error(path_, "cannot read responses", db_);
  return hasher.finish();
}

Status Store::keep(const char* name, const std::string& value) {
  Statement save(db_, "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
  if (!save.ok()) return store_error(path_, "cannot save the store's summary", db_);
  save.bind(1, std::string(name));
  save.bind(2, value);
  if (save.step() != SQLITE_DONE) return store_error(path_, "cannot save the store's summary", db_);
  return {};
}

Result<std::optional<std::string>> Store::kept(const char* name) const {
  Statement read(db_, "SELECT value FROM meta WHERE name = ?1");
  if (!read.ok()) return store_error(path_, "cannot read the store's summary", db_);
  read.bind(1, std::string(name));
  int rc = read.step();
  if (rc == SQLITE_ROW) return std::optional<std::string>(read.text(0));
  if (rc != SQLITE_DONE) return store_error(path_, "cannot read the store's summary", db_);
  return std::optional<std::string>();
}

namespace {
constexpr const char* kAdvisoryCounts = "osv_records";  // {"records", "oldest", "newest", "indexed"}
}  // namespace

Result<Store::AdvisoryCounts> Store::computed_advisory_counts() const {
  Statement all(db_, "SELECT COUNT(*), MIN(fetched_at), MAX(fetched_at) FROM responses WHERE source = 'osv'");
  Statement indexed(db_, "SELECT COUNT(DISTINCT key) FROM advisory_packages WHERE source = 'osv'");
  if (!all.ok() || !indexed.ok() || all.step() != SQLITE_ROW || indexed.step() != SQLITE_ROW) {
    return store_error(path_, "cannot count the stored advisories", db_);
  }
  return AdvisoryCounts{static_cast<size_t>(all.integer(0)), all.text(1), all.text(2),
                        static_cast<size_t>(indexed.integer(0))};
}

Result<Store::AdvisoryCounts> Store::advisory_counts() const {
  auto value = kept(kAdvisoryCounts);
  if (!value) return value.error();
  if (*value) {
    nlohmann::json json = nlohmann::json::parse(**value, nullptr, false);
    if (json.is_object() && json.value("records", nlohmann::json()).is_number_unsigned() &&
        json.value("indexed", nlohmann::json()).is_number_unsigned() && json.value("oldest", nlohmann::json()).is_string() &&
        json.value("newest", nlohmann::json()).is_string()) {
      return AdvisoryCounts{json["records"].get<size_t>(), json["oldest"].get<std::string>(),
                            json["newest"].get<std::string>(), json["indexed"].get<size_t>()};
    }
  }
  return computed_advisory_counts();  // not kept, or kept by hand in another shape
}

Status Store::store_content_hash() {
  auto hash = computed_content_hash();
  if (!hash) return hash.error();
  auto counts = computed_advisory_counts();
  if (!counts) return counts.error();
  if (Status saved = keep("content_hash", *hash); !saved) return saved;
  nlohmann::json json = {
      {"records", counts->records}, {"oldest", counts->oldest}, {"newest", counts->newest}, {"indexed", counts->indexed}};
  return keep(kAdvisoryCounts, json.dump());
}

Status Store::refresh_content_hash() {
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s;
  if (Status saved = store_content_hash(); !saved) {
    rollback();
    return saved;
  }
  return execute("COMMIT");
}

Result<std::string> Store::content_hash() const {
  auto value = kept("content_hash");
  if (!value) return value.error();
  if (*value) return **value;
  return computed_content_hash();
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
  auto writer = begin_put(now, replace_sources);
  if (!writer) return writer.error();
  for (const RawResponse& response : batch) {
    if (Status added = writer->add(response); !added) return added;
  }
  return writer->commit();
}

struct Store::Writer::State {
  State(Store& to, const std::string& at)
      : store(to),
        now(at),
        upsert(to.db_,
               "INSERT INTO responses (source, key, url, status, fetched_at, checked_at, etag, last_modified, body,"
               " body_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
               " ON CONFLICT (source, key) DO UPDATE SET url = excluded.url, status = excluded.status,"
               " fetched_at = excluded.fetched_at, checked_at = excluded.checked_at, etag = excluded.etag,"
               " last_modified = excluded.last_modified, body = excluded.body, body_sha256 = excluded.body_sha256"),
        log(to.db_, "INSERT INTO fetch_log (source, key, at, outcome, http_status) VALUES (?1, ?2, ?3, 'fetched', ?4)"),
        source_state(to.db_,
                     "INSERT INTO source_state (source, last_attempt_at, last_success_at, last_error) VALUES (?1, ?2, ?2, '')"
                     " ON CONFLICT (source) DO UPDATE SET last_attempt_at = ?2, last_success_at = ?2, last_error = ''"),
        index(to.db_, to.path_) {}

  // Rolls back and returns the error of `what`; the writer is spent.
  Error fail(const char* what) {
    Error error = store_error(store.path_, what, store.db_);
    store.rollback();
    open = false;
    return error;
  }

  Store& store;
  const std::string now;
  std::optional<std::string> import_path;  // begin_import(): the fetch log gets a line per source at commit
  std::vector<std::string> suspended_triggers;  // begin_import(): the CREATE TRIGGER of each, to run at commit
  Statement upsert;
  Statement log;
  Statement source_state;
  AdvisoryIndexWriter index;
  std::vector<std::pair<std::string, size_t>> sources;  // written, in first-written order, with their counts
  bool open = true;                  // inside its transaction
};

Store::Writer::Writer(std::unique_ptr<State> state) : state_(std::move(state)) {}
Store::Writer::Writer(Writer&&) noexcept = default;

Store::Writer::~Writer() {
  if (state_ != nullptr && state_->open) state_->store.rollback();
}

Result<Store::Writer> Store::begin_put(const std::string& now, const std::vector<std::string>& replace_sources) {
  // SQLite's default 2 MiB page cache spills the open transaction to the WAL over and
  // over as 100,000 records land in the index by package, in no order: 16 MiB holds that
  // index for such an import (bench/import/run), and bounds memory all the same.
  if (Status s = execute("PRAGMA cache_size = -16384"); !s) return s.error();
  if (Status s = execute("BEGIN IMMEDIATE"); !s) return s.error();
  auto state = std::make_unique<Writer::State>(*this, now);
  for (const std::string& source : replace_sources) {
    for (const char* sql : {"DELETE FROM responses WHERE source = ?1", "DELETE FROM advisory_packages WHERE source = ?1"}) {
      Statement clear(db_, sql);
      if (!clear.ok()) return state->fail("cannot replace responses");
      clear.bind(1, source);
      if (clear.step() != SQLITE_DONE) return state->fail("cannot replace responses");
    }
  }
  if (!state->upsert.ok() || !state->log.ok() || !state->source_state.ok()) return state->fail("cannot store responses");
  return Writer(std::move(state));
}

Result<Store::Writer> Store::begin_import(const std::string& now, const std::string& path) {
  auto writer = begin_put(now);
  if (!writer) return writer.error();
  Writer::State& state = *writer->state_;
  state.import_path = path;
  // A bulk load: the triggers on `responses` (migration 4 → 5) run two deletes for every
  // row written, a tenth of an import's CPU. They are dropped inside the writer's
  // transaction, their work is done by the writer (`meta` emptied once here, each written
  // key's advisory_packages rows cleared by AdvisoryIndexWriter, whatever its source), and
  // commit() creates them again from the text SQLite kept, before anything is committed:
  // other connections never see the store without them, and a failed or killed import
  // rolls the drop back with the rest.
  Statement triggers(db_,
                     "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'responses'"
                     " AND name IN ('responses_inserted', 'responses_updated', 'responses_deleted') ORDER BY name");
  if (!triggers.ok()) return state.fail("cannot read the store's triggers");
  std::vector<std::pair<std::string, std::string>> found;
  int rc;
  while ((rc = triggers.step()) == SQLITE_ROW) found.emplace_back(triggers.text(0), triggers.text(1));
  if (rc != SQLITE_DONE) return state.fail("cannot read the store's triggers");
  for (const auto& [name, sql] : found) {
    if (Status dropped = execute(("DROP TRIGGER \"" + name + "\"").c_str()); !dropped) return state.fail("cannot suspend a trigger");
    state.suspended_triggers.push_back(sql);
  }
  if (Status emptied = execute("DELETE FROM meta"); !emptied) return state.fail("cannot forget the store's summary");
  return writer;
}

Status Store::Writer::add(const RawResponse& response, const std::vector<std::string>* advisory_packages) {
  State& s = *state_;
  if (!s.open) return make_error("uprank.store.sqlite", s.store.path_ + ": a failed write was rolled back");
  Statement& upsert = s.upsert;
  // The response outlives the step: its bytes are bound without copies.
  const std::string url = redact_url(response.url);
  const std::string body_sha256 = sha256_hex(response.body);
  upsert.bind_unowned(1, response.source);
  upsert.bind_unowned(2, response.key);
  upsert.bind_unowned(3, url);
  upsert.bind(4, int64_t{response.status});
  upsert.bind_unowned(5, response.fetched_at);
  upsert.bind_unowned(6, s.now);
  upsert.bind(7, response.etag);
  upsert.bind(8, response.last_modified);
  upsert.bind_unowned(9, response.body, true);
  upsert.bind_unowned(10, body_sha256);
  int rc = upsert.step();
  upsert.reset();
  if (rc != SQLITE_DONE) return s.fail("cannot store a response");
  if (Status indexed = s.index.write(response, advisory_packages, !s.suspended_triggers.empty()); !indexed) {
    return s.fail("cannot index an advisory");
  }
  if (!s.import_path) {
    s.log.bind(1, response.source);
    s.log.bind(2, response.key);
    s.log.bind(3, s.now);
    s.log.bind(4, int64_t{response.status});
    rc = s.log.step();
    s.log.reset();
    if (rc != SQLITE_DONE) return s.fail("cannot log a fetch");
  }
  auto written = std::find_if(s.sources.begin(), s.sources.end(), [&](const auto& seen) { return seen.first == response.source; });
  if (written == s.sources.end()) {
    s.sources.emplace_back(response.source, 1);
  } else {
    ++written->second;
  }
  return {};
}

Status Store::Writer::commit() {
  State& s = *state_;
  if (!s.open) return make_error("uprank.store.sqlite", s.store.path_ + ": a failed write was rolled back");
  Statement import_log(s.store.db_,
                       "INSERT INTO fetch_log (source, key, at, outcome, http_status, message)"
                       " VALUES (?1, 'import', ?2, 'fetched', 0, ?3)");
  if (s.import_path && !import_log.ok()) return s.fail("cannot log an import");
  for (const auto& [source, count] : s.sources) {
    s.source_state.bind(1, source);
    s.source_state.bind(2, s.now);
    int rc = s.source_state.step();
    s.source_state.reset();
    if (rc != SQLITE_DONE) return s.fail("cannot update source state");
    if (s.import_path) {
      import_log.bind(1, source);
      import_log.bind(2, s.now);
      import_log.bind(3, "imported " + std::to_string(count) + " response(s) from " + redact_urls_in_text(*s.import_path));
      rc = import_log.step();
      import_log.reset();
      if (rc != SQLITE_DONE) return s.fail("cannot log an import");
    }
  }
  for (const std::string& trigger : s.suspended_triggers) {
    if (Status restored = s.store.execute(trigger.c_str()); !restored) return s.fail("cannot restore a trigger");
  }
  s.suspended_triggers.clear();
  if (Status hashed = s.store.store_content_hash(); !hashed) return s.fail("cannot hash the stored responses");
  if (Status committed = s.store.execute("COMMIT"); !committed) {
    s.store.rollback();
    s.open = false;
    return committed;
  }
  s.open = false;
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
  // New validators change the content hash: the update's trigger forgets the kept one, and
  // fetch_source refreshes it once at the end.
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

Result<facts::FactSet> load_store_facts(const std::string& store_path, const std::vector<std::string>* advisory_packages) {
  auto store = Store::open(store_path, Store::Options{true, 10000});
  if (!store) return store.error();
  auto facts = store->read_facts(advisory_packages);
  if (!facts) return make_error(facts.error().code, store_path + ": " + facts.error().message);
  // Staleness is the caller's to mark, as of its report date (fetch::mark_stale).
  return facts;
}

Result<facts::FactSet> Store::read_facts(const std::vector<std::string>* advisory_packages) const {
  // One read transaction: the responses, their counts and the content hash are of one
  // state of the store even while a fetch writes.
  if (Status s = execute("BEGIN"); !s) return s.error();
  auto facts = read_facts_in_transaction(advisory_packages);
  (void)execute("COMMIT");
  return facts;
}

Result<facts::FactSet> Store::read_facts_in_transaction(const std::vector<std::string>* advisory_packages) const {
  auto hash = content_hash();
  if (!hash) return hash.error();
  if (advisory_packages == nullptr) {
    auto all = responses();
    if (!all) return all.error();
    auto facts = facts_from_responses(*all, "store");
    if (!facts) return facts.error();
    facts->content_hash = *hash;
    return facts;
  }
  auto failed = [&] { return store_error(path_, "cannot read responses", db_); };
  // Every source but OSV is read whole; an OSV record only when a needed package, or no
  // package (a vendor product, kAnyPackage), names it, or when it was never indexed (a
  // body that does not parse: read, so that the report says it was skipped).
  std::vector<RawResponse> read;
  std::vector<bool> counted;  // whether its provenance is counted as it is read
  // Two ranges of the primary key: "<>" would scan every stored body.
  Statement others(db_, (std::string(kSelectColumns) + " WHERE source < 'osv' OR source > 'osv' ORDER BY source, key").c_str());
  if (!others.ok()) return failed();
  int rc;
  while ((rc = others.step()) == SQLITE_ROW) read.push_back(read_response(others));
  if (rc != SQLITE_DONE) return failed();
  counted.assign(read.size(), true);
  std::set<std::string> needed_keys;
  Statement by_package(db_, "SELECT key FROM advisory_packages WHERE package = ?1 AND source = 'osv'");
  if (!by_package.ok()) return failed();
  auto add_keys_of = [&](const std::string& package) {
    by_package.bind(1, package);
    int step;
    while ((step = by_package.step()) == SQLITE_ROW) needed_keys.insert(by_package.text(0));
    by_package.reset();
    return step == SQLITE_DONE;
  };
  if (!add_keys_of(kAnyPackage)) return failed();
  for (const std::string& package : *advisory_packages) {
    if (!add_keys_of(package)) return failed();
  }
  // Every record put() or the migration indexed has rows in advisory_packages; when the
  // counts agree (the usual case, kept by put()) there is nothing else to read. Otherwise
  // the records without any are found one by one.
  auto counts = advisory_counts();
  if (!counts) return counts.error();
  bool all_indexed = counts->records == counts->indexed;
  std::set<std::string> unindexed;
  if (!all_indexed) {
    Statement never_indexed(db_,
                            "SELECT key FROM responses r WHERE source = 'osv' AND NOT EXISTS"
                            " (SELECT 1 FROM advisory_packages p WHERE p.source = r.source AND p.key = r.key)");
    if (!never_indexed.ok()) return failed();
    while ((rc = never_indexed.step()) == SQLITE_ROW) unindexed.insert(never_indexed.text(0));
    if (rc != SQLITE_DONE) return failed();
  }
  Statement one(db_, (std::string(kSelectColumns) + " WHERE source = 'osv' AND key = ?1").c_str());
  if (!one.ok()) return failed();
  std::set<std::string> osv_keys = needed_keys;
  osv_keys.insert(unindexed.begin(), unindexed.end());
  for (const std::string& key : osv_keys) {
    one.bind(1, key);
    if (one.step() == SQLITE_ROW) {
      read.push_back(read_response(one));
      counted.push_back(unindexed.count(key) != 0);
    }
    one.reset();
  }
  facts::FactSet facts;
  for (size_t i = 0; i < read.size(); ++i) add_response_to_facts(read[i], "store", counted[i], facts);
  // The indexed records count whether read or not: they are the data the report used to
  // know what its components do not meet.
  AdvisoryCounts indexed = *counts;
  if (!all_indexed) {
    Statement exactly(db_,
                      "SELECT COUNT(*), MIN(fetched_at), MAX(fetched_at) FROM responses r WHERE source = 'osv'"
                      " AND EXISTS (SELECT 1 FROM advisory_packages p WHERE p.source = r.source AND p.key = r.key)");
    if (!exactly.ok() || exactly.step() != SQLITE_ROW) return failed();
    indexed = {static_cast<size_t>(exactly.integer(0)), exactly.text(1), exactly.text(2), 0};
  }
  size_t indexed_count = indexed.records;
  if (indexed_count > 0) add_provenance(facts, "osv", indexed.oldest, indexed.newest, indexed_count, "store");
  facts.advisories_left_unread = indexed_count - std::min(indexed_count, needed_keys.size());
  facts.content_hash = *hash;
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
