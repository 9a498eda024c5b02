// The target solver, one test per way a target can go wrong (issue: "never a version
// that is affected, unreleased, below the running version, or in a line already past
// support; written the way the pin is written").
#include <gtest/gtest.h>

#include "tests/engine/targets/world.h"

namespace uprank::targets {
namespace {

using namespace solver_world;



TEST(TargetSolver, PatchTargetIsTheLowestUnaffectedReleaseOfTheSameLine) {
  World world;
  world.cycle("python", "3.13", "2029-10-31", "3.13.2");
  world.cycle("python", "3.12", "2028-10-31", "3.12.5");
  world.released("python", {{"3.13.2", "2025-02-04"}, {"3.13.0", "2024-10-07"}, {"3.12.5", "2024-08-06"},
                            {"3.12.4", "2024-06-06"}, {"3.12.3", "2024-04-09"}, {"3.12.2", "2024-02-06"}});
  // 3.12.3 is still affected; 3.12.4 fixes it.
  world.advisory("PY-1", "python", {{"introduced", "3.12.0"}, {"fixed", "3.12.4"}});
  size_t ml = world.component("ml", "python", "3.12.2");
  ComponentTargets targets = world.solve_one(ml, "2025-06-01");
  ASSERT_TRUE(targets.patch.target);
  EXPECT_EQ(targets.patch.target->version, "3.12.4");
  EXPECT_EQ(targets.patch.target->line, "3.12");
  EXPECT_EQ(targets.patch.target->source, "release-data");
  EXPECT_FALSE(targets.patch.target->current);
  // 3.12 is supported past the window: the supported target is its newest clean
  // release, 3.12.5 (PY-1 is fixed from 3.12.4 on), where the patch target is the lowest.
  EXPECT_EQ(version_of(targets.supported), "3.12.5");
  EXPECT_EQ(targets.supported.target->supported_until->to_string(), "2028-10-31");
}

TEST(TargetSolver, AFixThatWasNeverReleasedIsNotATarget) {
  World world;
  world.cycle("python", "3.12", "2028-10-31", "3.12.5");
  world.released("python", {{"3.12.5", "2024-08-06"}, {"3.12.2", "2024-02-06"}});
  // The advisory names 3.15.0, which the release list lacks; every 3.12 is affected.
  world.advisory("PY-2", "python", {{"introduced", "0"}, {"fixed", "3.15.0"}});
  size_t ml = world.component("ml", "python", "3.12.2");
  ComponentTargets targets = world.solve_one(ml, "2025-06-01");
  EXPECT_EQ(version_of(targets.patch), "none: no fixed release yet (PY-2)");
  EXPECT_FALSE(targets.supported.target);
}

TEST(TargetSolver, ATargetTheSameAdvisoryMarksAffectedIsSkipped) {
  World world;
  world.cycle("apache-http-server", "2.4", nullptr, "2.4.62");
  world.released("apache-http-server", {{"2.4.62", "2024-07-17"}, {"2.4.51", "2021-10-07"}, {"2.4.50", "2021-10-04"},
                                         {"2.4.49", "2021-09-15"}});
  // 2.4.50 was the first fix of CVE-2021-41773 and was itself affected by CVE-2021-42013.
  world.advisory("CVE-2021-41773", "apache-http-server", {{"introduced", "2.4.49"}, {"fixed", "2.4.50"}});
  world.advisory("CVE-2021-42013", "apache-http-server", {{"introduced", "2.4.49"}, {"last_affected", "2.4.50"}});
  size_t web = world.component("web", "apache-http-server", "2.4.49");
  ComponentTargets targets = world.solve_one(web, "2022-01-01");
  EXPECT_EQ(version_of(targets.patch), "2.4.51");
  EXPECT_EQ(version_of(targets.supported), "2.4.51");
  EXPECT_FALSE(targets.supported.target->supported_until.has_value());  // no end date announced
}

TEST(TargetSolver, UnreleasedOnTodayAndOlderVersionsAreNeverTargets) {
  World world;
  world.cycle("redis", "7.2", "2027-02-28", "7.2.9");  // the cycle's latest is not taken: release-data is
  world.released("redis", {{"7.2.9", "2026-10-01"}, {"7.2.5", "2024-05-16"}, {"7.2.1", "2023-09-06"}});
  world.advisory("R-1", "redis", {{"introduced", "0"}, {"fixed", "7.2.9"}});
  size_t cache = world.component("cache", "redis", "7.2.5");
  // On 2026-09-01, 7.2.9 is not out yet; 7.2.1 is below what runs.
  EXPECT_EQ(version_of(world.solve_one(cache, "2026-09-01").patch), "none: no fixed release yet (R-1)");
  EXPECT_EQ(version_of(world.solve_one(cache, "2026-10-02").patch), "7.2.9");
}

TEST(TargetSolver, ALinePastSupportHasNoPatchTargetAndTheSupportedTargetLeavesIt) {
  World world;
  world.cycle("postgresql", "17", "2029-11-08", "17.2");
  world.cycle("postgresql", "16", "2028-11-09", "16.6");
  world.cycle("postgresql", "13", "2025-11-13", "13.18");
  world.cycle("postgresql", "12", "2024-11-21", "12.22");
  world.released("postgresql", {{"17.2", "2024-11-21"}, {"17.0", "2024-09-26"}, {"16.6", "2024-11-21"},
                                {"16.0", "2023-09-14"}, {"13.18", "2024-11-21"}, {"12.22", "2024-11-21"}});
  size_t db = world.component("db", "postgresql", "12.4");
  world.inventory.components[db].attributes["pinned"] = "12.4-alpine";  // as the product map records a tag
  // On 2025-09-01 with a 120-day window, 13 ends inside the window: 16 is the oldest line that lasts.
  ComponentTargets targets = world.solve_one(db, "2025-09-01");
  EXPECT_EQ(version_of(targets.patch), "none: line 12 left vendor support on 2024-11-21");
  ASSERT_TRUE(targets.supported.target);
  // The line's newest release, not its first (16.0): docs/targets.md.
  EXPECT_EQ(targets.supported.target->version, "16.6-alpine");  // written as the tag is
  EXPECT_EQ(targets.supported.target->release, "16.6");
  EXPECT_EQ(targets.supported.target->line, "16");
  EXPECT_EQ(summary(targets), "no patch target: line 12 left vendor support on 2024-11-21; supported 16.6-alpine (to 2028-11-09)");
}

// The supported target is the newest clean release of the lowest line that qualifies:
// Apache HTTP Server 2.2 left support on 2017-07-11 (endoflife.date); replayed on
// 2021-10-05, line 2.4's releases are 2.4.46, 2.4.48, 2.4.49 (2021-09-15) and 2.4.50
// (2021-10-04), and CVE-2021-41773 (introduced 2.4.49, fixed 2.4.50, as the record
// publishes it) affects 2.4.49 only. 2.4.50 is the target, not the line's lowest
// release 2.4.46. Two days earlier 2.4.50 is not out: the newest release, 2.4.49, is
// affected, so the newest clean one, 2.4.48, is the target (the world's record has no
// publication date, so it is loaded on that day too).
TEST(TargetSolver, TheSupportedTargetIsTheNewestCleanReleaseOfTheLowestLineThatQualifies) {
  World world;
  world.cycle("apache-http-server", "2.4", nullptr, "2.4.50");
  world.cycle("apache-http-server", "2.2", "2017-07-11", "2.2.34");
  world.released("apache-http-server", {{"2.4.50", "2021-10-04"}, {"2.4.49", "2021-09-15"}, {"2.4.48", "2021-06-01"},
                                         {"2.4.46", "2020-08-07"}, {"2.2.34", "2017-07-11"}});
  world.advisory("CVE-2021-41773", "apache-http-server", {{"introduced", "2.4.49"}, {"fixed", "2.4.50"}});
  size_t web = world.component("web", "apache-http-server", "2.2.34");
  ComponentTargets targets = world.solve_one(web, "2021-10-05");
  EXPECT_EQ(version_of(targets.patch), "none: line 2.2 left vendor support on 2017-07-11");
  EXPECT_EQ(version_of(targets.supported), "2.4.50");
  EXPECT_EQ(version_of(world.solve_one(web, "2021-10-03").supported), "2.4.48");
  // What runs in a line that qualifies, affected by nothing, is current: no move to the
  // line's newest release is asked for.
  size_t edge = world.component("edge", "apache-http-server", "2.4.46");
  EXPECT_TRUE(world.solve_one(edge, "2021-10-05").supported.target->current);  // nothing affects what runs
}

// A newer release of the line that breaks a constraint is passed over for the newest that
// keeps it (the constraint's rule would fire on the upgraded component).
TEST(TargetSolver, TheNewestReleaseOfTheSupportedLineKeepsEveryConstraint) {
  World world;
  world.cycle("postgresql", "16", "2028-11-09", "16.6");
  world.cycle("postgresql", "12", "2024-11-21", "12.22");
  world.released("postgresql", {{"16.6", "2024-11-21"}, {"16.4", "2024-08-08"}, {"16.0", "2023-09-14"}, {"12.22", "2024-11-21"}});
  size_t db = world.component("db", "postgresql", "12.4");
  size_t app = world.component("app", "billing-api", "4.1");
  world.inventory.components[app].depends_on.push_back("db");
  compiler::CompiledConstraint cap;
  cap.is_requires = true;
  cap.text = "requires billing-api >= 4.0 => postgresql in >=13, <16.5";
  cap.subject = side("billing-api", ">=", "4.0");
  cap.other = side("postgresql", "in", ">=13, <16.5");
  world.constraints.push_back(cap);
  EXPECT_EQ(version_of(world.solve_one(db, "2025-09-01").supported), "16.4");
}

TEST(TargetSolver, TheRunningVersionIsCurrentWhenNothingAffectsIt) {
  World world;
  world.cycle("nginx", "1.26", "2026-04-30", "1.26.2");
  world.released("nginx", {{"1.26.2", "2024-08-14"}, {"1.26.0", "2024-04-23"}});
  size_t edge = world.component("edge", "nginx", "1.26.0");
  ComponentTargets targets = world.solve_one(edge, "2025-01-01");
  ASSERT_TRUE(targets.patch.target);
  EXPECT_TRUE(targets.patch.target->current);
  EXPECT_EQ(targets.patch.target->source, "running");
}

TEST(TargetSolver, GoVersionsKeepTheirV) {
  World world;
  world.advisory("GO-2024-1", "golang.org/x/net", {{"introduced", "0"}, {"fixed", "0.23.0"}}, Scheme::kSemver, "Go");
  inventory::Component net;
  net.name = "golang.org/x/net";
  net.version_text = "v0.21.0";
  net.scheme = Scheme::kGolang;
  net.version = versions::Version::parse(Scheme::kGolang, "v0.21.0").value();
  net.identity.ecosystem = "Go";
  net.identity.name = "golang.org/x/net";
  world.inventory.components.push_back(net);
  ComponentTargets targets = world.solve_one(0, "2025-01-01");
  ASSERT_TRUE(targets.patch.target) << targets.patch.none_reason;
  EXPECT_EQ(targets.patch.target->version, "v0.23.0");
  EXPECT_EQ(targets.patch.target->line, "0.x");
  EXPECT_EQ(targets.patch.target->source, "fixed in GO-2024-1");
}

TEST(TargetSolver, ADistroPackageTakesItsReleasesFix) {
  World world;
  world.advisory("DSA-1", "util-linux", {{"introduced", "0"}, {"fixed", "2.38.1-5+deb12u1"}}, Scheme::kDeb, "Debian:12");
  world.advisory("DSA-2", "util-linux", {{"introduced", "0"}, {"fixed", "2.38.1-6"}}, Scheme::kDeb, "Debian:13");
  inventory::Component pkg;
  pkg.name = "util-linux";
  pkg.source = "dpkg";
  pkg.version_text = "2.38.1-5";
  pkg.scheme = Scheme::kDeb;
  pkg.version = versions::Version::parse(Scheme::kDeb, "2.38.1-5").value();
  pkg.identity.ecosystem = "Debian";
  pkg.identity.release = "12";
  pkg.identity.name = "util-linux";
  world.inventory.components.push_back(pkg);
  world.cycle("debian", "12", "2028-06-30", "12.12");
  world.cycle("debian", "10", "2024-06-30", "10.13");
  ComponentTargets targets = world.solve_one(0, "2025-01-01");
  EXPECT_EQ(version_of(targets.patch), "2.38.1-5+deb12u1");  // never Debian 13's fix
  EXPECT_EQ(targets.patch.target->line, "12");
  // Supported as long as Debian 12 is.
  EXPECT_EQ(version_of(targets.supported), "2.38.1-5+deb12u1");
  EXPECT_EQ(targets.supported.target->supported_until->to_string(), "2028-06-30");

  // The same package on Debian 10, past its support: no patch target, whatever the fixes.
  world.advisory("DLA-1", "util-linux", {{"introduced", "0"}, {"fixed", "2.33.1-0.1+deb10u1"}}, Scheme::kDeb, "Debian:10");
  world.inventory.components[0].identity.release = "10";
  world.inventory.components[0].version_text = "2.33.1-0.1";
  world.inventory.components[0].version = versions::Version::parse(Scheme::kDeb, "2.33.1-0.1").value();
  targets = world.solve_one(0, "2025-01-01");
  EXPECT_EQ(version_of(targets.patch), "none: line 10 left vendor support on 2024-06-30");
  EXPECT_EQ(version_of(targets.supported), "none: Debian 10 is not supported past 2025-05-01: upgrade the distro release");
}

TEST(TargetSolver, ALinePinGetsALineWrittenAsThePinWritesIt) {
  World world;
  world.cycle("amazon-eks", "1.31", "2026-11-26", "1.31-eks-20");
  world.cycle("amazon-eks", "1.30", "2026-07-23", "1.30-eks-25");
  world.cycle("amazon-eks", "1.29", "2026-03-23", "1.29-eks-30");
  inventory::Component cluster;
  cluster.name = "prod-cluster";
  cluster.product = "amazon-eks";
  cluster.version_text = "1.29";
  cluster.pin.kind = inventory::VersionPin::Kind::kCycle;
  cluster.pin.cycle = "1.29";
  world.inventory.components.push_back(cluster);
  EXPECT_EQ(version_of(world.solve_one(0, "2026-01-01", 120).supported), "1.30");
  EXPECT_EQ(version_of(world.solve_one(0, "2026-01-01", 120).patch), "none: line pin: patches arrive with the line");
  ComponentTargets targets = world.solve_one(0, "2026-04-01", 120);
  EXPECT_EQ(version_of(targets.patch), "none: line 1.29 left vendor support on 2026-03-23");
  EXPECT_EQ(version_of(targets.supported), "1.31");  // 1.30 ends inside the window
}

TEST(TargetSolver, ACodenamePinGetsACodename) {
  World world;
  world.cycle("debian", "13", "2028-08-09", "13.1").codename = "Trixie";
  world.cycle("debian", "12", "2026-06-10", "12.12").codename = "Bookworm";
  inventory::Component base;
  base.name = "base-image";
  base.product = "debian";
  base.version_text = "bookworm";
  base.pin.kind = inventory::VersionPin::Kind::kCycle;
  base.pin.codename = "bookworm";
  world.inventory.components.push_back(base);
  ComponentTargets targets = world.solve_one(0, "2026-03-01");
  EXPECT_EQ(version_of(targets.supported), "trixie");
}

// Every form of a codename pin round-trips: the codename (from the end-of-life data, else
// the product map's table), the variant after it, no date stamp; an "lts" alias that
// still points at a qualifying line is current as "lts".
TEST(TargetSolver, ACodenamePinKeepsItsFormAndVariant) {
  World world;
  world.cycle("debian", "13", "2028-08-09", "13.1").codename = "Trixie";
  world.cycle("debian", "11", "2024-08-14", "11.11").codename = "Bullseye";
  world.cycle("nodejs", "24", "2028-04-30", "24.19.0").lts = true;
  world.cycle("nodejs", "22", "2027-04-30", "22.23.2").lts = true;
  world.cycle("nodejs", "20", "2026-04-30", "20.20.2").lts = true;
  auto image = [&](const char* product, const char* tag, const char* codename, const char* cycle) {
    inventory::Component c;
    c.name = std::string(product) + ":" + tag;
    c.kind = "container-image";
    c.product = product;
    c.version_text = tag;
    c.pin.kind = inventory::VersionPin::Kind::kCycle;
    c.pin.codename = codename;
    c.pin.cycle = cycle;
    world.inventory.components.push_back(c);
    return world.inventory.components.size() - 1;
  };
  struct Case {
    size_t index;
    const char* supported;
  };
  for (const Case& c : {Case{image("debian", "bullseye-slim", "bullseye", ""), "trixie-slim"},
                        Case{image("debian", "bullseye-20240110-slim", "bullseye", ""), "trixie-slim"},
                        Case{image("debian", "bullseye", "bullseye", ""), "trixie"},
                        Case{image("nodejs", "iron-alpine", "iron", "20"), "jod-alpine"},
                        Case{image("nodejs", "iron", "iron", "20"), "jod"},
                        Case{image("nodejs", "lts-alpine", "lts/*", ""), "lts-alpine"}}) {
    const inventory::Component& component = world.inventory.components[c.index];
    EXPECT_EQ(version_of(world.solve_one(c.index, "2026-09-01").supported), c.supported) << component.version_text;
  }
  // The alias resolves to 24 on the day, which qualifies: it is what runs.
  size_t lts = world.inventory.components.size() - 1;
  ASSERT_TRUE(world.solve_one(lts, "2026-09-01").supported.target);
  EXPECT_TRUE(world.solve_one(lts, "2026-09-01").supported.target->current);
}

// A numeric tag keeps its variant after a pre-release, which itself is not copied.
TEST(TargetSolver, APreReleaseTagKeepsItsVariantNotItsPreRelease) {
  World world;
  world.cycle("python", "3.13", "2029-10-31", "3.13.15");
  world.cycle("python", "3.12", "2028-10-31", "3.12.14");
  world.released("python", {{"3.13.0", "2024-10-07"}, {"3.13.15", "2026-08-05"}});
  inventory::Component c;
  c.name = "python";
  c.kind = "container-image";
  c.product = "python";
  c.version_text = "3.13.0rc2";
  c.version = versions::Version::parse(versions::Scheme::kGeneric, "3.13.0rc2").value();
  c.attributes["pinned"] = "3.13.0rc2-slim";
  c.cycle = "3.13";
  world.inventory.components.push_back(c);
  ComponentTargets targets = world.solve_one(0, "2026-09-01");
  EXPECT_EQ(version_of(targets.patch), "3.13.0-slim");
}


TEST(TargetSolver, AConstraintBlocksATargetAndNamesTheCoUpgrade) {
  World world;
  world.cycle("postgresql", "17", "2029-11-08", "17.2");
  world.cycle("postgresql", "16", "2028-11-09", "16.6");
  world.cycle("postgresql", "15", "2025-01-01", "15.10");
  world.released("postgresql", {{"17.2", "2024-11-21"}, {"16.6", "2024-11-21"}, {"15.10", "2024-11-21"}});
  world.released("billing-api", {{"5.0.0", "2025-03-01"}, {"4.2.0", "2024-12-01"}, {"4.1.0", "2024-06-01"}});
  compiler::CompiledConstraint conflict;
  conflict.is_requires = false;
  conflict.subject = side("billing-api", "<", "5.0");
  conflict.other = side("postgresql", ">=", "16");
  conflict.text = "conflicts billing-api < 5.0 with postgresql >= 16";
  world.constraints.push_back(conflict);
  size_t db = world.component("billing-db", "postgresql", "15.4");
  world.component("billing-api", "billing-api", "4.1.0");
  ComponentTargets targets = world.solve_one(db, "2025-06-01");
  EXPECT_EQ(version_of(targets.supported), "none: every unaffected release is ruled out by a constraint");
  ASSERT_FALSE(targets.supported.blocked.empty());
  const Blocker& blocker = targets.supported.blocked.front();
  EXPECT_EQ(blocker.constraint, "conflicts billing-api < 5.0 with postgresql >= 16");
  EXPECT_EQ(blocker.version, "16.6");
  EXPECT_EQ(blocker.component, "billing-api");
  EXPECT_EQ(blocker.unblock, "upgrade billing-api to 5.0.0 first, then billing-db to 16.6");

  // Once billing-api runs 5.0.0, nothing blocks.
  world.inventory.components[1].version_text = "5.0.0";
  world.inventory.components[1].version = versions::Version::parse(Scheme::kGeneric, "5.0.0").value();
  EXPECT_EQ(version_of(world.solve_one(db, "2025-06-01").supported), "16.6");
}

TEST(TargetSolver, UnrelatedComponentsDoNotBlock) {
  World world;
  world.cycle("postgresql", "16", "2028-11-09", "16.6");
  world.cycle("postgresql", "15", "2025-01-01", "15.10");
  compiler::CompiledConstraint conflict;
  conflict.is_requires = true;
  conflict.subject = side("billing-api", ">=", "4.0");
  conflict.other = side("postgresql", "<", "16");
  world.constraints.push_back(conflict);
  size_t db = world.component("db", "postgresql", "15.4");
  world.inventory.components[db].cluster = "a";
  world.component("billing-api", "billing-api", "4.1.0");
  world.inventory.components[1].cluster = "b";
  EXPECT_EQ(version_of(world.solve_one(db, "2025-06-01").supported), "16.6");
}

}  // namespace
}  // namespace uprank::targets

