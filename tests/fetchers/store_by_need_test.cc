// Facts by need (issue #16): the store indexes each OSV record by the packages it names,
// and a report reads only the records its inventory can meet, while the counts and the
// content hash it shows stay those of the whole store.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "engine/inventory/identity.h"
#include "fetchers/content_hash.h"
#include "fetchers/store.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;

RawResponse osv(const std::string& id, const std::string& affected, const std::string& fetched_at = "2026-08-22T00:00:00Z") {
  RawResponse r;
  r.source = "osv";
  r.key = id;
  r.url = "https://api.osv.dev/v1/vulns/" + id;
  r.fetched_at = fetched_at;
  r.body = R"({"id":")" + id + R"(","modified":"2026-01-01T00:00:00Z","affected":[)" + affected + "]}";
  return r;
}

std::string package(const std::string& ecosystem, const std::string& name) {
  return R"({"package":{"ecosystem":")" + ecosystem + R"(","name":")" + name +
         R"("},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]})";
}

RawResponse kev() {
  RawResponse r;
  r.source = "kev";
  r.key = "catalog";
  r.url = "https://www.cisa.gov/kev.json";
  r.fetched_at = "2026-08-20T00:00:00Z";
  r.body = R"({"vulnerabilities":[{"cveID":"CVE-2026-1","vendorProject":"x","product":"y","dateAdded":"2026-01-01"}]})";
  return r;
}

// Every row `sql` returns from the store at `path`, one line each, columns split by "|".
std::string rows(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
      const unsigned char* text = sqlite3_column_text(statement, i);
      out += (text ? reinterpret_cast<const char*>(text) : "NULL") + std::string(i + 1 < sqlite3_column_count(statement) ? "|" : "\n");
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return out;
}

void execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "") << sql;
  sqlite3_free(message);
  sqlite3_close(db);
}

class StoreByNeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("uprank-by-need-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    path_ = (folder_ / "store.db").string();
    responses_ = {osv("GHSA-django", package("PyPI", "Django_X")),
                  osv("GHSA-lodash", package("npm", "lodash"), "2026-08-01T00:00:00Z"),
                  osv("DEBIAN-1", package("Debian:12", "OpenSSL") + "," + package("npm", "left-pad")),
                  osv("CSAF-VENDOR", package("CPE", "acme:router")),
                  osv("EMPTY-1", ""),
                  kev()};
  }
  void TearDown() override { fs::remove_all(folder_); }

  void fill() {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE(store->put(responses_, "2026-08-22T00:00:00Z").ok());
  }

  std::string whole_hash() const {
    std::vector<const RawResponse*> pointers;
    for (const RawResponse& r : responses_) pointers.push_back(&r);
    return content_hash(pointers);
  }

  fs::path folder_;
  std::string path_;
  std::vector<RawResponse> responses_;
};

TEST_F(StoreByNeedTest, KeysAreTheIndexKeysOfEachAffectedPackage) {
  auto keys = advisory_package_keys(responses_[2]);
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(*keys, (std::vector<std::string>{"Debian\x1fopenssl", "npm\x1fleft-pad"}));
  EXPECT_EQ(*advisory_package_keys(responses_[0]), std::vector<std::string>{"PyPI\x1f" "django-x"});
  EXPECT_EQ(*advisory_package_keys(responses_[3]), std::vector<std::string>{kAnyPackage});
  EXPECT_EQ(*advisory_package_keys(responses_[4]), std::vector<std::string>{kNoPackage});
  EXPECT_FALSE(advisory_package_keys(responses_[5]).has_value());  // not an advisory source
  RawResponse broken = osv("GHSA-broken", "");
  broken.body = "{\"id\":";
  EXPECT_FALSE(advisory_package_keys(broken).has_value());
  RawResponse other = osv("GHSA-a", package("npm", "x"));
  other.key = "GHSA-b";  // a body for another id is not indexed under this key
  EXPECT_FALSE(advisory_package_keys(other).has_value());
}

