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

struct Component {
  std::string name;        // unique within an inventory (readers disambiguate)
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
