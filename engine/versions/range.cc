// Ranges: dispatch to each scheme's native syntax, comparator lists (deb, rpm, golang,
// generic), Maven bracket ranges, package-url vers: URIs, OSV events and unions.
#include <algorithm>

#include "engine/versions/versions_internal.h"

namespace uprank::versions {
namespace internal {

Error range_error(std::string_view text, std::string_view reason) {
  std::string shown(text.substr(0, 120));
  if (text.size() > 120) shown += "...";
  return make_error("uprank.range.invalid", "invalid range '" + shown + "': " + std::string(reason));
}

namespace {

struct Comparator {
  Op op = Op::kAny;
  Version version;
};

int compare_for_range(const Version& candidate, const Version& bound) {
  if (bound.scheme() == Scheme::kRpm) return compare_rpm_without_missing_release(candidate, bound);
  return compare_same_family(candidate, bound);
}

// ---------------------------------------------------------------------------------------
// Comparator lists: "set || set", a set is comparators separated by ',' or spaces.

struct ComparatorRange final : Range::Internal {
  std::vector<std::vector<Comparator>> sets;
  bool contains(const Version& v) const override {
    for (const auto& set : sets) {
      bool all = true;
      for (const auto& c : set) {
        if (c.op != Op::kAny && !holds(c.op, compare_for_range(v, c.version))) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
};

// Reads an operator at s[i] for `scheme`; returns its length (0 when there is none).
Result<size_t> read_operator(Scheme scheme, std::string_view s, size_t i, Op& op) {
  auto starts = [&](std::string_view token) { return s.substr(i, token.size()) == token; };
  if (scheme == Scheme::kDeb) {
    if (starts("<<")) return op = Op::kLt, size_t{2};
    if (starts(">>")) return op = Op::kGt, size_t{2};
    if (starts("<=")) return op = Op::kLe, size_t{2};
    if (starts(">=")) return op = Op::kGe, size_t{2};
    if (starts("!=")) return op = Op::kNe, size_t{2};
    if (starts("=")) return op = Op::kEq, size_t{1};
    if (starts("<") || starts(">")) {
      return range_error(s, "dpkg reads a bare '<' or '>' as '<=' or '>='; write '<<', '<=', '>=' or '>>'");
    }
    return op = Op::kEq, size_t{0};
  }
  if (starts("<=")) return op = Op::kLe, size_t{2};
  if (starts(">=")) return op = Op::kGe, size_t{2};
  if (starts("==")) return op = Op::kEq, size_t{2};
  if (starts("!=")) return op = Op::kNe, size_t{2};
  if (starts("<")) return op = Op::kLt, size_t{1};
  if (starts(">")) return op = Op::kGt, size_t{1};
  if (starts("=")) return op = Op::kEq, size_t{1};
  return op = Op::kEq, size_t{0};
}

}  // namespace

// Returns whether comparator lists of `scheme` need an operator before every version: dpkg
// only warns about an implicit exact match ("1.0" for "= 1.0"), and rpm and apk
// dependencies have no bare form. Go and generic lists read a bare version as "=".
bool needs_operator(Scheme scheme) {
  return scheme == Scheme::kDeb || scheme == Scheme::kRpm || scheme == Scheme::kApk;
}

Result<std::shared_ptr<const Range::Internal>> parse_comparator_range(Scheme scheme, std::string_view text) {
  auto range = std::make_shared<ComparatorRange>();
  auto coded = [&](std::string_view code, std::string_view reason) {
    Error error = range_error(text, reason);
    error.code = std::string(code);
    return error;
  };
  size_t start = 0;
  while (true) {
    size_t bar = text.find("||", start);
    std::string_view part = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::vector<Comparator> set;
    // ',' separates elements, none of which may be empty; inside one, spaces separate
    // comparators ("1.x || >= 1.2 < 2.0").
    size_t element_start = 0;
    while (true) {
      size_t comma = part.find(',', element_start);
      std::string_view element =
          part.substr(element_start, comma == std::string_view::npos ? std::string_view::npos : comma - element_start);
      if (trim(element).empty()) {
        if (comma == std::string_view::npos && element_start == 0) return range_error(text, "empty comparator list");
        return coded("uprank.range.empty_element", "empty element in the comparator list");
      }
      size_t i = 0;
      while (true) {
        while (i < element.size() && is_space(element[i])) ++i;
        if (i == element.size()) break;
        Comparator c;
        if (element[i] == '*') {
          ++i;
          c.op = Op::kAny;
          set.push_back(std::move(c));
          continue;
        }
        auto length = read_operator(scheme, element, i, c.op);
        if (!length.ok()) return length.error();
        i += *length;
        while (i < element.size() && is_space(element[i])) ++i;
        size_t v_start = i;
        while (i < element.size() && !is_space(element[i]) && element[i] != '|') ++i;
        if (i == v_start) return range_error(text, "operator without a version");
        std::string_view version_text = element.substr(v_start, i - v_start);
        if (std::string_view("<>=!~^").find(version_text[0]) != std::string_view::npos &&
            (version_text[0] != '~' || (version_text.size() > 1 && (version_text[1] == '=' || version_text[1] == '>')))) {
          std::string shown(element.substr(v_start - *length, *length));
          shown += version_text.substr(0, 2);
          return coded("uprank.range.unknown_operator", "unknown operator near '" + shown + "'");
        }
        if (*length == 0 && needs_operator(scheme)) {
          return coded("uprank.range.missing_operator",
                       std::string(scheme_name(scheme)) + " comparator lists need an operator before each version");
        }
        auto version = Version::parse(scheme, version_text);
        if (!version.ok()) return range_error(text, version.error().message);
        c.version = std::move(version.value());
        set.push_back(std::move(c));
      }
      if (comma == std::string_view::npos) break;
      element_start = comma + 1;
    }
    range->sets.push_back(std::move(set));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

// ---------------------------------------------------------------------------------------
// Maven: VersionRange.createFromVersionSpec.

namespace {

struct Restriction {
  std::optional<Version> lower, upper;
  bool lower_inclusive = false, upper_inclusive = false;

  bool contains(const Version& v) const {
    if (lower) {
      int c = compare_same_family(*lower, v);
      if ((c == 0 && !lower_inclusive) || c > 0) return false;
    }
    if (upper) {
      int c = compare_same_family(*upper, v);
      if ((c == 0 && !upper_inclusive) || c < 0) return false;
    }
    return true;
  }
};

struct MavenRange final : Range::Internal {
  std::vector<Restriction> restrictions;  // a soft requirement ("1.0") has one, unbounded
  bool contains(const Version& v) const override {
    return std::any_of(restrictions.begin(), restrictions.end(), [&](const Restriction& r) { return r.contains(v); });
  }
};

Result<Restriction> parse_restriction(std::string_view spec, std::string_view whole) {
  Restriction r;
  r.lower_inclusive = spec.front() == '[';
  r.upper_inclusive = spec.back() == ']';
  std::string_view process = trim(spec.substr(1, spec.size() - 2));
  size_t comma = process.find(',');
  auto parse = [&](std::string_view t) -> Result<Version> {
    auto v = Version::parse(Scheme::kMaven, t);
    if (!v.ok()) return range_error(whole, v.error().message);
    return v;
  };
  if (comma == std::string_view::npos) {
    if (!r.lower_inclusive || !r.upper_inclusive) return range_error(whole, "single version must be surrounded by []");
    auto v = parse(process);
    if (!v.ok()) return v.error();
    r.lower = *v;
    r.upper = *v;
    return r;
  }
  std::string_view low = trim(process.substr(0, comma)), high = trim(process.substr(comma + 1));
  if (!low.empty()) {
    auto v = parse(low);
    if (!v.ok()) return v.error();
    r.lower = *v;
  }
  if (!high.empty()) {
    auto v = parse(high);
    if (!v.ok()) return v.error();
    r.upper = *v;
  }
  if (r.lower && r.upper) {
    int c = compare_same_family(*r.upper, *r.lower);
    if (c < 0 || (c == 0 && (!r.lower_inclusive || !r.upper_inclusive))) {
      return range_error(whole, "range defies version ordering");
    }
  }
  return r;
}

}  // namespace

Result<std::shared_ptr<const Range::Internal>> parse_maven_range(std::string_view spec) {
  auto range = std::make_shared<MavenRange>();
  std::string_view process = spec;
  std::optional<Version> upper_bound;
  while (!process.empty() && (process.front() == '[' || process.front() == '(')) {
    size_t index1 = process.find(')'), index2 = process.find(']');
    size_t index = index2;
    if (index2 == std::string_view::npos || (index1 != std::string_view::npos && index1 < index2)) {
      if (index1 != std::string_view::npos) index = index1;
    }
    if (index == std::string_view::npos) return range_error(spec, "unbounded range");
    auto restriction = parse_restriction(process.substr(0, index + 1), spec);
    if (!restriction.ok()) return restriction.error();
    if (upper_bound) {
      if (!restriction->lower || compare_same_family(*restriction->lower, *upper_bound) < 0) {
        return range_error(spec, "ranges overlap");
      }
    }
    upper_bound = restriction->upper;
    range->restrictions.push_back(std::move(restriction.value()));
    process = trim(process.substr(index + 1));
    if (!process.empty() && process.front() == ',') process = trim(process.substr(1));
  }
  if (!process.empty()) {
    if (!range->restrictions.empty()) {
      return range_error(spec, "only fully-qualified sets allowed in multiple set scenario");
    }
    // A bare version is Maven's "soft requirement": it matches every version.
    auto v = Version::parse(Scheme::kMaven, process);
    if (!v.ok()) return range_error(spec, v.error().message);
    range->restrictions.push_back(Restriction{});
  }
  if (range->restrictions.empty()) return range_error(spec, "empty range");
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

// ---------------------------------------------------------------------------------------
// vers: URIs (package-url's VERSION-RANGE-SPEC).

namespace {

struct VersRange final : Range::Internal {
  bool any = false;
  std::vector<Comparator> constraints;  // sorted by version, each version once

  bool contains(const Version& v) const override {
    if (any) return true;
    if (constraints.size() == 1) return holds(constraints[0].op, compare_same_family(v, constraints[0].version));
    for (const auto& c : constraints) {
      int r = compare_same_family(v, c.version);
      if (r == 0 && (c.op == Op::kEq || c.op == Op::kLe || c.op == Op::kGe)) return true;
      if (r == 0 && c.op == Op::kNe) return false;
    }
    std::vector<const Comparator*> bounds;
    for (const auto& c : constraints) {
      if (c.op != Op::kEq && c.op != Op::kNe) bounds.push_back(&c);
    }
    if (bounds.size() == 1) return holds(bounds[0]->op, compare_same_family(v, bounds[0]->version));
    for (size_t i = 0; i + 1 < bounds.size(); ++i) {
      const Comparator& current = *bounds[i];
      const Comparator& next = *bounds[i + 1];
      bool current_lower = current.op == Op::kGt || current.op == Op::kGe;
      bool next_upper = next.op == Op::kLt || next.op == Op::kLe;
      if (i == 0 && !current_lower && compare_same_family(v, current.version) < 0) return true;
      if (i + 2 == bounds.size() && !next_upper && compare_same_family(v, next.version) > 0) return true;
      if (current_lower && next_upper && compare_same_family(v, current.version) > 0 &&
          compare_same_family(v, next.version) < 0) {
        return true;
      }
    }
    return false;
  }
};

std::optional<Scheme> vers_scheme(std::string_view name) {
  if (name == "npm") return Scheme::kNpm;
  if (name == "semver") return Scheme::kSemver;
  if (name == "pypi") return Scheme::kPep440;
  if (name == "deb" || name == "debian") return Scheme::kDeb;
  if (name == "rpm") return Scheme::kRpm;
  if (name == "maven") return Scheme::kMaven;
  if (name == "golang" || name == "go") return Scheme::kGolang;
  if (name == "generic") return Scheme::kGeneric;
  if (name == "gem") return Scheme::kRubygems;
  if (name == "apk" || name == "alpine") return Scheme::kApk;
  if (name == "nuget") return Scheme::kNuget;
  if (name == "composer") return Scheme::kPackagist;
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// OSV and vers write Go versions without the "v" that Go itself requires.
Result<Version> parse_lenient(Scheme scheme, std::string_view text) {
  if (scheme == Scheme::kGolang && !text.empty() && text[0] != 'v') {
    std::string with_v;  // built by hand: `"v" + std::string(text)` trips GCC 12's -Wrestrict at -O3
    with_v.reserve(text.size() + 1);
    with_v.push_back('v');
    with_v.append(text);
    return Version::parse(scheme, with_v);
  }
  return Version::parse(scheme, text);
}

}  // namespace

Result<std::pair<Scheme, std::shared_ptr<const Range::Internal>>> parse_vers_uri(std::string_view uri) {
  using Parsed = std::pair<Scheme, std::shared_ptr<const Range::Internal>>;
  if (uri.substr(0, 5) != "vers:") return range_error(uri, "a vers URI starts with 'vers:'");
  size_t slash = uri.find('/', 5);
  if (slash == std::string_view::npos) return range_error(uri, "expected vers:<scheme>/<constraints>");
  std::string scheme_text = lower(uri.substr(5, slash - 5));
  auto scheme = vers_scheme(scheme_text);
  if (!scheme) return range_error(uri, "unsupported versioning scheme '" + scheme_text + "'");
  std::string constraints;
  for (char c : uri.substr(slash + 1)) {
    if (c != ' ' && c != '\t') constraints.push_back(c);
  }
  auto range = std::make_shared<VersRange>();
  if (constraints == "*") {
    range->any = true;
    return Parsed(*scheme, std::move(range));
  }
  size_t start = 0;
  while (true) {
    size_t bar = constraints.find('|', start);
    std::string_view item = std::string_view(constraints).substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (item.empty()) return range_error(uri, "empty constraint");
    Comparator c;
    static const std::pair<std::string_view, Op> kOps[] = {{">=", Op::kGe}, {"<=", Op::kLe}, {"!=", Op::kNe},
                                                           {"<", Op::kLt},  {">", Op::kGt},  {"=", Op::kEq}};
    c.op = Op::kEq;
    for (const auto& [name, op] : kOps) {
      if (item.substr(0, name.size()) == name) {
        c.op = op;
        item.remove_prefix(name.size());
        break;
      }
    }
    if (item == "*") {
      Error error = range_error(uri, "'*' must be the only constraint");
      error.code = "uprank.range.vers_wildcard";
      return error;
    }
    auto decoded = percent_decode(item);
    if (!decoded || decoded->empty()) return range_error(uri, "bad version in constraint");
    auto version = parse_lenient(*scheme, *decoded);
    if (!version.ok()) return range_error(uri, version.error().message);
    c.version = std::move(version.value());
    range->constraints.push_back(std::move(c));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  // VERSION-RANGE-SPEC: constraints are sorted by version, each version once, and
  // (ignoring "!=") "=", "<" and "<=" are followed only by "=", ">" or ">="; ">" and ">="
  // only by "<" or "<=".
  auto coded = [&](std::string_view code, const std::string& reason) {
    Error error = range_error(uri, reason);
    error.code = std::string(code);
    return error;
  };
  const auto& parsed = range->constraints;
  for (size_t i = 1; i < parsed.size(); ++i) {
    int c = compare_same_family(parsed[i - 1].version, parsed[i].version);
    if (c == 0) {
      return coded("uprank.range.vers_duplicate", "version '" + parsed[i].version.text() + "' appears more than once");
    }
    if (c > 0) {
      return coded("uprank.range.vers_unsorted", "versions must be in ascending order: '" +
                                                     parsed[i].version.text() + "' follows '" +
                                                     parsed[i - 1].version.text() + "'");
    }
  }
  const Comparator* previous = nullptr;
  for (const auto& c : parsed) {
    if (c.op == Op::kNe) continue;
    if (previous != nullptr) {
      bool previous_lower = previous->op == Op::kGt || previous->op == Op::kGe;
      bool lower = c.op == Op::kGt || c.op == Op::kGe || c.op == Op::kEq;
      bool upper = c.op == Op::kLt || c.op == Op::kLe;
      if (previous_lower ? !upper : !lower) {
        return coded("uprank.range.vers_sequence",
                     "constraint on '" + c.version.text() + "' cannot follow the one on '" +
                         previous->version.text() + "' (" +
                         (previous_lower ? "a lower bound needs an upper bound next" : "expected '=', '>' or '>=' next") +
                         ")");
      }
    }
    previous = &c;
  }
  return Parsed(*scheme, std::move(range));
}

// ---------------------------------------------------------------------------------------
// OSV events and unions.

namespace {

struct OsvRange final : Range::Internal {
  enum class Kind : uint8_t { kIntroduced, kFixed, kLastAffected, kLimit };
  struct Event {
    Kind kind;
    std::optional<Version> version;  // nullopt: introduced "0" (everything) or limit "*"
  };
  std::vector<Event> events;  // sorted by version; "0" first

  bool contains(const Version& v) const override {
    bool affected = false;
    for (const auto& e : events) {
      switch (e.kind) {
        case Kind::kIntroduced:
          if (!e.version || compare_same_family(v, *e.version) >= 0) affected = true;
          break;
        case Kind::kFixed:
          if (compare_same_family(v, *e.version) >= 0) affected = false;
          break;
        case Kind::kLastAffected:
          if (compare_same_family(v, *e.version) > 0) affected = false;
          break;
        case Kind::kLimit:
          break;
      }
    }
    if (!affected) return false;
    // OSV's BeforeLimits: with limits, a version counts only below ANY of them ("*" is
    // no bound), as the schema's evaluation pseudocode states.
    bool limited = false;
    for (const auto& e : events) {
      if (e.kind != Kind::kLimit) continue;
      if (!e.version || compare_same_family(v, *e.version) < 0) return true;
      limited = true;
    }
    return !limited;
  }
};

struct UnionRange final : Range::Internal {
  std::vector<Range> ranges;
  bool contains(const Version& v) const override {
    return std::any_of(ranges.begin(), ranges.end(), [&](const Range& r) { return r.contains(v); });
  }
};

}  // namespace

Result<std::shared_ptr<const Range::Internal>> osv_range(Scheme scheme, const std::vector<Range::OsvEvent>& events) {
  auto range = std::make_shared<OsvRange>();
  bool introduced = false;
  for (const auto& e : events) {
    OsvRange::Event event;
    if (e.kind == "introduced") {
      event.kind = OsvRange::Kind::kIntroduced;
      introduced = true;
    } else if (e.kind == "fixed") {
      event.kind = OsvRange::Kind::kFixed;
    } else if (e.kind == "last_affected") {
      event.kind = OsvRange::Kind::kLastAffected;
    } else if (e.kind == "limit") {
      event.kind = OsvRange::Kind::kLimit;
    } else {
      return make_error("uprank.range.invalid", "unknown OSV event '" + e.kind + "'");
    }
    bool open = (event.kind == OsvRange::Kind::kIntroduced && e.version == "0") ||
                (event.kind == OsvRange::Kind::kLimit && e.version == "*");
    if (!open) {
      auto v = parse_lenient(scheme, e.version);
      if (!v.ok()) {
        return make_error("uprank.range.invalid", "OSV event " + e.kind + ": " + v.error().message);
      }
      event.version = std::move(v.value());
    }
    range->events.push_back(std::move(event));
  }
  if (!introduced) return make_error("uprank.range.invalid", "OSV range has no 'introduced' event");
  std::stable_sort(range->events.begin(), range->events.end(), [](const OsvRange::Event& a, const OsvRange::Event& b) {
    // "introduced: 0" sorts first and "limit: *" last.
    auto rank = [](const OsvRange::Event& e) { return e.version ? 1 : (e.kind == OsvRange::Kind::kIntroduced ? 0 : 2); };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return rank(a) == 1 && compare_same_family(*a.version, *b.version) < 0;
  });
  return std::shared_ptr<const Range::Internal>(std::move(range));
}

std::shared_ptr<const Range::Internal> union_range(const std::vector<Range>& ranges) {
  auto range = std::make_shared<UnionRange>();
  range->ranges = ranges;
  return range;
}

}  // namespace internal

Result<Range> Range::parse(Scheme scheme, std::string_view text) {
  if (text.size() > internal::kMaxRangeLength) {
    return make_error("uprank.range.too_long", "range is longer than " + std::to_string(internal::kMaxRangeLength) +
                                                   " characters");
  }
  Result<std::shared_ptr<const Internal>> parsed = [&]() -> Result<std::shared_ptr<const Internal>> {
    switch (scheme) {
      case Scheme::kSemver:
      case Scheme::kNpm:
        return internal::parse_npm_range(scheme, text);
      case Scheme::kPep440:
        return internal::parse_pep440_range(text);
      case Scheme::kMaven:
        return internal::parse_maven_range(text);
      case Scheme::kRubygems:
        return internal::parse_rubygems_range(text);
      case Scheme::kNuget:
        return internal::parse_nuget_range(text);
      case Scheme::kPackagist:
        return internal::parse_packagist_range(text);
      default:
        return internal::parse_comparator_range(scheme, text);
    }
  }();
  if (!parsed.ok()) return parsed.error();
  Range range;
  range.scheme_ = scheme;
  range.text_ = std::string(text);
  range.parsed_ = std::move(parsed.value());
  return range;
}

Result<Range> Range::parse_vers(std::string_view uri) {
  if (uri.size() > internal::kMaxRangeLength) {
    return make_error("uprank.range.too_long", "range is longer than " + std::to_string(internal::kMaxRangeLength) +
                                                   " characters");
  }
  auto parsed = internal::parse_vers_uri(uri);
  if (!parsed.ok()) return parsed.error();
  Range range;
  range.scheme_ = parsed->first;
  range.text_ = std::string(uri);
  range.parsed_ = std::move(parsed->second);
  return range;
}

Result<Range> Range::parse_vers_or_native(Scheme scheme, std::string_view text) {
  if (text == "vers:all/*") {
    auto all = parse_vers("vers:generic/*");
    if (all.ok()) all->scheme_ = scheme;
    return all;
  }
  return text.substr(0, 5) == "vers:" ? parse_vers(text) : parse(scheme, text);
}

Result<Range> Range::from_osv_events(Scheme scheme, const std::vector<OsvEvent>& events) {
  auto parsed = internal::osv_range(scheme, events);
  if (!parsed.ok()) return parsed.error();
  Range range;
  range.scheme_ = scheme;
  for (const auto& e : events) {
    if (!range.text_.empty()) range.text_ += ", ";
    range.text_ += e.kind + ": " + e.version;
  }
  range.parsed_ = std::move(parsed.value());
  return range;
}

Result<Range> Range::any_of(const std::vector<Range>& ranges) {
  Range range;
  if (!ranges.empty()) range.scheme_ = ranges.front().scheme_;
  for (const auto& r : ranges) {
    if (!internal::same_family(r.scheme_, range.scheme_)) {
      return make_error("uprank.range.scheme_mismatch", "cannot join ranges of different schemes");
    }
    if (!range.text_.empty()) range.text_ += " || ";
    range.text_ += r.text_;
  }
  range.parsed_ = internal::union_range(ranges);
  return range;
}

bool Range::contains(const Version& version) const {
  if (!parsed_ || !internal::same_family(scheme_, version.scheme())) return false;
  return parsed_->contains(version);
}

}  // namespace uprank::versions
