#include <algorithm>
#include <cctype>

#include "engine/inventory/purl.h"
#include "engine/vex/vex.h"

namespace uprank::vex {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Returns whether statement purl `wanted` names the component purl `have`: the same
// package (letter case as the type's registry compares it); the version and each
// qualifier, when `wanted` gives them, equal.
bool purl_names(const inventory::PackageUrl& wanted, const inventory::PackageUrl& have) {
  if (!inventory::same_package(wanted, have)) return false;
  if (!wanted.version.empty() && wanted.version != have.version) return false;
  for (const auto& [key, value] : wanted.qualifiers) {
    auto it = have.qualifiers.find(key);
    if (it == have.qualifiers.end() || it->second != value) return false;
  }
  return true;
}

bool names(std::string_view identifier, const inventory::Component& component,
           const std::optional<inventory::PackageUrl>& component_purl) {
  if (identifier.empty()) return false;
  // A BOM-Link (urn:cdx:serial/version#bom-ref) names a bom-ref of another BOM.
  if (identifier.rfind("urn:cdx:", 0) == 0) {
    size_t hash = identifier.find('#');
    if (hash == std::string_view::npos) return false;
    identifier.remove_prefix(hash + 1);
  }
  for (const char* key : {"bom-ref", "spdx-id"}) {
    auto it = component.attributes.find(key);
    if (it != component.attributes.end() && it->second == identifier) return true;
  }
  if (!component.cpe.empty() && identifier == component.cpe) return true;
  if (identifier.rfind("pkg:", 0) == 0 && component_purl) {
    auto wanted = inventory::PackageUrl::parse(identifier);
    return wanted.ok() && purl_names(*wanted, *component_purl);
  }
  return false;
}

// Returns whether a product named by its vendor's product name (CSAF) is `component`: the
// name is its product id, identity label or name, and its running version, read in the
// generic scheme as vendor product versions are, is the one named or in the range.
bool names_product(const Statement::NamedProduct& named, const inventory::Component& component) {
  if (!iequals(named.name, component.product) && !iequals(named.name, component.identity.label) &&
      !iequals(named.name, component.name)) {
    return false;
  }
  if (named.version.empty() && named.range.empty()) return true;
  auto running = versions::Version::parse(versions::Scheme::kGeneric, component.version_text);
  if (!running.ok() || !component.pin.exact()) return false;  // not compared: no statement applies
  if (!named.version.empty()) {
    auto version = versions::Version::parse(versions::Scheme::kGeneric, named.version);
    return version.ok() && versions::compare(*version, *running) == 0;
  }
  auto range = versions::Range::parse_vers_or_native(versions::Scheme::kGeneric, named.range);
  return range.ok() && range->contains(*running);
}

}  // namespace

StatementIndex::StatementIndex(std::vector<Statement> statements) : statements_(std::move(statements)) {}

std::vector<size_t> StatementIndex::naming(const inventory::Component& component) const {
  std::optional<inventory::PackageUrl> purl;
  if (!component.purl.empty()) {
    if (auto parsed = inventory::PackageUrl::parse(component.purl); parsed.ok()) purl = std::move(parsed.value());
  }
  std::vector<size_t> found;
  for (size_t i = 0; i < statements_.size(); ++i) {
    const Statement& statement = statements_[i];
    if (!statement.only_file.empty() && statement.only_file != component.location.file) continue;
    const auto& identifiers = statement.subcomponents.empty() ? statement.products : statement.subcomponents;
    if (std::any_of(identifiers.begin(), identifiers.end(),
                    [&](const std::string& id) { return names(id, component, purl); }) ||
        std::any_of(statement.named.begin(), statement.named.end(),
                    [&](const Statement::NamedProduct& named) { return names_product(named, component); })) {
      found.push_back(i);
    }
  }
  return found;
}

size_t StatementIndex::in_force(const std::vector<size_t>& candidates, const std::vector<std::string>& ids,
                                std::vector<size_t>* sharing) const {
  size_t best = SIZE_MAX;
  for (size_t i : candidates) {
    const Statement& statement = statements_[i];
    bool shares = std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
      if (iequals(id, statement.vulnerability)) return true;
      return std::any_of(statement.aliases.begin(), statement.aliases.end(),
                         [&](const std::string& alias) { return iequals(id, alias); });
    });
    if (shares && sharing) sharing->push_back(i);
    if (shares && (best == SIZE_MAX || statement.time >= statements_[best].time)) best = i;
  }
  return best;
}

}  // namespace uprank::vex
