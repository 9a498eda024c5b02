// Feeds arbitrary bytes to the CSAF 2.0 reader with a small product bound, so hostile
// trees, relationship chains and group references are explored quickly.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fetchers/csaf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  uprank::fetch::CsafLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_products = 1000;
  (void)uprank::fetch::parse_csaf(input, "fuzz", limits);
  (void)uprank::fetch::looks_like_csaf(input);
  return 0;
}
