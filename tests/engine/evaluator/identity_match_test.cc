// Advisory matching by identity, one table test per fault kind the identity issue names.
// Records are OSV JSON as osv.dev serves them, read by the real OSV parser; expected
// verdicts follow the OSV schema (ossf.github.io/osv-schema), its evaluation pseudocode,
// and each ecosystem's naming rules.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/evaluator/joins.h"
#include "engine/inventory/identity.h"
#include "fetchers/osv.h"

namespace uprank::evaluator {
namespace {

facts::FactSet facts_of(const std::vector<std::string>& records) {
  facts::FactSet facts;
  for (const std::string& body : records) {
    fetch::RawResponse response;
    response.source = "osv";
    response.key = "test";
    response.body = body;
    auto advisory = fetch::parse_osv_record(response);
    EXPECT_TRUE(advisory.ok()) << (advisory.ok() ? "" : advisory.error().message);
    if (advisory.ok()) facts.advisories[advisory->id] = std::move(advisory.value());
  }
  return facts;
}

// Components as readers leave them, then identified and mapped as the pipeline does.
inventory::Inventory identified(std::vector<inventory::Component> components) {
  inventory::Inventory inventory;
  inventory.components = std::move(components);
  inventory::IdentityOptions options;
  options.read_os_release = false;
  inventory::assign_identities(inventory, options);
  inventory::ProductMap::bundled().apply(inventory);
  for (auto& component : inventory.components) {
    if (!component.version) {
      auto parsed = versions::Version::parse(component.scheme, component.version_text);
      if (parsed.ok()) component.version = parsed.value();
    }
  }
  return inventory;
}

inventory::Component package(const std::string& purl, const std::string& version, versions::Scheme scheme) {
  inventory::Component component;
  component.name = purl;
  component.kind = "package";
  component.source = "cyclonedx";
  component.purl = purl;
  component.version_text = version;
  component.scheme = scheme;
  return component;
}

inventory::Component labelled(const std::string& name, const std::string& version, const std::string& kind = "package") {
  inventory::Component component;
  component.name = name;
  component.kind = kind;
  component.source = "native";
  component.version_text = version;
  return component;
}

std::vector<std::string> ids(const std::vector<compiler::AdvisoryMatch>& matches) {
  std::vector<std::string> out;
  for (const auto& match : matches) out.push_back(match.advisory->id);
  return out;
}

std::string fix_of(const std::vector<compiler::AdvisoryMatch>& matches) {
  return matches.size() == 1 && matches[0].fixed ? matches[0].fixed->text() : "";
}

using versions::Scheme;
using Ids = std::vector<std::string>;

TEST(IdentityMatch, SameNameInTwoEcosystemsMeetsOnlyItsOwn) {
  auto facts = facts_of({R"({"id":"RUSTSEC-2020-0001","modified":"2020-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"crates.io","name":"rand"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.9.0"}]}]}]})"});
  auto inventory = identified({package("pkg:npm/rand@0.1.0", "0.1.0", Scheme::kNpm),
                               package("pkg:cargo/rand@0.8.0", "0.8.0", Scheme::kSemver),
                               labelled("rand", "0.1.0")});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{});                      // npm rand
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"RUSTSEC-2020-0001"});  // the crate
  EXPECT_EQ(ids(index.match(inventory.components[2])), Ids{});  // a free-form label is not the crate
  AdvisoryCoverage label;
  index.match_key(inventory.components[2], &label);
  EXPECT_EQ(label.gap, AdvisoryCoverage::Gap::kNoIdentity);
  AdvisoryCoverage crate;
  index.match_key(inventory.components[1], &crate);
  EXPECT_TRUE(crate.checked());
  EXPECT_EQ(crate.entries, 1u);
  EXPECT_EQ(advisory_identity(inventory.components[1]), "crates.io rand");
}

