// The released versions a component could upgrade to, gathered once per identity and
// shared by every component of that identity (a fleet runs one product in many places),
// across solving threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/evaluator/joins.h"
#include "engine/facts/facts.h"
#include "engine/inventory/component.h"
#include "engine/versions/versions.h"

namespace uprank::targets {

// Whether versions of `scheme` are a distro's package versions (deb, rpm, apk): their
// releases are their distro's fixes, their line is the distro release.
inline bool is_distro_scheme(versions::Scheme scheme) {
  return scheme == versions::Scheme::kDeb || scheme == versions::Scheme::kRpm || scheme == versions::Scheme::kApk;
}

// Whether `component` is its distro's package, whose releases are its distro's fixes and
// whose support is its distro release's: a distro scheme, except a third-party apt
// repository's build (attribute apt_repository, docs/identity.md), which follows upstream.
inline bool is_distro_package(const inventory::Component& component) {
  return is_distro_scheme(component.scheme) && component.attributes.count("apt_repository") == 0;
}

// Returns the end-of-life cycle of `product` that `version` belongs to, when the cycle was
// released by `today` (evaluator::known_by): a line released after the day does not exist
// on it, so no version is supported by it then. nullptr when none.
const facts::EolCycle* known_cycle(const facts::FactSet& facts, const std::string& product, const versions::Version& version,
                                   Date today);

// One released version, read in the component's scheme; its text is version.text(), as
// its source publishes it.
struct Candidate {
  enum class Source : uint8_t { kRunning, kReleaseData, kCycleLatest, kGithub, kFix };
  versions::Version version;
  Source source = Source::kReleaseData;
  const facts::EolCycle* cycle = nullptr;    // its end-of-life cycle, when the product has EOL data and
                                             // the cycle was released by today (known_cycle)
  const facts::Advisory* fixes = nullptr;    // kFix: the advisory naming it as its fix
  const facts::ReleaseNote* note = nullptr;  // kGithub: the release
  bool prerelease = false;                    // a pre-release ("1.0.0-rc2" named as a fix)

  const std::string& text() const { return version.text(); }
  // "release-data", "endoflife latest", "fixed in GHSA-…", "GitHub release owner/repo v1.2.3", "running".
  std::string describe_source() const;
};

// Returns whether `candidate` may be a target for a component running `running`: a
// release always; a pre-release only when what runs is a pre-release of the same release
// (a fix in "1.0.0-rc2" is the upgrade for "1.0.0-rc1", never for "0.9.0"), as
// node-semver admits pre-releases only within their own [major, minor, patch].
inline bool admissible(const Candidate& candidate, const versions::Version& running) {
  return !candidate.prerelease || (running.is_prerelease() && versions::same_release(candidate.version, running));
}

// The candidates of one identity, ascending, with whether an advisory affects each: the
// same for every component sharing the list (same scheme and advisory entries), so
// asked once per list, by whichever thread asks first.
class CandidateList {
 public:
  explicit CandidateList(std::vector<Candidate> candidates)
      : candidates_(std::move(candidates)),
        affected_(new std::atomic<int8_t>[candidates_.size()]),
        affecting_(new Affecting[candidates_.size()]) {
    for (size_t i = 0; i < candidates_.size(); ++i) affected_[i].store(-1, std::memory_order_relaxed);
  }
  const std::vector<Candidate>& candidates() const { return candidates_; }
  // Returns whether candidate `i` is affected, computing it with `ask` the first time.
  template <typename Ask>
  bool affected(size_t i, Ask ask) const {
    int8_t known = affected_[i].load(std::memory_order_relaxed);
    if (known < 0) {
      known = ask(candidates_[i]) ? 1 : 0;
      affected_[i].store(known, std::memory_order_relaxed);
    }
    return known == 1;
  }
  // Returns the advisories affecting candidate `i`, sorted by address, computing them
  // with `ask` the first time: the solver's second look at a walk (advisories no release
  // escapes) reads them for every candidate of every component sharing the list.
  template <typename Ask>
  const std::vector<const facts::Advisory*>& affecting(size_t i, Ask ask) const {
    Affecting& slot = affecting_[i];
    std::call_once(slot.built, [&] {
      slot.advisories = ask(candidates_[i]);
      std::sort(slot.advisories.begin(), slot.advisories.end());
    });
    return slot.advisories;
  }

 private:
  struct Affecting {
    std::once_flag built;
    std::vector<const facts::Advisory*> advisories;
  };
  std::vector<Candidate> candidates_;
  std::unique_ptr<std::atomic<int8_t>[]> affected_;
  std::unique_ptr<Affecting[]> affecting_;
};

// Gathers and caches candidate lists; safe to share between threads.
class Candidates {
 public:
  Candidates(const facts::FactSet& facts, const evaluator::AdvisoryIndex* advisories, Date today)
      : facts_(facts), advisories_(advisories), today_(today) {}

  // Returns the released versions known for `component`'s product and identity, in
  // ascending order, without repeats (the most authoritative source wins), none
  // published after today. Pre-releases (marked) are kept for admissible() to judge
  // against the running version. The list lives as long as this object.
  const CandidateList& of(const inventory::Component& component);

 private:
  std::vector<Candidate> gather(const inventory::Component& component) const;

  const facts::FactSet& facts_;
  const evaluator::AdvisoryIndex* advisories_;
  Date today_;
  struct Slot {
    std::once_flag built;
    std::unique_ptr<CandidateList> list;
  };
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Slot>> cache_;  // by identity key
};

}  // namespace uprank::targets
