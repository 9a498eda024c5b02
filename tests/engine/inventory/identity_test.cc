// Component identity: OSV ecosystems, per-ecosystem name normalisation, distro releases.
// Expected values come from the specifications and reference tools named per case.
#include "engine/inventory/identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/inventory/product_map.h"
#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

struct EcosystemCase {
  const char* text;
  const char* base;
  const char* release;
};

// The OSV schema's ecosystem list: "Debian:12", "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS",
// "Alpine:v3.19", "Rocky Linux:9", "AlmaLinux:9", "Red Hat:enterprise_linux:9::appstream".
TEST(SplitOsvEcosystem, ReadsTheReleaseOfEveryDistroForm) {
  const EcosystemCase cases[] = {
      {"npm", "npm", ""},
      {"PyPI", "PyPI", ""},
      {"Debian:12", "Debian", "12"},
      {"Debian:13", "Debian", "13"},
      {"Ubuntu:22.04:LTS", "Ubuntu", "22.04"},
      {"Ubuntu:Pro:18.04:LTS", "Ubuntu", "18.04"},
      {"Ubuntu:Pro:FIPS:20.04:LTS", "Ubuntu", "20.04"},
      {"Ubuntu:24.10", "Ubuntu", "24.10"},
      {"Alpine:v3.19", "Alpine", "v3.19"},
      {"Rocky Linux:9", "Rocky Linux", "9"},
      {"AlmaLinux:8", "AlmaLinux", "8"},
      {"Red Hat:enterprise_linux:9::appstream", "Red Hat", "9"},
      {"Bitnami", "Bitnami", ""},
  };
  for (const auto& c : cases) {
    OsvEcosystem split = split_osv_ecosystem(c.text);
    EXPECT_EQ(split.base, c.base) << c.text;
    EXPECT_EQ(split.release, c.release) << c.text;
  }
}

// purl-spec PURL-TYPES: deb/rpm/apk namespaces name the distro; OSV names the ecosystem.
TEST(OsvEcosystemForPurl, MapsPurlTypesToOsvEcosystems) {
  EXPECT_EQ(osv_ecosystem_for_purl("pypi", ""), "PyPI");
  EXPECT_EQ(osv_ecosystem_for_purl("cargo", ""), "crates.io");
  EXPECT_EQ(osv_ecosystem_for_purl("gem", ""), "RubyGems");
  EXPECT_EQ(osv_ecosystem_for_purl("composer", "laravel"), "Packagist");
  EXPECT_EQ(osv_ecosystem_for_purl("golang", "github.com/gin-gonic"), "Go");
  EXPECT_EQ(osv_ecosystem_for_purl("deb", "debian"), "Debian");
  EXPECT_EQ(osv_ecosystem_for_purl("deb", "ubuntu"), "Ubuntu");
  EXPECT_EQ(osv_ecosystem_for_purl("rpm", "rocky"), "Rocky Linux");
  EXPECT_EQ(osv_ecosystem_for_purl("rpm", "almalinux"), "AlmaLinux");
  EXPECT_EQ(osv_ecosystem_for_purl("rpm", "redhat"), "Red Hat");
  EXPECT_EQ(osv_ecosystem_for_purl("apk", "alpine"), "Alpine");
  EXPECT_EQ(osv_ecosystem_for_purl("docker", ""), "");
  EXPECT_EQ(osv_ecosystem_for_purl("generic", ""), "");
}

// OSV package names: Maven "group:artifact" (GHSA Maven records), npm "@scope/name", Go
// module paths, Packagist "vendor/package".
TEST(OsvPackageName, JoinsNamespacesAsOsvRecordsWriteThem) {
  EXPECT_EQ(osv_package_name("Maven", "org.apache.logging.log4j", "log4j-core"), "org.apache.logging.log4j:log4j-core");
  EXPECT_EQ(osv_package_name("npm", "@babel", "core"), "@babel/core");
  EXPECT_EQ(osv_package_name("Go", "github.com/gin-gonic", "gin"), "github.com/gin-gonic/gin");
  EXPECT_EQ(osv_package_name("Packagist", "Laravel", "Framework"), "laravel/framework");
  EXPECT_EQ(osv_package_name("crates.io", "", "rand"), "rand");
  EXPECT_EQ(osv_package_name("NuGet", "", "Newtonsoft.Json"), "newtonsoft.json");
}

