// CycloneDX and SPDX fixtures: counts computed independently with nlohmann::json, and
// every component's location must point at the '{' that opens it.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

using testing::fixtures;
using testing::read_file;

size_t count_cyclonedx(const nlohmann::json& list) {
  size_t count = 0;
  if (!list.is_array()) return 0;
  for (const auto& component : list) {
    ++count;
    if (component.contains("components")) count += count_cyclonedx(component["components"]);
  }
  return count;
}

std::vector<std::string> files_in(const std::string& directory, const std::string& suffix) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    std::string path = entry.path().string();
    if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Returns the character at 1-based (line, column) of text.
char char_at(const std::string& text, int line, int column) {
  size_t offset = 0;
  for (int i = 1; i < line; ++i) offset = text.find('\n', offset) + 1;
  return text[offset + static_cast<size_t>(column - 1)];
}

TEST(CycloneDx, FixtureCountsMatchTheFiles) {
  auto files = files_in(fixtures() + "/sbom/cyclonedx", ".json");
  ASSERT_EQ(files.size(), 7u);
  size_t total = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    std::string text = read_file(path);
    auto document = nlohmann::json::parse(text);
    size_t expected = document.contains("components") ? count_cyclonedx(document["components"]) : 0;
    Inventory inventory = read_cyclonedx(text, path);
    EXPECT_FALSE(has_errors(inventory.diagnostics));
    EXPECT_EQ(inventory.components.size(), expected);
    total += expected;
    for (const Component& component : inventory.components) {
      ASSERT_GT(component.location.line, 0);
      EXPECT_EQ(char_at(text, component.location.line, component.location.column), '{') << component.name;
      EXPECT_EQ(component.source, "cyclonedx");
    }
  }
  EXPECT_EQ(total, 43u + 167u + 840u + 62u + 201u + 3u + 0u);  // FORMAT.md's table, as a cross-check
}

TEST(CycloneDx, ReadsPurlSchemeDependenciesAndUniqueNames) {
  std::string path = fixtures() + "/sbom/cyclonedx/SBOM_juice-shop_v11.1.2_bom.json";
  Inventory inventory = read_cyclonedx(read_file(path), path);
  std::set<std::string> names;
  size_t with_edges = 0;
  for (const Component& component : inventory.components) {
    EXPECT_TRUE(names.insert(component.name).second) << "duplicate " << component.name;
    if (!component.purl.empty() && component.purl.rfind("pkg:npm/", 0) == 0) {
      EXPECT_EQ(component.scheme, versions::Scheme::kNpm);
    }
    with_edges += component.depends_on.empty() ? 0 : 1;
  }
  auto document = nlohmann::json::parse(read_file(path));
  size_t declared = 0;
  if (document.contains("dependencies")) {
    for (const auto& entry : document["dependencies"]) declared += entry.value("dependsOn", nlohmann::json::array()).empty() ? 0 : 1;
  }
  EXPECT_EQ(with_edges, declared);
}

TEST(CycloneDx, NestedComponentsPropertiesAndCpe) {
  std::string text = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "components": [
    {"type": "application", "name": "app", "version": "1.0", "bom-ref": "app",
     "cpe": "cpe:2.3:a:acme:app:1.0:*:*:*:*:*:*:*",
     "properties": [{"name": "team", "value": "payments"}],
     "components": [
       {"type": "library", "group": "org.acme", "name": "core", "version": "2.1",
        "purl": "pkg:maven/org.acme/core@2.1", "bom-ref": "core"}
     ]}
  ],
  "dependencies": [{"ref": "app", "dependsOn": ["core"]}]
})";
  Inventory inventory = read_cyclonedx(text, "bom.json");
  ASSERT_EQ(inventory.components.size(), 2u);
  const Component& app = inventory.components[0];
  const Component& core = inventory.components[1];
  EXPECT_EQ(app.cpe, "cpe:2.3:a:acme:app:1.0:*:*:*:*:*:*:*");
  EXPECT_EQ(app.attributes.at("property:team"), "payments");
  EXPECT_EQ(core.name, "org.acme/core");
  EXPECT_EQ(core.scheme, versions::Scheme::kMaven);
  EXPECT_EQ(core.location.line, 8);
  EXPECT_EQ(app.depends_on, std::vector<std::string>{"org.acme/core"});
}

