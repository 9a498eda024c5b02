// The SQLite store: migrations, WAL, failures never replacing data, kill -9 consistency.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "fetchers/content_hash.h"
#include "fetchers/fetcher.h"
#include "fetchers/http_client.h"
#include "fetchers/snapshot.h"
#include "fetchers/store.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("uprank-store-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    path_ = (folder_ / "nested" / "store.db").string();
  }
  void TearDown() override { fs::remove_all(folder_); }

  static RawResponse product(const std::string& name, const std::string& fetched_at, const std::string& latest = "1.0") {
    RawResponse r;
    r.source = "endoflife";
    r.key = name;
    r.url = "http://127.0.0.1/api/v1/products/" + name + "/";
    r.fetched_at = fetched_at;
    r.etag = "\"e-" + latest + "\"";
    r.body = R"({"schema_version":"1.2.1","result":{"name":")" + name +
             R"(","label":"X","releases":[{"name":"1","isEol":false,"eolFrom":"2030-01-01","latest":{"name":")" + latest +
             R"(","date":null}}]}})";
    return r;
  }

  fs::path folder_;
  std::string path_;
};

TEST_F(StoreTest, CreatesMigratesAndUsesWal) {
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*store->schema_version(), kStoreSchemaVersion);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

// Issue #15 kind 13: one bad stored row (here a body for another product under the key)
// made every report exit 3. It is left out and named; every other fact is still used.
TEST_F(StoreTest, OneBadRowIsLeftOutNotFatal) {
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    RawResponse foreign = product("nginx", "2026-08-22T00:00:00Z");
    foreign.key = "postgresql";
    RawResponse broken = product("redis", "2026-08-22T00:00:00Z");
    broken.body = "{\"schema_version\":";
    ASSERT_TRUE(store->put({foreign, broken, product("mysql", "2026-08-22T00:00:00Z")}, "2026-08-22T00:00:00Z").ok());
  }
  auto facts = load_store_facts(path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->skipped.size(), 2u);
  EXPECT_EQ(facts->skipped[0].rfind("endoflife/postgresql: ", 0), 0u) << facts->skipped[0];
  EXPECT_NE(facts->skipped[0].find("uprank.fetch.wrong_key"), std::string::npos) << facts->skipped[0];
  EXPECT_EQ(facts->skipped[1].rfind("endoflife/redis: ", 0), 0u) << facts->skipped[1];
  EXPECT_EQ(facts->products.count("mysql"), 1u);
  EXPECT_EQ(facts->products.count("nginx"), 0u);
  EXPECT_EQ(facts->products.count("postgresql"), 0u);
}

TEST_F(StoreTest, MigratesAVersionOneStore) {
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok());
  }
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_exec(db, "DROP TABLE source_state; DROP TABLE report_history; DROP TRIGGER responses_inserted; DROP TRIGGER responses_updated; DROP TRIGGER responses_deleted; DROP TABLE advisory_packages; DROP TABLE meta; DROP INDEX responses_by_fetch_time;"
               " PRAGMA user_version = 1;", nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
  auto read_only = Store::open(path_, Store::Options{true, 1000});
  ASSERT_FALSE(read_only.ok());
  EXPECT_EQ(read_only.error().code, "uprank.store.old_schema");
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*store->schema_version(), kStoreSchemaVersion);
  EXPECT_TRUE(store->source_states().ok());
}

