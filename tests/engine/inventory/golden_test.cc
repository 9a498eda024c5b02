// Golden test: the infra fixture repositories (shared, read in place) plus the
// project's own Dockerfile, Terraform and workflow inputs, walked as directories.
// Every image, chart, provider and engine pin with its line and column.
// Refresh on purpose: UPRANK_UPDATE_GOLDEN=1 ctest -R Golden
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

std::string relative(const std::string& path) {
  for (const auto& [root, label] : {std::pair{testing::fixtures() + "/infra/", std::string("fixtures:infra/")},
                                    std::pair{testing::test_data() + "/repo/", std::string("repo:")}}) {
    if (path.rfind(root, 0) == 0) return label + path.substr(root.size());
  }
  return path;
}

std::string render(const Inventory& inventory) {
  std::string out;
  for (const Component& component : inventory.components) {
    out += relative(component.location.file) + ":" + std::to_string(component.location.line) + ":" +
           std::to_string(component.location.column) + "\t" + component.kind + "\t" + component.name + "\t" +
           (component.version_text.empty() ? "-" : component.version_text) + "\t" +
           (component.product.empty() ? "-" : component.product + (component.cycle.empty() ? "" : " " + component.cycle)) + "\n";
  }
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    out += std::string(severity_name(diagnostic.severity)) + "\t" + relative(diagnostic.range.begin.file) + ":" +
           std::to_string(diagnostic.range.begin.line) + ":" + std::to_string(diagnostic.range.begin.column) + "\t" +
           diagnostic.code + "\n";
  }
  return out;
}

TEST(Golden, InfraRepositories) {
  ReadOptions options;
  options.products = &ProductMap::bundled();
  Inventory inventory = read_inventory_paths({testing::fixtures() + "/infra", testing::test_data() + "/repo"}, options);
  std::string actual = render(inventory);
  std::string golden = std::string(UPRANK_SOURCE_DIR) + "/tests/engine/inventory/golden/infra.txt";
  if (std::getenv("UPRANK_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << golden;
  }
  EXPECT_EQ(actual, testing::read_file(golden));
}

}  // namespace
}  // namespace uprank::inventory
