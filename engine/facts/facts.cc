#include "engine/facts/facts.h"

namespace uprank::facts {

const EolCycle* FactSet::find_cycle(const std::string& product, const versions::Version& version) const {
  auto it = products.find(product);
  if (it == products.end()) return nullptr;
  const EolCycle* best = nullptr;
  for (const EolCycle& cycle : it->second.cycles) {
    if (!versions::in_cycle(version, cycle.cycle)) continue;
    if (best == nullptr || cycle.cycle.size() > best->cycle.size()) best = &cycle;
  }
  return best;
}

std::vector<std::string> Advisory::all_ids() const {
  std::vector<std::string> ids;
  ids.reserve(aliases.size() + 1);
  ids.push_back(id);
  ids.insert(ids.end(), aliases.begin(), aliases.end());
  return ids;
}

}  // namespace uprank::facts
