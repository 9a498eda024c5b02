// Finding fingerprints: which changes keep a fingerprint and which make a new one.
#include "engine/report/fingerprint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <utility>

#include "engine/report/report.h"

namespace uprank::report {
namespace {

inventory::Component image(const std::string& label, const std::string& version, const std::string& file, int line) {
  inventory::Component component;
  component.name = label;
  component.identity.label = label;
  component.kind = "container-image";
  component.version_text = version;
  component.location = SourceLocation{file, line, 6};
  return component;
}

TEST(FingerprintTest, IsHexOfFixedLength) {
  std::string fingerprint = finding_fingerprint("uprank.eol.past_end_of_life", "Dockerfile", "image:postgres", {});
  EXPECT_EQ(fingerprint.size(), 32u);
  EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(FingerprintTest, EachPartCounts) {
  std::string base = finding_fingerprint("r", "a/Dockerfile", "image:postgres", {"CVE-1"});
  EXPECT_NE(base, finding_fingerprint("r2", "a/Dockerfile", "image:postgres", {"CVE-1"}));
  EXPECT_NE(base, finding_fingerprint("r", "b/Dockerfile", "image:postgres", {"CVE-1"}));
  EXPECT_NE(base, finding_fingerprint("r", "a/Dockerfile", "image:redis", {"CVE-1"}));
  EXPECT_NE(base, finding_fingerprint("r", "a/Dockerfile", "image:postgres", {"CVE-2"}));
  EXPECT_NE(base, finding_fingerprint("r", "a/Dockerfile", "image:postgres", {}));
}

TEST(FingerprintTest, PartsCannotRunTogether) {
  EXPECT_NE(finding_fingerprint("ab", "c", "", {}), finding_fingerprint("a", "bc", "", {}));
  EXPECT_NE(finding_fingerprint("r", "", "", {"a", "b"}), finding_fingerprint("r", "", "", {"ab"}));
}

TEST(FingerprintTest, AdvisoryOrderAndDuplicatesDoNotCount) {
  EXPECT_EQ(finding_fingerprint("r", "f", "k", {"GHSA-2", "CVE-1", "CVE-1"}),
            finding_fingerprint("r", "f", "k", {"CVE-1", "GHSA-2"}));
}

TEST(FingerprintTest, IdentityKeyIgnoresVersionLineAndDisplayName) {
  inventory::Component before = image("postgres", "12.4", "deploy/Dockerfile", 3);
  inventory::Component after = image("postgres", "12.22", "deploy/Dockerfile", 17);
  after.name = "postgres@12.22 (deploy/Dockerfile:17)";  // a disambiguated display name
  EXPECT_EQ(fingerprint_identity(before), "image:postgres");
  EXPECT_EQ(fingerprint_identity(before), fingerprint_identity(after));
}

TEST(FingerprintTest, FindingFingerprintSurvivesLineMoveAndPatchBump) {
  inventory::Inventory first;
  first.components.push_back(image("postgres", "12.4", "repo/deploy/Dockerfile", 3));
  inventory::Inventory second;
  second.components.push_back(image("redis", "7.2.1", "repo/compose.yaml", 1));
  second.components.push_back(image("postgres", "12.22", "repo/deploy/Dockerfile", 40));
  evaluator::Finding finding;
  finding.rule = "uprank.eol.past_end_of_life";
  finding.components = {0};
  evaluator::Finding moved = finding;
  moved.components = {1};
  EXPECT_EQ(fingerprint_of(finding, first, "repo"), fingerprint_of(moved, second, "repo"));
  EXPECT_EQ(fingerprint_of(finding, first, "repo"),
            finding_fingerprint("uprank.eol.past_end_of_life", "deploy/Dockerfile", "image:postgres", {}));
}

TEST(FingerprintTest, RelativePathsDoNotDependOnHowTheFileWasNamed) {
  std::string cwd = std::filesystem::current_path().generic_string();
  EXPECT_EQ(repository_relative_path("repo/./deploy/../Dockerfile", "repo"), "Dockerfile");
  EXPECT_EQ(repository_relative_path(cwd + "/repo/k8s/app.yaml", "repo/"), "k8s/app.yaml");
  EXPECT_EQ(repository_relative_path("k8s/app.yaml", cwd), "k8s/app.yaml");
  EXPECT_EQ(repository_relative_path("", "repo"), "");
  EXPECT_EQ(repository_relative_path("/elsewhere/file", "/repo"), "/elsewhere/file");
}

// Two pins of one image in one file: each finding gets its own fingerprint, the first in
// line order the plain one, and a line move that keeps the order keeps both.
TEST(FingerprintTest, RepeatedPinsInOneFileAreNumberedInLineOrder) {
  auto fingerprints = [](int first_line, int second_line) {
    inventory::Inventory inventory;
    inventory.components.push_back(image("redis", "7.0", "repo/Dockerfile", second_line));
    inventory.components.push_back(image("redis", "7.0", "repo/Dockerfile", first_line));
    Report report;
    report.inventory = &inventory;
    report.findings.resize(2);
    report.findings[0].rule = report.findings[1].rule = "uprank.eol.past_end_of_life";
    report.findings[0].components = {0};
    report.findings[1].components = {1};
    attach_fingerprints(report, "repo");
    EXPECT_EQ(finding_fingerprint(report, report.findings[0]), report.states[0].fingerprint);
    return std::make_pair(report.states[1].fingerprint, report.states[0].fingerprint);  // (first, second) in line order
  };
  auto [first, second] = fingerprints(2, 9);
  EXPECT_EQ(first, finding_fingerprint("uprank.eol.past_end_of_life", "Dockerfile", "image:redis", {}));
  EXPECT_NE(first, second);
  EXPECT_EQ(second, occurrence_fingerprint(first, 2));
  EXPECT_EQ(fingerprints(5, 30), std::make_pair(first, second));
}

}  // namespace
}  // namespace uprank::report
