// Component identity: which OSV ecosystem, distro release and normalised package name a
// component is, so that advisories meet exactly what it really is. The rules follow the
// OSV schema's ecosystem list (ossf.github.io/osv-schema/#affectedpackage-field), the
// package-url specification's types and qualifiers, and each ecosystem's own name rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/inventory/component.h"

namespace uprank::inventory {

// An OSV ecosystem string split into its base and distro release:
// "Debian:12" -> {"Debian", "12"}; "Ubuntu:22.04:LTS" -> {"Ubuntu", "22.04"};
// "Ubuntu:Pro:18.04:LTS" -> {"Ubuntu", "18.04"}; "Alpine:v3.19" -> {"Alpine", "v3.19"};
// "Rocky Linux:9" -> {"Rocky Linux", "9"}; "npm" -> {"npm", ""}.
struct OsvEcosystem {
  std::string base;
  std::string release;
};
OsvEcosystem split_osv_ecosystem(std::string_view ecosystem);

// Returns whether advisories of `base` are written per distro release ("Debian",
// "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux", "SUSE", "openSUSE", ...).
bool is_distro_ecosystem(std::string_view base);

// Returns the OSV ecosystem (without release) of a purl type and namespace:
// ("pypi", "") -> "PyPI"; ("deb", "ubuntu") -> "Ubuntu"; ("apk", "alpine") -> "Alpine";
// ("rpm", "rocky") -> "Rocky Linux". "" for types that no package ecosystem covers
// (docker, oci, generic, github) and for "bitnami", whose packages are vendor products
// (met through the product map, like images).
std::string osv_ecosystem_for_purl(std::string_view type, std::string_view namespace_);

// Returns `name` normalised by the rules of OSV ecosystem `base`, in the form OSV
// records write it: PyPI per PEP 503 (lower case, runs of '-', '_', '.' become '-');
// NuGet, Packagist and Hex lower case; Debian, Ubuntu, Alpine lower case; npm, Maven
// ("group:artifact"), Go module paths, crates.io and RubyGems as given.
std::string normalize_package_name(std::string_view base, std::string_view name);

// Returns the key under which an advisory's package (OSV `affected[].package`: ecosystem
// as the record writes it, e.g. "Debian:12", and name) can meet components:
// "<ecosystem base>\x1f<name normalised as above>" ("PyPI\x1fdjango-x"). The store indexes
// advisories by it and a report asks for the keys of its inventory, so both sides must
// build it here.
std::string advisory_package_key(std::string_view ecosystem, std::string_view name);

// The package name an OSV record of `base` uses for a purl's namespace and name:
// Maven "group:artifact", npm "@scope/name", Go "host/path/module", Packagist
// "vendor/package"; others the name alone. Normalised as above.
std::string osv_package_name(std::string_view base, std::string_view namespace_, std::string_view name);

// A distro named by configuration, `--distro`, or an os-release file: OSV ecosystem base
// and release ("Debian", "12").
struct Distro {
  std::string ecosystem;
  std::string release;
  std::string origin;  // "config", "os-release", "version"
};

// Parses "debian:12", "debian-12", "ubuntu:22.04", "alpine:3.19", "rocky:9" (as
// `distro:` in uprank.yaml and `--distro` take it). Codenames of Debian and Ubuntu
// releases ("bookworm", "jammy") are accepted. nullopt when unrecognised.
std::optional<Distro> parse_distro(std::string_view text);

// Reads the ID and VERSION_ID (or VERSION_CODENAME) of an os-release file's text.
std::optional<Distro> distro_from_os_release(std::string_view text);

// Returns the distro release a package version names, with its ecosystem:
// "3.0.11-1~deb12u2" -> Debian 12; "2.36-9+deb12u4" -> Debian 12; "1.2-3~bpo11+1" ->
// Debian 11; "1.21.1-1ubuntu2.3" is not enough, "2.7-1ubuntu0.22.04.1" -> Ubuntu 22.04;
// "2.34-100.el9_4.2" -> an EL 9 release (ecosystem left to the caller: "Red Hat",
// "Rocky Linux" or "AlmaLinux" all build ".el9"). nullopt when the version names none.
std::optional<Distro> distro_from_version(std::string_view scheme_ecosystem, std::string_view version);

// Returns the upstream version of a Debian package version, as its upstream publishes it:
// the epoch and the Debian revision (after the last '-') taken off, and a '~' that starts
// a pre-release made a '-' ("5:27.3.1-1~debian.12~bookworm" -> "27.3.1",
// "16.4-1.pgdg120+1" -> "16.4", "2.0~rc1-1" -> "2.0-rc1"; "7.0.14" stays). Marks a
// repository puts in the revision ("~bookworm", "+debian12~1.gbp…") go with it; text in
// the upstream part ("+dfsg", "+ds") stays. Policy §5.6.12.
std::string debian_upstream_version(std::string_view version);

struct IdentityOptions {
  std::optional<Distro> distro;  // `distro:` in uprank.yaml or --distro: wins over inference
  // Look for an os-release file beside dpkg status files (ROOT/var/lib/dpkg/status ->
  // ROOT/etc/os-release, ROOT/usr/lib/os-release).
  bool read_os_release = true;
};

// Fills every component's identity from what its reader found (purl, dpkg fields,
// image reference, native fields), and sets the display-independent `identity.label`.
// Distro releases come from the purl's `distro` qualifier, then the configured distro,
// then an os-release file beside a dpkg status file, then the versions of the same
// file's packages (the newest release they name), each said in a note; never guessed
// across releases. An RPM epoch in the purl's `epoch` qualifier becomes part of the
// version. Adds notes and warnings to the inventory's diagnostics.
void assign_identities(Inventory& inventory, const IdentityOptions& options = {});

}  // namespace uprank::inventory
