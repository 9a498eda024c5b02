// CycloneDX and SPDX fixtures: counts computed independently with nlohmann::json, and
// every component's location must point at the '{' that opens it.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/inventory/internal.h"
#include "engine/inventory/inventory_json.h"
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

// The reader streams the document; what comes after the components in the text
// (bomFormat, metadata, dependencies listed first) reads as if the tree were whole.
TEST(CycloneDx, MembersInAnyOrderReadAsTheWholeTree) {
  std::string late = R"({"components": [{"name": "a", "version": "1", "bom-ref": "a"},
                                       {"name": "b", "version": "2", "bom-ref": "b", "purl": "pkg:npm/b@2"},
                                       {"name": "a", "version": "3", "bom-ref": "a3"}],
    "dependencies": [{"ref": "b", "dependsOn": ["a3", "missing"]}],
    "metadata": {"component": {"name": "shop"}}, "specVersion": "1.9", "bomFormat": "CycloneDX",
    "components": [{"name": "ignored"}]})";
  std::string early = R"({"dependencies": [{"ref": "b", "dependsOn": ["a3"]}, {"ref": "a", "dependsOn": ["b"]}],
    "bomFormat": "CycloneDX", "specVersion": "1.5",
    "components": [{"name": "a", "version": "1", "bom-ref": "a"}, {"name": "b", "version": "2", "bom-ref": "b"},
                   {"name": "a", "version": "3", "bom-ref": "a3"}]})";
  Inventory first = read_cyclonedx(late, "late.json");
  ASSERT_EQ(first.components.size(), 3u);  // the second `components` is not read, as a tree lookup finds the first
  EXPECT_EQ(first.components[0].name, "a@1");
  EXPECT_EQ(first.components[2].name, "a@3");
  EXPECT_EQ(first.components[1].depends_on, std::vector<std::string>{"a@3"});
  EXPECT_EQ(first.components[0].attributes.at("sbom.subject"), "shop");
  EXPECT_EQ(first.components[1].attributes.at("purl.type"), "npm");
  ASSERT_EQ(first.diagnostics.size(), 1u);
  EXPECT_EQ(first.diagnostics[0].code, "uprank.inventory.unsupported_version");
  Inventory second = read_cyclonedx(early, "early.json");
  ASSERT_EQ(second.components.size(), 3u);
  EXPECT_EQ(second.components[1].depends_on, std::vector<std::string>{"a@3"});
  EXPECT_EQ(second.components[0].depends_on, std::vector<std::string>{"b"});
  EXPECT_TRUE(second.diagnostics.empty());
  // A late bomFormat that is not CycloneDX drops what was read: one error, no components.
  Inventory other = read_cyclonedx(R"({"components": [{"name": "a"}, {"version": "1"}], "bomFormat": "SPDX"})", "o.json");
  EXPECT_TRUE(other.components.empty());
  ASSERT_EQ(other.diagnostics.size(), 1u);
  EXPECT_EQ(other.diagnostics[0].code, "uprank.inventory.shape");
  // A syntax error after components were read leaves only the error.
  Inventory broken = read_cyclonedx("{\"bomFormat\": \"CycloneDX\", \"components\": [{\"name\": \"a\"}], \"x\": [1,,]}", "b.json");
  EXPECT_TRUE(broken.components.empty());
  ASSERT_EQ(broken.diagnostics.size(), 1u);
  EXPECT_EQ(broken.diagnostics[0].code, "uprank.inventory.syntax");
}

TEST(CycloneDx, ComponentLimitStopsTheListWithOneError) {
  ReadOptions options;
  options.max_components = 2;
  Inventory inventory = read_cyclonedx(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]})", "l.json", options);
  EXPECT_EQ(inventory.components.size(), 2u);
  ASSERT_EQ(inventory.diagnostics.size(), 1u);
  EXPECT_EQ(inventory.diagnostics[0].code, "uprank.inventory.too_large");
  EXPECT_EQ(inventory.diagnostics[0].range.begin.line, 2);  // at the third item, {"name": "c"}
  EXPECT_EQ(inventory.diagnostics[0].range.begin.column, 35);
  Inventory shape = read_cyclonedx(R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {"name": "a"}})", "s.json");
  EXPECT_TRUE(testing::has_code(shape, "uprank.inventory.shape"));
}

