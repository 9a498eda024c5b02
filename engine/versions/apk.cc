// Alpine (apk) versions as apk-tools parses and compares them (src/version.c:
// token_first, token_next, token_cmp, apk_version_compare):
//   digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}
// with suffixes _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p.
//
// apk compares token by token while both versions have the same kind of token; when the
// kinds differ, a pre-release suffix is lower, and otherwise the kind further along the
// grammar (the end being furthest) is lower: 1.0_rc1 < 1.0 < 1.0-r1 < 1.0_p1 < 1.0a <
// 1.0.1. Numbers compare numerically, except a dotted number with a leading zero, which
// compares as a string ("1.02" < "1.1").
//
// Key, one tagged element per token, tags ordered as apk orders kinds: pre-release suffix
// 0x11-0x14, end 0x20, revision 0x30+number, commit hash 0x40+hex+0x00, suffix number
// 0x50+number, other suffix 0x66-0x6A, letter 0x70+letter, dotted number 0x80 then
// 0x00+digits+0x00 (leading zero) or 0x01+number. The first number is not tagged.
#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

// Suffix values as apk-tools numbers them (SUFFIX_NONE = 5 between pre and post).
int suffix_value(std::string_view s) {
  static constexpr std::pair<std::string_view, int> kSuffixes[] = {
      {"alpha", 1}, {"beta", 2}, {"pre", 3}, {"rc", 4}, {"cvs", 6}, {"svn", 7}, {"git", 8}, {"hg", 9}, {"p", 10}};
  for (const auto& [name, value] : kSuffixes) {
    if (s == name) return value;
  }
  return 0;
}

constexpr int kSuffixNone = 5;

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Token kinds in apk-tools' order; a token may only follow kinds before it.
enum Kind : int { kInitialDigit, kDigit, kLetter, kSuffix, kSuffixNo, kCommitHash, kRevisionNo, kEnd };

}  // namespace

Result<Version> parse_apk(std::string_view text) {
  auto bad = [&](std::string_view reason) { return invalid(Scheme::kApk, text, reason); };
  Version v = VersionAccess::make(Scheme::kApk, text);
  std::string& key = VersionAccess::key(v);
  size_t i = 0;
  auto digits = [&]() {
    size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    return text.substr(start, i - start);
  };
  std::string_view first = digits();
  if (first.empty()) return bad("must start with a number");
  append_number(key, first);
  VersionAccess::add_number(v, first);
  Kind kind = kInitialDigit;
  bool prerelease = false;
  while (i < text.size()) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') {
      if (kind > kDigit) return bad("a letter may only follow a number");
      key.push_back('\x70');
      key.push_back(c);
      ++i;
      kind = kLetter;
    } else if (c == '.' || is_digit(c)) {
      if (c == '.') {
        if (kind > kDigit) return bad("'.' may only follow a number");
        ++i;
      }
      if (kind == kInitialDigit || kind == kDigit) {
        std::string_view number = digits();
        if (number.empty()) return bad("'.' must be followed by a number");
        key.push_back('\x80');
        if (number[0] == '0') {  // compared as a string, as apk-tools' token_cmp does
          key.push_back('\0');
          key.append(number);
          key.push_back('\0');
        } else {
          key.push_back('\x01');
          append_number(key, number);
        }
        VersionAccess::add_number(v, number);
        kind = kDigit;
      } else if (kind == kSuffix && c != '.') {
        key.push_back('\x50');
        append_number(key, digits());
        kind = kSuffixNo;
      } else {
        return bad("unexpected number");
      }
    } else if (c == '_') {
      if (kind > kSuffixNo) return bad("'_' suffix after a hash or revision");
      ++i;
      size_t start = i;
      while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
      int suffix = suffix_value(text.substr(start, i - start));
      if (suffix == 0) return bad("unknown suffix (alpha, beta, pre, rc, cvs, svn, git, hg, p)");
      key.push_back(static_cast<char>(suffix < kSuffixNone ? 0x10 + suffix : 0x60 + suffix));
      prerelease = prerelease || suffix < kSuffixNone;
      kind = kSuffix;
    } else if (c == '~') {
      if (kind >= kCommitHash) return bad("a second '~' hash or a hash after the revision");
      ++i;
      size_t start = i;
      while (i < text.size() && is_hex(text[i])) ++i;
      if (i == start) return bad("'~' must be followed by a hexadecimal hash");
      key.push_back('\x40');
      key.append(text.substr(start, i - start));
      key.push_back('\0');
      kind = kCommitHash;
    } else if (c == '-') {
      if (kind >= kRevisionNo || i + 1 >= text.size() || text[i + 1] != 'r') return bad("'-' must start '-r' revision");
      i += 2;
      std::string_view number = digits();
      if (number.empty()) return bad("'-r' must be followed by a number");
      key.push_back('\x30');
      append_number(key, number);
      kind = kRevisionNo;
    } else {
      return bad("invalid character");
    }
  }
  key.push_back('\x20');
  VersionAccess::set_prerelease(v, prerelease);
  return v;
}

}  // namespace uprank::versions::internal
