// SemVer 2.0.0 versions as node-semver parses them (strict mode), Go module versions as
// golang.org/x/mod/semver parses them, and node-semver ranges.
//
// Key layout (shared by semver, npm and golang): major, minor, patch as numbers; then
// 0xFF when there is no pre-release, else each identifier as 0x01+number (numeric) or
// 0x02+text+0x00 (alphanumeric), closed by 0x00. Build metadata is not in the key.
//
// The range parser follows node-semver 7.x's Range class step by step: the same textual
// passes (hyphen ranges, operator/tilde/caret whitespace trimming), the same desugaring
// of ^, ~ and x-ranges into comparators, and the same pre-release rule in testSet.
#include <algorithm>
#include <cstring>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

constexpr int64_t kMaxSafeInteger = 9007199254740991;  // JavaScript's Number.MAX_SAFE_INTEGER
constexpr size_t kNodeMaxLength = 256;                  // node-semver's MAX_LENGTH

bool is_ident_char(char c) { return is_alnum(c) || c == '-'; }
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

// Appends the pre-release identifiers in `pre` ("alpha.1") to `key`, or 0xFF if empty.
void append_prerelease(std::string& key, std::string_view pre) {
  if (pre.empty()) {
    key.push_back(static_cast<char>(0xFF));
    return;
  }
  size_t start = 0;
  while (true) {
    size_t dot = pre.find('.', start);
    std::string_view id = pre.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (all_digits(id)) {
      key.push_back('\x01');
      append_number(key, id);
    } else {
      key.push_back('\x02');
      key.append(id);
      key.push_back('\0');
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  key.push_back('\0');
}

// Returns whether `id` is a valid SemVer pre-release identifier.
bool valid_prerelease_id(std::string_view id) {
  if (id.empty()) return false;
  if (!std::all_of(id.begin(), id.end(), is_ident_char)) return false;
  if (all_digits(id)) return id.size() == 1 || id[0] != '0';
  return true;
}

bool valid_dotted(std::string_view text, bool (*valid_id)(std::string_view)) {
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view id = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!valid_id(id)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool valid_build_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), is_ident_char);
}

