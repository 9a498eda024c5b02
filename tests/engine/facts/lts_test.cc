// lts_on: a cycle is LTS only from endoflife.date's ltsFrom day on.
#include <gtest/gtest.h>

#include "engine/facts/lts.h"

namespace uprank::facts {
namespace {

Date day(const char* text) { return *Date::parse(text); }

// endoflife.date's nodejs release 22: releaseDate 2024-04-24, isLts true, ltsFrom 2024-10-29.
TEST(LtsOn, NotBeforeItsLtsFromDay) {
  EolCycle node22;
  node22.cycle = "22";
  node22.lts = true;
  node22.lts_from = day("2024-10-29");
  EXPECT_FALSE(lts_on(node22, day("2024-06-01")));
  EXPECT_FALSE(lts_on(node22, day("2024-10-28")));
  EXPECT_TRUE(lts_on(node22, day("2024-10-29")));
  EolCycle always;  // isLts true without a date: LTS from the start
  always.lts = true;
  EXPECT_TRUE(lts_on(always, day("2000-01-01")));
  EolCycle never;
  EXPECT_FALSE(lts_on(never, day("2030-01-01")));
}

}  // namespace
}  // namespace uprank::facts
