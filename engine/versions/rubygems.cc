// RubyGems versions and requirements as RubyGems 3.3 (Debian 12's Ruby 3.1) parses and
// compares them: Gem::Version (correct?, segments, canonical_segments, <=>, bump,
// release) and Gem::Requirement (parse, satisfied_by?).
//
// Order: "-" is read as ".pre."; segments are the runs of digits or letters; trailing zero
// segments are dropped from the numeric part (before the first string) and from the rest;
// segments compare pairwise with missing ones equal to 0, numbers numerically, strings
// bytewise, a string before any number ("1.0.a" < "1.0" == "1" < "1.0.1").
//
// Key, one element per canonical segment, so that memcmp is Gem::Version#<=>:
// string 0x10+text+0x00; zero 0x1F when the next non-zero segment is a string, 0x21 when
// it is a number; positive number 0x30+number; the end 0x20. The end sorts like the zero
// padding RubyGems compares it as: above strings, below numbers, and against a run of
// zeros by what follows the run. aux is the key offset of the first string segment.
#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

constexpr char kString = '\x10';
constexpr char kZeroBeforeString = '\x1F';
constexpr char kEnd = '\x20';
constexpr char kZeroBeforeNumber = '\x21';
constexpr char kNumber = '\x30';

struct Segment {
  bool numeric = false;
  std::string_view text;  // digits (numeric) or letters; "pre" for a '-'
};

bool is_zero(const Segment& s) { return s.numeric && s.text.find_first_not_of('0') == std::string_view::npos; }

// Returns whether `s` matches Gem::Version::VERSION_PATTERN in full:
// [0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
bool matches_version_pattern(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return false;
  while (i + 1 < s.size() && s[i] == '.' && is_alnum(s[i + 1])) {
    ++i;
    while (i < s.size() && is_alnum(s[i])) ++i;
  }
  if (i == s.size()) return true;
  if (s[i] != '-') return false;
  auto run = [&]() {
    size_t start = i;
    while (i < s.size() && (is_alnum(s[i]) || s[i] == '-')) ++i;
    return i > start;
  };
  ++i;
  if (!run()) return false;
  while (i < s.size() && s[i] == '.') {
    ++i;
    if (!run()) return false;
  }
  return i == s.size();
}

// Gem::Version#segments: runs of digits or letters, with each '-' read as ".pre.".
std::vector<Segment> segments_of(std::string_view s) {
  std::vector<Segment> out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '-') {
      out.push_back({false, "pre"});
      ++i;
    } else if (is_digit(s[i]) || is_alpha(s[i])) {
      bool digits = is_digit(s[i]);
      size_t start = i;
      while (i < s.size() && (digits ? is_digit(s[i]) : is_alpha(s[i]))) ++i;
      out.push_back({digits, s.substr(start, i - start)});
    } else {
      ++i;
    }
  }
  return out;
}

// Gem::Version#canonical_segments.
std::vector<Segment> canonical(const std::vector<Segment>& segments) {
  size_t first_string = 0;
  while (first_string < segments.size() && segments[first_string].numeric) ++first_string;
  std::vector<Segment> out;
  size_t numeric_end = first_string;
  while (numeric_end > 0 && is_zero(segments[numeric_end - 1])) --numeric_end;
  out.insert(out.end(), segments.begin(), segments.begin() + static_cast<ptrdiff_t>(numeric_end));
  size_t end = segments.size();
  while (end > first_string && is_zero(segments[end - 1])) --end;
  out.insert(out.end(), segments.begin() + static_cast<ptrdiff_t>(first_string),
             segments.begin() + static_cast<ptrdiff_t>(end));
  return out;
}

// Appends the key of `segments` (canonical) and returns the offset of the first string.
size_t append_key(std::string& key, const std::vector<Segment>& segments) {
  size_t first_string = std::string::npos;
  for (size_t k = 0; k < segments.size(); ++k) {
    const Segment& s = segments[k];
    if (!s.numeric) {
      if (first_string == std::string::npos) first_string = key.size();
      key.push_back(kString);
      key.append(s.text);
      key.push_back('\0');
    } else if (is_zero(s)) {
      size_t next = k + 1;
      while (next < segments.size() && is_zero(segments[next])) ++next;
      // Canonical lists never end in a zero, so a non-zero segment follows.
      key.push_back(next < segments.size() && !segments[next].numeric ? kZeroBeforeString : kZeroBeforeNumber);
    } else {
      key.push_back(kNumber);
      append_number(key, s.text);
    }
  }
  if (first_string == std::string::npos) first_string = key.size();
  key.push_back(kEnd);
  return first_string;
}

