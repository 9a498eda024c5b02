// The evidence report writers carry per finding: OSV ranges as written, CVSS, vendor
// severity, KEV, EPSS and end-of-life dates with their sources. Facts come from the real
// vendor files in ../shared/fixtures and the bundled endoflife.date snapshot, read by the
// real parsers.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/report/report.h"
#include "fetchers/snapshot.h"
#include "fetchers/to_facts.h"
#include "grammar/parser.h"

namespace uprank::report {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << path;
  return text.str();
}

// Validates a JSON report against docs/report.schema.json with the same validator the
// golden cases use (python3-jsonschema); fails the test with the violations otherwise.
void expect_matches_published_schema(const std::string& json, const std::string& name) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("uprank-" + name + ".report.json");
  std::ofstream(file, std::ios::binary) << json;
  std::string command = std::string(UPRANK_PYTHON3) + " " + UPRANK_SOURCE_DIR + "/tests/support/validate_json.py " +
                        UPRANK_SOURCE_DIR + "/docs/report.schema.json " + file.string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::filesystem::remove(file);
}

fetch::RawResponse fixture(const std::string& source, const std::string& key, const std::string& file) {
  fetch::RawResponse response;
  response.source = source;
  response.key = key;
  response.url = "https://example.test/" + key;
  response.status = 200;
  response.fetched_at = "2026-08-22T00:00:00Z";
  response.body = read_file(std::string(UPRANK_SHARED_FIXTURES) + "/" + file);
  return response;
}

// ---- affected_ranges_text ---------------------------------------------------------------

struct RangeCase {
  const char* name;
  std::vector<facts::AffectedRange> ranges;
  std::string expected;
};

facts::AffectedRange osv(std::string type, std::vector<versions::Range::OsvEvent> events) {
  facts::AffectedRange range;
  range.type = std::move(type);
  range.events = std::move(events);
  return range;
}

class AffectedRanges : public ::testing::TestWithParam<RangeCase> {};

TEST_P(AffectedRanges, ReadAsComparatorsInSourceOrder) {
  facts::AffectedPackage package;
  package.ranges = GetParam().ranges;
  EXPECT_EQ(affected_ranges_text(package), GetParam().expected);
}

facts::AffectedRange declared(const char* text) {
  facts::AffectedRange range = osv("RULES", {{"fixed", "2.4.51"}});
  range.range = versions::Range::parse(versions::Scheme::kGeneric, text).value();
  return range;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AffectedRanges,
    ::testing::Values(
        RangeCase{"from_zero", {osv("ECOSYSTEM", {{"introduced", "0"}, {"fixed", "1.2.3"}})}, "<1.2.3"},
        RangeCase{"bounded", {osv("SEMVER", {{"introduced", "2.4.0"}, {"fixed", "2.4.52"}})}, ">=2.4.0, <2.4.52"},
        RangeCase{"last_affected", {osv("ECOSYSTEM", {{"introduced", "1.0"}, {"last_affected", "1.4"}})}, ">=1.0, <=1.4"},
        RangeCase{"open", {osv("ECOSYSTEM", {{"introduced", "0"}})}, "all versions"},
        RangeCase{"open_from", {osv("ECOSYSTEM", {{"introduced", "3.1"}})}, ">=3.1"},
        RangeCase{"incomplete_fix",
                  {osv("SEMVER", {{"introduced", "2.4.49"}, {"fixed", "2.4.50"}, {"introduced", "2.4.50"}, {"fixed", "2.4.51"}})},
                  ">=2.4.49, <2.4.50 || >=2.4.50, <2.4.51"},
        RangeCase{"limit", {osv("ECOSYSTEM", {{"introduced", "1.0"}, {"limit", "3.0"}})}, ">=1.0 (limit <3.0)"},
        RangeCase{"git_left_out",
                  {osv("GIT", {{"introduced", "abc123"}, {"fixed", "def456"}}), osv("ECOSYSTEM", {{"introduced", "0"}, {"fixed", "9"}})},
                  "<9"},
        RangeCase{"only_git", {osv("GIT", {{"introduced", "abc123"}})}, ""},
        RangeCase{"declared_as_written", {declared(">=2.4.49, <2.4.51")}, ">=2.4.49, <2.4.51"},
        RangeCase{"several_ranges",
                  {osv("ECOSYSTEM", {{"introduced", "1.0"}, {"fixed", "1.1"}}), osv("ECOSYSTEM", {{"introduced", "2.0"}, {"fixed", "2.0.3"}})},
                  ">=1.0, <1.1 || >=2.0, <2.0.3"}),
    [](const ::testing::TestParamInfo<RangeCase>& info) { return std::string(info.param.name); });

