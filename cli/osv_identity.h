// The OSV identity of an inventory component: the one place `uprank fetch` decides what to
// ask osv.dev about a component, until inventory::Component carries its ecosystem, name and
// distro release as data (then only this function's body changes).
#pragma once

#include <optional>

#include "engine/inventory/component.h"
#include "fetchers/osv.h"

namespace uprank::cli {

// Returns the querybatch query for `component`, or nullopt when it has no identity OSV
// knows (say so to the user: it was not queried):
//  - a package URL of a type osv.dev reads (pypi, npm, golang, cargo, maven, gem, nuget,
//    composer, hex, pub, deb, apk, …) is sent as a purl, with the component's version when
//    the purl has none; dpkg packages ask about their source package (Debian's advisories
//    name source packages); qualifiers other than `distro` are dropped (osv.dev answers a
//    purl with `arch` with nothing: google/osv.dev#1321);
//  - a Bitnami image (`pkg:docker/bitnami/redis@7.2`) asks ecosystem Bitnami by name;
//  - any other component mapped to a product asks the product-level advisories of
//    ecosystem Bitnami by product id and version (they name upstream versions).
std::optional<fetch::OsvQuery> osv_query_for(const inventory::Component& component);

}  // namespace uprank::cli