// Reads a numeric identifier "0|[1-9][0-9]*" at s[i]; returns its length or 0.
size_t numeric_identifier(std::string_view s, size_t i) {
  if (i >= s.size() || !is_digit(s[i])) return 0;
  if (s[i] == '0') return 1;
  size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

struct SemverParts {
  std::string_view major, minor, patch, prerelease, build;
};

// Matches node-semver's FULLPLAIN exactly: v?M.m.p(-pre)?(+build)?, no leading zeros.
std::optional<SemverParts> match_full_plain(std::string_view s) {
  SemverParts parts;
  size_t i = 0;
  if (i < s.size() && s[i] == 'v') ++i;
  std::string_view* fields[3] = {&parts.major, &parts.minor, &parts.patch};
  for (int f = 0; f < 3; ++f) {
    size_t n = numeric_identifier(s, i);
    if (n == 0) return std::nullopt;
    *fields[f] = s.substr(i, n);
    i += n;
    if (f < 2) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i < s.size() && s[i] == '-') {
    size_t end = s.find('+', i + 1);
    if (end == std::string_view::npos) end = s.size();
    parts.prerelease = s.substr(i + 1, end - i - 1);
    if (!valid_dotted(parts.prerelease, valid_prerelease_id)) return std::nullopt;
    i = end;
  }
  if (i < s.size() && s[i] == '+') {
    parts.build = s.substr(i + 1);
    if (!valid_dotted(parts.build, valid_build_id)) return std::nullopt;
    i = s.size();
  }
  if (i != s.size()) return std::nullopt;
  return parts;
}

// Appends `digits` to a fixed buffer in append_number's format (short numbers only).
char* put_short_number(char* out, std::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  if (digits.size() - i == 1 && digits[i] == '0') i = digits.size();
  *out++ = static_cast<char>(digits.size() - i);
  for (; i < digits.size(); ++i) *out++ = digits[i];
  return out;
}

void build_semver_into(Version& v, Scheme scheme, std::string_view text, const SemverParts& parts) {
  VersionAccess::reset(v, scheme, text);
  std::string& key = VersionAccess::key(v);
  if (parts.prerelease.empty() && parts.major.size() + parts.minor.size() + parts.patch.size() < 48) {
    // The common case, built in one go: release versions with ordinary numbers.
    char buffer[64];
    char* end = put_short_number(buffer, parts.major);
    end = put_short_number(end, parts.minor);
    end = put_short_number(end, parts.patch);
    *end++ = static_cast<char>(0xFF);
    key.assign(buffer, static_cast<size_t>(end - buffer));
  } else {
    append_number(key, parts.major);
    append_number(key, parts.minor);
    append_number(key, parts.patch);
    append_prerelease(key, parts.prerelease);
  }
  VersionAccess::add_number(v, parts.major);
  VersionAccess::add_number(v, parts.minor);
  VersionAccess::add_number(v, parts.patch);
  VersionAccess::set_prerelease(v, !parts.prerelease.empty());
}

Version build_semver(Scheme scheme, std::string_view text, const SemverParts& parts) {
  Version v;
  build_semver_into(v, scheme, text, parts);
  return v;
}

// The common case in one pass: "[v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]" of at most 64
// characters, without surrounding space, with MAJOR, MINOR and PATCH of at most 15 digits
// (so below 2^53). Fills `v` exactly as match_full_plain + build_semver would and returns
// true; returns false, leaving `v` untouched, for anything else (which the general path
// then accepts or rejects).
bool parse_common_semver(Scheme scheme, std::string_view text, Version& v) {
  constexpr size_t kMaxFast = 64;
  if (text.size() > kMaxFast) return false;
  const char* p = text.data();
  const char* const end = p + text.size();
  if (p != end && *p == 'v') ++p;
  // Each text character adds at most two key bytes; numbers and terminators a few more.
  char key[2 * kMaxFast + 8];
  char* k = key;
  int64_t numbers[3];
  for (int f = 0; f < 3; ++f) {
    // put_short_number's format: a length, then the digits ("0" has none). The digits
    // are copied while they are read (no memcpy call for a few bytes).
    const char* start = p;
    char* length = k++;
    int64_t value = 0;
    while (p != end && is_digit(*p)) {
      if (p - start == 15) return false;
      value = value * 10 + (*p - '0');
      *k++ = *p++;
    }
    size_t n = static_cast<size_t>(p - start);
    if (n == 0 || (n > 1 && *start == '0')) return false;
    if (f < 2) {
      if (p == end || *p != '.') return false;
      ++p;
    }
    if (value == 0) k = length + 1;  // no leading zeros, so only "0" is zero
    *length = static_cast<char>(value == 0 ? 0 : n);
    numbers[f] = value;
  }
  bool prerelease = p != end && *p == '-';
  if (prerelease) {
    // append_prerelease's format: 0x01 + number or 0x02 + text + 0x00 per identifier.
    ++p;
    while (true) {
      // Copied as [tag][length] + text while read; fixed up once the kind is known.
      const char* start = p;
      char* tag = k;
      k += 2;
      bool numeric = true;
      while (p != end && is_ident_char(*p)) {
        numeric = numeric && is_digit(*p);
        *k++ = *p++;
      }
      size_t n = static_cast<size_t>(p - start);
      if (n == 0) return false;
      if (numeric) {
        if (n > 1 && *start == '0') return false;
        tag[0] = '\x01';
        if (*start == '0') {
          tag[1] = 0;
          k = tag + 2;
        } else {
          tag[1] = static_cast<char>(n);
        }
      } else {
        tag[0] = '\x02';
        for (char* q = tag + 1; q + 1 < k; ++q) *q = q[1];  // no length byte: shift back
        k[-1] = '\0';
      }
      if (p == end || *p != '.') break;
      ++p;
    }
    *k++ = '\0';
  } else {
    *k++ = static_cast<char>(0xFF);
  }
  if (p != end && *p == '+') {  // build metadata: validated, not in the key
    ++p;
    while (true) {
      const char* start = p;
      while (p != end && is_ident_char(*p)) ++p;
      if (p == start) return false;
      if (p == end || *p != '.') break;
      ++p;
    }
  }
  if (p != end) return false;
  VersionAccess::reset(v, scheme, text);
  VersionAccess::key(v).append(key, static_cast<size_t>(k - key));
  for (int64_t number : numbers) VersionAccess::add_number_value(v, number);
  VersionAccess::set_prerelease(v, prerelease);
  return true;
}

bool exceeds_max_safe(std::string_view digits) {
  if (digits.size() < 16) return false;  // MAX_SAFE_INTEGER has 16 digits
  auto value = to_int64(digits);
  return !value || *value > kMaxSafeInteger;
}

}  // namespace

