// The generic scheme: dotted numbers with an optional suffix, as end-of-life cycles and
// vendor advisories write them ("12", "3.11", "2019", "7.2.7", "1.2.3-beta", "9.6p1").
//
// Order: the numbers compare numerically with missing components equal to zero
// ("3.11" == "3.11.0"); then a suffix introduced by '-' or '~' is a pre-release (before
// the bare version), and so is one written straight after the number with a pre-release
// word ("3.13.0rc2", "1.23rc1", "17beta3", "3.13.0a1", "1.0.dev1": Python, Go and
// PostgreSQL write their pre-releases so, and a release candidate is never after its
// release); no suffix comes next, and any other suffix ("+build", "p1", "_2", "a") is a
// post-release (after it). Suffixes of one kind compare identifier by
// identifier, splitting on punctuation and at letter/digit boundaries: numbers
// numerically and below words, words by ASCII, a shorter list first.
//
// Key: 0x01+number per component (trailing zeros dropped), 0x00; the suffix kind (0x01
// pre, 0x02 none, 0x03 post); identifiers (0x01+number or 0x02+text+0x00), 0x00.
#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

// Whether a suffix written straight after the numbers ("rc2", "beta3", "a1", ".dev1")
// names a pre-release: a pre-release word, then nothing or a number. One-letter words
// ("a1", "b2", PEP 440's alpha and beta) need their number: "9.6a" stays a post-release.
bool attached_prerelease(std::string_view suffix) {
  if (!suffix.empty() && suffix[0] == '.') suffix.remove_prefix(1);
  size_t end = 0;
  while (end < suffix.size() && is_alpha(suffix[end])) ++end;
  std::string word;
  for (char c : suffix.substr(0, end)) word.push_back(static_cast<char>(c | 0x20));
  std::string_view rest = suffix.substr(end);
  if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);
  bool number = !rest.empty() && rest.find_first_not_of("0123456789") == std::string_view::npos;
  if (word == "a" || word == "b") return number;
  static constexpr std::string_view kWords[] = {"alpha", "beta", "rc", "pre", "preview", "dev"};
  for (std::string_view known : kWords) {
    if (word == known) return rest.empty() || number;
  }
  return false;
}

}  // namespace

Result<Version> parse_generic(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  std::vector<std::string_view> numbers;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return invalid(Scheme::kGeneric, text, "expected a number");
    numbers.push_back(s.substr(start, i - start));
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  std::string_view suffix = s.substr(i);
  char kind = '\x02';
  if (!suffix.empty()) {
    kind = (suffix[0] == '-' || suffix[0] == '~' || attached_prerelease(suffix)) ? '\x01' : '\x03';
    for (char c : suffix) {
      if (!is_alnum(c) && c != '.' && c != '-' && c != '+' && c != '_' && c != '~') {
        return invalid(Scheme::kGeneric, text, "invalid character in suffix");
      }
    }
    bool has_ident = false;
    for (char c : suffix) has_ident = has_ident || is_alnum(c);
    if (!has_ident) return invalid(Scheme::kGeneric, text, "empty suffix");
  }
  Version v = VersionAccess::make(Scheme::kGeneric, text);
  std::string& key = VersionAccess::key(v);
  size_t n = numbers.size();
  auto is_zero = [](std::string_view d) { return d.find_first_not_of('0') == std::string_view::npos; };
  while (n > 0 && is_zero(numbers[n - 1])) --n;
  for (size_t k = 0; k < n; ++k) {
    key.push_back('\x01');
    append_number(key, numbers[k]);
  }
  key.push_back('\0');
  key.push_back(kind);
  size_t j = 0;
  while (j < suffix.size()) {
    if (!is_alnum(suffix[j])) {
      ++j;
      continue;
    }
    size_t start = j;
    if (is_digit(suffix[j])) {
      while (j < suffix.size() && is_digit(suffix[j])) ++j;
      key.push_back('\x01');
      append_number(key, suffix.substr(start, j - start));
    } else {
      while (j < suffix.size() && is_alpha(suffix[j])) ++j;
      key.push_back('\x02');
      key.append(suffix.substr(start, j - start));
      key.push_back('\0');
    }
  }
  key.push_back('\0');
  for (auto number : numbers) VersionAccess::add_number(v, number);
  VersionAccess::set_prerelease(v, kind == '\x01');
  return v;
}

}  // namespace uprank::versions::internal
