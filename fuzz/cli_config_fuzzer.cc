// Fuzzes the whole uprank.yaml reader (sources, params, rules, inventory settings), as a
// checked-out repository may give it: any input must give a configuration or printed
// errors, never a crash, a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uprank::cli::Config config;
  config.path = "/nonexistent/uprank.yaml";  // rule packs it names resolve to nothing
  config.shown_path = "uprank.yaml";
  (void)uprank::cli::parse_config_text(std::string(reinterpret_cast<const char*>(data), size), std::move(config));
  return 0;
}
