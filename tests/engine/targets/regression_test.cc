// Regression tests from an adversarial test of the target solver.
// Each reproduces a defect seen through `uprank report`; they fail on b0e72eb/90b7b18.
#include <gtest/gtest.h>

#include "tests/engine/targets/world.h"

namespace uprank::targets {
namespace {

using namespace solver_world;

void postgres_cycles(World& world) {
  world.cycle("postgresql", "17", "2029-11-08", "17.11", "2026-08-10");
  world.cycle("postgresql", "16", "2028-11-09", "16.15", "2026-08-10");
  world.cycle("postgresql", "15", "2027-11-11", "15.19", "2026-08-10");
  world.cycle("postgresql", "13", "2025-11-13", "13.23", "2025-11-10");
  world.cycle("postgresql", "12", "2024-11-21", "12.22", "2024-11-18");
}

// `postgres:12.4-alpine` read from a compose file has version "12.4" and the tag in
// attributes.pinned; docs/targets.md: "postgres:12.4-alpine gets 16.6-alpine".
// Seen: `uprank report --inventory <compose with postgres:12.4-alpine>` -> target "15.19".
TEST(TargetRegression, ImageTagVariantIsKeptForAnExactTagAsReadersRecordIt) {
  World world;
  postgres_cycles(world);
  size_t db = world.image("postgres@12.4-alpine", "postgresql", "12.4", "12.4-alpine");
  ComponentTargets targets = world.solve_one(db, "2026-09-01");
  EXPECT_EQ(version_of(targets.supported), "15.19-alpine");
}

// `node:20-bookworm-slim` (a line pin) gets "22" instead of "22-bookworm-slim";
// `rabbitmq:3-management` gets "4" instead of "4-management".
TEST(TargetRegression, ImageTagVariantIsKeptForALinePin) {
  World world;
  world.cycle("nodejs", "22", "2027-04-30", "22.23.2", "2026-08-01");
  world.cycle("nodejs", "20", "2026-04-30", "20.20.1", "2026-03-01");
  size_t node = world.line_pin("node@20-bookworm-slim", "nodejs", "20", "20-bookworm-slim");
  EXPECT_EQ(version_of(world.solve_one(node, "2026-09-01").supported), "22-bookworm-slim");
}

// A GitHub-hosted runner label (`runs-on: ubuntu-20.04`, version "20.04") gets the label
// that `runs-on:` takes ("ubuntu-22.04"), not the bare image version "22.04".
TEST(TargetRegression, ARunnerLabelTargetIsALabel) {
  World world;
  world.cycle("github-runner-ubuntu", "22.04", "2027-04-01", "22.04", "2022-08-09");
  world.cycle("github-runner-ubuntu", "20.04", "2025-04-15", "20.04", "2020-09-23");
  size_t runner = world.line_pin("ubuntu", "github-runner-ubuntu", "20.04", "20.04");
  inventory::Component& label = world.inventory.components[runner];
  label.kind = "github-runner";
  label.attributes.erase("pinned");
  label.attributes.erase("tag");
  label.attributes["runner"] = "ubuntu-20.04";
  EXPECT_EQ(version_of(world.solve_one(runner, "2026-09-01").supported), "ubuntu-22.04");
}

// A line pin whose line is newer than every line the data knows (node:99, postgres:25,
// python:3.19-slim, debian:forky) gets an OLDER line: node:99 -> "22", postgres:25 -> "15".
// docs/targets.md: a target is never below what runs.
TEST(TargetRegression, ALinePinNewerThanTheDataIsNeverDowngraded) {
  World world;
  postgres_cycles(world);
  size_t db = world.line_pin("postgres", "postgresql", "25", "25");
  ComponentTargets targets = world.solve_one(db, "2026-09-01");
  EXPECT_FALSE(targets.supported.target) << "downgrade to " << targets.supported.target->version;
}

// A line pin's supported target reports as its release the cycle's latest even when that
// release is dated after --today (`--today 2026-07-01`: rabbitmq:3 -> release 4.3.5 of 2026-08-13).
TEST(TargetRegression, ALinePinsReleaseIsNotUnreleasedOnToday) {
  World world;
  postgres_cycles(world);
  size_t db = world.line_pin("postgres", "postgresql", "15", "15");
  ComponentTargets targets = world.solve_one(db, "2026-07-01");
  // No release of any line is known to be out on that day: no target, rather than one
  // whose release is not out yet.
  if (targets.supported.target) {
    EXPECT_NE(targets.supported.target->release, "15.19") << "15.19 is published 2026-08-10, after --today";
  }
}

// A declared advisory's `fixed` version that no release list has (16.99, above the line's
// latest 16.15) becomes the patch and supported target of a product with end-of-life data.
// docs/targets.md: fixed versions are a release source only for packages without a release
// list and distro packages; a target is never a version not released on --today.
TEST(TargetRegression, AnUnreleasedFixOfAProductWithEndOfLifeDataIsNotATarget) {
  World world;
  postgres_cycles(world);
  world.advisory("TEST-PG-1", "postgresql", {{"introduced", "16.0"}, {"fixed", "16.99"}});
  size_t db = world.component("db16", "postgresql", "16.3");
  ComponentTargets targets = world.solve_one(db, "2026-09-01");
  EXPECT_NE(version_of(targets.patch), "16.99");
  EXPECT_NE(version_of(targets.supported), "16.99");
}

// When every qualifying line's latest is affected, a line pin's reason says no line is
// *supported* — false: lines are supported, they are affected (python:3.12-slim with the
// Bitnami python records: "no line supported past 2026-12-30 is known").
TEST(TargetRegression, ALinePinsReasonNamesTheAdvisoryWhenEveryLineIsAffected) {
  World world;
  postgres_cycles(world);
  world.advisory("TEST-PG-ALL", "postgresql", {{"introduced", "0"}});
  size_t db = world.line_pin("postgres", "postgresql", "15", "15");
  ComponentTargets targets = world.solve_one(db, "2026-09-01");
  ASSERT_FALSE(targets.supported.target);
  EXPECT_NE(targets.supported.none_reason.find("TEST-PG-ALL"), std::string::npos) << targets.supported.none_reason;
}

// An advisory no release of any line escapes cannot decide a line pin's target either (as
// for exact pins): python:3.8 with Bitnami's python records (introduced 0, no fix) got "no
// supported target: every line supported past … is affected". Line 12 has ended; the
// lowest line supported past the window is 15, and the advisory is named as remaining.
TEST(TargetRegression, ALinePinPastSupportGetsALineDespiteAnAdvisoryOnEveryLine) {
  World world;
  postgres_cycles(world);
  world.advisory("TEST-PG-ALL", "postgresql", {{"introduced", "0"}});
  size_t db = world.line_pin("postgres", "postgresql", "12", "12");
  ComponentTargets targets = world.solve_one(db, "2026-09-01");
  EXPECT_EQ(version_of(targets.supported), "15");
  EXPECT_EQ(targets.supported.remaining, std::vector<std::string>{"TEST-PG-ALL"});
}

// requires billing-api >= 4.0 => postgresql in ">=13, <17"; db runs 12.4. The co-upgrade
// named is "upgrade db to 13.23 first, then api to 4.2": line 13 left support on
// 2025-11-13, and api already runs 4.2.
TEST(TargetRegression, ACoUpgradeIsNeverToALinePastSupport) {
  World world;
  postgres_cycles(world);
  compiler::CompiledConstraint requires_;
  requires_.is_requires = true;
  requires_.subject = side("billing-api", ">=", "4.0");
  requires_.other = side("postgresql", "in", ">=13, <17");
  requires_.text = "requires billing-api >= 4.0 => postgresql in >=13, <17";
  world.constraints.push_back(requires_);
  size_t api = world.component("api", "billing-api", "4.2");
  world.component("db", "postgresql", "12.4");
  ComponentTargets targets = world.solve_one(api, "2026-09-01");
  ASSERT_FALSE(targets.patch.blocked.empty());
  const std::string& unblock = targets.patch.blocked.front().unblock;
  EXPECT_EQ(unblock.find("13.23"), std::string::npos) << unblock;
  EXPECT_EQ(unblock.find("then api to 4.2"), std::string::npos) << "api already runs 4.2: " << unblock;
}

// written() copies whatever follows the running version's leading number onto the target,
// inventing versions that were never published: nginx "1.24.0-2ubuntu7.1" (generic scheme)
// gets "1.30.4-2ubuntu7.1", postgresql "16.3-1.pgdg120+1" gets "16.14.0-1.pgdg120+1",
// "16.3+build" gets "16.99+build", "1e10" gets "15.18.0e10".
TEST(TargetRegression, APackageRevisionIsNotCopiedOntoAnotherRelease) {
  World world;
  world.cycle("nginx", "1.30", nullptr, "1.30.4", "2026-07-15");
  world.cycle("nginx", "1.24", "2024-04-23", "1.24.0", "2023-04-11");
  size_t web = world.component("web", "nginx", "1.24.0-2ubuntu7.1");
  ComponentTargets targets = world.solve_one(web, "2026-09-01");
  ASSERT_TRUE(targets.supported.target) << targets.supported.none_reason;
  EXPECT_NE(targets.supported.target->version, "1.30.4-2ubuntu7.1");
}

// An exact EKS platform version ("1.29-eks-30", as `amazon-eks` cycles publish their
// latest: "1.35-eks-17") gets no supported target: the generic scheme reads "-eks-17" as
// a pre-release, so every cycle latest is dropped, and the reason says "no release of a
// line supported past 2026-12-30 is known" although 1.35 is supported to 2027.
// docs/targets.md: releases with text of their own ("1.35-eks-17") are kept as published.
TEST(TargetRegression, EksPlatformVersionsAreReleases) {
  World world;
  world.cycle("amazon-eks", "1.35", "2027-12-28", "1.35-eks-17", "2026-08-01");
  world.cycle("amazon-eks", "1.29", "2025-03-23", "1.29-eks-40", "2025-11-01");
  size_t eks = world.component("eks", "amazon-eks", "1.29-eks-30");
  ComponentTargets targets = world.solve_one(eks, "2026-09-01");
  EXPECT_EQ(version_of(targets.supported), "1.35-eks-17");
}

// A constraint between two components of the same product (`conflicts "postgresql" >= "16"
// with "postgresql" < "15"`, primary 16.3, replica 14.10): the replica's co-upgrade reads
// "upgrade primary to 16.15 first, then replica to 14.10", which does not unblock anything
// (primary 16.15 is still >= 16). co_upgrade() takes the replica as the subject whenever
// both selectors name it, although the violation was found with the replica as `other`.
TEST(TargetRegression, ACoUpgradeOfTheSameProductUnblocksTheConstraint) {
  World world;
  postgres_cycles(world);
  compiler::CompiledConstraint conflict;
  conflict.is_requires = false;
  conflict.subject = side("postgresql", ">=", "16");
  conflict.other = side("postgresql", "<", "15");
  conflict.text = "conflicts postgresql >= 16 with postgresql < 15";
  world.constraints.push_back(conflict);
  world.cycle("postgresql", "14", "2026-11-12", "14.24", "2026-08-10");
  size_t primary = world.component("primary", "postgresql", "16.3");
  size_t replica = world.component("replica", "postgresql", "14.10");
  world.inventory.components[primary].environment = "production";  // related: the same environment
  world.inventory.components[replica].environment = "production";
  ComponentTargets targets = world.solve_one(replica, "2026-09-01");
  ASSERT_FALSE(targets.patch.blocked.empty());
  for (const Blocker& blocker : targets.patch.blocked) {
    EXPECT_EQ(blocker.unblock.find("upgrade primary to 16."), std::string::npos) << blocker.unblock;
  }
}

// BSI-2022-0001 names CVRF-CSAF-Converter 1.0.0-rc2 as the fix for 1.0.0-dev2 and -rc1:
// `uprank advisory` showed target 1.0.0-rc2 (the entry's fix) while `uprank report` said
// "no release of line 1.x is known", because candidates dropped every pre-release. A
// pre-release is the target of a pre-release of its own release (node-semver's rule), and
// of nothing else: a release never moves to a pre-release.
TEST(TargetRegression, APreReleaseFixIsTheTargetOfAPreReleaseOfItsOwnReleaseOnly) {
  World world;
  world.advisory("BSI-2022-0001", "converter", {{"introduced", "0"}, {"fixed", "1.0.0-rc2"}});
  world.advisory("TEST-PRE-2", "converter", {{"introduced", "2.0.0"}, {"fixed", "2.0.1-rc1"}});
  size_t dev2 = world.component("dev2", "converter", "1.0.0-dev2");
  size_t rc1 = world.component("rc1", "converter", "1.0.0-rc1");
  size_t release = world.component("release", "converter", "2.0.0");
  EXPECT_EQ(version_of(world.solve_one(dev2, "2026-09-01").patch), "1.0.0-rc2");
  EXPECT_EQ(version_of(world.solve_one(rc1, "2026-09-01").patch), "1.0.0-rc2");
  Choice patch = world.solve_one(release, "2026-09-01").patch;
  EXPECT_FALSE(patch.target) << patch.target->version;
}


// New-user trial fault 2: Bitnami's BIT-python-2026-0864 (one SEMVER range, introduced "0",
// no fix: every version) blocked every Python target, though BIT-python-2026-4786 (introduced
// 0, fixed 3.13.14; introduced 3.14.0, fixed 3.14.5) has a fix. An advisory no release
// escapes cannot decide the target: the target escapes the fixable one (3.13.14, its fix)
// and names the other as remaining. Events as the records publish them (fixtures/osv/bitnami).
TEST(TargetRegression, AnAdvisoryNoReleaseEscapesDoesNotBlockTheTarget) {
  World world;
  world.cycle("python", "3.14", "2030-10-31", "3.14.7", "2026-08-05");
  world.cycle("python", "3.13", "2029-10-31", "3.13.15", "2026-08-05");
  world.released("python", {{"3.14.7", "2026-08-05"}, {"3.14.5", "2026-06-03"}, {"3.14.0", "2025-10-07"},
                            {"3.13.15", "2026-08-05"}, {"3.13.14", "2026-06-03"}, {"3.13.12", "2026-02-03"}});
  world.advisory("BIT-python-2026-0864", "python", {{"introduced", "0"}}, Scheme::kSemver);
  world.advisory("BIT-python-2026-4786", "python",
                 {{"introduced", "0"}, {"fixed", "3.13.14"}, {"introduced", "3.14.0"}, {"fixed", "3.14.5"}}, Scheme::kSemver);
  size_t python = world.component("python", "python", "3.13.12");
  ComponentTargets targets = world.solve_one(python, "2026-09-01");
  EXPECT_EQ(version_of(targets.patch), "3.13.14");
  EXPECT_EQ(targets.patch.remaining, std::vector<std::string>{"BIT-python-2026-0864"});
  // The line's newest release that escapes the fixable one: 3.13.15.
  EXPECT_EQ(version_of(targets.supported), "3.13.15");
  EXPECT_EQ(targets.supported.remaining, std::vector<std::string>{"BIT-python-2026-0864"});
  EXPECT_NE(summary(targets).find("still affected, no fixed release yet: BIT-python-2026-0864"), std::string::npos)
      << summary(targets);
}

// An advisory a later line fixes is not "no release escapes": the patch target of a line
// with no fix stays none, and says where the fix is.
TEST(TargetRegression, AnAdvisoryALaterLineFixesStillRulesOutTheLine) {
  World world;
  world.cycle("python", "3.14", "2030-10-31", "3.14.7", "2026-08-05");
  world.cycle("python", "3.13", "2029-10-31", "3.13.15", "2026-08-05");
  world.released("python", {{"3.14.7", "2026-08-05"}, {"3.14.0", "2025-10-07"}, {"3.13.15", "2026-08-05"},
                            {"3.13.12", "2026-02-03"}});
  // A hand-made record whose only fix is the next line's first release.
  world.advisory("TEST-later-line-fix", "python", {{"introduced", "3.13.0"}, {"fixed", "3.14.0"}}, Scheme::kSemver);
  size_t python = world.component("python", "python", "3.13.12");
  ComponentTargets targets = world.solve_one(python, "2026-09-01");
  EXPECT_FALSE(targets.patch.target);
  EXPECT_TRUE(targets.patch.remaining.empty());
  EXPECT_EQ(version_of(targets.supported), "3.14.7");  // line 3.14's newest clean release
}


// New-user trial fault 4: Newtonsoft.Json 12.0.3 (no end-of-life data) got TARGET "-":
// GHSA-5crp-9r3c-p9vr (introduced 0, fixed 13.0.1, as GitHub publishes it) has its only fix
// in the next major. The patch target stays none (line 12.x has no fix), and the later
// line's fix is carried for the report's TARGET column.
TEST(TargetRegression, AFixOnlyInALaterLineIsNamedAndCarried) {
  World world;
  world.advisory("GHSA-5crp-9r3c-p9vr", "newtonsoft.json", {{"introduced", "0"}, {"fixed", "13.0.1"}});
  size_t json = world.component("Newtonsoft.Json", "newtonsoft.json", "12.0.3");
  ComponentTargets targets = world.solve_one(json, "2026-09-01");
  EXPECT_FALSE(targets.patch.target);
  ASSERT_TRUE(targets.patch.later);
  EXPECT_EQ(targets.patch.later->version, "13.0.1");
  EXPECT_EQ(targets.patch.later->line, "13.x");
  EXPECT_NE(targets.patch.none_reason.find("no fixed release yet (GHSA-5crp-9r3c-p9vr)"), std::string::npos);
}


// New-user trial fault 6: a crate's 0.11 -> 0.12 was a "patch" target. Under Cargo's caret
// (and node-semver's) a 0.y's minor is breaking, so 0.12.34, the fix RUSTSEC-2020-0008
// names for hyper (introduced 0.11.0, fixed 0.12.34), is in another line: no patch target
// for 0.11.27, and the later line's fix is carried. npm the same; other schemes keep "0.x".
TEST(TargetRegression, AZeroMajorMinorIsItsOwnLineUnderCaretRules) {
  World world;
  world.advisory("RUSTSEC-2020-0008", "hyper", {{"introduced", "0.11.0"}, {"fixed", "0.12.34"}}, Scheme::kSemver);
  size_t crate = world.component("hyper", "hyper", "0.11.27", Scheme::kSemver);
  ComponentTargets targets = world.solve_one(crate, "2026-09-01");
  EXPECT_FALSE(targets.patch.target) << targets.patch.target->version;
  ASSERT_TRUE(targets.patch.later);
  EXPECT_EQ(targets.patch.later->version, "0.12.34");
  EXPECT_EQ(targets.patch.later->line, "0.12.x");
  world.advisory("TEST-npm-zero", "left-pad", {{"introduced", "0.10.0"}, {"fixed", "0.11.0"}}, Scheme::kNpm);
  size_t npm = world.component("left-pad", "left-pad", "0.10.2", Scheme::kNpm);
  EXPECT_FALSE(world.solve_one(npm, "2026-09-01").patch.target);
  // The ecosystem decides when one names the package: a native entry with a cargo purl
  // reads its version in the generic scheme, and is still a crate.
  size_t native = world.component("hyper (native)", "hyper", "0.11.27");
  world.inventory.components[native].identity.ecosystem = "crates.io";
  EXPECT_FALSE(world.solve_one(native, "2026-09-01").patch.target);
  // A generic (or PyPI) 0.y.z keeps one "0.x" line.
  world.advisory("TEST-generic-zero", "widget", {{"introduced", "0.10.0"}, {"fixed", "0.11.0"}});
  size_t generic = world.component("widget", "widget", "0.10.2");
  EXPECT_EQ(version_of(world.solve_one(generic, "2026-09-01").patch), "0.11.0");
}

// Kubernetes' version-skew policy (kubernetes.io/releases/version-skew-policy): the control
// plane upgrades one minor version at a time, so a cluster on 1.27 goes 1.28, 1.29, 1.30
// before the target 1.31. products.yaml marks kubernetes (and EKS, GKE, AKS) `upgrade_step:
// cycle`; the solver names the steps. Cycles as the snapshot's endoflife.date kubernetes
// data has them (security support ends 2024-06-28, 2024-10-28, 2025-02-28, 2025-07-15,
// 2025-11-11; latest 1.27.16 ... 1.31.14); on 2025-05-01 with a 120-day window 1.30 ends
// inside the window, so 1.31 is the supported line.
TEST(TargetRegression, AKubernetesUpgradeGoesOneMinorAtATime) {
  World world;
  world.cycle("kubernetes", "1.31", "2025-11-11", "1.31.14");
  world.cycle("kubernetes", "1.30", "2025-07-15", "1.30.14");
  world.cycle("kubernetes", "1.29", "2025-02-28", "1.29.15");
  world.cycle("kubernetes", "1.28", "2024-10-28", "1.28.15");
  world.cycle("kubernetes", "1.27", "2024-06-28", "1.27.16");
  size_t cluster = world.line_pin("eks", "kubernetes", "1.27", "1.27");
  ComponentTargets line = world.solve_one(cluster, "2025-05-01");
  ASSERT_TRUE(line.supported.target);
  EXPECT_EQ(line.supported.target->version, "1.31");
  EXPECT_EQ(line.supported.target->steps, (std::vector<std::string>{"1.28", "1.29", "1.30", "1.31"}));
  EXPECT_NE(summary(line).find("one line at a time: 1.28 -> 1.29 -> 1.30 -> 1.31"), std::string::npos) << summary(line);
  size_t kubelet = world.component("kubelet", "kubernetes", "1.27.3");
  ComponentTargets exact = world.solve_one(kubelet, "2025-05-01");
  ASSERT_TRUE(exact.supported.target);
  EXPECT_EQ(exact.supported.target->steps, (std::vector<std::string>{"1.28.15", "1.29.15", "1.30.14", "1.31.14"}));
  // A product without `upgrade_step: cycle` moves in one step.
  world.cycle("postgresql", "16", "2028-11-09", "16.6");
  world.cycle("postgresql", "14", "2026-11-12", "14.15");
  world.cycle("postgresql", "12", "2024-11-21", "12.22");
  size_t db = world.component("db", "postgresql", "12.4");
  ComponentTargets postgres = world.solve_one(db, "2025-05-01");
  ASSERT_TRUE(postgres.supported.target);
  EXPECT_TRUE(postgres.supported.target->steps.empty());

  // uprank.yaml's `products:` may ask it of any product (docs/config.md); the solver reads
  // the map the inventory was mapped with, not only the bundled one. On 2025-09-01 13 ends
  // inside the window, so 14 is the target and 13 a step.
  world.cycle("postgresql", "13", "2025-11-13", "13.18");
  std::vector<Diagnostic> diagnostics;
  inventory::ProductMap products = inventory::ProductMap::bundled();
  products.merge(inventory::ProductMap::parse("products:\n  - product: postgresql\n    upgrade_step: cycle\n", "uprank.yaml",
                                              diagnostics));
  ASSERT_TRUE(diagnostics.empty());
  EXPECT_TRUE(world.solve_one(db, "2025-09-01").supported.target->steps.empty());  // the bundled map: one move
  world.products = &products;
  postgres = world.solve_one(db, "2025-09-01");
  ASSERT_TRUE(postgres.supported.target);
  EXPECT_EQ(postgres.supported.target->version, "14.15");
  EXPECT_EQ(postgres.supported.target->steps, (std::vector<std::string>{"13.18", "14.15"}));
}

}  // namespace
}  // namespace uprank::targets
