#include "engine/evaluator/joins.h"

#include <algorithm>
#include <set>

namespace uprank::evaluator {
namespace {

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

// Returns the version of `component` read in `scheme`, reusing the parsed one when the
// schemes agree.
// A generic "12.4" read as semver is "12.4.0": dotted numbers from hand-written
// inventories are padded, as node-semver's coerce does, before matching semver ranges.
std::optional<versions::Version> version_in(const inventory::Component& component, versions::Scheme scheme) {
  if (component.version && component.version->scheme() == scheme) return component.version;
  if (component.version_text.empty()) return std::nullopt;
  auto parsed = versions::Version::parse(scheme, component.version_text);
  if (parsed.ok()) return std::move(parsed.value());
  bool semver_like = scheme == versions::Scheme::kSemver || scheme == versions::Scheme::kNpm;
  if (!semver_like || component.scheme != versions::Scheme::kGeneric) return std::nullopt;
  const std::string& text = component.version_text;
  size_t digits_end = text.find_first_not_of("0123456789.");
  std::string numbers = text.substr(0, digits_end);
  int dots = static_cast<int>(std::count(numbers.begin(), numbers.end(), '.'));
  if (numbers.empty() || numbers.back() == '.' || dots >= 2) return std::nullopt;
  for (; dots < 2; ++dots) numbers += ".0";
  auto padded = versions::Version::parse(scheme, numbers + (digits_end == std::string::npos ? "" : text.substr(digits_end)));
  if (!padded.ok()) return std::nullopt;
  return std::move(padded.value());
}

// Returns whether `package` affects `component`, and the lowest fixed version above it.
bool affects(const facts::AffectedPackage& package, const inventory::Component& component,
             std::optional<versions::Version>& fixed) {
  if (package.ranges.empty() && package.versions.empty()) return true;
  if (std::find(package.versions.begin(), package.versions.end(), component.version_text) != package.versions.end()) {
    return true;
  }
  bool affected = false;
  for (const facts::AffectedRange& range : package.ranges) {
    if (!range.range) continue;  // e.g. GIT ranges: commits, not versions
    std::optional<versions::Version> running = version_in(component, range.range->scheme());
    if (!running || !range.range->contains(*running)) continue;
    affected = true;
    for (const auto& event : range.events) {
      if (event.kind != "fixed") continue;
      auto fix = versions::Version::parse(running->scheme(), event.version);
      if (!fix.ok() || versions::compare(*running, fix.value()) >= 0) continue;
      if (!fixed || versions::compare(fix.value(), *fixed) < 0) fixed = std::move(fix.value());
    }
  }
  return affected;
}

}  // namespace

std::string purl_base(const std::string& purl) {
  size_t end = purl.find_first_of("@?#");
  std::string base = purl.substr(0, end == std::string::npos ? purl.size() : end);
  size_t slash = base.find('/');
  if (base.rfind("pkg:", 0) == 0 && slash != std::string::npos) {
    base = lower(base.substr(0, slash)) + base.substr(slash);
  }
  return base;
}

AdvisoryIndex::AdvisoryIndex(const facts::FactSet& facts, const std::vector<compiler::DeclaredAdvisory>& declared)
    : facts_(facts) {
  for (const auto& [id, advisory] : facts.advisories) {
    if (!advisory.withdrawn) add(advisory, nullptr);
  }
  for (const auto& item : declared) add(item.advisory, &item);
}

void AdvisoryIndex::add(const facts::Advisory& advisory, const compiler::DeclaredAdvisory* declared) {
  for (const auto& package : advisory.affected) {
    std::set<std::string> keys = {lower(package.name)};
    if (!package.purl.empty()) keys.insert(purl_base(package.purl));
    for (const auto& key : keys) {
      if (!key.empty()) by_key_[key].push_back(Entry{&advisory, &package, declared});
    }
  }
}

std::vector<compiler::AdvisoryMatch> AdvisoryIndex::match(const inventory::Component& component) const {
  std::set<std::string> keys;
  if (!component.product.empty()) keys.insert(lower(component.product));
  keys.insert(lower(component.name));
  if (!component.purl.empty()) keys.insert(purl_base(component.purl));
  std::vector<compiler::AdvisoryMatch> matches;
  std::set<const facts::Advisory*> seen;
  for (const auto& key : keys) {
    auto it = by_key_.find(key);
    if (it == by_key_.end()) continue;
    for (const Entry& entry : it->second) {
      std::optional<versions::Version> fixed;
      if (!affects(*entry.package, component, fixed)) continue;
      if (!seen.insert(entry.advisory).second) {
        // Another package entry of the same advisory matched too: keep the lowest fix.
        for (auto& match : matches) {
          if (match.advisory == entry.advisory && fixed && (!match.fixed || versions::compare(*fixed, *match.fixed) < 0)) {
            match.fixed = fixed;
          }
        }
        continue;
      }
      compiler::AdvisoryMatch match;
      match.advisory = entry.advisory;
      match.fixed = std::move(fixed);
      if (entry.declared != nullptr) {
        match.declared_exploited = entry.declared->exploited;
        match.declared_exploited_since = entry.declared->exploited_since;
      }
      for (const std::string& id : entry.advisory->all_ids()) {
        if (auto kev = facts_.kev.find(id); kev != facts_.kev.end() && match.kev == nullptr) match.kev = &kev->second;
        if (auto epss = facts_.epss.find(id); epss != facts_.epss.end()) {
          if (match.epss == nullptr || epss->second.score > match.epss->score) match.epss = &epss->second;
        }
      }
      matches.push_back(std::move(match));
    }
  }
  std::sort(matches.begin(), matches.end(), [](const compiler::AdvisoryMatch& a, const compiler::AdvisoryMatch& b) {
    return a.advisory->id < b.advisory->id;
  });
  return matches;
}

std::vector<compiler::ReleaseMatch> match_releases(const facts::FactSet& facts, const inventory::Component& component) {
  std::vector<compiler::ReleaseMatch> matches;
  const std::vector<facts::ReleaseNote>* releases = nullptr;
  for (const std::string* key : {&component.product, &component.name}) {
    if (auto it = facts.releases.find(*key); !key->empty() && it != facts.releases.end()) {
      releases = &it->second;
      break;
    }
  }
  if (auto repository = component.attributes.find("repository"); releases == nullptr && repository != component.attributes.end()) {
    if (auto it = facts.releases.find(repository->second); it != facts.releases.end()) releases = &it->second;
  }
  if (releases == nullptr) return matches;
  for (const facts::ReleaseNote& release : *releases) {
    compiler::ReleaseMatch match;
    match.release = &release;
    auto version = versions::Version::parse(component.scheme, release.version);
    if (version.ok()) match.version = std::move(version.value());
    matches.push_back(std::move(match));
  }
  std::stable_sort(matches.begin(), matches.end(), [](const compiler::ReleaseMatch& a, const compiler::ReleaseMatch& b) {
    if (!a.version || !b.version) return a.version.has_value() && !b.version.has_value();
    return versions::compare(*a.version, *b.version) < 0;
  });
  return matches;
}

}  // namespace uprank::evaluator