// What syft and cdxgen write per package (hashes, licenses, external references,
// properties): the reader keeps what it reads, skips the rest, and the default size bound
// holds 100,000 such components with room to spare (bench/sbom/run reads that file whole).
TEST(CycloneDx, FullMetadataComponentsAndTheDefaultBound) {
  std::string text = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [)";
  for (int i = 0; i < 1000; ++i) {
    std::string n = "package-" + std::to_string(i);
    text += std::string(i ? "," : "") + R"({"bom-ref": "ref-)" + std::to_string(i) + R"(", "type": "library", "author": "M <m@example.org>", "name": ")" +
            n + R"(", "version": "1.2.3", "description": "A utility library for the npm ecosystem",
      "hashes": [{"alg": "SHA-1", "content": "b6589fc6ab0dc82cf12099d1c2d40ab994e8410c"},
                 {"alg": "SHA-512", "content": "31bca02094eb78126a517b206a88c73cfa9ec6f704c7030d18212cace820f025f00bf0ea68dbf3f3a5436ca63b53bf7bf80ad8d5de7d8359d0b7fed9dbc3ab99"}],
      "licenses": [{"license": {"id": "MIT"}}], "cpe": "cpe:2.3:a:)" + n + ":" + n + R"(:1.2.3:*:*:*:*:*:*:*", "purl": "pkg:npm/)" + n + R"(@1.2.3",
      "externalReferences": [{"url": "https://registry.npmjs.org/)" + n + R"(/-/x.tgz", "hashes": [{"alg": "SHA-512", "content": "31bca02094eb78126a517b206a88c73cfa9ec6f704c7030d18212cace820f025f00bf0ea68dbf3f3a5436ca63b53bf7bf80ad8d5de7d8359d0b7fed9dbc3ab99"}], "type": "distribution"},
                             {"url": "git+https://github.com/example/)" + n + R"(.git", "type": "vcs"}],
      "properties": [{"name": "syft:package:foundBy", "value": "javascript-lock-cataloger"}, {"name": "syft:package:language", "value": "javascript"},
                     {"name": "syft:package:type", "value": "npm"}, {"name": "syft:location:0:path", "value": "/app/node_modules/)" + n + R"(/package.json"}]})";
  }
  text += "]}";
  Inventory inventory = read_cyclonedx(text, "full.json");
  ASSERT_EQ(inventory.components.size(), 1000u);
  EXPECT_TRUE(inventory.diagnostics.empty());
  const Component& last = inventory.components.back();
  EXPECT_EQ(last.purl, "pkg:npm/package-999@1.2.3");
  EXPECT_EQ(last.cpe, "cpe:2.3:a:package-999:package-999:1.2.3:*:*:*:*:*:*:*");
  EXPECT_EQ(last.attributes.at("property:syft:package:type"), "npm");
  EXPECT_EQ(last.attributes.size(), 7u);  // type, bom-ref, purl.type and four properties
  EXPECT_LT(100 * text.size() * 2, ReadOptions{}.max_sbom_bytes);  // 100,000 of them, twice over
}

// inventory_to_json writes components one at a time; the text must be what dumping the
// whole document with nlohmann (dump(2)) writes, byte for byte, whatever it holds: no
// component, one, nested attributes, pins, edges, services, diagnostics, non-ASCII.
TEST(InventoryJson, StreamedTextIsTheWholeDocumentsDump) {
  auto whole_dump = [](const std::string& text) { return nlohmann::ordered_json::parse(text).dump(2) + "\n"; };
  Inventory empty;
  EXPECT_EQ(inventory_to_json(empty), whole_dump(inventory_to_json(empty)));
  std::string path = fixtures() + "/sbom/cyclonedx/SBOM_juice-shop_v11.1.2_bom.json";
  Inventory read = read_inventory_paths({path}, ReadOptions{.products = &ProductMap::bundled()});
  ASSERT_GT(read.components.size(), 100u);
  read.components[0].name = "caf\xc3\xa9 \"quoted\"\ttab";
  read.components[0].tags = {"a", "b"};
  read.components[0].pin.kind = Component::VersionPin::Kind::kCycle;
  read.components[0].pin.cycle = "7";
  Service service;
  service.name = "svc";
  service.kind = "service";
  service.components = {read.components[1].name};
  read.services.push_back(service);
  read.diagnostics.push_back(make_diagnostic(Severity::kWarning, "x.y", "message", SourceLocation{"f", 1, 2}, "hint"));
  std::string text = inventory_to_json(read);
  EXPECT_EQ(text, whole_dump(text));
  EXPECT_EQ(nlohmann::json::parse(text)["components"].size(), read.components.size());
  Inventory one;
  one.components.push_back(read.components[2]);
  EXPECT_EQ(inventory_to_json(one), whole_dump(inventory_to_json(one)));
}

