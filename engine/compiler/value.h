// Runtime values of the rule language. Small and cheap to copy: strings and versions
// that the evaluator computes are shared, those read from facts are borrowed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/date.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"
#include "engine/versions/versions.h"

namespace uprank::compiler {

// Urgency levels, ordered so that a larger value is more urgent.
enum class Level : uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view level_name(Level level);
bool parse_level(std::string_view name, Level& level);

enum class Kind : uint8_t {
  kUndefined,  // a fact that is not known: conditions over it do not fire
  kBool, kNumber, kString, kVersion, kDate, kDuration, kLevel, kComponent, kEolCycle, kAdvisory, kRelease, kFinding, kList
};

struct AdvisoryMatch;  // program.h: an advisory as it applies to one component
struct ReleaseMatch;   // program.h: a release of a component's product
struct FindingRecord;  // program.h: a finding as a rank policy reads it

struct Value {
  Kind kind = Kind::kUndefined;
  union {
    bool boolean;
    double number;
    int32_t days;  // dates (days since epoch) and durations (days)
    Level level;
    const inventory::Component* component;
    const facts::EolCycle* cycle;
    const AdvisoryMatch* advisory;
    const ReleaseMatch* release;
    const FindingRecord* finding;
    const versions::Version* version;
    const std::vector<Value>* list;
  };
  std::string_view text;               // strings
  std::shared_ptr<const void> owner;   // keeps computed strings, versions and lists alive

  Value() : number(0) {}
  static Value undefined() { return Value(); }
  static Value of_bool(bool b) { Value v; v.kind = Kind::kBool; v.boolean = b; return v; }
  static Value of_number(double n) { Value v; v.kind = Kind::kNumber; v.number = n; return v; }
  static Value of_date(Date d) { Value v; v.kind = Kind::kDate; v.days = d.days_since_epoch(); return v; }
  static Value of_duration(int32_t d) { Value v; v.kind = Kind::kDuration; v.days = d; return v; }
  static Value of_level(Level l) { Value v; v.kind = Kind::kLevel; v.level = l; return v; }
  // Borrows `s`: it must outlive the value (inventory, facts and program strings do).
  static Value borrow_string(std::string_view s) { Value v; v.kind = Kind::kString; v.text = s; return v; }
  static Value own_string(std::string s) {
    auto stored = std::make_shared<const std::string>(std::move(s));
    Value v = borrow_string(*stored);
    v.owner = std::move(stored);
    return v;
  }
  static Value borrow_version(const versions::Version* version) {
    Value v; v.kind = Kind::kVersion; v.version = version; return v;
  }
  static Value own_version(versions::Version version) {
    auto stored = std::make_shared<const versions::Version>(std::move(version));
    Value v = borrow_version(stored.get());
    v.owner = std::move(stored);
    return v;
  }
  static Value of_component(const inventory::Component* c) { Value v; v.kind = Kind::kComponent; v.component = c; return v; }
  static Value of_cycle(const facts::EolCycle* c) { Value v; v.kind = Kind::kEolCycle; v.cycle = c; return v; }
  static Value of_advisory(const AdvisoryMatch* a) { Value v; v.kind = Kind::kAdvisory; v.advisory = a; return v; }
  static Value of_release(const ReleaseMatch* r) { Value v; v.kind = Kind::kRelease; v.release = r; return v; }
  static Value of_finding(const FindingRecord* f) { Value v; v.kind = Kind::kFinding; v.finding = f; return v; }
  static Value own_list(std::vector<Value> items) {
    auto stored = std::make_shared<const std::vector<Value>>(std::move(items));
    Value v; v.kind = Kind::kList; v.list = stored.get();
    v.owner = std::move(stored);
    return v;
  }

  bool defined() const { return kind != Kind::kUndefined; }
  bool is_true() const { return kind == Kind::kBool && boolean; }
  Date date() const { return Date::from_days(days); }
};

// Renders a value for messages: dates as YYYY-MM-DD, whole numbers without decimals,
// undefined as "unknown".
std::string format_value(const Value& value);

}  // namespace uprank::compiler