TEST(IdentityMatch, ClientLibraryNamedLikeAServerMeetsNoServerAdvisory) {
  auto facts = facts_of({R"({"id":"BIT-redis-2023-41056","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"redis","purl":"pkg:bitnami/redis"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"7.0.0"},{"fixed":"7.0.15"}]}]}]})"});
  auto inventory = identified({package("pkg:npm/redis@7.0.0", "7.0.0", Scheme::kNpm),
                               labelled("redis", "7.0.11", "database-engine")});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(inventory.components[0].product, "");  // not the Redis server, not end-of-life as one
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{});
  EXPECT_EQ(inventory.components[1].product, "redis");
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"BIT-redis-2023-41056"});
}

// Bitnami names Apache httpd "apache"; the product map meets it with httpd images.
TEST(IdentityMatch, ProductLevelAdvisoryMeetsEveryNameOfTheProduct) {
  auto facts = facts_of({R"({"id":"BIT-apache-2021-41773","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2021-41773"],"affected":[
    {"package":{"ecosystem":"Bitnami","name":"apache","purl":"pkg:bitnami/apache"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"2.4.49"},{"fixed":"2.4.50"}]}]}]})"});
  inventory::Component image = labelled("httpd", "2.4.49", "container-image");
  image.source = "dockerfile";
  auto inventory = identified({image, labelled("apache2", "2.4.49"), labelled("apache-http-server", "2.4.48")});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"BIT-apache-2021-41773"});
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"BIT-apache-2021-41773"});
  EXPECT_EQ(ids(index.match(inventory.components[2])), Ids{});  // 2.4.48: before introduced
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "2.4.50");
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(UPRANK_SHARED_FIXTURES) + "/osv/bitnami/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

// Bitnami's records describe the upstream product's own versions, and a language
// registry's package of the product runs those versions (PyPI's Django 5.2.3 is Django
// 5.2.3; Maven's tomcat-embed-core 10.1.30 is Tomcat 10.1.30), so the records meet it
// as they meet the product's images. Expected values are the records' own ranges:
// BIT-django-2026-35193 introduced 5.2.0, fixed 5.2.15; BIT-tomcat-2026-53404
// introduced 10.1.0, fixed 10.1.37. A distro's package is not met (distros backport).
TEST(IdentityMatch, ProductLevelAdvisoryMeetsTheProductsLanguagePackages) {
  auto facts = facts_of({fixture("BIT-django-2026-35193.json"), fixture("BIT-tomcat-2026-53404.json")});
  inventory::Component deb = package("pkg:deb/debian/tomcat10@10.1.30-1?distro=debian-12", "10.1.30-1", Scheme::kDeb);
  auto inventory = identified({package("pkg:pypi/Django@5.2.3", "5.2.3", Scheme::kPep440),
                               package("pkg:pypi/django@5.2.15", "5.2.15", Scheme::kPep440),
                               package("pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@10.1.30", "10.1.30", Scheme::kMaven),
                               deb});
  AdvisoryIndex index(facts, {});
  ASSERT_EQ(inventory.components[0].product, "django");
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"BIT-django-2026-35193"});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "5.2.15");
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});  // the fix itself
  EXPECT_TRUE(index.clean_at(inventory.components[0], "5.2.15"));
  EXPECT_FALSE(index.clean_at(inventory.components[0], "5.2.14"));
  ASSERT_EQ(inventory.components[2].product, "tomcat");
  EXPECT_EQ(ids(index.match(inventory.components[2])), Ids{"BIT-tomcat-2026-53404"});
  EXPECT_EQ(fix_of(index.match(inventory.components[2])), "10.1.37");
  EXPECT_EQ(ids(index.match(inventory.components[3])), Ids{});
}