// ---- whole reports ------------------------------------------------------------------------

// An httpd 2.4.49 behind the internet, and a postgres 12 with no advisory: real Bitnami
// OSV record BIT-apache-2021-42013, the real KEV catalog (CVE-2021-42013: added
// 2021-11-03, due 2021-11-17, ransomware Known), endoflife.date from the bundled snapshot.
class EvidenceReport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snapshot = fetch::load_snapshot_facts(std::string(UPRANK_SOURCE_DIR) + "/data/snapshot.json");
    ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
    facts_ = std::move(snapshot.value());
    // End-of-life data from the bundled snapshot; advisories, KEV and release lists only
    // from the fixtures and tests below, whatever else the demo snapshot bundles.
    facts_.advisories.clear();
    facts_.kev.clear();
    facts_.epss.clear();
    facts_.released.clear();
    for (const auto& response : {fixture("osv", "BIT-apache-2021-42013", "osv/bitnami/BIT-apache-2021-42013.json"),
                                 fixture("kev", "catalog", "kev/known_exploited_vulnerabilities.json")}) {
      Status added = fetch::add_response_facts(response, facts_);
      ASSERT_TRUE(added.ok()) << added.error().message;
    }
    // The EPSS fixture holds other CVEs: this score is made up, its fields are what matter.
    facts_.epss["CVE-2021-42013"] = facts::EpssScore{"CVE-2021-42013", 0.94352, 0.99962, Date::parse("2025-08-20"),
                                                     "v2025.03.14", {"epss", "CVE-2021-42013", "", "2025-08-21T00:00:00Z"}};
    inventory_.components = {component("web", "apache-http-server", "2.4.49"), component("db", "postgresql", "12.4")};
    inventory_.components[0].exposure = "internet";
  }

  static inventory::Component component(std::string name, std::string product, std::string version) {
    inventory::Component c;
    c.name = std::move(name);
    c.product = std::move(product);
    c.version_text = version;
    c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
    return c;
  }

  Report report(int threads = 1) { return report_of(kRules, threads); }

  Report report_of(const std::string& rules, int threads = 1) {
    auto parsed = grammar::parse_file(rules, "test.upr");
    EXPECT_TRUE(parsed.diagnostics.empty());
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    auto compiled = compiler::compile(files);
    program_ = compiled.program;
    EXPECT_NE(program_, nullptr);
    evaluator::EvaluationOptions options;
    options.threads = threads;
    Date today = *Date::parse("2026-09-01");
    return rank_components(inventory_, evaluator::evaluate_rules(*program_, inventory_, facts_, today, options), today);
  }

  static constexpr const char* kRules = R"(
rule exploited {
  for c in components where any(a in c.advisories where a.exploited)
  urgency critical
  reason exploited
  message "{c.name}: fix with {max(a.fixed for a in c.advisories)}"
}
rule past {
  for c in components where c.eol.ended
  urgency high
  reason end_of_support
  message "{c.product} {c.eol.cycle} ended"
}
rule lag {
  for c in components where c.version < c.eol.latest
  urgency low
  reason version_lag
  message "latest {c.eol.latest}"
})";

  facts::FactSet facts_;
  inventory::Inventory inventory_;
  std::shared_ptr<const compiler::Program> program_;
};

TEST_F(EvidenceReport, TableListsAdvisoryAndCycleEvidenceUnderTheComponent) {
  Report ranked = report();
  ASSERT_EQ(ranked.ranked.size(), 2u);
  std::vector<std::string> web = evidence_lines(ranked, ranked.ranked[0]);
  ASSERT_EQ(web.size(), 2u);
  EXPECT_EQ(web[0], "eol apache-http-server/2.4: released 2012-02-21 · security support: no end announced · latest "
                    "2.4.68 (2026-06-08) · endoflife 2026-08-22");
  // 2.4.50 re-introduced the flaw: the fix that applies to 2.4.49 is 2.4.51.
  EXPECT_EQ(web[1], "BIT-apache-2021-42013 (CVE-2021-42013) · CVSS 3.1 9.8 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H · "
                    "severity Critical · KEV 2021-11-03 due 2021-11-17 (ransomware) · EPSS 0.944 (p99) 2025-08-20 · "
                    "affected >=2.4.49, <2.4.50 || >=2.4.50, <2.4.51; fixed 2.4.51 · osv 2026-08-22");
  std::vector<std::string> db = evidence_lines(ranked, ranked.ranked[1]);
  ASSERT_EQ(db.size(), 1u);
  EXPECT_EQ(db[0], "eol postgresql/12: released 2019-10-03 · security support ended 2024-11-21 · latest 12.22 "
                   "(2024-11-18) · endoflife 2026-08-22");
  std::string table = write_table(ranked);
  EXPECT_NE(table.find("\n        " + web[1] + "\n"), std::string::npos) << table;
}

