// Differential tests: thousands of generated and hand-picked cases per scheme, answered
// by the ecosystem's own implementation at test time (one batch process per scheme) and
// by uprank; every answer must agree. The case count is part of each test's name, so
// `ctest` prints it: VersionsDifferential.npm_6200_cases.
//
// References (installed by scripts/bootstrap --test): node-semver, Python packaging,
// dpkg (the binary and its Perl implementation Dpkg::Version), rpm's Lua rpm.vercmp,
// Maven's maven-artifact (ComparableVersion, VersionRange). A missing reference fails.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/versions/versions.h"
#include "tests/support/reference_process.h"

namespace uprank::versions {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string mode;  // "cmp" or "sat"
  std::string a, b;
};

const std::string kReferenceDir = std::string(UPRANK_SOURCE_DIR) + "/tests/engine/versions/reference";

// ---------------------------------------------------------------------------------------
// Case generation: a fixed seed, so the case list (and the test name) is stable.

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  std::string pick(std::initializer_list<const char*> v) { return *(v.begin() + below(v.size())); }

 private:
  std::mt19937_64 rng_;
};

// Adds compare cases over `pool`: random pairs, plus each version against itself.
void add_compare_cases(Gen& g, const std::vector<std::string>& pool, size_t count, std::vector<Case>& out) {
  for (size_t i = 0; i < count; ++i) out.push_back({"cmp", g.pick(pool), g.pick(pool)});
  for (size_t i = 0; i < pool.size() && i < 200; ++i) out.push_back({"cmp", pool[i], pool[i]});
}

// --- semver / npm ---

std::string semver_number(Gen& g) { return g.pick({"0", "1", "2", "3", "10", "11", "999"}); }

std::string semver_prerelease(Gen& g) {
  std::string pre;
  size_t n = 1 + g.below(3);
  for (size_t i = 0; i < n; ++i) {
    if (i) pre += ".";
    pre += g.pick({"alpha", "beta", "rc", "0", "1", "2", "10", "alpha1", "x-y", "-", "1a", "ALPHA", "beta2", "11"});
  }
  return pre;
}

std::string semver_version(Gen& g, bool allow_invalid) {
  std::string v = semver_number(g) + "." + semver_number(g) + "." + semver_number(g);
  if (g.chance(0.45)) v += "-" + semver_prerelease(g);
  if (g.chance(0.15)) v += g.pick({"+build.1", "+001", "+x-y.z", "+sha.5114f85"});
  if (allow_invalid && g.chance(0.12)) {
    return g.pick({"01.2.3", "1.2", "1", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b", "v1.2.3", "=1.2.3",
                   " 1.2.3 ", "1.2.3.4", "9007199254740991.0.0", "9007199254740992.0.0", "1.2.3-0.01",
                   "1.2.3-alpha_1", "x.2.3", "1.2.3beta", "v1.2.3-rc.1+b", " 2.0.0", "1.2.3 -rc", "2.0.0 "});
  }
  return v;
}

std::string npm_partial(Gen& g) {
  const char* xs[] = {"x", "X", "*"};
  auto part = [&]() { return g.chance(0.15) ? std::string(xs[g.below(3)]) : semver_number(g); };
  switch (g.below(6)) {
    case 0: return part();
    case 1: return part() + "." + part();
    case 2: return semver_number(g) + "." + semver_number(g) + "." + part();
    case 3: return semver_number(g) + "." + semver_number(g) + "." + semver_number(g) + "-" + semver_prerelease(g);
    default: return semver_number(g) + "." + semver_number(g) + "." + semver_number(g);
  }
}

std::string npm_comparator(Gen& g) {
  std::string op = g.pick({"", "", "=", "<", "<=", ">", ">=", "^", "^", "~", "~", "~>", "v"});
  std::string space = g.chance(0.1) ? " " : "";
  return op + space + npm_partial(g);
}

std::string npm_set(Gen& g) {
  if (g.chance(0.15)) return npm_partial(g) + " - " + npm_partial(g);
  std::string set = npm_comparator(g);
  size_t n = g.below(3);
  for (size_t i = 0; i < n; ++i) set += " " + npm_comparator(g);
  return set;
}

