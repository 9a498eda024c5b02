// Joins facts to components once per evaluation: which advisories affect each
// component's running version, and which releases its product has.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/compiler/program.h"

namespace uprank::evaluator {

class AdvisoryIndex {
 public:
  AdvisoryIndex(const facts::FactSet& facts, const std::vector<compiler::DeclaredAdvisory>& declared);

  // Returns the advisories affecting `component`, ordered by advisory id. A version that
  // does not parse in an advisory's scheme is not matched (unknown, not affected).
  std::vector<compiler::AdvisoryMatch> match(const inventory::Component& component) const;

  // What match() reads of `component`, as a string: components with equal keys have
  // equal matches, so a fleet that runs one version in many places is matched once per
  // version. Empty when no advisory names the component.
  std::string match_key(const inventory::Component& component) const;

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
    const facts::KevEntry* kev = nullptr;      // joined once per advisory
    const facts::EpssScore* epss = nullptr;
  };
  void add(const facts::Advisory& advisory, const compiler::DeclaredAdvisory* declared);
  // The entry lists naming `component` (by product, name or purl), each once.
  std::vector<const std::vector<Entry>*> entries_of(const inventory::Component& component) const;
  // Returns whether the entry's package affects `component`, and the lowest fix above it.
  static bool affects(const Entry& entry, const inventory::Component& component,
                      std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                      std::optional<versions::Version>& fixed);

  const facts::FactSet& facts_;
  std::unordered_map<std::string, std::vector<Entry>> by_key_;  // lower-case name or purl without version
};

// Returns `purl` without version, qualifiers and subpath, with a lower-case type:
// "pkg:deb/debian/openssl@3.0.11?arch=amd64" -> "pkg:deb/debian/openssl".
std::string purl_base(const std::string& purl);

// Returns the releases of the component's product, oldest first.
std::vector<compiler::ReleaseMatch> match_releases(const facts::FactSet& facts, const inventory::Component& component);

}  // namespace uprank::evaluator
