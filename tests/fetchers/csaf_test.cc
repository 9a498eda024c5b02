// The CSAF 2.0 reader: every published example in ../shared/fixtures/csaf reads, its
// product tree and status lists come out as the document states them, and broken
// documents fail with the file and the JSON pointer of the first fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "fetchers/csaf.h"
#include "fetchers/csaf_advisory.h"
#include "fetchers/csaf_vex.h"
#include "fetchers/importer.h"
#include "fetchers/to_facts.h"
#include "tests/test_folder.h"

namespace uprank::fetch {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(UPRANK_SHARED_FIXTURES) / "csaf";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CsafDocument read_fixture(const std::string& name) {
  auto document = parse_csaf(read_text(kFixtures / name), name);
  EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().message);
  return document.ok() ? *document : CsafDocument{};
}

TEST(Csaf, EveryFixtureReads) {
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtures)) {
    if (entry.path().extension() != ".json" || entry.path().parent_path().filename() == "schema") continue;
    ++files;
    auto document = parse_csaf(read_text(entry.path()), entry.path().filename().string());
    EXPECT_TRUE(document.ok()) << entry.path() << ": " << (document.ok() ? "" : document.error().message);
    EXPECT_TRUE(looks_like_csaf(read_text(entry.path()))) << entry.path();
  }
  EXPECT_EQ(files, 19u);
}

TEST(Csaf, BsiBranchesGiveVendorProductVersionAndCpe) {
  CsafDocument document = read_fixture("bsi-2022-0001.json");
  EXPECT_EQ(document.tracking_id, "BSI-2022-0001");
  EXPECT_EQ(document.category, "csaf_security_advisory");
  ASSERT_EQ(document.products.size(), 6u);
  const CsafProduct& rc2 = document.products.at("CSAFPID-0006");
  EXPECT_EQ(rc2.vendor, "CSAF Tools");
  EXPECT_EQ(rc2.product_name, "CVRF-CSAF-Converter");
  EXPECT_EQ(rc2.version, "1.0.0-rc2");
  EXPECT_EQ(rc2.helper.cpe, "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2");
  EXPECT_EQ(rc2.json_path, "/product_tree/branches/0/branches/0/branches/5/product");
  ASSERT_EQ(document.vulnerabilities.size(), 1u);
  const CsafVulnerability& vulnerability = document.vulnerabilities[0];
  EXPECT_EQ(vulnerability.cve, "CVE-2022-27193");
  EXPECT_EQ(vulnerability.cwe, "CWE-611");
  EXPECT_EQ(vulnerability.product_status.first_fixed, std::vector<std::string>{"CSAFPID-0006"});
  EXPECT_EQ(vulnerability.product_status.known_affected.size(), 5u);
  ASSERT_EQ(vulnerability.remediations.size(), 1u);
  EXPECT_EQ(vulnerability.remediations[0].category, "vendor_fix");
  EXPECT_EQ(vulnerability.remediations[0].url,
            "https://github.com/csaf-tools/CVRF-CSAF-Converter/releases/tag/1.0.0-rc2");
  ASSERT_EQ(vulnerability.scores.size(), 1u);
  EXPECT_EQ(vulnerability.scores[0].cvss_v3_base_score, 6.1);
  EXPECT_EQ(vulnerability.scores[0].cvss_v3_base_severity, "MEDIUM");
}

TEST(Csaf, RedHatRelationshipsNameComponentAndPlatform) {
  CsafDocument document = read_fixture("rhsa-2021_5186.json");
  EXPECT_EQ(document.tracking_id, "RHSA-2021:5186");
  const std::string id =
      "8Base-RHOSE-4.6:openshift4/ose-metering-hive:v4.6.0-202112160147.p0.gf139e12.assembly.stream";
  const CsafProduct& product = document.products.at(id);
  EXPECT_EQ(product.relationship, "default_component_of");
  EXPECT_EQ(product.platform_id, "8Base-RHOSE-4.6");
  EXPECT_EQ(product.component_id, "openshift4/ose-metering-hive:v4.6.0-202112160147.p0.gf139e12.assembly.stream");
  EXPECT_EQ(document.products.at("8Base-RHOSE-4.6").helper.cpe, "cpe:/a:redhat:openshift:4.6::el8");
  const CsafVulnerability& vulnerability = document.vulnerabilities.at(0);
  EXPECT_EQ(vulnerability.product_status.fixed, std::vector<std::string>{id});
  EXPECT_EQ(vulnerability.product_status.known_not_affected.size(), 2u);
  EXPECT_FALSE(vulnerability.threats.empty());
}

