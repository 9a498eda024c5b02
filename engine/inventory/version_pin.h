// Version pins: what an image tag, a tool version file or a version constraint says about
// the version that runs (an exact release, a release line, a range, a digest, nothing).
#pragma once

#include <string>
#include <string_view>

#include "engine/inventory/component.h"

namespace uprank::inventory {

using VersionPin = Component::VersionPin;

// Returns the pin of a container image reference's tag and digest. Numeric tags are
// exact here ("7", "16.1", "3.12-slim-bookworm"); the product map decides whether they
// are coarser than the product's releases. Word tags name a codename ("bookworm",
// "jammy-20240101", "iron-alpine"; "lts" is "lts/*") or nothing ("latest", "alpine").
VersionPin pin_of_image_tag(std::string_view tag, std::string_view digest);

// Returns the pin of a tool version file entry (.nvmrc, .node-version, .python-version,
// .terraform-version, .tool-versions): "v20.11.0" is exact, "lts/iron" and "lts/*" are
// codenames, "node", "stable", "latest", "system" and "ref:…" name nothing; a
// constraint ("^18", ">= 3.11") is a range.
VersionPin pin_of_tool_version(std::string_view text);

// Returns the pin of a version constraint (Terraform "~> 1.5.0", ">= 13, < 16",
// npm-like "^18", "1.x", alternatives with "||"). A single "= 1.5.7" or bare version is
// exact, with the version in `lowest`; a wildcard ("1.x", "1.5.*") is a line pin;
// anything else a range whose `lowest` is the lowest version it allows ("0" when it
// has no lower bound).
VersionPin pin_of_constraint(std::string_view text);

// Returns the pin of an SBOM's version field (CycloneDX `version`, SPDX `versionInfo`):
// exact, unless it is written as a constraint. GitHub's dependency-graph SPDX export puts
// a manifest's requirement there when there is no lockfile (">= 1.0", "~> 2.2", "4.*.*"):
// a range or line, which must not be read as an invalid version.
VersionPin pin_of_sbom_version(std::string_view text);

// Returns the leading dotted number of a version ("15.4-alpine" -> "15.4", "v1.33" ->
// "1.33", "1:3.0.11-1" -> "3.0.11"), or "".
std::string leading_number(std::string_view text);

// An image tag cut into the product version it names and the image variant after it.
// "3.13.0rc2-slim" is {"3.13.0rc2", "-slim"}, "22.0.0-rc.1-alpine" {"22.0.0-rc.1",
// "-alpine"}, "17beta3" {"17beta3", ""}, "v1.2.3" {"1.2.3", ""}, "9.6p1" {"9.6p1", ""},
// "20.11.0+build5-alpine" {"20.11.0", "-alpine"}: a pre-release and text written on the
// number are part of the version (an rc2 image is not the release), build metadata is
// not; the variant starts at the first "-word" or "_word" after them. A word tag has no version and keeps its
// variant without date stamps: "iron-alpine" {"", "-alpine"}, "bookworm-20240110-slim"
// {"", "-slim"}, "jammy-20240101" {"", ""}. A tag with no number or word is all variant.
struct TagParts {
  std::string version;
  std::string variant;
};
TagParts split_image_tag(std::string_view tag);

// Returns how many dotted numbers `number` has ("3.12" -> 2); 0 for "".
int number_parts(std::string_view number);

}  // namespace uprank::inventory