// PEP 503's normalisation, held to the reference: packaging.utils.canonicalize_name from
// Debian's python3-packaging (installed by scripts/bootstrap --test). A missing reference
// fails the test.
TEST(NormalizePackageName, PypiAgreesWithPackagingCanonicalizeName) {
  const std::vector<std::string> names = {
      "ruamel.yaml", "ruamel-yaml", "Ruamel_YAML", "zope.interface", "Django", "typing_extensions",
      "a..b", "A-_.B", "pyOpenSSL", "backports.zoneinfo", "jaraco.classes", "Flask-SQLAlchemy",
      "python-dateutil", "oslo.config", "-leading", "trailing_", "x", "ABC___def...ghi---JKL",
  };
  std::string script = "/usr/bin/python3 -c 'import sys\nfrom packaging.utils import canonicalize_name\n"
                       "for line in sys.stdin.read().split(\"\\n\"):\n    print(canonicalize_name(line))'";
  char input_path[] = "/tmp/uprank-pep503-XXXXXX";
  int fd = mkstemp(input_path);
  ASSERT_GE(fd, 0);
  std::string input;
  for (size_t i = 0; i < names.size(); ++i) input += (i ? "\n" : "") + names[i];
  ASSERT_EQ(write(fd, input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(fd);
  FILE* pipe = popen((script + " < " + input_path).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  std::remove(input_path);
  ASSERT_EQ(status, 0) << "python3 with packaging is required (scripts/bootstrap --test)";
  std::vector<std::string> expected;
  for (size_t start = 0; start < output.size();) {
    size_t end = output.find('\n', start);
    expected.push_back(output.substr(start, end - start));
    start = end == std::string::npos ? output.size() : end + 1;
  }
  ASSERT_EQ(expected.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(normalize_package_name("PyPI", names[i]), expected[i]) << names[i];
  }
  std::printf("pep503: %zu names, agreement checked against packaging.utils.canonicalize_name\n", names.size());
}

TEST(Distro, ParsesSettingsOsReleaseAndVersions) {
  auto debian = parse_distro("debian:12");
  ASSERT_TRUE(debian);
  EXPECT_EQ(debian->ecosystem, "Debian");
  EXPECT_EQ(debian->release, "12");
  EXPECT_EQ(parse_distro("bookworm")->release, "12");
  EXPECT_EQ(parse_distro("ubuntu-22.04")->release, "22.04");
  EXPECT_EQ(parse_distro("alpine:3.19")->release, "v3.19");
  EXPECT_EQ(parse_distro("rocky:9")->ecosystem, "Rocky Linux");
  EXPECT_FALSE(parse_distro("windows:11"));
  EXPECT_FALSE(parse_distro("debian:sid"));

  // Debian 12's /etc/os-release as shipped by base-files 12.4+deb12u5.
  auto os = distro_from_os_release(
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
      "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n");
  ASSERT_TRUE(os);
  EXPECT_EQ(os->ecosystem, "Debian");
  EXPECT_EQ(os->release, "12");
  auto alpine = distro_from_os_release("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n");
  ASSERT_TRUE(alpine);
  EXPECT_EQ(alpine->release, "v3.19");

  // Debian security updates carry "+debNuM" / "~debNuM", backports "~bpoN"; Ubuntu SRUs
  // "ubuntuX.YY.MM"; Enterprise Linux builds ".elN".
  EXPECT_EQ(distro_from_version("Debian", "3.0.11-1~deb12u2")->release, "12");
  EXPECT_EQ(distro_from_version("Debian", "2.36-9+deb12u4")->release, "12");
  EXPECT_EQ(distro_from_version("Debian", "1.2-3~bpo11+1")->release, "11");
  EXPECT_FALSE(distro_from_version("Debian", "3.0.11-1"));
  EXPECT_EQ(distro_from_version("Ubuntu", "2.7-1ubuntu0.22.04.1")->release, "22.04");
  EXPECT_EQ(distro_from_version("Rocky Linux", "2.34-100.el9_4.2")->release, "9");
}

Component package(std::string purl, std::string version) {
  Component component;
  component.name = "c";
  component.kind = "package";
  component.purl = std::move(purl);
  component.version_text = std::move(version);
  return component;
}

TEST(AssignIdentities, ReadsPurlQualifiers) {
  Inventory inventory;
  // purl-spec: rpm epochs travel in the `epoch` qualifier; rpm compares "1:1.1.1k-7".
  inventory.components.push_back(package("pkg:rpm/rocky/openssl@1.1.1k-7.el8?epoch=1&distro=rocky-8", "1.1.1k-7.el8"));
  // Syft: binary package with its source package in `upstream`.
  inventory.components.push_back(
      package("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?upstream=openssl&distro=debian-12", "3.0.11-1~deb12u2"));
  // CycloneDX component whose version is only in its purl.
  inventory.components.push_back(package("pkg:pypi/Ruamel.YAML@0.17.21", ""));
  assign_identities(inventory);
  const Identity& rpm = inventory.components[0].identity;
  EXPECT_EQ(rpm.ecosystem, "Rocky Linux");
  EXPECT_EQ(rpm.release, "8");
  EXPECT_EQ(rpm.release_origin, "purl");
  EXPECT_EQ(inventory.components[0].version_text, "1:1.1.1k-7.el8");
  const Identity& deb = inventory.components[1].identity;
  EXPECT_EQ(deb.osv_ecosystem(), "Debian:12");
  EXPECT_EQ(deb.name, "libssl3");
  EXPECT_EQ(deb.source_name, "openssl");
  EXPECT_EQ(inventory.components[2].version_text, "0.17.21");
  EXPECT_EQ(inventory.components[2].identity.name, "ruamel-yaml");
  EXPECT_TRUE(testing::has_code(inventory, "uprank.inventory.version_from_purl"));
}

TEST(AssignIdentities, DistroReleaseFromOsReleaseBesideDpkgStatus) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("uprank-identity-" + std::to_string(getpid()));
  fs::create_directories(root / "var/lib/dpkg");
  fs::create_directories(root / "etc");
  std::ofstream(root / "etc/os-release") << "ID=ubuntu\nVERSION_ID=\"22.04\"\n";
  std::ofstream(root / "var/lib/dpkg/status")
      << "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.2-0ubuntu1.15\nSource: openssl\nArchitecture: amd64\n";
  Inventory inventory = read_inventory_paths({(root / "var/lib/dpkg/status").string()});
  ASSERT_EQ(inventory.components.size(), 1u);
  const Identity& identity = inventory.components[0].identity;
  EXPECT_EQ(identity.osv_ecosystem(), "Ubuntu:22.04");
  EXPECT_EQ(identity.release_origin, "os-release");
  EXPECT_EQ(identity.source_name, "openssl");
  fs::remove_all(root);
}

// One dpkg status file's packages, as the dpkg reader leaves them.
Inventory dpkg_file(std::initializer_list<const char*> versions) {
  Inventory inventory;
  for (const char* version : versions) {
    Component component;
    component.name = std::string("p") + version;
    component.source = "dpkg";
    component.kind = "package";
    component.version_text = version;
    component.location = SourceLocation{"status", 1, 1};
    inventory.components.push_back(component);
  }
  return inventory;
}

TEST(AssignIdentities, InfersTheNewestReleaseNamedByVersionsAndSaysSo) {
  Inventory inventory = dpkg_file({"3.0.11-1~deb12u2", "1.2-3+deb11u1", "2.0-1"});
  IdentityOptions options;
  options.read_os_release = false;
  assign_identities(inventory, options);
  for (const Component& component : inventory.components) {
    EXPECT_EQ(component.identity.osv_ecosystem(), "Debian:12") << component.version_text;
    EXPECT_EQ(component.identity.release_origin, "version");
  }
  EXPECT_TRUE(testing::has_code(inventory, "uprank.inventory.distro_inferred"));

  // Nothing names a release: unknown, and said, never guessed.
  Inventory bare;
  Component component;
  component.name = "zlib1g";
  component.source = "dpkg";
  component.version_text = "1:1.2.13.dfsg-1";
  bare.components.push_back(component);
  assign_identities(bare, options);
  EXPECT_EQ(bare.components[0].identity.release, "");
  EXPECT_TRUE(testing::has_code(bare, "uprank.inventory.distro_unknown"));
  // The configured distro decides.
  options.distro = parse_distro("debian:12");
  assign_identities(bare, options);
  EXPECT_EQ(bare.components[0].identity.osv_ecosystem(), "Debian:12");
  EXPECT_EQ(bare.components[0].identity.release_origin, "config");
}

// A multi-stage Dockerfile using one image twice: display names are disambiguated, the
// identity and product of both copies stay.
TEST(AssignIdentities, DuplicatesKeepTheirIdentityAndProduct) {
  const std::string dockerfile =
      "FROM node:18.19.0 AS build\nRUN npm ci\nFROM node:18.19.0\nCOPY --from=build /app /app\n";
  ReadOptions options;
  options.products = &ProductMap::bundled();
  char path[] = "/tmp/uprank-dockerfile-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, dockerfile.data(), dockerfile.size()), static_cast<ssize_t>(dockerfile.size()));
  close(fd);
  options.forced_format = Format::kDockerfile;
  Inventory inventory = read_inventory_paths({path}, options);
  std::remove(path);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_NE(inventory.components[0].name, inventory.components[1].name);
  for (const Component& component : inventory.components) {
    EXPECT_EQ(component.identity.label, "node") << component.name;
    EXPECT_EQ(component.product, "nodejs") << component.name;
  }
}

// An SBOM with two versions of one library: both keep the npm identity "lodash".
TEST(AssignIdentities, TwoVersionsInOneSbomKeepTheirIdentity) {
  const std::string bom = R"({"bomFormat":"CycloneDX","specVersion":"1.5","components":[
    {"type":"library","name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"},
    {"type":"library","name":"lodash","version":"4.17.21","purl":"pkg:npm/lodash@4.17.21"}]})";
  Inventory inventory = read_cyclonedx(bom, "bom.json");
  assign_identities(inventory);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_NE(inventory.components[0].name, inventory.components[1].name);
  for (const Component& component : inventory.components) {
    EXPECT_EQ(component.identity.osv_ecosystem(), "npm") << component.name;
    EXPECT_EQ(component.identity.name, "lodash") << component.name;
    EXPECT_EQ(component.identity.label, "lodash") << component.name;
  }
}

