// `uprank inventory` end to end: the dpkg acceptance check against dpkg-query, SBOM
// counts through the JSON output, and exit codes on bad input.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"
#include "tests/run_command.h"

namespace {

using uprank::test_support::CommandResult;

CommandResult run_cli(const std::string& arguments) {
  return uprank::test_support::run_command(std::string(UPRANK_INVENTORY_CLI) + " " + arguments + " 2>/dev/null");
}

std::map<std::string, std::string> dpkg_query_installed() {
  std::map<std::string, std::string> installed;
  FILE* pipe = popen("dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\\n' 2>/dev/null", "r");
  if (!pipe) return installed;
  char line[4096];
  while (fgets(line, sizeof line, pipe)) {
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    size_t first = text.find(' '), second = text.find(' ', first + 1);
    if (second == std::string::npos || text.substr(0, first) != "installed") continue;
    installed[text.substr(first + 1, second - first - 1)] = text.substr(second + 1);
  }
  pclose(pipe);
  return installed;
}

TEST(InventoryCli, DpkgStatusMatchesDpkgQuery) {
  if (!std::filesystem::exists("/var/lib/dpkg/status")) GTEST_SKIP() << "no dpkg database here";
  CommandResult result = run_cli("inventory /var/lib/dpkg/status --format json");
  ASSERT_EQ(result.status, 0);
  auto document = nlohmann::json::parse(result.out);
  std::map<std::string, std::string> listed;
  for (const auto& component : document["components"]) {
    EXPECT_EQ(component["scheme"], "deb");
    EXPECT_EQ(component["location"]["file"], "/var/lib/dpkg/status");
    listed[component["name"].get<std::string>()] = component["version"].get<std::string>();
  }
  std::map<std::string, std::string> expected = dpkg_query_installed();
  EXPECT_EQ(document["components"].size(), expected.size());
  EXPECT_EQ(listed, expected);
}

TEST(InventoryCli, JsonShapeAndSbomCounts) {
  std::string path = uprank::inventory::testing::fixtures() + "/sbom/cyclonedx/SBOM_dropwizard-1.3.15_bom.json";
  CommandResult result = run_cli("inventory '" + path + "' --format json");
  ASSERT_EQ(result.status, 0);
  auto document = nlohmann::json::parse(result.out);
  ASSERT_EQ(document["components"].size(), 167u);
  for (const auto& component : document["components"]) {
    for (const char* key : {"name", "version", "scheme", "product", "purl", "location"}) EXPECT_TRUE(component.contains(key)) << key;
    EXPECT_TRUE(component["product"].is_null() || component["product"].is_string());
    EXPECT_TRUE(component["location"]["line"].is_number());
  }
  EXPECT_EQ(document["summary"]["components"], 167);
}

TEST(InventoryCli, ExitCodes) {
  std::string directory = ::testing::TempDir() + "/uprank_cli_exit";
  std::filesystem::create_directories(directory);
  std::string bad = directory + "/broken.cdx.json";
  std::string good = directory + "/Dockerfile";
  { std::ofstream(bad) << "{\"bomFormat\": \"CycloneDX\", \"components\": [\n"; }
  { std::ofstream(good) << "FROM postgres:16.1\n"; }
  EXPECT_EQ(run_cli("inventory '" + bad + "' '" + good + "'").status, 0);          // the other file was read
  EXPECT_EQ(run_cli("inventory '" + bad + "'").status, 2);                         // nothing usable
  EXPECT_EQ(run_cli("inventory --strict '" + bad + "' '" + good + "'").status, 2);  // any error is fatal
  EXPECT_EQ(run_cli("inventory --type cobol '" + good + "'").status, 2);
  EXPECT_EQ(run_cli("inventory '" + good + "' --type dockerfile --format json").status, 0);
  CommandResult table = run_cli("inventory '" + good + "'");
  EXPECT_NE(table.out.find("postgresql (16)"), std::string::npos) << table.out;
}

TEST(InventoryCli, ConfigAddsProductsAndExtractors) {
  std::string directory = ::testing::TempDir() + "/uprank_cli_config";
  std::filesystem::create_directories(directory + "/repo");
  { std::ofstream(directory + "/repo/versions.env") << "KAFKA_VERSION=3.6.1\n"; }
  {
    std::ofstream(directory + "/uprank.yaml") << "extractors:\n  - glob: '*.env'\n"
                                                 "    pattern: '(?m)^(?P<name>[A-Z]+)_VERSION=(?P<version>\\S+)$'\n"
                                                 "products:\n  - product: apache-kafka\n    cycle: minor\n    names: [KAFKA]\n";
  }
  CommandResult result = run_cli("--config '" + directory + "/uprank.yaml' inventory '" + directory + "/repo' --format json");
  ASSERT_EQ(result.status, 0);
  auto document = nlohmann::json::parse(result.out);
  ASSERT_EQ(document["components"].size(), 1u);
  EXPECT_EQ(document["components"][0]["product"], "apache-kafka");
  EXPECT_EQ(document["components"][0]["cycle"], "3.6");
}

// The SBOM size bound is a setting: --max-sbom-mib wins over uprank.yaml's max_sbom_mib,
// and a refused file names the bound and the setting that raises it.
TEST(InventoryCli, SbomSizeLimitIsASetting) {
  std::string directory = ::testing::TempDir() + "/uprank_cli_sbom_limit";
  std::filesystem::create_directories(directory);
  std::string sbom = directory + "/big.cdx.json";
  {
    std::ofstream out(sbom);
    out << "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [\n";
    for (int i = 0; i < 12'000; ++i) {
      out << (i ? ",\n" : "") << "{\"type\": \"library\", \"name\": \"package-" << i
          << "\", \"version\": \"1.0.0\", \"purl\": \"pkg:npm/package-" << i << "@1.0.0\", \"description\": \""
          << std::string(40, 'x') << "\"}";
    }
    out << "\n]}\n";
  }
  ASSERT_GT(std::filesystem::file_size(sbom), size_t{1} << 20);
  auto run_all = [](const std::string& arguments) {
    return uprank::test_support::run_command(std::string(UPRANK_INVENTORY_CLI) + " " + arguments + " 2>&1");
  };
  CommandResult read = run_cli("inventory '" + sbom + "' --format json");
  ASSERT_EQ(read.status, 0);
  EXPECT_EQ(nlohmann::json::parse(read.out)["components"].size(), 12'000u);

  CommandResult refused = run_all("--max-sbom-mib 1 inventory '" + sbom + "'");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.out.find("larger than 1 MiB"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("max_sbom_mib"), std::string::npos) << refused.out;

  std::string config = directory + "/uprank.yaml";
  { std::ofstream(config) << "max_sbom_mib: 1\n"; }
  EXPECT_EQ(run_all("--config '" + config + "' inventory '" + sbom + "'").status, 2);
  EXPECT_EQ(run_all("--config '" + config + "' --max-sbom-mib 2 inventory '" + sbom + "'").status, 0);
  { std::ofstream(config) << "max_sbom_mib: 0\n"; }
  CommandResult bad = run_all("--config '" + config + "' inventory '" + sbom + "'");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("'max_sbom_mib' must be a whole number of MiB"), std::string::npos) << bad.out;
}

}  // namespace
