// Versions and ranges per ecosystem scheme, matching each ecosystem's reference
// implementation (dpkg, node-semver, Python packaging, Maven, rpm, Go modules).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"

namespace uprank::versions {

enum class Scheme : uint8_t { kSemver, kNpm, kPep440, kDeb, kRpm, kMaven, kGolang, kGeneric };

// Returns the scheme named `name` ("semver", "npm", "pep440", "deb", "rpm", "maven",
// "golang", "generic"), or nullopt.
std::optional<Scheme> parse_scheme(std::string_view name);
std::string_view scheme_name(Scheme scheme);
const std::vector<Scheme>& all_schemes();

// A parsed version. Immutable and cheap to copy; compare only versions of one scheme.
class Version {
 public:
  Version() = default;
  // Parses `text` in `scheme`; invalid text is an error with a reason, never a fallback.
  static Result<Version> parse(Scheme scheme, std::string_view text);

  Scheme scheme() const { return scheme_; }
  const std::string& text() const { return text_; }
  // Numeric release components as rules see them (major.minor.patch); nullopt when the
  // version has fewer components or the scheme has no such notion.
  std::optional<int64_t> major() const;
  std::optional<int64_t> minor() const;
  std::optional<int64_t> patch() const;

  struct Internal;  // per-scheme parsed form, defined in the implementation

 private:
  Scheme scheme_ = Scheme::kGeneric;
  std::string text_;
  std::shared_ptr<const Internal> parsed_;
  friend int compare(const Version&, const Version&);
  friend bool in_cycle(const Version&, std::string_view);
  friend class Range;
};

// Returns <0, 0 or >0. Versions of different schemes compare by scheme (a programming
// error in callers, but total so that sorting never misbehaves).
int compare(const Version& a, const Version& b);
inline bool operator<(const Version& a, const Version& b) { return compare(a, b) < 0; }
inline bool operator==(const Version& a, const Version& b) { return compare(a, b) == 0; }

// Returns whether `version` lies in the release cycle named `cycle` ("3.11.4" is in
// "3.11"; "15.4" is in "15"), comparing the cycle's components as a prefix.
bool in_cycle(const Version& version, std::string_view cycle);

// A set of versions in one scheme: native range syntax, a vers: URI, or OSV events.
class Range {
 public:
  Range() = default;
  // Parses the scheme's native range syntax (npm ranges for semver/npm, PEP 440
  // specifier sets, deb/rpm/golang/generic comparator lists, Maven bracket ranges).
  static Result<Range> parse(Scheme scheme, std::string_view text);
  // Parses a package-url version range specifier, e.g. "vers:deb/>=1.2|<2.0".
  static Result<Range> parse_vers(std::string_view uri);

  // One OSV `ranges` entry: events in order ("introduced", "fixed", "last_affected",
  // "limit"), with "introduced": "0" meaning from the beginning.
  struct OsvEvent {
    std::string kind;
    std::string version;
  };
  static Result<Range> from_osv_events(Scheme scheme, const std::vector<OsvEvent>& events);

  Scheme scheme() const { return scheme_; }
  const std::string& text() const { return text_; }
  bool contains(const Version& version) const;

  struct Internal;

 private:
  Scheme scheme_ = Scheme::kGeneric;
  std::string text_;
  std::shared_ptr<const Internal> parsed_;
};

}  // namespace uprank::versions
