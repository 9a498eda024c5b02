// Nanoseconds per CVSS vector scored (parse, validate and compute the base score), per
// version; run with `make bench` or directly: build/bench/bench/cvss/bench_cvss.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/facts/cvss.h"

namespace {

// Vectors as sources give them: mostly base-only, some with temporal or threat metrics.
const std::vector<std::vector<const char*>>& samples() {
  static const std::vector<std::vector<const char*>> s = {
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P", "AV:L/AC:H/Au:M/C:P/I:N/A:N", "AV:N/AC:M/Au:S/C:P/I:P/A:N/E:F/RL:OF/RC:C",
       "AV:A/AC:L/Au:N/C:C/I:C/A:C"},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
       "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:O", "CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
       "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N/E:U/RL:O/RC:C", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
       "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
       "CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:L/SI:L/SA:N/E:U",
       "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N"},
  };
  return s;
}

void BM_Score(benchmark::State& state) {
  static const char* kNames[] = {"v2", "v3.0", "v3.1", "v4.0"};
  const auto& vectors = samples()[static_cast<size_t>(state.range(0))];
  state.SetLabel(kNames[state.range(0)]);
  size_t i = 0;
  for (auto _ : state) {
    auto score = uprank::facts::cvss_base_score(vectors[i++ % vectors.size()]);
    benchmark::DoNotOptimize(score);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Score)->DenseRange(0, 3);

// Choosing among an OSV record's several vectors: every vector is scored once.
void BM_PreferredOfFour(benchmark::State& state) {
  std::vector<std::pair<std::string, std::string>> severity;
  const char* types[] = {"CVSS_V2", "CVSS_V3", "CVSS_V3", "CVSS_V4"};
  for (size_t v = 0; v < 4; ++v) severity.emplace_back(types[v], samples()[v][0]);
  for (auto _ : state) {
    auto choice = uprank::facts::preferred_cvss(severity);
    benchmark::DoNotOptimize(choice);
  }
}
BENCHMARK(BM_PreferredOfFour);

}  // namespace

BENCHMARK_MAIN();
