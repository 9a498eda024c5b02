// Feeds arbitrary bytes to the CSAF 2.0 reader with a small product bound, so hostile
// trees, relationship chains and group references are explored quickly; what reads is
// turned into an advisory and into VEX statements, and a statement is looked up.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fetchers/csaf.h"
#include "fetchers/csaf_advisory.h"
#include "fetchers/csaf_vex.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  uprank::fetch::CsafLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_products = 1000;
  auto document = uprank::fetch::parse_csaf(input, "fuzz", limits);
  if (document.ok()) {
    (void)uprank::fetch::csaf_to_advisory(*document, "");
    uprank::vex::StatementIndex index(uprank::fetch::csaf_to_statements(*document, "fuzz").statements);
    uprank::inventory::Component component;
    component.name = component.product = component.identity.label = "abc";
    component.version_text = "4.2";
    (void)index.in_force(index.naming(component), {"CVE-2021-44228"});
  }
  (void)uprank::fetch::looks_like_csaf(input);
  return 0;
}
