// Debian versions as dpkg parses and compares them (parseversion, verrevcmp), and rpm
// EVR strings as rpm 4.18 parses and compares them (rpmverParse, rpmvercmp).
//
// Deb key: epoch number, then upstream and revision each encoded so that memcmp is
// verrevcmp: every non-digit run maps its characters to bytes in dpkg's order ('~' 0x01,
// letters as ASCII, other characters 0x80+c) closed by 0x02 (dpkg's order 0), every digit
// run is a number, and 0x02 ends the part.
//
// Rpm key: epoch number, then the version's segments ('~' 0x01, '^' 0x03, alphabetic runs
// 0x04+text+0x00, numeric runs 0x05+number) closed by 0x02, then 0x00 when there is no
// release or 0x01 and the release's segments. Separators are not in the key, exactly as
// rpmvercmp ignores them.
#include <climits>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

void append_verrev(std::string& key, std::string_view s) {
  size_t i = 0;
  while (true) {
    while (i < s.size() && !is_digit(s[i])) {
      char c = s[i++];
      if (c == '~') {
        key.push_back('\x01');
      } else if (is_alpha(c)) {
        key.push_back(c);
      } else {
        key.push_back(static_cast<char>(0x80 + static_cast<unsigned char>(c)));
      }
    }
    key.push_back('\x02');
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    append_number(key, s.substr(start, i - start));
    if (i == s.size()) break;
  }
  key.push_back('\x02');
}

void add_leading_numbers(Version& v, std::string_view s) {
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return;
    VersionAccess::add_number(v, s.substr(start, i - start));
    if (i + 1 >= s.size() || s[i] != '.' || !is_digit(s[i + 1])) return;
    ++i;
  }
}

void append_rpm_segments(std::string& key, std::string_view s) {
  size_t i = 0;
  while (true) {
    while (i < s.size() && !is_alnum(s[i]) && s[i] != '~' && s[i] != '^') ++i;
    if (i == s.size()) break;
    if (s[i] == '~') {
      key.push_back('\x01');
      ++i;
    } else if (s[i] == '^') {
      key.push_back('\x03');
      ++i;
    } else if (is_digit(s[i])) {
      size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      key.push_back('\x05');
      append_number(key, s.substr(start, i - start));
    } else {
      size_t start = i;
      while (i < s.size() && is_alpha(s[i])) ++i;
      key.push_back('\x04');
      key.append(s.substr(start, i - start));
      key.push_back('\0');
    }
  }
  key.push_back('\x02');
}

}  // namespace

Result<Version> parse_deb(std::string_view text) {
  // dpkg's parseversion: leading blanks skipped, trailing spaces allowed, none inside.
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  if (s.empty()) return invalid(Scheme::kDeb, text, "version string is empty");
  size_t end = 0;
  while (end < s.size() && !is_space(s[end])) ++end;
  for (size_t i = end; i < s.size(); ++i) {
    if (!is_space(s[i])) return invalid(Scheme::kDeb, text, "version string has embedded spaces");
  }
  s = s.substr(0, end);
  std::string_view epoch = "0";
  size_t colon = s.find(':');
  if (colon != std::string_view::npos) {
    epoch = s.substr(0, colon);
    if (epoch.empty()) return invalid(Scheme::kDeb, text, "epoch in version is empty");
    for (char c : epoch) {
      if (!is_digit(c)) return invalid(Scheme::kDeb, text, "epoch in version is not number");
    }
    auto value = to_int64(epoch);
    if (!value || *value > INT_MAX) return invalid(Scheme::kDeb, text, "epoch in version is too big");
    s.remove_prefix(colon + 1);
  }
  std::string_view upstream = s, revision;
  size_t hyphen = s.rfind('-');
  if (hyphen != std::string_view::npos) {
    upstream = s.substr(0, hyphen);
    revision = s.substr(hyphen + 1);
    if (revision.empty()) return invalid(Scheme::kDeb, text, "revision number is empty");
  }
  if (upstream.empty()) return invalid(Scheme::kDeb, text, "version number is empty");
  // dpkg only warns about the next three; uprank treats them as invalid.
  if (!is_digit(upstream[0])) return invalid(Scheme::kDeb, text, "version number does not start with digit");
  for (char c : upstream) {
    if (!is_alnum(c) && c != '.' && c != '-' && c != '+' && c != '~' && c != ':') {
      return invalid(Scheme::kDeb, text, "invalid character in version number");
    }
  }
  for (char c : revision) {
    if (!is_alnum(c) && c != '.' && c != '+' && c != '~') {
      return invalid(Scheme::kDeb, text, "invalid character in revision number");
    }
  }
  Version v = VersionAccess::make(Scheme::kDeb, text);
  std::string& key = VersionAccess::key(v);
  key.reserve(upstream.size() + revision.size() + 12);
  append_number(key, epoch);
  append_verrev(key, upstream);
  append_verrev(key, revision);
  add_leading_numbers(v, upstream);
  return v;
}

Result<Version> parse_rpm(std::string_view text) {
  if (text.empty()) return invalid(Scheme::kRpm, text, "version is empty");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return invalid(Scheme::kRpm, text, "only printable ASCII without spaces is accepted");
    }
  }
  // rpmverParse: leading digits then ':' make the epoch; the release follows the last
  // '-' after them.
  size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits])) ++digits;
  std::string_view epoch = "0", version = text, release;
  bool has_release = false;
  size_t hyphen = text.rfind('-');
  if (hyphen != std::string_view::npos && hyphen < digits) hyphen = std::string_view::npos;
  size_t version_begin = 0;
  if (digits < text.size() && text[digits] == ':') {
    if (digits > 0) epoch = text.substr(0, digits);
    version_begin = digits + 1;
  }
  size_t version_end = text.size();
  if (hyphen != std::string_view::npos) {
    has_release = true;
    release = text.substr(hyphen + 1);
    version_end = hyphen;
  }
  version = text.substr(version_begin, version_end - version_begin);
  Version v = VersionAccess::make(Scheme::kRpm, text);
  std::string& key = VersionAccess::key(v);
  key.reserve(text.size() + 12);
  append_number(key, epoch);
  append_rpm_segments(key, version);
  VersionAccess::set_aux(v, static_cast<uint16_t>(key.size()));
  if (has_release) {
    key.push_back('\x01');
    append_rpm_segments(key, release);
  } else {
    key.push_back('\0');
  }
  add_leading_numbers(v, version);
  return v;
}

int compare_rpm_without_missing_release(const Version& candidate, const Version& bound) {
  const std::string& a = VersionAccess::key(candidate);
  const std::string& b = VersionAccess::key(bound);
  size_t a_len = VersionAccess::aux(candidate), b_len = VersionAccess::aux(bound);
  bool both_have_release = a[a_len] == '\x01' && b[b_len] == '\x01';
  if (both_have_release) return compare_same_family(candidate, bound);
  int c = std::string_view(a).substr(0, a_len).compare(std::string_view(b).substr(0, b_len));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace uprank::versions::internal
