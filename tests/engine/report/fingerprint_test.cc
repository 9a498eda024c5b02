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
  std::string fingerprint = finding_fingerprint("uprank.eol.past_end_of_life", "Dockerfile", "image:postgres");
  EXPECT_EQ(fingerprint.size(), 32u);
  EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
}

// The recipe of docs/baseline.md, hashed outside uprank (Python: hashlib.sha256(
// b"27:uprank.eol.past_end_of_life10:Dockerfile14:image:postgres").hexdigest()[:32]): the
// value "uprank/v1" has always had for a finding that read no advisory.
TEST(FingerprintTest, IsTheDocumentedRecipe) {
  EXPECT_EQ(finding_fingerprint("uprank.eol.past_end_of_life", "Dockerfile", "image:postgres"),
            "8bec4bf2b67e2c13862a811ccc27ff7c");
}

TEST(FingerprintTest, EachPartCounts) {
  std::string base = finding_fingerprint("r", "a/Dockerfile", "image:postgres");
  EXPECT_NE(base, finding_fingerprint("r2", "a/Dockerfile", "image:postgres"));
  EXPECT_NE(base, finding_fingerprint("r", "b/Dockerfile", "image:postgres"));
  EXPECT_NE(base, finding_fingerprint("r", "a/Dockerfile", "image:redis"));
}

TEST(FingerprintTest, PartsCannotRunTogether) {
  EXPECT_NE(finding_fingerprint("ab", "c", ""), finding_fingerprint("a", "bc", ""));
  EXPECT_NE(finding_fingerprint("r", "ab", "c"), finding_fingerprint("r", "a", "bc"));
}

// An advisory published or withdrawn changes what a finding read, not which finding it is:
// the SSVC rule's one finding per component keeps its fingerprint with 2 advisories or 1.
TEST(FingerprintTest, AdvisoriesReadDoNotCount) {
  inventory::Inventory inventory;
  inventory.components.push_back(image("postgres", "12.4", "repo/Dockerfile", 3));
  facts::Advisory first_advisory, second_advisory;
  first_advisory.id = "CVE-2024-10979";
  second_advisory.id = "CVE-2024-10978";
  compiler::AdvisoryMatch first_match, second_match;
  first_match.advisory = &first_advisory;
  second_match.advisory = &second_advisory;
  evaluator::Finding both;
  both.edit_text().rule = "uprank.ssvc.ssvc_decision";
  both.components = {0};
  both.edit_text().message = "track: CVE-2024-10979 of 2 advisory(ies); BOD 26-04: fix on system upgrade";
  both.advisories = {evaluator::AdvisoryEvidence{0, &second_match}, evaluator::AdvisoryEvidence{0, &first_match}};
  evaluator::Finding one = both;
  one.edit_text().message = "track: CVE-2024-10979 of 1 advisory(ies); BOD 26-04: fix on system upgrade";
  one.advisories = {evaluator::AdvisoryEvidence{0, &first_match}};
  EXPECT_EQ(fingerprint_of(both, inventory, "repo"), fingerprint_of(one, inventory, "repo"));
  EXPECT_EQ(fingerprint_of(one, inventory, "repo"), finding_fingerprint("uprank.ssvc.ssvc_decision", "Dockerfile", "image:postgres"));
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
  finding.edit_text().rule = "uprank.eol.past_end_of_life";
  finding.components = {0};
  evaluator::Finding moved = finding;
  moved.components = {1};
  EXPECT_EQ(fingerprint_of(finding, first, "repo"), fingerprint_of(moved, second, "repo"));
  EXPECT_EQ(fingerprint_of(finding, first, "repo"),
            finding_fingerprint("uprank.eol.past_end_of_life", "deploy/Dockerfile", "image:postgres"));
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
    report.findings[0].edit_text().rule = report.findings[1].edit_text().rule = "uprank.eol.past_end_of_life";
    report.findings[0].components = {0};
    report.findings[1].components = {1};
    attach_fingerprints(report, "repo");
    EXPECT_EQ(finding_fingerprint(report, report.findings[0]), report.states[0].fingerprint);
    return std::make_pair(report.states[1].fingerprint, report.states[0].fingerprint);  // (first, second) in line order
  };
  auto [first, second] = fingerprints(2, 9);
  EXPECT_EQ(first, finding_fingerprint("uprank.eol.past_end_of_life", "Dockerfile", "image:redis"));
  EXPECT_NE(first, second);
  EXPECT_EQ(second, occurrence_fingerprint(first, 2));
  EXPECT_EQ(fingerprints(5, 30), std::make_pair(first, second));
}

}  // namespace
}  // namespace uprank::report
