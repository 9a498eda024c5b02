// How `uprank explain COMPONENT` finds the component: display name first, then identity
// key or purl; several matches are listed by the caller; none gets a near-miss.
#include <gtest/gtest.h>

#include "engine/explain/explain.h"

namespace uprank::explain {
namespace {

inventory::Component component(std::string name, std::string product, std::string purl = "") {
  inventory::Component c;
  c.name = std::move(name);
  c.product = std::move(product);
  c.purl = std::move(purl);
  return c;
}

inventory::Inventory fleet() {
  inventory::Inventory inventory;
  inventory.components = {component("billing-db", "postgresql"), component("orders-db", "postgresql"),
                          component("lodash", "", "pkg:npm/lodash@4.17.20"),
                          component("lodash-old", "", "pkg:npm/lodash@4.17.11?repository_url=x")};
  return inventory;
}

struct Case {
  const char* query;
  std::vector<size_t> matches;
  const char* suggestion;
};

class FindComponent : public ::testing::TestWithParam<Case> {};

TEST_P(FindComponent, Finds) {
  Lookup lookup = find_component(fleet(), GetParam().query);
  EXPECT_EQ(lookup.matches, GetParam().matches) << GetParam().query;
  EXPECT_EQ(lookup.suggestion, GetParam().suggestion) << GetParam().query;
}

INSTANTIATE_TEST_SUITE_P(Cases, FindComponent,
                         ::testing::Values(Case{"billing-db", {0}, ""},                    // display name
                                           Case{"lodash", {2}, ""},                        // the name wins over identities
                                           Case{"pkg:npm/lodash@4.17.20", {2}, ""},        // exact purl
                                           Case{"pkg:npm/lodash", {2, 3}, ""},             // purl without version: both
                                           Case{"biling-db", {}, "billing-db"},            // near miss
                                           Case{"zzzzzzzzzzzz", {}, ""}));                 // nothing close

TEST(FindComponentIdentity, ByIdentityKeyOrProduct) {
  inventory::Inventory inventory = fleet();
  std::vector<std::string> keys = inventory::identity_keys(inventory.components[0]);
  ASSERT_FALSE(keys.empty());
  EXPECT_EQ(find_component(inventory, keys.front()).matches, std::vector<size_t>{0}) << keys.front();
  EXPECT_EQ(find_component(inventory, "postgresql").matches, (std::vector<size_t>{0, 1}));
}

}  // namespace
}  // namespace uprank::explain
