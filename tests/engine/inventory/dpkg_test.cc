// dpkg status files: the fixture's edge cases, and a differential test against
// dpkg-query on this machine.
#include <cstdio>
#include <map>

#include <gtest/gtest.h>

#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

TEST(Dpkg, FixtureEdgeCases) {
  std::string path = testing::fixtures() + "/dpkg/status.d-multiple";
  Inventory inventory = read_dpkg_status(testing::read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 2u);
  const Component& tzdata = inventory.components[0];
  EXPECT_EQ(tzdata.name, "tzdata");
  EXPECT_EQ(tzdata.version_text, "2020a-0+deb10u1");
  EXPECT_EQ(tzdata.scheme, versions::Scheme::kDeb);
  EXPECT_EQ(tzdata.attributes.at("source_package"), "tzdata-dev");
  EXPECT_EQ(tzdata.attributes.at("architecture"), "all");
  EXPECT_EQ(tzdata.location, (SourceLocation{path, 5, 1}));
  EXPECT_EQ(tzdata.purl, "pkg:deb/debian/tzdata@2020a-0%2Bdeb10u1?arch=all");
  EXPECT_EQ(inventory.components[1].name, "util-linux");
  EXPECT_EQ(inventory.components[1].location.line, 26);
  // The empty Package stanza and the one without a Version are reported, not read.
  EXPECT_EQ(inventory.diagnostics.size(), 2u);
  EXPECT_FALSE(has_errors(inventory.diagnostics));
}

TEST(Dpkg, OnlyInstalledPackagesWithSourceVersions) {
  std::string text =
      "Package: kept\nStatus: install ok installed\nArchitecture: amd64\nSource: upstream (1.2-3)\nVersion: 1.2-3+b1\n"
      "Description: x\n continuation: not a field\n\n"
      "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
      "Package: half\nStatus: install reinstreq half-installed\nVersion: 2.0\n\n"
      "Package: kept\nStatus: install ok installed\nArchitecture: i386\nVersion: 1.2-3+b1\n";
  Inventory inventory = read_dpkg_status(text, "status");
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].attributes.at("source_package"), "upstream");
  EXPECT_EQ(inventory.components[0].attributes.at("source_version"), "1.2-3");
  EXPECT_EQ(inventory.components[1].name, "kept:i386");  // Multi-Arch: same
}

// Runs dpkg-query and returns package -> version for installed packages.
std::map<std::string, std::string> dpkg_query_installed() {
  std::map<std::string, std::string> installed;
  FILE* pipe = popen("dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\\n' 2>/dev/null", "r");
  if (!pipe) return installed;
  char line[4096];
  while (fgets(line, sizeof line, pipe)) {
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    size_t first = text.find(' ');
    size_t second = text.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    if (text.substr(0, first) != "installed") continue;
    installed[text.substr(first + 1, second - first - 1)] = text.substr(second + 1);
  }
  pclose(pipe);
  return installed;
}

TEST(Dpkg, MatchesDpkgQueryOnThisMachine) {
  std::string path = "/var/lib/dpkg/status";
  std::string text = testing::read_file(path);
  if (text.empty()) GTEST_SKIP() << "no dpkg database here";
  std::map<std::string, std::string> expected = dpkg_query_installed();
  ASSERT_FALSE(expected.empty());
  Inventory inventory = read_dpkg_status(text, path);
  std::map<std::string, std::string> read;
  for (const Component& component : inventory.components) read[component.attributes.at("package")] = component.version_text;
  EXPECT_EQ(inventory.components.size(), expected.size());
  EXPECT_EQ(read, expected);
}

}  // namespace
}  // namespace uprank::inventory
