#include "engine/facts/facts.h"

#include <cctype>

#include "engine/facts/lts.h"

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

const EolCycle* FactSet::find_cycle_by_codename(const std::string& product, std::string_view codename, Date today) const {
  auto it = products.find(product);
  if (it == products.end() || codename.empty()) return nullptr;
  if (codename == "lts/*") {
    // Cycles are listed newest first; the first LTS one (from its lts_from date on) wins.
    for (const EolCycle& cycle : it->second.cycles) {
      // A cycle released after the day is not there yet: the LTS line then is an older one.
      if (cycle.released && *cycle.released > today) continue;
      if (lts_on(cycle, today)) return &cycle;
    }
    return nullptr;
  }
  for (const EolCycle& cycle : it->second.cycles) {
    std::string_view first_word = std::string_view(cycle.codename).substr(0, cycle.codename.find(' '));
    if (first_word.size() != codename.size() || first_word.empty()) continue;
    bool same = true;
    for (size_t i = 0; i < codename.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(first_word[i])) == std::tolower(static_cast<unsigned char>(codename[i]));
    }
    if (same) return &cycle;
  }
  return nullptr;
}

std::optional<ProductRelease> FactSet::latest_known_on(const EolCycle& cycle, Date day) const {
  if (!cycle.latest.empty() && (!cycle.latest_date || *cycle.latest_date <= day)) {
    return ProductRelease{cycle.latest, cycle.latest_date};
  }
  auto listed = released.find(cycle.product);
  if (listed == released.end()) return std::nullopt;
  std::optional<ProductRelease> newest;
  std::optional<versions::Version> newest_version;
  for (const ProductRelease& release : listed->second.versions) {
    // Only a dated release is known to have been out on a past day.
    if (!release.date || *release.date > day) continue;
    auto version = versions::Version::parse(versions::Scheme::kGeneric, release.version);
    if (!version.ok() || find_cycle(cycle.product, *version) != &cycle) continue;
    if (!newest_version || versions::compare(*version, *newest_version) > 0) {
      newest = release;
      newest_version = std::move(version.value());
    }
  }
  return newest;
}

std::string advisory_key(const Advisory& advisory) {
  const std::string& source = advisory.evidence.source;
  if (source.empty() || source == "osv") return advisory.id;
  return advisory.id + '\x1f' + source;
}

std::vector<std::string> Advisory::all_ids() const {
  std::vector<std::string> ids;
  ids.reserve(aliases.size() + 1);
  ids.push_back(id);
  ids.insert(ids.end(), aliases.begin(), aliases.end());
  return ids;
}

}  // namespace uprank::facts
