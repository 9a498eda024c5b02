// VEX readers (OpenVEX, CycloneDX VEX), timestamps, and which statement is in force.
#include <gtest/gtest.h>

#include "engine/vex/vex.h"

namespace uprank::vex {
namespace {

std::string openvex(const std::string& statements, const std::string& time = "2023-01-08T18:02:03-06:00") {
  return R"({"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://openvex.dev/docs/example/vex-1",)"
         R"("author":"Wolfi J Inkinson","timestamp":")" + time + R"(","version":1,"statements":[)" + statements + "]}";
}

inventory::Component component(std::string purl, std::string file = "bom.json", std::string bom_ref = "") {
  inventory::Component c;
  c.name = purl;
  c.purl = std::move(purl);
  c.location.file = std::move(file);
  if (!bom_ref.empty()) c.attributes["bom-ref"] = bom_ref;
  return c;
}

TEST(OpenVex, ReadsStatementsWithInheritedTimeAndAuthor) {
  auto document = read_openvex(openvex(R"({"timestamp":"2023-01-07T00:00:00Z","vulnerability":{"name":"CVE-1","aliases":["GHSA-x"]},
      "products":[{"@id":"pkg:apk/wolfi/git@2.39.0-r1?arch=armv7","identifiers":{"purl":"pkg:apk/wolfi/git@2.39.0-r1"}}],
      "status":"under_investigation"},
     {"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:apk/wolfi/git"}],"status":"fixed"})"),
                               "a.json");
  ASSERT_TRUE(document.ok()) << document.error().to_string();
  ASSERT_EQ(document->statements.size(), 2u);
  const Statement& first = document->statements[0];
  EXPECT_EQ(first.vulnerability, "CVE-1");
  EXPECT_EQ(first.aliases, std::vector<std::string>{"GHSA-x"});
  EXPECT_EQ(first.products.size(), 2u);
  EXPECT_EQ(first.status, Status::kUnderInvestigation);
  EXPECT_EQ(first.timestamp, "2023-01-07T00:00:00Z");
  EXPECT_EQ(first.author, "Wolfi J Inkinson");
  EXPECT_EQ(first.path, "$.statements[0]");
  EXPECT_EQ(document->statements[1].timestamp, "2023-01-08T18:02:03-06:00");  // the document's
  EXPECT_GT(document->statements[1].time, first.time);
}

TEST(OpenVex, SkipsIncompleteStatementsNamingThem) {
  auto document = read_openvex(openvex(R"({"vulnerability":{"name":"CVE-1"},"products":["pkg:npm/a"],"status":"not_affected"},
     {"vulnerability":{"name":"CVE-2"},"products":["pkg:npm/a"],"status":"not_affected","justification":"because"},
     {"vulnerability":{"name":"CVE-3"},"products":["pkg:npm/a"],"status":"maybe"},
     {"vulnerability":{},"products":["pkg:npm/a"],"status":"fixed"},
     {"vulnerability":"CVE-5","products":["pkg:npm/a"],"status":"fixed","timestamp":"yesterday"},
     {"vulnerability":"CVE-6","status":"fixed"},
     {"vulnerability":"CVE-7","products":["pkg:npm/a"],"status":"not_affected","justification":"component_not_present"})"),
                               "a.json");
  ASSERT_TRUE(document.ok());
  ASSERT_EQ(document->statements.size(), 1u);
  EXPECT_EQ(document->statements[0].vulnerability, "CVE-7");
  ASSERT_EQ(document->skipped.size(), 6u);
  EXPECT_EQ(document->skipped[0], "a.json: $.statements[0]: not_affected without a justification or impact_statement (OpenVEX requires one)");
  EXPECT_NE(document->skipped[1].find("$.statements[1]: justification 'because'"), std::string::npos);
  EXPECT_NE(document->skipped[4].find("'yesterday' is not an RFC 3339 timestamp"), std::string::npos);
}

struct BadDocument {
  std::string text;
  std::string code;
  std::string message_part;
};

class OpenVexErrors : public testing::TestWithParam<BadDocument> {};

TEST_P(OpenVexErrors, NameFileAndJsonPath) {
  auto document = read_openvex(GetParam().text, "bad.json");
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.error().code, GetParam().code);
  EXPECT_EQ(document.error().where.file, "bad.json");
  EXPECT_NE(document.error().message.find(GetParam().message_part), std::string::npos) << document.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, OpenVexErrors,
    testing::Values(BadDocument{"{", "uprank.vex.syntax", "$: not valid JSON"},
                    BadDocument{"[]", "uprank.vex.shape", "$: expected a JSON object"},
                    BadDocument{R"({"@context":"https://example.com","statements":[]})", "uprank.vex.shape", "$.@context"},
                    BadDocument{R"({"@context":"https://openvex.dev/ns/v0.2.0","statements":{}})", "uprank.vex.shape",
                                "$.statements: missing or not an array"},
                    BadDocument{std::string(100, '[') + std::string(100, ']'), "uprank.vex.too_large", "nested deeper"}));

