// Joins facts to components once per evaluation: the end-of-life cycle each component's
// version pin names, which advisories affect its running version, and which releases
// its product has.
#pragma once

#include <array>
#include <map>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/compiler/program.h"
#include "engine/evaluator/evaluator.h"
#include "engine/inventory/product_map.h"

namespace uprank::evaluator {

// Whether a fact published on `published` is known on `day`: what is not known on a day
// does not exist on it (a past --today replays that day's knowledge: a KEV entry added,
// an advisory published, a cycle or a release released after it are not there yet). A
// fact without a publication date is known on every day. The one rule every join as of
// a day applies (AdvisoryIndex, eol_cycle_of, match_releases).
inline bool known_by(const std::optional<Date>& published, Date day) { return !published || *published <= day; }

// Returns the end-of-life cycle `component` runs, judged from its pin (docs/inventory.md,
// "Version pins"): an exact version's cycle; a line pin's cycle, or when the line is
// coarser than the product's cycles ("redis:7") the newest cycle in it, where the tag
// points; a codename's cycle ("bookworm", "lts/*" as of `today`); a range's oldest
// allowed cycle. A version older than every known cycle gets the made-up cycle of its
// product and line from `before_known`, added on first use: unsupported, without an end
// date. A distro package (a Debian, Ubuntu, Alpine... identity) lives as long as its distro
// release does, whatever upstream's lines: its cycle is the release's (distro_release_cycle),
// made up once per release in `before_known` and named for it ("(Debian 12)"), without
// upstream's or the distro's point release as its latest (the distro's fixes are its
// releases). nullptr when nothing is known, or the cycle was not released by `known_on` (by
// `today` when not given). The cycle is as known on that day: when its `latest` was
// released after it, a copy made once per cycle in `before_known` carries the newest
// release known then instead (FactSet::latest_known_on), or none.
const facts::EolCycle* eol_cycle_of(const facts::FactSet& facts, const inventory::Component& component, Date today,
                                    facts::MadeUpCycles& before_known, std::optional<Date> known_on = std::nullopt);

// Returns the endoflife.date product of a distro package's distro ("Debian" is debian,
// "Alpine" alpine-linux), or "" for a component that no distro ecosystem names.
std::string distro_product(const inventory::Identity& identity);

// Returns the end-of-life cycle of a distro package's release ("Debian" "12" is debian/12,
// "Ubuntu" "22.04:LTS" is ubuntu/22.04, "Alpine" "v3.19" is alpine-linux/3.19), or null.
const facts::EolCycle* distro_release_cycle(const facts::FactSet& facts, const inventory::Identity& identity);

// Returns the last day through which eol_cycle_of(facts, component, day) names the cycle
// it names on `today`: compiler::never() but for a pin "lts/*", whose cycle is the newest that
// is LTS on the day, and may change the day a newer cycle's LTS starts.
Date eol_cycle_same_through(const facts::FactSet& facts, const inventory::Component& component, Date today);

// Matches advisories to components by identity, as the OSV schema defines it: an
// `affected[]` entry applies only to its own ecosystem (and distro release) and its
// normalised package name, binary packages also through their source package. Product-
// level entries meet components through the product identity map: Bitnami's records,
// which describe the upstream product's own versions, meet every component of that
// product that runs upstream's versions (images, hosts, engines, tools, and language
// registry packages the map names, such as PyPI's django or Maven's tomcat-embed-core),
// never a distro's package (distros backport fixes under their own versions); vendor
// products (CPE, CSAF) meet only components that no package ecosystem names; declared
// `advisory` blocks meet a product id, or the label of a component no ecosystem names.
class AdvisoryIndex {
 public:
  // `products` resolves product-level advisory packages; the bundled map when null.
  // With `known_on`, only what was known that day (known_by) is indexed and joined: an
  // advisory published after it is left out, one withdrawn after it still stands, and a
  // KEV entry added or an EPSS score dated after it is not joined. nullopt: everything.
  AdvisoryIndex(const facts::FactSet& facts, const std::vector<compiler::DeclaredAdvisory>& declared,
                const inventory::ProductMap* products = nullptr, std::optional<Date> known_on = std::nullopt);

  // Returns the advisories affecting `component`, ordered by advisory id. A version that
  // does not parse in an advisory's scheme is not matched (unknown, not affected).
  std::vector<compiler::AdvisoryMatch> match(const inventory::Component& component) const;

  // What match() reads of `component`, as a string: components with equal keys have
  // equal matches, so a fleet that runs one version in many places is matched once per
  // version. Empty when no advisory names the component. Fills `coverage`, when given,
  // from the same lookups: whether the component could be checked at all.
  std::string match_key(const inventory::Component& component, AdvisoryCoverage* coverage = nullptr) const;

  // Returns the advisories that would affect `component` if it ran `candidate` (a
  // version as published, read in each advisory's scheme as the running version is),
  // ordered by id. Empty when none does or `candidate` parses in no advisory's scheme.
  std::vector<const facts::Advisory*> affecting(const inventory::Component& component, std::string_view candidate) const;
  // Returns whether affecting() would be non-empty, stopping at the first advisory.
  bool affected_at(const inventory::Component& component, std::string_view candidate) const;
  // Returns a key equal for components that meet the same advisory entries (and distro
  // release), whatever their versions; empty when no entry names the component.
  std::string entries_key(const inventory::Component& component) const;

