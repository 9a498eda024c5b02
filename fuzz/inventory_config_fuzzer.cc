// Fuzzes the inventory part of uprank.yaml (products, extractors): any input must give a
// configuration or diagnostics, never a crash, a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/inventory/extractors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)uprank::inventory::parse_inventory_config(text, "uprank.yaml");
  return 0;
}