// The npm "redis" client and a hand-written "rand" label are not the Redis server or the
// crates.io crate: `names:` keys of the product map apply to unlabelled components only.
TEST(AssignIdentities, PackagesAreNotProductsThatShareTheirName) {
  Inventory inventory;
  inventory.components.push_back(package("pkg:npm/redis@4.6.0", "4.6.0"));
  Component server;
  server.name = "redis";
  server.kind = "package";
  server.version_text = "7.2.4";
  inventory.components.push_back(server);
  assign_identities(inventory);
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "");
  EXPECT_EQ(inventory.components[0].identity.osv_ecosystem(), "npm");
  EXPECT_EQ(inventory.components[1].product, "redis");
  EXPECT_EQ(inventory.components[1].identity.ecosystem, "");
}

// A dpkg status file from Ubuntu: --distro says so, or its "ubuntuN" versions do.
TEST(AssignIdentities, DpkgFilesFromUbuntu) {
  auto ubuntu_file = [] { return dpkg_file({"3.0.2-0ubuntu1.10", "3.10.12-1~22.04.3"}); };
  IdentityOptions options;
  options.read_os_release = false;
  options.distro = parse_distro("ubuntu:22.04");
  Inventory configured = ubuntu_file();
  assign_identities(configured, options);
  for (const Component& component : configured.components) {
    EXPECT_EQ(component.identity.osv_ecosystem(), "Ubuntu:22.04") << component.version_text;
  }
  options.distro.reset();
  Inventory inferred = ubuntu_file();
  assign_identities(inferred, options);
  for (const Component& component : inferred.components) {
    EXPECT_EQ(component.identity.osv_ecosystem(), "Ubuntu:22.04") << component.version_text;
    EXPECT_EQ(component.identity.release_origin, "version");
  }
}

