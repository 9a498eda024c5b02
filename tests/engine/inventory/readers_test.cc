// The native inventory, version files and user-defined extractors.
#include <gtest/gtest.h>

#include "engine/inventory/extractors.h"
#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

using testing::find;
using testing::has_code;

TEST(Native, ServicesGiveContextAndEdges) {
  std::string text = R"(defaults:
  environment: production
  tags: [fleet]
services:
  - name: billing
    criticality: high
    exposure: internet
    owner: payments
    components:
      - name: billing-api
        version: "4.2"
        depends_on: [billing-db]
      - name: billing-db
        product: postgresql
        version: "15.4"
hosts:
  - name: db01
    environment: staging
    components:
      - name: db01-openssl
        version: 3.0.11-1~deb12u2
        scheme: deb
        purl: pkg:DEB/debian/openssl@3.0.11-1~deb12u2
components:
  - name: lone
    version: "1"
)";
  Inventory inventory = read_native_inventory(text, "fleet.yaml");
  EXPECT_TRUE(inventory.diagnostics.empty()) << render_diagnostic(inventory.diagnostics[0]);
  ASSERT_EQ(inventory.components.size(), 4u);
  ASSERT_EQ(inventory.services.size(), 2u);
  const Component* api = find(inventory, "billing-api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->environment, "production");
  EXPECT_EQ(api->criticality, "high");
  EXPECT_EQ(api->service, "billing");
  EXPECT_EQ(api->depends_on, std::vector<std::string>{"billing-db"});
  EXPECT_EQ(api->location, (SourceLocation{"fleet.yaml", 10, 9}));
  const Component* openssl = find(inventory, "db01-openssl");
  EXPECT_EQ(openssl->environment, "staging");
  EXPECT_EQ(openssl->purl, "pkg:deb/debian/openssl@3.0.11-1~deb12u2");
  EXPECT_EQ(openssl->scheme, versions::Scheme::kDeb);
  EXPECT_EQ(inventory.services[1].kind, "host");
  EXPECT_EQ(inventory.services[0].components, (std::vector<std::string>{"billing-api", "billing-db"}));
  EXPECT_EQ(find(inventory, "lone")->tags, std::vector<std::string>{"fleet"});
}

TEST(Native, JsonIsReadToo) {
  Inventory inventory = read_native_inventory(R"({"components": [{"name": "a", "version": "1.2"}]})", "i.json");
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_TRUE(inventory.components[0].version.has_value());
}

struct BadNative {
  std::string text;
  std::string code;
  int line;
};

class NativeErrors : public ::testing::TestWithParam<BadNative> {};

TEST_P(NativeErrors, NameLineAndCode) {
  Inventory inventory = read_native_inventory(GetParam().text, "bad.yaml");
  ASSERT_FALSE(inventory.diagnostics.empty());
  EXPECT_EQ(inventory.diagnostics[0].code, GetParam().code);
  EXPECT_EQ(inventory.diagnostics[0].range.begin.line, GetParam().line);
  EXPECT_EQ(inventory.diagnostics[0].range.begin.file, "bad.yaml");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NativeErrors,
    ::testing::Values(BadNative{"components:\n  - name: a\n    verison: 1\n", "uprank.inventory.unknown_field", 3},
                      BadNative{"components:\n  - name: [a\n", "uprank.inventory.syntax", 3},
                      BadNative{"components:\n  - version: 1\n", "uprank.inventory.missing_field", 2},
                      BadNative{"components: {}\n", "uprank.inventory.shape", 1},
                      BadNative{"- just a list\n", "uprank.inventory.shape", 1},
                      BadNative{"components:\n  - {name: a, version: 1}\n  - {name: a, version: 2}\n",
                                "uprank.inventory.duplicate_name", 3},
                      BadNative{"services:\n  - name: s\n    components:\n      - name: x\n        version: 1\n        purl: nope\n",
                                "uprank.inventory.bad_purl", 6},
                      BadNative{"components:\n  - name: a\n    version: 1\n    scheme: cobol\n", "uprank.inventory.bad_field", 4}));

TEST(Native, RefusesDeepNestingAndAliasBombs) {
  std::string deep = "components: " + std::string(200, '[') + std::string(200, ']') + "\n";
  EXPECT_TRUE(has_code(read_native_inventory(deep, "deep.yaml"), "uprank.inventory.too_deep"));
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'k'; ++name, ++previous) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + previous;
    bomb += "]\n";
  }
  bomb += "components: []\n";
  EXPECT_TRUE(has_code(read_native_inventory(bomb, "bomb.yaml"), "uprank.inventory.too_deep"));
}

