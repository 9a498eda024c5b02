// Fuzzes the version-file readers and user extractors: any input must give components or diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/inventory/readers.h"
#include <string>
#include "engine/inventory/extractors.h"
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using uprank::inventory::Format;
  for (Format format : {Format::kToolVersions, Format::kNvmrc, Format::kPythonVersion, Format::kTerraformVersion}) {
    (void)uprank::inventory::read_version_file(format, text, "f");
  }
  // The first line is an extractor pattern, the rest the text it runs on.
  size_t newline = text.find(10);
  if (newline != std::string_view::npos && newline < 256) {
    uprank::inventory::Extractor extractor{"*", std::string(text.substr(0, newline)), "n", "", "", {}};
    (void)uprank::inventory::run_extractor(extractor, text.substr(newline + 1), "f");
  }
  (void)uprank::inventory::parse_inventory_config(text, "uprank.yaml");
  return 0;
}
