// Reading a generated 100,000-component CycloneDX SBOM, against nlohmann::json's own
// parse of the same text as the baseline (our reader adds positions and the model).
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "engine/inventory/readers.h"

namespace {

// Returns a CycloneDX 1.5 document with `count` npm components, every tenth nested in
// its predecessor, and a dependency graph chaining them.
std::string generate_cyclonedx(int count) {
  std::string text = "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [\n";
  std::string dependencies;
  for (int i = 0; i < count; ++i) {
    std::string name = "package-" + std::to_string(i);
    std::string version = std::to_string(i % 7) + "." + std::to_string(i % 13) + "." + std::to_string(i % 5);
    text += "    {\"type\": \"library\", \"bom-ref\": \"" + name + "\", \"name\": \"" + name + "\", \"version\": \"" + version +
            "\", \"purl\": \"pkg:npm/" + name + "@" + version + "\", \"licenses\": [{\"license\": {\"id\": \"MIT\"}}]}";
    text += i + 1 < count ? ",\n" : "\n";
    if (i > 0) dependencies += ",\n    {\"ref\": \"package-" + std::to_string(i - 1) + "\", \"dependsOn\": [\"" + name + "\"]}";
  }
  text += "  ],\n  \"dependencies\": [\n    {\"ref\": \"package-0\", \"dependsOn\": []}" + dependencies + "\n  ]\n}\n";
  return text;
}

const std::string& document() {
  static const std::string text = generate_cyclonedx(100'000);
  return text;
}

void BM_NlohmannParseBaseline(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(document()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * document().size()));
}
BENCHMARK(BM_NlohmannParseBaseline)->Unit(benchmark::kMillisecond);

void BM_ReadCycloneDx100k(benchmark::State& state) {
  for (auto _ : state) {
    auto inventory = uprank::inventory::read_cyclonedx(document(), "bom.json");
    if (inventory.components.size() != 100'000) state.SkipWithError("wrong component count");
    benchmark::DoNotOptimize(inventory);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * document().size()));
  state.counters["components/s"] = benchmark::Counter(100'000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReadCycloneDx100k)->Unit(benchmark::kMillisecond);

void BM_ProductMap100k(benchmark::State& state) {
  auto inventory = uprank::inventory::read_cyclonedx(document(), "bom.json");
  for (auto _ : state) {
    auto copy = inventory;
    uprank::inventory::ProductMap::bundled().apply(copy);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_ProductMap100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