TEST(Csaf, VexJustificationComesAsFlagOrImpactStatement) {
  CsafDocument flagged = read_fixture("csaf_vex/sec-vex-2022-0001.json");
  EXPECT_EQ(flagged.category, "csaf_vex");
  ASSERT_EQ(flagged.vulnerabilities.size(), 3u);
  const CsafVulnerability& log4shell = flagged.vulnerabilities[0];
  EXPECT_EQ(log4shell.cve, "CVE-2021-44228");
  ASSERT_EQ(log4shell.flags.size(), 1u);
  EXPECT_EQ(log4shell.flags[0].category, "component_not_present");
  EXPECT_EQ(log4shell.flags[0].product_ids, log4shell.product_status.known_not_affected);

  CsafDocument stated = read_fixture("csaf_vex/2022-evd-uc-01-na-001.json");
  const CsafVulnerability& vulnerability = stated.vulnerabilities.at(0);
  ASSERT_EQ(vulnerability.threats.size(), 1u);
  EXPECT_EQ(vulnerability.threats[0].category, "impact");
  EXPECT_EQ(vulnerability.threats[0].details, "Class with vulnerable code was removed before shipping.");
  EXPECT_EQ(vulnerability.threats[0].product_ids, vulnerability.product_status.known_not_affected);
}

// A broken copy of the BSI advisory: {change applied to the JSON, expected error code,
// expected pointer and reason in the message}.
struct Breakage {
  std::string name;
  std::function<void(nlohmann::json&)> change;
  std::string code;
  std::string message;
};

class CsafBroken : public testing::TestWithParam<Breakage> {};