// One DSA-style record with Debian 11, 12 and 13 entries: each release has its own fix.
TEST(IdentityMatch, DistroEntriesApplyToTheirOwnReleaseOnly) {
  auto facts = facts_of({R"({"id":"DEBIAN-CVE-2024-0001","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Debian:11","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1.1w-0+deb11u2"}]}]},
    {"package":{"ecosystem":"Debian:12","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.15-1~deb12u1"}]}]},
    {"package":{"ecosystem":"Debian:13","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.3.2-1"}]}]}]})"});
  auto inventory = identified({
      // bookworm's libssl3, a binary package of source "openssl"
      package("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?upstream=openssl&distro=debian-12", "3.0.11-1~deb12u2", Scheme::kDeb),
      // bookworm's patched openssl
      package("pkg:deb/debian/openssl@3.0.15-1~deb12u1?distro=debian-12", "3.0.15-1~deb12u1", Scheme::kDeb),
      // bullseye
      package("pkg:deb/debian/openssl@1.1.1n-0+deb11u5?distro=debian-11", "1.1.1n-0+deb11u5", Scheme::kDeb),
      // a Debian package whose release nothing states
      package("pkg:deb/debian/openssl@3.0.11-1", "3.0.11-1", Scheme::kDeb),
  });
  AdvisoryIndex index(facts, {});
  auto bookworm = index.match(inventory.components[0]);
  EXPECT_EQ(ids(bookworm), Ids{"DEBIAN-CVE-2024-0001"});
  EXPECT_EQ(fix_of(bookworm), "3.0.15-1~deb12u1");  // never the Debian 13 fix
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});
  EXPECT_EQ(fix_of(index.match(inventory.components[2])), "1.1.1w-0+deb11u2");
  EXPECT_EQ(ids(index.match(inventory.components[3])), Ids{});
  AdvisoryCoverage unknown;
  index.match_key(inventory.components[3], &unknown);
  EXPECT_EQ(unknown.gap, AdvisoryCoverage::Gap::kDistroReleaseUnknown);
  EXPECT_NE(advisory_gap_reason(unknown, inventory.components[3]).find("distro release unknown"), std::string::npos);
}

// Debian's records name source packages. A binary package whose source its SBOM does not
// state (a Trivy CycloneDX component without aquasecurity:trivy:SrcName) and that no entry
// names under its own name was looked up under a name Debian's records never use: not
// checked, never "checked, 0 entries". With Trivy's SrcName it meets the openssl entry.
TEST(IdentityMatch, ABinaryPackageWithNoStatedSourceIsNotCheckedAgainstNothing) {
  auto facts = facts_of({R"({"id":"DSA-5678-1","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Debian:12","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.13-1~deb12u1"}]}]}]})"});
  inventory::Component trivy =
      package("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5", "3.0.11-1~deb12u2", Scheme::kDeb);
  inventory::Component unstated = trivy;
  trivy.attributes["property:aquasecurity:trivy:SrcName"] = "openssl";
  trivy.attributes["property:aquasecurity:trivy:SrcVersion"] = "3.0.11-1~deb12u2";
  auto inventory = identified({trivy, unstated,
                               package("pkg:deb/debian/openssl@3.0.13-1~deb12u1?distro=debian-12", "3.0.13-1~deb12u1", Scheme::kDeb)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"DSA-5678-1"});
  AdvisoryCoverage stated, missing, own;
  index.match_key(inventory.components[0], &stated);
  index.match_key(inventory.components[1], &missing);
  index.match_key(inventory.components[2], &own);
  EXPECT_TRUE(stated.checked());
  EXPECT_EQ(stated.entries, 1u);
  EXPECT_EQ(missing.gap, AdvisoryCoverage::Gap::kSourceUnknown);
  EXPECT_NE(advisory_gap_reason(missing, inventory.components[1]).find("source package unknown"), std::string::npos);
  EXPECT_TRUE(own.checked());  // named by an entry under its own name: its own source
  EXPECT_EQ(own.entries, 1u);
}

// purl-spec: an rpm epoch travels in the `epoch` qualifier. 1:1.1.1k-7 is newer than every
// epoch-0 version, so it is patched and never sent to an older version.
TEST(IdentityMatch, RpmEpochFromThePurlQualifier) {
  auto facts = facts_of({R"({"id":"RLSA-2024:0001","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Rocky Linux:8","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:1.1.1k-6.el8"}]}]}]})"});
  auto inventory = identified({
      package("pkg:rpm/rocky/openssl@1.1.1k-7.el8?epoch=1&distro=rocky-8", "1.1.1k-7.el8", Scheme::kRpm),
      package("pkg:rpm/rocky/openssl@1.1.1k-5.el8?epoch=1&distro=rocky-8", "1.1.1k-5.el8", Scheme::kRpm),
  });
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{});
  EXPECT_EQ(fix_of(index.match(inventory.components[1])), "1:1.1.1k-6.el8");
}