TEST(CycloneDxVex, MapsAnalysisStates) {
  struct Case {
    const char* state;
    Status status;
  };
  for (Case c : {Case{"not_affected", Status::kNotAffected}, Case{"false_positive", Status::kNotAffected},
                 Case{"exploitable", Status::kAffected}, Case{"resolved", Status::kFixed},
                 Case{"resolved_with_pedigree", Status::kFixed}, Case{"in_triage", Status::kUnderInvestigation}}) {
    std::string text = R"({"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"timestamp":"2024-01-01T00:00:00Z",
        "authors":[{"name":"Acme PSIRT","email":"psirt@acme.example"}]},
        "vulnerabilities":[{"id":"CVE-2020-25649","references":[{"id":"GHSA-288c-cq4h-88gq"}],
          "analysis":{"state":")" + std::string(c.state) + R"(","justification":"code_not_reachable","response":["will_not_fix","update"],"detail":"not reachable"},
          "affects":[{"ref":"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"}]}]})";
    auto document = read_cyclonedx_vex(text, "vex.json");
    ASSERT_TRUE(document.ok()) << document.error().to_string();
    ASSERT_EQ(document->statements.size(), 1u) << c.state;
    const Statement& statement = document->statements[0];
    EXPECT_EQ(statement.status, c.status) << c.state;
    EXPECT_EQ(statement.aliases, std::vector<std::string>{"GHSA-288c-cq4h-88gq"});
    EXPECT_EQ(statement.justification, "code_not_reachable");
    EXPECT_EQ(statement.impact_statement, "not reachable");
    EXPECT_EQ(statement.action_statement, "will_not_fix, update");
    EXPECT_EQ(statement.author, "Acme PSIRT <psirt@acme.example>");
    EXPECT_EQ(statement.timestamp, "2024-01-01T00:00:00Z");
    EXPECT_EQ(statement.path, "$.vulnerabilities[0]");
    EXPECT_TRUE(statement.only_file.empty());
  }
}

TEST(CycloneDxVex, VulnerabilitiesWithoutAnalysisAreNotStatements) {
  auto document = read_cyclonedx_vex(R"({"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","affects":[{"ref":"a"}]},
      {"id":"CVE-2","analysis":{"state":"guessing"},"affects":[{"ref":"a"}]}]})",
                                     "bom.json", /*embedded=*/true);
  ASSERT_TRUE(document.ok());
  EXPECT_TRUE(document->statements.empty());
  ASSERT_EQ(document->skipped.size(), 1u);
  EXPECT_EQ(document->skipped[0], "bom.json: $.vulnerabilities[1]: analysis.state 'guessing' is not a CycloneDX impact analysis state");
  EXPECT_FALSE(read_cyclonedx_vex(R"({"bomFormat":"CycloneDX","vulnerabilities":{}})", "bom.json").ok());
}

TEST(Timestamp, ComparesInstantsAcrossOffsets) {
  auto a = parse_timestamp("2023-01-08T18:02:03-06:00");
  auto b = parse_timestamp("2023-01-09T00:02:03Z");
  auto c = parse_timestamp("2023-01-08T18:02:03.647787998-06:00");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*c - *a, 647787998);
  EXPECT_EQ(*parse_timestamp("1970-01-01T00:00:00Z"), 0);
  // Valid RFC 3339, but beyond int64 nanoseconds: refused, never overflowed (found by fuzz.vex).
  EXPECT_FALSE(parse_timestamp("4045-01-01T00:00:00Z").ok());
  EXPECT_FALSE(parse_timestamp("0001-01-01T00:00:00Z").ok());
  EXPECT_TRUE(parse_timestamp("2261-12-31T23:59:59Z").ok());
  for (const char* bad : {"2023-01-08", "2023-01-08T18:02:03", "2023-13-08T18:02:03Z", "2023-01-08T18:02:03+0600",
                          "2023-01-08T18:02:03Zjunk", "2023-01-08T18:02:03.Z"}) {
    EXPECT_FALSE(parse_timestamp(bad).ok()) << bad;
  }
}