TEST(Spdx, MembersInAnyOrderReadAsTheWholeTree) {
  std::string text = R"({"relationships": [
      {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-b"}],
    "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1"},
                 {"SPDXID": "SPDXRef-b", "name": "b", "versionInfo": "2"}],
    "name": "doc", "spdxVersion": "SPDX-2.3",
    "relationships": [{"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-a"}]})";
  Inventory inventory = read_spdx(text, "s.json");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_TRUE(inventory.diagnostics.empty());
  EXPECT_EQ(inventory.components[0].depends_on, std::vector<std::string>{"b"});
  EXPECT_TRUE(inventory.components[1].depends_on.empty());  // the second `relationships` is not read
  EXPECT_EQ(inventory.components[1].attributes.at("sbom.subject"), "doc");
  Inventory graph = read_spdx(R"({"@graph": [{"type": "software_Package"}], "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"})", "g.json");
  EXPECT_TRUE(testing::has_code(graph, "uprank.inventory.unsupported_version"));
  EXPECT_TRUE(graph.components.empty());
  Inventory shape = read_spdx(R"({"spdxVersion": "SPDX-2.3", "packages": {"name": "a"}})", "p.json");
  EXPECT_TRUE(testing::has_code(shape, "uprank.inventory.shape"));
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

// Trivy's SPDX writer records a binary package's source in sourceInfo as
// "built package from: NAME VERSION" (its marshaler's SourcePackagePrefix, then SrcName and
// FormatSrcVersion); syft writes NOASSERTION where it knows no version.
TEST(Spdx, TrivySourceInfoAndNoassertionVersions) {
  std::string text = R"({"spdxVersion": "SPDX-2.3", "name": "debian:12.5", "packages": [
    {"name": "libssl3", "SPDXID": "SPDXRef-Package-1", "versionInfo": "3.0.11-1~deb12u2",
     "sourceInfo": "built package from: openssl 3.0.11-1~deb12u2",
     "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5"}]},
    {"name": "lodash", "SPDXID": "SPDXRef-a", "versionInfo": "NOASSERTION",
     "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:npm/lodash@4.17.20"}]}]})";
  Inventory inventory = read_spdx(text, "trivy.spdx.json");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].attributes.at("source_package"), "openssl");
  EXPECT_EQ(inventory.components[0].attributes.at("source_version"), "3.0.11-1~deb12u2");
  EXPECT_EQ(inventory.components[1].version_text, "");  // no value: the purl's is used (identity)
}

// Container images an SBOM lists are read as Dockerfile images are: Docker Hub's
// "docker.io/" and "library/" removed, the tag from the version field, else from the purl
// (a pkg:docker version; a pkg:oci `tag` qualifier, purl-spec's oci type, whose version is
// the digest, kept).
TEST(CycloneDx, ContainerComponentsAreImages) {
  std::string text = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"bom-ref": "c2", "type": "container", "name": "docker.io/library/node", "version": "18.20.4-bookworm-slim"},
    {"bom-ref": "c3", "type": "container", "name": "library/node", "version": "18.20.4"},
    {"bom-ref": "c", "type": "container", "name": "redis", "purl": "pkg:docker/redis@7.2.4"},
    {"bom-ref": "c7", "type": "container", "name": "postgres", "version": "sha256:abcd", "purl": "pkg:oci/postgres@sha256%3Aabcd?tag=12.4-alpine"},
    {"bom-ref": "c6", "type": "container", "name": "python", "purl": "pkg:oci/python@sha256%3Aabcd?repository_url=docker.io/library/python&tag=3.9.18-slim"}]})";
  Inventory inventory = read_cyclonedx(text, "containers.cdx.json");
  ASSERT_EQ(inventory.components.size(), 5u);
  for (const Component& component : inventory.components) EXPECT_EQ(component.kind, "container-image");
  EXPECT_EQ(inventory.components[0].name, "node@18.20.4-bookworm-slim");  // two "node" images: unique names
  EXPECT_EQ(inventory.components[0].version_text, "18.20.4-bookworm-slim");
  EXPECT_EQ(inventory.components[0].attributes.at("sbom.name"), "docker.io/library/node");
  EXPECT_EQ(inventory.components[1].name, "node@18.20.4");
  EXPECT_EQ(inventory.components[2].name, "redis");
  EXPECT_EQ(inventory.components[2].version_text, "7.2.4");
  EXPECT_TRUE(testing::has_code(inventory, "uprank.inventory.version_from_purl"));
  EXPECT_EQ(inventory.components[3].version_text, "12.4-alpine");
  EXPECT_EQ(inventory.components[3].attributes.at("digest"), "sha256:abcd");
  EXPECT_EQ(inventory.components[3].pin.kind, Component::VersionPin::Kind::kExact);
  EXPECT_EQ(inventory.components[4].name, "python");
  EXPECT_EQ(inventory.components[4].version_text, "3.9.18-slim");
}