  // A version an advisory names as fixing it, for a component's identity (and distro
  // release): a version that exists, which the target solver may recommend.
  struct Fix {
    std::string version;               // as the advisory writes it
    versions::Scheme scheme;           // the scheme of its range
    const facts::Advisory* advisory;
  };
  // Returns every `fixed` event of the entries naming `component`, in index order.
  std::vector<Fix> fixes(const inventory::Component& component) const;

  // How one advisory meets `component`, entry by entry (the advisory view): each entry
  // of the advisory (by id) found under one of the component's identity keys, judged at
  // its running version.
  struct Verdict {
    enum class Kind {
      kAffected,      // a range contains the running version, or the versions list names it
      kFixed,         // not affected, and a fix of the entry is at or below the running version
      kOutside,       // not affected: the version is outside every range and list
      kOtherRelease,  // the entry is for another distro release
      kNotCompared,   // the running version cannot be read in the entry's scheme (or is not exact)
    };
    Kind kind = Kind::kNotCompared;
    const facts::AffectedPackage* package = nullptr;
    std::string key;                          // what met: "Debian openssl", "product nginx", "name abc"
    std::optional<versions::Version> fixed;   // kAffected: the lowest fix above; kFixed: the highest fix at or below
  };
  // Returns the verdicts of `advisory`'s entries for `component`, in index order; empty
  // when no entry of it names the component's identity.
  std::vector<Verdict> judge(const inventory::Component& component, const facts::Advisory& advisory) const;

  // Returns whether every entry naming `component` (of its distro release) could compare
  // `candidate` (its running version when empty) and none affects it: a version an entry
  // cannot read is unknown there, never clean, so the target solver never calls it a target.
  bool clean_at(const inventory::Component& component, std::string_view candidate = {}) const;

  const AdvisorySkips& skips() const { return skips_; }

  // One `affected[]` entry naming a component's identity, and its verdict on the running
  // version (`uprank explain`: why each advisory matched or not).
  struct Considered {
    const facts::Advisory* advisory;
    const facts::AffectedPackage* package;
    bool affects;                          // as match() judges it
    std::optional<versions::Version> fixed;  // the lowest fix above the running version
  };
  // Returns every entry naming `component`, in index order, whether or not it affects it.
  std::vector<Considered> considered(const inventory::Component& component) const;

 private:
  // One range of an affected package, its fixed versions parsed once, here, rather than
  // for every component it is tested against.
  struct IndexedRange {
    const versions::Range* range;
    std::vector<versions::Version> fixes;  // in the range's scheme
  };
  struct Entry {
    const facts::Advisory* advisory;
    const facts::AffectedPackage* package;
    const compiler::DeclaredAdvisory* declared;  // null for fetched advisories
    std::shared_ptr<const std::vector<IndexedRange>> ranges;  // shared by the entry's keys
    std::shared_ptr<const std::vector<versions::Version>> listed;  // `versions`, parsed
    std::string release;                       // distro release the entry is for, or ""
    const facts::KevEntry* kev = nullptr;      // joined once per advisory
    const facts::EpssScore* epss = nullptr;
  };
  void add(const facts::Advisory& advisory, const compiler::DeclaredAdvisory* declared);
  // Whether a fact dated `published` is known on known_on_ (always without one).
  bool known(const std::optional<Date>& published) const;
  // The keys `component` is found under, most specific first, without repeats.
  std::vector<std::string> keys_of(const inventory::Component& component) const;
  // The entry lists naming `component`, each once.
  std::vector<const std::vector<Entry>*> entries_of(const inventory::Component& component) const;
  // Returns whether the entry's package affects `component`, and the lowest fix above it.
  static bool affects(const Entry& entry, const inventory::Component& component,
                      std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                      std::optional<versions::Version>& fixed, std::string_view candidate = {});
  // The one judgement of "could this entry compare this version", shared by the coverage
  // (match_key), the advisory view (judge) and the solver (clean_at): the entry names no
  // version (every version is affected), lists versions (compared as text), or a range's
  // or the package's scheme reads the version. The entry's release is not looked at.
  static bool compares(const Entry& entry, const inventory::Component& component,
                       std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                       std::string_view candidate = {});

  const facts::FactSet& facts_;
  const inventory::ProductMap& products_;
  const std::optional<Date> known_on_;
  std::unordered_map<std::string, std::vector<Entry>> by_key_;
  AdvisorySkips skips_;
};

// Returns the advisory package keys (inventory::advisory_package_key) under which an
// advisory can meet a component of `inventory`, sorted and unique: what a report asks the
// store for (fetch::load_store_facts). A superset of the package and product-level keys
// AdvisoryIndex finds components under: each component's ecosystem name and source
// package, and every product-level package (Bitnami, CPE) that `products` maps to its
// product. Declared advisories and vendor products no map names are not stored by
// package, so they need no key.
std::vector<std::string> advisory_packages_of(const inventory::Inventory& inventory, const inventory::ProductMap& products);

// Returns the releases of the component's product published by `known_on` (every one when
// nullopt), oldest first.
std::vector<compiler::ReleaseMatch> match_releases(const facts::FactSet& facts, const inventory::Component& component,
                                                   std::optional<Date> known_on = std::nullopt);

}  // namespace uprank::evaluator
