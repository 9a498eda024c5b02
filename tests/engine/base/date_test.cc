#include <gtest/gtest.h>

#include "engine/base/date.h"

namespace uprank {
namespace {

TEST(Date, ParsesAndPrintsIsoDates) {
  auto date = Date::parse("2024-02-29");
  ASSERT_TRUE(date);
  EXPECT_EQ(date->to_string(), "2024-02-29");
  EXPECT_EQ(Date::parse("1970-01-01")->days_since_epoch(), 0);
}

TEST(Date, RejectsInvalidCalendarDates) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "20240101", "2024-01-01x", ""}) {
    EXPECT_FALSE(Date::parse(text)) << text;
  }
}

TEST(Date, SubtractsToDays) {
  EXPECT_EQ(*Date::parse("2025-01-01") - *Date::parse("2024-01-01"), 366);
  EXPECT_EQ((*Date::parse("2024-12-31") + 1).to_string(), "2025-01-01");
}

}  // namespace
}  // namespace uprank