// RFC 8259 4: "The names within an object SHOULD be unique", and when they are not, what
// a reader does is unpredictable. The trial's dupkeys.cdx.json gives `version` twice.
TEST(SbomReaders, WarnDuplicateKeysNamingTheJsonPath) {
  Inventory inventory = read_cyclonedx(
      "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[\n"
      " {\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.20\",\"version\":\"4.17.21\"},\n"
      " {\"type\":\"library\",\"name\":\"b\",\"version\":\"1\",\"properties\":[{\"name\":\"x\",\"name\":\"y\"}]}]}",
      "dup.json");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].version_text, "4.17.20");  // the first, as the warning says
  std::vector<std::string> messages;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == "uprank.inventory.duplicate_key") messages.push_back(diagnostic.message + " @" + std::to_string(diagnostic.range.begin.line));
  }
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].rfind("duplicate key: $.components[0].version is given more than once", 0), 0u) << messages[0];
  EXPECT_EQ(messages[1].rfind("duplicate key: $.components[1].properties[0].name is given", 0), 0u) << messages[1];
  EXPECT_NE(messages[0].find("@2"), std::string::npos);
  Inventory spdx = read_spdx(
      "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"SPDXID\":\"a\",\"name\":\"x\",\"name\":\"y\"}]}", "s.json");
  ASSERT_FALSE(spdx.diagnostics.empty());
  EXPECT_EQ(spdx.diagnostics[0].message.rfind("duplicate key: $.packages[0].name", 0), 0u);
}