TEST_F(StoreByNeedTest, ReadsOnlyWhatTheNeededPackagesMeetAndCountsTheRest) {
  fill();
  std::vector<std::string> needed = {inventory::advisory_package_key("PyPI", "django-x"),
                                     inventory::advisory_package_key("Debian", "openssl")};
  auto facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  std::vector<std::string> ids;
  for (const auto& [id, advisory] : facts->advisories) ids.push_back(id);
  // CSAF-VENDOR names a vendor product, met through the product map: always read.
  EXPECT_EQ(ids, (std::vector<std::string>{"CSAF-VENDOR", "DEBIAN-1", "GHSA-django"}));
  EXPECT_EQ(facts->advisories_left_unread, 2u);  // GHSA-lodash, EMPTY-1
  EXPECT_EQ(facts->kev.size(), 1u);              // other sources are read whole
  EXPECT_TRUE(facts->skipped.empty());

  auto all = load_store_facts(path_);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->advisories.size(), 5u);
  EXPECT_EQ(all->advisories_left_unread, 0u);
  // What the report shows of the data is the whole store's either way.
  EXPECT_EQ(facts->content_hash, whole_hash());
  EXPECT_EQ(all->content_hash, whole_hash());
  ASSERT_EQ(facts->provenance.size(), all->provenance.size());
  for (size_t i = 0; i < all->provenance.size(); ++i) {
    EXPECT_EQ(facts->provenance[i].source, all->provenance[i].source);
    EXPECT_EQ(facts->provenance[i].responses, all->provenance[i].responses) << all->provenance[i].source;
    EXPECT_EQ(facts->provenance[i].oldest_fetched_at, all->provenance[i].oldest_fetched_at);
    EXPECT_EQ(facts->provenance[i].newest_fetched_at, all->provenance[i].newest_fetched_at);
  }

  std::vector<std::string> nothing;
  auto none = load_store_facts(path_, &nothing);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->advisories.size(), 1u);  // CSAF-VENDOR
  EXPECT_EQ(none->advisories_left_unread, 4u);
}

// A record whose body does not parse was never indexed: every report reads it and says
// it was left out, as before the index existed.
TEST_F(StoreByNeedTest, AnUnindexedRecordIsReadAndNamedAsSkipped) {
  RawResponse broken = osv("GHSA-broken", "");
  broken.body = "{\"id\":";
  responses_.push_back(broken);
  fill();
  std::vector<std::string> nothing;
  auto facts = load_store_facts(path_, &nothing);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  ASSERT_EQ(facts->skipped.size(), 1u);
  EXPECT_EQ(facts->skipped[0].rfind("osv/GHSA-broken: ", 0), 0u) << facts->skipped[0];
  auto all = load_store_facts(path_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(facts->provenance.back().responses, all->provenance.back().responses);
}

// The kept content hash follows every write: a new body, a 304's validators, a refresh of
// a whole source.
TEST_F(StoreByNeedTest, TheKeptContentHashFollowsEveryWrite) {
  fill();
  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*store->content_hash(), whole_hash());
  responses_[1] = osv("GHSA-lodash", package("npm", "lodash-es"), "2026-08-23T00:00:00Z");
  ASSERT_TRUE(store->put({responses_[1]}, "2026-08-23T00:00:00Z").ok());
  EXPECT_EQ(*store->content_hash(), whole_hash());
  std::vector<std::string> needed = {inventory::advisory_package_key("npm", "lodash-es")};
  auto facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->advisories.count("GHSA-lodash"), 1u);  // re-indexed under its new package
  needed = {inventory::advisory_package_key("npm", "lodash")};
  facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->advisories.count("GHSA-lodash"), 0u);

  ASSERT_TRUE(store->mark_unchanged("kev", "catalog", "2026-08-24T00:00:00Z", "\"v2\"", std::nullopt).ok());
  responses_[5].etag = "\"v2\"";
  EXPECT_EQ(*store->content_hash(), whole_hash());  // computed: the kept one was forgotten
  ASSERT_TRUE(store->refresh_content_hash().ok());
  EXPECT_EQ(*store->content_hash(), whole_hash());

  ASSERT_TRUE(store->put({responses_[0]}, "2026-08-25T00:00:00Z", {"osv"}).ok());  // osv replaced whole
  std::vector<RawResponse> kept = {responses_[0], responses_[5]};
  responses_ = kept;
  EXPECT_EQ(*store->content_hash(), whole_hash());
  std::vector<std::string> nothing;
  facts = load_store_facts(path_, &nothing);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->advisories_left_unread, 1u);
}

// A store of schema 4 holds records with no index: opening it for writing indexes them
// and keeps their hash, in the migration's transaction.
TEST_F(StoreByNeedTest, MigrationIndexesTheRecordsAlreadyStored) {
  fill();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER responses_inserted; DROP TRIGGER responses_updated; DROP TRIGGER responses_deleted; DROP TABLE advisory_packages; DROP TABLE meta; DROP INDEX responses_by_fetch_time; PRAGMA user_version = 4;", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::vector<std::string> needed = {inventory::advisory_package_key("npm", "lodash")};
  EXPECT_EQ(load_store_facts(path_, &needed).error().code, "uprank.store.old_schema");
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ(*store->schema_version(), kStoreSchemaVersion);
  }
  auto facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->advisories.size(), 2u);  // GHSA-lodash and the vendor product's
  EXPECT_EQ(facts->advisories_left_unread, 3u);
  EXPECT_EQ(facts->content_hash, whole_hash());
}