TEST(IdentityMatch, PypiNamesMeetAfterPep503Normalisation) {
  auto facts = facts_of({R"({"id":"PYSEC-2019-0001","modified":"2020-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"PyPI","name":"ruamel.yaml"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.15.0"}]}]}]})"});
  auto inventory = identified({package("pkg:pypi/ruamel-yaml@0.14.0", "0.14.0", Scheme::kPep440),
                               package("pkg:pypi/Ruamel_YAML@0.14.0", "0.14.0", Scheme::kPep440)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"PYSEC-2019-0001"});
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"PYSEC-2019-0001"});
}

TEST(IdentityMatch, MavenMeetsByGroupAndArtifact) {
  auto facts = facts_of({R"({"id":"GHSA-jfh8-c2jp-5v3q","modified":"2021-12-10T00:00:00Z","aliases":["CVE-2021-44228"],"affected":[
    {"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0-beta9"},{"fixed":"2.15.0"}]}]}]})"});
  auto inventory = identified({package("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "2.14.1", Scheme::kMaven),
                               package("pkg:maven/com.example/log4j-core@2.14.1", "2.14.1", Scheme::kMaven)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "2.15.0");
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});  // another group's artifact
}

// OSV: affected when a range contains the version OR `versions` lists it; the fix is
// still the range's.
TEST(IdentityMatch, ListedVersionKeepsItsFix) {
  auto facts = facts_of({R"({"id":"PYSEC-2021-0002","modified":"2021-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"PyPI","name":"example"},
     "ranges":[{"type":"GIT","repo":"https://example.org/r","events":[{"introduced":"0"},{"fixed":"abc123"}]},
               {"type":"ECOSYSTEM","events":[{"introduced":"1.2"},{"fixed":"1.4"}]}],
     "versions":["1.0","1.1","1.2","1.3"]}]})"});
  auto inventory = identified({package("pkg:pypi/example@1.1", "1.1", Scheme::kPep440),
                               package("pkg:pypi/example@1.3", "1.3", Scheme::kPep440),
                               package("pkg:pypi/example@1.4", "1.4", Scheme::kPep440)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "1.4");  // listed only: the fix above it
  EXPECT_EQ(fix_of(index.match(inventory.components[1])), "1.4");
  EXPECT_EQ(ids(index.match(inventory.components[2])), Ids{});
}

// OSV `versions` are "versions as the ecosystem publishes them": a running version that the
// ecosystem's scheme cannot read (Cisco's IOS train "12.2(55)SE", here a PyPI release
// string PEP 440 rejects) is still named by the same text, and counts as checked.
TEST(IdentityMatch, AListedVersionNoSchemeReadsIsMatchedAsText) {
  auto facts = facts_of({R"({"id":"TEST-TEXT-1","modified":"2021-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"PyPI","name":"example"},"versions":["12.2(55)SE","12.2(55)SE1"]}]})"});
  auto inventory = identified({package("pkg:pypi/example@12.2(55)SE", "12.2(55)SE", Scheme::kPep440),
                               package("pkg:pypi/example@12.2(55)SE2", "12.2(55)SE2", Scheme::kPep440)});
  ASSERT_FALSE(inventory.components[0].version);
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"TEST-TEXT-1"});
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});
  AdvisoryCoverage coverage;
  index.match_key(inventory.components[1], &coverage);
  EXPECT_TRUE(coverage.checked());
  EXPECT_EQ(coverage.entries, 1u);
}

// OSV pseudocode BeforeLimits: below ANY limit.
TEST(IdentityMatch, SeveralLimitsMeanBelowAnyOfThem) {
  auto facts = facts_of({R"({"id":"GO-2024-0001","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Go","name":"example.com/m"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"limit":"1.5.0"},{"limit":"2.5.0"}]}]}]})"});
  auto inventory = identified({package("pkg:golang/example.com/m@v2.1.0", "v2.1.0", Scheme::kGolang),
                               package("pkg:golang/example.com/m@v2.6.0", "v2.6.0", Scheme::kGolang)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"GO-2024-0001"});
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});
}