// The JSON text as the whole document built with nlohmann and dumped (what
// inventory_to_json wrote before it streamed): the reference the streamed text must equal.
std::string dumped_whole(const Inventory& inventory) {
  using nlohmann::ordered_json;
  auto nullable = [](const std::string& text) { return text.empty() ? ordered_json(nullptr) : ordered_json(text); };
  auto location_json = [](const SourceLocation& location) {
    return ordered_json{{"file", location.file}, {"line", location.line}, {"column", location.column}};
  };
  ordered_json components = ordered_json::array();
  ordered_json unmapped = ordered_json::array();
  size_t mapped = 0;
  for (const Component& component : inventory.components) {
    ordered_json item;
    item["name"] = component.name;
    item["version"] = component.version_text;
    item["scheme"] = std::string(versions::scheme_name(component.scheme));
    item["version_parsed"] = component.version.has_value();
    if (!component.pin.exact()) {
      const Component::VersionPin& pin = component.pin;
      ordered_json pin_json{{"kind", std::string(pin.kind_name())}, {"text", pin.describe(component.version_text)}};
      if (!pin.cycle.empty()) pin_json["cycle"] = pin.cycle;
      if (!pin.codename.empty()) pin_json["codename"] = pin.codename;
      if (!pin.constraint.empty()) pin_json["constraint"] = pin.constraint;
      if (!pin.lowest.empty()) pin_json["lowest"] = pin.lowest;
      if (!pin.digest.empty()) pin_json["digest"] = pin.digest;
      item["pin"] = pin_json;
    }
    item["product"] = nullable(component.product);
    item["cycle"] = nullable(component.cycle);
    item["purl"] = nullable(component.purl);
    item["mapped"] = component.mapped();
    item["kind"] = component.kind;
    item["source"] = component.source;
    if (!component.identity.ecosystem.empty()) {
      ordered_json id{{"ecosystem", component.identity.osv_ecosystem()}, {"package", component.identity.name}};
      if (!component.identity.source_name.empty()) id["source_package"] = component.identity.source_name;
      if (!component.identity.release_origin.empty()) id["release_origin"] = component.identity.release_origin;
      item["identity"] = id;
    }
    item["location"] = location_json(component.location);
    if (!component.environment.empty()) item["environment"] = component.environment;
    if (!component.criticality.empty()) item["criticality"] = component.criticality;
    if (!component.exposure.empty()) item["exposure"] = component.exposure;
    if (!component.owner.empty()) item["owner"] = component.owner;
    if (!component.cluster.empty()) item["cluster"] = component.cluster;
    if (!component.service.empty()) item["service"] = component.service;
    if (!component.cpe.empty()) item["cpe"] = component.cpe;
    if (!component.tags.empty()) item["tags"] = component.tags;
    if (!component.depends_on.empty()) item["depends_on"] = component.depends_on;
    if (!component.attributes.empty()) {
      ordered_json attributes = ordered_json::object();
      for (const auto& [key, value] : component.attributes) attributes[key] = value;
      item["attributes"] = attributes;
    }
    components.push_back(item);
    if (component.mapped()) {
      ++mapped;
    } else {
      unmapped.push_back(component.name);
    }
  }
  ordered_json services = ordered_json::array();
  for (const Service& service : inventory.services) {
    ordered_json item{{"name", service.name}, {"kind", service.kind}};
    if (!service.environment.empty()) item["environment"] = service.environment;
    if (!service.criticality.empty()) item["criticality"] = service.criticality;
    if (!service.exposure.empty()) item["exposure"] = service.exposure;
    if (!service.owner.empty()) item["owner"] = service.owner;
    if (!service.cluster.empty()) item["cluster"] = service.cluster;
    if (!service.tags.empty()) item["tags"] = service.tags;
    item["components"] = service.components;
    item["location"] = location_json(service.location);
    services.push_back(item);
  }
  ordered_json diagnostics = ordered_json::array();
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    ordered_json item{{"severity", std::string(severity_name(diagnostic.severity))},
                      {"code", diagnostic.code},
                      {"message", diagnostic.message},
                      {"location", location_json(diagnostic.range.begin)}};
    if (!diagnostic.hint.empty()) item["hint"] = diagnostic.hint;
    diagnostics.push_back(item);
  }
  ordered_json root;
  root["components"] = components;
  root["services"] = services;
  root["diagnostics"] = diagnostics;
  root["summary"] = ordered_json{{"components", inventory.components.size()},
                                 {"mapped", mapped},
                                 {"unmapped", inventory.components.size() - mapped},
                                 {"files_skipped", skipped_files(inventory)},
                                 {"unmapped_components", unmapped}};
  return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

// Differential: the streamed JSON (report::internal::JsonOut) equals the whole document
// dumped by nlohmann, on every fixture SBOM and inventory read whole, and on hostile text
// (invalid UTF-8, control characters, quotes, a 100,000-byte name, every optional member).
TEST(InventoryJson, StreamedTextEqualsTheWholeDocumentDumpedOnFixturesAndHostileText) {
  std::vector<std::string> paths;
  for (const char* directory : {"/sbom/cyclonedx", "/sbom/spdx"}) {
    for (const std::string& path : files_in(fixtures() + directory, ".json")) paths.push_back(path);
  }
  paths.push_back(fixtures() + "/infra");
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    Inventory read = read_inventory_paths({path}, ReadOptions{.products = &ProductMap::bundled()});
    EXPECT_EQ(inventory_to_json(read), dumped_whole(read));
  }
  Inventory hostile = read_inventory_paths({fixtures() + "/sbom/cyclonedx/SBOM_juice-shop_v11.1.2_bom.json"},
                                           ReadOptions{.products = &ProductMap::bundled()});
  ASSERT_GT(hostile.components.size(), 3u);
  Component& odd = hostile.components[0];
  odd.name = "bad \xff\xfe utf-8 \xc3 and \x01\x1f control \"quoted\" \\ back";
  odd.version_text = "\xe2\x82";
  odd.attributes["k\x7f\xc3\xa9"] = "\xf0\x9f\x98\x80 \xed\xa0\x80";
  odd.environment = "prod";
  odd.criticality = "high";
  odd.exposure = "internet";
  odd.owner = "team \xff";
  odd.cluster = "c";
  odd.service = "s";
  odd.tags = {"a", "", "\xc0\x80"};
  odd.depends_on = {hostile.components[1].name};
  odd.pin.kind = Component::VersionPin::Kind::kRange;
  odd.pin.constraint = ">= 1, < 2";
  odd.pin.lowest = "1";
  odd.pin.digest = "sha256:abc";
  hostile.components[1].name = std::string(100000, 'x');
  hostile.components[2].attributes.clear();
  hostile.components[2].identity.source_name = "src";
  hostile.components[2].identity.release_origin = "purl";
  Service service;
  service.name = "svc \xff";
  service.kind = "host";
  service.owner = "o";
  service.tags = {"t"};
  hostile.services.push_back(service);
  hostile.services.push_back(Service{});
  hostile.diagnostics.push_back(make_diagnostic(Severity::kWarning, "x.y", "message \xff\n", SourceLocation{"f", 1, 2}, "hint"));
  EXPECT_EQ(inventory_to_json(hostile), dumped_whole(hostile));
  EXPECT_EQ(inventory_to_json(Inventory{}), dumped_whole(Inventory{}));
}

