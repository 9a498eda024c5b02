// What `uprank inventory --format json -o OUT FILE...` does, linked against the inventory
// library alone: read the files with the bundled product map, render JSON, write it. For
// profiling the reader and the writer without the rest of the CLI (perf sees only them);
// bench/sbom/run times the real command.
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inventory/inventory_json.h"
#include "engine/inventory/product_map.h"
#include "engine/inventory/readers.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fputs("usage: sbom_inventory_json OUT FILE...\n", stderr);
    return 2;
  }
  std::vector<std::string> paths(argv + 2, argv + argc);
  uprank::inventory::ReadOptions options;
  options.products = &uprank::inventory::ProductMap::bundled();
  uprank::inventory::Inventory inventory = uprank::inventory::read_inventory_paths(paths, options);
  // Streamed into the file as the CLI streams it (through a sink, never one string).
  struct FileSink final : uprank::Sink {
    explicit FileSink(const char* path) : out(path, std::ios::binary) {}
    void write(std::string_view bytes) override { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); }
    std::ofstream out;
  } sink(argv[1]);
  uprank::inventory::write_inventory_json(inventory, sink);
  std::printf("%zu components, %zu diagnostics\n", inventory.components.size(), inventory.diagnostics.size());
  return 0;
}
