// Composer (Packagist) versions and constraints as composer/semver 3.3 reads them:
// VersionParser::normalize, ::parseConstraints and ::parseConstraint, Constraint's
// matchSpecific, and PHP's version_compare, which Composer compares normalized versions
// with. Each step below names the composer/semver code it reproduces.
//
// A version is normalized first ("1.0" -> "1.0.0.0", "v2.1-beta.2" -> "2.1.0.0-beta2",
// "1.x-dev" -> "1.9999999.9999999.9999999-dev", "dev-main" stays a branch); ordering is
// version_compare on the normalized text, with the default branches (dev-master,
// dev-default, dev-trunk) read as "9999999-dev" as Semver::sort does.
//
// Key: version_compare's parts (php_canonicalize_version splits at '.', '-', '_', '+' and
// at digit/letter changes), one tag each: other words 0x01, dev 0x02, alpha/a 0x03,
// beta/b 0x04, RC/rc 0x05, number 0x07+number, pl/p 0x08 (words by prefix, as
// version_compare matches them), closed by 0x06, which is where version_compare places a
// missing part: above RC, below numbers. Named branches append their name after 0x06:
// Composer leaves two branches unordered, uprank orders them by name. aux is 1 for a
// branch, which matches only == and != constraints (Constraint::versionCompare).
#include <climits>
#include <functional>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

// ---------------------------------------------------------------------------------------
// Small matchers for composer/semver's regular expressions.

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_word(std::string_view s, std::string_view word, bool ignore_case) {
  if (s.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (ignore_case ? lower_char(s[i]) != lower_char(word[i]) : s[i] != word[i]) return false;
  }
  return true;
}

bool equals_word(std::string_view s, std::string_view word, bool ignore_case) {
  return s.size() == word.size() && starts_with_word(s, word, ignore_case);
}

// PHP's trim(): " \t\n\r\0\x0B".
std::string_view php_trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\x0B'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

size_t digits_at(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

// The groups of VersionParser::$modifierRegex:
// [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?
struct Modifier {
  std::string_view stability, number;
  bool dev = false;
};

// Matches `s` in full against $modifierRegex, trying alternatives in PCRE's order.
std::optional<Modifier> match_modifier(std::string_view s, bool ignore_case) {
  static constexpr std::string_view kWords[] = {"stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p"};
  auto dev_tail = [&](std::string_view rest) -> std::optional<bool> {  // ([.-]?dev)?$
    if (rest.empty()) return false;
    if (rest[0] == '.' || rest[0] == '-') rest.remove_prefix(1);
    if (equals_word(rest, "dev", ignore_case)) return true;
    return std::nullopt;
  };
  for (int with_separator = 1; with_separator >= 0; --with_separator) {
    std::string_view rest = s;
    if (with_separator) {
      if (rest.empty() || (rest[0] != '.' && rest[0] != '_' && rest[0] != '-')) continue;
      rest.remove_prefix(1);
    }
    for (std::string_view word : kWords) {
      if (!starts_with_word(rest, word, ignore_case)) continue;
      size_t j = word.size();
      while (true) {  // ((?:[.-]?\d+)*+): possessive, so only the longest
        size_t k = j;
        if (k < rest.size() && (rest[k] == '.' || rest[k] == '-')) ++k;
        size_t n = digits_at(rest, k);
        if (n == 0) break;
        j = k + n;
      }
      if (auto dev = dev_tail(rest.substr(j))) {
        return Modifier{rest.substr(0, word.size()), rest.substr(word.size(), j - word.size()), *dev};
      }
    }
    if (auto dev = dev_tail(rest)) return Modifier{{}, {}, *dev};
  }
  return std::nullopt;
}

std::string expand_stability(std::string_view stability) {
  std::string s = lower(stability);
  if (s == "a") return "alpha";
  if (s == "b") return "beta";
  if (s == "p" || s == "pl") return "patch";
  if (s == "rc") return "RC";
  return s;
}

std::string_view ltrim_separators(std::string_view s) {
  while (!s.empty() && (s[0] == '.' || s[0] == '-')) s.remove_prefix(1);
  return s;
}

// Applies normalize()'s modifier step to `version` and returns the normalized text.
std::string with_modifier(std::string version, const Modifier& m) {
  if (!m.stability.empty()) {
    if (m.stability == "stable") return version;
    version += '-';
    version += expand_stability(m.stability);
    version += ltrim_separators(m.number);
  }
  if (m.dev) version += "-dev";
  return version;
}

// normalize()'s date(time) pattern: v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)MOD$,
// explored in PCRE's order (greedy repetitions, separators taken first).
std::optional<std::string> match_datetime(std::string_view s) {
  size_t start = 0;
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) start = 1;
  if (digits_at(s, start) < 4) return std::nullopt;
  auto is_sep = [](char c) { return c == '.' || c == ':' || c == '-'; };
  auto finish = [&](size_t end) -> std::optional<std::string> {
    auto modifier = match_modifier(s.substr(end), true);
    if (!modifier) return std::nullopt;
    std::string date(s.substr(start, end - start));
    for (char& c : date) {
      if (!is_digit(c)) c = '.';
    }
    return with_modifier(date, *modifier);
  };
  auto tail = [&](size_t i) -> std::optional<std::string> {  // (?:[.:-]?\d{1,3})?
    for (int sep = 1; sep >= 0; --sep) {
      size_t k = i;
      if (sep) {
        if (k >= s.size() || !is_sep(s[k])) continue;
        ++k;
      }
      size_t n = std::min<size_t>(digits_at(s, k), 3);
      for (; n >= 1; --n) {
        if (auto r = finish(k + n)) return r;
      }
    }
    return finish(i);
  };
  // (?:[.:-]?\d{2}){1,6}, greedy: each step tries one more repetition before stopping.
  std::function<std::optional<std::string>(size_t, int)> reps = [&](size_t i, int count) -> std::optional<std::string> {
    if (count < 6) {
      for (int sep = 1; sep >= 0; --sep) {
        size_t k = i;
        if (sep) {
          if (k >= s.size() || !is_sep(s[k])) continue;
          ++k;
        }
        if (digits_at(s, k) >= 2) {
          if (auto r = reps(k + 2, count + 1)) return r;
        }
      }
    }
    if (count >= 1) return tail(i);
    return std::nullopt;
  };
  return reps(start + 4, 0);
}