// make_names_unique's rounds, on names that collide only once renamed: "p@1" is unique
// until both "p" (version 1) become "p@1"; the two "q" have no version and one line.
// Each round renames every name that repeats then (docs/inventory.md's order: @version,
// then (file:line), then #n), and edges follow each file's renames.
TEST(MakeNamesUnique, NamesThatCollideOnlyOnceRenamed) {
  auto component = [](std::string name, std::string version, int line) {
    Component c;
    c.name = std::move(name);
    c.version_text = std::move(version);
    c.location = SourceLocation{"dir/f.json", line, 1};
    return c;
  };
  std::vector<Component> components = {component("p", "1", 1), component("p", "1", 2), component("p@1", "", 3),
                                       component("q", "", 4),  component("q", "", 4),  component("r", "2", 5)};
  components[5].depends_on = {"p@1", "q", "r"};
  internal::make_names_unique(components, 0);
  std::vector<std::string> names;
  for (const Component& c : components) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"p@1 (f.json:1)", "p@1 (f.json:2)", "p@1 (f.json:3)", "q (f.json:4)#1",
                                             "q (f.json:4)#2", "r"}));
  // Per file, a repeated old name maps to its last component's new name.
  EXPECT_EQ(components[5].depends_on, (std::vector<std::string>{"p@1 (f.json:3)", "q (f.json:4)#2", "r"}));
  EXPECT_EQ(components[0].identity.label, "p");
  EXPECT_EQ(components[2].identity.label, "p@1");
  EXPECT_EQ(components[5].identity.label, "r");  // every label is set once any name repeats
  std::vector<Component> unique = {component("a", "1", 1), component("b", "1", 2)};
  internal::make_names_unique(unique, 0);
  EXPECT_EQ(unique[0].name, "a");
  EXPECT_EQ(unique[0].identity.label, "");  // nothing repeats: nothing is touched
}

// A minified SBOM is one line: every component's column is counted in code points from
// that line's start (what editors and SARIF count), the '{' that opens it, and the count
// is linear (it counted from the line's start for each component, quadratic in the line).
TEST(CycloneDx, OneLineSbomWithNonAsciiTextGetsCodePointColumns) {
  std::string text = R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[)";
  const size_t count = 20000;
  for (size_t i = 0; i < count; ++i) {
    text += (i ? "," : "") + std::string(R"({"name":"café-)") + std::to_string(i) +
            R"(","version":"1.0","description":"dÃ©jÃ  vu â¬"})";
  }
  text += "]}";
  std::filesystem::path directory = std::filesystem::temp_directory_path() / "uprank-sbom-one-line";
  std::filesystem::create_directories(directory);
  std::string path = (directory / "one-line.cdx.json").string();
  std::ofstream(path, std::ios::binary) << text;
  Inventory inventory = read_inventory_paths({path});
  std::filesystem::remove_all(directory);
  ASSERT_EQ(inventory.components.size(), count);
  // The expected columns: each '{' after the first, counted in code points.
  std::vector<int> columns;
  int column = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    if (text[i] == '{' && i > 0) columns.push_back(column);
  }
  ASSERT_EQ(columns.size(), count);
  for (size_t i = 0; i < count; ++i) {
    ASSERT_EQ(inventory.components[i].location.line, 1);
    ASSERT_EQ(inventory.components[i].location.column, columns[i]) << i;
  }
}