// Rows written by hand with sqlite3 (the brief of session 12 lists "a store whose OSV rows
// were edited by hand"): the index and the kept counts and hash are the store's own
// bookkeeping, kept by put(); a row inserted or a body rewritten behind its back must still
// be read as the whole store reads it, and the content hash must be that of the rows.
TEST_F(StoreByNeedTest, RowsEditedByHandAreReadAsTheWholeStoreReadsThem) {
  fill();
  RawResponse inserted = osv("GHSA-hand", package("PyPI", "django-x"));
  RawResponse rewritten = osv("GHSA-lodash", package("PyPI", "django-x"), "2026-08-01T00:00:00Z");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  std::string sql = "INSERT INTO responses (source, key, url, status, fetched_at, checked_at, body, body_sha256) VALUES"
                    " ('osv', 'GHSA-hand', '" + inserted.url + "', 200, '" + inserted.fetched_at + "', '" +
                    inserted.fetched_at + "', CAST('" + inserted.body + "' AS BLOB), '');"
                    " UPDATE responses SET body = CAST('" + rewritten.body + "' AS BLOB) WHERE source = 'osv' AND key = 'GHSA-lodash';";
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
  responses_[1] = rewritten;
  responses_.insert(responses_.begin() + 1, inserted);  // (source, key) order: GHSA-django, GHSA-hand, GHSA-lodash

  std::vector<std::string> needed = {inventory::advisory_package_key("PyPI", "django-x")};
  auto facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  auto all = load_store_facts(path_);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->advisories.count("GHSA-hand"), 1u);
  EXPECT_EQ(facts->advisories.count("GHSA-hand"), 1u) << "a row inserted by hand was not read";
  EXPECT_EQ(facts->advisories.count("GHSA-lodash"), 1u) << "a body rewritten by hand was not read";
  EXPECT_EQ(all->content_hash, whole_hash());
  EXPECT_EQ(facts->content_hash, whole_hash());
  ASSERT_EQ(facts->provenance.size(), all->provenance.size());
  for (size_t i = 0; i < all->provenance.size(); ++i) {
    EXPECT_EQ(facts->provenance[i].responses, all->provenance[i].responses) << all->provenance[i].source;
  }
}

// Store::Writer (an import's streaming put): the same rows, index, counts and hash as put();
// the package keys a caller hands it are what it indexes; a writer that never commits
// leaves the store as it was.
TEST_F(StoreByNeedTest, AWriterStoresWhatPutStoresAndNothingUntilItCommits) {
  fill();
  const std::string streamed = (folder_ / "streamed.db").string();
  {
    auto store = Store::open(streamed);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto writer = store->begin_put("2026-08-22T00:00:00Z");
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (const RawResponse& response : responses_) {
      std::optional<std::vector<std::string>> keys = advisory_package_keys(response);
      ASSERT_TRUE(writer->add(response, keys ? &*keys : nullptr).ok());
    }
    ASSERT_TRUE(writer->commit().ok());
    EXPECT_EQ(*store->content_hash(), whole_hash());
  }
  for (const char* sql : {"SELECT * FROM responses ORDER BY source, key", "SELECT * FROM advisory_packages ORDER BY 1, 2, 3",
                          "SELECT * FROM meta ORDER BY name", "SELECT source, key, at, outcome FROM fetch_log ORDER BY id",
                          "SELECT * FROM source_state"}) {
    EXPECT_EQ(rows(streamed, sql), rows(path_, sql)) << sql;
  }

  auto store = Store::open(path_);
  ASSERT_TRUE(store.ok());
  {
    // Keys handed over are indexed as given: the body is not parsed again.
    auto writer = store->begin_put("2026-08-23T00:00:00Z");
    ASSERT_TRUE(writer.ok());
    std::vector<std::string> keys = {inventory::advisory_package_key("npm", "handed-over")};
    ASSERT_TRUE(writer->add(osv("GHSA-new", package("npm", "in-the-body")), &keys).ok());
    ASSERT_TRUE(writer->commit().ok());
  }
  std::vector<std::string> needed = {inventory::advisory_package_key("npm", "handed-over")};
  auto facts = load_store_facts(path_, &needed);
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->advisories.count("GHSA-new"), 1u);
  const std::string hash = *store->content_hash();
  {
    auto writer = store->begin_put("2026-08-24T00:00:00Z", {"osv"});
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->add(osv("GHSA-uncommitted", package("npm", "x"))).ok());
  }  // destroyed without commit()
  EXPECT_EQ(*store->content_hash(), hash);
  EXPECT_FALSE(store->get("osv", "GHSA-uncommitted")->has_value());
  EXPECT_TRUE(store->get("osv", "GHSA-new")->has_value());
  auto log = store->fetch_log(1);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->at(0).key, "GHSA-new");
}

