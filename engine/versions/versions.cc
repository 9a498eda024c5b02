// Scheme names, version parsing dispatch, comparison and cycle membership.
#include "engine/versions/versions.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/versions/versions_internal.h"

namespace uprank::versions {

namespace {
constexpr std::array<std::string_view, kSchemeCount> kNames = {
    "semver", "npm", "pep440", "deb", "rpm", "maven", "golang", "generic", "rubygems", "apk", "nuget", "packagist"};
}  // namespace

std::optional<Scheme> parse_scheme(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Scheme>(i);
  }
  return std::nullopt;
}

std::string_view scheme_name(Scheme scheme) { return kNames[static_cast<size_t>(scheme)]; }

const std::vector<Scheme>& all_schemes() {
  static const std::vector<Scheme> schemes = [] {
    std::vector<Scheme> all;
    for (size_t i = 0; i < kSchemeCount; ++i) all.push_back(static_cast<Scheme>(i));
    return all;
  }();
  return schemes;
}

namespace internal {

void VersionAccess::add_number(Version& v, std::string_view digits) {
  // Bit 0x80 freezes the list: a component too large for int64 ends the numeric prefix
  // that rules and cycles can see.
  if ((v.number_count_ & 0x80) != 0 || v.number_count_ >= v.numbers_.size()) return;
  auto value = to_int64(digits);
  if (!value) {
    v.number_count_ |= 0x80;
    return;
  }
  v.numbers_[v.number_count_++] = *value;
}

void append_number(std::string& key, std::string_view digits) {
  size_t i = 0;
  while (i < digits.size() && digits[i] == '0') ++i;
  digits.remove_prefix(i);
  size_t length = digits.size();
  if (length < 0xF0) {
    key.push_back(static_cast<char>(length));
  } else {
    // Long numbers: a marker above every short length, then a two-byte length.
    key.push_back(static_cast<char>(0xF0));
    key.push_back(static_cast<char>((length >> 8) & 0xFF));
    key.push_back(static_cast<char>(length & 0xFF));
  }
  key.append(digits);
}

std::optional<int64_t> to_int64(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  int64_t value = 0;
  if (digits.size() <= 18) {  // cannot overflow: the common case, without per-digit checks
    for (char c : digits) {
      if (!is_digit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  }
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value)) {
      return std::nullopt;
    }
  }
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Error invalid(Scheme scheme, std::string_view text, std::string_view reason) {
  std::string shown(text.substr(0, 80));
  if (text.size() > 80) shown += "...";
  return make_error("uprank.version.invalid", "invalid " + std::string(scheme_name(scheme)) + " version '" +
                                                  shown + "': " + std::string(reason));
}

}  // namespace internal

namespace {
Error too_long() {
  return make_error("uprank.version.too_long",
                    "version is longer than " + std::to_string(internal::kMaxVersionLength) + " characters");
}
}  // namespace

bool Version::parse_into(Scheme scheme, std::string_view text, Version& out, Error* error) {
  if (text.size() > internal::kMaxVersionLength) {
    if (error != nullptr) *error = too_long();
    return false;
  }
  if (scheme == Scheme::kSemver || scheme == Scheme::kNpm) {
    return internal::parse_semver_into(scheme, text, out, error);
  }
  auto parsed = parse(scheme, text);
  if (!parsed.ok()) {
    if (error != nullptr) *error = parsed.error();
    return false;
  }
  out = std::move(parsed.value());
  return true;
}

Result<Version> Version::parse(Scheme scheme, std::string_view text) {
  if (text.size() > internal::kMaxVersionLength) return too_long();
  switch (scheme) {
    case Scheme::kSemver:
    case Scheme::kNpm:
      return internal::parse_semver(scheme, text);
    case Scheme::kPep440:
      return internal::parse_pep440(text);
    case Scheme::kDeb:
      return internal::parse_deb(text);
    case Scheme::kRpm:
      return internal::parse_rpm(text);
    case Scheme::kMaven:
      return internal::parse_maven(text);
    case Scheme::kGolang:
      return internal::parse_golang(text);
    case Scheme::kGeneric:
      return internal::parse_generic(text);
    case Scheme::kRubygems:
      return internal::parse_rubygems(text);
    case Scheme::kApk:
      return internal::parse_apk(text);
    case Scheme::kNuget:
      return internal::parse_nuget(text);
    case Scheme::kPackagist:
      return internal::parse_packagist(text);
  }
  return make_error("uprank.version.unsupported_scheme", "unknown scheme");
}

std::optional<int64_t> Version::major() const {
  return (number_count_ & 0x7F) > 0 ? std::optional<int64_t>(numbers_[0]) : std::nullopt;
}
std::optional<int64_t> Version::minor() const {
  return (number_count_ & 0x7F) > 1 ? std::optional<int64_t>(numbers_[1]) : std::nullopt;
}
std::optional<int64_t> Version::patch() const {
  return (number_count_ & 0x7F) > 2 ? std::optional<int64_t>(numbers_[2]) : std::nullopt;
}

int compare(const Version& a, const Version& b) {
  if (!internal::same_family(a.scheme_, b.scheme_)) return a.scheme_ < b.scheme_ ? -1 : 1;
  return internal::compare_same_family(a, b);
}

bool in_cycle(const Version& version, std::string_view cycle) {
  // A cycle name is dotted numbers; anything else ("focal", "3.x") names no numeric cycle.
  std::array<int64_t, 8> wanted{};
  size_t count = 0;
  size_t i = 0;
  cycle = internal::trim(cycle);
  if (!cycle.empty() && (cycle[0] == 'v' || cycle[0] == 'V')) cycle.remove_prefix(1);
  while (true) {
    size_t start = i;
    while (i < cycle.size() && internal::is_digit(cycle[i])) ++i;
    if (i == start || count == wanted.size()) return false;
    auto value = internal::to_int64(cycle.substr(start, i - start));
    if (!value) return false;
    wanted[count++] = *value;
    if (i == cycle.size()) break;
    if (cycle[i] != '.') return false;
    ++i;
  }
  if (count > (version.number_count_ & 0x7Fu)) return false;
  for (size_t k = 0; k < count; ++k) {
    if (version.numbers_[k] != wanted[k]) return false;
  }
  return true;
}

bool same_release(const Version& a, const Version& b) {
  if (a.scheme_ != b.scheme_ || a.number_count_ != b.number_count_) return false;
  const size_t count = a.number_count_ & 0x7Fu;
  return count > 0 && std::equal(a.numbers_.begin(), a.numbers_.begin() + count, b.numbers_.begin());
}

}  // namespace uprank::versions
