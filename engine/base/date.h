// Calendar dates as day numbers: exact, cheap to compare, and free of time zones.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uprank {

class Date {
 public:
  Date() = default;
  // Parses exactly "YYYY-MM-DD" with a valid month and day; nothing else.
  static std::optional<Date> parse(std::string_view text);
  static Date from_days(int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Returns today's date in UTC from the system clock; only the CLI should call this.
  static Date today_utc();

  int32_t days_since_epoch() const { return days_; }
  std::string to_string() const;  // "YYYY-MM-DD"

  friend auto operator<=>(Date, Date) = default;
  friend int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }
  friend Date operator+(Date a, int32_t days) { return Date(a.days_ + days); }

 private:
  explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace uprank