bool parse_semver_into(Scheme scheme, std::string_view text, Version& out, Error* error) {
  auto fail = [&](std::string_view reason) {
    if (error != nullptr) *error = invalid(scheme, text, reason);
    return false;
  };
  // SemVer 2.0.0 has no "v" prefix and no surrounding space; node-semver (the npm scheme)
  // accepts both.
  if (scheme == Scheme::kSemver && !text.empty()) {
    if (text[0] == 'v') return fail("a 'v' prefix is not SemVer (the npm scheme accepts it)");
    if (is_space(text.front()) || is_space(text.back())) return fail("surrounding whitespace");
  }
  if (parse_common_semver(scheme, text, out)) return true;
  if (text.size() > kNodeMaxLength) return fail("longer than 256 characters");
  auto parts = match_full_plain(trim(text));
  if (!parts) return fail("expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
  if (exceeds_max_safe(parts->major) || exceeds_max_safe(parts->minor) || exceeds_max_safe(parts->patch)) {
    return fail("component larger than 9007199254740991");
  }
  build_semver_into(out, scheme, text, *parts);
  return true;
}

Result<Version> parse_semver(Scheme scheme, std::string_view text) {
  Version v;
  Error error;
  if (!parse_semver_into(scheme, text, v, &error)) return error;
  return v;
}

Result<Version> parse_golang(std::string_view text) {
  // golang.org/x/mod/semver: "v" is required; "v1" and "v1.2" abbreviate "v1.0.0" and
  // "v1.2.0"; pre-release and build only after a full MAJOR.MINOR.PATCH.
  if (text.empty() || text[0] != 'v') return invalid(Scheme::kGolang, text, "must start with 'v'");
  SemverParts parts;
  size_t i = 1;
  std::string_view* fields[3] = {&parts.major, &parts.minor, &parts.patch};
  int count = 0;
  for (; count < 3; ++count) {
    size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == start) return invalid(Scheme::kGolang, text, "expected a number");
    if (text[start] == '0' && i - start > 1) return invalid(Scheme::kGolang, text, "leading zero in a number");
    *fields[count] = text.substr(start, i - start);
    if (count < 2) {
      if (i == text.size()) break;
      if (text[i] != '.') return invalid(Scheme::kGolang, text, "expected '.'");
      ++i;
    }
  }
  if (count < 3) {
    if (parts.minor.empty()) parts.minor = "0";
    parts.patch = "0";
  } else {
    if (i < text.size() && text[i] == '-') {
      size_t end = text.find('+', i + 1);
      if (end == std::string_view::npos) end = text.size();
      parts.prerelease = text.substr(i + 1, end - i - 1);
      if (!valid_dotted(parts.prerelease, valid_prerelease_id)) {
        return invalid(Scheme::kGolang, text, "invalid pre-release");
      }
      i = end;
    }
    if (i < text.size() && text[i] == '+') {
      parts.build = text.substr(i + 1);
      if (!valid_dotted(parts.build, valid_build_id)) return invalid(Scheme::kGolang, text, "invalid build metadata");
      i = text.size();
    }
    if (i != text.size()) return invalid(Scheme::kGolang, text, "unexpected trailing text");
  }
  return build_semver(Scheme::kGolang, text, parts);
}

// ---------------------------------------------------------------------------------------
// node-semver ranges.

namespace {

enum class NpmOp : uint8_t { kAny, kEq, kLt, kLe, kGt, kGe };

struct NpmComparator {
  NpmOp op = NpmOp::kAny;
  Version version;
  std::string value;  // node-semver's Comparator.value, for de-duplication
};

using NpmSet = std::vector<NpmComparator>;

struct NpmRange final : Range::Internal {
  std::vector<NpmSet> sets;

  static bool test(const NpmComparator& c, const Version& v) {
    if (c.op == NpmOp::kAny) return true;
    int r = compare_same_family(v, c.version);
    switch (c.op) {
      case NpmOp::kEq: return r == 0;
      case NpmOp::kLt: return r < 0;
      case NpmOp::kLe: return r <= 0;
      case NpmOp::kGt: return r > 0;
      case NpmOp::kGe: return r >= 0;
      case NpmOp::kAny: return true;
    }
    return false;
  }

