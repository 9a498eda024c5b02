// CycloneDX and SPDX fixtures: counts computed independently with nlohmann::json, and
// every component's location must point at the '{' that opens it.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace uprank::inventory