// docs/identity.md: a third-party apt repository's build (NodeSource, apt.postgresql.org)
// is not the distro's package, and the Debian packages beside it stay Debian's.
TEST(AssignIdentities, ThirdPartyAptBuildsAreNotTheDistros) {
  std::string text =
      "Package: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: 20.20.2-1nodesource1+repack1\n\n"
      "Package: postgresql-16\nStatus: install ok installed\nArchitecture: amd64\nVersion: 16.4-1.pgdg120+1\n\n"
      "Package: libssl3\nStatus: install ok installed\nSource: openssl\nArchitecture: amd64\nVersion: 3.0.19-1~deb12u2\n";
  Inventory inventory = read_dpkg_status(text, "status");
  IdentityOptions options;
  options.read_os_release = false;
  assign_identities(inventory, options);
  ASSERT_EQ(inventory.components.size(), 3u);
  EXPECT_EQ(inventory.components[0].identity.ecosystem, "");
  EXPECT_EQ(inventory.components[0].attributes["apt_repository"], "NodeSource");
  EXPECT_EQ(inventory.components[1].identity.ecosystem, "");
  EXPECT_EQ(inventory.components[1].attributes["apt_repository"], "apt.postgresql.org");
  EXPECT_EQ(inventory.components[2].identity.osv_ecosystem(), "Debian:12");
  EXPECT_EQ(inventory.components[2].attributes.count("apt_repository"), 0u);
}

