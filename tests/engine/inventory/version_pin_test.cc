// Version pins: what real image tags, tool version files and constraints pin, before and
// after the product map settles them (docs/inventory.md, "Version pins").
#include "engine/inventory/version_pin.h"

#include <gtest/gtest.h>

#include "engine/inventory/internal.h"
#include "engine/inventory/product_map.h"
#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

using Kind = VersionPin::Kind;

struct PinCase {
  const char* input;
  Kind kind;
  const char* cycle;     // pin.cycle after the product map
  const char* codename;
  const char* lowest;
  const char* product;   // product the map names ("" for none)
  const char* version;   // version_text after the map
};

class ImageTagPins : public ::testing::TestWithParam<PinCase> {};

TEST_P(ImageTagPins, SettleThroughTheProductMap) {
  const PinCase& c = GetParam();
  auto reference = internal::parse_image_reference(c.input);
  ASSERT_TRUE(reference.has_value());
  Inventory inventory;
  inventory.components.push_back(internal::image_component(*reference, "test", {"f", 1, 1}));
  ProductMap::bundled().apply(inventory);
  const Component& component = inventory.components[0];
  EXPECT_EQ(component.pin.kind, c.kind) << c.input;
  EXPECT_EQ(component.pin.cycle, c.cycle) << c.input;
  EXPECT_EQ(component.pin.codename, c.codename) << c.input;
  EXPECT_EQ(component.product, c.product) << c.input;
  EXPECT_EQ(component.version_text, c.version) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Tags, ImageTagPins,
    ::testing::Values(
        // Floating tags and partial versions are line pins, variants stripped.
        PinCase{"redis:7", Kind::kCycle, "7", "", "", "redis", "7"},
        PinCase{"node:22-alpine", Kind::kCycle, "22", "", "", "nodejs", "22"},
        PinCase{"node:22.1-alpine", Kind::kCycle, "22.1", "", "", "nodejs", "22.1"},
        PinCase{"rabbitmq:3-management", Kind::kCycle, "3", "", "", "rabbitmq", "3"},
        PinCase{"postgres:16", Kind::kCycle, "16", "", "", "postgresql", "16"},
        PinCase{"python:3.12-slim-bookworm", Kind::kCycle, "3.12", "", "", "python", "3.12"},
        // Full versions stay exact.
        PinCase{"postgres:16.1", Kind::kExact, "", "", "", "postgresql", "16.1"},
        PinCase{"node:22.12.0-bookworm-slim", Kind::kExact, "", "", "", "nodejs", "22.12.0"},
        PinCase{"redis:7.2.4-alpine@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", Kind::kExact,
                "", "", "", "redis", "7.2.4"},
        // A pre-release is part of the version, and names one build, not a line: the
        // variant after it is cut, never the pre-release (an rc2 image is not 3.13.0).
        PinCase{"python:3.13.0rc2-slim", Kind::kExact, "", "", "", "python", "3.13.0rc2"},
        PinCase{"python:3.14.0a1-bookworm", Kind::kExact, "", "", "", "python", "3.14.0a1"},
        PinCase{"node:22.0.0-rc.1-alpine", Kind::kExact, "", "", "", "nodejs", "22.0.0-rc.1"},
        PinCase{"golang:1.23rc1-bookworm", Kind::kExact, "", "", "", "go", "1.23rc1"},
        PinCase{"postgres:17beta3", Kind::kExact, "", "", "", "postgresql", "17beta3"},
        PinCase{"postgres:17rc1-alpine3.20", Kind::kExact, "", "", "", "postgresql", "17rc1"},
        PinCase{"redis:7.4-rc2-alpine", Kind::kExact, "", "", "", "redis", "7.4-rc2"},
        // Codenames resolve against the end-of-life data at evaluation, or the map's table.
        PinCase{"debian:bookworm", Kind::kCycle, "", "bookworm", "", "debian", "bookworm"},
        PinCase{"debian:bookworm-slim", Kind::kCycle, "", "bookworm", "", "debian", "bookworm-slim"},
        PinCase{"ubuntu:jammy-20240101", Kind::kCycle, "", "jammy", "", "ubuntu", "jammy-20240101"},
        PinCase{"node:iron-alpine", Kind::kCycle, "20", "iron", "", "nodejs", "iron-alpine"},
        PinCase{"node:lts-slim", Kind::kCycle, "", "lts/*", "", "nodejs", "lts-slim"},
        // Digests and moving tags name no version.
        PinCase{"postgres@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", Kind::kDigest, "",
                "", "", "postgresql", "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"},
        PinCase{"nginx:latest", Kind::kUnknown, "", "", "", "nginx", "latest"},
        PinCase{"nginx:alpine", Kind::kUnknown, "", "", "", "nginx", "alpine"},
        PinCase{"nginx", Kind::kUnknown, "", "", "", "nginx", ""}));

