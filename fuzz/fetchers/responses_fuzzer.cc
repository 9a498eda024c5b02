// Feeds arbitrary bytes to every source's parser; the first byte picks the source.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fetchers/to_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kSources[] = {"endoflife", "kev", "osv", "epss", "github"};
  uprank::fetch::RawResponse response;
  response.source = kSources[data[0] % 5];
  response.key = data[0] & 0x80 ? "csv/x" : "owner/repo";
  response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  uprank::facts::FactSet facts;
  (void)uprank::fetch::add_response_facts(response, facts);
  return 0;
}