// Two versions of one library in one SBOM keep their identity; each meets what its
// version has.
TEST(IdentityMatch, TwoVersionsOfOnePackageEachMeetTheirOwn) {
  auto facts = facts_of({R"({"id":"GHSA-xxxx-lodash","modified":"2021-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]})"});
  inventory::Component old_copy = package("pkg:npm/lodash@4.17.20", "4.17.20", Scheme::kNpm);
  inventory::Component new_copy = package("pkg:npm/lodash@4.17.21", "4.17.21", Scheme::kNpm);
  old_copy.identity.label = new_copy.identity.label = "lodash";
  old_copy.name = "lodash@4.17.20";
  new_copy.name = "lodash@4.17.21";
  auto inventory = identified({old_copy, new_copy});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "4.17.21");
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{});
  EXPECT_NE(index.match_key(inventory.components[0]), index.match_key(inventory.components[1]));
}

TEST(IdentityMatch, UnusableEntriesAreCountedNotDropped) {
  auto facts = facts_of({R"({"id":"GIT-ONLY","modified":"2021-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"0"},{"fixed":"abc"}]}]},
    {"package":{"ecosystem":"SomeFutureEcosystem","name":"y"},"versions":["1.0"]},
    {"package":{"ecosystem":"Bitnami","name":"mysql-client"},"versions":["8.0.1"]}]})"});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(index.skips().git_only, 1u);
  EXPECT_EQ(index.skips().no_scheme.at("SomeFutureEcosystem"), 1u);
  EXPECT_EQ(index.skips().no_product.at("Bitnami"), 1u);
}

// Found by trying to break it (each a kind, with the record text as reference):
// Bitnami purls are Bitnami's products; packages of distros without an OSV ecosystem never
// take upstream verdicts; Debian ranges are in source versions; a declared advisory does
// not meet a same-named package; with no advisory data nothing is "checked".
TEST(IdentityMatch, BitnamiPurlMeetsBitnamiRecords) {
  auto facts = facts_of({R"({"id":"BIT-redis-2025-32023","modified":"2025-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"redis","purl":"pkg:bitnami/redis"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"7.0.0"},{"fixed":"7.2.10"}]}]}]})"});
  auto inventory = identified({package("pkg:bitnami/redis@7.2.4", "7.2.4", Scheme::kSemver)});
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(inventory.components[0].product, "redis");
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "7.2.10");
}

TEST(IdentityMatch, PackagesOfUncoveredDistrosTakeNoUpstreamVerdict) {
  auto facts = facts_of({R"({"id":"BIT-nginx-2022-41741","modified":"2023-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"nginx","purl":"pkg:bitnami/nginx"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.22.1"}]}]}]})"});
  auto inventory = identified({package("pkg:deb/raspbian/nginx@1.22.1-9", "1.22.1-9", Scheme::kDeb),
                               package("pkg:rpm/fedora/httpd@2.4.49-1.fc35", "2.4.49-1.fc35", Scheme::kRpm)});
  AdvisoryIndex index(facts, {});
  for (const auto& component : inventory.components) {
    EXPECT_EQ(ids(index.match(component)), Ids{}) << component.purl;
    AdvisoryCoverage coverage;
    index.match_key(component, &coverage);
    EXPECT_EQ(coverage.gap, AdvisoryCoverage::Gap::kDistroUnsupported) << component.purl;
  }
}

TEST(IdentityMatch, DebianRangesAreReadInSourceVersions) {
  auto facts = facts_of({R"({"id":"DEBIAN-CVE-2024-0002","modified":"2024-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Debian:12","name":"util-linux"},
     "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.38.1-5+deb12u1"}]}]}]})"});
  inventory::Component bsdutils;
  bsdutils.name = "bsdutils";
  bsdutils.kind = "package";
  bsdutils.source = "dpkg";
  bsdutils.scheme = Scheme::kDeb;
  bsdutils.version_text = "1:2.38.1-5+b1";  // binNMU of source util-linux 2.38.1-5, epoch 1
  bsdutils.attributes = {{"package", "bsdutils"}, {"source_package", "util-linux"}, {"source_version", "2.38.1-5"}};
  bsdutils.location = SourceLocation{"status", 1, 1};
  inventory::Inventory inventory;
  inventory.components.push_back(bsdutils);
  inventory::IdentityOptions options;
  options.read_os_release = false;
  options.distro = inventory::parse_distro("debian:12");
  inventory::assign_identities(inventory, options);
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "2.38.1-5+deb12u1");
}

