// PEP 440 versions and specifier sets, as Python `packaging` (23.x) implements them:
// the same grammar (case-insensitive, with alternate spellings), the same sort key, and
// SpecifierSet.contains with its default pre-release handling.
//
// Key layout: epoch; release with trailing zeros dropped (0x01+number each, 0x00 end);
// pre (0x00 for a bare .devN, 0x01+letter+number, 0x02 none); post (0x00 none,
// 0x01+number); dev (0x01+number, 0x02 none); local (0x00 none, else 0x01 then parts,
// 0x01+text+0x00 for strings and 0x02+number for numbers, closed by 0x00).
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string_view>

#include "engine/versions/versions_internal.h"

namespace uprank::versions::internal {
namespace {

struct Pep440 {
  std::string epoch = "0";
  std::vector<std::string> release;
  bool has_pre = false;
  std::string pre_letter, pre_number;
  bool has_post = false;
  std::string post_number;
  bool has_dev = false;
  std::string dev_number;
  bool has_local = false;
  std::vector<std::string> local;  // lower-cased; numeric parts normalised

  bool is_prerelease() const { return has_pre || has_dev; }
};

// Python's str(int(digits)).
std::string normalize_number(std::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return std::string(digits.substr(i));
}

bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }

// A backtracking matcher for packaging's VERSION_PATTERN over lower-cased text. Tries
// alternatives in the regex's order so that the first full match is the regex's match.
class Pep440Matcher {
 public:
  Pep440Matcher(std::string_view s, bool allow_local) : s_(s), allow_local_(allow_local) {}

  // Matches epoch and release at `pos`, then the suffixes through the end.
  bool match(size_t pos, Pep440& out) {
    out = Pep440();
    size_t i = pos;
    size_t digits_end = i;
    while (digits_end < s_.size() && is_digit(s_[digits_end])) ++digits_end;
    if (digits_end > i && digits_end < s_.size() && s_[digits_end] == '!') {
      out.epoch = normalize_number(s_.substr(i, digits_end - i));
      i = digits_end + 1;
    }
    size_t start = i;
    while (i < s_.size() && is_digit(s_[i])) ++i;
    if (i == start) return false;
    out.release.push_back(normalize_number(s_.substr(start, i - start)));
    while (i + 1 < s_.size() && s_[i] == '.' && is_digit(s_[i + 1])) {
      start = ++i;
      while (i < s_.size() && is_digit(s_[i])) ++i;
      out.release.push_back(normalize_number(s_.substr(start, i - start)));
    }
    out_ = &out;
    return pre(i);
  }

 private:
  size_t digits(size_t i) const {
    while (i < s_.size() && is_digit(s_[i])) ++i;
    return i;
  }

  // One optional part of the pattern, `[-_.]? letter [-_.]? [0-9]*`, trying the
  // alternatives in the regex's order: `record` stores a candidate and `rest` must match
  // what follows it.
  template <typename Record, typename Rest>
  bool segment(size_t i, std::initializer_list<std::string_view> letters, Record record, Rest rest) {
    for (int with_sep = 1; with_sep >= 0; --with_sep) {
      size_t j = i;
      if (with_sep) {
        if (j >= s_.size() || !is_sep(s_[j])) continue;
        ++j;
      }
      for (std::string_view letter : letters) {
        if (s_.substr(j, letter.size()) != letter) continue;
        size_t k = j + letter.size();
        for (int sep2 = 1; sep2 >= 0; --sep2) {
          size_t m = k;
          if (sep2) {
            if (m >= s_.size() || !is_sep(s_[m])) continue;
            ++m;
          }
          size_t e = digits(m);
          // [0-9]+ greedy, then the group skipped.
          for (size_t end : {e, m}) {
            record(letter, end > m ? normalize_number(s_.substr(m, end - m)) : "0");
            if (rest(end)) return true;
            if (e == m) break;
          }
        }
      }
    }
    return false;
  }

