// Package URLs (https://github.com/package-url/purl-spec): parsed into their parts and
// printed in canonical form, so that identities from SBOMs and readers compare exactly.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/base/result.h"

namespace uprank::inventory {

struct PackageUrl {
  std::string type;                               // lowercase: "npm", "deb", "maven"
  std::string namespace_;                         // decoded segments joined by '/'; may be empty
  std::string name;                               // decoded
  std::string version;                            // decoded; empty when absent
  std::map<std::string, std::string> qualifiers;  // lowercase keys, decoded values, no empty values
  std::string subpath;                            // decoded segments joined by '/', no '.', '..'

  // Parses `text` ("pkg:type/namespace/name@version?qualifiers#subpath"), applying the
  // spec's per-type normalisation (lowercase names for github, pypi '_' to '-', ...).
  // Fails with code "uprank.purl.invalid" and a reason.
  static Result<PackageUrl> parse(std::string_view text);

  // Returns the canonical form: lowercase type, percent-encoded parts, qualifiers sorted.
  std::string to_string() const;

  friend bool operator==(const PackageUrl&, const PackageUrl&) = default;
};

// Percent-encodes every byte outside the purl's unreserved set (ALPHA DIGIT . - _ ~),
// except those listed in `keep`.
std::string purl_encode(std::string_view text, std::string_view keep = {});

}  // namespace uprank::inventory