// Other vendors' apt builds, with the versions their repositories publish (evidence in
// docs/identity.md), and Debian's own builds of the same software beside them.
TEST(AssignIdentities, VendorAptBuildsAreKnownByRevisionMarkOrPackageName) {
  struct Case {
    const char* package;
    const char* version;
    const char* repository;  // "" for Debian's own
    const char* upstream;
  };
  const Case cases[] = {
      {"docker-ce", "5:27.3.1-1~debian.12~bookworm", "download.docker.com", "27.3.1"},
      {"docker-compose-plugin", "2.29.7-1~ubuntu.22.04~jammy", "download.docker.com", "2.29.7"},
      {"containerd.io", "1.7.22-1", "download.docker.com", "1.7.22"},
      {"redis-server", "6:7.4.1-1rl1~bookworm1", "packages.redis.io", "7.4.1"},
      {"nginx", "1.26.2-1~bookworm", "nginx.org", "1.26.2"},
      {"nginx-module-njs", "1.26.2+0.8.7-1~jammy", "nginx.org", "1.26.2+0.8.7"},
      // deb.sury.org's form as the trial saw it; the git hash after "gbp" is left out there.
      {"php8.3-fpm", "8.3.13-1+0~20241028.45+debian12~1.gbp", "packages.sury.org", "8.3.13"},
      {"php8.3-cli", "8.3.13-1+ubuntu22.04.1+deb.sury.org+1", "packages.sury.org", "8.3.13"},
      {"mongodb-org-server", "7.0.14", "repo.mongodb.org", "7.0.14"},
      {"grafana", "11.3.0", "apt.grafana.com", "11.3.0"},
      {"elasticsearch", "8.15.3", "artifacts.elastic.co", "8.15.3"},
      {"postgresql-16", "16.4-1.pgdg120+1", "apt.postgresql.org", "16.4"},
      {"nodejs", "20.20.2-1nodesource1", "NodeSource", "20.20.2"},
      // Debian's own: security updates, backports and point releases name a release by number.
      {"nginx-core", "1.22.1-9+deb12u1", "", ""},
      {"redis-tools", "5:7.0.15-1~deb12u1", "", ""},
      {"docker.io", "20.10.24+dfsg1-1+b3", "", ""},
      {"golang-1.21-go", "1.21.8-1~bpo12+1", "", ""},
  };
  std::string text;
  for (const Case& item : cases) {
    text += std::string("Package: ") + item.package + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " +
            item.version + "\n\n";
  }
  Inventory inventory = read_dpkg_status(text, "status");
  IdentityOptions options;
  options.read_os_release = false;
  options.distro = parse_distro("debian:12");
  assign_identities(inventory, options);
  ASSERT_EQ(inventory.components.size(), std::size(cases));
  for (size_t i = 0; i < std::size(cases); ++i) {
    Component& component = inventory.components[i];
    SCOPED_TRACE(std::string(cases[i].package) + " " + cases[i].version);
    EXPECT_EQ(component.version_text, cases[i].version);  // shown and pinned as installed
    if (*cases[i].repository == '\0') {
      EXPECT_EQ(component.attributes.count("apt_repository"), 0u);
      EXPECT_EQ(component.identity.osv_ecosystem(), "Debian:12");
      continue;
    }
    EXPECT_EQ(component.attributes["apt_repository"], cases[i].repository);
    EXPECT_EQ(component.attributes["upstream_version"], cases[i].upstream);
    EXPECT_EQ(component.identity.ecosystem, "");
  }
}

