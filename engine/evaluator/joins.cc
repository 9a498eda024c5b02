#include "engine/evaluator/joins.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "engine/inventory/identity.h"
#include "engine/inventory/version_pin.h"

namespace uprank::evaluator {
namespace {

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

// Returns the version of `component` read in `scheme`, reusing the parsed one when the
// schemes agree; with `candidate`, that version of the component instead of the running
// one (the target solver asks whether an upgrade would still be affected).
// A generic "12.4" read as semver is "12.4.0": dotted numbers from hand-written
// inventories are padded, as node-semver's coerce does, before matching semver ranges.
std::optional<versions::Version> version_in(const inventory::Component& component, versions::Scheme scheme,
                                            std::string_view candidate = {}) {
  if (candidate.empty()) {
    // Debian's and Ubuntu's advisories range over source package versions: a binary
    // "1:2.38.1-5+b1" built from util-linux 2.38.1-5 is judged as 2.38.1-5.
    if (scheme == versions::Scheme::kDeb && !component.identity.source_name.empty()) {
      if (auto source = component.attributes.find("source_version"); source != component.attributes.end()) {
        auto parsed = versions::Version::parse(scheme, source->second);
        if (parsed.ok()) return std::move(parsed.value());
      }
    }
    if (component.version && component.version->scheme() == scheme) return component.version;
    // A line, range, digest or floating pin has no running version: not checked.
    if (component.version_text.empty() || !component.pin.exact()) return std::nullopt;
  }
  // A third-party apt repository's build is upstream's release under a Debian version:
  // upstream's ranges read its upstream part ("16.4" of "16.4-1.pgdg120+1"), as dotted
  // numbers are read (docs/identity.md). Candidates from upstream's releases are upstream
  // versions already; the running version may come back as a candidate too.
  auto upstream = component.attributes.find("upstream_version");
  const bool apt_build = upstream != component.attributes.end() && scheme != versions::Scheme::kDeb;
  const bool running_version = candidate.empty() || candidate == component.version_text;
  const std::string_view version_text = apt_build && running_version ? std::string_view(upstream->second)
                                        : !candidate.empty()         ? candidate
                                                                     : std::string_view(component.version_text);
  std::string_view running = version_text;
  // Go module versions carry a "v" that OSV's SEMVER events for Go do not ("v1.2.3").
  if (component.scheme == versions::Scheme::kGolang && scheme == versions::Scheme::kSemver && !running.empty() &&
      running.front() == 'v') {
    running.remove_prefix(1);
  }
  auto parsed = versions::Version::parse(scheme, running);
  if (parsed.ok()) return std::move(parsed.value());
  bool semver_like = scheme == versions::Scheme::kSemver || scheme == versions::Scheme::kNpm;
  if (!semver_like || (component.scheme != versions::Scheme::kGeneric && !apt_build)) return std::nullopt;
  std::string_view text = version_text;
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);  // "v19.9.0"
  size_t digits_end = text.find_first_not_of("0123456789.");
  std::string numbers(text.substr(0, digits_end));
  std::string rest(digits_end == std::string_view::npos ? std::string_view() : text.substr(digits_end));
  int dots = static_cast<int>(std::count(numbers.begin(), numbers.end(), '.'));
  if (numbers.empty() || numbers.back() == '.') return std::nullopt;
  // A pre-release the generic scheme reads written on the number ("3.13.0rc2", "17beta3",
  // "1.23rc1") is semver's "-rc2": an rc image is before the release, not unreadable.
  bool attached = !rest.empty() && std::isalpha(static_cast<unsigned char>(rest[0])) != 0;
  if (attached) {
    auto generic = versions::Version::parse(versions::Scheme::kGeneric, text);
    if (generic.ok() && generic->is_prerelease()) rest = "-" + rest;
  }
  if (dots >= 2) {
    if (text.size() == version_text.size() && (rest.empty() || rest[0] != '-' || !attached)) {
      return std::nullopt;  // parsed above, and failed
    }
    auto stripped = versions::Version::parse(scheme, numbers + rest);
    if (!stripped.ok()) return std::nullopt;
    return std::move(stripped.value());
  }
  for (; dots < 2; ++dots) numbers += ".0";
  auto padded = versions::Version::parse(scheme, numbers + rest);
  if (!padded.ok()) return std::nullopt;
  return std::move(padded.value());
}

std::optional<versions::Version> generic_version(std::string_view text) {
  auto parsed = versions::Version::parse(versions::Scheme::kGeneric, text);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.value());
}