// Deep equality of two JSON trees, offsets included.
bool same_tree(const internal::JsonValue& a, const internal::JsonValue& b) {
  if (a.kind != b.kind || a.text != b.text || a.offset != b.offset || a.keys != b.keys || a.items.size() != b.items.size()) {
    return false;
  }
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (!same_tree(a.items[i], b.items[i])) return false;
  }
  return true;
}

// Differential: what the streaming reader is handed (internal::stream_json, items of
// `components` one at a time, `metadata` whole) is what the whole tree (internal::
// parse_json, the DOM the readers read before they streamed) holds there, offsets
// included, and a document either refuses gets the same error at the same offset. On a
// real SBOM cut at 120 points and corrupted at 120 more, and on hostile text: nesting at
// and over the limit, huge strings, every kind of value where an array or object is
// expected, keys given twice (the first is the one read), escapes and non-ASCII text.
TEST(StreamJson, HandsOverWhatTheWholeTreeHolds) {
  std::vector<std::string> inputs;
  const std::string real = read_file(fixtures() + "/sbom/cyclonedx/SBOM_laravel-7.12.0_bom.1.4.json");
  for (size_t i = 0; i < 120; ++i) inputs.push_back(real.substr(0, real.size() * i / 120));
  const std::string junk[] = {"\"", "{", "]", ",", "\\", std::string(1, '\0'), "null", "1e999", ":", "\\u12"};
  for (size_t i = 0; i < 120; ++i) {
    std::string corrupted = real;
    corrupted.replace(std::min(real.size() - 1, real.size() * i / 120 + 7 * i % 97), 1, junk[i % 10]);
    inputs.push_back(corrupted);
  }
  inputs.push_back(real);
  const std::string head = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", )";
  for (int depth : {61, 62, 63, 64, 65, 300}) {
    inputs.push_back(head + R"("components": [{"name": "a", "x": )" + std::string(depth, '[') + std::string(depth, ']') + "}]}");
    inputs.push_back(head + R"("metadata": )" + std::string(depth, '[') + std::string(depth, ']') + "}");
    std::string nested = head + R"("components": [)";
    for (int i = 0; i < depth; ++i) nested += R"({"name": "n", "components": [)";
    for (int i = 0; i < depth; ++i) nested += "]}";
    inputs.push_back(nested + "]}");
  }
  inputs.push_back(head + R"("components": [{"name": ")" + std::string(1 << 20, 'x') + R"(", "version": ")" +
                   std::string(300000, '\\') + R"("}]})");
  for (const char* value : {"1", "-2.5e3", "\"s\"", "null", "true", "[]", "{}", "[1, [2], {\"a\": 3}]"}) {
    inputs.push_back(head + R"("components": )" + value + "}");
    inputs.push_back(head + R"("metadata": )" + value + R"(, "components": [)" + value + R"(, {"name": )" + value + "}]}");
  }
  inputs.push_back(R"({"components": [{"name": "a", "name": "b"}], "components": [{"name": "c"}], "metadata": 1, "metadata": {}})");
  inputs.push_back("{\"components\": [{\"name\": \"caf\u00e9 \\\" \\u00e9 \\ud83d\\ude00 \xe2\x82\xac\"}]}");
  for (const char* text : {"", " ", "[]", "[{\"components\": []}]", "\"components\"", "{\"components\": [}", "{} {}", "{\"a\":1,}"}) {
    inputs.push_back(text);
  }
  size_t refused = 0, compared_items = 0;
  for (const std::string& text : inputs) {
    SCOPED_TRACE(text.substr(0, 200));
    auto whole = internal::parse_json(text, 64);
    std::vector<internal::JsonValue> items;
    std::vector<std::pair<std::string, internal::JsonValue>> members;
    internal::JsonStream stream;
    stream.streamed = {"components"};
    stream.kept = {"metadata", "bomFormat"};
    stream.on_item = [&](std::string_view, internal::JsonValue& item) { items.push_back(std::move(item)); };
    stream.on_member = [&](std::string_view key, internal::JsonValue& value) { members.emplace_back(std::string(key), std::move(value)); };
    auto streamed = internal::stream_json(text, 64, stream);
    ASSERT_EQ(whole.ok(), streamed.ok());
    if (!whole.ok()) {
      ++refused;
      EXPECT_EQ(whole.error().message, streamed.error().message);
      EXPECT_EQ(whole.error().where.column, streamed.error().where.column);
      continue;
    }
    EXPECT_EQ(whole->kind, streamed->kind);
    EXPECT_EQ(whole->offset, streamed->offset);
    if (!whole->is_object()) continue;
    const internal::JsonValue* list = whole->get("components");
    if (list && list->is_array()) {
      ASSERT_EQ(items.size(), list->items.size());
      for (size_t i = 0; i < items.size(); ++i) EXPECT_TRUE(same_tree(items[i], list->items[i])) << i;
      compared_items += items.size();
    } else {
      EXPECT_TRUE(items.empty());
    }
    for (const char* key : {"components", "metadata", "bomFormat"}) {
      const internal::JsonValue* expected = whole->get(key);
      auto got = std::find_if(members.begin(), members.end(), [&](const auto& member) { return member.first == key; });
      if (std::string_view(key) == "components" && expected && expected->is_array()) {
        EXPECT_TRUE(got == members.end());  // handed over item by item instead
      } else if (!expected) {
        EXPECT_TRUE(got == members.end()) << key;
      } else {
        ASSERT_TRUE(got != members.end()) << key;
        EXPECT_TRUE(same_tree(got->second, *expected)) << key;
      }
    }
  }
  EXPECT_GT(refused, 150u);          // the cuts, most corruptions, the depths over the limit
  EXPECT_GT(compared_items, 1000u);  // the whole SBOM and the corruptions that stay JSON
}