TEST_F(EvidenceReport, JsonCarriesEveryFieldWithItsSource) {
  facts::ProductReleases releases{"postgresql", {{"12.22", Date::parse("2024-11-18")}, {"12.21", std::nullopt}}, {}};
  releases.evidence = {"endoflife-releases", "postgresql", "https://example.test/releases/postgresql.json",
                       "2026-08-23T00:00:00Z"};
  facts_.released["postgresql"] = releases;
  Report ranked = report();
  std::string json = write_json(ranked);
  expect_matches_published_schema(json, "evidence");
  auto root = nlohmann::json::parse(json);
  EXPECT_EQ(root["schema_version"], "1.11");
  const auto& finding = root["components"][0]["findings"][0];
  ASSERT_EQ(finding["rule"], "exploited");
  ASSERT_EQ(finding["advisories"].size(), 1u);
  const auto& advisory = finding["advisories"][0];
  EXPECT_EQ(advisory["component"], "web");
  EXPECT_EQ(advisory["id"], "BIT-apache-2021-42013");
  EXPECT_EQ(advisory["aliases"], nlohmann::json::array({"CVE-2021-42013"}));
  EXPECT_EQ(advisory["cvss"]["version"], "3.1");
  EXPECT_EQ(advisory["cvss"]["vector"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_DOUBLE_EQ(advisory["cvss"]["score"].get<double>(), 9.8);
  EXPECT_EQ(advisory["cvss"]["rating"], "CRITICAL");
  EXPECT_EQ(advisory["vendor_severity"], "Critical");
  EXPECT_EQ(advisory["affected"]["ecosystem"], "Bitnami");
  EXPECT_EQ(advisory["affected"]["package"], "apache");
  EXPECT_EQ(advisory["affected"]["ranges"][0]["type"], "SEMVER");
  EXPECT_EQ(advisory["affected"]["ranges"][0]["events"],
            nlohmann::json::parse(R"([{"introduced":"2.4.49"},{"fixed":"2.4.50"},{"introduced":"2.4.50"},{"fixed":"2.4.51"}])"));
  EXPECT_EQ(advisory["affected"]["severity"][0]["score"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(advisory["fixed"], "2.4.51");
  EXPECT_EQ(advisory["kev"]["date_added"], "2021-11-03");
  EXPECT_EQ(advisory["kev"]["due_date"], "2021-11-17");
  EXPECT_EQ(advisory["kev"]["known_ransomware_campaign_use"], "Known");
  EXPECT_EQ(advisory["kev"]["source"], "kev");
  EXPECT_EQ(advisory["kev"]["fetched_at"], "2026-08-22T00:00:00Z");
  EXPECT_DOUBLE_EQ(advisory["epss"]["score"].get<double>(), 0.94352);
  EXPECT_DOUBLE_EQ(advisory["epss"]["percentile"].get<double>(), 0.99962);
  EXPECT_EQ(advisory["epss"]["date"], "2025-08-20");
  EXPECT_EQ(advisory["epss"]["fetched_at"], "2025-08-21T00:00:00Z");
  EXPECT_EQ(advisory["source"], "osv");
  EXPECT_EQ(advisory["url"], "https://osv.dev/vulnerability/BIT-apache-2021-42013");
  EXPECT_EQ(advisory["fetched_at"], "2026-08-22T00:00:00Z");
  EXPECT_TRUE(finding["end_of_life"].empty());  // this rule never read c.eol

  const auto& past = root["components"][1]["findings"][0];
  ASSERT_EQ(past["rule"], "past");
  ASSERT_EQ(past["end_of_life"].size(), 1u);
  const auto& cycle = past["end_of_life"][0];
  EXPECT_EQ(cycle["component"], "db");
  EXPECT_EQ(cycle["cycle"], "12");
  EXPECT_EQ(cycle["released"], "2019-10-03");
  EXPECT_EQ(cycle["security_support"], nlohmann::json::parse(R"({"ends":"2024-11-21","ended":true})"));
  EXPECT_EQ(cycle["latest"], "12.22");
  EXPECT_EQ(cycle["source"], "endoflife");
  EXPECT_EQ(cycle["fetched_at"], "2026-08-22T00:00:00Z");
  EXPECT_EQ(cycle["release_data"], nlohmann::json::parse(R"({"product":"postgresql","versions":2,
      "source":"endoflife-releases","url":"https://example.test/releases/postgresql.json","fetched_at":"2026-08-23T00:00:00Z"})"));
  EXPECT_TRUE(root["components"][0]["findings"][1]["end_of_life"][0]["release_data"].is_null());  // none for httpd
  std::vector<std::string> db = evidence_lines(ranked, ranked.ranked[1]);
  ASSERT_EQ(db.size(), 1u);
  const std::string tail = "· endoflife 2026-08-22 · release data endoflife-releases 2026-08-23";
  ASSERT_GE(db[0].size(), tail.size());
  EXPECT_EQ(db[0].substr(db[0].size() - tail.size()), tail);
}

TEST_F(EvidenceReport, SameInputsSameBytesWhateverTheThreads) {
  EXPECT_EQ(write_json(report(1)), write_json(report(4)));
  EXPECT_EQ(write_table(report(1)), write_table(report(4)));
}

TEST_F(EvidenceReport, VendorTextCannotDriveTheTerminal) {
  facts_.advisories.at("BIT-apache-2021-42013").aliases = {"CVE-2021-42013\x1b[2J\r"};
  facts_.advisories.at("BIT-apache-2021-42013").severity_label = "Critical\x07";
  facts_.kev["CVE-2021-42013\x1b[2J\r"] = facts_.kev.at("CVE-2021-42013");
  std::string table = write_table(report());
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.find('\x07'), std::string::npos);
  EXPECT_EQ(table.find('\r'), std::string::npos);
  // Controls are shown, escaped (escape_for_terminal), not obeyed.
  EXPECT_NE(table.find("(CVE-2021-42013\\x1b[2J\\x0d) · CVSS 3.1"), std::string::npos) << table;
  EXPECT_NE(table.find("severity Critical\\x07 ·"), std::string::npos) << table;
}

TEST_F(EvidenceReport, LinesNameTheComponentWhenItIsNotTheRowsOwn) {
  Report ranked = report_of(R"(
rule joined {
  for db in components("db"), web in components("web") where any(a in web.advisories where a.in_kev)
  urgency high
  message "db behind an exploited web server"
}
rule fleet {
  for c in components("db") where count(other in components where any(a in other.advisories where a.in_kev)) > 0
  urgency low
  message "an exploited server in the fleet"
})");
  ASSERT_EQ(ranked.ranked.size(), 1u);
  std::vector<std::string> lines = evidence_lines(ranked, ranked.ranked[0]);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].substr(0, 28), "[web] BIT-apache-2021-42013 ");
  EXPECT_EQ(lines[1].substr(0, 40), "[other component] BIT-apache-2021-42013 ");
}

TEST_F(EvidenceReport, AdvisoryLinesAreCappedWithACount) {
  // The same record under three more ids: four advisories on one component.
  for (const char* id : {"BIT-apache-x1", "BIT-apache-x2", "BIT-apache-x3"}) {
    facts::Advisory copy = facts_.advisories.at("BIT-apache-2021-42013");
    copy.id = id;
    copy.aliases.clear();
    facts_.advisories[id] = copy;
  }
  Report ranked = report();
  std::vector<std::string> lines = evidence_lines(ranked, ranked.ranked[0], 2);
  ASSERT_EQ(lines.size(), 4u);  // the cycle, two advisories, the count
  EXPECT_EQ(lines[1].substr(0, 21), "BIT-apache-2021-42013");  // in KEV: first
  EXPECT_EQ(lines[2].substr(0, 13), "BIT-apache-x1");
  EXPECT_EQ(lines[3], "+2 more advisories (the JSON report lists every one)");
}

}  // namespace
}  // namespace uprank::report