Statement statement(std::vector<std::string> products, std::string vulnerability, Status status, int64_t time,
                    std::vector<std::string> aliases = {}) {
  Statement s;
  s.products = std::move(products);
  s.vulnerability = std::move(vulnerability);
  s.aliases = std::move(aliases);
  s.status = status;
  s.time = time;
  return s;
}

TEST(StatementIndex, NamesComponentsByPurlBomRefAndBomLink) {
  Statement sub = statement({"pkg:oci/app@sha256:abc"}, "CVE-9", Status::kNotAffected, 1);
  sub.subcomponents = {"pkg:npm/left-pad@1.3.0"};
  Statement embedded = statement({"ref-1"}, "CVE-8", Status::kAffected, 1);
  embedded.only_file = "other.json";
  StatementIndex index({statement({"pkg:apk/wolfi/git"}, "CVE-1", Status::kFixed, 1),             // any version
                        statement({"pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"}, "CVE-2", Status::kFixed, 1),  // other arch
                        statement({"urn:cdx:serial/1#ref-1"}, "CVE-3", Status::kFixed, 1),
                        statement({"pkg:apk/wolfi/git@2.39.0-r2"}, "CVE-4", Status::kFixed, 1),  // other version
                        sub, embedded});
  EXPECT_EQ(index.naming(component("pkg:apk/wolfi/git@2.39.0-r1?arch=armv7", "bom.json", "ref-1")),
            (std::vector<size_t>{0, 2}));
  EXPECT_EQ(index.naming(component("pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64")), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(index.naming(component("pkg:npm/left-pad@1.3.0")), (std::vector<size_t>{4}));
  EXPECT_TRUE(index.naming(component("pkg:oci/app@sha256:abc")).empty());  // the product, not its subcomponent
  EXPECT_EQ(index.naming(component("pkg:npm/x@1", "other.json", "ref-1")), (std::vector<size_t>{2, 5}));
}

// The purl spec's type definitions: a NuGet id is "case-preserving, but case-insensitive"
// (types/nuget-definition.json), npm's name "must be lowercased"; maven's name is case-sensitive.
TEST(StatementIndex, ComparesPurlLetterCaseAsTheTypeDoes) {
  StatementIndex index({statement({"pkg:nuget/newtonsoft.json@12.0.3"}, "CVE-2024-21907", Status::kNotAffected, 1),
                        statement({"pkg:npm/%40Babel/Traverse"}, "CVE-2023-45133", Status::kNotAffected, 1),
                        statement({"pkg:maven/org.apache.logging.log4j/Log4j-Core"}, "CVE-2021-44228", Status::kFixed, 1)});
  EXPECT_EQ(index.naming(component("pkg:nuget/Newtonsoft.Json@12.0.3")), (std::vector<size_t>{0}));
  EXPECT_TRUE(index.naming(component("pkg:nuget/Newtonsoft.Json@12.0.2")).empty());  // the version still counts
  EXPECT_EQ(index.naming(component("pkg:npm/%40babel/traverse@7.22.5")), (std::vector<size_t>{1}));
  EXPECT_TRUE(index.naming(component("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")).empty());
}

TEST(StatementIndex, NewestStatementSharingAnIdIsInForce) {
  StatementIndex index({statement({"p"}, "CVE-2021-44228", Status::kUnderInvestigation, 10),
                        statement({"p"}, "cve-2021-44228", Status::kFixed, 20),
                        statement({"p"}, "CVE-0000-0001", Status::kNotAffected, 30, {"GHSA-jfh8-c2jp-5v3q"}),
                        statement({"p"}, "CVE-2021-44228", Status::kAffected, 20)});
  EXPECT_EQ(index.in_force({0, 1}, {"BIT-1", "CVE-2021-44228"}), 1u);  // newer, ids compared ignoring case
  EXPECT_EQ(index.in_force({0, 1, 3}, {"CVE-2021-44228"}), 3u);        // equal times: the later given
  EXPECT_EQ(index.in_force({0, 2}, {"GHSA-JFH8-C2JP-5V3Q"}), 2u);      // through an alias
  EXPECT_EQ(index.in_force({0, 1}, {"CVE-1999-0001"}), SIZE_MAX);
  std::vector<size_t> sharing;
  EXPECT_EQ(index.in_force({0, 1, 2, 3}, {"CVE-2021-44228"}, &sharing), 3u);
  EXPECT_EQ(sharing, (std::vector<size_t>{0, 1, 3}));  // superseded ones too: they are not unused
}

}  // namespace
}  // namespace uprank::vex
