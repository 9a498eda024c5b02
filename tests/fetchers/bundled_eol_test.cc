// The end-of-life data bundled with uprank (data/github-runner-images.json): it parses, it
// carries the retirement dates GitHub announced, and every runner family the product map
// knows has its product there.
#include <gtest/gtest.h>

#include "engine/inventory/product_map.h"
#include "fetchers/bundled_eol.h"

namespace uprank::fetch {
namespace {

const facts::EolCycle* cycle_of(std::string_view product, std::string_view cycle) {
  for (const facts::EolProduct& bundled : bundled_eol_products()) {
    if (bundled.name != product) continue;
    for (const facts::EolCycle& candidate : bundled.cycles) {
      if (candidate.cycle == cycle) return &candidate;
    }
  }
  return nullptr;
}

// Each date is the one the image's announcement in actions/runner-images names as the
// final retirement ("fully unsupported by"), cited in the data beside it.
TEST(BundledEol, RunnerImageRetirementDatesFromGithubsAnnouncements) {
  struct Expected {
    const char* product;
    const char* cycle;
    const char* retired;
    const char* source;
  };
  const Expected expected[] = {
      {"github-runner-ubuntu", "20.04", "2025-04-15", "https://github.com/actions/runner-images/issues/11101"},
      {"github-runner-ubuntu", "18.04", "2023-04-03", "https://github.com/actions/runner-images/issues/6002"},
      {"github-runner-windows", "2019", "2025-06-30", "https://github.com/actions/runner-images/issues/12045"},
      {"github-runner-macos", "12", "2024-12-03", "https://github.com/actions/runner-images/issues/10721"},
      {"github-runner-macos", "13", "2025-12-08", "https://github.com/actions/runner-images/issues/13046"},
  };
  for (const Expected& item : expected) {
    const facts::EolCycle* cycle = cycle_of(item.product, item.cycle);
    ASSERT_NE(cycle, nullptr) << item.product << " " << item.cycle;
    ASSERT_TRUE(cycle->security_ends.has_value());
    EXPECT_EQ(cycle->security_ends->to_string(), item.retired) << item.product << " " << item.cycle;
    EXPECT_EQ(cycle->evidence.url, item.source);
    EXPECT_EQ(cycle->evidence.source, "bundled");
    EXPECT_TRUE(cycle->security_ended(*Date::parse("2026-01-01")));
  }
  const facts::EolCycle* current = cycle_of("github-runner-ubuntu", "24.04");
  ASSERT_NE(current, nullptr);
  EXPECT_FALSE(current->security_ends.has_value());  // no retirement announced
}

TEST(BundledEol, EveryRunnerFamilyOfTheProductMapHasBundledData) {
  for (const char* family : {"ubuntu", "windows", "macos"}) {
    inventory::Component runner;
    runner.kind = "github-runner";
    runner.name = family;
    const inventory::ProductRule* rule = inventory::ProductMap::bundled().identify(runner);
    ASSERT_NE(rule, nullptr) << family;
    EXPECT_TRUE(is_bundled_eol_product(rule->product)) << rule->product;
  }
}

TEST(BundledEol, BadFilesAreErrorsNamingTheProblem) {
  EXPECT_FALSE(parse_bundled_eol("{\"products\": 1}", "x.json").ok());
  auto bad_date = parse_bundled_eol(
      "{\"products\": [{\"name\": \"p\", \"cycles\": [{\"cycle\": \"1\", \"retired\": \"soon\"}]}]}", "x.json");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.error().message.find("'retired'"), std::string::npos);
}

TEST(BundledEol, FetchedDataIsNotReplaced) {
  facts::FactSet facts;
  facts.products["github-runner-ubuntu"].name = "from the store";
  add_bundled_eol(facts);
  EXPECT_EQ(facts.products["github-runner-ubuntu"].name, "from the store");
  EXPECT_EQ(facts.products.count("github-runner-macos"), 1u);
  EXPECT_EQ(facts.released.count("github-runner-ubuntu"), 0u);  // the store's product, the store's releases
  // Each label of a bundled product is a release the target solver may recommend.
  ASSERT_EQ(facts.released.count("github-runner-windows"), 1u);
  std::vector<std::string> labels;
  for (const facts::ProductRelease& release : facts.released["github-runner-windows"].versions) labels.push_back(release.version);
  EXPECT_EQ(labels, (std::vector<std::string>{"2025", "2022", "2019"}));
}

}  // namespace
}  // namespace uprank::fetch
