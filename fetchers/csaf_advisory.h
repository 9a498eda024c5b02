// A CSAF 2.0 document as one Advisory fact, so a vendor bulletin meets the inventory like
// an OSV record or a declared `advisory` block.
#pragma once

#include <string>

#include "engine/facts/facts.h"
#include "fetchers/csaf.h"

namespace uprank::fetch {

// Returns the advisory a CSAF document states. Its id is document.tracking.id
// ("RHSA-2021:5186"), its aliases the vulnerabilities' CVEs, its summary the document
// title, its severity every CVSS vector of its scores, its evidence URL the document's
// self reference (else the first vendor fix's URL, else its first other reference).
// Each product is matched by its identity (docs/identity.md), most specific helper first:
//   - a purl of a package ecosystem OSV names: an `affected[]` entry of that ecosystem
//     (with the distro release of the purl's `distro` qualifier or its version) and
//     package name, compared in the ecosystem's scheme (epoch from the `epoch` qualifier);
//   - else a CPE (2.2 URI or 2.3 string): ecosystem "CPE", name "vendor:product";
//   - else the vendor's product name (match_name): ecosystem "CSAF".
// CPE and CSAF entries compare in the generic scheme and meet the product the product
// map's `advisories:` names for them ("CPE:redhat:openshift"), else a component whose
// product id or name is the CPE's product or the product name (evaluator/joins.h). A
// relationship ("X as a component of Y") is judged as its component X. Per identity:
//   - versions (service_pack, else product_version, else the CPE's) of known_affected,
//     first_affected and last_affected products are affected, and their
//     product_version_range (vers: or a comparator list);
//   - a fixed or first_fixed version is a fix: every version below the lowest fix of an
//     identity is affected, and that version is the fix, which the target solver offers;
//     for a vendor product name or CPE only when the document also names an affected
//     version of it (older versions of a product named only as fixed are not claimed);
//   - known_not_affected and under_investigation products never produce an entry (read
//     them as VEX: fetchers/csaf_vex.h).
// Each entry lists the products behind it (AffectedPackage::entries: "ID (full name)").
// `fetched_at` is the evidence time (ISO-8601 UTC); evidence source is "csaf".
facts::Advisory csaf_to_advisory(const CsafDocument& document, const std::string& fetched_at);

}  // namespace uprank::fetch