  static bool test_set(const NpmSet& set, const Version& v) {
    for (const auto& c : set) {
      if (!test(c, v)) return false;
    }
    if (!v.is_prerelease()) return true;
    // A pre-release only matches when a comparator names a pre-release of the same
    // major.minor.patch tuple (node-semver's testSet).
    for (const auto& c : set) {
      if (c.op == NpmOp::kAny || !c.version.is_prerelease()) continue;
      if (VersionAccess::number(c.version, 0) == VersionAccess::number(v, 0) &&
          VersionAccess::number(c.version, 1) == VersionAccess::number(v, 1) &&
          VersionAccess::number(c.version, 2) == VersionAccess::number(v, 2)) {
        return true;
      }
    }
    return false;
  }

  bool contains(const Version& v) const override {
    for (const auto& set : sets) {
      if (test_set(set, v)) return true;
    }
    return false;
  }
};

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  // JavaScript's split(/\s+/) keeps a leading empty field and a trailing one.
  while (true) {
    size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    out.push_back(s.substr(start, i - start));
    if (i == s.size()) break;
    while (i < s.size() && is_space(s[i])) ++i;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back(' ');
    out += parts[i];
  }
  return out;
}

// XRANGEIDENTIFIER: 0|[1-9]\d*|x|X|\* ; returns its length or 0.
size_t xrange_identifier(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == 'x' || s[i] == 'X' || s[i] == '*') return 1;
  return numeric_identifier(s, i);
}

struct XPlain {
  size_t begin = 0;  // after the [v=\s]* prefix
  size_t end = 0;
  std::string_view major, minor, patch, prerelease;
  bool has_minor = false, has_patch = false;
};

// Matches XRANGEPLAIN at s[pos] greedily:
// [v=\s]* XRID (\. XRID (\. XRID (-PRERELEASE)? (+BUILD)? )? )?
std::optional<XPlain> match_xrange_plain(std::string_view s, size_t pos) {
  XPlain x;
  size_t i = pos;
  while (i < s.size() && (s[i] == 'v' || s[i] == '=' || is_space(s[i]))) ++i;
  x.begin = i;
  size_t n = xrange_identifier(s, i);
  if (n == 0) return std::nullopt;
  x.major = s.substr(i, n);
  i += n;
  if (i < s.size() && s[i] == '.' && (n = xrange_identifier(s, i + 1)) != 0) {
    x.minor = s.substr(i + 1, n);
    x.has_minor = true;
    i += 1 + n;
    if (i < s.size() && s[i] == '.' && (n = xrange_identifier(s, i + 1)) != 0) {
      x.patch = s.substr(i + 1, n);
      x.has_patch = true;
      i += 1 + n;
      // Pre-release: '-' then dot-separated identifiers, greedily.
      if (i < s.size() && s[i] == '-') {
        size_t j = i + 1, last_good = i;
        while (true) {
          size_t start = j;
          while (j < s.size() && is_ident_char(s[j])) ++j;
          if (!valid_prerelease_id(s.substr(start, j - start))) break;
          last_good = j;
          if (j < s.size() && s[j] == '.') {
            ++j;
            continue;
          }
          break;
        }
        if (last_good > i) {
          x.prerelease = s.substr(i + 1, last_good - i - 1);
          i = last_good;
        }
      }
      if (i < s.size() && s[i] == '+') {
        size_t j = i + 1, last_good = i;
        while (true) {
          size_t start = j;
          while (j < s.size() && is_ident_char(s[j])) ++j;
          if (j == start) break;
          last_good = j;
          if (j < s.size() && s[j] == '.') {
            ++j;
            continue;
          }
          break;
        }
        if (last_good > i) i = last_good;
      }
    }
  }
  x.end = i;
  return x;
}

// Matches LOOSEPLAIN's extent ([v=\s]* \d+\.\d+\.\d+ then loose pre-release and build);
// only the extent is used (see comparator_trim).
std::optional<size_t> match_loose_plain(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && (s[i] == 'v' || s[i] == '=' || is_space(s[i]))) ++i;
  for (int f = 0; f < 3; ++f) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return std::nullopt;
    if (f < 2) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  while (i < s.size() && (is_ident_char(s[i]) || s[i] == '.' || s[i] == '+')) ++i;
  return i;
}

bool is_x(std::string_view id) { return id.empty() || id == "x" || id == "X" || id == "*"; }

