#include "cli/osv_identity.h"

#include <string>

#include "engine/inventory/identity.h"

namespace uprank::cli {

std::optional<fetch::OsvQuery> osv_query_for(const inventory::Component& component,
                                             const inventory::ProductMap& products) {
  const inventory::Identity& identity = component.identity;
  if (component.version_text.empty()) return std::nullopt;
  if (!identity.ecosystem.empty()) {
    if (identity.name.empty()) return std::nullopt;
    fetch::OsvQuery query;
    query.version = component.version_text;
    query.name = identity.name;
    if (inventory::is_distro_ecosystem(identity.ecosystem)) {
      if (identity.release.empty()) return std::nullopt;
      if (!identity.source_name.empty()) {
        query.name = identity.source_name;
        auto source_version = component.attributes.find("source_version");
        if (source_version != component.attributes.end() && !source_version->second.empty()) {
          query.version = source_version->second;
        }
      }
    }
    query.ecosystem = identity.osv_ecosystem();
    return query;
  }
  if (!component.mapped()) return std::nullopt;
  for (const auto& [ecosystem, name] : products.advisory_packages(component.product)) {
    fetch::OsvQuery query;
    query.ecosystem = ecosystem;
    query.name = name;
    query.version = component.version_text;
    return query;
  }
  return std::nullopt;
}

}  // namespace uprank::cli
