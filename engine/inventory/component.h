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
};

struct Inventory {
  std::vector<Component> components;
  std::vector<Diagnostic> diagnostics;  // problems found while reading; errors skip items
};

}  // namespace uprank::inventory
