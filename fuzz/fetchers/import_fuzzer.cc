// Feeds arbitrary bytes to the offline import's parsers; the first byte picks which: the
// content classifier, the bounded YAML reader, the KEV CSV converter or the zip reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fetchers/importer.h"
#include "fetchers/kev.h"
#include "fetchers/yaml_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: (void)uprank::fetch::classify_feed(input, "fuzz"); break;
    case 1: (void)uprank::fetch::parse_yaml_as_json(input, "fuzz"); break;
    case 2: (void)uprank::fetch::kev_catalog_json_from_csv(input, "fuzz"); break;
    default: {
      uprank::fetch::ImportLimits limits;
      limits.max_inflated_bytes = 1 << 20;
      (void)uprank::fetch::read_zip(input, limits);
    }
  }
  return 0;
}
