// Fuzzes the package URL parser and printer: any input must give components or diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/inventory/readers.h"
#include "engine/inventory/purl.h"
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = uprank::inventory::PackageUrl::parse(text);
  if (parsed.ok()) {
    // Printing then parsing again gives the same parts.
    auto again = uprank::inventory::PackageUrl::parse(parsed->to_string());
    if (!again.ok() || !(*again == *parsed)) __builtin_trap();
  }
  return 0;
}
