// The OSV identity of an inventory component: the one place `uprank fetch` decides what to
// ask osv.dev about a component, from the identity the inventory assigned
// (docs/identity.md).
#pragma once

#include <optional>

#include "engine/inventory/component.h"
#include "engine/inventory/product_map.h"
#include "fetchers/osv.h"

namespace uprank::cli {

// Returns the querybatch query for `component`, or nullopt when it has no identity OSV
// knows (say so to the user: it was not queried):
//  - a package of an OSV ecosystem asks that ecosystem, with its distro release
//    ("Debian:12": osv.dev ignores a purl's `distro` qualifier, google/osv.dev#3126) and
//    normalised name; distro packages ask about their source package and source version
//    (distro advisories name source packages); a distro package whose release is unknown
//    is not queried;
//  - a component that no package ecosystem names but the product map does (images,
//    native entries, engines) asks the product-level advisories naming its product
//    (`products.advisory_packages`: Bitnami's names), with its version.
std::optional<fetch::OsvQuery> osv_query_for(const inventory::Component& component,
                                             const inventory::ProductMap& products);

}  // namespace uprank::cli
