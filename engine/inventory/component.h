// The inventory model: what a team runs, each component with its context and provenance.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
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
  // location.file relative to the repository root, '/' separators ("deploy/Dockerfile"),
  // set by the command that knows the root; rules read it as `c.file`, so suppressions
  // scoped to a file match whatever the working directory. Empty when not set.
  std::string repository_path;

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

  // ---- Version pin (Identity, item 3: end-of-life identity) -------------------------
  // Kept in its own block at the end of Component. How precisely the input pins the
  // version: only an exact pin has a running version (`version` is absent otherwise,
  // so rules see `c.version` undefined); the other kinds still name a release line for
  // end-of-life. Readers fill it from the syntax (an image tag, a tool file, a
  // constraint); the product map turns an exact pin coarser than the product's
  // releases ("redis:7", "postgres:16") into a line pin. See docs/inventory.md.
  struct VersionPin {
    enum class Kind {
      kExact,    // one release: "16.1", "4.0.0", "15.4-alpine"
      kCycle,    // a release line, patch unknown: "redis:7", "node:22-alpine", "lts/iron", "debian:bookworm"
      kRange,    // a constraint allowing several releases: "~> 1.5.0", ">= 13, < 16", "^18"
      kDigest,   // an image pinned by digest only: the version is unknown
      kUnknown,  // nothing names a version: "latest", "stable", "alpine"
    };
    Kind kind = Kind::kExact;
    std::string cycle;       // kCycle: the line as pinned ("7", "22", "3.12"), or the cycle a codename names
    std::string codename;    // kCycle named by a codename, lower case: "bookworm", "jammy", "iron", "lts/*"
    std::string constraint;  // kRange: the constraint as written
    std::string lowest;      // kRange: the lowest version it allows ("1.5.0"; "0" when unbounded below)
    std::string digest;      // "sha256:…" when the reference carries a digest (any kind)

    bool exact() const { return kind == Kind::kExact; }
    // Returns the kind as rules and JSON name it: "exact", "line", "range", "digest", "unknown".
    std::string_view kind_name() const;
    // Returns a phrase saying what the pin is, for messages: "7 (line pin, patch unknown)",
    // "~> 1.5.0 (range pin, allows 1.5.0 and up)", "sha256:… (digest pin, version unknown)";
    // `version_text` for an exact pin.
    std::string describe(std::string_view version_text) const;
  };
  VersionPin pin;
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

// Returns whether two components run together, as the `related()` built-in and the
// constraints read it: through `depends_on` when either lists dependencies, else the same
// cluster when both name one, else the same environment when both name one, else yes.
bool related(const Component& a, const Component& b);

struct Inventory {
  std::vector<Component> components;
  std::vector<Service> services;
  std::vector<Diagnostic> diagnostics;  // problems found while reading; errors skip items
};

}  // namespace uprank::inventory
