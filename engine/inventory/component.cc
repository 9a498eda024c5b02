#include "engine/inventory/component.h"

#include <algorithm>

namespace uprank::inventory {

bool related(const Component& a, const Component& b) {
  auto lists = [](const Component& from, const Component& to) {
    return std::find(from.depends_on.begin(), from.depends_on.end(), to.name) != from.depends_on.end();
  };
  if (!a.depends_on.empty() || !b.depends_on.empty()) return lists(a, b) || lists(b, a);
  if (!a.cluster.empty() && !b.cluster.empty()) return a.cluster == b.cluster;
  if (!a.environment.empty() && !b.environment.empty()) return a.environment == b.environment;
  return true;
}

}  // namespace uprank::inventory
