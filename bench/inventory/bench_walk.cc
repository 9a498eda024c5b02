// The directory walk of a 50,000-file monorepo with a .gitignore per service, against
// the same tree without them (issue 16: within 1.2x). The tree is generated once under
// the temp directory; pass --benchmark_filter to run one side.
#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "engine/inventory/readers.h"

namespace {

namespace fs = std::filesystem;

constexpr int kServices = 500;
constexpr int kFilesPerService = 100;  // 50,000 files in all

// A .gitignore as services write them: build output, logs, editor debris, one negation.
constexpr const char* kServiceGitignore =
    "# build output\n/dist/\nbuild/\ncoverage/\n*.log\n!keep.log\n*.tmp\n.env\n.env.*\n**/generated/\n*.py[cod]\n"
    "__pycache__/\n.idea/\n*.swp\n/vendor/\n";

// Writes the tree under `root`: per service a Dockerfile, a compose file and source files
// in nested folders; with `gitignores`, a root .gitignore and one per service.
void write_tree(const fs::path& root, bool gitignores) {
  if (gitignores) std::ofstream(root / ".gitignore") << "*.bak\n.DS_Store\n/tmp/\n";
  for (int service = 0; service < kServices; ++service) {
    fs::path directory = root / ("svc-" + std::to_string(service));
    fs::create_directories(directory);
    if (gitignores) std::ofstream(directory / ".gitignore") << kServiceGitignore;
    std::ofstream(directory / "Dockerfile") << "FROM python:3.12-slim\n";
    std::ofstream(directory / "docker-compose.yml") << "services:\n  db:\n    image: postgres:16.2\n";
    int written = gitignores ? 3 : 2;
    for (int file = 0; written < kFilesPerService; ++file, ++written) {
      fs::path folder = directory / "src" / ("module" + std::to_string(file % 8)) / ("part" + std::to_string(file % 3));
      fs::create_directories(folder);
      std::ofstream(folder / ("file" + std::to_string(file) + (file % 2 ? ".py" : ".md"))) << "x\n";
    }
  }
}

const fs::path base = fs::temp_directory_path() / ("uprank-bench-walk-" + std::to_string(::getpid()));

// Removes the generated trees when the run ends (declared after `base`, so run before it goes).
struct Cleanup {
  ~Cleanup() {
    std::error_code ignored;
    fs::remove_all(base, ignored);
  }
} cleanup;

const fs::path& tree(bool gitignores) {
  static const fs::path with = [] {
    fs::path root = base / "with";
    fs::remove_all(root);
    write_tree(root, true);
    return root;
  }();
  static const fs::path without = [] {
    fs::path root = base / "without";
    fs::remove_all(root);
    write_tree(root, false);
    return root;
  }();
  return gitignores ? with : without;
}

void walk(benchmark::State& state, bool gitignores) {
  const fs::path& root = tree(gitignores);
  for (auto _ : state) {
    auto inventory = uprank::inventory::read_inventory_paths({root.string()});
    if (inventory.components.size() != 2 * kServices) state.SkipWithError("wrong component count");
    benchmark::DoNotOptimize(inventory);
  }
  state.counters["files/s"] =
      benchmark::Counter(double(kServices) * kFilesPerService * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_WalkWithoutGitignores(benchmark::State& state) { walk(state, false); }
void BM_WalkWithGitignorePerService(benchmark::State& state) { walk(state, true); }
BENCHMARK(BM_WalkWithoutGitignores)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_WalkWithGitignorePerService)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