// Issue #15 kind 14: a .json inventory was "not valid YAML" when broken and "YAML nested
// deeper" when too deep. Messages name the format the file is written in.
TEST(Native, MessagesNameJsonForJsonFiles) {
  auto message_of = [](const std::string& text, const std::string& path) {
    Inventory read = read_native_inventory(text, path);
    return read.diagnostics.empty() ? std::string() : read.diagnostics[0].message;
  };
  std::string deep = "{\"components\": " + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_EQ(message_of(deep, "fleet.json").rfind("JSON nested deeper than 64 levels, the limit", 0), 0u) << message_of(deep, "fleet.json");
  EXPECT_EQ(message_of(deep, "fleet.yaml").rfind("YAML nested deeper than 64 levels, the limit", 0), 0u);
  std::string broken = "{\"components\": [ {\"name\": \"x\", \"version\": ";
  EXPECT_EQ(message_of(broken, "FLEET.JSON").rfind("not valid JSON: ", 0), 0u) << message_of(broken, "FLEET.JSON");
  EXPECT_EQ(message_of(broken, "fleet.yml").rfind("not valid YAML: ", 0), 0u);
}

// Issue 15 kind 2: the node limit applies while parsing (one event pass), not after the
// whole tree is built; the message names the limit that was crossed.
TEST(Native, RefusesTooManyNodesBeforeBuildingThem) {
  std::string list = "components: [";
  for (int i = 0; i < 2'000'001; ++i) list += "0,";
  list += "]\n";
  Inventory read = read_native_inventory(list, "big.yaml");
  ASSERT_TRUE(has_code(read, "uprank.inventory.too_deep"));
  EXPECT_NE(read.diagnostics.at(0).message.find("more than 2000000 YAML nodes, the limit"), std::string::npos)
      << read.diagnostics.at(0).message;
}

TEST(VersionFiles, ToolVersionsAndFriends) {
  Inventory tools = read_version_file(Format::kToolVersions, "# c\nnodejs 20.11.1\npython  3.11.7 3.12.1\n\nbroken\n", ".tool-versions");
  ASSERT_EQ(tools.components.size(), 2u);
  EXPECT_EQ(tools.components[1].location, (SourceLocation{".tool-versions", 3, 9}));
  EXPECT_EQ(tools.components[1].attributes.at("fallback.1"), "3.12.1");
  EXPECT_TRUE(has_code(tools, "uprank.tool_versions.syntax"));
  Inventory nvmrc = read_version_file(Format::kNvmrc, "v20.11.1\n", ".nvmrc");
  ASSERT_EQ(nvmrc.components.size(), 1u);
  EXPECT_EQ(nvmrc.components[0].name, "nodejs");
  EXPECT_EQ(read_version_file(Format::kPythonVersion, "3.12\n3.11\n", ".python-version").components.size(), 1u);
  EXPECT_EQ(read_version_file(Format::kTerraformVersion, "  1.7.5\n", ".terraform-version").components[0].location.column, 3);
}

TEST(Extractors, NamedGroupsBecomeComponents) {
  auto config = parse_inventory_config(R"(
extractors:
  - glob: "**/*.env"
    pattern: '(?m)^(?P<name>[A-Z]+)_VERSION=(?P<version>\S+)$'
    scheme: generic
  - glob: "broken.txt"
    pattern: '(unclosed'
  - glob: "x.txt"
    pattern: 'no groups'
products:
  - product: apache-kafka
    cycle: minor
    names: [KAFKA]
)",
                                       "uprank.yaml");
  ASSERT_EQ(config.extractors.size(), 1u);
  ASSERT_EQ(config.diagnostics.size(), 2u);
  EXPECT_EQ(config.diagnostics[0].range.begin.line, 7);
  Inventory inventory = run_extractor(config.extractors[0], "# x\nKAFKA_VERSION=3.6.1\nZOOKEEPER_VERSION=3.8.3\n", "a/versions.env");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].name, "KAFKA");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"a/versions.env", 2, 15}));
  ProductMap products = merged_product_map(config);
  products.apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "apache-kafka");
  EXPECT_EQ(inventory.components[0].cycle, "3.6");
  EXPECT_EQ(inventory.components[1].product, "");  // unmapped, kept
}