  bool pre(size_t i) {
    auto record = [&](std::string_view letter, std::string number) {
      out_->has_pre = true;
      out_->pre_letter = std::string(letter);
      out_->pre_number = std::move(number);
    };
    if (segment(i, {"a", "b", "c", "rc", "alpha", "beta", "pre", "preview"}, record,
                [&](size_t end) { return post(end); })) {
      return true;
    }
    out_->has_pre = false;
    return post(i);
  }

  bool post(size_t i) {
    // -N
    if (i < s_.size() && s_[i] == '-') {
      size_t e = digits(i + 1);
      if (e > i + 1) {
        out_->has_post = true;
        out_->post_number = normalize_number(s_.substr(i + 1, e - i - 1));
        if (dev(e)) return true;
      }
    }
    auto record = [&](std::string_view, std::string number) {
      out_->has_post = true;
      out_->post_number = std::move(number);
    };
    if (segment(i, {"post", "rev", "r"}, record, [&](size_t end) { return dev(end); })) return true;
    out_->has_post = false;
    return dev(i);
  }

  bool dev(size_t i) {
    auto record = [&](std::string_view, std::string number) {
      out_->has_dev = true;
      out_->dev_number = std::move(number);
    };
    if (segment(i, {"dev"}, record, [&](size_t end) { return local(end); })) return true;
    out_->has_dev = false;
    return local(i);
  }

  bool local(size_t i) {
    out_->has_local = false;
    out_->local.clear();
    if (i == s_.size()) return true;
    if (!allow_local_ || s_[i] != '+') return false;
    ++i;
    while (true) {
      size_t start = i;
      while (i < s_.size() && (is_digit(s_[i]) || (s_[i] >= 'a' && s_[i] <= 'z'))) ++i;
      if (i == start) return false;
      std::string_view part = s_.substr(start, i - start);
      bool numeric = std::all_of(part.begin(), part.end(), [](char c) { return is_digit(c); });
      out_->local.push_back(numeric ? normalize_number(part) : std::string(part));
      if (i == s_.size()) break;
      if (!is_sep(s_[i])) return false;
      ++i;
    }
    out_->has_local = true;
    return true;
  }