TEST_F(StoreTest, MigratesAVersionTwoStoreAndKeepsOneReportRunPerDay) {
  { ASSERT_TRUE(Store::open(path_).ok()); }
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP INDEX report_history_by_inputs; ALTER TABLE report_history DROP COLUMN inputs_hash;"
                         " ALTER TABLE report_history DROP COLUMN trend_json;"
                         " DROP TRIGGER responses_inserted; DROP TRIGGER responses_updated; DROP TRIGGER responses_deleted; DROP TABLE advisory_packages; DROP TABLE meta; DROP INDEX responses_by_fetch_time;"
                         " INSERT INTO report_history (created_at, today, content_hash, summary_json)"
                         " VALUES ('2026-01-01T00:00:00Z', '2026-01-01', 'sha256:old', '{}');"
                         " PRAGMA user_version = 2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(*store->schema_version(), kStoreSchemaVersion);
  auto old = store->report_runs("", "");
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u) << "a run recorded before the migration is kept";
  EXPECT_EQ(old->front().inputs_hash, "");

  ASSERT_TRUE(store->record_report_run({"2026-01-02T01:00:00Z", "2026-01-02", "sha256:in", "sha256:a", "{\"n\":1}", ""}));
  ASSERT_TRUE(store->record_report_run({"2026-01-02T02:00:00Z", "2026-01-02", "sha256:in", "sha256:b", "{\"n\":2}", ""}));
  ASSERT_TRUE(store->record_report_run({"2026-01-03T01:00:00Z", "2026-01-03", "sha256:in", "sha256:c", "{\"n\":3}", ""}));
  auto runs = store->report_runs("sha256:in", "");
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u) << "the second run of 2026-01-02 replaced the first";
  EXPECT_EQ((*runs)[0].summary_json, "{\"n\":2}");
  auto before = store->report_runs("sha256:in", "", "2026-01-03");
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ(before->front().today, "2026-01-02");

  // A trend reads each run's own counts; only runs recorded without them (before schema 4)
  // bring their components.
  ASSERT_TRUE(store->record_report_run({"2026-01-04T01:00:00Z", "2026-01-04", "sha256:in", "sha256:d", "{\"n\":4}", "{\"t\":4}"}));
  auto trend = store->report_runs("sha256:in", "", "", false);
  ASSERT_TRUE(trend.ok());
  ASSERT_EQ(trend->size(), 3u);
  EXPECT_EQ((*trend)[1].summary_json, "{\"n\":3}");
  EXPECT_EQ((*trend)[2].summary_json, "");
  EXPECT_EQ((*trend)[2].trend_json, "{\"t\":4}");
  auto latest = store->latest_report_run("sha256:in", "2026-01-04");
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->today, "2026-01-03");
  EXPECT_EQ((*latest)->summary_json, "{\"n\":3}");
  auto none = store->latest_report_run("sha256:in", "2026-01-02");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(StoreTest, RefusesANewerSchema) {
  { ASSERT_TRUE(Store::open(path_).ok()); }
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99;", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto store = Store::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "uprank.store.newer_schema");
  EXPECT_NE(store.error().message.find(path_), std::string::npos);
}

// What a folder holds: each file's name, size and the hash of its bytes. "Changed
// nothing" means this is equal before and after.
std::string folder_contents(const fs::path& folder) {
  std::string out;
  std::vector<fs::path> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path());
  std::sort(names.begin(), names.end());
  for (const fs::path& name : names) {
    std::ifstream in(name, std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    out += name.filename().string() + " " + std::to_string(bytes.size()) + " bytes, hash " +
           std::to_string(std::hash<std::string>{}(bytes)) + "\n";
  }
  return out;
}

void run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

// Issue #15 kind 11: a store written by a newer uprank (here one that keeps a rollback
// journal) was switched to WAL before being refused. It is refused with the file, its
// journal mode and its folder as they were, whether opened to write or to read.
TEST_F(StoreTest, RefusesANewerSchemaBeforeChangingAnything) {
  fs::create_directories(folder_);
  std::string newer = (folder_ / "newer.db").string();
  run_sql(newer,
          "PRAGMA journal_mode=DELETE; CREATE TABLE responses (x); CREATE TABLE fetch_log (x);"
          " CREATE TABLE source_state (x); CREATE TABLE report_history (x); CREATE TABLE advisory_packages (x);"
          " CREATE TABLE meta (x); PRAGMA user_version = 99;");
  const std::string before = folder_contents(folder_);
  for (bool read_only : {false, true}) {
    auto store = Store::open(newer, Store::Options{read_only, 1000});
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, "uprank.store.newer_schema") << store.error().message;
    EXPECT_EQ(folder_contents(folder_), before) << "changed by an open with read_only " << read_only;
  }
}

// Issue #15 kind 11: another application's SQLite file was "migrated" in place (uprank's
// tables created in it). Whatever its schema version, a database without uprank's tables
// is refused and left as it was.
TEST_F(StoreTest, RefusesAnotherApplicationsDatabaseUntouched) {
  const char* const kForeign[] = {
      "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada');",
      "CREATE TABLE contacts (name TEXT); PRAGMA user_version = 3;",
      "PRAGMA journal_mode=WAL; CREATE TABLE responses (x); CREATE TABLE fetch_log (x); PRAGMA user_version = 2;",
      "CREATE TABLE settings (k, v); PRAGMA user_version = 42;",
  };
  for (const char* sql : kForeign) {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    std::string other = (folder_ / "app.sqlite").string();
    run_sql(other, sql);
    const std::string before = folder_contents(folder_);
    for (bool read_only : {false, true}) {
      auto store = Store::open(other, Store::Options{read_only, 1000});
      ASSERT_FALSE(store.ok()) << sql;
      EXPECT_EQ(store.error().code, "uprank.store.foreign") << sql << ": " << store.error().message;
      EXPECT_NE(store.error().message.find("left untouched"), std::string::npos);
      EXPECT_EQ(folder_contents(folder_), before) << sql << " changed by an open with read_only " << read_only;
    }
  }
}