// Store::begin_import suspends the triggers on `responses` for the import and does their
// work itself: over a store that already holds a record the import replaces and stray
// index rows (one of a record the import adds, one of another source), it leaves the rows,
// index, counts, hash, source state and schema that put() leaves; only the fetch log
// differs (one line per source). The triggers are back after commit (a hand edit still
// forgets the kept hash) and after a failed import.
TEST_F(StoreByNeedTest, AnImportLeavesWhatPutLeavesWithTheTriggersInPlace) {
  const std::string imported = (folder_ / "imported.db").string();
  const std::string stray = "INSERT INTO advisory_packages VALUES ('osv', 'EMPTY-1', 'npm\x1fstale'), ('kev', 'catalog', 'stale');";
  const std::string schema_before = [&] {
    for (const std::string& path : {path_, imported}) {
      auto store = Store::open(path);
      EXPECT_TRUE(store.ok()) << store.error().message;
      EXPECT_TRUE(store->put({osv("GHSA-lodash", package("npm", "old-name"))}, "2026-08-21T00:00:00Z").ok());
      execute(path, stray);
    }
    return rows(imported, "SELECT * FROM sqlite_master ORDER BY name");
  }();
  ASSERT_NE(schema_before.find("responses_inserted"), std::string::npos);
  {
    auto store = Store::open(path_);
    ASSERT_TRUE(store->put(responses_, "2026-08-22T00:00:00Z").ok());
  }
  auto store = Store::open(imported);
  ASSERT_TRUE(store.ok());
  {
    auto writer = store->begin_import("2026-08-22T00:00:00Z", "/dumps/all.zip");
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (const RawResponse& response : responses_) {
      std::optional<std::vector<std::string>> keys = advisory_package_keys(response);
      ASSERT_TRUE(writer->add(response, keys ? &*keys : nullptr).ok());
    }
    ASSERT_TRUE(writer->commit().ok());
  }
  for (const char* sql : {"SELECT * FROM responses ORDER BY source, key", "SELECT * FROM advisory_packages ORDER BY 1, 2, 3",
                          "SELECT * FROM meta ORDER BY name", "SELECT * FROM source_state", "SELECT * FROM sqlite_master ORDER BY name"}) {
    EXPECT_EQ(rows(imported, sql), rows(path_, sql)) << sql;
  }
  EXPECT_EQ(rows(imported, "SELECT * FROM sqlite_master ORDER BY name"), schema_before);
  EXPECT_EQ(rows(imported, "SELECT source, key, message FROM fetch_log WHERE at = '2026-08-22T00:00:00Z' ORDER BY id"),
            "osv|import|imported 5 response(s) from /dumps/all.zip\nkev|import|imported 1 response(s) from /dumps/all.zip\n");
  EXPECT_EQ(*store->content_hash(), whole_hash());

  // A failed import: the triggers, the rows and the kept hash stay.
  {
    auto writer = store->begin_import("2026-08-23T00:00:00Z", "/dumps/bad.zip");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->add(osv("GHSA-uncommitted", package("npm", "x"))).ok());
  }
  EXPECT_EQ(rows(imported, "SELECT * FROM sqlite_master ORDER BY name"), schema_before);
  EXPECT_EQ(rows(imported, "SELECT * FROM meta ORDER BY name"), rows(path_, "SELECT * FROM meta ORDER BY name"));
  EXPECT_FALSE(store->get("osv", "GHSA-uncommitted")->has_value());
  // A hand edit after the import still forgets the kept hash and the edited record's index.
  execute(imported, "UPDATE responses SET body = CAST('{}' AS BLOB) WHERE source = 'osv' AND key = 'GHSA-lodash'");
  EXPECT_EQ(rows(imported, "SELECT COUNT(*) FROM meta"), "0\n");
  EXPECT_EQ(rows(imported, "SELECT COUNT(*) FROM advisory_packages WHERE key = 'GHSA-lodash'"), "0\n");
}

}  // namespace
}  // namespace uprank::fetch