  std::string_view s_;
  bool allow_local_;
  Pep440* out_ = nullptr;
};

// Parses a PEP 440 version (surrounding whitespace allowed, as packaging allows).
std::optional<Pep440> parse_parts(std::string_view text, bool allow_local = true) {
  std::string s = lower(trim(text));
  size_t pos = (!s.empty() && s[0] == 'v') ? 1 : 0;
  Pep440 out;
  if (!Pep440Matcher(s, allow_local).match(pos, out)) return std::nullopt;
  return out;
}

bool is_zero(const std::string& n) { return n == "0"; }

std::string make_key(const Pep440& v) {
  std::string key;
  key.reserve(24);
  append_number(key, v.epoch);
  size_t n = v.release.size();
  while (n > 0 && is_zero(v.release[n - 1])) --n;
  for (size_t i = 0; i < n; ++i) {
    key.push_back('\x01');
    append_number(key, v.release[i]);
  }
  key.push_back('\0');
  if (!v.has_pre && !v.has_post && v.has_dev) {
    key.push_back('\0');
  } else if (v.has_pre) {
    key.push_back('\x01');
    key.push_back(v.pre_letter == "a" ? '\x01' : v.pre_letter == "b" ? '\x02' : '\x03');
    append_number(key, v.pre_number);
  } else {
    key.push_back('\x02');
  }
  if (v.has_post) {
    key.push_back('\x01');
    append_number(key, v.post_number);
  } else {
    key.push_back('\0');
  }
  if (v.has_dev) {
    key.push_back('\x01');
    append_number(key, v.dev_number);
  } else {
    key.push_back('\x02');
  }
  if (!v.has_local) {
    key.push_back('\0');
  } else {
    key.push_back('\x01');
    for (const auto& part : v.local) {
      bool numeric = std::all_of(part.begin(), part.end(), [](char c) { return is_digit(c); });
      if (numeric) {
        key.push_back('\x02');
        append_number(key, part);
      } else {
        key.push_back('\x01');
        key.append(part);
        key.push_back('\0');
      }
    }
    key.push_back('\0');
  }
  return key;
}

std::string normalized_letter(const std::string& l) {
  if (l == "alpha") return "a";
  if (l == "beta") return "b";
  if (l == "c" || l == "pre" || l == "preview") return "rc";
  return l;
}

void normalize(Pep440& v) {
  if (v.has_pre) v.pre_letter = normalized_letter(v.pre_letter);
}

std::string release_string(const Pep440& v, bool strip_trailing_zero) {
  std::string out;
  for (size_t i = 0; i < v.release.size(); ++i) {
    if (i) out.push_back('.');
    out += v.release[i];
  }
  if (strip_trailing_zero) {
    // re.sub(r"(\.0)+$", "", release)
    while (out.size() >= 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  }
  return out;
}

// Version.__str__ (public == without the local part), or canonicalize_version.
std::string to_string(const Pep440& v, bool with_local, bool strip_trailing_zero = false) {
  std::string out;
  if (!is_zero(v.epoch)) out += v.epoch + "!";
  out += release_string(v, strip_trailing_zero);
  if (v.has_pre) out += v.pre_letter + v.pre_number;
  if (v.has_post) out += ".post" + v.post_number;
  if (v.has_dev) out += ".dev" + v.dev_number;
  if (with_local && v.has_local) {
    out += "+";
    for (size_t i = 0; i < v.local.size(); ++i) {
      if (i) out.push_back('.');
      out += v.local[i];
    }
  }
  return out;
}

std::string base_version(const Pep440& v) {
  std::string out;
  if (!is_zero(v.epoch)) out += v.epoch + "!";
  return out + release_string(v, false);
}

std::optional<Pep440> parse_normalized(std::string_view text) {
  auto v = parse_parts(text);
  if (v) normalize(*v);
  return v;
}

// packaging.utils.canonicalize_version; text that does not parse is returned as is.
std::string canonicalize(std::string_view text, bool strip_trailing_zero) {
  auto v = parse_normalized(text);
  if (!v) return std::string(text);
  return to_string(*v, true, strip_trailing_zero);
}

std::vector<std::string> version_split(std::string_view version) {
  std::vector<std::string> result;
  size_t start = 0;
  while (true) {
    size_t dot = version.find('.', start);
    std::string_view item = version.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    // ^([0-9]+)((?:a|b|c|rc)[0-9]+)$
    size_t d = 0;
    while (d < item.size() && is_digit(item[d])) ++d;
    bool split = false;
    if (d > 0 && d < item.size()) {
      std::string_view rest = item.substr(d);
      size_t letters = rest.substr(0, 2) == "rc" ? 2 : (rest[0] == 'a' || rest[0] == 'b' || rest[0] == 'c') ? 1 : 0;
      if (letters > 0 && rest.size() > letters &&
          std::all_of(rest.begin() + static_cast<std::ptrdiff_t>(letters), rest.end(), [](char c) { return is_digit(c); })) {
        result.emplace_back(item.substr(0, d));
        result.emplace_back(rest);
        split = true;
      }
    }
    if (!split) result.emplace_back(item);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return result;
}

bool is_not_suffix(const std::string& segment) {
  for (std::string_view prefix : {"dev", "a", "b", "rc", "post"}) {
    if (segment.compare(0, prefix.size(), prefix) == 0) return false;
  }
  return true;
}

bool str_isdigit(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

// _pad_version(left, right)[0]
std::vector<std::string> pad_left(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  size_t left_digits = 0, right_digits = 0;
  while (left_digits < left.size() && str_isdigit(left[left_digits])) ++left_digits;
  while (right_digits < right.size() && str_isdigit(right[right_digits])) ++right_digits;
  std::vector<std::string> out(left.begin(), left.begin() + static_cast<std::ptrdiff_t>(left_digits));
  for (size_t i = left_digits; i < right_digits; ++i) out.push_back("0");
  out.insert(out.end(), left.begin() + static_cast<std::ptrdiff_t>(left_digits), left.end());
  return out;
}

enum class PepOp : uint8_t { kCompatible, kEqual, kNotEqual, kLessEqual, kGreaterEqual, kLess, kGreater, kArbitrary };

struct Specifier {
  PepOp op;
  std::string version;  // the specifier's version text, as packaging keeps it
  bool wildcard = false;
  std::string key;      // parsed version key (not for wildcards or ===)
  Pep440 parsed;
  bool allows_prereleases = false;  // Specifier.prereleases
};

int key_compare(const std::string& a, const std::string& b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Pep440 without_local(Pep440 v) {
  v.has_local = false;
  v.local.clear();
  return v;
}

bool compare_equal(const Pep440& prospective, const std::string& spec_text, bool wildcard) {
  if (wildcard) {
    std::string normalized_prospective = canonicalize(to_string(prospective, false), true);
    std::string normalized_spec = canonicalize(std::string_view(spec_text).substr(0, spec_text.size() - 2), false);
    auto split_spec = version_split(normalized_spec);
    auto split_prospective = version_split(normalized_prospective);
    auto padded = pad_left(split_prospective, split_spec);
    if (padded.size() > split_spec.size()) padded.resize(split_spec.size());
    return padded == split_spec;
  }
  auto spec_version = parse_normalized(spec_text);
  if (!spec_version) return false;
  Pep440 p = spec_version->has_local ? prospective : without_local(prospective);
  return make_key(p) == make_key(*spec_version);
}

bool specifier_contains(const Specifier& s, const Pep440& prospective) {
  switch (s.op) {
    case PepOp::kEqual:
      return compare_equal(prospective, s.version, s.wildcard);
    case PepOp::kNotEqual:
      return !compare_equal(prospective, s.version, s.wildcard);
    case PepOp::kLessEqual:
      return key_compare(make_key(without_local(prospective)), s.key) <= 0;
    case PepOp::kGreaterEqual:
      return key_compare(make_key(without_local(prospective)), s.key) >= 0;
    case PepOp::kLess: {
      if (!(key_compare(make_key(prospective), s.key) < 0)) return false;
      if (!s.parsed.is_prerelease() && prospective.is_prerelease()) {
        if (key_compare(make_key(*parse_normalized(base_version(prospective))),
                        make_key(*parse_normalized(base_version(s.parsed)))) == 0) {
          return false;
        }
      }
      return true;
    }
    case PepOp::kGreater: {
      if (!(key_compare(make_key(prospective), s.key) > 0)) return false;
      bool same_base = key_compare(make_key(*parse_normalized(base_version(prospective))),
                                   make_key(*parse_normalized(base_version(s.parsed)))) == 0;
      if (!s.parsed.has_post && prospective.has_post && same_base) return false;
      if (prospective.has_local && same_base) return false;
      return true;
    }
    case PepOp::kCompatible: {
      if (!(key_compare(make_key(without_local(prospective)), s.key) >= 0)) return false;
      std::vector<std::string> parts;
      for (const auto& segment : version_split(s.version)) {
        if (!is_not_suffix(segment)) break;
        parts.push_back(segment);
      }
      if (!parts.empty()) parts.pop_back();
      std::string prefix;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i) prefix.push_back('.');
        prefix += parts[i];
      }
      prefix += ".*";
      return compare_equal(prospective, prefix, true);
    }
    case PepOp::kArbitrary:
      return lower(to_string(prospective, true)) == lower(s.version);
  }
  return false;
}

struct Pep440Range final : Range::Internal {
  std::vector<Specifier> specs;
  bool any_prereleases = false;  // SpecifierSet.prereleases

  bool contains(const Version& version) const override {
    auto prospective = parse_normalized(version.text());
    if (!prospective) return false;
    // packaging: with no specifier the set's prereleases is None, which excludes them too.
    if (!any_prereleases && prospective->is_prerelease()) return false;
    for (const auto& s : specs) {
      if (!specifier_contains(s, *prospective)) return false;
    }
    return true;
  }
};

// Validates a specifier's version text for its operator, as packaging's Specifier regex.
bool valid_spec_version(PepOp op, std::string_view text, bool& wildcard) {
  wildcard = false;
  std::string s = lower(text);
  if (op == PepOp::kEqual || op == PepOp::kNotEqual) {
    // v?(N!)?N(.N)*\.\*
    if (s.size() >= 2 && s.compare(s.size() - 2, 2, ".*") == 0) {
      std::string_view body(s);
      body.remove_suffix(2);
      if (!body.empty() && body[0] == 'v') body.remove_prefix(1);
      size_t i = 0;
      size_t d = 0;
      while (d < body.size() && is_digit(body[d])) ++d;
      if (d > 0 && d < body.size() && body[d] == '!') i = d + 1;
      bool ok = i < body.size();
      bool expect_digit = true;
      for (; ok && i < body.size(); ++i) {
        if (is_digit(body[i])) {
          expect_digit = false;
        } else if (body[i] == '.' && !expect_digit) {
          expect_digit = true;
        } else {
          ok = false;
        }
      }
      if (ok && !expect_digit) {
        wildcard = true;
        return true;
      }
      return false;
    }
    return parse_parts(s, true).has_value();
  }
  auto parsed = parse_parts(s, false);
  if (!parsed) return false;
  if (op == PepOp::kCompatible && parsed->release.size() < 2) return false;
  return true;
}

}  // namespace

Result<Version> parse_pep440(std::string_view text) {
  auto parts = parse_normalized(text);
  if (!parts) {
    return invalid(Scheme::kPep440, text, "not a PEP 440 version ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local])");
  }
  Version v = VersionAccess::make(Scheme::kPep440, text);
  VersionAccess::key(v) = make_key(*parts);
  for (const auto& n : parts->release) VersionAccess::add_number(v, n);
  VersionAccess::set_prerelease(v, parts->is_prerelease());
  return v;
}

Result<std::shared_ptr<const Range::Internal>> parse_pep440_range(std::string_view text) {
  auto range = std::make_shared<Pep440Range>();
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item = trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) {
      Specifier s;
      std::string_view rest;
      if (item.substr(0, 3) == "===") {
        s.op = PepOp::kArbitrary;
        rest = item.substr(3);
      } else {
        static const std::pair<std::string_view, PepOp> kOps[] = {
            {"~=", PepOp::kCompatible}, {"==", PepOp::kEqual},        {"!=", PepOp::kNotEqual},
            {"<=", PepOp::kLessEqual},  {">=", PepOp::kGreaterEqual}, {"<", PepOp::kLess},
            {">", PepOp::kGreater}};
        bool found = false;
        for (const auto& [name, op] : kOps) {
          if (item.substr(0, name.size()) == name) {
            s.op = op;
            rest = item.substr(name.size());
            found = true;
            break;
          }
        }
        if (!found) {
          return make_error("uprank.range.invalid", "invalid PEP 440 specifier '" + std::string(item) +
                                                        "': expected one of ~= == != <= >= < > ===");
        }
      }
      s.version = std::string(trim(rest));
      if (s.op == PepOp::kArbitrary) {
        // packaging accepts any text here, but Specifier.prereleases then parses it as a
        // version and raises on anything that is not one; reject it up front instead.
        if (std::any_of(s.version.begin(), s.version.end(), [](char c) { return c == ';' || c == ')'; }) ||
            !parse_parts(s.version)) {
          return make_error("uprank.range.invalid", "invalid PEP 440 specifier '" + std::string(item) +
                                                        "': === needs a version");
        }
      } else if (!valid_spec_version(s.op, s.version, s.wildcard)) {
        return make_error("uprank.range.invalid", "invalid PEP 440 specifier '" + std::string(item) + "'");
      }
      if (!s.wildcard) {
        auto parsed = parse_normalized(s.version);
        if (parsed) {
          s.parsed = *parsed;
          s.key = make_key(*parsed);
        }
      }
      if (s.op == PepOp::kEqual || s.op == PepOp::kGreaterEqual || s.op == PepOp::kLessEqual ||
          s.op == PepOp::kCompatible || s.op == PepOp::kArbitrary) {
        std::string v = s.version;
        if (s.op == PepOp::kEqual && s.wildcard) v.resize(v.size() - 2);
        auto parsed = parse_normalized(v);
        s.allows_prereleases = parsed && parsed->is_prerelease();
      }
      range->any_prereleases = range->any_prereleases || s.allows_prereleases;
      range->specs.push_back(std::move(s));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

}  // namespace uprank::versions::internal
