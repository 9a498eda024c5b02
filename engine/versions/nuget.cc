// NuGet versions and version ranges as NuGet.Versioning reads them (NuGetVersion,
// VersionComparer.Default, VersionRange), following "Package versioning" on
// learn.microsoft.com:
//   - "NuGetVersion supports a 4th version segment - Revision"; "only requires the major
//     segment to be defined. All others are optional and are equivalent to zero"
//     (1 == 1.0 == 1.0.0 == 1.0.0.0); leading zeros are ignored (1.01 == 1.1).
//   - Pre-release labels follow SemVer 2.0.0 ("1.0.0-alpha.1"), but "NuGetVersion uses
//     case insensitive string comparisons for pre-release components".
//   - "SemVer 2.0.0 build metadata is removed" (ignored when comparing).
//
// Key: the four numbers; then 0xFF without labels, else per label 0x01+number (numeric
// labels that fit an int, as NuGet compares them) or 0x02+upper-cased text+0x00, and 0x00.
#include <climits>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

bool is_label_char(char c) { return is_alnum(c) || c == '-'; }

// Appends the label list `labels` ("alpha.1") to `key`; returns false if a label is invalid.
bool append_labels(std::string& key, std::string_view labels, bool release_labels) {
  size_t start = 0;
  while (true) {
    size_t dot = labels.find('.', start);
    std::string_view label = labels.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty()) return false;
    bool numeric = true;
    for (char c : label) {
      if (!is_label_char(c)) return false;
      numeric = numeric && is_digit(c);
    }
    if (release_labels) {
      // SemVer 2.0.0: numeric identifiers have no leading zeros.
      if (numeric && label.size() > 1 && label[0] == '0') return false;
      auto value = to_int64(label);
      if (numeric && value && *value <= INT_MAX) {
        key.push_back('\x01');
        append_number(key, label);
      } else {  // Int32.TryParse fails: NuGet compares it as text
        key.push_back('\x02');
        for (char c : label) key.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        key.push_back('\0');
      }
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

Result<Version> parse_nuget(std::string_view text) {
  auto bad = [&](std::string_view reason) { return invalid(Scheme::kNuget, text, reason); };
  if (text.empty()) return bad("version is empty");
  // NuGet trims its input; uprank treats surrounding whitespace as a mistake.
  if (trim(text).size() != text.size()) return bad("surrounding whitespace");
  size_t plus = text.find('+');
  std::string_view before_build = text.substr(0, plus);
  size_t dash = before_build.find('-');
  std::string_view numbers = before_build.substr(0, dash);
  Version v = VersionAccess::make(Scheme::kNuget, text);
  std::string& key = VersionAccess::key(v);
  size_t count = 0, i = 0;
  while (true) {
    size_t start = i;
    while (i < numbers.size() && is_digit(numbers[i])) ++i;
    std::string_view part = numbers.substr(start, i - start);
    if (part.empty()) return bad("expected MAJOR[.MINOR[.PATCH[.REVISION]]] numbers");
    auto value = to_int64(part);
    if (!value || *value > INT_MAX) return bad("version number larger than 2147483647");
    if (++count > 4) return bad("more than four version numbers");
    append_number(key, part);
    VersionAccess::add_number(v, part);
    if (i == numbers.size()) break;
    if (numbers[i] != '.') return bad("expected MAJOR[.MINOR[.PATCH[.REVISION]]] numbers");
    ++i;
  }
  for (; count < 4; ++count) append_number(key, "0");
  if (dash != std::string_view::npos) {
    if (!append_labels(key, before_build.substr(dash + 1), true)) return bad("invalid pre-release label");
    key.push_back('\0');
    VersionAccess::set_prerelease(v, true);
  } else {
    key.push_back(static_cast<char>(0xFF));
  }
  if (plus != std::string_view::npos) {
    std::string ignored;
    if (!append_labels(ignored, text.substr(plus + 1), false)) return bad("invalid build metadata");
  }
  return v;
}

namespace {

struct NugetRange final : Range::Internal {
  std::optional<Version> min, max;
  bool include_min = false, include_max = false;

  bool contains(const Version& v) const override {
    if (min) {
      int c = compare_same_family(v, *min);
      if (c < 0 || (c == 0 && !include_min)) return false;
    }
    if (max) {
      int c = compare_same_family(v, *max);
      if (c > 0 || (c == 0 && !include_max)) return false;
    }
    return true;
  }
};

}  // namespace

Result<std::shared_ptr<const Range::Internal>> parse_nuget_range(std::string_view text) {
  // VersionRange.Parse's interval notation: "1.0" (>= 1.0), "[1.0]", "[1.0,2.0)",
  // "(,1.0]", "(1.0,)". Floating versions ("1.*") choose a version at restore time and
  // are not ranges: uprank rejects them.
  auto range = std::make_shared<NugetRange>();
  std::string_view s = trim(text);
  if (s.empty()) return range_error(text, "empty range");
  auto parse = [&](std::string_view t, std::optional<Version>& out) -> std::optional<Error> {
    t = trim(t);
    if (t.empty()) return std::nullopt;
    if (t.find('*') != std::string_view::npos) return range_error(text, "floating versions are not ranges");
    auto version = parse_nuget(t);
    if (!version.ok()) return range_error(text, version.error().message);
    out = std::move(version.value());
    return std::nullopt;
  };
  if (s.front() != '[' && s.front() != '(') {
    if (auto error = parse(s, range->min)) return *error;
    range->include_min = true;
    return std::shared_ptr<const Range::Internal>(std::move(range));
  }
  if (s.size() < 2 || (s.back() != ']' && s.back() != ')')) return range_error(text, "unclosed interval");
  range->include_min = s.front() == '[';
  range->include_max = s.back() == ']';
  std::string_view inside = s.substr(1, s.size() - 2);
  size_t comma = inside.find(',');
  if (comma == std::string_view::npos) {
    // "(1.0]", "[1.0)" and "(1.0)" are invalid: a single version is an exact match "[1.0]".
    if (!range->include_min || !range->include_max) return range_error(text, "a single version needs '[' and ']'");
    if (trim(inside).empty()) return range_error(text, "empty interval");
    if (auto error = parse(inside, range->min)) return *error;
    range->max = range->min;
    return std::shared_ptr<const Range::Internal>(std::move(range));
  }
  std::string_view low = inside.substr(0, comma), high = inside.substr(comma + 1);
  if (high.find(',') != std::string_view::npos) return range_error(text, "more than two versions in an interval");
  if (trim(low).empty() && trim(high).empty()) return range_error(text, "an interval needs a lower or upper version");
  if (auto error = parse(low, range->min)) return *error;
  if (auto error = parse(high, range->max)) return *error;
  if (range->min && range->max) {
    int c = compare_same_family(*range->min, *range->max);
    if (c > 0 || (c == 0 && !(range->include_min && range->include_max))) {
      return range_error(text, "the interval contains no version");
    }
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

}  // namespace uprank::versions::internal
