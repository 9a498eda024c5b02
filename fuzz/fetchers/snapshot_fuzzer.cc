// Feeds arbitrary bytes to the snapshot reader (format, hash check, entries).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fetchers/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)uprank::fetch::parse_snapshot(text, "fuzz");
  return 0;
}
