// Parse, compare and range membership per scheme. The compare figures are for parsed
// versions (the target is under 20 ns); run with `make bench` or directly.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/versions/versions.h"

namespace {

using uprank::versions::Range;
using uprank::versions::Scheme;
using uprank::versions::Version;

struct Sample {
  Scheme scheme;
  std::vector<const char*> versions;
  const char* range;
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> s = {
      {Scheme::kSemver, {"1.2.3", "1.2.4-rc.1", "2.0.0", "1.10.0-beta.2+b5", "0.9.12", "1.2.3-alpha.1", "3.4.5", "1.2.10"},
       ">=1.2.0 <2.0.0"},
      {Scheme::kNpm, {"1.2.3", "1.2.4-rc.1", "2.0.0", "1.10.0-beta.2+b5", "0.9.12", "1.2.3-alpha.1", "3.4.5", "1.2.10"},
       "^1.2.0 || ~2.0.1 || 3.x"},
      {Scheme::kPep440, {"1.2.3", "1.2.4rc1", "2.0", "1.10.0b2", "0.9.12.post1", "1!1.0", "3.4.5.dev0", "1.2.10+local"},
       ">=1.0,!=1.3.*,<2"},
      {Scheme::kDeb, {"1.2.3-1", "1:2.30-4ubuntu1", "2.36-9+deb12u3", "1.0~rc1-1", "7.4.3-2+deb12u1", "0.9.12-1", "2.0-1", "1.2.10-2"},
       ">= 1.2-1, << 2.0"},
      {Scheme::kRpm, {"1.2.3-1.el8", "2:2.30-4.fc38", "1.0~rc1-1", "1.0^git1-2", "7.4.3-2.el9", "0.9.12-1", "2.0-1", "1.2.10-2"},
       ">= 1.2, < 2.0"},
      {Scheme::kMaven, {"1.2.3", "1.2.4-SNAPSHOT", "2.0", "1.10.0-beta-2", "0.9.12", "1.0-rc1", "3.4.5.Final", "1.2.10"},
       "[1.0,2.0),[3.0,)"},
      {Scheme::kGolang, {"v1.2.3", "v1.2.4-rc.1", "v2.0.0+incompatible", "v0.0.0-20191109021931-daa7c04131f5", "v0.9.12",
                         "v1.2.3-alpha.1", "v3.4.5", "v1.2.10"},
       ">=v1.2.0, <v2.0.0"},
      {Scheme::kGeneric, {"1.2.3", "3.11", "2019", "1.2.3-beta", "15.4", "7.2.7", "22.04", "1.2.10"}, ">=1.2, <2.0"},
  };
  return s;
}

const Sample& sample(int64_t index) { return samples()[static_cast<size_t>(index)]; }

void BM_Parse(benchmark::State& state) {
  const Sample& s = sample(state.range(0));
  state.SetLabel(std::string(uprank::versions::scheme_name(s.scheme)));
  size_t i = 0;
  for (auto _ : state) {
    auto v = Version::parse(s.scheme, s.versions[i++ % s.versions.size()]);
    benchmark::DoNotOptimize(v);
  }
}

void BM_Compare(benchmark::State& state) {
  const Sample& s = sample(state.range(0));
  state.SetLabel(std::string(uprank::versions::scheme_name(s.scheme)));
  std::vector<Version> parsed;
  for (const char* text : s.versions) parsed.push_back(*Version::parse(s.scheme, text));
  size_t i = 0;
  for (auto _ : state) {
    const Version& a = parsed[i & 7];
    const Version& b = parsed[(i * 5 + 3) & 7];
    ++i;
    benchmark::DoNotOptimize(uprank::versions::compare(a, b));
  }
}

void BM_Contains(benchmark::State& state) {
  const Sample& s = sample(state.range(0));
  state.SetLabel(std::string(uprank::versions::scheme_name(s.scheme)));
  Range range = *Range::parse(s.scheme, s.range);
  std::vector<Version> parsed;
  for (const char* text : s.versions) parsed.push_back(*Version::parse(s.scheme, text));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(range.contains(parsed[i++ & 7]));
}

void BM_RangeParse(benchmark::State& state) {
  const Sample& s = sample(state.range(0));
  state.SetLabel(std::string(uprank::versions::scheme_name(s.scheme)));
  for (auto _ : state) {
    auto r = Range::parse(s.scheme, s.range);
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK(BM_Parse)->DenseRange(0, 7);
BENCHMARK(BM_Compare)->DenseRange(0, 7);
BENCHMARK(BM_Contains)->DenseRange(0, 7);
BENCHMARK(BM_RangeParse)->DenseRange(0, 7);

}  // namespace

BENCHMARK_MAIN();