// Debian Policy §5.6.12: [epoch:]upstream_version[-debian_revision].
TEST(DebianUpstreamVersion, TakesOffEpochAndRevision) {
  EXPECT_EQ(debian_upstream_version("5:27.3.1-1~debian.12~bookworm"), "27.3.1");
  EXPECT_EQ(debian_upstream_version("16.4-1.pgdg120+1"), "16.4");
  EXPECT_EQ(debian_upstream_version("1:2.38.1-5+b1"), "2.38.1");
  EXPECT_EQ(debian_upstream_version("7.0.14"), "7.0.14");
  EXPECT_EQ(debian_upstream_version("1.2.13.dfsg-1"), "1.2.13.dfsg");  // upstream part: kept
  EXPECT_EQ(debian_upstream_version("2.0~rc1-1"), "2.0-rc1");           // a pre-release
  EXPECT_EQ(debian_upstream_version("1.0-2-3"), "1.0-2");               // the revision is after the last '-'
}

// A third-party build's purl names the distro of the file it is in (purl-spec deb: the
// namespace is the vendor, "debian" or "ubuntu"), not Debian by default.
TEST(AssignIdentities, ThirdPartyBuildsInAnUbuntuFileAreUbuntuPurls) {
  std::string text =
      "Package: nodejs\nStatus: install ok installed\nArchitecture: amd64\nVersion: 20.20.2-1nodesource1\n\n"
      "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.81.0-1ubuntu1.15\n";
  Inventory inventory = read_dpkg_status(text, "status");
  IdentityOptions options;
  options.read_os_release = false;
  assign_identities(inventory, options);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].purl, "pkg:deb/ubuntu/nodejs@20.20.2-1nodesource1?arch=amd64");
  EXPECT_EQ(inventory.components[0].identity.ecosystem, "");
  EXPECT_EQ(inventory.components[1].purl.rfind("pkg:deb/ubuntu/curl@", 0), 0u);

  Inventory configured = read_dpkg_status(text.substr(0, text.find("\n\n") + 2), "status");
  options.distro = parse_distro("ubuntu:22.04");
  assign_identities(configured, options);
  EXPECT_EQ(configured.components[0].purl, "pkg:deb/ubuntu/nodejs@20.20.2-1nodesource1?arch=amd64");
}