// JavaScript's `+id + 1` for a numeric identifier; values past 2^53 come out larger than
// MAX_SAFE_INTEGER, which the comparator parse then rejects exactly as node-semver does.
std::string plus_one(std::string_view digits) {
  auto value = to_int64(digits);
  if (!value || *value >= (int64_t{1} << 53)) return "9007199254740993";
  return std::to_string(*value + 1);
}

std::string sv(std::string_view s) { return std::string(s); }

// node-semver's hyphenReplace (includePrerelease off).
std::string hyphen_replace(std::string_view from_text, const XPlain& f, std::string_view to_text, const XPlain& t) {
  std::string from, to;
  if (is_x(f.major)) {
    from = "";
  } else if (is_x(f.minor)) {
    from = ">=" + sv(f.major) + ".0.0";
  } else if (is_x(f.patch)) {
    from = ">=" + sv(f.major) + "." + sv(f.minor) + ".0";
  } else {
    from = ">=" + sv(from_text);
  }
  if (is_x(t.major)) {
    to = "";
  } else if (is_x(t.minor)) {
    to = "<" + plus_one(t.major) + ".0.0-0";
  } else if (is_x(t.patch)) {
    to = "<" + sv(t.major) + "." + plus_one(t.minor) + ".0-0";
  } else if (!t.prerelease.empty()) {
    to = "<=" + sv(t.major) + "." + sv(t.minor) + "." + sv(t.patch) + "-" + sv(t.prerelease);
  } else {
    to = "<=" + sv(to_text);
  }
  return std::string(trim(from + " " + to));
}

// HYPHENRANGE: ^\s*(XRANGEPLAIN)\s+-\s+(XRANGEPLAIN)\s*$ applied to the whole set.
std::string apply_hyphen(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  auto from = match_xrange_plain(s, i);
  if (!from) return sv(s);
  size_t j = from->end;
  size_t k = j;
  while (k < s.size() && is_space(s[k])) ++k;
  if (k == j || k >= s.size() || s[k] != '-') return sv(s);
  size_t m = k + 1;
  while (m < s.size() && is_space(s[m])) ++m;
  if (m == k + 1) return sv(s);
  auto to = match_xrange_plain(s, m);
  if (!to) return sv(s);
  size_t e = to->end;
  while (e < s.size() && is_space(s[e])) ++e;
  if (e != s.size()) return sv(s);
  return hyphen_replace(s.substr(i, from->end - i), *from, s.substr(m, to->end - m), *to);
}

