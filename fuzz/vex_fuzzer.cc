// Fuzzes the VEX readers: any input must give statements or an error, never a crash or a
// hang; whatever was read is then looked up as the evaluator would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/vex/vex.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uprank::vex::Limits limits;
  limits.max_statements = 1000;
  auto openvex = uprank::vex::read_openvex(text, "fuzz.json", limits);
  auto cyclonedx = uprank::vex::read_cyclonedx_vex(text, "fuzz.json", true, limits);
  for (auto* document : {&openvex, &cyclonedx}) {
    if (!document->ok()) continue;
    uprank::vex::StatementIndex index(std::move((*document)->statements));
    uprank::inventory::Component component;
    component.purl = "pkg:apk/wolfi/git@2.39.0-r1?arch=armv7";
    component.location.file = "fuzz.json";
    component.attributes["bom-ref"] = "ref-1";
    (void)index.in_force(index.naming(component), {"CVE-2023-12345", "GHSA-jfh8-c2jp-5v3q"});
  }
  return 0;
}