TEST_P(CsafBroken, NamesFileAndPointer) {
  nlohmann::json document = nlohmann::json::parse(read_text(kFixtures / "bsi-2022-0001.json"));
  GetParam().change(document);
  auto parsed = parse_csaf(document.dump(), "broken.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, GetParam().code);
  EXPECT_NE(parsed.error().message.find("broken.json: " + GetParam().message), std::string::npos)
      << parsed.error().message;
}

nlohmann::json relationship(const std::string& id, const std::string& component, const std::string& platform) {
  return {{"category", "installed_on"},
          {"full_product_name", {{"name", id}, {"product_id", id}}},
          {"product_reference", component},
          {"relates_to_product_reference", platform}};
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CsafBroken,
    testing::Values(
        Breakage{"MissingTitle", [](nlohmann::json& d) { d["document"].erase("title"); }, "uprank.csaf.invalid",
                 "/document/title: required member is missing"},
        Breakage{"MissingTracking", [](nlohmann::json& d) { d["document"].erase("tracking"); }, "uprank.csaf.invalid",
                 "/document/tracking: required member is missing"},
        Breakage{"WrongCsafVersion", [](nlohmann::json& d) { d["document"]["csaf_version"] = "1.2"; },
                 "uprank.csaf.invalid", "/document/csaf_version: '1.2' is not one of 2.0"},
        Breakage{"NumberForString", [](nlohmann::json& d) { d["document"]["publisher"]["name"] = 7; },
                 "uprank.csaf.invalid", "/document/publisher/name: must be a string, not a number"},
        Breakage{"StatusNotArray",
                 [](nlohmann::json& d) { d["vulnerabilities"][0]["product_status"]["fixed"] = "CSAFPID-0006"; },
                 "uprank.csaf.invalid", "/vulnerabilities/0/product_status/fixed: must be an array, not a string"},
        Breakage{"UndefinedProduct",
                 [](nlohmann::json& d) {
                   d["vulnerabilities"][0]["product_status"]["known_affected"][2] = "CSAFPID-9999";
                 },
                 "uprank.csaf.invalid",
                 "/vulnerabilities/0/product_status/known_affected/2: product id 'CSAFPID-9999' is not defined"},
        Breakage{"DuplicateProduct",
                 [](nlohmann::json& d) {
                   d["product_tree"]["full_product_names"] = {{{"name", "again"}, {"product_id", "CSAFPID-0001"}}};
                 },
                 "uprank.csaf.invalid",
                 "/product_tree/full_product_names/0/product_id: product id 'CSAFPID-0001' is already defined at "
                 "/product_tree/branches/0/branches/0/branches/0/product"},
        Breakage{"BranchWithoutProduct",
                 [](nlohmann::json& d) { d["product_tree"]["branches"][0]["branches"][0].erase("branches"); },
                 "uprank.csaf.invalid",
                 "/product_tree/branches/0/branches/0: a branch must have exactly one of 'branches' and 'product'"},
        Breakage{"UnknownBranchCategory",
                 [](nlohmann::json& d) { d["product_tree"]["branches"][0]["category"] = "maker"; },
                 "uprank.csaf.invalid", "/product_tree/branches/0/category: 'maker' is not one of"},
        Breakage{"UnknownRemediation",
                 [](nlohmann::json& d) { d["vulnerabilities"][0]["remediations"][0]["category"] = "patch"; },
                 "uprank.csaf.invalid", "/vulnerabilities/0/remediations/0/category: 'patch' is not one of"},
        Breakage{"EmptyRevisionHistory",
                 [](nlohmann::json& d) { d["document"]["tracking"]["revision_history"] = nlohmann::json::array(); },
                 "uprank.csaf.invalid", "/document/tracking/revision_history: must have at least one item"},
        Breakage{"CyclicRelationships",
                 [](nlohmann::json& d) {
                   d["product_tree"]["relationships"] = {relationship("A", "B", "CSAFPID-0001"),
                                                         relationship("B", "A", "CSAFPID-0002")};
                 },
                 "uprank.csaf.invalid", "/product_tree/relationships/"},
        Breakage{"SelfRelationship",
                 [](nlohmann::json& d) {
                   d["product_tree"]["relationships"] = {relationship("A", "A", "CSAFPID-0001")};
                 },
                 "uprank.csaf.invalid",
                 "/product_tree/relationships/0/full_product_name: relationship 'A' refers to itself through itself"},
        Breakage{"RelationshipToNothing",
                 [](nlohmann::json& d) {
                   d["product_tree"]["relationships"] = {relationship("A", "CSAFPID-0001", "CSAFPID-7")};
                 },
                 "uprank.csaf.invalid",
                 "/product_tree/relationships/0/relates_to_product_reference: product id 'CSAFPID-7' is not defined"},
        Breakage{"UndefinedGroup",
                 [](nlohmann::json& d) { d["vulnerabilities"][0]["remediations"][0]["group_ids"] = {"G1"}; },
                 "uprank.csaf.invalid", "/vulnerabilities/0/remediations/0/group_ids/0: product group id 'G1'"},
        Breakage{"NotAnObject", [](nlohmann::json& d) { d = nlohmann::json::array(); }, "uprank.csaf.invalid",
                 "/: must be an object, not an array"}),
    [](const testing::TestParamInfo<Breakage>& info) { return info.param.name; });

TEST(Csaf, CycleThroughThreeRelationshipsIsFound) {
  nlohmann::json document = nlohmann::json::parse(read_text(kFixtures / "bsi-2022-0001.json"));
  document["product_tree"]["relationships"] = {relationship("A", "B", "CSAFPID-0001"),
                                               relationship("B", "C", "CSAFPID-0001"),
                                               relationship("C", "A", "CSAFPID-0001")};
  auto parsed = parse_csaf(document.dump(), "cycle.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("refers to itself through"), std::string::npos) << parsed.error().message;
}

TEST(Csaf, HugeProductTreeHitsTheNodeBound) {
  // About 10 MB of full product names: more nodes than the default bound allows.
  nlohmann::json document = nlohmann::json::parse(read_text(kFixtures / "bsi-2022-0001.json"));
  nlohmann::json& names = document["product_tree"]["full_product_names"];
  for (int i = 0; i < 150'000; ++i) {
    names.push_back({{"name", "p"}, {"product_id", "X-" + std::to_string(i)}});
  }
  const std::string text = document.dump();
  ASSERT_GT(text.size(), size_t{5} << 20);
  auto parsed = parse_csaf(text, "huge.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("huge.json: /product_tree/full_product_names/"), std::string::npos);
  EXPECT_NE(parsed.error().message.find("product tree has more than 100000 nodes"), std::string::npos)
      << parsed.error().message;
}

TEST(Csaf, SizeAndDepthBoundsComeFirst) {
  const std::string text = read_text(kFixtures / "cisco-sa-20180328-smi2.json");
  auto small = parse_csaf(text, "cisco.json", CsafLimits{1000, 64, 100'000});
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().code, "uprank.fetch.too_large");
  std::string deep = "{\"document\":" + std::string(100, '[') + std::string(100, ']') + "}";
  auto nested = parse_csaf(deep, "deep.json");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code, "uprank.fetch.malformed_json");
}

TEST(Csaf, LooksLikeCsafOnlyForCsaf) {
  EXPECT_FALSE(looks_like_csaf(R"({"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z"})"));
  EXPECT_FALSE(looks_like_csaf("not json"));
  EXPECT_TRUE(looks_like_csaf(R"({"document": {"csaf_version": "2.0"}})"));
}

TEST(CsafAdvisory, BsiAffectedVersionsAndFirstFixBecomeOneEntry) {
  facts::Advisory advisory = csaf_to_advisory(read_fixture("bsi-2022-0001.json"), "2026-12-01T00:00:00Z");
  EXPECT_EQ(advisory.id, "BSI-2022-0001");
  EXPECT_EQ(advisory.aliases, std::vector<std::string>{"CVE-2022-27193"});
  EXPECT_EQ(advisory.cvss_vector.rfind("CVSS:3.1/AV:L/AC:L", 0), 0u) << advisory.cvss_vector;
  ASSERT_EQ(advisory.affected.size(), 1u);
  const facts::AffectedPackage& package = advisory.affected[0];
  // Met by its CPE helper's vendor and product (cpe:/a:csaf-tools:cvrf-csaf-converter:…).
  EXPECT_EQ(package.ecosystem, "CPE");
  EXPECT_EQ(package.name, "csaf-tools:cvrf-csaf-converter");
  ASSERT_EQ(package.entries.size(), 6u);
  EXPECT_EQ(package.entries[0], "CSAFPID-0001 (CSAF Tools CVRF-CSAF-Converter 1.0.0-alpha)");
  EXPECT_EQ(package.versions, (std::vector<std::string>{"1.0.0-alpha", "1.0.0-dev1", "1.0.0-dev2", "1.0.0-dev3",
                                                        "1.0.0-rc1"}));
  ASSERT_EQ(package.ranges.size(), 1u);
  ASSERT_EQ(package.ranges[0].events.size(), 2u);
  EXPECT_EQ(package.ranges[0].events[1].kind, "fixed");
  EXPECT_EQ(package.ranges[0].events[1].version, "1.0.0-rc2");
  ASSERT_TRUE(package.ranges[0].range.has_value());
  EXPECT_EQ(advisory.evidence.source, "csaf");
  EXPECT_EQ(advisory.references.front().type, "FIX");
  // No self reference in the document: the vendor fix is the evidence URL, never empty.
  EXPECT_EQ(advisory.evidence.url, "https://github.com/csaf-tools/CVRF-CSAF-Converter/releases/tag/1.0.0-rc2");
}

TEST(CsafAdvisory, RedHatNevraBuildsBoundTheirReleaseFromBelow) {
  // RHSA-2022:0011 names telnet builds by NEVRA under architecture branches, fixed only:
  // an RPM package of RHEL 7 whose older builds are affected, the fix its target.
  facts::Advisory advisory = csaf_to_advisory(read_fixture("rhsa-2022_0011.json"), "");
  // telnet, telnet-server and telnet-debuginfo: one entry per package name.
  ASSERT_EQ(advisory.affected.size(), 3u);
  auto found = std::find_if(advisory.affected.begin(), advisory.affected.end(),
                            [](const facts::AffectedPackage& package) { return package.name == "telnet"; });
  ASSERT_NE(found, advisory.affected.end());
  const facts::AffectedPackage& telnet = *found;
  EXPECT_EQ(telnet.ecosystem, "Red Hat:7");
  EXPECT_EQ(telnet.name, "telnet");
  ASSERT_TRUE(telnet.scheme.has_value());
  EXPECT_EQ(*telnet.scheme, versions::Scheme::kRpm);
  ASSERT_EQ(telnet.ranges.size(), 1u);
  EXPECT_EQ(telnet.ranges[0].events.back().version, "1:0.17-65.el7_6");
  auto older = versions::Version::parse(versions::Scheme::kRpm, "1:0.17-64.el7");
  auto fixed = versions::Version::parse(versions::Scheme::kRpm, "1:0.17-65.el7_6");
  ASSERT_TRUE(older.ok() && fixed.ok());
  EXPECT_TRUE(telnet.ranges[0].range->contains(*older));
  EXPECT_FALSE(telnet.ranges[0].range->contains(*fixed));
  EXPECT_EQ(advisory.evidence.url, "https://access.redhat.com/errata/RHSA-2022:0011");
}

TEST(CsafVex, StatusListsBecomeStatementsWithJustificationAndPath) {
  CsafDocument document = read_fixture("csaf_vex/sec-vex-2022-0001.json");
  vex::Document statements = csaf_to_statements(document, "sec.json");
  ASSERT_EQ(statements.statements.size(), 3u);
  const vex::Statement& first = statements.statements[0];
  EXPECT_EQ(first.vulnerability, "CVE-2021-44228");
  EXPECT_EQ(first.status, vex::Status::kNotAffected);
  EXPECT_EQ(first.justification, "component_not_present");
  EXPECT_FALSE(first.impact_statement.empty());
  EXPECT_EQ(first.format, "csaf");
  EXPECT_EQ(first.path, "/vulnerabilities/0/product_status/known_not_affected/0");
  ASSERT_EQ(first.named.size(), 1u);
  EXPECT_EQ(first.named[0].name, "Secvisogram");
  EXPECT_EQ(first.named[0].range, "<=1.14.0");
  EXPECT_NE(first.time, 0);

  CsafDocument mixed = read_fixture("csaf_vex/2022-evd-uc-03-ms-001.json");
  size_t counts[4] = {};
  for (const vex::Statement& statement : csaf_to_statements(mixed, "m.json").statements) ++counts[static_cast<int>(statement.status)];
  EXPECT_EQ(counts[static_cast<int>(vex::Status::kNotAffected)], 6u);
  EXPECT_EQ(counts[static_cast<int>(vex::Status::kAffected)], 5u);
  EXPECT_EQ(counts[static_cast<int>(vex::Status::kFixed)], 3u);
  EXPECT_EQ(counts[static_cast<int>(vex::Status::kUnderInvestigation)], 5u);
}

TEST(CsafAdvisory, CiscoServicePacksAreTheAffectedVersions) {
  facts::Advisory advisory = csaf_to_advisory(read_fixture("cisco-sa-20180328-smi2.json"), "");
  EXPECT_EQ(advisory.id, "cisco-sa-20180328-smi2");
  const facts::AffectedPackage* ios = nullptr;
  for (const auto& package : advisory.affected) {
    if (package.name == "IOS") ios = &package;
  }
  ASSERT_NE(ios, nullptr);
  EXPECT_NE(std::find(ios->versions.begin(), ios->versions.end(), "12.2(55)SE"), ios->versions.end());
  EXPECT_TRUE(ios->ranges.empty());  // Cisco names no fixed product here
}

TEST(CsafAdvisory, RedHatFixedBuildsAloneClaimNothing) {
  facts::Advisory advisory = csaf_to_advisory(read_fixture("rhsa-2021_5186.json"), "");
  EXPECT_EQ(advisory.id, "RHSA-2021:5186");
  EXPECT_TRUE(advisory.affected.empty());
}

TEST(CsafImport, ProviderDirectoryImportsValidAndSkipsInvalid) {
  test_support::TestFolder folder("uprank-csaf");
  fs::copy(kFixtures / "bsi-2022-0001.json", folder.path() / "bsi-2022-0001.json");
  nlohmann::json broken = nlohmann::json::parse(read_text(kFixtures / "rhsa-2021_5217.json"));
  broken["vulnerabilities"][0]["product_status"]["fixed"][0] = "nowhere";
  std::ofstream(folder.path() / "broken.json") << broken.dump();
  auto imported = import_feeds(folder.path().string(), "2026-12-01T00:00:00Z");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->summary.records.at("csaf"), 1u);
  EXPECT_EQ(imported->summary.invalid.at("csaf"), 1u);
  ASSERT_EQ(imported->summary.skipped.size(), 1u);
  EXPECT_NE(imported->summary.skipped[0].find(
                "broken.json: invalid CSAF: /vulnerabilities/0/product_status/fixed/0: product id 'nowhere'"),
            std::string::npos)
      << imported->summary.skipped[0];
  ASSERT_EQ(imported->responses.size(), 1u);
  EXPECT_EQ(imported->responses[0].source, "csaf");
  EXPECT_EQ(imported->responses[0].key, "BSI-2022-0001");
  auto facts = facts_from_responses(imported->responses, "store");
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_EQ(facts->advisories.count(facts::advisory_key(facts->advisories.begin()->second)), 1u);
  EXPECT_EQ(facts->advisories.begin()->second.id, "BSI-2022-0001");

  auto named = import_feeds((folder.path() / "broken.json").string(), "2026-12-01T00:00:00Z");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().code, "uprank.csaf.invalid");
}

// Red Hat publishes each advisory both as a CSAF document and as an OSV record of the same
// id (osv.dev "RHSA-2021:5186"): both are facts, neither replaces the other, whichever loads
// first (FactSet::advisories was keyed by id alone, and the last one loaded won).
TEST(CsafImport, CsafDocumentAndOsvRecordOfOneIdAreBothKept) {
  RawResponse csaf{"csaf", "RHSA-2021:5186", "", 200, "2026-12-01T00:00:00Z", {}, {}, read_text(kFixtures / "rhsa-2021_5186.json")};
  nlohmann::json record = {{"schema_version", "1.6.0"},
                           {"id", "RHSA-2021:5186"},
                           {"modified", "2021-12-16T00:00:00Z"},
                           {"published", "2021-12-16T00:00:00Z"},
                           {"summary", "log4j security update"},
                           {"affected", nlohmann::json::array()}};
  RawResponse osv{"osv", "RHSA-2021:5186", "", 200, "2026-12-01T00:00:00Z", {}, {}, record.dump()};
  for (const auto& order : {std::vector<RawResponse>{csaf, osv}, std::vector<RawResponse>{osv, csaf}}) {
    auto facts = facts_from_responses(order, "store");
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    ASSERT_EQ(facts->advisories.size(), 2u);
    std::vector<std::string> sources;
    for (const auto& [key, advisory] : facts->advisories) {
      EXPECT_EQ(advisory.id, "RHSA-2021:5186");
      EXPECT_EQ(key, facts::advisory_key(advisory));
      sources.push_back(advisory.evidence.source);
    }
    EXPECT_EQ(sources, (std::vector<std::string>{"osv", "csaf"}));  // the OSV record under its bare id first
  }
}

TEST(CsafImport, EveryFixtureImports) {
  auto imported = import_feeds(kFixtures.string(), "2026-12-01T00:00:00Z");
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_EQ(imported->summary.records.at("csaf"), 19u);
}

}  // namespace
}  // namespace uprank::fetch