// COMPARATORTRIM: (\s*)GTLT\s*(LOOSEPLAIN|XRANGEPLAIN), global, replaced by "$1$2$3":
// deletes the whitespace between an operator and the version it applies to.
std::string comparator_trim(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    size_t op_end = j;
    if (op_end < s.size() && (s[op_end] == '<' || s[op_end] == '>')) ++op_end;
    if (op_end < s.size() && s[op_end] == '=') ++op_end;
    size_t k = op_end;
    while (k < s.size() && is_space(s[k])) ++k;
    std::optional<size_t> end = match_loose_plain(s, k);
    if (!end) {
      if (auto x = match_xrange_plain(s, k)) end = x->end;
    }
    if (end) {
      out.append(s.substr(i, op_end - i));
      out.append(s.substr(k, *end - k));
      i = *end;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

// TILDETRIM "(\s*)~>?\s+" -> "$1~" and CARETTRIM "(\s*)\^\s+" -> "$1^".
std::string lone_operator_trim(std::string_view s, char op) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && is_space(s[j])) ++j;
    if (j < s.size() && s[j] == op) {
      size_t k = j + 1;
      if (op == '~' && k < s.size() && s[k] == '>') ++k;
      size_t e = k;
      while (e < s.size() && is_space(s[e])) ++e;
      if (e > k) {
        out.append(s.substr(i, j - i));
        out.push_back(op);
        i = e;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string replace_caret(std::string_view comp) {
  if (comp.empty() || comp[0] != '^') return sv(comp);
  auto x = match_xrange_plain(comp, 1);
  if (!x || x->end != comp.size()) return sv(comp);
  std::string_view M = x->major, m = x->minor, p = x->patch, pr = x->prerelease;
  if (is_x(M)) return "";
  if (is_x(m)) return ">=" + sv(M) + ".0.0 <" + plus_one(M) + ".0.0-0";
  if (is_x(p)) {
    if (M == "0") return ">=" + sv(M) + "." + sv(m) + ".0 <" + sv(M) + "." + plus_one(m) + ".0-0";
    return ">=" + sv(M) + "." + sv(m) + ".0 <" + plus_one(M) + ".0.0-0";
  }
  std::string low = ">=" + sv(M) + "." + sv(m) + "." + sv(p) + (pr.empty() ? "" : "-" + sv(pr));
  if (M == "0") {
    if (m == "0") return low + " <" + sv(M) + "." + sv(m) + "." + plus_one(p) + "-0";
    return low + " <" + sv(M) + "." + plus_one(m) + ".0-0";
  }
  return low + " <" + plus_one(M) + ".0.0-0";
}

std::string replace_tilde(std::string_view comp) {
  if (comp.empty() || comp[0] != '~') return sv(comp);
  size_t start = (comp.size() > 1 && comp[1] == '>') ? 2 : 1;
  auto x = match_xrange_plain(comp, start);
  if ((!x || x->end != comp.size()) && start == 2) x = match_xrange_plain(comp, 1);
  if (!x || x->end != comp.size()) return sv(comp);
  std::string_view M = x->major, m = x->minor, p = x->patch, pr = x->prerelease;
  if (is_x(M)) return "";
  if (is_x(m)) return ">=" + sv(M) + ".0.0 <" + plus_one(M) + ".0.0-0";
  if (is_x(p)) return ">=" + sv(M) + "." + sv(m) + ".0 <" + sv(M) + "." + plus_one(m) + ".0-0";
  return ">=" + sv(M) + "." + sv(m) + "." + sv(p) + (pr.empty() ? "" : "-" + sv(pr)) + " <" + sv(M) + "." +
         plus_one(m) + ".0-0";
}

std::string replace_xrange(std::string_view comp) {
  comp = trim(comp);
  size_t i = 0;
  if (i < comp.size() && (comp[i] == '<' || comp[i] == '>')) ++i;
  if (i < comp.size() && comp[i] == '=') ++i;
  std::string gtlt = sv(comp.substr(0, i));
  size_t k = i;
  while (k < comp.size() && is_space(comp[k])) ++k;
  auto x = match_xrange_plain(comp, k);
  if (!x || x->end != comp.size()) return sv(comp);
  std::string M = sv(x->major), m = sv(x->minor), p = sv(x->patch);
  bool xM = is_x(M), xm = xM || is_x(m), xp = xm || is_x(p), any_x = xp;
  if (gtlt == "=" && any_x) gtlt = "";
  std::string pr;
  if (xM) {
    if (gtlt == ">" || gtlt == "<") return "<0.0.0-0";
    return "*";
  }
  if (!gtlt.empty() && any_x) {
    if (xm) m = "0";
    p = "0";
    if (gtlt == ">") {
      gtlt = ">=";
      if (xm) {
        M = plus_one(M);
        m = "0";
        p = "0";
      } else {
        m = plus_one(m);
        p = "0";
      }
    } else if (gtlt == "<=") {
      gtlt = "<";
      if (xm) {
        M = plus_one(M);
      } else {
        m = plus_one(m);
      }
    }
    if (gtlt == "<") pr = "-0";
    return gtlt + M + "." + m + "." + p + pr;
  }
  if (xm) return ">=" + M + ".0.0 <" + plus_one(M) + ".0.0-0";
  if (xp) return ">=" + M + "." + m + ".0 <" + M + "." + plus_one(m) + ".0-0";
  return sv(comp);
}

// STAR: (<|>)?=?\s*\* , first occurrence only, removed.
std::string replace_stars(std::string_view comp) {
  comp = trim(comp);
  for (size_t p = 0; p < comp.size(); ++p) {
    size_t k = p;
    if (k < comp.size() && (comp[k] == '<' || comp[k] == '>')) ++k;
    if (k < comp.size() && comp[k] == '=') ++k;
    while (k < comp.size() && is_space(comp[k])) ++k;
    if (k < comp.size() && comp[k] == '*') return sv(comp.substr(0, p)) + sv(comp.substr(k + 1));
  }
  return sv(comp);
}

template <typename F>
std::string map_tokens(std::string_view s, F f) {
  std::vector<std::string> parts;
  for (auto token : split_spaces(s)) parts.push_back(f(token));
  return join(parts);
}

std::string parse_comparator_text(std::string_view comp) {
  std::string s = map_tokens(trim(comp), replace_caret);
  s = map_tokens(trim(s), replace_tilde);
  s = map_tokens(s, replace_xrange);
  return replace_stars(s);
}

Result<NpmComparator> make_comparator(Scheme scheme, std::string_view comp) {
  NpmComparator c;
  comp = trim(comp);
  // replaceGTE0: ">=0.0.0" means any version.
  if (comp == ">=0.0.0") comp = "";
  if (comp.empty()) return c;
  size_t i = 0;
  if (comp[i] == '<' || comp[i] == '>') ++i;
  if (i < comp.size() && comp[i] == '=') ++i;
  std::string_view op = comp.substr(0, i);
  size_t k = i;
  while (k < comp.size() && is_space(comp[k])) ++k;
  std::string_view text = comp.substr(k);
  auto parts = match_full_plain(text);
  if (!parts || text.size() > kNodeMaxLength || exceeds_max_safe(parts->major) || exceeds_max_safe(parts->minor) ||
      exceeds_max_safe(parts->patch)) {
    return make_error("uprank.range.invalid", "invalid comparator '" + sv(comp) + "'");
  }
  c.version = build_semver(scheme, text, *parts);
  if (op.empty() || op == "=") {
    c.op = NpmOp::kEq;
  } else if (op == "<") {
    c.op = NpmOp::kLt;
  } else if (op == "<=") {
    c.op = NpmOp::kLe;
  } else if (op == ">") {
    c.op = NpmOp::kGt;
  } else {
    c.op = NpmOp::kGe;
  }
  std::string normalized = sv(parts->major) + "." + sv(parts->minor) + "." + sv(parts->patch);
  if (!parts->prerelease.empty()) normalized += "-" + sv(parts->prerelease);
  c.value = (op == "=" ? std::string() : sv(op)) + normalized;
  return c;
}

Result<NpmSet> parse_npm_set(Scheme scheme, std::string_view part) {
  std::string s = apply_hyphen(trim(part));
  s = comparator_trim(s);
  s = lone_operator_trim(s, '~');
  s = lone_operator_trim(s, '^');
  NpmSet set;
  bool null_set = false;
  for (auto token : split_spaces(s)) {
    std::string desugared = parse_comparator_text(token);
    for (auto comp : split_spaces(desugared)) {
      auto c = make_comparator(scheme, comp);
      if (!c.ok()) return c.error();
      if (c->op != NpmOp::kAny && c->value == "<0.0.0-0") null_set = true;
      bool duplicate = std::any_of(set.begin(), set.end(), [&](const NpmComparator& e) {
        return e.value == c->value && (e.op == NpmOp::kAny) == (c->op == NpmOp::kAny);
      });
      if (!duplicate) set.push_back(std::move(c.value()));
    }
  }
  if (null_set) {
    NpmSet only;
    for (auto& c : set) {
      if (c.op != NpmOp::kAny && c.value == "<0.0.0-0") {
        only.push_back(std::move(c));
        break;
      }
    }
    return only;
  }
  if (set.size() > 1) {
    set.erase(std::remove_if(set.begin(), set.end(), [](const NpmComparator& c) { return c.op == NpmOp::kAny; }),
              set.end());
  }
  return set;
}

}  // namespace

Result<std::shared_ptr<const Range::Internal>> parse_npm_range(Scheme scheme, std::string_view text) {
  auto range = std::make_shared<NpmRange>();
  size_t start = 0;
  while (true) {
    size_t bar = text.find("||", start);
    std::string_view part = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    auto set = parse_npm_set(scheme, trim(part));
    if (!set.ok()) return set.error();
    range->sets.push_back(std::move(set.value()));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  auto is_null = [](const NpmSet& s) {
    return s.size() == 1 && s[0].op != NpmOp::kAny && s[0].value == "<0.0.0-0";
  };
  if (range->sets.size() > 1) {
    NpmSet first = range->sets[0];
    range->sets.erase(std::remove_if(range->sets.begin(), range->sets.end(), is_null), range->sets.end());
    if (range->sets.empty()) {
      range->sets.push_back(std::move(first));
    } else if (range->sets.size() > 1) {
      for (const auto& s : range->sets) {
        if (s.size() == 1 && s[0].op == NpmOp::kAny) {
          NpmSet any = s;
          range->sets.clear();
          range->sets.push_back(std::move(any));
          break;
        }
      }
    }
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

}  // namespace uprank::versions::internal
