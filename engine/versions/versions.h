// Versions and ranges per ecosystem scheme, matching each ecosystem's reference
// implementation (dpkg, node-semver, Python packaging, Maven, rpm, Go modules, RubyGems,
// apk-tools, NuGet.Versioning, composer/semver).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"

namespace uprank::versions {

enum class Scheme : uint8_t {
  kSemver,
  kNpm,
  kPep440,
  kDeb,
  kRpm,
  kMaven,
  kGolang,
  kGeneric,
  kRubygems,
  kApk,
  kNuget,
  kPackagist,
};
// The number of schemes, for tables indexed by Scheme.
inline constexpr size_t kSchemeCount = static_cast<size_t>(Scheme::kPackagist) + 1;

// Returns the scheme named `name` ("semver", "npm", "pep440", "deb", "rpm", "maven",
// "golang", "generic", "rubygems", "apk", "nuget", "packagist"), or nullopt.
std::optional<Scheme> parse_scheme(std::string_view name);
std::string_view scheme_name(Scheme scheme);
const std::vector<Scheme>& all_schemes();

namespace internal {
struct VersionAccess;  // the per-scheme parsers fill a Version through this
}

// A parsed version. Immutable and cheap to copy; compare only versions of one scheme.
//
// The parsed form is an order-preserving byte key: for every scheme but Maven, two
// versions compare exactly as their keys compare with memcmp, so a compare is a few
// nanoseconds and sorting needs no per-scheme logic.
class Version {
 public:
  Version() = default;
  // Parses `text` in `scheme`; invalid text is an error with a reason, never a fallback.
  // Error codes: uprank.version.invalid, uprank.version.too_long.
  static Result<Version> parse(Scheme scheme, std::string_view text);
  // Parses exactly as parse() does, into `out`, reusing its storage: for loops over many
  // versions (no allocation once `out` has grown). Returns false when `text` is invalid,
  // with the reason in `*error` when `error` is not null; `out` is then unspecified.
  static bool parse_into(Scheme scheme, std::string_view text, Version& out, Error* error = nullptr);

  Scheme scheme() const { return scheme_; }
  const std::string& text() const { return text_; }
  // Numeric release components as rules see them (major.minor.patch); nullopt when the
  // version has fewer components or the scheme has no such notion.
  std::optional<int64_t> major() const;
  std::optional<int64_t> minor() const;
  std::optional<int64_t> patch() const;
  // Returns whether the scheme calls this a pre-release (semver "-rc.1", PEP 440 "a1" or
  // ".dev0", Maven qualifiers below the release, generic "-beta"). Deb and rpm have none.
  bool is_prerelease() const { return prerelease_; }

 private:
  friend struct internal::VersionAccess;
  friend int compare(const Version&, const Version&);
  friend bool in_cycle(const Version&, std::string_view);
  friend bool same_release(const Version&, const Version&);

  Scheme scheme_ = Scheme::kGeneric;
  bool prerelease_ = false;
  uint8_t number_count_ = 0;  // how many of numbers_ are set
  uint16_t aux_ = 0;          // scheme-specific: rpm's key length without the release
  std::array<int64_t, 4> numbers_{};  // leading numeric components, for cycles and rules
  std::string key_;           // order-preserving encoding (see versions_internal.h)
  std::string text_;
};

// Returns <0, 0 or >0. Versions of different schemes compare by scheme (a programming
// error in callers, but total so that sorting never misbehaves).
int compare(const Version& a, const Version& b);
inline bool operator<(const Version& a, const Version& b) { return compare(a, b) < 0; }
inline bool operator==(const Version& a, const Version& b) { return compare(a, b) == 0; }

// Returns whether `version` lies in the release cycle named `cycle` ("3.11.4" is in
// "3.11"; "15.4" is in "15"; "1:2.30-1" (deb) is in "2.30"), comparing the cycle's numeric
// components with the version's leading numeric components.
bool in_cycle(const Version& version, std::string_view cycle);

// Returns whether `a` and `b` (one scheme) have the same leading numeric components, the
// release a pre-release leads up to: "1.0.0-rc1" and "1.0.0-rc2" (and "1.0.0") do, "1.0.1-rc1"
// does not. This is node-semver's [major, minor, patch] tuple test, under which a pre-release
// is in play only for versions of its own release (semver.org §9, node-semver
// includePrerelease), applied to each scheme's numeric prefix.
bool same_release(const Version& a, const Version& b);

// A set of versions in one scheme: native range syntax, a vers: URI, or OSV events.
// Immutable, cheap to copy and safe to share across threads.
class Range {
 public:
  Range() = default;
  // Parses the scheme's native range syntax (npm ranges for semver/npm, PEP 440
  // specifier sets, deb/rpm/apk/golang/generic comparator lists, Maven bracket ranges,
  // Gem requirements, NuGet intervals, Composer constraints). Error codes:
  // uprank.range.invalid, uprank.range.too_long, and for comparator lists
  // uprank.range.empty_element, uprank.range.unknown_operator, uprank.range.missing_operator.
  static Result<Range> parse(Scheme scheme, std::string_view text);
  // Parses a package-url version range specifier, e.g. "vers:deb/>=1.2|<2.0", as written:
  // a list the spec forbids is uprank.range.vers_unsorted, .vers_duplicate,
  // .vers_wildcard or .vers_sequence.
  static Result<Range> parse_vers(std::string_view uri);
  // Parses a vers: URI when `text` starts with "vers:", else `scheme`'s native syntax, as a
  // CSAF product_version_range may be written either way (csaf-v2.0 §3.1.2.3.2).
  // "vers:all/*" (every version of every scheme) is `scheme`'s range of every version.
  static Result<Range> parse_vers_or_native(Scheme scheme, std::string_view text);

  // One OSV `ranges` entry: events in order ("introduced", "fixed", "last_affected",
  // "limit"), with "introduced": "0" meaning from the beginning.
  struct OsvEvent {
    std::string kind;
    std::string version;
  };
  static Result<Range> from_osv_events(Scheme scheme, const std::vector<OsvEvent>& events);
  // Returns the union of `ranges` (all of one scheme), as OSV lists several ranges for
  // one package. An empty list contains nothing.
  static Result<Range> any_of(const std::vector<Range>& ranges);

  Scheme scheme() const { return scheme_; }
  const std::string& text() const { return text_; }
  // Returns whether `version` is in the range, with the scheme's own rules (npm and
  // PEP 440 exclude pre-releases unless the range names one). A version of another
  // scheme is never contained (semver and npm versions are interchangeable).
  bool contains(const Version& version) const;

  struct Internal;

 private:
  Scheme scheme_ = Scheme::kGeneric;
  std::string text_;
  std::shared_ptr<const Internal> parsed_;
};

}  // namespace uprank::versions