TEST(IdentityMatch, DeclaredAdvisoryDoesNotMeetSameNamedPackages) {
  compiler::DeclaredAdvisory declared;
  declared.advisory.id = "VENDOR-REDIS-1";
  facts::AffectedPackage affected;
  affected.ecosystem = "rules";
  affected.name = "redis";
  affected.scheme = Scheme::kGeneric;
  declared.advisory.affected.push_back(affected);
  inventory::Component server = labelled("redis", "7.1.0", "database-engine");
  auto inventory = identified({package("pkg:npm/redis@7.1.0", "7.1.0", Scheme::kNpm), server});
  facts::FactSet none;
  const std::vector<compiler::DeclaredAdvisory> all = {declared};  // the index points into it
  AdvisoryIndex index(none, all);
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{});
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"VENDOR-REDIS-1"});
}

TEST(IdentityMatch, NothingIsCheckedWithoutAdvisoryData) {
  facts::FactSet none;
  auto inventory = identified({labelled("web", "2.4.50", "container-image"), labelled("apache2", "2.4.50")});
  AdvisoryIndex index(none, {});
  AdvisoryCoverage coverage;
  index.match_key(inventory.components[1], &coverage);
  EXPECT_EQ(coverage.gap, AdvisoryCoverage::Gap::kNoAdvisoryData);
}

// Go module versions are "v1.2.3" even when an SBOM drops the "v"; a hand-written
// "v19.9.0" reads as 19.9.0 against SEMVER events (BIT-node: last_affected 19.9.0).
TEST(IdentityMatch, VersionPrefixesDoNotHideAdvisories) {
  auto facts = facts_of({R"({"id":"GO-2025-4135","modified":"2025-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Go","name":"golang.org/x/crypto"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.45.0"}]}]}]})",
                         R"({"id":"BIT-node-2025-23088","modified":"2025-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"node","purl":"pkg:bitnami/node"},"ranges":[{"type":"SEMVER","events":[{"introduced":"19.0.0"},{"last_affected":"19.9.0"}]}]}]})"});
  inventory::Component node = labelled("web", "v19.9.0", "container-image");
  node.product = "nodejs";
  auto inventory = identified({package("pkg:golang/golang.org/x/crypto@0.44.0", "0.44.0", Scheme::kGolang), node});
  EXPECT_EQ(inventory.components[0].version_text, "v0.44.0");
  EXPECT_TRUE(inventory.components[0].version.has_value());
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(fix_of(index.match(inventory.components[0])), "0.45.0");
  EXPECT_EQ(ids(index.match(inventory.components[1])), Ids{"BIT-node-2025-23088"});
}

// A native inventory entry `{product: python, version: …}`: generic scheme, as written.
inventory::Component python(const std::string& version) {
  inventory::Component component = labelled("python-" + version, version, "service");
  component.product = "python";
  return component;
}