// Issue #15 kind 11: a store on read-only media could not be read at all (SQLite cannot
// create the -wal and -shm files a WAL database's readers use). It is read as immutable
// (sqlite.org/wal.html, "Read-Only Databases"); writing is refused by name. The test
// drops root, if it has it, for a child process so that permissions apply.
TEST_F(StoreTest, ReadsAStoreOnReadOnlyMedia) {
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->put({product("nginx", "2026-08-22T00:00:00Z")}, "2026-08-22T00:00:00Z").ok());
  }
  const fs::path media = fs::path(path_).parent_path();
  ASSERT_FALSE(fs::exists(path_ + "-wal"));  // closed cleanly: checkpointed and removed
  fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(media, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                             fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const std::string before = folder_contents(media);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
    int failures = 0;
    auto reader = Store::open(path_, Store::Options{true, 1000});
    if (!reader.ok()) {
      std::fprintf(stderr, "read-only open: %s\n", reader.error().message.c_str());
      failures |= 1;
    } else if (auto rows = reader->responses(); !rows.ok() || rows->size() != 1) {
      failures |= 2;
    }
    if (auto facts = load_store_facts(path_); !facts.ok()) failures |= 4;
    auto writer = Store::open(path_);
    if (writer.ok() || writer.error().code != "uprank.store.read_only") failures |= 8;
    ::_exit(failures);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  fs::permissions(media, fs::perms::owner_all, fs::perm_options::add);
  fs::permissions(path_, fs::perms::owner_write, fs::perm_options::add);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: read-only open failed, 2: rows, 4: facts, 8: writer not refused by name";
  EXPECT_EQ(folder_contents(media), before);
}

// Issue #15 kind 6: every place a URL is kept or shown goes through redact_url: the
// responses stored, the fetch log and source state, snapshot export and import, and the
// messages a fetch returns for printing. Here a signed URL (as an object store's redirect
// or a pagination link gives) fails, then is stored, exported and read back.
TEST_F(StoreTest, NoPlaceThatKeepsOrShowsAUrlKeepsItsSecret) {
  const std::string secret = "s3cr3t-signature";
  const std::string signed_url = "http://127.0.0.1/kev.json?X-Amz-Signature=" + secret + "&X-Amz-Credential=" + secret;
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok());
  FakeHttpClient client;
  HttpResponse unavailable;
  unavailable.status = 503;
  client.respond(signed_url, unavailable);
  SourceSettings kev;
  kev.name = "kev";
  kev.url = signed_url;
  SourceReport report = fetch_source(*store, client, kev, "2026-08-22T00:00:00Z");
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].message.find(secret), std::string::npos) << report.errors[0].message;
  EXPECT_NE(report.errors[0].message.find("X-Amz-Signature=REDACTED"), std::string::npos) << report.errors[0].message;
  auto log = store->fetch_log();
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  for (const FetchLogEntry& entry : *log) EXPECT_EQ(entry.message.find(secret), std::string::npos) << entry.message;
  auto states = store->source_states();
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->at("kev").last_error.find(secret), std::string::npos) << states->at("kev").last_error;

  RawResponse stored = product("nginx", "2026-08-22T00:00:00Z");
  stored.url = signed_url;
  ASSERT_TRUE(store->put({stored}, "2026-08-22T00:00:00Z").ok());
  auto row = store->get("endoflife", "nginx");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->url, "http://127.0.0.1/kev.json?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED");
  std::string exported = serialize_snapshot({stored}, "2026-08-22T00:00:00Z");
  EXPECT_EQ(exported.find(secret), std::string::npos);
  // A snapshot written with the secret in it (by hand, or by an older uprank) is read
  // without it: its hash is checked over what it holds, then the URL is redacted.
  RawResponse plain = product("nginx", "2026-08-22T00:00:00Z");
  std::string planted = serialize_snapshot({plain}, "2026-08-22T00:00:00Z");
  const std::string plain_hash = content_hash({&plain});
  planted.replace(planted.find(plain.url), plain.url.size(), signed_url);
  planted.replace(planted.find(plain_hash), plain_hash.size(), content_hash({&stored}));
  auto imported = parse_snapshot(planted, "planted.json");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->responses.at(0).url.find(secret), std::string::npos);
}

