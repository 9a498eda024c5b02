// The inventory model: what a team runs, each component with its context and provenance.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/base/source_location.h"
#include "engine/versions/versions.h"

namespace uprank::inventory {

// What a component really is, as advisories and end-of-life data know it: separate from
// its display name, which readers disambiguate when one package or image appears twice.
// Filled by assign_identities() (identity.h); docs/identity.md gives the rules.
struct Identity {
  // OSV ecosystem without the distro release: "npm", "PyPI", "Maven", "Go", "crates.io",
  // "RubyGems", "NuGet", "Packagist", "Hex", "Pub", "Debian", "Ubuntu", "Alpine",
  // "Red Hat", "Rocky Linux", "AlmaLinux", "Bitnami". Empty for what no package
  // ecosystem names (container images, hosts, engines, hand-written labels): those meet
  // product-level advisories through the product map.
  std::string ecosystem;
  std::string release;         // distro release: "12", "22.04", "v3.19"; "" when not a distro or unknown
  std::string release_origin;  // how the release is known: "purl", "os-release", "config", "version"
  std::string namespace_;      // purl namespace as given: npm scope, Maven group, Go module prefix
  std::string name;            // package name normalised by its ecosystem's rules, in OSV's form
  std::string source_name;     // distro source package (dpkg Source:, purl upstream=); "" if none
  std::string label;           // the name the input used, before display disambiguation

  // Returns the OSV ecosystem with its release, as advisories write it: "Debian:12".
  std::string osv_ecosystem() const { return release.empty() ? ecosystem : ecosystem + ":" + release; }
};

struct Component {
  std::string name;        // display name, unique within an inventory (readers disambiguate
                           // duplicates here only; identity.label keeps the input's name)
  std::string product;     // end-of-life product id ("postgresql"); empty when unmapped
  std::string version_text;
  versions::Scheme scheme = versions::Scheme::kGeneric;
  std::optional<versions::Version> version;  // absent when version_text does not parse
  std::string purl;        // package URL when known, else empty
  // Context the urgency policy weighs.
  std::string environment;  // "production", "staging", ...
  std::string criticality;  // "high", "medium", "low"
  std::string exposure;     // "internet", "internal", "isolated"
  std::string owner;
  std::string cluster;
  std::vector<std::string> tags;
  std::map<std::string, std::string> attributes;  // anything else the source carried
  std::vector<std::string> depends_on;            // names of other components
  SourceLocation location;                         // the text that pins this component

  // Provenance and identity detail, filled by the readers and the product map.
  std::string kind;     // what was pinned: "package", "container-image", "helm-chart",
                        // "terraform-provider", "terraform-module", "database-engine",
                        // "cluster", "github-action", "tool", "terraform"
  std::string source;   // the reader: "native", "cyclonedx", "spdx", "dpkg", "dockerfile",
                        // "compose", "kubernetes", "helm-chart", "helm-values",
                        // "terraform", "github-actions", "tool-versions", "nvmrc",
                        // "python-version", "terraform-version", "extractor"
  std::string cycle;    // release cycle the product map cuts from the version ("15")
  std::string service;  // the native inventory's host or service this belongs to
  std::string cpe;      // CPE 2.3 name when an SBOM carried one
  Identity identity;

  // Returns whether the product map (or the input) named an end-of-life product.
  bool mapped() const { return !product.empty(); }
};

// A host or service from the native inventory: a named group whose context its
// components inherit.
struct Service {
  std::string name;
  std::string kind;  // "service" or "host"
  std::string environment;
  std::string criticality;
  std::string exposure;
  std::string owner;
  std::string cluster;
  std::vector<std::string> tags;
  std::vector<std::string> components;  // names of its components
  SourceLocation location;
};

struct Inventory {
  std::vector<Component> components;
  std::vector<Service> services;
  std::vector<Diagnostic> diagnostics;  // problems found while reading; errors skip items
};

}  // namespace uprank::inventory