struct ToolCase {
  const char* file;  // as --type names it
  const char* text;
  Kind kind;
  const char* cycle;
  const char* codename;
  const char* lowest;
};

class ToolFilePins : public ::testing::TestWithParam<ToolCase> {};

TEST_P(ToolFilePins, SettleThroughTheProductMap) {
  const ToolCase& c = GetParam();
  Inventory inventory = read_text(*parse_format(c.file), c.text, "f");
  ASSERT_EQ(inventory.components.size(), 1u) << c.text;
  ProductMap::bundled().apply(inventory);
  const Component& component = inventory.components[0];
  EXPECT_EQ(component.pin.kind, c.kind) << c.text;
  EXPECT_EQ(component.pin.cycle, c.cycle) << c.text;
  EXPECT_EQ(component.pin.codename, c.codename) << c.text;
  EXPECT_EQ(component.pin.lowest, c.lowest) << c.text;
  if (!component.pin.exact()) EXPECT_FALSE(component.version.has_value()) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Files, ToolFilePins,
    ::testing::Values(ToolCase{"nvmrc", "lts/*\n", Kind::kCycle, "", "lts/*", ""},
                      ToolCase{"nvmrc", "lts/iron\n", Kind::kCycle, "20", "iron", ""},
                      ToolCase{"nvmrc", "lts/Jod\n", Kind::kCycle, "22", "jod", ""},
                      ToolCase{"nvmrc", "v20.11.0\n", Kind::kExact, "", "", ""},
                      ToolCase{"nvmrc", "20\n", Kind::kCycle, "20", "", ""},
                      ToolCase{"nvmrc", "node\n", Kind::kUnknown, "", "", ""},
                      ToolCase{"nvmrc", "^18\n", Kind::kRange, "", "", "18"},
                      ToolCase{"python-version", "3.12\n", Kind::kCycle, "3.12", "", ""},
                      ToolCase{"python-version", "3.12.4\n", Kind::kExact, "", "", ""},
                      ToolCase{"python-version", "3.13.0rc2\n", Kind::kExact, "", "", ""},
                      ToolCase{"terraform-version", "1.5.7\n", Kind::kExact, "", "", ""},
                      ToolCase{"terraform-version", "latest\n", Kind::kUnknown, "", "", ""},
                      ToolCase{"tool-versions", "nodejs 18\n", Kind::kCycle, "18", "", ""},
                      ToolCase{"tool-versions", "python ref:v3.12.0\n", Kind::kUnknown, "", "", ""}));

struct ConstraintCase {
  const char* text;
  Kind kind;
  const char* lowest;
  const char* cycle;
};

class Constraints : public ::testing::TestWithParam<ConstraintCase> {};