// Unknown releases are counted per distro.
TEST(AssignIdentities, UnknownReleasesAreCountedPerDistro) {
  Inventory inventory;
  inventory.components.push_back(package("pkg:apk/alpine/musl@1.2.4-r2", "1.2.4-r2"));
  inventory.components.push_back(package("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1"));
  inventory.components.push_back(package("pkg:deb/ubuntu/zlib1g@1:1.2.11.dfsg-2ubuntu9", "1:1.2.11.dfsg-2ubuntu9"));
  IdentityOptions options;
  options.read_os_release = false;
  assign_identities(inventory, options);
  std::vector<std::string> messages;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == "uprank.inventory.distro_unknown") messages.push_back(diagnostic.message.substr(0, 8));
  }
  std::sort(messages.begin(), messages.end());
  EXPECT_EQ(messages, (std::vector<std::string>{"1 Alpine", "1 Debian", "1 Ubuntu"}));
}

// docs/identity.md: a dpkg status file is Debian's until "an `ubuntuN` version says
// Ubuntu", whether or not that version names a release ("7.81.0-1ubuntu1.15" names none).
// The repro of the new-user trial: an Ubuntu 22.04 status file, no os-release beside it.
TEST(AssignIdentities, AnUbuntuRevisionSaysUbuntuEvenWithoutARelease) {
  std::string text =
      "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.81.0-1ubuntu1.15\n\n"
      "Package: libcurl4\nStatus: install ok installed\nSource: curl\nArchitecture: amd64\nVersion: 7.81.0-1ubuntu1.15\n";
  Inventory inventory = read_dpkg_status(text, "status");
  IdentityOptions options;
  options.read_os_release = false;
  assign_identities(inventory, options);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].identity.ecosystem, "Ubuntu");
  EXPECT_EQ(inventory.components[0].identity.release, "");
  EXPECT_EQ(inventory.components[0].purl, "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?arch=amd64");
  EXPECT_EQ(inventory.components[1].identity.ecosystem, "Ubuntu");
  EXPECT_EQ(inventory.components[1].identity.source_name, "curl");
  const Diagnostic* unknown = nullptr;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == "uprank.inventory.distro_unknown") unknown = &diagnostic;
  }
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->message.substr(0, 20), "2 Ubuntu package(s) ");
  EXPECT_NE(unknown->hint.find("(e.g. ubuntu:22.04)"), std::string::npos) << unknown->hint;

  // Ubuntu carries Debian's packages unchanged ("+deb12u1" in an Ubuntu file), never the
  // reverse: the Debian release such a version names is not the file's.
  Inventory mixed = dpkg_file({"1.2-3+deb12u1", "7.81.0-1ubuntu1.15"});
  assign_identities(mixed, options);
  for (const Component& component : mixed.components) {
    EXPECT_EQ(component.identity.osv_ecosystem(), "Ubuntu") << component.version_text;
  }
  // With a Debian-only file the default stays Debian.
  Inventory debian = dpkg_file({"2.0-1"});
  assign_identities(debian, options);
  EXPECT_EQ(debian.components[0].identity.osv_ecosystem(), "Debian");
}

