// Fuzzes the native inventory reader: any input must give components or diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/inventory/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)uprank::inventory::read_native_inventory(text, "fuzz.yaml");
  return 0;
}