// Issue #15 kind 13: a base URL with a query string gave "?tenant=7?cve=", and an id from
// the store (a snapshot's key) went into a URL path unchecked ("GET /admin?delete=all").
// Request URLs are joined in one place, and ids are checked before they become paths.
TEST_F(StoreTest, RequestUrlsAreJoinedAndIdsCheckedBeforeTheyBecomePaths) {
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok());
  FakeHttpClient client;
  SourceSettings epss;
  epss.name = "epss";
  epss.url = "http://127.0.0.1/data/v1/epss?tenant=7";
  epss.cves = {"CVE-2024-3094"};
  (void)fetch_source(*store, client, epss, "2026-08-22T00:00:00Z");
  ASSERT_EQ(client.requests().size(), 1u);
  EXPECT_EQ(client.requests()[0].url, "http://127.0.0.1/data/v1/epss?tenant=7&cve=CVE-2024-3094&limit=100");

  std::vector<RawResponse> planted;
  for (const char* key : {"../../admin?delete=all", "..", "GHSA-good-id-0001"}) {
    RawResponse response = product("x", "2026-08-22T00:00:00Z");
    response.source = "osv";
    response.key = key;
    planted.push_back(response);
  }
  ASSERT_TRUE(store->put(planted, "2026-08-22T00:00:00Z").ok());
  FakeHttpClient osv_client;
  SourceSettings osv;
  osv.name = "osv";
  osv.url = "http://127.0.0.1/osv/?k=v";
  SourceReport report = fetch_source(*store, osv_client, osv, "2026-08-22T00:00:00Z");
  ASSERT_EQ(osv_client.requests().size(), 1u);
  EXPECT_EQ(osv_client.requests()[0].url, "http://127.0.0.1/osv/v1/vulns/GHSA-good-id-0001?k=v");
  ASSERT_EQ(report.errors.size(), 3u);  // two refused ids, and the good id's 404 from the fake
  EXPECT_EQ(report.errors[0].code, "uprank.fetch.bad_name");
  EXPECT_EQ(report.errors[1].code, "uprank.fetch.bad_name");
}

TEST_F(StoreTest, NotAStore) {
  fs::create_directories(folder_);
  std::string junk = (folder_ / "junk.db").string();
  FILE* file = std::fopen(junk.c_str(), "w");
  std::fputs("this is not a database, just text that is long enough to look like a header", file);
  std::fclose(file);
  auto store = Store::open(junk);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find(junk), std::string::npos);
  auto facts = load_store_facts((folder_ / "missing.db").string());
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.error().code, "uprank.store.missing");
}

TEST_F(StoreTest, FailureKeepsDataAndIsLogged) {
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->put({product("go", "2026-08-01T00:00:00Z")}, "2026-08-01T00:00:00Z").ok());
  ASSERT_TRUE(store->record_failure("endoflife", "go", "2026-08-02T00:00:00Z", 500,
                                    make_error("uprank.http.status", "HTTP 500")).ok());
  ASSERT_TRUE(store->mark_unchanged("endoflife", "go", "2026-08-03T00:00:00Z", std::string("\"e-2\""), std::nullopt).ok());
  auto stored = store->get("endoflife", "go");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->fetched_at, "2026-08-01T00:00:00Z");
  EXPECT_EQ((*stored)->etag, "\"e-2\"");
  auto states = store->source_states();
  ASSERT_TRUE(states.ok());
  EXPECT_EQ(states->at("endoflife").last_success_at, "2026-08-03T00:00:00Z");
  EXPECT_EQ(states->at("endoflife").responses, 1u);
  auto log = store->fetch_log();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].outcome, "unchanged");
  EXPECT_EQ((*log)[1].outcome, "failed");
  EXPECT_EQ((*log)[1].http_status, 500);
}

