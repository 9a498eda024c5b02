// Feeds arbitrary bytes to every source's parser; the first byte picks the source (its low
// seven bits) and, for epss, the CSV or API form (its high bit). OSV bodies also go through
// the store's package index.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fetchers/osv.h"
#include "fetchers/to_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kSources[] = {"endoflife", "kev", "osv", "epss", "github", "endoflife-releases"};
  constexpr size_t kCount = sizeof kSources / sizeof kSources[0];
  const size_t pick = (data[0] & 0x7F) % kCount;
  uprank::fetch::RawResponse response;
  response.source = kSources[pick];
  // Keys as each source stores them: a product id for endoflife-releases (its parser
  // refuses anything else before reading the body), "csv/…" for the EPSS CSV.
  response.key = pick == 5 ? "debian" : (data[0] & 0x80 ? "csv/x" : "owner/repo");
  response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  uprank::facts::FactSet facts;
  (void)uprank::fetch::add_response_facts(response, facts);
  // What the store indexes an OSV record by (fetch::advisory_package_keys), under the id
  // the body names when it parses, so the key computation itself is reached.
  if (pick == 2) {
    if (auto parsed = uprank::fetch::parse_osv_record(response)) {
      response.key = parsed->id;
      (void)uprank::fetch::advisory_package_keys(response);
    }
  }
  return 0;
}