TEST(Extractors, EmptyMatchesTerminate) {
  Extractor extractor{"*", "(?P<name>x*)(?P<version>y*)", "", "", "", {}};
  Inventory inventory = run_extractor(extractor, std::string(1000, 'z'), "f");
  EXPECT_TRUE(inventory.components.empty());
}

// #15 kind 4: an optional greedy tail ("is there an '@product' somewhere after the
// version?") made RE2 look ahead to the end of the file for every match: 27 s for this
// 680 KB file. Each search now sees one window, so the work counted is linear.
TEST(Extractors, OptionalGreedyTailScansEachMatchOnceNotToTheEndOfTheFile) {
  Extractor extractor{"*", "(?P<name>[a-z]+[0-9]*)=(?P<version>[0-9.]+)(?:[^@]*@(?P<product>[a-z]+))?", "", "", "", {}};
  std::string text;
  size_t lines = 0;
  for (; text.size() < 680'000; ++lines) text += "pkg" + std::to_string(lines % 1000) + "=1.2." + std::to_string(lines) + "\n";
  ExtractorStats stats;
  Inventory inventory = run_extractor(extractor, text, "versions.txt", &stats);
  EXPECT_EQ(inventory.components.size(), lines);  // no '@' anywhere: each line is a match
  EXPECT_EQ(stats.matches, lines);
  EXPECT_LE(stats.bytes_searched, 2 * text.size() + 2 * stats.matches * kExtractorWindowBytes);
  EXPECT_TRUE(inventory.diagnostics.empty());
}

TEST(Extractors, AMatchIsAtMostOneWindowAndIsFoundAcrossWindowEdges) {
  Extractor extractor{"*", "(?P<name>[a-z]+)=(?P<version>[0-9.]+)(?:[^@]*@(?P<product>[a-z]+))?", "", "", "", {}};
  // The tail's '@' lies within the window: it is part of the match.
  Inventory near = run_extractor(extractor, "kafka=3.6.1 " + std::string(100, ' ') + "@confluent\n", "f");
  ASSERT_EQ(near.components.size(), 1u);
  EXPECT_EQ(near.components[0].product, "confluent");
  // Beyond the window it is not looked for: the match ends within its window.
  Inventory far = run_extractor(extractor, "kafka=3.6.1 " + std::string(kExtractorWindowBytes, ' ') + "@confluent\n", "f");
  ASSERT_EQ(far.components.size(), 1u);
  EXPECT_EQ(far.components[0].product, "");
  // A match that straddles where the first window ends, with nothing before it, is found
  // by the overlapping window after it, at its own line.
  std::string straddling = std::string(kExtractorWindowBytes - 5, '\n') + "kafka=3.6.1\n";
  Inventory found = run_extractor(extractor, straddling, "f");
  ASSERT_EQ(found.components.size(), 1u);
  EXPECT_EQ(found.components[0].location, (SourceLocation{"f", static_cast<int>(kExtractorWindowBytes - 4), 7}));
  // A match of a whole window ends on a character boundary: no UTF-8 sequence is split.
  Extractor rest_of_line{"*", "(?P<name>k)=(?P<version>.+)", "", "", "", {}};
  std::string accented = "k=x";
  for (int i = 0; i < 3000; ++i) accented += "\xc3\xa9";
  Inventory cut = run_extractor(rest_of_line, accented, "f");
  ASSERT_EQ(cut.components.size(), 1u);
  EXPECT_EQ(cut.components[0].version_text.size(), kExtractorWindowBytes - 3);  // "x" and 2,046 × "é"
  EXPECT_EQ(cut.components[0].version_text.back(), '\xa9');
}

TEST(Extractors, TooManyMatchesNameTheExtractorAndTheFile) {
  Extractor extractor{"**/versions.env", "(?P<name>a)(?P<version>1)", "", "", "", SourceLocation{"uprank.yaml", 3, 5}};
  std::string text;
  for (int i = 0; i < 100'001; ++i) text += "a1\n";
  Inventory inventory = run_extractor(extractor, text, "svc/versions.env");
  EXPECT_EQ(inventory.components.size(), 100'000u);
  ASSERT_EQ(inventory.diagnostics.size(), 1u);
  EXPECT_EQ(inventory.diagnostics[0].code, "uprank.extractor.too_many_matches");
  EXPECT_NE(inventory.diagnostics[0].message.find("'**/versions.env' (uprank.yaml:3:5)"), std::string::npos);
  EXPECT_EQ(inventory.diagnostics[0].range.begin.file, "svc/versions.env");
}

}  // namespace
}  // namespace uprank::inventory
