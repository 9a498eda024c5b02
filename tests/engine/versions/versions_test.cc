// Table tests for every scheme, with Go modules and generic (which have no reference
// tool here) covered in depth; vers: URIs, OSV events, cycles and error codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/versions/versions.h"

namespace uprank::versions {
namespace {

int cmp(Scheme s, const std::string& a, const std::string& b) {
  auto x = Version::parse(s, a);
  auto y = Version::parse(s, b);
  EXPECT_TRUE(x.ok()) << a << ": " << (x.ok() ? "" : x.error().message);
  EXPECT_TRUE(y.ok()) << b << ": " << (y.ok() ? "" : y.error().message);
  if (!x.ok() || !y.ok()) return 99;
  return compare(*x, *y);
}

bool sat(Scheme s, const std::string& v, const std::string& r) {
  auto version = Version::parse(s, v);
  EXPECT_TRUE(version.ok()) << v;
  auto range = r.rfind("vers:", 0) == 0 ? Range::parse_vers(r) : Range::parse(s, r);
  EXPECT_TRUE(range.ok()) << r << ": " << (range.ok() ? "" : range.error().message);
  return version.ok() && range.ok() && range->contains(*version);
}

struct OrderCase {
  Scheme scheme;
  const char* lower;
  const char* higher;  // strictly greater, or equal when `equal`
  bool equal = false;
};

class OrderTest : public testing::TestWithParam<OrderCase> {};

TEST_P(OrderTest, Orders) {
  const auto& c = GetParam();
  if (c.equal) {
    EXPECT_EQ(cmp(c.scheme, c.lower, c.higher), 0) << c.lower << " == " << c.higher;
  } else {
    EXPECT_LT(cmp(c.scheme, c.lower, c.higher), 0) << c.lower << " < " << c.higher;
    EXPECT_GT(cmp(c.scheme, c.higher, c.lower), 0) << c.higher << " > " << c.lower;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, OrderTest,
    testing::Values(
        // Go modules (golang.org/x/mod/semver).
        OrderCase{Scheme::kGolang, "v1", "v1.0.0", true}, OrderCase{Scheme::kGolang, "v1.2", "v1.2.0", true},
        OrderCase{Scheme::kGolang, "v1.0.0-alpha", "v1.0.0-alpha.1"},
        OrderCase{Scheme::kGolang, "v1.0.0-alpha.1", "v1.0.0-alpha.beta"},
        OrderCase{Scheme::kGolang, "v1.0.0-beta.2", "v1.0.0-beta.11"},
        OrderCase{Scheme::kGolang, "v1.0.0-rc.1", "v1.0.0"},
        OrderCase{Scheme::kGolang, "v1.0.0+meta", "v1.0.0", true},
        OrderCase{Scheme::kGolang, "v2.0.0+incompatible", "v2.0.0", true},
        OrderCase{Scheme::kGolang, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa"},
        OrderCase{Scheme::kGolang, "v1.2.3-pre", "v1.2.4-0.20200101000000-abcdefabcdef"},
        OrderCase{Scheme::kGolang, "v1.9.0", "v1.10.0"},
        OrderCase{Scheme::kGolang, "v99999999999999999999.0.0", "v100000000000000000000.0.0"},
        // generic: end-of-life cycles and vendor versions.
        OrderCase{Scheme::kGeneric, "3.11", "3.11.0", true}, OrderCase{Scheme::kGeneric, "12", "12.0.0", true},
        OrderCase{Scheme::kGeneric, "3.9", "3.11"}, OrderCase{Scheme::kGeneric, "2019", "2022"},
        OrderCase{Scheme::kGeneric, "1.2.3-beta", "1.2.3"}, OrderCase{Scheme::kGeneric, "1.2.3-beta", "1.2.3-rc1"},
        OrderCase{Scheme::kGeneric, "1.2.3-rc9", "1.2.3-rc10"}, OrderCase{Scheme::kGeneric, "9.6", "9.6p1"},
        OrderCase{Scheme::kGeneric, "7.2.6", "7.2.7"}, OrderCase{Scheme::kGeneric, "v1.2", "1.2", true},
        OrderCase{Scheme::kGeneric, "1.2.3", "1.2.3+build"},
        // Pre-releases written straight after the number, as Python ("3.13.0rc2", PEP 440),
        // Go ("go1.23rc1") and PostgreSQL ("17beta3") tag them, come before the release;
        // other letters stay post-releases ("9.6p1", "9.6a").
        OrderCase{Scheme::kGeneric, "3.13.0rc2", "3.13.0"}, OrderCase{Scheme::kGeneric, "3.13.0rc1", "3.13.0rc2"},
        OrderCase{Scheme::kGeneric, "3.13.0a1", "3.13.0b1"}, OrderCase{Scheme::kGeneric, "3.13.0b1", "3.13.0rc1"},
        OrderCase{Scheme::kGeneric, "3.12.9", "3.13.0a1"}, OrderCase{Scheme::kGeneric, "1.23rc1", "1.23.0"},
        OrderCase{Scheme::kGeneric, "17beta3", "17"}, OrderCase{Scheme::kGeneric, "16.4", "17beta3"},
        OrderCase{Scheme::kGeneric, "1.0.dev1", "1.0"}, OrderCase{Scheme::kGeneric, "9.6", "9.6a"},
        // Numbers too large for 64 bits compare exactly: by length, then digit by digit,
        // as dpkg --compare-versions and rpm.vercmp answer (dpkg 1.21, rpm 4.18: "<", -1).
        OrderCase{Scheme::kGeneric, "1.18446744073709551615.0", "1.18446744073709551616.0"},
        OrderCase{Scheme::kGeneric, "100", "99999999999999999999"},
        OrderCase{Scheme::kDeb, "1.18446744073709551615.0", "1.18446744073709551616.0"},
        OrderCase{Scheme::kDeb, "100", "99999999999999999999"},
        OrderCase{Scheme::kDeb, "99999999999999999999", "100000000000000000000"},
        OrderCase{Scheme::kRpm, "1.18446744073709551615.0", "1.18446744073709551616.0"},
        OrderCase{Scheme::kRpm, "100", "99999999999999999999"},
        OrderCase{Scheme::kRpm, "99999999999999999999", "100000000000000000000"},
        // Spot checks of the schemes the differential suite covers.
        OrderCase{Scheme::kDeb, "1.0~rc1", "1.0"}, OrderCase{Scheme::kDeb, "1.0~~", "1.0~"},
        OrderCase{Scheme::kDeb, "1.0", "1.0+b1"}, 
        OrderCase{Scheme::kDeb, "2.0", "1:0.9"}, OrderCase{Scheme::kDeb, "1.0", "1.0-0", true},
        OrderCase{Scheme::kDeb, "2.30-1~bpo11+1", "2.30-1"},
        OrderCase{Scheme::kRpm, "1.0~rc1", "1.0"}, OrderCase{Scheme::kRpm, "1.0", "1.0^git1"},
        OrderCase{Scheme::kRpm, "1.0^git1", "1.0.1"}, OrderCase{Scheme::kRpm, "1.0", "1_0", true},
        OrderCase{Scheme::kPep440, "1.0a1", "1.0.0a1", true}, OrderCase{Scheme::kPep440, "1.0.dev0", "1.0a1"},
        OrderCase{Scheme::kPep440, "1.0", "1.0.post1"}, OrderCase{Scheme::kPep440, "1.0", "1!0.1"},
        OrderCase{Scheme::kPep440, "1.0", "1.0+local"},
        OrderCase{Scheme::kMaven, "1.0-alpha", "1.0-beta"}, OrderCase{Scheme::kMaven, "1.0-beta", "1.0-milestone"},
        OrderCase{Scheme::kMaven, "1.0-milestone", "1.0-rc"}, OrderCase{Scheme::kMaven, "1.0-rc", "1.0-snapshot"},
        OrderCase{Scheme::kMaven, "1.0-snapshot", "1.0"}, OrderCase{Scheme::kMaven, "1.0", "1.0-sp"},
        OrderCase{Scheme::kMaven, "1.0", "1-0", true}, OrderCase{Scheme::kMaven, "1.0", "1.0.0", true},
        OrderCase{Scheme::kSemver, "1.0.0-alpha", "1.0.0-alpha.1"},
        OrderCase{Scheme::kSemver, "1.0.0-alpha.1", "1.0.0-alpha.beta"},
        OrderCase{Scheme::kSemver, "1.0.0+a", "1.0.0+b", true}));

struct InvalidCase {
  Scheme scheme;
  const char* text;
};

class InvalidTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidTest, IsAnErrorNotAStringCompare) {
  auto v = Version::parse(GetParam().scheme, GetParam().text);
  ASSERT_FALSE(v.ok()) << GetParam().text;
  EXPECT_EQ(v.error().code, "uprank.version.invalid");
  EXPECT_NE(v.error().message.find(std::string(scheme_name(GetParam().scheme))), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, InvalidTest,
    testing::Values(InvalidCase{Scheme::kGolang, "1.2.3"}, InvalidCase{Scheme::kGolang, "v1.2.3.4"},
                    InvalidCase{Scheme::kGolang, "v01.2.3"}, InvalidCase{Scheme::kGolang, "v1.2-pre"},
                    InvalidCase{Scheme::kGolang, "v1.2.3-01"}, InvalidCase{Scheme::kGolang, "v1.2.3+"},
                    InvalidCase{Scheme::kGolang, "v1.2.3-"}, InvalidCase{Scheme::kGeneric, "x1"},
                    InvalidCase{Scheme::kGeneric, ""}, InvalidCase{Scheme::kGeneric, "1.2.3-"},
                    InvalidCase{Scheme::kGeneric, "1.2 3"}, InvalidCase{Scheme::kSemver, "1.2"},
                    InvalidCase{Scheme::kNpm, "01.2.3"}, InvalidCase{Scheme::kPep440, "1.0-"},
                    InvalidCase{Scheme::kDeb, "a1.0"}, InvalidCase{Scheme::kDeb, "1.0-"},
                    InvalidCase{Scheme::kRpm, ""}, InvalidCase{Scheme::kMaven, ""},
                    InvalidCase{Scheme::kMaven, "1 0"},
                    // node-semver: a number above Number.MAX_SAFE_INTEGER is invalid
                    // ("Invalid minor version"), not compared.
                    InvalidCase{Scheme::kNpm, "1.18446744073709551616.0"}, InvalidCase{Scheme::kNpm, "9007199254740992.0.0"}));

TEST(VersionTest, ExposesNumericComponents) {
  auto v = Version::parse(Scheme::kDeb, "1:2.30.4-1ubuntu1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->major(), 2);
  EXPECT_EQ(v->minor(), 30);
  EXPECT_EQ(v->patch(), 4);
  auto g = Version::parse(Scheme::kGeneric, "12");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->major(), 12);
  EXPECT_EQ(g->minor(), std::nullopt);
  EXPECT_TRUE(Version::parse(Scheme::kNpm, "1.0.0-rc.1")->is_prerelease());
  EXPECT_TRUE(Version::parse(Scheme::kGeneric, "3.13.0rc2")->is_prerelease());
  EXPECT_FALSE(Version::parse(Scheme::kGeneric, "9.6p1")->is_prerelease());
  EXPECT_FALSE(Version::parse(Scheme::kPep440, "1.0.post1")->is_prerelease());
  EXPECT_TRUE(Version::parse(Scheme::kMaven, "1.0-SNAPSHOT")->is_prerelease());
}

TEST(VersionTest, RejectsOverlongInput) {
  auto v = Version::parse(Scheme::kGeneric, std::string(5000, '1'));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, "uprank.version.too_long");
}

// parse_into (the batch CLI's path) must agree with parse, whatever `out` held before.
TEST(VersionTest, ParseIntoMatchesParse) {
  struct Case {
    Scheme scheme;
    const char* text;
  };
  const std::string long_pre = "1.2.3-" + std::string(70, 'a');
  const std::string too_long(5000, '1');
  const Case cases[] = {
      {Scheme::kNpm, "1.2.3"}, {Scheme::kNpm, "v1.2.3"}, {Scheme::kNpm, " 1.2.3 "}, {Scheme::kNpm, "0.0.0"},
      {Scheme::kNpm, "1.2.3-0"}, {Scheme::kNpm, "1.2.3-01"}, {Scheme::kNpm, "1.2.3-a.1.b-c.0.10"},
      {Scheme::kNpm, "1.2.3+build.1"}, {Scheme::kNpm, "1.2.3-rc.1+b.2"}, {Scheme::kNpm, "1.2.3-"},
      {Scheme::kNpm, "1.2.3+"}, {Scheme::kNpm, "01.2.3"}, {Scheme::kNpm, "1.2.3.4"}, {Scheme::kNpm, "1.2"},
      {Scheme::kNpm, "123456789012345.1.1"}, {Scheme::kNpm, "1234567890123456.1.1"},
      {Scheme::kNpm, "9007199254740991.0.0"}, {Scheme::kNpm, "9007199254740992.0.0"},
      {Scheme::kNpm, "1.2.3-alpha..1"}, {Scheme::kNpm, "1.2.3-a_b"}, {Scheme::kNpm, "=1.2.3"},
      {Scheme::kSemver, "1.2.3-beta.8"}, {Scheme::kSemver, long_pre.c_str()}, {Scheme::kSemver, ""},
      {Scheme::kGolang, "v1.2"}, {Scheme::kPep440, "1.0a1"}, {Scheme::kDeb, "1:2.30-1"},
      {Scheme::kRpm, "1.0^git1-2"}, {Scheme::kMaven, "1.0-SNAPSHOT"}, {Scheme::kGeneric, "3.11.4"},
      {Scheme::kGeneric, too_long.c_str()},
  };
  std::vector<Version> parsed;
  Version reused = *Version::parse(Scheme::kMaven, "1.0-rc-1-alpha.2.3.4.5.6.7.8.9.10.11.12");
  for (const Case& c : cases) {
    auto want = Version::parse(c.scheme, c.text);
    Error error;
    bool ok = Version::parse_into(c.scheme, c.text, reused, &error);
    ASSERT_EQ(ok, want.ok()) << c.text;
    if (!ok) {
      EXPECT_EQ(error.code, want.error().code) << c.text;
      EXPECT_EQ(error.message, want.error().message) << c.text;
      EXPECT_FALSE(Version::parse_into(c.scheme, c.text, reused));  // error may be null
      continue;
    }
    EXPECT_EQ(reused.text(), want->text());
    EXPECT_EQ(reused.scheme(), want->scheme());
    EXPECT_EQ(compare(reused, *want), 0) << c.text;
    EXPECT_EQ(reused.major(), want->major()) << c.text;
    EXPECT_EQ(reused.minor(), want->minor()) << c.text;
    EXPECT_EQ(reused.patch(), want->patch()) << c.text;
    EXPECT_EQ(reused.is_prerelease(), want->is_prerelease()) << c.text;
    for (const Version& other : parsed) {
      EXPECT_EQ(compare(reused, other), compare(*want, other)) << c.text << " vs " << other.text();
    }
    parsed.push_back(*want);
  }
}

// The one-pass semver parse and the general one (taken for surrounding space) build the
// same keys.
TEST(VersionTest, SemverFastAndGeneralPathsAgree) {
  for (const char* text : {"1.2.3", "0.0.0", "10.20.30-rc.1", "1.2.3-0.a-b.00a.9", "1.2.3-alpha+b.1", "v4.5.6+x",
                           "123456789012345.0.1-x.123456789012345678901234567890"}) {
    auto fast = Version::parse(Scheme::kNpm, text);
    auto general = Version::parse(Scheme::kNpm, std::string(" ") + text + "\t");
    ASSERT_TRUE(fast.ok()) << text;
    ASSERT_TRUE(general.ok()) << text;
    EXPECT_EQ(compare(*fast, *general), 0) << text;
    EXPECT_EQ(fast->is_prerelease(), general->is_prerelease()) << text;
    EXPECT_EQ(fast->major(), general->major()) << text;
    EXPECT_EQ(fast->patch(), general->patch()) << text;
  }
  EXPECT_LT(cmp(Scheme::kNpm, "1.2.3-alpha.9", " 1.2.3-alpha.10"), 0);
  EXPECT_LT(cmp(Scheme::kNpm, " 1.2.3-9", "1.2.3-a"), 0);
  EXPECT_LT(cmp(Scheme::kNpm, "1.2.3-a", "1.2.3-a.0 "), 0);
  EXPECT_LT(cmp(Scheme::kNpm, "1.2.3-rc.1", " 1.2.3"), 0);
  EXPECT_GT(cmp(Scheme::kNpm, "1.2.3-a-b", "1.2.3-a"), 0);
}

TEST(VersionTest, SortsWithOperatorLess) {
  std::vector<Version> v;
  for (const char* t : {"1.10", "1.9", "1.9.1", "1.2-beta"}) v.push_back(*Version::parse(Scheme::kGeneric, t));
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v[0].text(), "1.2-beta");
  EXPECT_EQ(v[3].text(), "1.10");
}

// node-semver admits a pre-release only against versions of the same [major, minor, patch]
// (semver.satisfies("1.0.0-rc2", ">=1.0.0-rc1") but not ">=0.9.0" without includePrerelease).
TEST(SameReleaseTest, ComparesTheLeadingNumbersOfOneScheme) {
  auto same = [](Scheme s, const char* a, const char* b) {
    return same_release(*Version::parse(s, a), *Version::parse(s, b));
  };
  EXPECT_TRUE(same(Scheme::kSemver, "1.0.0-rc1", "1.0.0-rc2"));
  EXPECT_TRUE(same(Scheme::kSemver, "1.0.0-rc1", "1.0.0"));
  EXPECT_FALSE(same(Scheme::kSemver, "1.0.1-rc1", "1.0.0-rc1"));
  EXPECT_TRUE(same(Scheme::kGeneric, "1.0.0-dev2", "1.0.0-rc2"));
  EXPECT_FALSE(same(Scheme::kGeneric, "1.0-rc1", "1.0.0-rc1"));
  EXPECT_TRUE(same(Scheme::kPep440, "3.11.0rc1", "3.11.0"));
  EXPECT_FALSE(same(Scheme::kPep440, "3.11.0rc1", "3.12.0rc1"));
  EXPECT_FALSE(same_release(*Version::parse(Scheme::kSemver, "1.0.0"), *Version::parse(Scheme::kGeneric, "1.0.0")));
}

TEST(CycleTest, MatchesLeadingComponents) {
  auto in = [](Scheme s, const char* v, const char* cycle) { return in_cycle(*Version::parse(s, v), cycle); };
  EXPECT_TRUE(in(Scheme::kGeneric, "3.11.4", "3.11"));
  EXPECT_FALSE(in(Scheme::kGeneric, "3.1.4", "3.11"));
  EXPECT_TRUE(in(Scheme::kGeneric, "15.4", "15"));
  EXPECT_TRUE(in(Scheme::kPep440, "3.11.4rc1", "3.11"));
  EXPECT_TRUE(in(Scheme::kDeb, "1:22.04.3-0ubuntu1", "22.04"));
  EXPECT_TRUE(in(Scheme::kGolang, "v1.21.3", "1.21"));
  EXPECT_TRUE(in(Scheme::kNpm, "18.19.0", "18"));
  EXPECT_TRUE(in(Scheme::kMaven, "5.3.31", "5.3"));
  // Maven's canonical form drops trailing zeros; cycles still see the numbers as written.
  EXPECT_TRUE(in(Scheme::kMaven, "4.0.0", "4.0"));
  EXPECT_TRUE(in(Scheme::kMaven, "9.0.0", "9.0"));
  EXPECT_TRUE(in(Scheme::kMaven, "3.0.0-M1", "3.0"));
  EXPECT_FALSE(in(Scheme::kMaven, "4.0.0", "4.1"));
  EXPECT_EQ(Version::parse(Scheme::kMaven, "4.0.0")->minor(), 0);
  EXPECT_TRUE(in(Scheme::kRpm, "8.0.30-1.el8", "8.0"));
  EXPECT_FALSE(in(Scheme::kGeneric, "3.11", "3.11.4"));
  EXPECT_FALSE(in(Scheme::kGeneric, "3.11", "focal"));
}

TEST(RangeTest, ComparatorLists) {
  EXPECT_TRUE(sat(Scheme::kDeb, "1.2-1", ">= 1.2-1, << 2.0"));
  EXPECT_FALSE(sat(Scheme::kDeb, "2.0~rc1", ">= 2.0"));
  EXPECT_TRUE(sat(Scheme::kDeb, "1:1.0", ">> 2.0"));
  EXPECT_TRUE(sat(Scheme::kRpm, "1.0-3.el8", ">= 1.0"));   // no release in the bound: any release
  EXPECT_TRUE(sat(Scheme::kRpm, "1.0-3.el8", "<= 1.0"));
  EXPECT_FALSE(sat(Scheme::kRpm, "1.0-3.el8", "< 1.0-3"));
  EXPECT_TRUE(sat(Scheme::kGolang, "v1.4.0", ">=v1.2.0, <v1.5.0"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "7.2.5", ">=7.2.0, <=7.2.6"));
  EXPECT_FALSE(sat(Scheme::kGeneric, "7.2.7", ">=7.2.0, <=7.2.6"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "15", ">=13, <17"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "3", "<2 || >=3"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "3", "*"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "3.0", "3"));
  auto bad = Range::parse(Scheme::kDeb, "< 1.0");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "uprank.range.invalid");
  EXPECT_FALSE(Range::parse(Scheme::kGeneric, ">=").ok());
  EXPECT_FALSE(Range::parse(Scheme::kGeneric, "").ok());
  EXPECT_FALSE(Range::parse(Scheme::kGolang, ">=1.2.0").ok());
}

TEST(RangeTest, NativeSyntaxSpotChecks) {
  EXPECT_TRUE(sat(Scheme::kNpm, "0.0.3", "^0.0.3"));
  EXPECT_FALSE(sat(Scheme::kNpm, "0.0.4", "^0.0.3"));
  EXPECT_FALSE(sat(Scheme::kNpm, "1.3.0-beta", ">=1.2.0 <2"));
  EXPECT_TRUE(sat(Scheme::kNpm, "1.2.3-beta.2", "^1.2.3-beta.1"));
  EXPECT_TRUE(sat(Scheme::kPep440, "1.4.5", "~=1.4.2"));
  EXPECT_FALSE(sat(Scheme::kPep440, "1.5.0", "~=1.4.2"));
  EXPECT_TRUE(sat(Scheme::kPep440, "1.0.5", "==1.0.*"));
  EXPECT_TRUE(sat(Scheme::kMaven, "1.5", "(,1.0],[1.2,)"));
  EXPECT_FALSE(sat(Scheme::kMaven, "1.1", "(,1.0],[1.2,)"));
  EXPECT_TRUE(sat(Scheme::kMaven, "9.9", "1.0"));  // a soft requirement matches everything
}

TEST(RangeTest, VersUris) {
  EXPECT_TRUE(sat(Scheme::kDeb, "1.5", "vers:deb/>=1.2|<2.0"));
  EXPECT_FALSE(sat(Scheme::kDeb, "2.0", "vers:deb/>=1.2|<2.0"));
  EXPECT_TRUE(sat(Scheme::kNpm, "1.2.3", "vers:npm/1.2.3|>=2.0.0|<5.0.0"));
  EXPECT_TRUE(sat(Scheme::kNpm, "4.9.9", "vers:npm/1.2.3|>=2.0.0|<5.0.0"));
  EXPECT_FALSE(sat(Scheme::kNpm, "1.5.0", "vers:npm/1.2.3|>=2.0.0|<5.0.0"));
  EXPECT_TRUE(sat(Scheme::kNpm, "1.0.0-rc.1", "vers:npm/<2.0.0"));  // vers has no pre-release rule
  EXPECT_TRUE(sat(Scheme::kPep440, "2.1", "vers:pypi/>=2.0|!=2.0.1|<3"));
  EXPECT_FALSE(sat(Scheme::kPep440, "2.0.1", "vers:pypi/>=2.0|!=2.0.1|<3"));
  EXPECT_TRUE(sat(Scheme::kMaven, "1.0", "vers:maven/*"));
  EXPECT_TRUE(sat(Scheme::kGolang, "v1.2.0", "vers:golang/>=1.0.0|<1.3.0"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "0.9", "vers:generic/<1.0|>=2.0"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "2.5", "vers:generic/<1.0|>=2.0"));
  EXPECT_FALSE(sat(Scheme::kGeneric, "1.5", "vers:generic/<1.0|>=2.0"));
  EXPECT_TRUE(sat(Scheme::kGeneric, "1.0+1", "vers:generic/1.0%2B1"));
  for (const char* bad : {"vers:deb", "vers:cargo/1.0", "vers:deb/>=1.0|>=1.0", "vers:deb/*|1.0", "vers:deb/",
                          "deb/1.0", "vers:deb/1.0||2.0"}) {
    EXPECT_FALSE(Range::parse_vers(bad).ok()) << bad;
  }
}

TEST(RangeTest, OsvEvents) {
  using E = Range::OsvEvent;
  auto r = Range::from_osv_events(Scheme::kPep440, {E{"introduced", "0"}, E{"fixed", "1.2.3"},
                                                    E{"introduced", "2.0"}, E{"last_affected", "2.4"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto has = [&](const char* v) { return r->contains(*Version::parse(Scheme::kPep440, v)); };
  EXPECT_TRUE(has("0.1"));
  EXPECT_TRUE(has("1.2.3rc1"));
  EXPECT_FALSE(has("1.2.3"));
  EXPECT_FALSE(has("1.9"));
  EXPECT_TRUE(has("2.0"));
  EXPECT_TRUE(has("2.4"));
  EXPECT_FALSE(has("2.4.1"));

  // Go advisories write versions without the "v".
  auto go = Range::from_osv_events(Scheme::kGolang, {E{"introduced", "1.2.0"}, E{"fixed", "1.2.5"}});
  ASSERT_TRUE(go.ok());
  EXPECT_TRUE(go->contains(*Version::parse(Scheme::kGolang, "v1.2.4")));
  EXPECT_FALSE(go->contains(*Version::parse(Scheme::kGolang, "v1.2.5")));

  auto limited = Range::from_osv_events(Scheme::kSemver, {E{"introduced", "1.0.0"}, E{"limit", "1.5.0"}});
  ASSERT_TRUE(limited.ok());
  EXPECT_TRUE(limited->contains(*Version::parse(Scheme::kSemver, "1.4.0")));
  EXPECT_FALSE(limited->contains(*Version::parse(Scheme::kSemver, "1.5.0")));

  auto deb_ranges = Range::any_of(
      {*Range::from_osv_events(Scheme::kDeb, {E{"introduced", "0"}, E{"fixed", "2.36-9+deb12u3"}}),
       *Range::from_osv_events(Scheme::kDeb, {E{"introduced", "2.37-1"}, E{"fixed", "2.37-4"}})});
  ASSERT_TRUE(deb_ranges.ok());
  EXPECT_TRUE(deb_ranges->contains(*Version::parse(Scheme::kDeb, "2.36-9+deb12u2")));
  EXPECT_FALSE(deb_ranges->contains(*Version::parse(Scheme::kDeb, "2.36-9+deb12u3")));
  EXPECT_TRUE(deb_ranges->contains(*Version::parse(Scheme::kDeb, "2.37-2")));

  EXPECT_FALSE(Range::from_osv_events(Scheme::kDeb, {E{"fixed", "1.0"}}).ok());
  EXPECT_FALSE(Range::from_osv_events(Scheme::kDeb, {E{"introduced", "0"}, E{"patched", "1.0"}}).ok());
  EXPECT_FALSE(Range::from_osv_events(Scheme::kDeb, {E{"introduced", "x"}}).ok());
}

TEST(RangeTest, OtherSchemesAreNeverContained) {
  auto range = Range::parse(Scheme::kGeneric, ">=1.0");
  ASSERT_TRUE(range.ok());
  EXPECT_FALSE(range->contains(*Version::parse(Scheme::kDeb, "2.0")));
  auto npm = Range::parse(Scheme::kNpm, ">=1.0.0");
  EXPECT_TRUE(npm->contains(*Version::parse(Scheme::kSemver, "2.0.0")));
}

TEST(SchemeTest, NamesRoundTrip) {
  for (Scheme s : all_schemes()) EXPECT_EQ(parse_scheme(scheme_name(s)), s);
  EXPECT_EQ(parse_scheme("pypi"), std::nullopt);
}

}  // namespace
}  // namespace uprank::versions
