// Private to engine/versions: the order-preserving key encoding shared by the scheme
// parsers, and the per-scheme entry points that versions.cc and range.cc dispatch to.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/versions/versions.h"

namespace uprank::versions {

// Polymorphic range implementation; one subclass per range syntax.
struct Range::Internal {
  virtual ~Internal() = default;
  virtual bool contains(const Version& version) const = 0;
};

namespace internal {

// Longest version text any parser accepts; longer input is rejected, which bounds every
// parser's work and keeps numeric components within the key's length encoding.
inline constexpr size_t kMaxVersionLength = 1024;
// Longest range text any range parser accepts.
inline constexpr size_t kMaxRangeLength = 64 * 1024;

struct VersionAccess {
  static Version make(Scheme scheme, std::string_view text) {
    Version v;
    v.scheme_ = scheme;
    v.text_ = std::string(text);
    return v;
  }
  // Makes `v` an empty version of `scheme` with text `text`, keeping its storage.
  static void reset(Version& v, Scheme scheme, std::string_view text) {
    v.scheme_ = scheme;
    v.prerelease_ = false;
    v.number_count_ = 0;
    v.aux_ = 0;
    v.numbers_ = {};
    v.key_.clear();
    v.text_.clear();
    v.text_.append(text);
  }
  static std::string& key(Version& v) { return v.key_; }
  static const std::string& key(const Version& v) { return v.key_; }
  static void set_prerelease(Version& v, bool value) { v.prerelease_ = value; }
  static void set_aux(Version& v, uint16_t value) { v.aux_ = value; }
  static uint16_t aux(const Version& v) { return v.aux_; }
  // Records the next leading numeric component (ignored past the fourth).
  static void add_number(Version& v, std::string_view digits);
  // Records `value` as the next leading numeric component (as add_number does).
  static void add_number_value(Version& v, int64_t value) {
    if ((v.number_count_ & 0x80) != 0 || v.number_count_ >= v.numbers_.size()) return;
    v.numbers_[v.number_count_++] = value;
  }
  static uint8_t number_count(const Version& v) { return v.number_count_ & 0x7F; }
  static int64_t number(const Version& v, size_t i) { return v.numbers_[i]; }
};

// Appends decimal `digits` (leading zeros ignored) so that keys order numerically:
// a length prefix, then the digits.
void append_number(std::string& key, std::string_view digits);
// Converts decimal digits to int64; nullopt when empty, not digits or too large.
std::optional<int64_t> to_int64(std::string_view digits);

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
// JavaScript's and Python's \s, restricted to ASCII.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
std::string_view trim(std::string_view text);
std::string lower(std::string_view text);

Error invalid(Scheme scheme, std::string_view text, std::string_view reason);

// Per-scheme version parsers (text length already checked).
Result<Version> parse_semver(Scheme scheme, std::string_view text);  // semver and npm
// parse_semver into `out`, reusing its storage (see Version::parse_into).
bool parse_semver_into(Scheme scheme, std::string_view text, Version& out, Error* error);
Result<Version> parse_golang(std::string_view text);
Result<Version> parse_pep440(std::string_view text);
Result<Version> parse_deb(std::string_view text);
Result<Version> parse_rpm(std::string_view text);
Result<Version> parse_maven(std::string_view text);
Result<Version> parse_generic(std::string_view text);
Result<Version> parse_rubygems(std::string_view text);
Result<Version> parse_apk(std::string_view text);
Result<Version> parse_nuget(std::string_view text);
Result<Version> parse_packagist(std::string_view text);

// Maven keys are a nested item list that needs padding-aware comparison.
int compare_maven_keys(std::string_view a, std::string_view b);
// Compares rpm versions as rpm dependency ranges do: the release only when both have one.
int compare_rpm_without_missing_release(const Version& candidate, const Version& bound);

// Per-syntax range parsers.
Result<std::shared_ptr<const Range::Internal>> parse_npm_range(Scheme scheme, std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_pep440_range(std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_maven_range(std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_comparator_range(Scheme scheme, std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_rubygems_range(std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_nuget_range(std::string_view text);
Result<std::shared_ptr<const Range::Internal>> parse_packagist_range(std::string_view text);

// A comparison operator of a range syntax; kAny holds for every version.
enum class Op : uint8_t { kAny, kEq, kNe, kLt, kLe, kGt, kGe };

// Returns whether `op` holds for a comparison result `c` (<0, 0 or >0).
inline bool holds(Op op, int c) {
  switch (op) {
    case Op::kAny: return true;
    case Op::kEq: return c == 0;
    case Op::kNe: return c != 0;
    case Op::kLt: return c < 0;
    case Op::kLe: return c <= 0;
    case Op::kGt: return c > 0;
    case Op::kGe: return c >= 0;
  }
  return false;
}

// Returns the error every range parser reports for malformed range text.
Error range_error(std::string_view text, std::string_view reason);

// Returns whether two schemes' versions may be compared (semver and npm share a form).
inline bool same_family(Scheme a, Scheme b) {
  auto family = [](Scheme s) { return s == Scheme::kNpm ? Scheme::kSemver : s; };
  return family(a) == family(b);
}
// memcmp's order (then shorter first) without a library call: eight bytes at a time,
// compared as big-endian integers. Keys are short, so the call would dominate.
inline int compare_keys(std::string_view x, std::string_view y) {
  size_t n = x.size() < y.size() ? x.size() : y.size();
  const char* p = x.data();
  const char* q = y.data();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t a, b;
    std::memcpy(&a, p + i, 8);
    std::memcpy(&b, q + i, 8);
    if (a != b) {
      if constexpr (std::endian::native == std::endian::little) {
        a = __builtin_bswap64(a);
        b = __builtin_bswap64(b);
      }
      return a < b ? -1 : 1;
    }
  }
  for (; i < n; ++i) {
    if (p[i] != q[i]) return static_cast<unsigned char>(p[i]) < static_cast<unsigned char>(q[i]) ? -1 : 1;
  }
  return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
}

inline int compare_same_family(const Version& a, const Version& b) {
  const std::string& x = VersionAccess::key(a);
  const std::string& y = VersionAccess::key(b);
  if (a.scheme() == Scheme::kMaven) return compare_maven_keys(x, y);
  return compare_keys(x, y);
}

}  // namespace internal
}  // namespace uprank::versions