// VersionParser::normalizeBranch for the part before "-dev": numeric branches
// ("1.x", "2.0.*") become "1.9999999.9999999.9999999-dev"; nullopt for named ones.
std::optional<std::string> normalize_numeric_branch(std::string_view name) {
  name = php_trim(name);
  size_t i = 0;
  if (i < name.size() && (name[i] == 'v' || name[i] == 'V')) ++i;
  size_t n = digits_at(name, i);
  if (n == 0) return std::nullopt;
  std::string version(name.substr(i, n));
  i += n;
  int parts = 1;
  while (i < name.size() && parts < 4) {
    if (name[i] != '.' || i + 1 >= name.size()) return std::nullopt;
    ++i;
    size_t d = digits_at(name, i);
    if (d > 0) {
      version += "." + std::string(name.substr(i, d));
      i += d;
    } else if (name[i] == 'x' || name[i] == 'X' || name[i] == '*') {
      version += ".x";
      ++i;
    } else {
      return std::nullopt;
    }
    ++parts;
  }
  if (i != name.size()) return std::nullopt;
  for (; parts < 4; ++parts) version += ".x";
  std::string out;
  for (char c : version) {
    if (c == 'x') {
      out += "9999999";
    } else {
      out.push_back(c);
    }
  }
  return out + "-dev";
}

bool is_pcre_space(char c) { return is_space(c); }

// `^([^,\s]++) ++as ++([^,\s]++)$`: returns the part before " as ", or nullopt.
std::optional<std::string_view> alias_source(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] != ',' && !is_pcre_space(s[i])) ++i;
  if (i == 0) return std::nullopt;
  size_t j = i;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j == i || s.substr(j, 2) != "as") return std::nullopt;
  size_t k = j + 2, l = k;
  while (l < s.size() && s[l] == ' ') ++l;
  if (l == k || l == s.size()) return std::nullopt;
  for (size_t m = l; m < s.size(); ++m) {
    if (s[m] == ',' || is_pcre_space(s[m])) return std::nullopt;
  }
  return s.substr(0, i);
}