// Returns <0, 0 or >0 as `version`'s major.minor.patch sorts before, inside or after the
// cycle `cycle` (missing numbers count as 0). A number the version writes but that is too
// large for int64 ("99999999999999999999") is larger than any cycle's: digit strings
// compare by length first, as dpkg, rpm and node-semver compare them. It is never 0,
// which would make such a version older than every cycle and past its end of life.
int compare_to_cycle(const versions::Version& version, const versions::Version& cycle) {
  const std::optional<int64_t> mine[] = {version.major(), version.minor(), version.patch()};
  const std::optional<int64_t> theirs[] = {cycle.major(), cycle.minor(), cycle.patch()};
  const int written = inventory::number_parts(inventory::leading_number(version.text()));
  for (size_t i = 0; i < 3 && theirs[i]; ++i) {
    if (!mine[i] && static_cast<int>(i) < written) return 1;  // written, too large to hold
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

Date eol_cycle_same_through(const facts::FactSet& facts, const inventory::Component& component, Date today) {
  const inventory::Component::VersionPin& pin = component.pin;
  if (pin.kind != inventory::Component::VersionPin::Kind::kCycle || !pin.cycle.empty() || pin.codename != "lts/*") {
    return compiler::never();
  }
  auto product = facts.products.find(component.product);
  if (product == facts.products.end()) return compiler::never();
  Date last = compiler::never();
  for (const facts::EolCycle& cycle : product->second.cycles) {
    if (cycle.lts && cycle.lts_from && *cycle.lts_from > today) last = std::min(last, *cycle.lts_from + -1);
  }
  return last;
}

namespace {

// Whether an entry is an informational notice that no version escapes (RustSec's
// "unmaintained", an "unsound" API with no fix): it names versions but no flaw a release
// fixes, so it never makes a version unclean for the target solver (it would rule out
// every version). A notice with a fix (atom 0.3.5 unsound, fixed in 0.3.6) bounds targets
// as an advisory does.
template <typename Entry>
bool notice(const Entry& entry) {
  if (entry.advisory->informational.empty()) return false;
  for (const auto& range : *entry.ranges) {
    if (!range.fixes.empty()) return false;
  }
  return true;
}

// The cycle `component`'s pin names (eol_cycle_of), whenever it was released.
const facts::EolCycle* pinned_cycle(const facts::FactSet& facts, const inventory::Component& component, Date today,
                                    facts::MadeUpCycles& before_known) {
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
  // What follows depends only on the product and the line: made once per line.
  std::string line = component.cycle.empty() ? version->text() : component.cycle;
  auto [slot, added] = before_known.by_line.try_emplace({component.product, line}, nullptr);
  if (!added) return slot->second;
  facts::EolCycle& before = before_known.cycles.emplace_back();
  slot->second = &before;
  before.product = component.product;
  before.cycle = std::move(line);
  before.security_ended_flag = true;
  before.active_ended_flag = true;
  before.evidence = oldest->evidence;
  before.evidence.id = component.product + "/" + before.cycle + " (older than the oldest known cycle, " + oldest->cycle + ")";
  return &before;
}

}  // namespace

std::string distro_product(const inventory::Identity& identity) {
  static const std::pair<const char*, const char*> kProducts[] = {
      {"Debian", "debian"}, {"Ubuntu", "ubuntu"}, {"Alpine", "alpine-linux"}, {"Red Hat", "rhel"},
      {"Rocky Linux", "rocky-linux"}, {"AlmaLinux", "almalinux"}};
  for (const auto& [ecosystem, product] : kProducts) {
    if (identity.ecosystem == ecosystem) return product;
  }
  return {};
}

const facts::EolCycle* distro_release_cycle(const facts::FactSet& facts, const inventory::Identity& identity) {
  std::string product = distro_product(identity);
  std::string release = identity.release.substr(0, identity.release.find(':'));
  if (!release.empty() && release.front() == 'v') release.erase(0, 1);
  if (product.empty() || release.empty()) return nullptr;
  auto version = versions::Version::parse(versions::Scheme::kGeneric, release);
  return version.ok() ? facts.find_cycle(product, *version) : nullptr;
}

namespace {

// The cycle a distro package of a product lives in: its distro release's, under the
// release's name, without a latest version. Upstream's latest ("3.11.16" for python3.11)
// and the distro's point release ("12.15") are not versions of the package; its newer
// versions are the distro's fixes, which the advisories name. One per release, shared.
const facts::EolCycle* distro_package_cycle(const facts::FactSet& facts, const inventory::Component& component,
                                            facts::MadeUpCycles& made_up) {
  const facts::EolCycle* release = distro_release_cycle(facts, component.identity);
  if (release == nullptr) return nullptr;  // release unknown, or no end-of-life data for it
  auto [slot, added] = made_up.by_line.try_emplace({release->product, "distro package\x1f" + release->cycle}, nullptr);
  if (!added) return slot->second;
  facts::EolCycle& cycle = made_up.cycles.emplace_back(*release);
  slot->second = &cycle;
  cycle.cycle = "(" + component.identity.ecosystem + " " + release->cycle + ")";
  cycle.latest.clear();
  cycle.latest_date.reset();
  return &cycle;
}

}  // namespace

namespace {

// `cycle` as known on `day`: itself, or when its latest release came out after the day, a
// copy (one per cycle in `made_up`) whose latest is the newest release known then, or none.
const facts::EolCycle* cycle_as_known_on(const facts::FactSet& facts, const facts::EolCycle& cycle, Date day,
                                         facts::MadeUpCycles& made_up) {
  if (cycle.latest.empty() || known_by(cycle.latest_date, day)) return &cycle;
  auto [slot, added] = made_up.by_line.try_emplace({cycle.product, "known on\x1f" + cycle.cycle}, nullptr);
  if (!added) return slot->second;
  facts::EolCycle& copy = made_up.cycles.emplace_back(cycle);
  slot->second = &copy;
  auto known = facts.latest_known_on(cycle, day);
  copy.latest = known ? known->version : std::string();
  copy.latest_date = known ? known->date : std::nullopt;
  return &copy;
}

}  // namespace

const facts::EolCycle* eol_cycle_of(const facts::FactSet& facts, const inventory::Component& component, Date today,
                                    facts::MadeUpCycles& before_known, std::optional<Date> known_on) {
  // Only components with a product are judged by end-of-life data, distro packages too.
  const facts::EolCycle* cycle = component.product.empty()              ? nullptr
                                 : !distro_product(component.identity).empty() ? distro_package_cycle(facts, component, before_known)
                                                                        : pinned_cycle(facts, component, today, before_known);
  // A cycle released after the day is not known on it (made-up cycles have no date), nor
  // is a latest release that came out after it.
  const Date day = known_on.value_or(today);
  if (cycle == nullptr || !known_by(cycle->released, day)) return nullptr;
  return cycle_as_known_on(facts, *cycle, day, before_known);
}

namespace {

// Index keys: one per identity an advisory entry or a component can be found under.
std::string ecosystem_key(std::string_view base, std::string_view name) {
  return "e\x1f" + std::string(base) + "\x1f" + std::string(name);
}
std::string product_key(std::string_view product) { return "p\x1f" + std::string(product); }
// Product-level records of the upstream product's own versions (Bitnami's): they meet every
// component of the product that runs upstream's versions, a language registry's package too
// (PyPI's Django 4.2.9 is Django 4.2.9), never a distro's package (distros backport fixes).
std::string upstream_key(std::string_view product) { return "u\x1f" + std::string(product); }
// Advisories without an ecosystem (declared `advisory` blocks) name what the rule author
// calls it: a product id or the inventory's own name for the component.
std::string declared_key(std::string_view name) { return "d\x1f" + lower(std::string(name)); }

bool is_package(const inventory::Component& component) { return !component.identity.ecosystem.empty(); }

// A distro's package (dpkg, or a deb/rpm/apk purl), whatever distro: judged by its distro's
// advisories only, never by upstream product advisories (distros backport fixes).
bool is_distro_package(const inventory::Component& component) {
  // A third-party apt repository's build follows its upstream (docs/identity.md).
  if (component.attributes.count("apt_repository") > 0) return false;
  if (component.source == "dpkg") return true;
  for (const char* type : {"pkg:deb/", "pkg:rpm/", "pkg:apk/", "pkg:alpm/"}) {
    if (component.purl.rfind(type, 0) == 0) return true;
  }
  return false;
}

// Ecosystems whose "packages" are vendor products, met through the product map.
bool is_product_level(std::string_view ecosystem) { return ecosystem == "Bitnami"; }

// CSAF documents' vendor products (fetchers/csaf_advisory.h): "CPE" "vendor:product" and
// "CSAF" product names. The product map names them (`advisories: [CPE:vendor:product]`);
// one it does not name is what the vendor calls it, met like a declared advisory's name:
// the CPE's product part, or the product name.
bool is_vendor_product(std::string_view ecosystem) { return ecosystem == "CPE" || ecosystem == "CSAF"; }
std::string vendor_product_name(const facts::AffectedPackage& package) {
  if (package.ecosystem != "CPE") return package.name;
  size_t colon = package.name.find(':');
  return colon == std::string::npos ? package.name : package.name.substr(colon + 1);
}

}  // namespace

AdvisoryIndex::AdvisoryIndex(const facts::FactSet& facts, const std::vector<compiler::DeclaredAdvisory>& declared,
                             const inventory::ProductMap* products, std::optional<Date> known_on)
    : facts_(facts), products_(products != nullptr ? *products : inventory::ProductMap::bundled()), known_on_(known_on) {
  for (const auto& [key, advisory] : facts.advisories) add(advisory, nullptr);
  for (const auto& item : declared) add(item.advisory, &item);
}

bool AdvisoryIndex::known(const std::optional<Date>& published) const {
  return !known_on_ || known_by(published, *known_on_);
}

void AdvisoryIndex::add(const facts::Advisory& advisory, const compiler::DeclaredAdvisory* declared) {
  // Not yet published on the day: not there. Withdrawn by the day: must produce nothing;
  // withdrawn after it: it still stood that day.
  if (!known(advisory.published)) return;
  if (advisory.withdrawn && known(advisory.withdrawn)) return;
  const facts::KevEntry* kev = nullptr;
  const facts::EpssScore* epss = nullptr;
  for (const std::string& id : advisory.all_ids()) {
    if (auto found = facts_.kev.find(id); found != facts_.kev.end() && kev == nullptr && known(found->second.date_added)) {
      kev = &found->second;
    }
    if (auto found = facts_.epss.find(id); found != facts_.epss.end() && known(found->second.date)) {
      if (epss == nullptr || found->second.score > epss->score) epss = &found->second;
    }
  }
  for (const auto& package : advisory.affected) {
    auto ranges = std::make_shared<std::vector<IndexedRange>>();
    bool any_git = false;
    for (const facts::AffectedRange& range : package.ranges) {
      if (range.type == "GIT") {
        any_git = true;
        continue;  // commits, not versions
      }
      if (!range.range) {
        if (package.scheme) ++skips_.unreadable_ranges;
        continue;
      }
      IndexedRange indexed{&*range.range, {}};
      for (const auto& event : range.events) {
        if (event.kind != "fixed") continue;
        auto fix = versions::Version::parse(range.range->scheme(), event.version);
        // OSV records an incomplete fix as "fixed X" then "introduced X" again (Apache
        // 2.4.50 for CVE-2021-42013): a version the range still contains fixes nothing.
        if (fix.ok() && !range.range->contains(fix.value())) indexed.fixes.push_back(std::move(fix.value()));
      }
      ranges->push_back(std::move(indexed));
    }
    auto listed = std::make_shared<std::vector<versions::Version>>();
    if (package.scheme) {
      for (const std::string& text : package.versions) {
        auto version = versions::Version::parse(*package.scheme, text);
        if (version.ok()) listed->push_back(std::move(version.value()));
      }
    }
    inventory::OsvEcosystem ecosystem = inventory::split_osv_ecosystem(package.ecosystem);
    Entry entry{&advisory, &package, declared, ranges, listed, ecosystem.release, kev, epss};
    if (is_vendor_product(package.ecosystem)) {
      const inventory::ProductRule* rule = products_.identify_advisory_package(package.ecosystem, package.name);
      by_key_[rule != nullptr ? product_key(rule->product) : declared_key(vendor_product_name(package))].push_back(std::move(entry));
      continue;
    }
    if (package.ecosystem.empty() || package.ecosystem == "rules") {
      // Declared `advisory` blocks (ecosystem "rules", also as test facts) name no
      // package ecosystem: they meet a product id or the inventory's own label.
      by_key_[declared_key(package.name)].push_back(std::move(entry));
      continue;
    }
    if (!package.scheme) {
      ++skips_.no_scheme[ecosystem.base.empty() ? "(none)" : ecosystem.base];
      continue;
    }
    if (ranges->empty() && listed->empty() && any_git) {
      ++skips_.git_only;
      continue;
    }
    std::string key;
    if (is_product_level(ecosystem.base)) {
      const inventory::ProductRule* rule = products_.identify_advisory_package(ecosystem.base, package.name);
      if (rule == nullptr) {
        ++skips_.no_product[ecosystem.base];
        continue;
      }
      key = upstream_key(rule->product);
    } else {
      key = ecosystem_key(ecosystem.base, inventory::normalize_package_name(ecosystem.base, package.name));
    }
    by_key_[key].push_back(std::move(entry));
  }
}

bool AdvisoryIndex::affects(const Entry& entry, const inventory::Component& component,
                            std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                            std::optional<versions::Version>& fixed, std::string_view candidate) {
  const facts::AffectedPackage& package = *entry.package;
  if (!entry.release.empty() && entry.release != component.identity.release) return false;  // another distro release
  if (package.ranges.empty() && package.versions.empty()) return true;
  auto running_in = [&](versions::Scheme scheme) -> const std::optional<versions::Version>& {
    auto& running = running_by_scheme[static_cast<size_t>(scheme)];
    if (!running) running = version_in(component, scheme, candidate);  // once per scheme
    return *running;
  };
  // OSV: a version is affected when a range contains it or the `versions` list names it;
  // the fix comes from the ranges either way.
  bool listed = false;
  const std::optional<versions::Version>* parsed = package.scheme ? &running_in(*package.scheme) : nullptr;
  if (parsed != nullptr && parsed->has_value()) {
    listed = std::any_of(entry.listed->begin(), entry.listed->end(),
                         [&](const versions::Version& v) { return versions::compare(v, **parsed) == 0; });
  } else {
    // OSV `versions` (and CSAF product versions) are exact strings as the vendor publishes
    // them: a running version the scheme cannot read (Cisco's "12.2(55)SE") is still named
    // by the same text.
    std::string_view text = candidate.empty() ? std::string_view(component.version_text) : candidate;
    listed = std::find(package.versions.begin(), package.versions.end(), text) != package.versions.end();
  }
  bool in_range = false;
  std::optional<versions::Version> lowest_fix_above;
  for (const IndexedRange& range : *entry.ranges) {
    const auto& running = running_in(range.range->scheme());
    if (!running) continue;
    bool contains = range.range->contains(*running);
    in_range = in_range || contains;
    for (const versions::Version& fix : range.fixes) {
      if (versions::compare(*running, fix) >= 0) continue;
      auto& slot = contains ? fixed : lowest_fix_above;
      if (!slot || versions::compare(fix, *slot) < 0) slot = fix;
    }
  }
  if (!in_range && listed) fixed = std::move(lowest_fix_above);  // named by the list only
  return in_range || listed;
}

bool AdvisoryIndex::compares(const Entry& entry, const inventory::Component& component,
                             std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount>& running_by_scheme,
                             std::string_view candidate) {
  const facts::AffectedPackage& package = *entry.package;
  if (package.ranges.empty()) return true;  // every version, or a `versions` list compared as text
  auto reads = [&](versions::Scheme scheme) {
    auto& running = running_by_scheme[static_cast<size_t>(scheme)];
    if (!running) running = version_in(component, scheme, candidate);  // once per scheme
    return running->has_value();
  };
  if (package.scheme && reads(*package.scheme)) return true;
  return std::any_of(entry.ranges->begin(), entry.ranges->end(),
                     [&](const IndexedRange& range) { return reads(range.range->scheme()); });
}

std::vector<std::string> AdvisoryIndex::keys_of(const inventory::Component& component) const {
  const inventory::Identity& identity = component.identity;
  std::vector<std::string> keys;
  auto add = [&](std::string key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  if (is_package(component)) {
    if (!identity.name.empty()) add(ecosystem_key(identity.ecosystem, identity.name));
    if (!identity.source_name.empty()) add(ecosystem_key(identity.ecosystem, identity.source_name));
    // A dpkg file whose distro nothing named is Debian's by default (docs/identity.md), yet
    // may be Ubuntu's: Ubuntu's records meet it too, as another release, so the advisory
    // view says "not checked: distro release unknown" instead of listing nothing. With no
    // release, no release-bound entry can affect it.
    if (component.source == "dpkg" && identity.release.empty() && identity.ecosystem == "Debian") {
      if (!identity.name.empty()) add(ecosystem_key("Ubuntu", identity.name));
      if (!identity.source_name.empty()) add(ecosystem_key("Ubuntu", identity.source_name));
    }
  } else if (!component.product.empty() && !is_distro_package(component)) {
    add(product_key(component.product));
  }
  if (!component.product.empty() && !is_distro_package(component)) add(upstream_key(component.product));
  if (!component.product.empty()) add(declared_key(component.product));
  // A package is not whatever a declared advisory calls by its name: the npm "redis"
  // client is not the Redis server. Labels speak for components no ecosystem names.
  if (!is_package(component) && !is_distro_package(component)) {
    add(declared_key(identity.label.empty() ? component.name : identity.label));
  }
  return keys;
}

std::vector<const std::vector<AdvisoryIndex::Entry>*> AdvisoryIndex::entries_of(
    const inventory::Component& component) const {
  std::vector<const std::vector<Entry>*> found;
  for (const std::string& key : keys_of(component)) {
    if (auto it = by_key_.find(key); it != by_key_.end()) found.push_back(&it->second);
  }
  return found;
}

std::string AdvisoryIndex::match_key(const inventory::Component& component, AdvisoryCoverage* coverage) const {
  std::vector<const std::vector<Entry>*> entries = entries_of(component);
  if (coverage != nullptr) {
    using Gap = AdvisoryCoverage::Gap;
    coverage->not_compared = 0;
    using Kind = inventory::Component::VersionPin::Kind;
    const inventory::Identity& identity = component.identity;
    coverage->entries = 0;
    if (is_package(component) ? inventory::is_distro_ecosystem(identity.ecosystem) && identity.release.empty()
                              : component.product.empty() || is_distro_package(component)) {
      coverage->gap = is_package(component)          ? Gap::kDistroReleaseUnknown
                      : is_distro_package(component) ? Gap::kDistroUnsupported
                                                     : Gap::kNoIdentity;
    } else if (facts_.advisories.empty() && facts_.advisories_left_unread == 0 && entries.empty()) {
      // No advisory record at all, read or left unread by need: usable or not (withdrawn,
      // an unmapped product), records are data, and whether any would give an entry is
      // not known of the unread ones.
      coverage->gap = Gap::kNoAdvisoryData;
    } else if (!component.pin.exact()) {
      coverage->gap = component.pin.kind == Kind::kUnknown ? Gap::kFloating : Gap::kVersionNotExact;
    } else if (component.version_text.empty()) {
      coverage->gap = Gap::kVersionUnknown;
    } else {
      // Each entry the version can be compared with (compares(): the judgement the advisory
      // view and the solver use too). A version no scheme reads is still compared, as text,
      // with the entries that only list versions (Cisco's "12.2(55)SE"): checked when there
      // is one. A valid version that no entry can read ("3.10.x" against SEMVER ranges) was
      // compared with nothing: not checked, never "checked and clean".
      std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> running_by_scheme;
      uint32_t not_compared = 0;
      for (const std::vector<Entry>* list : entries) {
        for (const Entry& entry : *list) {
          bool release = identity.release.empty() || entry.release.empty() || entry.release == identity.release;
          if (!release) continue;
          if (compares(entry, component, running_by_scheme)) {
            ++coverage->entries;
          } else {
            ++not_compared;
          }
        }
      }
      coverage->not_compared = static_cast<uint16_t>(std::min<uint32_t>(not_compared, UINT16_MAX));
      coverage->gap = coverage->entries > 0 || (component.version && not_compared == 0) ? Gap::kNone
                      : component.version                                            ? Gap::kVersionNotComparable
                                                                                     : Gap::kVersionInvalid;
      // A distro's advisories name source packages: a binary package that names no source
      // (a Trivy SBOM without SrcName, a purl without `upstream`) and meets no entry under its
      // own name was looked up under a name its distro may never use. dpkg status files
      // always state it (no Source: field means the package is its own source).
      if (coverage->gap == Gap::kNone && coverage->entries == 0 && not_compared == 0 &&
          inventory::is_distro_ecosystem(identity.ecosystem) && identity.source_name.empty() &&
          component.source != "dpkg") {
        coverage->gap = Gap::kSourceUnknown;
      }
    }
  }
  if (entries.empty()) return "";
  std::string key(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof(entries[0]));
  key += static_cast<char>(component.scheme);
  key += std::to_string(component.version_text.size()) + ":" + component.version_text;
  key += std::to_string(component.identity.release.size()) + ":" + component.identity.release;
  if (auto source = component.attributes.find("source_version"); source != component.attributes.end()) {
    key += "\x1f" + source->second;
  }
  if (component.version) {
    key += static_cast<char>(component.version->scheme());
    key += component.version->text();
  }
  return key;
}

std::vector<std::string> advisory_packages_of(const inventory::Inventory& inventory, const inventory::ProductMap& products) {
  std::vector<std::string> keys;
  std::set<std::string> products_seen;
  for (const inventory::Component& component : inventory.components) {
    const inventory::Identity& identity = component.identity;
    if (!identity.ecosystem.empty()) {
      if (!identity.name.empty()) keys.push_back(inventory::advisory_package_key(identity.ecosystem, identity.name));
      if (!identity.source_name.empty()) keys.push_back(inventory::advisory_package_key(identity.ecosystem, identity.source_name));
    }
    if (!component.product.empty() && products_seen.insert(component.product).second) {
      for (const auto& [ecosystem, name] : products.advisory_packages(component.product)) {
        keys.push_back(inventory::advisory_package_key(ecosystem, name));
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string advisory_identity(const inventory::Component& component) {
  const inventory::Identity& identity = component.identity;
  if (!identity.ecosystem.empty()) return identity.osv_ecosystem() + " " + identity.name;
  if (!component.product.empty()) return "product " + component.product;
  return "";
}

std::string advisory_gap_reason(const AdvisoryCoverage& coverage, const inventory::Component& component) {
  using Gap = AdvisoryCoverage::Gap;
  switch (coverage.gap) {
    case Gap::kNone: return "";
    case Gap::kNoIdentity: return "no package ecosystem or product identity";
    case Gap::kDistroReleaseUnknown: return "distro release unknown (set distro: in uprank.yaml or --distro)";
    case Gap::kDistroUnsupported: return "a package of a distro that no advisory source covers";
    case Gap::kNoAdvisoryData: return "no advisory data loaded (uprank fetch, or fetch --import)";
    case Gap::kVersionNotExact:
      // An SBOM's version field may hold a requirement (GitHub's dependency graph without a
      // lockfile): a range, not an invalid version.
      if (component.pin.kind == inventory::Component::VersionPin::Kind::kRange) return "a version range, not a version";
      return "version not exact (" + std::string(component.pin.kind_name()) + " pin)";
    case Gap::kFloating: return "version unknown (floating tag)";
    case Gap::kVersionUnknown: return "version unknown";
    case Gap::kVersionInvalid:
      return "version not valid in the " + std::string(versions::scheme_name(component.scheme)) + " scheme";
    case Gap::kVersionNotComparable:
      return "version not comparable in the entries' schemes";
    case Gap::kSourceUnknown:
      return "source package unknown (the SBOM names none, and no advisory names the binary package)";
  }
  return "";
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
        // Another package entry of the same advisory matched too: keep the lowest fix, and
        // the entry it comes from as the evidence.
        if (fixed && (!same->fixed || versions::compare(*fixed, *same->fixed) < 0)) {
          same->fixed = std::move(fixed);
          same->affected = entry.package;
        }
        continue;
      }
      compiler::AdvisoryMatch match;
      match.advisory = entry.advisory;
      match.affected = entry.package;
      match.fixed = std::move(fixed);
      match.kev = entry.kev;
      match.epss = entry.epss;
      // A rule file's "exploited since" a later day is not known yet on the day, as a
      // KEV entry added later is not.
      if (entry.declared != nullptr && entry.declared->exploited && known(entry.declared->exploited_since)) {
        match.declared_exploited = true;
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

std::vector<AdvisoryIndex::Considered> AdvisoryIndex::considered(const inventory::Component& component) const {
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> running_by_scheme;
  std::vector<Considered> found;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      std::optional<versions::Version> fixed;
      bool affected = affects(entry, component, running_by_scheme, fixed);
      found.push_back(Considered{entry.advisory, entry.package, affected, std::move(fixed)});
    }
  }
  return found;
}

std::vector<AdvisoryIndex::Verdict> AdvisoryIndex::judge(const inventory::Component& component,
                                                          const facts::Advisory& advisory) const {
  using Kind = Verdict::Kind;
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> running_by_scheme;
  std::vector<Verdict> verdicts;
  for (const std::string& key : keys_of(component)) {
    auto found = by_key_.find(key);
    if (found == by_key_.end()) continue;
    // The key as people read it: "e<US>Debian<US>openssl" -> "Debian openssl".
    std::string shown = key.substr(2);
    std::replace(shown.begin(), shown.end(), '\x1f', ' ');
    shown = (key[0] == 'p' || key[0] == 'u' ? "product " : key[0] == 'd' ? "name " : "") + shown;
    for (const Entry& entry : found->second) {
      if (entry.advisory->id != advisory.id) continue;
      Verdict verdict;
      verdict.package = entry.package;
      verdict.key = shown;
      std::optional<versions::Version> fixed;
      if (!entry.release.empty() && entry.release != component.identity.release) {
        verdict.kind = Kind::kOtherRelease;
      } else if (affects(entry, component, running_by_scheme, fixed)) {
        verdict.kind = Kind::kAffected;
        verdict.fixed = std::move(fixed);
      } else {
        // Not affected, or not comparable (compares(), as the coverage judges it): which,
        // and whether a fix is already in.
        bool compared = compares(entry, component, running_by_scheme);
        for (const IndexedRange& range : *entry.ranges) {
          auto& slot = running_by_scheme[static_cast<size_t>(range.range->scheme())];
          if (!slot) slot = version_in(component, range.range->scheme());
          const std::optional<versions::Version>& running = *slot;
          if (!running) continue;
          for (const versions::Version& fix : range.fixes) {
            if (versions::compare(fix, *running) <= 0 && (!verdict.fixed || versions::compare(fix, *verdict.fixed) > 0)) {
              verdict.fixed = fix;
            }
          }
        }
        verdict.kind = !compared ? Kind::kNotCompared : verdict.fixed ? Kind::kFixed : Kind::kOutside;
      }
      verdicts.push_back(std::move(verdict));
    }
  }
  return verdicts;
}

std::vector<const facts::Advisory*> AdvisoryIndex::affecting(const inventory::Component& component,
                                                             std::string_view candidate) const {
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> candidate_by_scheme;
  std::vector<const facts::Advisory*> found;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      std::optional<versions::Version> fixed;
      if (notice(entry) || std::find(found.begin(), found.end(), entry.advisory) != found.end()) continue;
      if (affects(entry, component, candidate_by_scheme, fixed, candidate)) found.push_back(entry.advisory);
    }
  }
  std::sort(found.begin(), found.end(), [](const facts::Advisory* a, const facts::Advisory* b) { return a->id < b->id; });
  return found;
}

bool AdvisoryIndex::affected_at(const inventory::Component& component, std::string_view candidate) const {
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> candidate_by_scheme;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      std::optional<versions::Version> fixed;
      if (!notice(entry) && affects(entry, component, candidate_by_scheme, fixed, candidate)) return true;
    }
  }
  return false;
}

bool AdvisoryIndex::clean_at(const inventory::Component& component, std::string_view candidate) const {
  std::array<std::optional<std::optional<versions::Version>>, versions::kSchemeCount> candidate_by_scheme;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      if (!entry.release.empty() && entry.release != component.identity.release) continue;  // another release
      if (notice(entry)) continue;
      std::optional<versions::Version> fixed;
      if (!compares(entry, component, candidate_by_scheme, candidate)) return false;
      if (affects(entry, component, candidate_by_scheme, fixed, candidate)) return false;
    }
  }
  return true;
}

std::string AdvisoryIndex::entries_key(const inventory::Component& component) const {
  std::vector<const std::vector<Entry>*> entries = entries_of(component);
  if (entries.empty()) return "";
  std::string key(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof(entries[0]));
  return key + component.identity.release;
}

std::vector<AdvisoryIndex::Fix> AdvisoryIndex::fixes(const inventory::Component& component) const {
  std::vector<Fix> out;
  for (const std::vector<Entry>* entries : entries_of(component)) {
    for (const Entry& entry : *entries) {
      if ((!entry.release.empty() && entry.release != component.identity.release) || notice(entry)) continue;
      for (const facts::AffectedRange& range : entry.package->ranges) {
        if (!range.range) continue;
        for (const auto& event : range.events) {
          if (event.kind == "fixed") out.push_back(Fix{event.version, range.range->scheme(), entry.advisory});
        }
      }
    }
  }
  return out;
}

std::vector<compiler::ReleaseMatch> match_releases(const facts::FactSet& facts, const inventory::Component& component,
                                                   std::optional<Date> known_on) {
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
    if (known_on && !known_by(release.published, *known_on)) continue;  // not published yet that day
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
