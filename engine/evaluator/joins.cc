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
  // A line, range, digest or floating pin has no running version: not checked.
  if (component.version_text.empty() || !component.pin.exact()) return std::nullopt;
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

std::optional<versions::Version> generic_version(std::string_view text) {
  auto parsed = versions::Version::parse(versions::Scheme::kGeneric, text);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.value());
}

// Returns <0, 0 or >0 as `version`'s major.minor.patch sorts before, inside or after the
// cycle `cycle` (missing numbers count as 0).
int compare_to_cycle(const versions::Version& version, const versions::Version& cycle) {
  const std::optional<int64_t> mine[] = {version.major(), version.minor(), version.patch()};
  const std::optional<int64_t> theirs[] = {cycle.major(), cycle.minor(), cycle.patch()};
  for (size_t i = 0; i < 3 && theirs[i]; ++i) {
    int64_t a = mine[i].value_or(0), b = *theirs[i];
    if (a != b) return a < b ? -1 : 1;
  }
  return 0;
}

// The newest cycle inside a line coarser than the product's cycles (the floating tag
// "redis:7" points at 7.4, not 7.0).
const facts::EolCycle* newest_cycle_in_line(const facts::EolProduct& product, std::string_view line) {
  const facts::EolCycle* newest = nullptr;
  std::optional<versions::Version> newest_version;
  for (const facts::EolCycle& cycle : product.cycles) {
    auto version = generic_version(cycle.cycle);
    if (!version || !versions::in_cycle(*version, line)) continue;
    if (!newest_version || versions::compare(*version, *newest_version) > 0) {
      newest = &cycle;
      newest_version = std::move(version);
    }
  }
  return newest;
}

}  // namespace

const facts::EolCycle* eol_cycle_of(const facts::FactSet& facts, const inventory::Component& component, Date today,
                                    std::deque<facts::EolCycle>& before_known) {
  using Kind = inventory::Component::VersionPin::Kind;
  if (component.product.empty()) return nullptr;
  auto product = facts.products.find(component.product);
  if (product == facts.products.end()) return nullptr;
  const inventory::Component::VersionPin& pin = component.pin;
  std::optional<versions::Version> version;  // the version that decides
  switch (pin.kind) {
    case Kind::kExact:
      version = component.version;
      break;
    case Kind::kCycle:
      if (pin.cycle.empty()) return facts.find_cycle_by_codename(component.product, pin.codename, today);
      version = generic_version(pin.cycle);
      if (version && !facts.find_cycle(component.product, *version)) {
        if (const facts::EolCycle* newest = newest_cycle_in_line(product->second, pin.cycle)) return newest;
      }
      break;
    case Kind::kRange:
      version = generic_version(pin.lowest);
      break;
    case Kind::kDigest:
    case Kind::kUnknown:
      return nullptr;
  }
  if (!version) return nullptr;
  if (const facts::EolCycle* cycle = facts.find_cycle(component.product, *version)) return cycle;
  // Older than the oldest cycle the data knows: long past its end of life.
  const facts::EolCycle* oldest = nullptr;
  std::optional<versions::Version> oldest_version;
  for (const facts::EolCycle& cycle : product->second.cycles) {
    auto cycle_version = generic_version(cycle.cycle);
    if (!cycle_version || !cycle_version->major()) continue;
    if (!oldest_version || compare_to_cycle(*cycle_version, *oldest_version) < 0) {
      oldest = &cycle;
      oldest_version = std::move(cycle_version);
    }
  }
  if (oldest == nullptr || compare_to_cycle(*version, *oldest_version) >= 0) return nullptr;
  facts::EolCycle& before = before_known.emplace_back();
  before.product = component.product;
  before.cycle = component.cycle.empty() ? version->text() : component.cycle;
  before.security_ended_flag = true;
  before.active_ended_flag = true;
  before.evidence = oldest->evidence;
  before.evidence.id = component.product + "/" + before.cycle + " (older than the oldest known cycle, " + oldest->cycle + ")";
  return &before;
}

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
                            std::array<std::optional<std::optional<versions::Version>>, 8>& running_by_scheme,
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
  std::array<std::optional<std::optional<versions::Version>>, 8> running_by_scheme;
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
