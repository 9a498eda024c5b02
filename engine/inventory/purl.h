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

// Returns whether `a` and `b` name the same package (type, namespace and name), letter
// case compared as the type's package registry does: the spec's type definitions make the
// namespace and name case-insensitive for alpm, apk, bitbucket, composer, deb, github,
// golang, hex and npm, the name alone for bitnami, luarocks, nuget (NuGet package ids are
// "case-preserving, but case-insensitive"), oci, pub and pypi, and the namespace alone
// for rpm; every other type compares exactly. Versions and qualifiers are not compared.
bool same_package(const PackageUrl& a, const PackageUrl& b);

// Returns the reason `a` and `b` do not name the same package when they differ only in
// letter case, for a message ("maven names are case-sensitive"); "" otherwise.
std::string case_only_difference(const PackageUrl& a, const PackageUrl& b);

// Percent-encodes every byte outside the purl's unreserved set (ALPHA DIGIT . - _ ~),
// except those listed in `keep`.
std::string purl_encode(std::string_view text, std::string_view keep = {});

}  // namespace uprank::inventory