std::string increment_decimal(std::string_view digits) {
  std::string out(digits);
  size_t i = out.size();
  while (i > 0) {
    --i;
    if (out[i] != '9') {
      ++out[i];
      return out;
    }
    out[i] = '0';
  }
  return "1" + out;
}

}  // namespace

Result<Version> parse_rubygems(std::string_view text) {
  // Gem::Version also accepts surrounding whitespace and reads "" as "0"; uprank does not.
  if (trim(text).empty()) return invalid(Scheme::kRubygems, text, "version is empty");
  if (trim(text).size() != text.size()) return invalid(Scheme::kRubygems, text, "surrounding whitespace");
  if (!matches_version_pattern(text)) {
    return invalid(Scheme::kRubygems, text, "malformed version number string (Gem::Version::VERSION_PATTERN)");
  }
  auto segments = segments_of(text);
  Version v = VersionAccess::make(Scheme::kRubygems, text);
  size_t first_string = append_key(VersionAccess::key(v), canonical(segments));
  VersionAccess::set_aux(v, static_cast<uint16_t>(first_string));
  for (const Segment& s : segments) {
    if (!s.numeric) break;
    VersionAccess::add_number(v, s.text);
  }
  bool letters = false;
  for (char c : text) letters = letters || is_alpha(c) || c == '-';
  VersionAccess::set_prerelease(v, letters);
  return v;
}

namespace {

struct Requirement {
  Op op = Op::kEq;
  bool pessimistic = false;  // "~>": op is >=, and the release must be below bump_key
  Version version;
  std::string bump_key;
};

struct RubygemsRange final : Range::Internal {
  std::vector<Requirement> requirements;  // all must hold

  bool contains(const Version& v) const override {
    for (const auto& r : requirements) {
      if (!holds(r.op, compare_same_family(v, r.version))) return false;
      if (r.pessimistic) {
        // v >= r && v.release < r.bump; the release is the key before the first string.
        std::string release = VersionAccess::key(v).substr(0, VersionAccess::aux(v));
        release.push_back(kEnd);
        if (compare_keys(release, r.bump_key) >= 0) return false;
      }
    }
    return true;
  }
};

// Gem::Version#bump: drop everything from the first string on, then the last segment
// (unless it is the only one), and increment what is last.
std::string bump_key(std::string_view text) {
  auto segments = segments_of(text);
  size_t first_string = 0;
  while (first_string < segments.size() && segments[first_string].numeric) ++first_string;
  segments.resize(first_string);
  if (segments.size() > 1) segments.pop_back();
  std::string incremented = increment_decimal(segments.back().text);
  segments.back().text = incremented;
  std::string key;
  append_key(key, canonical(segments));
  return key;
}

}  // namespace

Result<std::shared_ptr<const Range::Internal>> parse_rubygems_range(std::string_view text) {
  // Gem::Requirement.new(*text.split(",")): every element is Gem::Requirement::PATTERN,
  // \s*(=|!=|>|<|>=|<=|~>)?\s*VERSION\s*, and all of them must hold.
  auto range = std::make_shared<RubygemsRange>();
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item = trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (item.empty()) return range_error(text, "empty requirement");
    static const std::pair<std::string_view, Op> kOps[] = {{"!=", Op::kNe}, {">=", Op::kGe}, {"<=", Op::kLe},
                                                          {"~>", Op::kGe}, {"=", Op::kEq},  {">", Op::kGt},
                                                          {"<", Op::kLt}};
    Requirement requirement;
    for (const auto& [name, op] : kOps) {
      if (item.substr(0, name.size()) == name) {
        requirement.op = op;
        requirement.pessimistic = name == "~>";
        item = trim(item.substr(name.size()));
        break;
      }
    }
    auto version = parse_rubygems(item);
    if (!version.ok()) return range_error(text, "illformed requirement: " + version.error().message);
    requirement.version = std::move(version.value());
    if (requirement.pessimistic) requirement.bump_key = bump_key(item);
    range->requirements.push_back(std::move(requirement));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

}  // namespace uprank::versions::internal