constexpr std::string_view kStabilityFlags[] = {"stable", "RC", "beta", "alpha", "dev"};

}  // namespace

// VersionParser::normalize. Returns the normalized text, or nullopt with `reason`.
std::optional<std::string> composer_normalize(std::string_view text, std::string& reason) {
  std::string_view version = php_trim(text);
  if (auto source = alias_source(version)) version = *source;
  size_t at = version.rfind('@');
  if (at != std::string_view::npos) {
    for (std::string_view flag : kStabilityFlags) {
      if (equals_word(version.substr(at + 1), flag, true)) {
        version = version.substr(0, at);
        break;
      }
    }
  }
  std::string owned;
  if (version == "master" || version == "trunk" || version == "default") {
    owned = "dev-" + std::string(version);
    version = owned;
  }
  if (starts_with_word(version, "dev-", true)) return "dev-" + std::string(version.substr(4));
  // Build metadata: ^([^,\s+]++)\+[^\s]++$
  {
    size_t i = 0;
    while (i < version.size() && version[i] != ',' && version[i] != '+' && !is_pcre_space(version[i])) ++i;
    if (i > 0 && i + 1 < version.size() && version[i] == '+') {
      bool rest_ok = true;
      for (size_t k = i + 1; k < version.size(); ++k) rest_ok = rest_ok && !is_pcre_space(version[k]);
      if (rest_ok) version = version.substr(0, i);
    }
  }
  // Classical: ^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?MOD$
  {
    size_t i = 0;
    if (i < version.size() && (version[i] == 'v' || version[i] == 'V')) ++i;
    size_t n = digits_at(version, i);
    if (n >= 1 && n <= 5) {
      std::string normalized(version.substr(i, n));
      i += n;
      int parts = 1;
      while (parts < 4 && i + 1 < version.size() && version[i] == '.' && is_digit(version[i + 1])) {
        size_t d = digits_at(version, i + 1);
        normalized.append(version.substr(i, d + 1));
        i += d + 1;
        ++parts;
      }
      if (auto modifier = match_modifier(version.substr(i), true)) {
        for (; parts < 4; ++parts) normalized += ".0";
        return with_modifier(normalized, *modifier);
      }
    }
  }
  if (auto date = match_datetime(version)) return date;
  // Numeric dev branches: (.*?)[.-]?dev$
  if (version.size() >= 3 && equals_word(version.substr(version.size() - 3), "dev", true)) {
    std::string_view name = version.substr(0, version.size() - 3);
    if (!name.empty() && (name.back() == '.' || name.back() == '-')) name.remove_suffix(1);
    if (auto branch = normalize_numeric_branch(name)) return branch;
  }
  reason = "invalid version string (composer/semver VersionParser::normalize)";
  return std::nullopt;
}

namespace {

// One version_compare part (see the key layout at the top).
void append_php_part(std::string& key, std::string_view part) {
  if (is_digit(part[0])) {
    // strtol: saturates at LONG_MAX.
    size_t z = 0;
    while (z + 1 < part.size() && part[z] == '0') ++z;
    std::string_view digits = part.substr(z);
    static const std::string kLongMax = std::to_string(LONG_MAX);
    if (digits.size() > kLongMax.size() || (digits.size() == kLongMax.size() && digits > kLongMax)) {
      digits = kLongMax;
    }
    key.push_back('\x07');
    append_number(key, digits);
    return;
  }
  struct Form {
    std::string_view prefix;
    char tag;
  };
  static constexpr Form kForms[] = {{"dev", '\x02'}, {"alpha", '\x03'}, {"a", '\x03'}, {"beta", '\x04'},
                                    {"b", '\x04'},   {"RC", '\x05'},    {"rc", '\x05'}, {"#", '\x06'},
                                    {"pl", '\x08'},  {"p", '\x08'}};
  for (const Form& form : kForms) {
    if (part.substr(0, form.prefix.size()) == form.prefix) {
      key.push_back(form.tag);
      return;
    }
  }
  key.push_back('\x01');
}

}  // namespace