TEST_F(StoreTest, StaleDataIsMarked) {
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store->put({product("go", "2020-01-01T00:00:00Z")}, "2020-01-01T00:00:00Z").ok());
  }
  auto facts = load_store_facts(path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->provenance.size(), 1u);
  EXPECT_EQ(facts->provenance[0].oldest_fetched_at, "2020-01-01T00:00:00Z");
  // Marked as of the caller's report date, not the wall clock: deterministic for --today.
  EXPECT_FALSE(facts->provenance[0].stale);
  mark_stale(*facts, *parse_utc_timestamp("2020-03-01T00:00:00Z"));
  EXPECT_TRUE(facts->provenance[0].stale);
  mark_stale(*facts, *parse_utc_timestamp("2020-01-02T00:00:00Z"));
  EXPECT_FALSE(facts->provenance[0].stale);
}

// A writer killed with SIGKILL mid-way leaves the last committed batch, readable.
TEST_F(StoreTest, KillDashNineLeavesAConsistentStore) {
  { ASSERT_TRUE(Store::open(path_).ok()); }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = Store::open(path_);
    if (!store) _exit(1);
    for (int round = 0;; ++round) {  // each batch of 50 products is one transaction
      std::vector<RawResponse> batch;
      for (int i = 0; i < 50; ++i) batch.push_back(product("p" + std::to_string(i), "2026-08-22T00:00:00Z",
                                                           std::to_string(round)));
      if (!store->put(batch, "2026-08-22T00:00:00Z")) _exit(2);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer must have been killed mid-way, status " << status;
  auto facts = load_store_facts(path_);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->products.size(), 50u);
  // Every product carries the same round: no half-written batch is visible.
  std::string round = facts->products.begin()->second.cycles[0].latest;
  for (const auto& [name, product] : facts->products) EXPECT_EQ(product.cycles[0].latest, round) << name;
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "ok");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

// The same for imports, which suspend the triggers on `responses` inside their
// transaction (Store::begin_import): a kill mid-import leaves the last committed import,
// the three triggers in place and the kept content hash that of the rows.
TEST_F(StoreTest, KillDashNineMidImportLeavesTheTriggersAndAConsistentStore) {
  { ASSERT_TRUE(Store::open(path_).ok()); }
  int committed[2];
  ASSERT_EQ(pipe(committed), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(committed[0]);
    auto store = Store::open(path_);
    if (!store) _exit(1);
    for (int round = 0;; ++round) {  // each import of 300 records is one transaction
      auto writer = store->begin_import("2026-08-22T00:00:00Z", "/dump.zip");
      if (!writer) _exit(2);
      for (int i = 0; i < 300; ++i) {
        RawResponse r;
        r.source = "osv";
        r.key = "X-" + std::to_string(i);
        r.url = "file:///dump.zip!" + r.key + ".json";
        r.fetched_at = "2026-08-22T00:00:00Z";
        r.body = R"({"id":")" + r.key + R"(","modified":"2026-01-01T00:00:00Z","summary":")" + std::to_string(round) +
                 R"(","affected":[{"package":{"ecosystem":"npm","name":"p)" + std::to_string(i) + R"("}}]})";
        if (!writer->add(r)) _exit(3);
      }
      if (!writer->commit()) _exit(4);
      if (round == 0 && write(committed[1], "c", 1) != 1) _exit(5);
    }
  }
  close(committed[1]);
  char first = 0;
  ASSERT_EQ(read(committed[0], &first, 1), 1) << "the importer never committed";  // then mid-import, a while later
  close(committed[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the importer must have been killed mid-way, status " << status;
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto responses = store->responses("osv");
  ASSERT_TRUE(responses.ok());
  ASSERT_EQ(responses->size(), 300u) << "no committed import";
  std::vector<const RawResponse*> pointers;
  for (const RawResponse& r : *responses) pointers.push_back(&r);
  EXPECT_EQ(*store->content_hash(), content_hash(pointers));
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'responses'", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 3);
  sqlite3_finalize(statement);
  sqlite3_prepare_v2(db, "SELECT COUNT(DISTINCT key) FROM advisory_packages", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 300);
  sqlite3_finalize(statement);
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "ok");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_F(StoreTest, ConcurrentWriterWaitsInsteadOfFailing) {
  auto first = Store::open(path_);
  auto second = Store::open(path_);
  ASSERT_TRUE(first.ok() && second.ok());
  std::thread other([&] {
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(second->put({product("a", "2026-08-22T00:00:00Z")}, "x").ok());
  });
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(first->put({product("b", "2026-08-22T00:00:00Z")}, "x").ok());
  other.join();
}

}  // namespace
}  // namespace uprank::fetch
