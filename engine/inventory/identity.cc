#include "engine/inventory/identity.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "engine/files/files.h"
#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"

namespace uprank::inventory {
namespace {

using internal::to_lower;

// Release codenames of the distros whose OSV ecosystems are keyed by number. A short,
// closed list: a new release adds one line (Debian's and Ubuntu's own release pages).
struct Codename {
  const char* ecosystem;
  const char* codename;
  const char* release;
};
constexpr Codename kCodenames[] = {
    {"Debian", "wheezy", "7"},     {"Debian", "jessie", "8"},     {"Debian", "stretch", "9"},
    {"Debian", "buster", "10"},    {"Debian", "bullseye", "11"},  {"Debian", "bookworm", "12"},
    {"Debian", "trixie", "13"},    {"Debian", "forky", "14"},     {"Ubuntu", "trusty", "14.04"},
    {"Ubuntu", "xenial", "16.04"}, {"Ubuntu", "bionic", "18.04"}, {"Ubuntu", "focal", "20.04"},
    {"Ubuntu", "jammy", "22.04"},  {"Ubuntu", "lunar", "23.04"},  {"Ubuntu", "mantic", "23.10"},
    {"Ubuntu", "noble", "24.04"},  {"Ubuntu", "oracular", "24.10"}, {"Ubuntu", "plucky", "25.04"},
    {"Ubuntu", "questing", "25.10"},
};

// os-release IDs and purl namespaces -> OSV ecosystem bases.
constexpr std::pair<const char*, const char*> kDistroIds[] = {
    {"debian", "Debian"},       {"ubuntu", "Ubuntu"},          {"alpine", "Alpine"},
    {"rhel", "Red Hat"},        {"redhat", "Red Hat"},         {"rocky", "Rocky Linux"},
    {"almalinux", "AlmaLinux"}, {"opensuse", "openSUSE"},      {"opensuse-leap", "openSUSE"},
    {"sles", "SUSE"},           {"suse", "SUSE"},              {"wolfi", "Wolfi"},
    {"chainguard", "Chainguard"}, {"mageia", "Mageia"},        {"openeuler", "openEuler"},
};

std::string distro_ecosystem(std::string_view id) {
  std::string lowered = to_lower(id);
  for (const auto& [key, ecosystem] : kDistroIds) {
    if (lowered == key) return ecosystem;
  }
  return {};
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Returns the release as the distro's OSV ecosystem writes it: Debian and EL majors
// ("12", "9"), Ubuntu "YY.MM", Alpine "vX.Y". "" when `text` is not a release of `base`.
std::string normalize_release(std::string_view base, std::string_view text) {
  std::string lowered = to_lower(text);
  for (const Codename& entry : kCodenames) {
    if (base == entry.ecosystem && lowered == entry.codename) return entry.release;
  }
  std::string_view rest = lowered;
  if (base == "Alpine" && !rest.empty() && rest.front() == 'v') rest.remove_prefix(1);
  std::vector<std::string_view> parts;
  while (true) {
    size_t dot = rest.find('.');
    parts.push_back(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  for (std::string_view part : parts) {
    if (!all_digits(part)) return {};
  }
  if (base == "Ubuntu") return parts.size() >= 2 ? std::string(parts[0]) + "." + std::string(parts[1]) : "";
  if (base == "Alpine") return parts.size() >= 2 ? "v" + std::string(parts[0]) + "." + std::string(parts[1]) : "";
  return std::string(parts[0]);
}

// The purl `distro` qualifier: "debian-12", "bookworm", "ubuntu-22.04", "alpine-3.19.1".
std::string release_from_qualifier(std::string_view base, std::string_view qualifier) {
  std::string_view value = qualifier;
  if (size_t dash = value.rfind('-'); dash != std::string_view::npos) {
    std::string named = distro_ecosystem(value.substr(0, dash));
    if (!named.empty() && named != base) return {};  // a qualifier naming another distro
    value = value.substr(dash + 1);
  }
  return normalize_release(base, value);
}

// Reads a small os-release file beside a dpkg status file; regular files only.
std::optional<Distro> os_release_beside(const std::string& status_path) {
  namespace fs = std::filesystem;
  fs::path status(status_path);
  // ROOT/var/lib/dpkg/status (or status.d/<pkg>) -> ROOT
  fs::path dir = status.parent_path();
  if (dir.filename() == "status.d") dir = dir.parent_path();
  if (dir.filename() != "dpkg") return std::nullopt;
  fs::path root = dir.parent_path().parent_path().parent_path();  // dpkg -> lib -> var -> ROOT
  for (const char* candidate : {"etc/os-release", "usr/lib/os-release"}) {
    fs::path path = root / candidate;
    auto text = files::read_regular_file(path.string(), 64 * 1024);
    if (!text.ok()) continue;  // absent or unusable: the next candidate, then no distro
    if (auto distro = distro_from_os_release(*text)) return distro;
  }
  return std::nullopt;
}

// Releases compare by number: "v3.19" < "v3.20", "9" < "12", "20.04" < "22.04".
bool release_less(const std::string& a, const std::string& b) {
  auto numbers = [](std::string_view text) {
    std::vector<long> out;
    if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
    while (!text.empty()) {
      size_t dot = text.find('.');
      std::string_view part = text.substr(0, dot);
      out.push_back(all_digits(part) && part.size() < 9 ? std::stol(std::string(part)) : 0);
      if (dot == std::string_view::npos) break;
      text.remove_prefix(dot + 1);
    }
    return out;
  };
  return numbers(a) < numbers(b);
}

// The source package name in an rpm source file name, rpm's SOURCERPM tag
// ("NAME-VERSION-RELEASE.src.rpm"): the name is what precedes the last two '-'. A text
// that is not such a file name is the name itself.
std::string source_rpm_name(std::string_view text) {
  for (std::string_view suffix : {std::string_view(".src.rpm"), std::string_view(".nosrc.rpm")}) {
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      std::string_view rest = text.substr(0, text.size() - suffix.size());
      size_t release = rest.rfind('-');
      if (release == std::string_view::npos || release == 0) return std::string(text);
      size_t version = rest.rfind('-', release - 1);
      if (version == std::string_view::npos || version == 0) return std::string(text);
      return std::string(rest.substr(0, version));
    }
  }
  return std::string(text);
}

// A distro package's source from what SBOM writers other than syft record, when its purl
// has no `upstream`: Trivy's CycloneDX properties (aquasecurity:trivy:SrcName, SrcVersion,
// SrcRelease, SrcEpoch; the version as Trivy's FormatSrcVersion joins them,
// "[epoch:]version[-release]"), or the `source_package`/`source_version` attributes the
// SPDX reader takes from Trivy's sourceInfo ("built package from: openssl 3.0.11-1~deb12u2").
void source_from_attributes(Component& component) {
  auto get = [&](const char* key) -> std::string {
    auto it = component.attributes.find(key);
    return it == component.attributes.end() ? std::string() : it->second;
  };
  std::string name = get("source_package");
  if (name.empty()) {
    name = get("property:aquasecurity:trivy:SrcName");
    if (name.empty()) return;
    std::string version = get("property:aquasecurity:trivy:SrcVersion");
    std::string release = get("property:aquasecurity:trivy:SrcRelease");
    std::string epoch = get("property:aquasecurity:trivy:SrcEpoch");
    if (!version.empty()) {
      if (!release.empty()) version += "-" + release;
      if (!epoch.empty() && epoch != "0") version = epoch + ":" + version;
      if (!component.attributes.count("source_version")) component.attributes["source_version"] = version;
    }
  }
  component.identity.source_name = to_lower(name);
}

}  // namespace

OsvEcosystem split_osv_ecosystem(std::string_view ecosystem) {
  OsvEcosystem out;
  size_t colon = ecosystem.find(':');
  out.base = std::string(ecosystem.substr(0, colon));
  if (colon == std::string_view::npos) return out;
  std::string_view rest = ecosystem.substr(colon + 1);
  if (out.base == "Ubuntu") {
    // "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS", "Ubuntu:Pro:FIPS:20.04:LTS": the release
    // is the part that reads as YY.MM.
    while (!rest.empty()) {
      size_t next = rest.find(':');
      std::string_view part = rest.substr(0, next);
      if (!normalize_release("Ubuntu", part).empty()) {
        out.release = std::string(part);
        break;
      }
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
    return out;
  }
  if (out.base == "Red Hat") {
    // "Red Hat:enterprise_linux:9::appstream": the first all-digit part is the release.
    while (!rest.empty()) {
      size_t next = rest.find(':');
      std::string_view part = rest.substr(0, next);
      if (all_digits(part.substr(0, part.find('.')))) {
        out.release = std::string(part.substr(0, part.find('.')));
        break;
      }
      if (next == std::string_view::npos) break;
      rest.remove_prefix(next + 1);
    }
    return out;
  }
  out.release = std::string(rest.substr(0, rest.find(':')));
  return out;
}

bool is_distro_ecosystem(std::string_view base) {
  for (const auto& [key, ecosystem] : kDistroIds) {
    if (base == ecosystem) return true;
  }
  return false;
}

std::string osv_ecosystem_for_purl(std::string_view type, std::string_view namespace_) {
  static constexpr std::pair<const char*, const char*> kTypes[] = {
      {"npm", "npm"},         {"pypi", "PyPI"},          {"maven", "Maven"},     {"golang", "Go"},
      {"cargo", "crates.io"}, {"gem", "RubyGems"},       {"nuget", "NuGet"},     {"composer", "Packagist"},
      {"hex", "Hex"},         {"pub", "Pub"},            {"swift", "SwiftURL"},  {"cran", "CRAN"},
      {"hackage", "Hackage"}, {"conan", "ConanCenter"},
  };
  for (const auto& [key, ecosystem] : kTypes) {
    if (type == key) return ecosystem;
  }
  if (type == "deb" || type == "rpm" || type == "apk") {
    std::string named = distro_ecosystem(namespace_);
    if (!named.empty()) return named;
    if (type == "apk") return "Alpine";  // apk without a namespace is Alpine's
  }
  return {};
}

std::string normalize_package_name(std::string_view base, std::string_view name) {
  if (base == "PyPI") {
    // PEP 503: re.sub(r"[-_.]+", "-", name).lower()
    std::string out;
    for (char c : name) {
      bool separator = c == '-' || c == '_' || c == '.';
      if (separator) {
        if (out.empty() || out.back() != '-') out += '-';
      } else {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return out;
  }
  if (base == "NuGet" || base == "Packagist" || base == "Hex" || base == "Pub" || is_distro_ecosystem(base)) {
    return to_lower(name);
  }
  return std::string(name);
}

std::string advisory_package_key(std::string_view ecosystem, std::string_view name) {
  OsvEcosystem split = split_osv_ecosystem(ecosystem);
  return split.base + '\x1f' + normalize_package_name(split.base, name);
}

std::string osv_package_name(std::string_view base, std::string_view namespace_, std::string_view name) {
  std::string joined(name);
  if (!namespace_.empty()) {
    if (base == "Maven") joined = std::string(namespace_) + ":" + std::string(name);
    else if (base == "npm" || base == "Go" || base == "Packagist" || base == "SwiftURL") {
      joined = std::string(namespace_) + "/" + std::string(name);
    }
  }
  return normalize_package_name(base, joined);
}

std::optional<Distro> parse_distro(std::string_view text) {
  std::string_view id = text;
  std::string_view release;
  if (size_t sep = text.find_first_of(":-/ "); sep != std::string_view::npos) {
    id = text.substr(0, sep);
    release = text.substr(sep + 1);
  }
  std::string ecosystem = distro_ecosystem(id);
  if (ecosystem.empty()) {
    // A codename alone: "bookworm", "jammy".
    for (const Codename& entry : kCodenames) {
      if (to_lower(text) == entry.codename) return Distro{entry.ecosystem, entry.release, "config"};
    }
    return std::nullopt;
  }
  std::string normalized = normalize_release(ecosystem, release);
  if (normalized.empty()) return std::nullopt;
  return Distro{ecosystem, normalized, "config"};
}

std::optional<Distro> distro_from_os_release(std::string_view text) {
  std::map<std::string, std::string> fields;
  for (std::string_view line : internal::split_lines(text)) {
    size_t equals = line.find('=');
    if (equals == std::string_view::npos || line.substr(0, 1) == "#") continue;
    std::string value(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    fields[std::string(line.substr(0, equals))] = value;
  }
  std::string ecosystem = distro_ecosystem(fields["ID"]);
  if (ecosystem.empty()) return std::nullopt;
  std::string release = normalize_release(ecosystem, fields["VERSION_ID"]);
  if (release.empty()) release = normalize_release(ecosystem, fields["VERSION_CODENAME"]);
  if (release.empty()) return std::nullopt;  // Debian testing/sid: no release to match
  return Distro{ecosystem, release, "os-release"};
}

std::optional<Distro> distro_from_version(std::string_view scheme_ecosystem, std::string_view version) {
  static const RE2 kDebian(R"([~+](?:deb(\d+)u\d+|bpo(\d+)))");
  static const RE2 kUbuntu(R"(ubuntu\d+(?:\.\d+)*?[.~](\d\d\.\d\d)(?:\.\d+)*$|[~+](\d\d\.\d\d)(?:\.\d+)*$)");
  static const RE2 kEnterprise(R"(\.el(\d+))");
  std::string first, second;
  if (scheme_ecosystem == "Debian" &&
      RE2::PartialMatch(version, kDebian, &first, &second)) {
    return Distro{"Debian", first.empty() ? second : first, "version"};
  }
  if (scheme_ecosystem == "Ubuntu" && RE2::PartialMatch(version, kUbuntu, &first, &second)) {
    return Distro{"Ubuntu", first.empty() ? second : first, "version"};
  }
  if (is_distro_ecosystem(scheme_ecosystem) && RE2::PartialMatch(version, kEnterprise, &first)) {
    return Distro{std::string(scheme_ecosystem), first, "version"};
  }
  return std::nullopt;
}

namespace {
// A `distro:` value of `ecosystem`'s, for hints: the user's own distro, not Debian's.
std::string release_example(std::string_view ecosystem) {
  if (ecosystem == "Ubuntu") return "ubuntu:22.04";
  if (ecosystem == "Alpine") return "alpine:3.19";
  if (ecosystem == "Debian") return "debian:12";
  return "debian:12, ubuntu:22.04, alpine:3.19, rocky:9";
}

// The third-party apt repository that built a dpkg package, or "" for the distro's own.
// dpkg status files do not record where a package came from; these builds follow their
// upstream's support and fixes, not the distro's, so they are not the distro's packages
// (Debian's advisories and release do not apply to them). Two signals, each from the
// repository's own published packages (docs/identity.md lists the evidence):
//  - the mark its builds put in the Debian revision (NodeSource's "20.20.2-1nodesource1",
//    apt.postgresql.org's "16.4-1.pgdg120+1", Docker's "5:27.3.1-1~debian.12~bookworm",
//    Redis's "6:7.4.1-1rl1~bookworm1", deb.sury.org's "…+debian12~1.gbp…", nginx.org's
//    "1.26.2-1~bookworm"): Debian's own revisions name a release as "~deb12u1", "+deb12u1"
//    or "~bpo12+1", Ubuntu's as "ubuntu0.22.04.1" or "~22.04.1", never by codename, so a
//    revision that ends in a codename ("~jammy", "~bookworm1") is some other repository's;
//  - a package name the distros never ship, for vendors whose versions carry no mark
//    (MongoDB's "mongodb-org-server 7.0.14", Grafana's "grafana 11.3.0").
std::string third_party_repository(std::string_view package, std::string_view version) {
  struct Mark {
    const char* pattern;  // RE2, searched in the Debian revision
    const char* repository;
  };
  static const Mark kMarks[] = {
      {R"(nodesource)", "NodeSource"},
      {R"(pgdg)", "apt.postgresql.org"},
      {R"(~(debian|ubuntu|raspbian)\.[0-9.]+~[a-z]+$)", "download.docker.com"},
      {R"(rl\d+~[a-z]+\d*$)", "packages.redis.io"},
      {R"(deb\.sury\.org|\+(debian|ubuntu)[0-9.]+~\d+\.gbp)", "packages.sury.org"},
  };
  struct Vendor {
    const char* prefix;  // a package name, or a name prefix ending in '-'
    const char* repository;
  };
  static const Vendor kVendorPackages[] = {
      {"docker-ce", "download.docker.com"},        {"docker-ce-cli", "download.docker.com"},
      {"docker-ce-rootless-extras", "download.docker.com"}, {"docker-buildx-plugin", "download.docker.com"},
      {"docker-compose-plugin", "download.docker.com"}, {"containerd.io", "download.docker.com"},
      {"mongodb-org", "repo.mongodb.org"},         {"mongodb-org-", "repo.mongodb.org"},
      {"mongodb-mongosh", "repo.mongodb.org"},     {"mongodb-database-tools", "repo.mongodb.org"},
      {"grafana", "apt.grafana.com"},              {"grafana-enterprise", "apt.grafana.com"},
      {"elasticsearch", "artifacts.elastic.co"},   {"kibana", "artifacts.elastic.co"},
      {"logstash", "artifacts.elastic.co"},
  };
  static const std::vector<std::unique_ptr<RE2>> kCompiled = [] {
    std::vector<std::unique_ptr<RE2>> out;
    for (const Mark& mark : kMarks) out.push_back(std::make_unique<RE2>(mark.pattern));
    return out;
  }();
  // "~bookworm", "~jammy1" ending the revision: nginx.org's "1~bookworm", a Launchpad PPA's "~jammy1".
  static const RE2 kCodenameMark([] {
    std::string alternatives;
    for (const Codename& codename : kCodenames) alternatives += std::string(alternatives.empty() ? "" : "|") + codename.codename;
    return "~(" + alternatives + ")\\d*$";
  }());

  size_t dash = version.rfind('-');
  std::string_view revision = dash == std::string_view::npos ? std::string_view() : version.substr(dash + 1);
  if (!revision.empty()) {
    for (size_t m = 0; m < std::size(kMarks); ++m) {
      if (RE2::PartialMatch(revision, *kCompiled[m])) return kMarks[m].repository;
    }
  }
  for (const Vendor& vendor : kVendorPackages) {
    std::string_view prefix = vendor.prefix;
    bool matches = prefix.back() == '-' ? package.size() > prefix.size() && package.substr(0, prefix.size()) == prefix
                                        : package == prefix;
    if (matches) return vendor.repository;
  }
  if (!revision.empty() && RE2::PartialMatch(revision, kCodenameMark)) {
    bool nginx = package == "nginx" || package.rfind("nginx-module-", 0) == 0;
    return nginx ? "nginx.org" : "a third-party repository";
  }
  return {};
}
}  // namespace

std::string debian_upstream_version(std::string_view version) {
  if (size_t colon = version.find(':'); colon != std::string_view::npos && colon > 0 &&
                                         version.substr(0, colon).find_first_not_of("0123456789") == std::string_view::npos) {
    version.remove_prefix(colon + 1);
  }
  if (size_t dash = version.rfind('-'); dash != std::string_view::npos) version = version.substr(0, dash);
  std::string upstream(version);
  // "2.0~rc1": Debian's way of sorting a pre-release before its release.
  if (size_t tilde = upstream.find('~'); tilde != std::string::npos && tilde + 1 < upstream.size() &&
                                          std::isalpha(static_cast<unsigned char>(upstream[tilde + 1])) != 0) {
    upstream[tilde] = '-';
  }
  return upstream;
}

void assign_identities(Inventory& inventory, const IdentityOptions& options) {
  // Per input file: the distro its packages share when nothing states it.
  struct FileDistro {
    bool looked = false;
    std::optional<Distro> stated;  // os-release beside a dpkg status file
    std::optional<Distro> inferred;  // newest release named by a package version
    std::string inferred_from;       // one version that named it
    std::map<std::string, size_t> unknown;  // distro packages left without a release, by ecosystem
    bool used_inference = false;     // some package took the inferred release
    bool ubuntu_version = false;     // a dpkg version carries "ubuntuN": Ubuntu's, release or not
  };
  std::map<std::string, FileDistro> files;
  std::vector<size_t> awaiting_release;
  std::vector<size_t> apt_builds;  // dpkg packages of third-party apt repositories

  for (size_t index = 0; index < inventory.components.size(); ++index) {
    Component& component = inventory.components[index];
    Identity& identity = component.identity;
    if (identity.label.empty()) identity.label = component.name;
    auto purl = component.purl.empty() ? Result<PackageUrl>(make_error("", "")) : PackageUrl::parse(component.purl);
    if (purl.ok() && purl->type != "docker" && purl->type != "oci") {
      identity.ecosystem = osv_ecosystem_for_purl(purl->type, purl->namespace_);
      identity.namespace_ = purl->namespace_;
      identity.name = osv_package_name(identity.ecosystem, purl->namespace_, purl->name);
      if (auto upstream = purl->qualifiers.find("upstream"); upstream != purl->qualifiers.end()) {
        if (purl->type == "rpm") {
          // Syft writes an rpm's source as its file name (rpm's SOURCERPM tag):
          // "openssl-3.0.7-25.el9_3.src.rpm" is source package "openssl".
          identity.source_name = to_lower(source_rpm_name(upstream->second));
        } else {
          // Syft writes "upstream=openssl" or "upstream=openssl@3.0.11-1" (source and its version).
          size_t at = upstream->second.find('@');
          identity.source_name = to_lower(upstream->second.substr(0, at));
          if (at != std::string::npos && !component.attributes.count("source_version")) {
            component.attributes["source_version"] = upstream->second.substr(at + 1);
          }
        }
      } else if (is_distro_ecosystem(identity.ecosystem)) {
        source_from_attributes(component);
      }
      if (auto distro = purl->qualifiers.find("distro");
          distro != purl->qualifiers.end() && is_distro_ecosystem(identity.ecosystem)) {
        identity.release = release_from_qualifier(identity.ecosystem, distro->second);
        if (!identity.release.empty()) identity.release_origin = "purl";
      }
      if (component.version_text.empty() && !purl->version.empty()) {
        // CycloneDX and SPDX may give the version only inside the purl.
        component.version_text = purl->version;
        inventory.diagnostics.push_back(make_diagnostic(
            Severity::kNote, "uprank.inventory.version_from_purl",
            "component '" + component.name + "' has no version field; using the purl's version " + purl->version,
            component.location));
      }
      if (purl->type == "golang" && purl->namespace_.empty() && purl->name == "stdlib") {
        // Go's standard library is no module: its versions are Go releases, which syft
        // writes as Go names them ("go1.25.7") or bare ("1.25.7"), and OSV's Go database
        // ranges over bare numbers (SEMVER "1.25.8"). Read the release number in the
        // generic scheme, as the `go` product's versions are; no "v" is added (one the
        // input wrote, "v1.25.3", is kept, and targets are written with it).
        if (component.version_text.rfind("go", 0) == 0) component.version_text.erase(0, 2);
        component.scheme = versions::Scheme::kGeneric;
        component.version.reset();
      } else if (purl->type == "golang" && !component.version_text.empty() && component.version_text[0] >= '0' &&
          component.version_text[0] <= '9') {
        // Go module versions are "v1.2.3"; some SBOM writers drop the "v".
        component.version_text = "v" + component.version_text;
        component.version.reset();
      }
      if (auto epoch = purl->qualifiers.find("epoch"); epoch != purl->qualifiers.end() && purl->type == "rpm" &&
                                                       all_digits(epoch->second) && epoch->second != "0" &&
                                                       component.version_text.find(':') == std::string::npos &&
                                                       !component.version_text.empty()) {
        // purl-spec: rpm epochs are carried in the `epoch` qualifier, not the version.
        component.version_text = epoch->second + ":" + component.version_text;
        component.version.reset();
      }
    }
    bool dpkg = component.source == "dpkg";
    if (dpkg) {
      std::string package = component.attributes.count("package") ? component.attributes["package"] : component.name;
      if (std::string repository = third_party_repository(package, component.version_text); !repository.empty()) {
        // Its upstream's build: judged as the upstream product, outside the distro.
        component.attributes["apt_repository"] = repository;
        // What upstream's advisories and release data name: "16.4" of "16.4-1.pgdg120+1".
        // The full Debian version stays the version shown, pinned and compared in deb.
        component.attributes["upstream_version"] = debian_upstream_version(component.version_text);
        identity.ecosystem.clear();  // the reader's pkg:deb/debian purl said Debian
        identity.release.clear();
        // Its purl still names the distro it was installed on, once the file's is known.
        FileDistro& file = files[component.location.file];
        if (!file.looked) {
          file.looked = true;
          if (options.read_os_release) file.stated = os_release_beside(component.location.file);
        }
        apt_builds.push_back(index);
        continue;
      }
      // dpkg status files do not say which distro wrote them: Debian until something
      // (os-release, configuration, versions) says Ubuntu.
      identity.ecosystem = "Debian";
      identity.name = to_lower(component.attributes.count("package") ? component.attributes["package"] : component.name);
      if (auto source = component.attributes.find("source_package"); source != component.attributes.end()) {
        identity.source_name = to_lower(source->second);
      }
    }
    if (!is_distro_ecosystem(identity.ecosystem) || !identity.release.empty()) continue;
    // A distro package whose release its purl does not state.
    FileDistro& file = files[component.location.file];
    if (!file.looked) {
      file.looked = true;
      if (dpkg && options.read_os_release) file.stated = os_release_beside(component.location.file);
    }
    awaiting_release.push_back(index);
    // Ubuntu's own revisions ("7.81.0-1ubuntu1.15") say Ubuntu even where they name no
    // release: Ubuntu carries Debian's packages, Debian never carries Ubuntu's.
    static const RE2 kUbuntuRevision(R"(ubuntu\d)");
    if (dpkg && RE2::PartialMatch(component.version_text, kUbuntuRevision)) file.ubuntu_version = true;
    std::optional<Distro> named = distro_from_version(identity.ecosystem, component.version_text);
    if (!named && dpkg) named = distro_from_version("Ubuntu", component.version_text);
    if (named && (!file.inferred || (named->ecosystem == file.inferred->ecosystem
                                          ? release_less(file.inferred->release, named->release)
                                          : named->ecosystem == "Ubuntu"))) {
      // The newest release named; Ubuntu's own versions outrank Debian-looking ones (Ubuntu
      // carries many Debian packages unchanged, never the reverse).
      file.inferred = named;
      file.inferred_from = component.version_text;
    }
  }

  for (size_t index : awaiting_release) {
    Component& component = inventory.components[index];
    Identity& identity = component.identity;
    FileDistro& file = files[component.location.file];
    bool dpkg = component.source == "dpkg";
    // A dpkg file's ecosystem follows whatever states or names its distro.
    auto fits = [&](const std::optional<Distro>& distro) {
      return distro && (distro->ecosystem == identity.ecosystem ||
                        (dpkg && (distro->ecosystem == "Debian" || distro->ecosystem == "Ubuntu")));
    };
    const std::optional<Distro>* chosen = nullptr;
    if (fits(options.distro)) chosen = &options.distro;
    else if (fits(file.stated)) chosen = &file.stated;
    // A Debian release inferred from "+deb12u1" does not outrank an "ubuntuN" revision in
    // the same file: that file is Ubuntu's, whose release nothing named.
    else if (fits(file.inferred) && !(dpkg && file.ubuntu_version && file.inferred->ecosystem != "Ubuntu")) {
      chosen = &file.inferred;
    }
    if (chosen != nullptr) {
      identity.ecosystem = (*chosen)->ecosystem;
      identity.release = (*chosen)->release;
      identity.release_origin = chosen == &options.distro ? "config" : (*chosen)->origin;
      file.used_inference = file.used_inference || chosen == &file.inferred;
    } else {
      if (dpkg && file.ubuntu_version) identity.ecosystem = "Ubuntu";
      ++file.unknown[identity.ecosystem];
    }
    if (dpkg && identity.ecosystem != "Debian") {
      // The reader wrote pkg:deb/debian/…; the purl names the distro the identity found.
      if (auto purl = PackageUrl::parse(component.purl); purl.ok() && purl->type == "deb") {
        purl->namespace_ = to_lower(identity.ecosystem);
        component.purl = purl->to_string();
      }
    }
  }
  // A third-party build's purl names the distro of the file it was found in, as Debian's
  // and Ubuntu's packages beside it do (purl-spec's deb namespace is that vendor: "debian",
  // "ubuntu"); the repository is an attribute, not a purl vendor of its own.
  for (size_t index : apt_builds) {
    Component& component = inventory.components[index];
    const FileDistro& file = files[component.location.file];
    auto debian_family = [](const std::optional<Distro>& distro) {
      return distro && (distro->ecosystem == "Debian" || distro->ecosystem == "Ubuntu");
    };
    std::string ecosystem = "Debian";
    if (debian_family(options.distro)) ecosystem = options.distro->ecosystem;
    else if (debian_family(file.stated)) ecosystem = file.stated->ecosystem;
    else if (file.ubuntu_version) ecosystem = "Ubuntu";
    else if (debian_family(file.inferred)) ecosystem = file.inferred->ecosystem;
    if (auto purl = PackageUrl::parse(component.purl); purl.ok() && purl->type == "deb") {
      purl->namespace_ = to_lower(ecosystem);
      component.purl = purl->to_string();
    }
  }
  for (const auto& [path, file] : files) {
    if (file.used_inference) {
      inventory.diagnostics.push_back(make_diagnostic(
          Severity::kNote, "uprank.inventory.distro_inferred",
          file.inferred->ecosystem + " release " + file.inferred->release + " inferred from package versions (" +
              file.inferred_from + ")",
          SourceLocation{path, 0, 0}, "state it with 'distro:' in uprank.yaml or --distro"));
    }
    for (const auto& [ecosystem, count] : file.unknown) {
      inventory.diagnostics.push_back(make_diagnostic(
          Severity::kWarning, "uprank.inventory.distro_unknown",
          std::to_string(count) + " " + ecosystem + " package(s) with no known distro release: their advisories cannot be checked",
          SourceLocation{path, 0, 0},
          "state it with 'distro:' in uprank.yaml or --distro (e.g. " + release_example(ecosystem) + ")"));
    }
  }
}

}  // namespace uprank::inventory
