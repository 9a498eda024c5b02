// The evaluator's memo of `def` results (engine/compiler/def_memo.h) against the scheme
// it replaced, a std::unordered_map cleared for every match, measured in the same run on
// a workload shaped like the shipped packs: per match, a few dozen calls of a dozen defs,
// most of them repeated (the SSVC pack asks for the deciding advisory a dozen times).
// Prints the ratio old / new per workload; never asserted (bench/CMakeLists.txt).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/compiler/def_memo.h"

namespace uprank::bench {
namespace {

using compiler::Value;

// The replaced scheme, as it was: a key owning its argument vector, in an unordered_map
// cleared per match.
struct DefCall {
  const void* site = nullptr;
  std::vector<Value> arguments;
  bool operator==(const DefCall& other) const {
    if (site != other.site || arguments.size() != other.arguments.size()) return false;
    for (size_t i = 0; i < arguments.size(); ++i) {
      if (!compiler::same_def_argument(arguments[i], other.arguments[i])) return false;
    }
    return true;
  }
};
struct DefCallHash {
  size_t operator()(const DefCall& call) const { return compiler::hash_def_call(call.site, call.arguments); }
};

// One match's calls: `distinct` calls (site, one or two arguments), each made `repeats`
// times, interleaved as nested defs call them.
struct Workload {
  std::vector<int> sites;
  std::vector<std::vector<Value>> arguments;
};
Workload make_workload(int distinct, int repeats) {
  static const std::string kTexts[] = {"kubernetes", "nginx", "postgresql", "redis"};
  Workload workload;
  for (int r = 0; r < repeats; ++r) {
    for (int d = 0; d < distinct; ++d) {
      workload.sites.push_back(d % 12);
      std::vector<Value> arguments = {Value::of_number(d / 12)};
      if (d % 3 == 0) arguments.push_back(Value::borrow_string(kTexts[d % 4]));
      workload.arguments.push_back(std::move(arguments));
    }
  }
  return workload;
}

constexpr int kMatches = 1000;
int sites[12];

void BM_UnorderedMap(benchmark::State& state) {
  Workload workload = make_workload(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  std::unordered_map<DefCall, Value, DefCallHash> memo;
  for (auto _ : state) {
    for (int match = 0; match < kMatches; ++match) {
      memo.clear();
      for (size_t i = 0; i < workload.sites.size(); ++i) {
        DefCall call{&sites[workload.sites[i]], {}};
        call.arguments = workload.arguments[i];  // the old LetNode built a vector per call
        if (auto found = memo.find(call); found != memo.end()) {
          benchmark::DoNotOptimize(found->second);
          continue;
        }
        memo.emplace(std::move(call), Value::of_number(static_cast<double>(i)));
      }
    }
  }
}

void BM_DefMemo(benchmark::State& state) {
  Workload workload = make_workload(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  compiler::DefMemo memo;
  for (auto _ : state) {
    for (int match = 0; match < kMatches; ++match) {
      memo.clear();
      for (size_t i = 0; i < workload.sites.size(); ++i) {
        const void* site = &sites[workload.sites[i]];
        if (const Value* found = memo.find(site, workload.arguments[i])) {
          benchmark::DoNotOptimize(*found);
          continue;
        }
        memo.add(site, workload.arguments[i], Value::of_number(static_cast<double>(i)));
      }
    }
  }
}

// (distinct calls, repeats) per match: a small rule, the SSVC pack, a quantifier over
// a component's advisories.
#define DEF_MEMO_ARGS Args({8, 2})->Args({30, 3})->Args({200, 2})->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_UnorderedMap)->DEF_MEMO_ARGS;
BENCHMARK(BM_DefMemo)->DEF_MEMO_ARGS;

// Prints, after the usual table, old / new CPU time per workload.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) times_[run.benchmark_name()] = run.GetAdjustedCPUTime();  // one thread: CPU time, steadier on a shared machine
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [name, time] : times_) {
      if (name.rfind("BM_DefMemo/", 0) != 0) continue;
      std::string old = "BM_UnorderedMap/" + name.substr(11);
      if (auto found = times_.find(old); found != times_.end() && time > 0) {
        std::printf("%s: unordered_map / DefMemo = %.2f\n", name.substr(11).c_str(), found->second / time);
      }
    }
  }

 private:
  std::map<std::string, double> times_;
};

}  // namespace
}  // namespace uprank::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  uprank::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
