// Table tests for the schemes without a reference tool here (apk, NuGet), spot checks of
// RubyGems and Packagist (which the differential suite covers in depth), and the
// strictness rules: every invalid version or range is an error with a code. Each table
// says where its expected values come from.
#include <gtest/gtest.h>

#include <string>

#include "engine/versions/versions.h"

namespace uprank::versions {
namespace {

struct Order {
  const char* lower;
  const char* higher;
  bool equal = false;
};

void expect_order(Scheme scheme, const Order& o) {
  auto a = Version::parse(scheme, o.lower);
  auto b = Version::parse(scheme, o.higher);
  ASSERT_TRUE(a.ok()) << o.lower << ": " << a.error().message;
  ASSERT_TRUE(b.ok()) << o.higher << ": " << b.error().message;
  if (o.equal) {
    EXPECT_EQ(compare(*a, *b), 0) << o.lower << " == " << o.higher;
  } else {
    EXPECT_LT(compare(*a, *b), 0) << o.lower << " < " << o.higher;
    EXPECT_GT(compare(*b, *a), 0) << o.higher << " > " << o.lower;
  }
}

void expect_invalid_versions(Scheme scheme, std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    auto v = Version::parse(scheme, text);
    ASSERT_FALSE(v.ok()) << scheme_name(scheme) << " accepted '" << text << "'";
    EXPECT_EQ(v.error().code, "uprank.version.invalid") << text;
  }
}

struct Membership {
  const char* version;
  const char* range;
  bool contained;
};

void expect_membership(Scheme scheme, const Membership& m) {
  auto v = Version::parse(scheme, m.version);
  auto r = std::string(m.range).rfind("vers:", 0) == 0 ? Range::parse_vers(m.range) : Range::parse(scheme, m.range);
  ASSERT_TRUE(v.ok()) << m.version << ": " << v.error().message;
  ASSERT_TRUE(r.ok()) << m.range << ": " << r.error().message;
  EXPECT_EQ(r->contains(*v), m.contained) << m.version << " in " << m.range;
}

struct BadRange {
  const char* range;
  const char* code;
};

void expect_bad_range(Scheme scheme, const BadRange& b) {
  auto r = std::string(b.range).rfind("vers:", 0) == 0 ? Range::parse_vers(b.range) : Range::parse(scheme, b.range);
  ASSERT_FALSE(r.ok()) << scheme_name(scheme) << " accepted range '" << b.range << "'";
  EXPECT_EQ(r.error().code, b.code) << b.range << ": " << r.error().message;
}

// --- apk ----------------------------------------------------------------------------
// Rules from apk-tools src/version.c ("digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}",
// the suffix table alpha, beta, pre, rc, (none), cvs, svn, git, hg, p, and
// apk_version_compare's rule that a differing token kind further along the grammar is
// lower unless it is a pre-release suffix). Pairs marked [data] are rows of apk-tools'
// test/version.data.

TEST(ApkTest, Orders) {
  const Order orders[] = {
      {"1.0_alpha", "1.0_beta"}, {"1.0_beta", "1.0_pre"}, {"1.0_pre", "1.0_rc"}, {"1.0_rc", "1.0"},
      {"1.0", "1.0_cvs"},        {"1.0_cvs", "1.0_svn"},  {"1.0_svn", "1.0_git"}, {"1.0_git", "1.0_hg"},
      {"1.0_hg", "1.0_p"},       {"1.0_p", "1.0a"},       {"1.0a", "1.0.1"},      {"1.0", "1.0-r1"},
      {"1.0-r1", "1.0_p1"},      {"1.0-r1", "1.0~abc"},   {"1.0", "1.0~abc"},     {"1.0~abc", "1.0~abd"},
      {"1.0_rc1", "1.0_rc2"},    {"1.0_alpha", "1.0_alpha1"} /* a suffix number comes after none */,
      {"1.02", "1.1"} /* leading zero: string order */, {"1.0", "1.00"}, {"01.0", "1.0", true},
      {"1.2.2", "1.2.2-r1"} /* [data] */, {"1.0_p9-r0", "1.0_p10-r0"} /* [data] */,
      {"0.1.0_alpha_pre2", "0.1.0_alpha"} /* [data] */, {"1.2.07.8", "1.2.12.04"} /* [data] */,
      {"1.06-r6", "006"} /* [data] */, {"1.3-r0", "1.3.1-r0"} /* [data] */, {"2.12r-r4", "2.12r-r5"} /* [data] */,
      {"0.20070118", "0.20070207_rc1"} /* [data] */, {"4.5_p1", "4.5_p1-r1"} /* [data] */,
      {"1.7", "1.7b"} /* [data] */, {"2.1_pre20", "2.1_pre26"} /* [data] */,
      {"0.2.0-r1", "0.2.0-r1", true} /* [data] */, {"1.1_alpha1", "1.1"} /* [data] */,
  };
  for (const auto& o : orders) expect_order(Scheme::kApk, o);
}

TEST(ApkTest, RejectsWhatApkToolsRejects) {
  // version.c's token_next: '-' only as "-r<digits>", a digit never follows a letter, no
  // '.' or '_' after a suffix number's successor kinds, hashes are hexadecimal.
  expect_invalid_versions(Scheme::kApk, {"", "a1", "1.0-1", "1.0_foo", "1.0__alpha", "1.0a1", "1..0", "1.0.",
                                         "1.0-r", "1.0~", "1.0~xyz", "1.0-r1_p1", "1.0_p1a", "1.0A", "1.0_alpha.1",
                                         "1.0-r1-r2", " 1.0", "1.0 ", "v1.0"});
}

TEST(ApkTest, ComparatorListsAndOsvEvents) {
  expect_membership(Scheme::kApk, {"1.0_rc1", ">=1.0_rc1, <1.0-r1", true});
  expect_membership(Scheme::kApk, {"1.0", ">=1.0_rc1, <1.0-r1", true});
  expect_membership(Scheme::kApk, {"1.0-r1", ">=1.0_rc1, <1.0-r1", false});
  expect_membership(Scheme::kApk, {"1.0_p1", "vers:apk/>=1.0|<1.1", true});
  expect_membership(Scheme::kApk, {"1.0_p1", "vers:alpine/<1.0_p1", false});
  using E = Range::OsvEvent;
  auto osv = Range::from_osv_events(Scheme::kApk, {E{"introduced", "0"}, E{"fixed", "1.2.3-r4"}});
  ASSERT_TRUE(osv.ok()) << osv.error().message;
  EXPECT_TRUE(osv->contains(*Version::parse(Scheme::kApk, "1.2.3-r3")));
  EXPECT_FALSE(osv->contains(*Version::parse(Scheme::kApk, "1.2.3-r4")));
  EXPECT_FALSE(osv->contains(*Version::parse(Scheme::kApk, "1.2.3_p1")));
}

// --- NuGet ----------------------------------------------------------------------------
// Quoted from "Package versioning" (learn.microsoft.com/nuget/concepts/package-versioning):
// "NuGetVersion only requires the major segment to be defined. All others are optional
// and are equivalent to zero"; "Leading zeroes are removed from version numbers: 1.00 is
// treated as 1.0; 1.01.1 is treated as 1.1.1; 1.00.0.1 is treated as 1.0.0.1"; "A zero
// in the fourth part of the version number will be omitted: 1.0.0.0 is treated as
// 1.0.0"; "SemVer 2.0.0 build metadata is removed: 1.0.7+r3456 is treated as 1.0.7";
// "NuGetVersion uses case insensitive string comparisons for pre-release components";
// pre-release ordering as SemVer 2.0.0 (semver.org, item 11).

TEST(NugetTest, Orders) {
  const Order orders[] = {
      {"1", "1.0", true},          {"1.0", "1.0.0", true},          {"1.0.0", "1.0.0.0", true},
      {"1.00", "1.0", true},       {"1.01.1", "1.1.1", true},       {"1.00.0.1", "1.0.0.1", true},
      {"1.0.01.0", "1.0.1", true}, {"1.0.7+r3456", "1.0.7", true},  {"1.0.0-alpha", "1.0.0-Alpha", true},
      {"1.0.0-ALPHA.beta", "1.0.0-alpha.BETA", true},               {"1.0.0-alpha", "1.0.0"},
      {"1.0.0-alpha", "1.0.0-alpha.1"}, {"1.0.0-alpha.1", "1.0.0-alpha.beta"}, {"1.0.0-beta.2", "1.0.0-beta.11"},
      {"1.0.0-rc.1", "1.0.0"},     {"1.0.0", "1.0.0.1"},            {"1.0.0.1", "1.0.1-alpha"},
      {"1.9", "1.10"},             {"1.0.0-a", "1.0.0-B"} /* case-insensitive: A < B */,
  };
  for (const auto& o : orders) expect_order(Scheme::kNuget, o);
}

TEST(NugetTest, RejectsInvalidVersions) {
  // More than four numbers, empty parts, labels that SemVer 2.0.0 forbids (empty, leading
  // zero, characters outside [0-9A-Za-z-]), numbers beyond Int32; surrounding space is
  // uprank's strictness (NuGet trims).
  expect_invalid_versions(Scheme::kNuget, {"", "1.0.0.0.0", "a", "1.0-", "1.0-01", "1.0+", "1..0", " 1.0", "1.0 ",
                                           "1.0-a..b", "1.0-a_b", "2147483648.0", "v1.0", "1.*", "-1.0"});
}

TEST(NugetTest, IntervalNotation) {
  // The docs' table: "1.0" x >= 1.0; "[1.0,)" x >= 1.0; "(1.0,)" x > 1.0; "[1.0]" x == 1.0;
  // "(,1.0]" x <= 1.0; "(,1.0)" x < 1.0; "[1.0,2.0]" 1.0 <= x <= 2.0; "(1.0,2.0)"
  // 1.0 < x < 2.0; "[1.0,2.0)" 1.0 <= x < 2.0; "(1.0)" invalid.
  const Membership cases[] = {
      {"1.0", "1.0", true},       {"0.9", "1.0", false},         {"2.0", "1.0", true},
      {"1.0", "[1.0,)", true},    {"0.9", "[1.0,)", false},      {"1.0", "(1.0,)", false},
      {"1.0.1", "(1.0,)", true},  {"1.0", "[1.0]", true},        {"1.0.0.0", "[1.0]", true},
      {"1.0.1", "[1.0]", false},  {"1.0", "(,1.0]", true},       {"1.0.1", "(,1.0]", false},
      {"1.0", "(,1.0)", false},   {"0.9", "(,1.0)", true},       {"2.0", "[1.0,2.0]", true},
      {"1.0", "(1.0,2.0)", false}, {"2.0", "(1.0,2.0)", false},  {"1.5", "(1.0,2.0)", true},
      {"2.0", "[1.0,2.0)", false}, {"1.0", "[1.0,2.0)", true},   {"1.0", "[1.0, 2.0)", true},
      {"2.0.0-beta", "[1.0,2.0)", true} /* VersionRange.Satisfies has no pre-release rule */,
      {"1.5.0", "vers:nuget/>=1.0|<2.0", true},
  };
  for (const auto& c : cases) expect_membership(Scheme::kNuget, c);
  for (const char* bad : {"(1.0)", "[1.0)", "(1.0]", "[1.0,2.0", "1.0,2.0]", "[2.0,1.0]", "(1.0,1.0]", "(,)", "[,]",
                          "[1.0,2.0,3.0]", "1.*", "[1.*,2.0)", "", "[]", "[1.0,2.0],[3.0,4.0]"}) {
    expect_bad_range(Scheme::kNuget, {bad, "uprank.range.invalid"});
  }
}

// --- RubyGems and Packagist: spot checks (the differential suites compare thousands of
// cases with Ruby's Gem::Version and with composer/semver).

TEST(RubygemsTest, SpotChecks) {
  // Gem::Version: "1.0" == "1.0.0" == "1"; a string segment is a pre-release.
  for (const Order& o : {Order{"1", "1.0.0", true}, Order{"1.0.a", "1.0"}, Order{"1.0.a", "1.0.b"},
                         Order{"1.0.a9", "1.0.a10"}, Order{"1.0-1", "1.0"}, Order{"1.a.0", "1.a", true}}) {
    expect_order(Scheme::kRubygems, o);
  }
  expect_membership(Scheme::kRubygems, {"1.9.9", "~> 1.2", true});
  expect_membership(Scheme::kRubygems, {"2.0", "~> 1.2", false});
  expect_membership(Scheme::kRubygems, {"1.2.9", "~> 1.2.3", true});
  expect_membership(Scheme::kRubygems, {"1.3", "~> 1.2.3", false});
  expect_membership(Scheme::kRubygems, {"1.5", ">= 1.0, < 2", true});
  expect_bad_range(Scheme::kRubygems, {">= 1.0,, < 2", "uprank.range.invalid"});
  expect_bad_range(Scheme::kRubygems, {"=> 1.0", "uprank.range.invalid"});
  expect_invalid_versions(Scheme::kRubygems, {"", " 1.0", "1.0 ", "1..0", "a", "1.0-", "v1.0"});
}

TEST(PackagistTest, SpotChecks) {
  // composer/semver: normalize("1.0") == "1.0.0.0"; dev < alpha < beta < RC < stable < patch.
  for (const Order& o : {Order{"1.0", "1.0.0.0", true}, Order{"v1.0", "1.0", true}, Order{"1.0-dev", "1.0-alpha"},
                         Order{"1.0-alpha", "1.0-beta"}, Order{"1.0-beta", "1.0-RC1"}, Order{"1.0-RC1", "1.0"},
                         Order{"1.0", "1.0-pl1"}, Order{"1.0.x-dev", "1.1"}, Order{"dev-feature", "0.1"}}) {
    expect_order(Scheme::kPackagist, o);
  }
  expect_membership(Scheme::kPackagist, {"1.9.9", "^1.2", true});
  expect_membership(Scheme::kPackagist, {"2.0.0", "^1.2", false});
  expect_membership(Scheme::kPackagist, {"1.2.9", "~1.2.3", true});
  expect_membership(Scheme::kPackagist, {"1.5", ">=1.0 <2.0 || ^3", true});
  expect_membership(Scheme::kPackagist, {"3.1", ">=1.0 <2.0 || ^3", true});
  expect_membership(Scheme::kPackagist, {"dev-main", "dev-main", true});
  expect_membership(Scheme::kPackagist, {"dev-main", ">=1.0", false});
  expect_bad_range(Scheme::kPackagist, {"~>1.0", "uprank.range.invalid"});
  expect_bad_range(Scheme::kPackagist, {">=1.0,,<2", "uprank.range.invalid"});
  expect_invalid_versions(Scheme::kPackagist, {"", "1.0.0.0.0", "foo", "1.0-gamma"});
}

// --- Strictness (issue "Identity", item 6) --------------------------------------------

TEST(StrictnessTest, SemverIsTheSpecNpmIsNodeSemver) {
  // SemVer 2.0.0's grammar (semver.org, "Backus-Naur Form Grammar") has no "v" and no
  // whitespace; node-semver's SemVer constructor trims and accepts a leading "v".
  expect_invalid_versions(Scheme::kSemver, {" 1.2.3", "1.2.3 ", "\t1.2.3", "v1.2.3", "v1.2.3-rc.1", " v1.2.3"});
  for (const char* text : {" 1.2.3", "1.2.3 ", "v1.2.3", " v1.2.3 "}) {
    EXPECT_TRUE(Version::parse(Scheme::kNpm, text).ok()) << text;
  }
  expect_membership(Scheme::kSemver, {"1.2.3", "^v1.2.0", true});  // ranges keep node-semver's grammar
}

TEST(StrictnessTest, ComparatorLists) {
  // dpkg's relation operators are << <= = >= >>; "=>" and "~=" are not among them. dpkg
  // warns "implicit exact match on version number, suggest using '=' instead" for a bare
  // version and uprank rejects it, as it rejects the obsolete '<' and '>'. rpm and apk
  // dependencies always name an operator. Go and generic lists keep a bare version as '='.
  const std::pair<Scheme, BadRange> cases[] = {
      {Scheme::kDeb, {">= 1.0,, << 2", "uprank.range.empty_element"}},
      {Scheme::kDeb, {">= 1.0,", "uprank.range.empty_element"}},
      {Scheme::kDeb, {", >= 1.0", "uprank.range.empty_element"}},
      {Scheme::kDeb, {"=> 1.0", "uprank.range.unknown_operator"}},
      {Scheme::kDeb, {"~= 1.0", "uprank.range.unknown_operator"}},
      {Scheme::kDeb, {"=< 1.0", "uprank.range.unknown_operator"}},
      {Scheme::kDeb, {"1.0", "uprank.range.missing_operator"}},
      {Scheme::kDeb, {">= 1.0, 2.0", "uprank.range.missing_operator"}},
      {Scheme::kDeb, {"< 1.0", "uprank.range.invalid"}},
      {Scheme::kRpm, {">=1.0,,<2", "uprank.range.empty_element"}},
      {Scheme::kRpm, {"=>1.0", "uprank.range.unknown_operator"}},
      {Scheme::kRpm, {"~=1.0", "uprank.range.unknown_operator"}},
      {Scheme::kRpm, {"~>1.0", "uprank.range.unknown_operator"}},
      {Scheme::kRpm, {"1.0", "uprank.range.missing_operator"}},
      {Scheme::kApk, {"1.0", "uprank.range.missing_operator"}},
      {Scheme::kGeneric, {">=1.0,,<2", "uprank.range.empty_element"}},
      {Scheme::kGeneric, {"=>1.0", "uprank.range.unknown_operator"}},
      {Scheme::kGolang, {">=v1.0.0,", "uprank.range.empty_element"}},
  };
  for (const auto& [scheme, bad] : cases) expect_bad_range(scheme, bad);
  expect_membership(Scheme::kDeb, {"1.0", "= 1.0", true});
  expect_membership(Scheme::kDeb, {"1.5", ">= 1.0 , << 2.0", true});
  expect_membership(Scheme::kRpm, {"1.0~rc1", ">= 1.0~rc1", true});  // '~' inside an rpm version is fine
  expect_membership(Scheme::kGeneric, {"3.0", "3", true});
}

TEST(StrictnessTest, VersConstraintLists) {
  // purl-spec VERSION-RANGE-SPEC, "Normalized, canonical representation and validation":
  // versions are unique and sorted ascending; "*" is the only constraint when present;
  // ignoring "!=", "=", "<" and "<=" are followed only by "=", ">" or ">=", and ">" and
  // ">=" only by "<" or "<=".
  const BadRange cases[] = {
      {"vers:npm/>=2.0.0|<1.0.0", "uprank.range.vers_unsorted"},
      {"vers:npm/2.0.0|1.0.0", "uprank.range.vers_unsorted"},
      {"vers:deb/1.0|1.0", "uprank.range.vers_duplicate"},
      {"vers:deb/>=1.0|<1.0", "uprank.range.vers_duplicate"},
      {"vers:npm/*|1.0.0", "uprank.range.vers_wildcard"},
      {"vers:npm/1.0.0|*", "uprank.range.vers_wildcard"},
      {"vers:npm/>=1.0.0|>=2.0.0", "uprank.range.vers_sequence"},
      {"vers:npm/<1.0.0|<2.0.0", "uprank.range.vers_sequence"},
      {"vers:npm/=1.0.0|<2.0.0", "uprank.range.vers_sequence"},
      {"vers:npm/>1.0.0|=2.0.0", "uprank.range.vers_sequence"},
      {"vers:npm/>=1.0.0|!=1.5.0|>=2.0.0", "uprank.range.vers_sequence"},
  };
  for (const auto& bad : cases) expect_bad_range(Scheme::kNpm, bad);
  const Membership valid[] = {
      {"1.5.0", "vers:npm/>=1.0.0|!=1.2.0|<2.0.0", true},
      {"1.2.0", "vers:npm/>=1.0.0|!=1.2.0|<2.0.0", false},
      {"2.5.0", "vers:npm/<1.0.0|>=2.0.0|<3.0.0", true},
      {"1.0.0", "vers:npm/1.0.0|2.0.0|>3.0.0", true},
      {"3.5.0", "vers:npm/1.0.0|2.0.0|>3.0.0", true},
      {"2.5.0", "vers:npm/1.0.0|2.0.0|>3.0.0", false},
      {"0.5.0", "vers:npm/<=1.0.0|>2.0.0", true},
  };
  for (const auto& m : valid) expect_membership(Scheme::kNpm, m);
}

}  // namespace
}  // namespace uprank::versions
