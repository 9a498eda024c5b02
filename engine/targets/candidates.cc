#include "engine/targets/candidates.h"

#include <algorithm>

namespace uprank::targets {
namespace {

bool released_by(const std::optional<Date>& date, Date today) { return !date || *date <= today; }

}  // namespace

const facts::EolCycle* known_cycle(const facts::FactSet& facts, const std::string& product, const versions::Version& version,
                                   Date today) {
  const facts::EolCycle* cycle = facts.find_cycle(product, version);
  return cycle != nullptr && evaluator::known_by(cycle->released, today) ? cycle : nullptr;
}

std::string Candidate::describe_source() const {
  switch (source) {
    case Source::kRunning: return "running";
    case Source::kReleaseData: return "release-data";
    case Source::kCycleLatest: return "endoflife latest";
    case Source::kGithub: return "GitHub release " + note->repository + " " + note->tag;
    case Source::kFix: return "fixed in " + fixes->id;
  }
  return "";
}

const CandidateList& Candidates::of(const inventory::Component& component) {
  // Components that share product, scheme, repository and advisory entries share a list.
  std::string key = component.product + '\x1f' + std::string(versions::scheme_name(component.scheme));
  if (auto repository = component.attributes.find("repository"); repository != component.attributes.end()) {
    key += '\x1f' + repository->second;
  }
  if (advisories_ != nullptr) key += '\x1f' + advisories_->entries_key(component);
  Slot* slot;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& owned = cache_[key];
    if (!owned) owned = std::make_unique<Slot>();
    slot = owned.get();
  }
  std::call_once(slot->built, [&] { slot->list = std::make_unique<CandidateList>(gather(component)); });
  return *slot->list;
}

std::vector<Candidate> Candidates::gather(const inventory::Component& component) const {
  std::vector<Candidate> out;
  auto add = [&](std::string_view text, Candidate::Source source) -> Candidate* {
    // Go module versions carry a "v" that OSV's SEMVER events for Go leave out.
    std::string with_v;
    if (component.scheme == versions::Scheme::kGolang && !text.empty() && text.front() != 'v') {
      with_v = "v";
      with_v += text;
      text = with_v;
    }
    Candidate candidate;
    if (!versions::Version::parse_into(component.scheme, text, candidate.version)) return nullptr;
    // release-data and a cycle's latest are stable releases, whatever the scheme thinks of
    // "1.35-eks-17"; other sources may name a pre-release, a target only from a
    // pre-release of the same release (admissible()).
    bool stable = source == Candidate::Source::kReleaseData || source == Candidate::Source::kCycleLatest;
    candidate.prerelease = !stable && candidate.version.is_prerelease();
    candidate.source = source;
    if (!component.product.empty()) candidate.cycle = known_cycle(facts_, component.product, candidate.version, today_);
    out.push_back(std::move(candidate));
    return &out.back();
  };
  // A distro package's releases are its distro's fixes, never the upstream product's.
  const bool distro = is_distro_package(component);
  const bool listed = !distro && !component.product.empty() && facts_.released.count(component.product) > 0;
  const bool has_eol = !distro && !component.product.empty() && facts_.products.count(component.product) > 0;
  if (distro) {
    // nothing but the fixes below
  } else if (listed) {
    for (const facts::ProductRelease& release : facts_.released.at(component.product).versions) {
      if (released_by(release.date, today_)) add(release.version, Candidate::Source::kReleaseData);
    }
  } else if (auto product = facts_.products.find(component.product); product != facts_.products.end()) {
    // Each cycle's latest release stands in for a release list the data lacks.
    for (const facts::EolCycle& cycle : product->second.cycles) {
      if (!cycle.latest.empty() && released_by(cycle.latest_date, today_)) add(cycle.latest, Candidate::Source::kCycleLatest);
    }
  }
  for (const compiler::ReleaseMatch& release : distro ? std::vector<compiler::ReleaseMatch>()
                                                      : evaluator::match_releases(facts_, component)) {
    const facts::ReleaseNote& note = *release.release;
    if (note.prerelease || !released_by(note.published, today_)) continue;
    if (Candidate* added = add(note.version, Candidate::Source::kGithub)) added->note = &note;
  }
  // A version an advisory names as its fix was released to fix it (distro fixes are the
  // only released versions a distro package has here), unless the product's own release
  // data speaks for it: then an advisory naming a release the data lacks ("3.15.0" for a
  // Python that has none, "16.99") is not taken at its word. Fixes carry no date.
  if (advisories_ != nullptr && !listed && !has_eol) {
    for (const auto& fix : advisories_->fixes(component)) {
      if (Candidate* added = add(fix.version, Candidate::Source::kFix)) added->fixes = fix.advisory;
    }
  }
  // Ascending; of equal versions the first added (the most authoritative source) stays.
  // Release lists come newest first: reversed, they are nearly sorted already.
  std::reverse(out.begin(), out.end());
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    int order = versions::compare(a.version, b.version);
    return order < 0 || (order == 0 && a.source < b.source);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Candidate& a, const Candidate& b) { return versions::compare(a.version, b.version) == 0; }),
            out.end());
  return out;
}

}  // namespace uprank::targets
