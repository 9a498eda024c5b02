// Fuzzes the custom extractors of uprank.yaml: the input's first line is the pattern (an
// RE2, as a repository's uprank.yaml gives it), the rest the file it runs over. Any input
// must give components or diagnostics, in time linear in the file, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/inventory/extractors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  uprank::inventory::Extractor extractor;
  extractor.glob = "**/versions.env";
  extractor.pattern = std::string(input.substr(0, newline));
  extractor.name = "fuzzed";
  extractor.scheme = "generic";
  std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  (void)uprank::inventory::run_extractor(extractor, text, "repo/versions.env");
  return 0;
}