std::string npm_range(Gen& g) {
  if (g.chance(0.05)) {
    return g.pick({"*", "", "x", ">=0.0.0", "<0.0.0-0", "^0.0.x", "~1", "1.x || >=2.5.0", "1.2 - 2", "1 - 2.3.x",
                   "^0.0.3", "^0.1.2-beta", "~1.2.3-beta.2", ">1.2", "<=1.x", "<1.x", ">=1.2.x", "* || 1.0.0-beta",
                   "1.2.3-beta.1 - 1.2.3", "> 1.2.3", "~ 1.2", "^ 1.2.3", "> =1.2.3", "1.2.3 || ", "||", "^1.2.3 ^",
                   "~>1.2", "~> 1.2", "1.0.0 - 1.0.0-rc.1", "=1.x", "v1.2.3", ">=1.2.3 <1.2.3", "01.2.3", "^1.2.3 || *",
                   "1.2.3 - ", "- 1.2.3", ">= 1.2.3 < 2", "<=0.7.x", ">*", "<*", "^*", "~*", "2.x.x", "1.2.3-0 - 1.2.3",
                   "^9007199254740991", "~9007199254740991.1"});
  }
  std::string range = npm_set(g);
  size_t n = g.below(3) == 0 ? 1 + g.below(2) : 0;
  for (size_t i = 0; i < n; ++i) range += (g.chance(0.5) ? " || " : "||") + npm_set(g);
  return range;
}

// Versions near range boundaries: small numbers, frequent pre-releases.
std::string npm_probe_version(Gen& g) {
  std::string v = g.pick({"0", "1", "2", "3"}) + "." + g.pick({"0", "1", "2", "3"}) + "." + g.pick({"0", "1", "2", "3"});
  if (g.chance(0.35)) v += "-" + g.pick({"alpha", "alpha.1", "beta", "beta.2", "0", "rc.1", "1a"});
  return v;
}