// A CycloneDX file past TextRelease::kFrom (16 MiB) read from disk has its text's pages
// given back as the reader streams past them: the inventory is the one its text gives
// read whole (names, versions, locations, edges and diagnostics, a syntax error after the
// released part included).
TEST(CycloneDx, LargeFileReadReleasingItsTextReadsAsTheWholeText) {
  std::string text = R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [)";
  for (size_t i = 0; text.size() < (size_t{17} << 20); ++i) {
    text += (i ? ",\n" : "\n") + std::string(R"({"type": "library", "bom-ref": "r)") + std::to_string(i) + R"(", "name": "package-)" +
            std::to_string(i % 1000) + R"(", "version": ")" + std::to_string(i % 7) + R"(.0", "purl": "pkg:npm/package-)" +
            std::to_string(i % 1000) + "@" + std::to_string(i % 7) + R"(.0", "licenses": [{"license": {"id": "MIT"}}]})";
  }
  text += R"(], "dependencies": [{"ref": "r1", "dependsOn": ["r2", "r3"]}, {"ref": "r4", "dependsOn": ["r1"]}]})";
  std::filesystem::path directory = std::filesystem::temp_directory_path() / "uprank-sbom-release";
  std::filesystem::create_directories(directory);
  std::string path = (directory / "large.cdx.json").string();
  for (const std::string& written : {text, text.substr(0, text.size() - 40) + "}}"}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << written;
    Inventory from_file = read_inventory_paths({path});
    Inventory whole = read_cyclonedx(written, path);
    internal::make_names_unique(whole.components, 0);
    ASSERT_EQ(from_file.components.size(), whole.components.size());
    for (size_t i = 0; i < whole.components.size(); ++i) {
      ASSERT_EQ(from_file.components[i].name, whole.components[i].name) << i;
      ASSERT_EQ(from_file.components[i].version_text, whole.components[i].version_text) << i;
      ASSERT_EQ(from_file.components[i].location, whole.components[i].location) << i;
      ASSERT_EQ(from_file.components[i].depends_on, whole.components[i].depends_on) << i;
    }
    std::vector<std::string> got, want;
    for (const Diagnostic& diagnostic : from_file.diagnostics) got.push_back(diagnostic.code + " " + diagnostic.message + " " + diagnostic.range.begin.to_string());
    for (const Diagnostic& diagnostic : whole.diagnostics) want.push_back(diagnostic.code + " " + diagnostic.message + " " + diagnostic.range.begin.to_string());
    std::erase_if(got, [](const std::string& line) { return line.rfind("uprank.inventory.skipped", 0) == 0; });
    EXPECT_EQ(got, want);
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace uprank::inventory
