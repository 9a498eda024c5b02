// Feeds arbitrary text to every version and range parser (the first byte picks the
// scheme), then compares and tests membership, checking that compare is antisymmetric.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/versions/versions.h"

using uprank::versions::Range;
using uprank::versions::Scheme;
using uprank::versions::Version;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto& schemes = uprank::versions::all_schemes();
  Scheme scheme = schemes[data[0] % schemes.size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // "A\tB\tRANGE": two versions and a range; missing parts are empty.
  size_t t1 = text.find('\t');
  std::string_view a = text.substr(0, t1);
  std::string_view rest = t1 == std::string_view::npos ? std::string_view() : text.substr(t1 + 1);
  size_t t2 = rest.find('\t');
  std::string_view b = rest.substr(0, t2);
  std::string_view range_text = t2 == std::string_view::npos ? rest : rest.substr(t2 + 1);

  auto va = Version::parse(scheme, a);
  auto vb = Version::parse(scheme, b);
  if (va.ok() && vb.ok()) {
    int ab = uprank::versions::compare(*va, *vb), ba = uprank::versions::compare(*vb, *va);
    if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) std::abort();
    if (uprank::versions::compare(*va, *va) != 0) std::abort();
    (void)uprank::versions::in_cycle(*va, b);
  }
  auto range = Range::parse(scheme, range_text);
  auto vers = Range::parse_vers(range_text);
  for (const auto* v : {&va, &vb}) {
    if (!v->ok()) continue;
    if (range.ok()) (void)range->contains(**v);
    if (vers.ok()) (void)vers->contains(**v);
  }
  auto osv = Range::from_osv_events(scheme, {{"introduced", std::string(a)}, {"fixed", std::string(b)}});
  if (osv.ok() && va.ok()) (void)osv->contains(*va);
  return 0;
}
