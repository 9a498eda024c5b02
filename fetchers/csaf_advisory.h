// A CSAF 2.0 document as one Advisory fact, so a vendor bulletin meets the inventory like
// an OSV record or a declared `advisory` block.
#pragma once

#include <string>

#include "engine/facts/facts.h"
#include "fetchers/csaf.h"

namespace uprank::fetch {

// Returns the advisory a CSAF document states. Its id is document.tracking.id
// ("RHSA-2021:5186"), its aliases the vulnerabilities' CVEs, its summary the document
// title, its severity every CVSS vector of its scores. Products meet components the way
// declared `advisory` blocks do (docs/identity.md): by product name (the branch of category
// product_name, else the full product name without its version), compared in the generic
// scheme, at the product's service_pack, else its product_version. A relationship ("X as
// a component of Y") is judged as its component X. Per name:
//   - versions of known_affected, first_affected and last_affected products are affected;
//   - a fixed or first_fixed version is a fix: every version below the lowest fix of a name
//     is affected, but only when the document also names an affected version of it (Red
//     Hat lists fixed builds only; their older builds are not claimed here);
//   - known_not_affected and under_investigation products never produce an entry.
// `fetched_at` is the evidence time (ISO-8601 UTC); evidence source is "csaf".
facts::Advisory csaf_to_advisory(const CsafDocument& document, const std::string& fetched_at);

}  // namespace uprank::fetch