std::vector<Case> node_cases(uint64_t seed, size_t compares, size_t satisfies) {
  Gen g(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < 400; ++i) pool.push_back(semver_version(g, true));
  // Same major.minor.patch, differing pre-release: the ordering rules that matter.
  for (int i = 0; i < 200; ++i) pool.push_back("1.0.0-" + semver_prerelease(g));
  for (const char* v : {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.0+build", "1.0.0-0", "1.0.0-00a", "1.0.0--"}) {
    pool.emplace_back(v);
  }
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  for (size_t i = 0; i < satisfies; ++i) {
    cases.push_back({"sat", g.chance(0.9) ? npm_probe_version(g) : semver_version(g, true), npm_range(g)});
  }
  return cases;
}

// --- PEP 440 ---

std::string pep_release(Gen& g) {
  std::string r = g.pick({"0", "1", "2", "10", "01", "00"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) r += "." + g.pick({"0", "1", "2", "10", "01", "0"});
  return r;
}

std::string pep_version(Gen& g, bool allow_invalid) {
  std::string v;
  if (g.chance(0.08)) v += g.pick({"1!", "0!", "2!", "01!"});
  v += pep_release(g);
  const char* seps[] = {"", "", "", ".", "-", "_"};
  if (g.chance(0.35)) {
    v += std::string(seps[g.below(6)]) + g.pick({"a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "RC", "A"});
    v += std::string(seps[g.below(6)]) + (g.chance(0.8) ? g.pick({"0", "1", "2", "11", "01"}) : "");
  }
  if (g.chance(0.25)) {
    v += g.pick({"-1", ".post1", "post2", ".post", "-post3", "_post_1", ".rev1", "r2", ".POST1", "-r"});
  }
  if (g.chance(0.25)) v += g.pick({".dev", ".dev0", "dev1", "-dev2", "_dev_3", ".DEV4"});
  if (g.chance(0.12)) v += g.pick({"+abc", "+1", "+ubuntu-1", "+abc.5", "+1.ABC", "+local_2", "+0", "+a.b.c"});
  if (g.chance(0.05)) v = "v" + v;
  if (allow_invalid && g.chance(0.1)) {
    return g.pick({"1.0.", "1..0", "a1", "1.0+", "1.0+a..b", "1.0-", "1.0-dev-", "1.0.post-", "1.0 1", " 1.0 ",
                   "1.0a1b1", "1.0-1-1", "1!2!3", "!1", "1.0.x", "1.*", "1.0+abc#", "1.0alpha", "1.0.0rc1.post1.dev1",
                   "1.0a.1", "1.0.a1", "1.0-a-1"});
  }
  return v;
}

std::string pep_spec_version(Gen& g, const std::string& op) {
  if ((op == "==" || op == "!=") && g.chance(0.3)) {
    std::string v = g.chance(0.1) ? "1!" : "";
    return v + pep_release(g) + ".*";
  }
  std::string v = pep_version(g, false);
  if (op == "~=" && v.find('.') == std::string::npos) v += ".0";
  return v;
}

std::string pep_specifier_set(Gen& g) {
  if (g.chance(0.05)) {
    return g.pick({"", ">=1.0,!=1.3.*,<2", "~=1.4.5a4", "==1.*", "===1.0", "~=2.2.post3", "~=1", "==1.0.*.1", "=1.0",
                   ">=1.0+local", "~=1.0+abc", "> 1.0 , < 2.0", "<1.0.dev1", ">1.0.post1", "==1.0+abc", "!=1.0+abc",
                   "<=1.0.*", ">= 1.0a1", ",", "~=1.0.0", "==1!1.*", "===1.0.0", ">1.0", ">1.0-1", "<2.0rc1"});
  }
  std::string set;
  size_t n = 1 + g.below(3);
  for (size_t i = 0; i < n; ++i) {
    std::string op = g.pick({"~=", "==", "!=", "<=", ">=", "<", ">", "===", "==", ">=", "<"});
    if (op == "===" && g.chance(0.5)) op = "==";
    if (i) set += g.chance(0.5) ? "," : ", ";
    set += op + (g.chance(0.1) ? " " : "") + pep_spec_version(g, op);
  }
  return set;
}

std::string pep_probe_version(Gen& g) {
  std::string v = g.pick({"0", "1", "2"}) + "." + g.pick({"0", "1", "2", "4", "5"});
  if (g.chance(0.3)) v += "." + g.pick({"0", "1", "5"});
  if (g.chance(0.2)) v += g.pick({"a1", "b2", "rc1", "a4"});
  if (g.chance(0.15)) v += g.pick({".post1", ".post3", "-1"});
  if (g.chance(0.15)) v += g.pick({".dev0", ".dev1"});
  if (g.chance(0.1)) v += g.pick({"+abc", "+local.1"});
  if (g.chance(0.05)) v = "1!" + v;
  return v;
}

std::vector<Case> pep440_cases(uint64_t seed, size_t compares, size_t satisfies) {
  Gen g(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < 500; ++i) pool.push_back(pep_version(g, true));
  for (const char* v : {"1.0a1", "1.0.0a1", "1.0.0.0a1", "1.0", "1.0.0", "1.0.post1", "1.0.dev0", "1.0a1.dev0",
                        "1.0+local", "1.0+1", "1.0+a", "1!0.5", "1.0c1", "1.0rc1", "1.0-1", "1.0.post0"}) {
    pool.emplace_back(v);
  }
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  for (size_t i = 0; i < satisfies; ++i) {
    cases.push_back({"sat", g.chance(0.9) ? pep_probe_version(g) : pep_version(g, true), pep_specifier_set(g)});
  }
  return cases;
}

// --- deb ---

// Dpkg::Version (Perl) and dpkg (C) disagree on stray colons ("1:", "2.30:"), so only the
// binary suite, which asks dpkg itself, generates those.
std::string deb_version(Gen& g, bool allow_invalid, bool stray_colons) {
  std::string v;
  if (g.chance(0.25)) v += g.pick({"0:", "1:", "2:", "00:", "10:"});
  v += g.pick({"1", "2", "0", "10", "01", "1.0", "2.30", "1.2.3"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) {
    std::string sep = g.pick({".", "+", "~", "~~", ".", "+really", "~rc", "~beta", "+dfsg", "a", "b", "~~~", ":", "-"});
    if (sep == ":" && !stray_colons) sep = "+";
    v += sep;
    if (g.chance(0.6)) v += g.pick({"1", "0", "2", "10", "00", "9"});
  }
  if (g.chance(0.5)) {
    v += g.pick({"-1", "-0", "-1ubuntu1", "-1~bpo11+1", "-0.1", "-1+deb12u1", "-2", "-1~", "-10", "-1.1", "-a"});
  }
  if (allow_invalid && g.chance(0.08)) {
    if (stray_colons) return g.pick({":1.0", "1:", "x:1.0", "1.0-a:b", "1:2:3", "1.0:1-1", "2.30:"});
    return g.pick({"a1.0", "1.0-", "1.0_1", "-1", "1.0-1_2", "1.0 -1", "~1", "1.0-", "1:a", "1:-1", "1:1.0-"});
  }
  return v;
}

std::vector<Case> deb_cases(uint64_t seed, size_t compares, bool stray_colons) {
  Gen g(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < 500; ++i) pool.push_back(deb_version(g, true, stray_colons));
  for (const char* v : {"1.0~rc1", "1.0~~", "1.0~", "1.0", "1.0+b1", "1.0-1", "1.0-0", "1:0.9", "0:1.0", "1.0a",
                        "1.0+", "1.0.", "1.00", "2.30-1", "2.30-1~bpo11+1", "1.0-1ubuntu0.1", "7.4.3-2+deb12u1"}) {
    pool.emplace_back(v);
  }
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  return cases;
}

// --- rpm ---

std::string rpm_version(Gen& g) {
  std::string v;
  if (g.chance(0.2)) v += g.pick({"0:", "1:", "2:", "00:", ":"});
  v += g.pick({"1", "2", "0", "10", "01", "1.0", "a", "2.30"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) {
    v += g.pick({".", "_", "+", "~", "^", ".", "~~", "^^", "", "-"});
    v += g.pick({"1", "0", "2", "10", "00", "rc", "beta", "git", "a", "B", "el8"});
  }
  if (g.chance(0.5)) v += g.pick({"-1", "-0", "-1.el8", "-2.fc38", "-1~rc", "-", "-1^1", "-10.el9_2"});
  return v;
}

std::vector<Case> rpm_cases(uint64_t seed, size_t compares) {
  Gen g(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < 500; ++i) pool.push_back(rpm_version(g));
  for (const char* v : {"1.0~rc1", "1.0", "1.0^git1", "1.0^", "1.0~", "1.0-1", "1.0-", "1:1.0", "1.0.", "1_0", "1.a",
                        "1a", "1.0~rc1^git1", "1.0^git1~rc1"}) {
    pool.emplace_back(v);
  }
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  return cases;
}

// --- Maven ---

std::string maven_version(Gen& g) {
  std::string v = g.pick({"1", "0", "2", "10", "01", "1.0", "1.0.0"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) {
    v += g.pick({".", "-", "", ".", "-"});
    v += g.pick({"1", "0", "2", "10", "00", "alpha", "a", "beta", "b", "m", "milestone", "rc", "cr", "snapshot",
                 "SNAPSHOT", "ga", "final", "release", "sp", "foo", "RC", "x", "Final", "GA"});
  }
  return v;
}

std::string maven_range(Gen& g, const std::vector<std::string>& sorted_hint) {
  auto v = [&]() { return maven_version(g); };
  switch (g.below(9)) {
    case 0: return "[" + v() + "," + v() + ")";
    case 1: return "(" + v() + "," + v() + "]";
    case 2: return "[" + v() + "]";
    case 3: return "(," + v() + "]";
    case 4: return "[" + v() + ",)";
    case 5: return "(," + v() + "),(" + v() + ",)";
    case 6: return v();
    case 7: return g.pick({"[1.0,2.0)", "(,1.0],[1.2,)", "[1.0]", "(1.0)", "[1.0,2.0", "[2.0,1.0]", "[1.0,1.0]",
                           "[1.0,2.0),[1.5,3.0)", "[1.0, 2.0)", "[1.0-SNAPSHOT,1.0]", "(,1.0-alpha)", "[1,)",
                           "(,)", "[,1.0]", "[1.0,2.0),(2.0,3.0]", "[1.0,2.0] , [3.0,4.0]", "1.0,2.0"});
    default: {
      std::string a = sorted_hint[g.below(sorted_hint.size())];
      std::string b = sorted_hint[g.below(sorted_hint.size())];
      return g.pick({"[", "("}) + a + "," + b + g.pick({"]", ")"});
    }
  }
}

std::vector<Case> maven_cases(uint64_t seed, size_t compares, size_t satisfies) {
  Gen g(seed);
  std::vector<std::string> pool;
  for (int i = 0; i < 500; ++i) pool.push_back(maven_version(g));
  for (const char* v : {"1.0-alpha", "1.0-beta", "1.0-milestone", "1.0-rc", "1.0-snapshot", "1.0", "1.0-sp", "1-0",
                        "1.0.0", "1.0-ga", "1.0-final", "1.0-cr", "1.0.0.RC1", "1.0.0-RC1", "1-1", "1.1", "1-sp",
                        "1.0-foo", "1a1", "1-alpha-1", "1.m2"}) {
    pool.emplace_back(v);
  }
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  std::vector<std::string> hints = {"1.0", "1.1", "1.5", "2.0", "2.0-SNAPSHOT", "1.0-alpha", "3.0", "1.0.1"};
  for (size_t i = 0; i < satisfies; ++i) {
    cases.push_back({"sat", g.chance(0.5) ? g.pick(hints) : maven_version(g), maven_range(g, hints)});
  }
  return cases;
}

// --- RubyGems ---

std::string gem_version(Gen& g, bool allow_invalid) {
  std::string v = g.pick({"0", "1", "2", "10", "01", "1.0", "1.2", "3.0.0"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) {
    v += g.pick({".", ".", ".", "", "-"});
    v += g.pick({"0", "1", "2", "10", "00", "a", "b", "pre", "rc", "rc1", "beta", "alpha", "RC", "A", "x1", "0a"});
  }
  if (g.chance(0.1)) v += g.pick({"-1", "-rc.1", "-beta-2", ".0.0", ".a.0", ".0.a"});
  if (allow_invalid && g.chance(0.08)) {
    return g.pick({"", " 1.0", "1.0 ", "1..0", ".1", "a", "1.0-", "1 0", "1.0.", "1_0", "1.0+b", "-1", "1.-1",
                   "1.0-a..b", "v1.0", "1.0--", "1.0-.", "\xC3\xA9"});
  }
  return v;
}

std::string gem_requirements(Gen& g) {
  if (g.chance(0.05)) {
    return g.pick({"", ",", ">= 1,", "~>1", "~> 1.0", "~> 1.0.a", "~>1.a", ">=0", ">= 0.a", "=> 1", "~ 1",
                   "1.0", "!=1.0", "< 1 , > 0", " >= 1 ", ">=1 <2", "~> 0", "~> 1.2.3.a", "~>1.0-1",
                   ">=", "=", "=1.0.0", "> 1.0.a", "~> 1.0.0.a", "!= 1.0.a", "< 1.a", "~>0.0", "~> 1.0, >= 1.0.5",
                   "= 1.0.0.0", ">1-1", "~>1.0.0-1", "~> 2", "~> 1.9", "<= 1.0-a", ">= 1.0 ,"});
  }
  std::string reqs;
  size_t n = 1 + g.below(2);
  for (size_t i = 0; i < n; ++i) {
    if (i) reqs += g.chance(0.5) ? "," : ", ";
    reqs += g.pick({"", "=", "!=", ">", "<", ">=", "<=", "~>", "~>", "~>"});
    reqs += g.chance(0.4) ? " " : "";
    reqs += gem_version(g, false);
  }
  return reqs;
}

std::string gem_probe_version(Gen& g) {
  std::string v = g.pick({"0", "1", "2"}) + "." + g.pick({"0", "1", "2", "5"});
  if (g.chance(0.5)) v += "." + g.pick({"0", "1", "3"});
  if (g.chance(0.25)) v += g.pick({".a", ".pre", "-1", ".rc1", "a", ".0.1", ".b.1"});
  return v;
}

// Builds a suite from `pool_size` versions of `version`, the hand-picked `tricky` ones,
// `compares` random pairs of them, and `satisfies` range cases of `probe` or `version`
// (15%) against `range`.
std::vector<Case> pooled_cases(Gen& g, size_t pool_size, const std::function<std::string(Gen&)>& version,
                               std::initializer_list<const char*> tricky, size_t compares, size_t satisfies,
                               const std::function<std::string(Gen&)>& probe,
                               const std::function<std::string(Gen&)>& range) {
  std::vector<std::string> pool;
  for (size_t i = 0; i < pool_size; ++i) pool.push_back(version(g));
  pool.insert(pool.end(), tricky.begin(), tricky.end());
  std::vector<Case> cases;
  add_compare_cases(g, pool, compares, cases);
  for (size_t i = 0; i < satisfies; ++i) {
    std::string v = g.chance(0.85) ? probe(g) : version(g);
    cases.push_back({"sat", v, range(g)});
  }
  return cases;
}

std::vector<Case> rubygems_cases(uint64_t seed, size_t compares, size_t satisfies) {
  Gen g(seed);
  return pooled_cases(g, 500, [](Gen& gen) { return gem_version(gen, true); },
                      {"1", "1.0", "1.0.0", "1.0.a", "1.a", "1.0.0.a", "1.a.0", "1.a.0.b", "1.a.b", "1.0-1",
                       "1.0.pre.1", "1-a", "1.0a", "1.0.0.1", "0", "0.a", "0.0.a", "1.A", "1.0.b1", "1.0.b.1"},
                      compares, satisfies, gem_probe_version, gem_requirements);
}

// --- Packagist (composer/semver) ---

std::string composer_version(Gen& g, bool allow_invalid) {
  if (g.chance(0.06)) {
    return g.pick({"dev-master", "master", "dev-main", "dev-feature/x", "DEV-foo", "trunk", "dev-1.0", "1.x-dev",
                   "1.0.x-dev", "2.*-dev", "v1.x-dev", "1.0-dev", "1.0.0-dev", "dev-foo#abc", "foo-dev",
                   "1.0 as 2.0", "1.0@dev", "1.0@beta", "default", "dev-", "1.0.0-beta.1+build", "1.0-alpha-1",
                   "1.0-b1-dev", "1.0pl2", "1.0-patch", "1.0.0_RC1", "1.0 as 2.0@dev", "dev-a", "dev-b", "dev-A",
                   "1.0-beta@alpha", "2010-01-02-beta1", "20100102.1", "1.0.0.0+1.2", "V1.0", "1.0-rc.1.2.3"});
  }
  std::string v = g.chance(0.1) ? "v" : "";
  if (g.chance(0.05)) {
    v += g.pick({"2010-01-02", "20100102", "2010.01.02.10", "201001021", "2010-01-02-1", "2010.1.2"});
  } else {
    v += g.pick({"0", "1", "2", "10", "01", "00"});
    size_t n = g.below(4);
    for (size_t i = 0; i < n; ++i) v += "." + g.pick({"0", "1", "2", "10", "01", "9"});
  }
  if (g.chance(0.45)) {
    v += g.pick({"", "-", ".", "_", "-", "-"});
    v += g.pick({"alpha", "a", "beta", "b", "RC", "rc", "pl", "p", "patch", "stable", "ALPHA", "Beta", "STABLE"});
    if (g.chance(0.6)) v += g.pick({"1", "2", ".1", "-2", "10", ".1.2", "01"});
  }
  if (g.chance(0.15)) v += g.pick({"-dev", ".dev", "dev", "-DEV"});
  if (g.chance(0.08)) v += g.pick({"+build", "+001", "+a.b"});
  if (allow_invalid && g.chance(0.08)) {
    return g.pick({"", "1.0.0.0.0", "123456", "1.0-gamma", "1.0-beta-", "x", "1..0", "1.0 ", " 1.0", "1,0",
                   "1.0+", "1.0-alpha+b c", "a1", "-1", "1.0-rc.1-dev-dev", "foo", "1.0.0-beta.x"});
  }
  return v;
}

std::string composer_partial(Gen& g) {
  std::string v = g.chance(0.08) ? "v" : "";
  v += g.pick({"0", "1", "2", "3"});
  size_t n = g.below(4);
  for (size_t i = 0; i < n; ++i) v += "." + g.pick({"0", "1", "2", "5"});
  if (g.chance(0.15)) v += g.pick({"-beta", "-alpha2", "-RC1", "-dev", "@dev", "@beta", "-stable", "-p1", "+b"});
  return v;
}

std::string composer_constraint(Gen& g) {
  switch (g.below(8)) {
    case 0: return "^" + composer_partial(g);
    case 1: return "~" + composer_partial(g);
    case 2: return composer_partial(g) + " - " + composer_partial(g);
    case 3: {
      std::string v = g.pick({"0", "1", "2"});
      if (g.chance(0.6)) v += "." + g.pick({"0", "1", "2"});
      return v + g.pick({".*", ".x", ".X", ".*.*"});
    }
    default:
      return g.pick({"", "", "=", "==", "!=", "<>", "<", "<=", ">", ">=", ">= ", "< "}) + composer_partial(g);
  }
}

std::string composer_constraints(Gen& g) {
  if (g.chance(0.06)) {
    return g.pick({"*", "x", "v*", "*.*", "", "||", "1.0 ||", ">=1.0,,<2", "=>1.0", "~>1.0", "dev-master", "master",
                   "dev-main", "foo-dev", "1.x-dev", "~1.x-dev", "^1.x-dev", "1.0.x-dev#abc", "dev-main#123",
                   "@dev", "*@dev", ">=1.0@dev", "<2.0@beta", "^1.0@RC", ">= 1.0 < 2.0", ">=1.0 , <2.0",
                   ">1.0 as 2.0", "1.0 - 2.0 - 3.0", "1 - 2", "1.0 - 2.1", "1.2.3 - 2.0.0", "^0.0.1", "^0.1",
                   "~1", "~1.2", "~1.2.3", "~1.2.3.4", "~1.2-beta", "^1.2-dev", "<1.0-rc1", ">=1.0-beta",
                   "1.0|2.0", "1.0 | 2.0", "!=dev-main", "<>1.0", "<1.0.0.0", ">=1,<2", "1.0,2.0", "^1 ^2",
                   ">=1.0-alpha1 <2.0-dev", "~0.0.1", "1.x", "1.2.x", "v1.2.x", "01.x", "0.x", "~1.0@dev",
                   "1.0.0 - 2.0.0-beta", "1 - 2.0-dev", "1.0 - 2.x-dev", "V1.x", "1.*.*", "~1.0.x-dev", "^0.0", "^0",
                   "^0.0.0", "~0", "<=1.0@dev", "!=1.0@dev", ">1.0@beta", "1.0.0@RC", "dev-main as 1.0",
                   ">=1.0 as 2.0", "1.0.x-dev#abc as 1.0", "1.0-beta - 2.0", "~1.0-stable", "^1.0.0.0", "^1.0.0.0.0",
                   "~1.2.3.4.5", "1.0.0.x", "*.1", "x.x", "<>dev-foo", "== 1.0", "= dev-main", "dev-main || ^1",
                   "   1.0   ", ">=1.0,<2.0|>=3.0", "^1.2 , !=1.5", ">=1.0 <1.1 || >=1.2 <1.3", "1.0 - 2", "~2.0-dev",
                   ">=2010-01-02", "^v1.2", "~v1.2", ">= 1.0-b1", "<1.0-rc1", "< 1.0-RC1", ">=1.0-p1", "<1.0.0.0-pl2"});
  }
  std::string text;
  size_t groups = 1 + (g.chance(0.25) ? 1 : 0);
  for (size_t i = 0; i < groups; ++i) {
    if (i) text += g.pick({" || ", "||", " | ", "|"});
    size_t n = 1 + g.below(2);
    for (size_t k = 0; k < n; ++k) {
      if (k) text += g.pick({" ", ",", ", ", " , "});
      text += composer_constraint(g);
    }
  }
  return text;
}

std::string composer_probe_version(Gen& g) {
  std::string v = g.pick({"0", "1", "2", "3"}) + "." + g.pick({"0", "1", "2", "5"});
  if (g.chance(0.5)) v += "." + g.pick({"0", "1", "3"});
  if (g.chance(0.3)) v += g.pick({"-beta", "-alpha2", "-RC1", "-dev", "-p1", "-beta1", ".x-dev", "-stable"});
  if (g.chance(0.05)) v = g.pick({"dev-main", "dev-master", "master", "1.x-dev", "dev-foo"});
  return v;
}

std::vector<Case> packagist_cases(uint64_t seed, size_t compares, size_t satisfies) {
  Gen g(seed);
  return pooled_cases(g, 600, [](Gen& gen) { return composer_version(gen, true); },
                      {"1.0", "1.0.0", "1.0.0.0", "v1.0", "1.0-dev", "1.0-alpha", "1.0-beta", "1.0-RC", "1.0-rc1",
                       "1.0-patch1", "1.0-pl1", "1.0-p1", "1.0-stable", "1.0-STABLE", "1.0-beta.1.2", "1.0-beta1-dev",
                       "1.0.0.0-dev", "9999999-dev", "dev-master", "1.x-dev", "1.0.x-dev", "1.0.0+build"},
                      compares, satisfies, composer_probe_version, composer_constraints);
}

// ---------------------------------------------------------------------------------------
// Running references and comparing answers.

std::string ours(Scheme scheme, const Case& c) {
  if (c.mode == "cmp") {
    auto a = Version::parse(scheme, c.a);
    auto b = Version::parse(scheme, c.b);
    if (!a.ok() || !b.ok()) return "invalid";
    int r = compare(*a, *b);
    return r < 0 ? "<" : (r > 0 ? ">" : "=");
  }
  auto v = Version::parse(scheme, c.a);
  auto r = Range::parse(scheme, c.b);
  if (!v.ok() || !r.ok()) return "invalid";
  return r->contains(*v) ? "true" : "false";
}

// Returns whether `tool` is an installed program or, given as an absolute path, a file.
bool have(const std::string& tool) {
  if (!tool.empty() && tool[0] == '/') return fs::exists(tool);
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `command` on `cases`, one "MODE<TAB>A<TAB>B" line each, and returns its answers.
std::vector<std::string> ask_reference(const std::vector<Case>& cases, const std::string& command,
                                       std::string& failure) {
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(c.mode + '\t' + c.a + '\t' + c.b);
  return testing_support::ask_reference(lines, command, failure);
}

void expect_agreement(const std::string& name, Scheme scheme, const std::vector<Case>& cases,
                      const std::vector<std::string>& reference) {
  ASSERT_EQ(reference.size(), cases.size()) << name << ": the reference answered " << reference.size() << " of "
                                            << cases.size() << " cases";
  size_t agree = 0, shown = 0;
  size_t compares = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    compares += cases[i].mode == "cmp";
    std::string mine = ours(scheme, cases[i]);
    // Composer leaves two different named branches unordered; uprank orders them by name.
    bool unordered_ok = reference[i] == "unordered" && (mine == "<" || mine == ">");
    if (mine == reference[i] || unordered_ok) {
      ++agree;
    } else if (shown++ < 25) {
      ADD_FAILURE() << name << " disagrees on " << cases[i].mode << " '" << cases[i].a << "' '" << cases[i].b
                    << "': reference " << reference[i] << ", uprank " << mine;
    }
  }
  std::map<std::string, size_t> answers;
  for (const auto& answer : reference) ++answers[answer];
  std::string spread;
  for (const auto& [answer, count] : answers) spread += " " + answer + ":" + std::to_string(count);
  std::printf("differential %s: %zu cases (%zu compare, %zu range), %zu agree (%.2f%%); reference answers%s\n",
              name.c_str(), cases.size(), compares, cases.size() - compares, agree,
              100.0 * static_cast<double>(agree) / static_cast<double>(cases.size()), spread.c_str());
  EXPECT_EQ(agree, cases.size());
}

struct Suite {
  std::string name;
  Scheme scheme;
  std::vector<std::string> tools;  // programs that must be installed
  std::string command;
  std::function<std::vector<Case>()> make;
};

std::vector<Suite> suites() {
  const std::string node = "NODE_PATH=/usr/share/nodejs node " + kReferenceDir + "/npm_reference.js {in} {out}";
  const std::string jar = "/usr/share/maven/lib/maven-artifact-3.x.jar:/usr/share/maven/lib/commons-lang3.jar";
  return {
      {"npm", Scheme::kNpm, {"node"}, node, [] { return node_cases(1, 3000, 5000); }},
      {"semver", Scheme::kSemver, {"node"}, node + " strict", [] { return node_cases(2, 3000, 1500); }},
      {"pep440", Scheme::kPep440, {"/usr/bin/python3"},
       "/usr/bin/python3 " + kReferenceDir + "/pep440_reference.py {in} {out}",
       [] { return pep440_cases(3, 3000, 4000); }},
      {"deb", Scheme::kDeb, {"perl", "dpkg"}, "perl " + kReferenceDir + "/deb_reference.pl {in} {out}",
       [] { return deb_cases(4, 4000, false); }},
      {"deb_dpkg_binary", Scheme::kDeb, {"dpkg"}, "sh " + kReferenceDir + "/deb_reference.sh {in} {out}",
       [] { return deb_cases(5, 300, true); }},
      {"rpm", Scheme::kRpm, {"rpm"},
       "rpm --define '_uprank_in {in}' --define '_uprank_out {out}' --eval \"%{lua: dofile('" + kReferenceDir +
           "/rpm_reference.lua')}\" >/dev/null",
       [] { return rpm_cases(6, 4000); }},
      {"maven", Scheme::kMaven, {"javac", "java"},
       "javac -nowarn -d {dir} -cp " + jar + " " + kReferenceDir + "/MavenReference.java && java -cp {dir}:" + jar +
           " MavenReference {in} {out}",
       [] { return maven_cases(7, 3000, 2500); }},
      {"rubygems", Scheme::kRubygems, {"ruby"}, "ruby " + kReferenceDir + "/rubygems_reference.rb {in} {out}",
       [] { return rubygems_cases(8, 3000, 4000); }},
      {"packagist", Scheme::kPackagist, {"php", "/usr/share/php/Composer/Semver/autoload.php"},
       "php " + kReferenceDir + "/packagist_reference.php {in} {out}", [] { return packagist_cases(9, 3000, 5000); }},
  };
}

class DifferentialTest : public testing::Test {
 public:
  explicit DifferentialTest(Suite suite, std::vector<Case> cases) : suite_(std::move(suite)), cases_(std::move(cases)) {}
  void TestBody() override {
    for (const auto& tool : suite_.tools) {
      ASSERT_TRUE(have(tool)) << "reference tool '" << tool << "' is missing: run scripts/bootstrap --test";
    }
    std::string failure;
    auto reference = ask_reference(cases_, suite_.command, failure);
    ASSERT_TRUE(failure.empty()) << failure;
    expect_agreement(suite_.name, suite_.scheme, cases_, reference);
  }

 private:
  Suite suite_;
  std::vector<Case> cases_;
};

// Registers one test per scheme, named with its case count.
const bool kRegistered = [] {
  for (auto& suite : suites()) {
    auto cases = suite.make();
    std::string name = suite.name + "_" + std::to_string(cases.size()) + "_cases";
    testing::RegisterTest("VersionsDifferential", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [suite, cases]() -> testing::Test* { return new DifferentialTest(suite, cases); });
  }
  return true;
}();

}  // namespace
}  // namespace uprank::versions