// Trivy's CycloneDX properties (aquasecurity:trivy:SrcName, SrcVersion, SrcRelease,
// SrcEpoch; Trivy joins the version as "[epoch:]version[-release]", FormatSrcVersion) and
// syft's rpm `upstream`, the source rpm's file name (rpm's SOURCERPM,
// "NAME-VERSION-RELEASE.src.rpm"), name the source package distro advisories use.
TEST(AssignIdentities, TrivySourcePropertiesAndSourceRpmNames) {
  Inventory inventory;
  Component trivy = package("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5", "3.0.11-1~deb12u2");
  trivy.attributes["property:aquasecurity:trivy:SrcName"] = "openssl";
  trivy.attributes["property:aquasecurity:trivy:SrcVersion"] = "3.0.11";
  trivy.attributes["property:aquasecurity:trivy:SrcRelease"] = "1~deb12u2";
  inventory.components.push_back(trivy);
  Component rpm = package("pkg:rpm/rocky/openssl-libs@3.0.7-25.el9_3?arch=x86_64&epoch=1&upstream=openssl-3.0.7-25.el9_3.src.rpm&distro=rocky-9.3",
                          "1:3.0.7-25.el9_3");
  inventory.components.push_back(rpm);
  Component epoch = package("pkg:rpm/redhat/perl-libs@5.32.1-480.el9?upstream=perl-5.32.1-480.el9.src.rpm&distro=rhel-9", "4:5.32.1-480.el9");
  epoch.attributes["property:aquasecurity:trivy:SrcName"] = "ignored";  // `upstream` wins
  inventory.components.push_back(epoch);
  Component alpine = package("pkg:apk/alpine/libcrypto3@3.1.4-r3?arch=x86_64&distro=3.19.1", "3.1.4-r3");
  alpine.attributes["property:aquasecurity:trivy:SrcName"] = "openssl";
  alpine.attributes["property:aquasecurity:trivy:SrcVersion"] = "3.1.4-r3";
  alpine.attributes["property:aquasecurity:trivy:SrcEpoch"] = "0";
  inventory.components.push_back(alpine);
  Component spdx = package("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12.5", "3.0.11-1~deb12u2");
  spdx.attributes["source_package"] = "OpenSSL";
  inventory.components.push_back(spdx);
  assign_identities(inventory);
  EXPECT_EQ(inventory.components[0].identity.osv_ecosystem(), "Debian:12");
  EXPECT_EQ(inventory.components[0].identity.source_name, "openssl");
  EXPECT_EQ(inventory.components[0].attributes.at("source_version"), "3.0.11-1~deb12u2");
  EXPECT_EQ(inventory.components[1].identity.source_name, "openssl");
  EXPECT_EQ(inventory.components[1].identity.osv_ecosystem(), "Rocky Linux:9");
  EXPECT_EQ(inventory.components[2].identity.source_name, "perl");
  EXPECT_EQ(inventory.components[3].identity.osv_ecosystem(), "Alpine:v3.19");
  EXPECT_EQ(inventory.components[3].identity.source_name, "openssl");
  EXPECT_EQ(inventory.components[3].attributes.at("source_version"), "3.1.4-r3");  // epoch 0 is not written
  EXPECT_EQ(inventory.components[4].identity.source_name, "openssl");
}

// syft's Go standard library: versions are Go releases ("go1.25.7", "1.25.7"), which OSV's
// Go database ranges as bare numbers; no "v" is added, and the `go` product applies.
TEST(AssignIdentities, GoStandardLibraryVersionsAreGoReleases) {
  Inventory inventory;
  inventory.components.push_back(package("pkg:golang/stdlib@1.25.7", "1.25.7"));
  inventory.components.push_back(package("pkg:golang/stdlib@go1.26.0", "go1.26.0"));
  inventory.components.push_back(package("pkg:golang/github.com/gin-gonic/gin@1.9.1", "1.9.1"));
  assign_identities(inventory);
  EXPECT_EQ(inventory.components[0].version_text, "1.25.7");
  EXPECT_EQ(inventory.components[0].scheme, versions::Scheme::kGeneric);
  EXPECT_EQ(inventory.components[0].identity.osv_ecosystem(), "Go");
  EXPECT_EQ(inventory.components[0].identity.name, "stdlib");
  EXPECT_EQ(inventory.components[1].version_text, "1.26.0");
  EXPECT_EQ(inventory.components[2].version_text, "v1.9.1");  // a module's version keeps Go's "v"
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "go");
  EXPECT_EQ(inventory.components[0].cycle, "1.25");
  EXPECT_EQ(inventory.components[2].product, "");
}

}  // namespace
}  // namespace uprank::inventory