// Appends the key of `version` as PHP's version_compare sees it: php_canonicalize_version,
// then one tagged part per '.'-separated piece, then the end tag.
void append_php_version_key(std::string& key, std::string_view version) {
  std::string canonical;
  if (!version.empty()) {
    auto special = [](char c) { return c == '-' || c == '_' || c == '+'; };
    auto dig = [](char c) { return is_digit(c); };
    auto ndig = [](char c) { return !is_digit(c) && c != '.'; };
    canonical.push_back(version[0]);
    char lp = version[0];
    for (size_t i = 1; i < version.size(); ++i) {
      char c = version[i];
      char lq = canonical.back();
      if (special(c)) {
        if (lq != '.') canonical.push_back('.');
      } else if ((ndig(lp) && dig(c)) || (dig(lp) && ndig(c))) {
        if (lq != '.') canonical.push_back('.');
        canonical.push_back(c);
      } else if (!is_alnum(c)) {
        if (lq != '.') canonical.push_back('.');
      } else {
        canonical.push_back(c);
      }
      lp = c;
    }
  }
  // version_compare stops at an empty part; so does the key.
  size_t start = 0;
  while (start < canonical.size()) {
    size_t dot = canonical.find('.', start);
    std::string_view part = std::string_view(canonical).substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty()) break;
    append_php_part(key, part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  key.push_back('\x06');
}

Result<Version> parse_packagist(std::string_view text) {
  std::string reason;
  auto normalized = composer_normalize(text, reason);
  if (!normalized) return invalid(Scheme::kPackagist, text, reason);
  Version v = VersionAccess::make(Scheme::kPackagist, text);
  std::string& key = VersionAccess::key(v);
  bool branch = normalized->rfind("dev-", 0) == 0;
  bool default_branch = *normalized == "dev-master" || *normalized == "dev-default" || *normalized == "dev-trunk";
  append_php_version_key(key, default_branch ? std::string_view("9999999-dev") : std::string_view(*normalized));
  if (branch && !default_branch) key.append(*normalized);
  VersionAccess::set_aux(v, branch ? 1 : 0);
  if (!branch) {
    std::string_view s = *normalized;
    size_t i = 0;
    while (i < s.size()) {
      size_t n = digits_at(s, i);
      if (n == 0) break;
      VersionAccess::add_number(v, s.substr(i, n));
      i += n;
      if (i >= s.size() || s[i] != '.') break;
      ++i;
    }
  }
  bool pre = branch || normalized->find("-alpha") != std::string::npos ||
             normalized->find("-beta") != std::string::npos || normalized->find("-RC") != std::string::npos ||
             normalized->find("-dev") != std::string::npos;
  VersionAccess::set_prerelease(v, pre);
  return v;
}

// ---------------------------------------------------------------------------------------
// Constraints: VersionParser::parseConstraints and ::parseConstraint.

namespace {

struct ComposerConstraint {
  Op op = Op::kAny;
  std::string version;  // as Composer holds it ("1.0.0.0-dev", "dev-main")
  std::string key;      // append_php_version_key(version)
  bool branch = false;
};

ComposerConstraint make_constraint(Op op, std::string version) {
  ComposerConstraint c;
  c.op = op;
  c.branch = version.rfind("dev-", 0) == 0;
  append_php_version_key(c.key, version);
  c.version = std::move(version);
  return c;
}

struct PackagistRange final : Range::Internal {
  std::vector<std::vector<ComposerConstraint>> any_of;  // groups of constraints that must all hold

  // Constraint::matchSpecific with the candidate as provider "== version".
  static bool matches(const ComposerConstraint& c, const Version& v, const std::string* branch_name) {
    if (c.op == Op::kAny) return true;
    bool candidate_branch = branch_name != nullptr;
    if (c.op == Op::kNe) {
      if (candidate_branch || c.branch) return !candidate_branch || *branch_name != c.version;
    } else if (c.op == Op::kEq) {
      if (candidate_branch && c.branch) return *branch_name == c.version;
      if (candidate_branch || c.branch) return false;
    } else if (candidate_branch || c.branch) {
      return false;  // branches are not ordered against constraints
    }
    return holds(c.op, compare_keys(VersionAccess::key(v), c.key));
  }

  bool contains(const Version& v) const override {
    std::string name;
    const std::string* branch_name = nullptr;
    if (VersionAccess::aux(v) == 1) {
      std::string reason;
      name = composer_normalize(v.text(), reason).value_or("");
      branch_name = &name;
    }
    for (const auto& group : any_of) {
      bool all = true;
      for (const auto& c : group) {
        if (!matches(c, v, branch_name)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
};

// The groups of parseConstraint's $versionRegex:
// v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.(\d++))?(?:MOD|\.([xX*][.-]?dev))(?:\+[^\s]+)?
struct VersionMatch {
  std::string_view numbers[4];  // empty when the group did not match
  Modifier modifier;
  std::string_view x_dev;
};

std::optional<VersionMatch> match_constraint_version(std::string_view s) {
  VersionMatch m;
  size_t i = 0;
  if (i < s.size() && (s[i] == 'v' || s[i] == 'V')) ++i;
  size_t n = digits_at(s, i);
  if (n == 0) return std::nullopt;
  m.numbers[0] = s.substr(i, n);
  i += n;
  for (int k = 1; k < 4 && i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1]); ++k) {
    size_t d = digits_at(s, i + 1);
    m.numbers[k] = s.substr(i + 1, d);
    i += d + 1;
  }
  std::string_view rest = s.substr(i);
  size_t plus = rest.find('+');
  if (plus != std::string_view::npos) {
    std::string_view build = rest.substr(plus + 1);
    if (build.empty()) return std::nullopt;
    for (char c : build) {
      if (is_pcre_space(c)) return std::nullopt;
    }
    rest = rest.substr(0, plus);
  }
  if (auto modifier = match_modifier(rest, true)) {
    m.modifier = *modifier;
    return m;
  }
  // \.([xX*][.-]?dev)
  if (rest.size() >= 5 && rest[0] == '.' && (rest[1] == 'x' || rest[1] == 'X' || rest[1] == '*')) {
    std::string_view tail = rest.substr(2);
    if (!tail.empty() && (tail[0] == '.' || tail[0] == '-')) tail.remove_prefix(1);
    if (equals_word(tail, "dev", true)) {
      m.x_dev = rest.substr(1);
      return m;
    }
  }
  return std::nullopt;
}

// VersionParser::manipulateVersionString: numbers after `position` become 0, the one at
// `position` is incremented (PHP's int arithmetic drops its leading zeros).
std::string manipulate(const std::string_view (&numbers)[4], int position, bool increment) {
  std::string out;
  for (int i = 1; i <= 4; ++i) {
    std::string part;
    if (i > position) {
      part = "0";
    } else if (i == position && increment) {
      std::string_view digits = numbers[i - 1];
      size_t z = 0;
      while (z + 1 < digits.size() && digits[z] == '0') ++z;
      std::string value(digits.substr(z));
      if (value.empty()) value = "0";
      size_t k = value.size();
      while (k > 0 && value[k - 1] == '9') value[--k] = '0';
      if (k == 0) {
        value.insert(value.begin(), '1');
      } else {
        ++value[k - 1];
      }
      part = value;
    } else {
      part = std::string(numbers[i - 1]);
    }
    if (i > 1) out.push_back('.');
    out += part;
  }
  return out;
}

// VersionParser::parseStability for a normalized version.
std::string parse_stability(std::string_view version) {
  size_t hash = version.find('#');
  if (hash != std::string_view::npos && hash + 1 < version.size()) version = version.substr(0, hash);
  if (version.rfind("dev-", 0) == 0 || (version.size() >= 4 && version.substr(version.size() - 4) == "-dev")) {
    return "dev";
  }
  std::string lowered = lower(version);
  for (size_t i = 0; i <= lowered.size(); ++i) {
    std::string_view rest = std::string_view(lowered).substr(i);
    rest = rest.substr(0, rest.find('+'));
    auto m = match_modifier(rest, true);
    if (!m) continue;
    if (m->dev) return "dev";
    if (m->stability == "beta" || m->stability == "b") return "beta";
    if (m->stability == "alpha" || m->stability == "a") return "alpha";
    if (m->stability == "rc") return "RC";
    return "stable";
  }
  return "stable";
}

// Returns whether some '-' in `s` starts a full match of '-' . $modifierRegex (case-sensitive).
bool ends_with_dash_modifier(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '-' && match_modifier(s.substr(i + 1), false)) return true;
  }
  return false;
}

using Constraints = std::vector<ComposerConstraint>;

Result<Constraints> parse_one_constraint(std::string_view whole, std::string_view constraint) {
  auto fail = [&](std::string_view reason) -> Result<Constraints> {
    return range_error(whole, "could not parse version constraint '" + std::string(constraint) + "': " +
                                  std::string(reason));
  };
  auto normalize = [&](std::string_view text, std::string& out) {
    std::string reason;
    auto n = composer_normalize(text, reason);
    if (!n) return false;
    out = *n;
    return true;
  };
  std::string owned;
  if (auto source = alias_source(constraint)) constraint = *source;
  // ^([^,\s]*?)@(stable|RC|beta|alpha|dev)$
  std::string stability_modifier;
  for (size_t at = constraint.find('@'); at != std::string_view::npos; at = constraint.find('@', at + 1)) {
    std::string_view prefix = constraint.substr(0, at);
    bool prefix_ok = true;
    for (char c : prefix) prefix_ok = prefix_ok && c != ',' && !is_pcre_space(c);
    if (!prefix_ok) break;
    std::string_view flag = constraint.substr(at + 1);
    bool known = false;
    for (std::string_view f : kStabilityFlags) known = known || equals_word(flag, f, true);
    if (!known) continue;
    if (flag != "stable") stability_modifier = std::string(flag);
    owned = prefix.empty() ? std::string("*") : std::string(prefix);
    constraint = owned;
    break;
  }
  // ^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$
  for (int alternative = 0; alternative < 2; ++alternative) {
    bool done = false;
    for (size_t hash = constraint.find('#'); hash != std::string_view::npos; hash = constraint.find('#', hash + 1)) {
      std::string_view prefix = constraint.substr(0, hash);
      bool chars_ok = true;
      for (char c : prefix) chars_ok = chars_ok && c != ',' && c != '@' && !is_pcre_space(c);
      if (!chars_ok) break;
      if (hash + 1 >= constraint.size()) break;
      bool ok = alternative == 0
                    ? prefix.size() > 4 && starts_with_word(prefix, "dev-", true)
                    : prefix.size() > 6 && equals_word(prefix.substr(prefix.size() - 6), ".x-dev", true);
      if (ok) {
        owned = std::string(prefix);
        constraint = owned;
        done = true;
        break;
      }
    }
    if (done) break;
  }
  // ^(v)?[xX*](\.[xX*])*$
  {
    size_t i = 0;
    bool v = !constraint.empty() && (constraint[0] == 'v' || constraint[0] == 'V');
    if (v) ++i;
    auto is_x = [](char c) { return c == 'x' || c == 'X' || c == '*'; };
    if (i < constraint.size() && is_x(constraint[i])) {
      size_t parts = 1;
      ++i;
      while (i + 1 < constraint.size() && constraint[i] == '.' && is_x(constraint[i + 1])) {
        i += 2;
        ++parts;
      }
      if (i == constraint.size()) {
        if (v || parts > 1) return Constraints{make_constraint(Op::kGe, "0.0.0.0-dev")};
        return Constraints{ComposerConstraint{}};
      }
    }
  }
  // Tilde: ^~>?VERSION$
  if (!constraint.empty() && constraint[0] == '~') {
    std::string_view rest = constraint.substr(1);
    if (!rest.empty() && rest[0] == '>' && match_constraint_version(rest.substr(1))) {
      return fail("invalid operator \"~>\", you probably meant to use the \"~\" operator");
    }
    if (auto m = match_constraint_version(rest)) {
      int position = !m->numbers[3].empty() ? 4 : !m->numbers[2].empty() ? 3 : !m->numbers[1].empty() ? 2 : 1;
      if (!m->x_dev.empty()) ++position;
      bool suffix = m->modifier.stability.empty() && !m->modifier.dev && m->x_dev.empty();
      std::string low;
      if (!normalize(std::string(rest) + (suffix ? "-dev" : ""), low)) return fail("invalid version");
      std::string high = manipulate(m->numbers, std::max(1, position - 1), true) + "-dev";
      return Constraints{make_constraint(Op::kGe, low), make_constraint(Op::kLt, high)};
    }
  }
  // Caret: ^\^VERSION$
  if (!constraint.empty() && constraint[0] == '^') {
    std::string_view rest = constraint.substr(1);
    if (auto m = match_constraint_version(rest)) {
      int position = 3;
      if (m->numbers[0] != "0" || m->numbers[1].empty()) {
        position = 1;
      } else if (m->numbers[1] != "0" || m->numbers[2].empty()) {
        position = 2;
      }
      bool suffix = m->modifier.stability.empty() && !m->modifier.dev && m->x_dev.empty();
      std::string low;
      if (!normalize(std::string(rest) + (suffix ? "-dev" : ""), low)) return fail("invalid version");
      std::string high = manipulate(m->numbers, position, true) + "-dev";
      return Constraints{make_constraint(Op::kGe, low), make_constraint(Op::kLt, high)};
    }
  }
  // X-range: ^v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.[xX*])++$ (case-sensitive)
  {
    std::string_view s = constraint;
    size_t i = !s.empty() && s[0] == 'v' ? 1 : 0;
    std::string_view numbers[4];
    size_t n = digits_at(s, i);
    if (n > 0) {
      numbers[0] = s.substr(i, n);
      i += n;
      int count = 1;
      while (count < 3 && i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
        size_t d = digits_at(s, i + 1);
        numbers[count++] = s.substr(i + 1, d);
        i += d + 1;
      }
      size_t wildcards = 0;
      while (i + 1 < s.size() && s[i] == '.' && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == '*')) {
        i += 2;
        ++wildcards;
      }
      if (wildcards > 0 && i == s.size()) {
        int position = count;
        std::string low = manipulate(numbers, position, false) + "-dev";
        std::string high = manipulate(numbers, position, true) + "-dev";
        if (low == "0.0.0.0-dev") return Constraints{make_constraint(Op::kLt, high)};
        return Constraints{make_constraint(Op::kGe, low), make_constraint(Op::kLt, high)};
      }
    }
  }
  // Hyphen: ^(FROM) +- +(TO)$
  {
    size_t space = constraint.find(' ');
    if (space != std::string_view::npos) {
      size_t i = space;
      while (i < constraint.size() && constraint[i] == ' ') ++i;
      size_t j = i + 1;
      while (j < constraint.size() && constraint[j] == ' ') ++j;
      if (i < constraint.size() && constraint[i] == '-' && j > i + 1) {
        std::string_view from_text = constraint.substr(0, space), to_text = constraint.substr(j);
        auto from = match_constraint_version(from_text);
        auto to = match_constraint_version(to_text);
        if (from && to) {
          bool low_suffix = from->modifier.stability.empty() && !from->modifier.dev && from->x_dev.empty();
          std::string low;
          if (!normalize(from_text, low)) return fail("invalid version");
          if (low_suffix) low += "-dev";
          std::string high;
          if (!normalize(to_text, high)) return fail("invalid version");
          auto php_empty = [](std::string_view x) { return x.empty(); };  // "0" is not empty here
          ComposerConstraint upper;
          if ((!php_empty(to->numbers[1]) && !php_empty(to->numbers[2])) || !to->modifier.stability.empty() ||
              to->modifier.dev || !to->x_dev.empty()) {
            upper = make_constraint(Op::kLe, high);
          } else {
            upper = make_constraint(Op::kLt,
                                    manipulate(to->numbers, php_empty(to->numbers[1]) ? 1 : 2, true) + "-dev");
          }
          return Constraints{make_constraint(Op::kGe, low), std::move(upper)};
        }
      }
    }
  }
  // Basic comparators: ^(<>|!=|>=?|<=?|==?)?\s*(.*)
  {
    static const std::pair<std::string_view, Op> kOps[] = {
        {"<>", Op::kNe}, {"!=", Op::kNe}, {">=", Op::kGe}, {">", Op::kGt},
        {"<=", Op::kLe}, {"<", Op::kLt},  {"==", Op::kEq}, {"=", Op::kEq}};
    std::string_view rest = constraint;
    std::string_view op_text;
    Op op = Op::kEq;
    for (const auto& [name, value] : kOps) {
      if (rest.substr(0, name.size()) == name) {
        op_text = name;
        op = value;
        rest.remove_prefix(name.size());
        break;
      }
    }
    while (!rest.empty() && is_pcre_space(rest[0])) rest.remove_prefix(1);
    std::string version;
    if (!normalize(rest, version)) {
      // "foobar-dev" means "dev-foobar" when it is made of branch-name characters.
      bool branch_chars = !rest.empty();
      for (char c : rest) branch_chars = branch_chars && (is_alnum(c) || c == '-' || c == '.' || c == '/');
      if (rest.size() >= 4 && rest.substr(rest.size() - 4) == "-dev" && branch_chars) {
        normalize("dev-" + std::string(rest.substr(0, rest.size() - 4)), version);
      } else {
        return fail("invalid version string");
      }
    }
    bool equality = op_text == "==" || op_text == "=" || op_text.empty();
    if (!equality && !stability_modifier.empty() && parse_stability(version) == "stable") {
      version += "-" + stability_modifier;
    } else if (op == Op::kLt || op == Op::kGe) {
      if (!ends_with_dash_modifier(lower(rest)) && rest.rfind("dev-", 0) != 0) version += "-dev";
    }
    return Constraints{make_constraint(op, std::move(version))};
  }
}

// preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)}', ...): the AND separators.
std::vector<std::string_view> split_and(std::string_view s) {
  std::vector<std::string_view> pieces;
  size_t last = 0;
  size_t n = s.size();
  auto not_as = [&](size_t q) { return s.substr(q, 2) != "as"; };
  for (size_t start = last; start < n; ++start) {
    if (start == 0) continue;
    if (start >= 2 && s.substr(start - 2, 2) == "as") continue;
    char before = s[start - 1];
    if (before == '=' || before == '>' || before == '<' || before == ' ' || before == ',') continue;
    size_t spaces = 0;
    while (start + spaces < n && s[start + spaces] == ' ') ++spaces;
    size_t match_end = std::string_view::npos;
    for (size_t k = spaces + 1; k-- > 0 && match_end == std::string_view::npos;) {
      size_t p = start + k;
      if (p >= n || (s[p] != ',' && s[p] != ' ')) continue;
      if (s[p - 1] == '-') continue;
      if (p + 1 < n && s[p + 1] == '-') continue;
      size_t trailing = 0;
      while (p + 1 + trailing < n && s[p + 1 + trailing] == ' ') ++trailing;
      for (size_t m = trailing + 1; m-- > 0;) {
        size_t q = p + 1 + m;
        if (q >= n || s[q] == ',' || !not_as(q)) continue;
        match_end = q;
        break;
      }
    }
    if (match_end == std::string_view::npos) continue;
    pieces.push_back(s.substr(last, start - last));
    last = match_end;
    start = match_end - 1;
  }
  pieces.push_back(s.substr(last));
  return pieces;
}

// preg_split('{\s*\|\|?\s*}', trim(...)): the OR separators.
std::vector<std::string_view> split_or(std::string_view s) {
  std::vector<std::string_view> pieces;
  size_t last = 0;
  while (true) {
    size_t bar = s.find('|', last);
    if (bar == std::string_view::npos) break;
    size_t match_start = bar;
    while (match_start > last && is_pcre_space(s[match_start - 1])) --match_start;
    size_t end = bar + 1;
    if (end < s.size() && s[end] == '|') ++end;
    while (end < s.size() && is_pcre_space(s[end])) ++end;
    pieces.push_back(s.substr(last, match_start - last));
    last = end;
  }
  pieces.push_back(s.substr(last));
  return pieces;
}

}  // namespace

Result<std::shared_ptr<const Range::Internal>> parse_packagist_range(std::string_view text) {
  auto range = std::make_shared<PackagistRange>();
  for (std::string_view group_text : split_or(php_trim(text))) {
    Constraints group;
    for (std::string_view piece : split_and(group_text)) {
      auto parsed = parse_one_constraint(text, piece);
      if (!parsed.ok()) return parsed.error();
      for (auto& c : parsed.value()) group.push_back(std::move(c));
    }
    range->any_of.push_back(std::move(group));
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

}  // namespace uprank::versions::internal