// Bitnami's BIT-python-2026-0864 as osv.dev serves it: one SEMVER range introduced "0"
// with no fix, so every version SEMVER can read is affected. A generic version SEMVER
// cannot read ("3.10.14.1", "3.10.0rc1") was compared with nothing: the
// coverage, the advisory view and the solver say so alike (DESIGN: what could not be
// compared is said, never silently skipped), never "checked" and clean.
TEST(IdentityMatch, AVersionNoEntryCanReadIsNotCheckedAnywhere) {
  auto facts = facts_of({R"({"id":"BIT-python-2026-0864","modified":"2026-07-30T11:52:58Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"python","purl":"pkg:bitnami/python"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]})"});
  auto inventory = identified({python("3.10.14"), python("3.10.14.1"), python("3.10.0rc1"), python("3.10.x")});
  AdvisoryIndex index(facts, {});
  ASSERT_EQ(inventory.components[0].product, "python");
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{"BIT-python-2026-0864"});
  AdvisoryCoverage plain;
  index.match_key(inventory.components[0], &plain);
  EXPECT_TRUE(plain.checked());
  EXPECT_EQ(plain.entries, 1u);
  EXPECT_EQ(plain.not_compared, 0u);
  EXPECT_FALSE(index.clean_at(inventory.components[0]));
  // "3.10.x" is a line pin: not checked for that reason already.
  AdvisoryCoverage line;
  index.match_key(inventory.components[3], &line);
  EXPECT_EQ(line.gap, AdvisoryCoverage::Gap::kVersionNotExact);
  EXPECT_FALSE(index.clean_at(inventory.components[3]));
  // "3.10.0rc1" is PEP 440's pre-release form: read as semver 3.10.0-rc1 it compares
  // (before 3.10.0), so it is checked and affected.
  EXPECT_EQ(ids(index.match(inventory.components[2])), Ids{"BIT-python-2026-0864"});
  for (size_t c = 1; c < 2; ++c) {
    const inventory::Component& component = inventory.components[c];
    SCOPED_TRACE(component.version_text);
    ASSERT_TRUE(component.version);  // valid in its own (generic) scheme
    EXPECT_EQ(ids(index.match(component)), Ids{});
    AdvisoryCoverage coverage;
    index.match_key(component, &coverage);
    EXPECT_FALSE(coverage.checked());
    EXPECT_EQ(coverage.gap, AdvisoryCoverage::Gap::kVersionNotComparable);
    EXPECT_EQ(coverage.entries, 0u);
    EXPECT_EQ(coverage.not_compared, 1u);
    EXPECT_EQ(advisory_gap_reason(coverage, component), "version not comparable in the entries' schemes");
    auto verdicts = index.judge(component, facts.advisories.begin()->second);
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_EQ(verdicts[0].kind, AdvisoryIndex::Verdict::Kind::kNotCompared);
    EXPECT_FALSE(index.clean_at(component));  // unknown is no target
  }
}

// Some entries compare and some do not: checked against those that do, and the others
// counted (`not_compared`), so that a report can say the check was partial.
TEST(IdentityMatch, EntriesThatCannotReadTheVersionAreCounted) {
  auto facts = facts_of({R"({"id":"BIT-python-2026-0001","modified":"2026-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"python","purl":"pkg:bitnami/python"},
     "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"3.9.0"}]}]}]})",
                         R"({"id":"TEST-python-listed","modified":"2026-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Bitnami","name":"python","purl":"pkg:bitnami/python"},"versions":["3.8.1"]}]})"});
  auto inventory = identified({python("3.10.14.1")});
  AdvisoryIndex index(facts, {});
  AdvisoryCoverage coverage;
  index.match_key(inventory.components[0], &coverage);
  EXPECT_TRUE(coverage.checked());  // the listed-versions entry compared it, as text
  EXPECT_EQ(coverage.entries, 1u);
  EXPECT_EQ(coverage.not_compared, 1u);
  EXPECT_FALSE(index.clean_at(inventory.components[0]));
}

// A dpkg status file whose distro nothing names is Debian's by default, yet may be
// Ubuntu's: an Ubuntu record meets its packages as another release (not checked).
TEST(IdentityMatch, AnUnknownReleaseDpkgPackageMeetsUbuntuRecordsAsNotChecked) {
  auto facts = facts_of({R"({"id":"UBUNTU-CVE-2099-2001","modified":"2026-01-01T00:00:00Z","affected":[
    {"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"curl"},
     "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"7.81.0-1ubuntu1.16"}]}]}]})"});
  inventory::Component curl = labelled("curl", "7.81.0-1", "package");
  curl.source = "dpkg";
  curl.scheme = Scheme::kDeb;
  curl.attributes["package"] = "curl";
  auto inventory = identified({curl});
  ASSERT_EQ(inventory.components[0].identity.ecosystem, "Debian");
  ASSERT_EQ(inventory.components[0].identity.release, "");
  AdvisoryIndex index(facts, {});
  EXPECT_EQ(ids(index.match(inventory.components[0])), Ids{});
  auto verdicts = index.judge(inventory.components[0], facts.advisories.begin()->second);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].kind, AdvisoryIndex::Verdict::Kind::kOtherRelease);
}

}  // namespace
}  // namespace uprank::evaluator