TEST_P(Constraints, LowestAllowedVersion) {
  const ConstraintCase& c = GetParam();
  VersionPin pin = pin_of_constraint(c.text);
  EXPECT_EQ(pin.kind, c.kind) << c.text;
  EXPECT_EQ(pin.lowest, c.lowest) << c.text;
  EXPECT_EQ(pin.cycle, c.cycle) << c.text;
  if (pin.kind == Kind::kRange) EXPECT_EQ(pin.constraint, c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, Constraints,
    ::testing::Values(ConstraintCase{"~> 1.5.0", Kind::kRange, "1.5.0", ""},   // Terraform: >= 1.5.0, < 1.6
                      ConstraintCase{"~> 1.5", Kind::kRange, "1.5", ""},       // >= 1.5, < 2
                      ConstraintCase{">= 13, < 16", Kind::kRange, "13", ""},
                      ConstraintCase{">= 1.3.0", Kind::kRange, "1.3.0", ""},
                      ConstraintCase{"< 16", Kind::kRange, "0", ""},             // no lower bound
                      ConstraintCase{"^18", Kind::kRange, "18", ""},
                      ConstraintCase{">=1.2 <2 || >=0.9 <1", Kind::kRange, "0.9", ""},
                      ConstraintCase{"= 1.5.7", Kind::kExact, "1.5.7", ""},
                      ConstraintCase{"5.31.0", Kind::kExact, "5.31.0", ""},
                      ConstraintCase{"1.x", Kind::kCycle, "", "1"},
                      ConstraintCase{"1.5.*", Kind::kCycle, "", "1.5"},
                      ConstraintCase{">=", Kind::kUnknown, "", ""}));

TEST(VersionPin, TerraformConstraintsAreRangesOfTheirLowestCycle) {
  Inventory inventory = read_text(Format::kTerraform,
                                  "terraform {\n  required_version = \"~> 1.5.0\"\n}\n"
                                  "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  engine_version = \"15\"\n}\n",
                                  "main.tf");
  ProductMap::bundled().apply(inventory);
  ASSERT_EQ(inventory.components.size(), 2u);
  const Component& terraform = inventory.components[0];
  EXPECT_EQ(terraform.pin.kind, Kind::kRange);
  EXPECT_EQ(terraform.cycle, "1.5");
  EXPECT_EQ(terraform.pin.describe(terraform.version_text), "~> 1.5.0 (range pin, lowest allowed 1.5.0)");
  const Component& rds = inventory.components[1];  // RDS: "15" upgrades minor versions itself
  EXPECT_EQ(rds.product, "amazon-rds-postgresql");
  EXPECT_EQ(rds.pin.kind, Kind::kCycle);
  EXPECT_EQ(rds.cycle, "15");
}

// What the product map keeps of a tag and what the solver writes back after a target.
TEST(VersionPin, SplitsImageTagsIntoVersionAndVariant) {
  struct Case {
    const char* tag;
    const char* version;
    const char* variant;
  };
  for (const Case& c : {Case{"3.13.0rc2-slim", "3.13.0rc2", "-slim"}, Case{"22.0.0-rc.1-alpine", "22.0.0-rc.1", "-alpine"},
                        Case{"1.23rc1-bookworm", "1.23rc1", "-bookworm"}, Case{"17beta3", "17beta3", ""},
                        Case{"8.0.0-preview.7-jammy", "8.0.0-preview.7", "-jammy"}, Case{"3.12-slim-bookworm", "3.12", "-slim-bookworm"},
                        Case{"16.4-alpine", "16.4", "-alpine"}, Case{"v1.2.3", "1.2.3", ""}, Case{"9.6p1", "9.6p1", ""},
                        Case{"20.11.0+build5-alpine", "20.11.0", "-alpine"}, Case{"17.0.9+9", "17.0.9", ""}, Case{"7.17.10_1", "7.17.10_1", ""},
                        Case{"1.2.3-r1", "1.2.3", "-r1"}, Case{"4-management", "4", "-management"},
                        Case{"1.2-rcx", "1.2", "-rcx"}, Case{"iron-alpine", "", "-alpine"}, Case{"lts", "", ""},
                        Case{"bookworm-20240110-slim", "", "-slim"}, Case{"jammy-20240101", "", ""}}) {
    TagParts parts = split_image_tag(c.tag);
    EXPECT_EQ(parts.version, c.version) << c.tag;
    EXPECT_EQ(parts.variant, c.variant) << c.tag;
  }
}

TEST(VersionPin, DescribesItself) {
  VersionPin line;
  line.kind = Kind::kCycle;
  line.cycle = "7";
  EXPECT_EQ(line.describe("7"), "7 (line pin, patch unknown)");
  EXPECT_EQ(line.kind_name(), "line");
  VersionPin exact;
  EXPECT_EQ(exact.describe("16.1"), "16.1");
  VersionPin digest = pin_of_image_tag("", "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
  EXPECT_EQ(digest.describe(""), "sha256:4f53cda18c2b… (digest pin, version unknown)");
}

TEST(VersionPin, NativeInventoriesNameInstalledVersions) {
  // Like SBOM and dpkg packages, a native inventory states what is installed: exact.
  Inventory inventory = read_native_inventory(
      "components:\n  - {name: db, product: postgresql, version: \"12.4\"}\n  - {name: cache, product: redis, version: \"7\"}\n",
      "inventory.yaml");
  ProductMap::bundled().apply(inventory);
  ASSERT_EQ(inventory.components.size(), 2u);
  for (const Component& component : inventory.components) {
    EXPECT_TRUE(component.pin.exact()) << component.name;
    EXPECT_TRUE(component.version.has_value()) << component.name;
  }
}

// GitHub's dependency-graph SPDX export (trial sbom github-depgraph.spdx.json) puts the
// manifest's requirement in versionInfo when there is no lockfile: ">= 1.0" (pip),
// "~> 2.2" (rubygems), "4.*.*" (actions). Those are ranges and lines, never exact versions.
TEST(VersionPin, SbomVersionFieldHoldingARequirement) {
  EXPECT_EQ(pin_of_sbom_version(">= 1.0").kind, VersionPin::Kind::kRange);
  EXPECT_EQ(pin_of_sbom_version(">= 1.0").lowest, "1.0");
  EXPECT_EQ(pin_of_sbom_version("~> 2.2").kind, VersionPin::Kind::kRange);
  EXPECT_EQ(pin_of_sbom_version("4.*.*").kind, VersionPin::Kind::kCycle);
  EXPECT_EQ(pin_of_sbom_version("^1.2 || ^2").kind, VersionPin::Kind::kRange);
  for (const char* exact : {"4.17.20", "2.14.1", "v0.52.0", "1:3.0.11-1+deb12u2", "2.0-rc1", "5.2.19.RELEASE", ""}) {
    EXPECT_TRUE(pin_of_sbom_version(exact).exact()) << exact;
  }
}

}  // namespace
}  // namespace uprank::inventory