namespace uprank::targets {
namespace {

using namespace solver_world;

TEST(TargetSolver, MutuallyRequiredUpgradesAreNamedTogether) {
  World world;
  world.cycle("postgresql", "15", "2027-11-11", "15.10");
  world.cycle("postgresql", "12", "2024-11-21", "12.22");
  world.cycle("django", "5.2", "2028-04-30", "5.2.3");
  world.cycle("django", "4.2", "2026-04-07", "4.2.20");
  world.released("postgresql", {{"15.10", "2024-11-21"}, {"12.22", "2024-11-21"}});
  world.released("django", {{"5.2.3", "2025-06-01"}, {"4.2.20", "2025-03-01"}});
  compiler::CompiledConstraint db_needs_app;
  db_needs_app.subject = side("postgresql", ">=", "14");
  db_needs_app.other = side("django", ">=", "5.0");
  db_needs_app.text = "requires postgresql >= 14 => django >= 5.0";
  compiler::CompiledConstraint app_needs_db;
  app_needs_db.subject = side("django", ">=", "5.0");
  app_needs_db.other = side("postgresql", ">=", "14");
  app_needs_db.text = "requires django >= 5.0 => postgresql >= 14";
  world.constraints = {db_needs_app, app_needs_db};
  size_t db = world.component("db", "postgresql", "12.4");
  size_t app = world.component("app", "django", "4.2.11");
  ComponentTargets for_db = world.solve_one(db, "2026-09-01");
  ASSERT_FALSE(for_db.supported.blocked.empty());
  EXPECT_EQ(for_db.supported.blocked.front().unblock, "upgrade app to 5.2.3 and db to 15.10 together: neither can go first");
  ComponentTargets for_app = world.solve_one(app, "2026-09-01");
  ASSERT_FALSE(for_app.supported.blocked.empty());
  EXPECT_EQ(for_app.supported.blocked.front().unblock, "upgrade db to 15.10 and app to 5.2.3 together: neither can go first");
}

// Replaying a past day: a line released after it does not exist yet, nor does a release
// dated after it, whether the solver reaches them through a candidate or through what
// runs. Dates from endoflife.date (data/snapshot.json).
TEST(TargetSolverOnAPastDay, ALineReleasedAfterTheDayIsNoSupportedLine) {
  World world;
  // Kubernetes 1.35 was released 2025-12-17 (1.35.1 on 2026-02-10); 1.22 on 2021-08-04.
  world.cycle("kubernetes", "1.35", "2027-02-28", "1.35.8", "2026-08-20").released = day("2025-12-17");
  world.cycle("kubernetes", "1.22", "2022-10-28", "1.22.17", "2022-12-08").released = day("2021-08-04");
  world.released("kubernetes", {{"1.35.8", "2026-08-20"}, {"1.35.1", "2026-02-10"}, {"1.22.17", "2022-12-08"},
                                {"1.22.3", "2021-10-27"}, {"1.22.2", "2021-09-15"}});
  size_t kubelet = world.component("kubelet", "kubernetes", "1.35.1");
  ComponentTargets replay = world.solve_one(kubelet, "2021-10-20");
  EXPECT_EQ(version_of(replay.patch), "none: line 1.35 was not released by 2021-10-20 (released 2025-12-17)");
  EXPECT_FALSE(replay.supported.target) << "not 'current 1.35.1 (to 2027-02-28)'";
  // Today's answer is unchanged.
  ComponentTargets today = world.solve_one(kubelet, "2026-09-01");
  ASSERT_TRUE(today.supported.target);
  EXPECT_TRUE(today.supported.target->current);
  EXPECT_EQ(today.supported.target->supported_until, day("2027-02-28"));
  // A 1.22 node on the same day: its own line, with the release out by then.
  size_t node = world.component("node", "kubernetes", "1.22.2");
  ComponentTargets on_day = world.solve_one(node, "2021-10-20");
  EXPECT_TRUE(on_day.patch.target && on_day.patch.target->current);
  ASSERT_TRUE(on_day.supported.target);
  EXPECT_EQ(on_day.supported.target->line, "1.22");
  EXPECT_EQ(on_day.supported.target->supported_until, day("2022-10-28"));
}

TEST(TargetSolverOnAPastDay, ALinePinOfALineNotYetReleasedSaysSo) {
  World world;
  // Node.js 18 was released 2022-04-19; 16 on 2021-04-20.
  world.cycle("nodejs", "18", "2025-04-30", "18.20.8", "2025-03-27").released = day("2022-04-19");
  world.cycle("nodejs", "16", "2023-09-11", "16.20.2", "2023-08-09").released = day("2021-04-20");
  world.released("nodejs", {{"18.20.8", "2025-03-27"}, {"18.0.0", "2022-04-19"}, {"16.20.2", "2023-08-09"},
                            {"16.13.0", "2021-10-26"}, {"16.0.0", "2021-04-20"}});
  size_t eighteen = world.line_pin("web", "nodejs", "18", "18-alpine");
  EXPECT_EQ(version_of(world.solve_one(eighteen, "2022-01-01").supported),
            "none: line 18 was not released by 2022-01-01 (released 2022-04-19)");
  size_t sixteen = world.line_pin("api", "nodejs", "16", "16-alpine");
  ComponentTargets targets = world.solve_one(sixteen, "2022-01-01");
  ASSERT_TRUE(targets.supported.target);
  EXPECT_EQ(targets.supported.target->version, "16-alpine") << "18 did not exist yet";
  EXPECT_EQ(targets.supported.target->release, "16.13.0") << "16.20.2 came out in 2023";
  EXPECT_EQ(targets.supported.target->supported_until, day("2023-09-11"));
}

TEST(TargetSolverOnAPastDay, ALineOutBeforeItsFirstListedReleaseStandsForItself) {
  World world;
  // Debian 11 (Bullseye) was released 2021-08-14; the release-data lists its point releases
  // from 11.7 (2023-04-29) on, its latest is 11.11 (2024-08-31); 12 came 2023-06-10.
  world.cycle("debian", "12", "2026-07-11", "12.15", "2026-07-11").released = day("2023-06-10");
  facts::EolCycle& eleven = world.cycle("debian", "11", "2024-08-14", "11.11", "2024-08-31");
  eleven.released = day("2021-08-14");
  eleven.codename = "Bullseye";
  world.facts.products["debian"].cycles[0].codename = "Bookworm";
  world.released("debian", {{"12.15", "2026-07-11"}, {"11.11", "2024-08-31"}, {"12", "2023-06-10"}, {"11.7", "2023-04-29"}});
  size_t numeric = world.line_pin("base", "debian", "11", "11");
  ComponentTargets targets = world.solve_one(numeric, "2022-01-01");
  ASSERT_TRUE(targets.supported.target) << targets.supported.none_reason;
  EXPECT_TRUE(targets.supported.target->current);
  EXPECT_EQ(targets.supported.target->release, "11");
  EXPECT_EQ(targets.supported.target->supported_until, day("2024-08-14"));
  inventory::Component slim;
  slim.name = "slim";
  slim.kind = "container-image";
  slim.product = "debian";
  slim.version_text = "bullseye-slim";
  slim.pin.kind = inventory::VersionPin::Kind::kCycle;
  slim.pin.codename = "bullseye";
  world.inventory.components.push_back(slim);
  ComponentTargets codename = world.solve_one(world.inventory.components.size() - 1, "2022-01-01");
  EXPECT_EQ(version_of(codename.supported), "bullseye-slim") << "not trixie-slim nor bookworm-slim: neither existed";
  EXPECT_EQ(version_of(world.solve_one(world.inventory.components.size() - 1, "2024-06-01").supported), "bookworm-slim")
      << "after 12's release, 11 ends inside the window";
}

// Docker tags cannot carry '+' (distribution spec: [A-Za-z0-9_][A-Za-z0-9_.-]*); Temurin's
// images write a release's build after '_' ("21.0.5_11-jre" is release 21.0.5+11), so a
// target in tag form is the tag that exists. Releases from endoflife.date's eclipse-temurin.
TEST(TargetSolver, AnImageTargetWritesBuildMetadataAsTheTagsDo) {
  World world;
  world.cycle("eclipse-temurin", "21", "2029-12-31", "21.0.12.1+1");
  world.cycle("eclipse-temurin", "17", "2027-10-31", "17.0.20.1+1");
  world.cycle("eclipse-temurin", "11", "2027-10-31", "11.0.32+9");
  world.released("eclipse-temurin", {{"21.0.12.1+1", "2026-08-19"}, {"17.0.20.1+1", "2026-08-19"},
                                     {"11.0.32+9", "2026-07-24"}, {"11.0.24+8", "2024-07-16"}});
  size_t jre = world.component("jre", "eclipse-temurin", "11.0.24_8");
  world.inventory.components[jre].kind = "container-image";
  world.inventory.components[jre].attributes["pinned"] = "11.0.24_8-jre";
  // On 2027-09-01 with a 120-day window, 11 and 17 end inside it: 21 is the line that lasts.
  ComponentTargets targets = world.solve_one(jre, "2027-09-01");
  ASSERT_TRUE(targets.supported.target);
  EXPECT_EQ(targets.supported.target->version, "21.0.12.1_1-jre");
  EXPECT_EQ(targets.supported.target->release, "21.0.12.1+1");
}

}  // namespace
}  // namespace uprank::targets
