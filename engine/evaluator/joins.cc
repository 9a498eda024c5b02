#include "engine/evaluator/joins.h"

#include <algorithm>

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
  const facts::KevEntry* kev = nullptr;
  const facts::EpssScore* epss = nullptr;
  for (const std::string& id : advisory.all_ids()) {
    if (auto found = facts_.kev.find(id); found != facts_.kev.end() && kev == nullptr) kev = &found->second;
    if (auto found = facts_.epss.find(id); found != facts_.epss.end()) {
      if (epss == nullptr || found->second.score > epss->score) epss = &found->second;
    }
  }
  for (const auto& package : advisory.affected) {
    auto ranges = std::make_shared<std::vector<IndexedRange>>();
    for (const facts::AffectedRange& range : package.ranges) {
      if (!range.range) continue;  // e.g. GIT ranges: commits, not versions
      IndexedRange indexed{&*range.range, {}};
      for (const auto& event : range.events) {
        if (event.kind != "fixed") continue;
        auto fix = versions::Version::parse(range.range->scheme(), event.version);
        if (fix.ok()) indexed.fixes.push_back(std::move(fix.value()));
      }
      ranges->push_back(std::move(indexed));
    }
    Entry entry{&advisory, &package, declared, ranges, kev, epss};
    std::string name_key = lower(package.name);
    std::string purl_key = package.purl.empty() ? "" : purl_base(package.purl);
    if (!name_key.empty()) by_key_[name_key].push_back(entry);
    if (!purl_key.empty() && purl_key != name_key) by_key_[purl_key].push_back(entry);
  }
}

bool AdvisoryIndex::affects(const Entry& entry, const inventory::Component& component,
                            std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                            std::optional<versions::Version>& fixed) {
  const facts::AffectedPackage& package = *entry.package;
  if (package.ranges.empty() && package.versions.empty()) return true;
  if (std::find(package.versions.begin(), package.versions.end(), component.version_text) != package.versions.end()) {
    return true;
  }
  bool affected = false;
  for (const IndexedRange& range : *entry.ranges) {
    auto& running = running_by_scheme[static_cast<size_t>(range.range->scheme())];
    if (!running) running = version_in(component, range.range->scheme());  // once per scheme
    if (!*running || !range.range->contains(**running)) continue;
    affected = true;
    for (const versions::Version& fix : range.fixes) {
      if (versions::compare(**running, fix) >= 0) continue;
      if (!fixed || versions::compare(fix, *fixed) < 0) fixed = fix;
    }
  }
  return affected;
}

std::vector<const std::vector<AdvisoryIndex::Entry>*> AdvisoryIndex::entries_of(
    const inventory::Component& component) const {
  std::array<std::string, 3> keys = {lower(component.product), lower(component.name),
                                     component.purl.empty() ? "" : purl_base(component.purl)};
  std::vector<const std::vector<Entry>*> found;
  for (size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].empty() || std::find(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(k), keys[k]) !=
                               keys.begin() + static_cast<std::ptrdiff_t>(k)) {
      continue;  // empty or already looked up
    }
    auto it = by_key_.find(keys[k]);
    if (it != by_key_.end()) found.push_back(&it->second);
  }
  return found;
}

std::string AdvisoryIndex::match_key(const inventory::Component& component) const {
  std::vector<const std::vector<Entry>*> entries = entries_of(component);
  if (entries.empty()) return "";
  std::string key(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof(entries[0]));
  key += static_cast<char>(component.scheme);
  key += std::to_string(component.version_text.size()) + ":" + component.version_text;
  if (component.version) {
    key += static_cast<char>(component.version->scheme());
    key += component.version->text();
  }
  return key;
}

std::vector<compiler::AdvisoryMatch> AdvisoryIndex::match(const inventory::Component& component) const {
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> running_by_scheme;
  std::vector<compiler::AdvisoryMatch> matches;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      std::optional<versions::Version> fixed;
      if (!affects(entry, component, running_by_scheme, fixed)) continue;
      auto same = std::find_if(matches.begin(), matches.end(),
                               [&](const compiler::AdvisoryMatch& m) { return m.advisory == entry.advisory; });
      if (same != matches.end()) {
        // Another package entry of the same advisory matched too: keep the lowest fix.
        if (fixed && (!same->fixed || versions::compare(*fixed, *same->fixed) < 0)) same->fixed = std::move(fixed);
        continue;
      }
      compiler::AdvisoryMatch match;
      match.advisory = entry.advisory;
      match.fixed = std::move(fixed);
      match.kev = entry.kev;
      match.epss = entry.epss;
      if (entry.declared != nullptr) {
        match.declared_exploited = entry.declared->exploited;
        match.declared_exploited_since = entry.declared->exploited_since;
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