TEST(CycloneDx, BadInputNamesLineAndProblem) {
  Inventory broken = read_cyclonedx("{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [ {\"name\": \"x\" ,, ]\n}", "bad.json");
  ASSERT_EQ(broken.diagnostics.size(), 1u);
  EXPECT_EQ(broken.diagnostics[0].code, "uprank.inventory.syntax");
  EXPECT_EQ(broken.diagnostics[0].range.begin.line, 3);
  Inventory not_cdx = read_cyclonedx(R"({"components": []})", "x.json");
  EXPECT_TRUE(testing::has_code(not_cdx, "uprank.inventory.shape"));
  Inventory nameless = read_cyclonedx(R"({"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"version": "1"}]})", "n.json");
  EXPECT_TRUE(testing::has_code(nameless, "uprank.inventory.missing_field"));
  std::string deep = "{\"bomFormat\": \"CycloneDX\", \"x\": " + std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_TRUE(testing::has_code(read_cyclonedx(deep, "deep.json"), "uprank.inventory.syntax"));
}

TEST(Spdx, FixtureCountsMatchTheFiles) {
  size_t files = 0;
  for (const std::string& path : files_in(fixtures() + "/sbom/spdx", ".json")) {
    SCOPED_TRACE(path);
    std::string text = read_file(path);
    auto document = nlohmann::json::parse(text);
    Inventory inventory = read_spdx(text, path);
    if (!document.contains("spdxVersion")) {  // SPDX 3.0 JSON-LD: refused with a clear error
      EXPECT_TRUE(testing::has_code(inventory, "uprank.inventory.unsupported_version"));
      EXPECT_TRUE(inventory.components.empty());
      continue;
    }
    ++files;
    EXPECT_FALSE(has_errors(inventory.diagnostics));
    size_t expected = document.contains("packages") ? document["packages"].size() : 0;
    EXPECT_EQ(inventory.components.size(), expected);
    size_t purls = 0;
    for (const auto& package : document.value("packages", nlohmann::json::array())) {
      for (const auto& ref : package.value("externalRefs", nlohmann::json::array())) {
        if (ref.value("referenceType", "") == "purl") {
          ++purls;
          break;
        }
      }
    }
    size_t read_purls = 0;
    for (const Component& component : inventory.components) {
      read_purls += component.purl.empty() ? 0 : 1;
      EXPECT_EQ(char_at(text, component.location.line, component.location.column), '{');
    }
    EXPECT_EQ(read_purls, purls);
  }
  EXPECT_EQ(files, 5u);
}

TEST(Spdx, RelationshipsBecomeEdgesAndAdvisoriesAreKept) {
  std::string path = fixtures() + "/sbom/spdx/presentations_OSS-NA-2023_SPDXVersion2.3_04-SBOMwSecurity.json";
  Inventory inventory = read_spdx(read_file(path), path);
  bool advisory = false;
  for (const Component& component : inventory.components) {
    if (component.attributes.count("advisories")) advisory = true;
  }
  EXPECT_TRUE(advisory);
  std::string text = R"({"spdxVersion": "SPDX-2.3", "packages": [
    {"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1"},
    {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": "2",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/B@2"}]}],
    "relationships": [{"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-b"},
                      {"spdxElementId": "SPDXRef-a", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-b"}]})";
  Inventory small = read_spdx(text, "s.json");
  ASSERT_EQ(small.components.size(), 2u);
  EXPECT_EQ(small.components[0].depends_on, std::vector<std::string>{"b"});
  EXPECT_EQ(small.components[1].depends_on, std::vector<std::string>{"a"});
  EXPECT_EQ(small.components[1].purl, "pkg:pypi/b@2");
  EXPECT_EQ(small.components[1].scheme, versions::Scheme::kPep440);
}

}  // namespace
}  // namespace uprank::inventory