namespace uprank::evaluator {
namespace {

// A distro package lives as long as its distro release: libssl3 3.0.19-1~deb12u2 of
// Debian 12 is supported while Debian 12 is, not while upstream OpenSSL 3.0 is, and
// neither upstream's 3.0.21 nor Debian's point release 12.15 is a newer version of it.
// Dates as ../shared/fixtures/endoflife/products/{debian,openssl}.md state them.
TEST(DistroPackageCycle, IsItsDistroReleaseCycle) {
  facts::FactSet facts;
  facts::EolCycle bookworm;
  bookworm.product = "debian";
  bookworm.cycle = "12";
  bookworm.codename = "Bookworm";
  bookworm.released = Date::parse("2023-06-10");
  bookworm.security_ends = Date::parse("2026-07-11");
  bookworm.extended_ends = Date::parse("2028-06-30");
  bookworm.latest = "12.15";
  bookworm.latest_date = Date::parse("2026-07-11");
  bookworm.evidence = {"endoflife", "debian/12", "https://endoflife.date/debian", ""};
  facts.products["debian"] = facts::EolProduct{"debian", "Debian", {bookworm}};
  facts::EolCycle openssl30;
  openssl30.product = "openssl";
  openssl30.cycle = "3.0";
  openssl30.released = Date::parse("2021-09-07");
  openssl30.security_ends = Date::parse("2026-09-07");
  openssl30.latest = "3.0.21";
  facts.products["openssl"] = facts::EolProduct{"openssl", "OpenSSL", {openssl30}};

  inventory::Component libssl3;
  libssl3.name = "libssl3";
  libssl3.kind = "package";
  libssl3.source = "dpkg";
  libssl3.scheme = Scheme::kDeb;
  libssl3.version_text = "3.0.19-1~deb12u2";
  libssl3.attributes = {{"package", "libssl3"}, {"source_package", "openssl"}, {"source_version", "3.0.19-1~deb12u2"}};
  libssl3.location = SourceLocation{"status", 1, 1};
  inventory::Inventory inventory;
  inventory.components.push_back(libssl3);
  inventory::IdentityOptions options;
  options.read_os_release = false;
  options.distro = inventory::parse_distro("debian:12");
  inventory::assign_identities(inventory, options);
  inventory::ProductMap::bundled().apply(inventory);
  auto version = versions::Version::parse(Scheme::kDeb, libssl3.version_text);
  ASSERT_TRUE(version.ok());
  inventory.components[0].version = version.value();
  const inventory::Component& component = inventory.components[0];
  ASSERT_EQ(component.product, "openssl") << "the upstream identity stays";

  facts::MadeUpCycles made_up;
  const facts::EolCycle* cycle = eol_cycle_of(facts, component, *Date::parse("2026-09-01"), made_up);
  ASSERT_NE(cycle, nullptr);
  EXPECT_EQ(cycle->product, "debian");
  EXPECT_EQ(cycle->cycle, "(Debian 12)");
  EXPECT_EQ(cycle->security_ends, Date::parse("2026-07-11"));
  EXPECT_EQ(cycle->extended_ends, Date::parse("2028-06-30"));
  EXPECT_EQ(cycle->latest, "");
  EXPECT_EQ(cycle->evidence.id, "debian/12");
  EXPECT_EQ(eol_cycle_of(facts, component, *Date::parse("2026-09-01"), made_up), cycle) << "one per release";

  inventory.components[0].identity.release.clear();  // release unknown: its support too
  EXPECT_EQ(eol_cycle_of(facts, inventory.components[0], *Date::parse("2026-09-01"), made_up), nullptr);
}

}  // namespace
}  // namespace uprank::evaluator
