#include <algorithm>
#include <iterator>
#include <deque>
#include <thread>
#include <unordered_map>

#include "engine/inventory/product_map.h"
#include "engine/inventory/version_pin.h"
#include "engine/targets/candidates.h"
#include "engine/targets/targets.h"

namespace uprank::targets {
namespace {

using Kind = inventory::Component::VersionPin::Kind;

// Returns `release` written the way `component` pins its version: a "v" before the number
// ("v1.2.3"), and an image tag's variant after it ("16.4-alpine", "22-bookworm-slim",
// "4-management", "3.13.0rc2-slim"; the tag as pinned is attributes.pinned when the
// product map cut the version out of it). Anything else around the number (a package
// revision "-2ubuntu7.1", build metadata "+build", a pre-release "rc2") belongs to that one
// release and is not copied. Distro package versions and releases that carry text of
// their own ("1.35-eks-17") are kept as published.
std::string written(const inventory::Component& component, const std::string& release) {
  if (is_distro_package(component)) return release;
  // A GitHub-hosted runner is pinned by its label ("ubuntu-20.04", "windows-2019"): the
  // target is the label that runs `release` ("ubuntu-22.04"), what `runs-on:` takes.
  if (auto label = component.attributes.find("runner"); component.kind == "github-runner" && label != component.attributes.end()) {
    size_t at = label->second.rfind(component.version_text);
    if (!component.version_text.empty() && at != std::string::npos) {
      return label->second.substr(0, at) + release + label->second.substr(at + component.version_text.size());
    }
  }
  auto pinned = component.attributes.find("pinned");
  const std::string& running = pinned != component.attributes.end() ? pinned->second : component.version_text;
  std::string number = inventory::leading_number(running);
  // A release written with its own prefix ("v0.23.0") or text ("1.35-eks-17") stays as is.
  bool own_text = release.empty() || !std::isdigit(static_cast<unsigned char>(release[0])) ||
                  !inventory::split_image_tag(release).variant.empty();
  if (number.empty() || own_text) return release;
  size_t at = running.find(number);
  if (at == std::string::npos) return release;
  std::string prefix = running.substr(0, at);
  if (prefix != "v" && prefix != "V") prefix.clear();
  bool image = pinned != component.attributes.end() || component.kind == "container-image";
  if (!image) return prefix + release;
  // A Docker tag cannot carry '+' (the distribution spec's tag grammar is [A-Za-z0-9_.-]):
  // images whose releases have build metadata write it after '_' (Temurin's
  // "21.0.5_11-jre" for release 21.0.5+11), so the target is the tag that exists.
  std::string tag_release = release;
  std::replace(tag_release.begin(), tag_release.end(), '+', '_');
  return prefix + tag_release + inventory::split_image_tag(running).variant;
}

// The codename the product map reads as `cycle` of `product` (Node.js "jod" for 22,
// which endoflife.date does not carry), or "".
std::string mapped_codename(const inventory::ProductMap& products, const std::string& product, const std::string& cycle) {
  const inventory::ProductRule* rule = products.find_product(product);
  if (rule == nullptr) return {};
  for (const auto& [codename, line] : rule->codenames) {
    if (line == cycle) return codename;
  }
  return {};
}

// Returns the tag a codename pin ("iron-alpine", "bullseye-slim", "lts") would name for
// the line `cycle`, written as the pin was: the alias itself when an "lts" pin still
// points at `cycle` (it moves with the LTS line); else the line's codename, from the
// end-of-life data (Debian "Trixie") or the product map (Node.js "jod"); else the cycle
// number. The pin's variant follows ("-alpine", "-slim"); its date stamp does not.
std::string written_codename(const inventory::ProductMap& products, const inventory::Component& component,
                             const facts::EolCycle& cycle, bool current) {
  const std::string& tag = component.version_text;
  bool image = component.kind == "container-image";
  if (component.pin.codename == "lts/*" && current) {
    return image ? "lts" + inventory::split_image_tag(tag).variant : tag;  // "lts-alpine", nvm's "lts/*"
  }
  std::string name = cycle.cycle;
  if (!cycle.codename.empty()) {
    name = cycle.codename.substr(0, cycle.codename.find(' '));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
  } else if (std::string mapped = mapped_codename(products, component.product, cycle.cycle); !mapped.empty()) {
    name = mapped;
    // nvm names an LTS line "lts/jod" (.nvmrc, .node-version); a bare "jod" it does not read.
    if (!image && (tag.rfind("lts/", 0) == 0 || tag.rfind("LTS/", 0) == 0)) name = "lts/" + name;
  }
  return name + (image ? inventory::split_image_tag(tag).variant : std::string());
}

// The release line of a version of a component without end-of-life data: the distro
// release for distro packages, else what the ecosystem treats as compatible. Cargo's and
// npm's caret (node-semver `^`, Cargo's default requirement), and pub's and Hex's semver
// read a 0.y.z's minor as breaking: "^0.10.2" is ">=0.10.2, <0.11.0", and "^0.0.3" is
// ">=0.0.3, <0.0.4", so 0.10 and 0.11 are two lines ("0.10.x"), and every 0.0.z is a line
// of its own. Elsewhere the major version ("1.x"; "0.x" for every 0.y.z).
std::string plain_line(const inventory::Component& component, const versions::Version& version) {
  if (is_distro_package(component)) return component.identity.release;
  auto major = version.major();
  if (!major) return version.text();
  // By the ecosystem when one names the package (a native entry with a cargo purl may
  // read its version in the generic scheme), else by the scheme.
  const std::string& ecosystem = component.identity.ecosystem;
  const bool caret = ecosystem.empty() ? component.scheme == versions::Scheme::kSemver || component.scheme == versions::Scheme::kNpm
                                       : ecosystem == "crates.io" || ecosystem == "npm" || ecosystem == "Pub" || ecosystem == "Hex";
  if (caret && *major == 0) {
    auto minor = version.minor();
    if (minor && *minor > 0) return "0." + std::to_string(*minor) + ".x";
    auto patch = version.patch();
    if (minor && patch) return "0.0." + std::to_string(*patch);
  }
  return std::to_string(*major) + ".x";
}

// Whether `a` and `b` are the same end-of-life cycle: eol_cycle_of may give a copy of a
// cycle as known on a past day (its latest as of then) where the candidates name the
// cycle itself.
bool same_cycle(const facts::EolCycle* a, const facts::EolCycle* b) {
  return a == b || (a != nullptr && b != nullptr && a->product == b->product && a->cycle == b->cycle);
}

// Why `component`'s pin names no cycle on `today` when it names one released after it
// (a replay of a day before the line existed): "line 1.24 was not released by 2022-01-01
// (released 2023-04-11)"; "" otherwise.
std::string unreleased_line(const facts::FactSet& facts, const inventory::Component& component, Date today) {
  facts::MadeUpCycles unused;
  const facts::EolCycle* cycle = evaluator::eol_cycle_of(facts, component, today, unused, compiler::never());
  if (cycle == nullptr || !cycle->released || *cycle->released <= today) return "";
  return "line " + cycle->cycle + " was not released by " + today.to_string() + " (released " +
         cycle->released->to_string() + ")";
}

bool supported_past(const facts::EolCycle& cycle, Date until) {
  if (cycle.security_ended_flag) return false;
  return !cycle.security_ends || *cycle.security_ends > until;
}

std::string ended_text(const facts::EolCycle& cycle) {
  return "line " + cycle.cycle + " left vendor support" +
         (cycle.security_ends ? " on " + cycle.security_ends->to_string() : std::string());
}

// Whether a constraint side's version test holds for `component` running `version`:
// nullopt when the version cannot be read (the constraint's rule would not fire either).
std::optional<bool> side_holds(const compiler::ConstraintSide& side, const inventory::Component& component,
                               const std::string& version) {
  if (side.op.empty()) return true;
  if (version.empty()) return std::nullopt;
  versions::Scheme scheme = side.scheme.value_or(component.scheme);
  auto parsed = versions::Version::parse(scheme, version);
  if (!parsed.ok()) return std::nullopt;
  if (side.op == "in") {
    auto range = versions::Range::parse(scheme, side.text);
    if (!range.ok()) return std::nullopt;
    return range->contains(*parsed);
  }
  auto bound = versions::Version::parse(scheme, side.text);
  if (!bound.ok()) return std::nullopt;
  int order = versions::compare(*parsed, *bound);
  if (side.op == "<") return order < 0;
  if (side.op == "<=") return order <= 0;
  if (side.op == ">") return order > 0;
  if (side.op == ">=") return order >= 0;
  if (side.op == "==") return order == 0;
  if (side.op == "!=") return order != 0;
  return std::nullopt;
}

// The version a component runs, for constraints: only an exact pin has one.
std::string running_text(const inventory::Component& component) {
  return component.pin.exact() ? component.version_text : std::string();
}

bool violated(const compiler::CompiledConstraint& constraint, const std::optional<bool>& subject,
              const std::optional<bool>& other) {
  if (!subject || !other || !*subject) return false;
  return constraint.is_requires ? !*other : *other;
}

// Inventory indexes by what a constraint selector names (product id or component name),
// ascending.
using Selectors = std::unordered_map<std::string, std::vector<size_t>>;

Selectors index_selectors(const inventory::Inventory& inventory) {
  Selectors out;
  for (size_t i = 0; i < inventory.components.size(); ++i) {
    const inventory::Component& component = inventory.components[i];
    if (!component.product.empty()) out[component.product].push_back(i);
    if (component.name != component.product) out[component.name].push_back(i);
  }
  return out;
}

// Solves one component at a time; one per thread, sharing the candidate lists.
class Solver {
 public:
  Solver(const Inputs& inputs, const Options& options, const Selectors& by_selector, Candidates& candidates)
      : inputs_(inputs), options_(options), candidates_(candidates), by_selector_(by_selector) {}

  // The product map the inventory was mapped with (Inputs::products), else the bundled one.
  const inventory::ProductMap& products() const {
    return inputs_.products != nullptr ? *inputs_.products : inventory::ProductMap::bundled();
  }

  ComponentTargets solve(size_t index) {
    const inventory::Component& component = inputs_.inventory->components[index];
    ComponentTargets out;
    if (component.kind == "kubernetes-api") {
      // An API version ("apps/v1") is no release to upgrade to: a manifest moves to
      // another API, which its finding names (rules/compatibility/kubernetes_apis.upr).
      out.patch.none_reason = "a Kubernetes API, not a release: its finding names the API to move to";
      out.supported.none_reason = out.patch.none_reason;
      return out;
    }
    switch (component.pin.kind) {
      case Kind::kExact:
        if (!component.version) {
          out.patch.none_reason = component.version_text.empty()
                                      ? "version unknown"
                                      : "version not valid in the " + std::string(versions::scheme_name(component.scheme)) + " scheme";
          out.supported.none_reason = out.patch.none_reason;
          return out;
        }
        solve_exact(index, out);
        add_steps(index, out.supported);
        return out;
      case Kind::kCycle:
      case Kind::kRange:
        solve_line(index, out);
        add_steps(index, out.supported);
        return out;
      case Kind::kDigest:
        out.patch.none_reason = "version unknown (digest pin)";
        break;
      case Kind::kUnknown:
        out.patch.none_reason = "version unknown (floating tag)";
        break;
    }
    out.supported.none_reason = out.patch.none_reason;
    return out;
  }

 private:
  const std::vector<size_t>& named(const std::string& selector) const {
    static const std::vector<size_t> none;
    auto it = by_selector_.find(selector);
    return it == by_selector_.end() ? none : it->second;
  }
  bool names(const std::string& selector, size_t index) const {
    const auto& list = named(selector);
    return std::binary_search(list.begin(), list.end(), index);
  }

  // The candidates at or above the running version, lowest first: the running version
  // itself, then the released ones above it.
  struct Walk {
    Candidate self;
    const CandidateList* list = nullptr;
    size_t from = 0;
    mutable int8_t self_affected = -1;
    bool self_released = true;  // false for a running pre-release: not a target
    size_t size() const { return 1 + list->candidates().size() - from; }
    const Candidate& at(size_t k) const { return k == 0 ? self : list->candidates()[from + k - 1]; }
  };

  bool affected(const inventory::Component& component, const Walk& walk, size_t k) const {
    if (k > 0) return affected(component, *walk.list, walk.from + k - 1);
    if (walk.self_affected < 0) walk.self_affected = affected(component, walk.self.text()) ? 1 : 0;
    return walk.self_affected == 1;
  }
  bool affected(const inventory::Component& component, const CandidateList& list, size_t i) const {
    return list.affected(i, [&](const Candidate& candidate) { return affected(component, candidate.text()); });
  }

  // The advisories affecting candidate `k` of the walk, sorted by address: what runs is
  // asked for each component, a released candidate once per list.
  const std::vector<const facts::Advisory*>& affecting(const inventory::Component& component, const Walk& walk,
                                                       size_t k, std::vector<const facts::Advisory*>& self) const {
    auto ask = [&](const Candidate& candidate) { return inputs_.advisories->affecting(component, candidate.text()); };
    if (k > 0) return walk.list->affecting(walk.from + k - 1, ask);
    self = ask(walk.self);
    std::sort(self.begin(), self.end());
    return self;
  }

  // Whether an advisory outside `ignored` (sorted) affects candidate `k` of the walk, or
  // an entry cannot compare it (unknown is not clean).
  bool affected_except(const inventory::Component& component, const Walk& walk, size_t k,
                       const std::vector<const facts::Advisory*>& ignored) const {
    if (inputs_.advisories == nullptr || !affected(component, walk, k)) return false;
    std::vector<const facts::Advisory*> self;
    const std::vector<const facts::Advisory*>& which = affecting(component, walk, k, self);
    if (which.empty()) return true;  // not comparable somewhere
    return std::any_of(which.begin(), which.end(), [&](const facts::Advisory* advisory) {
      return !std::binary_search(ignored.begin(), ignored.end(), advisory);
    });
  }

  // The advisories that affect every candidate `accept` allows in the walk, what runs
  // included: no release escapes them. A pre-release counts here though it is no target
  // (a fix in "2.0.1-rc1" is on its way: the advisory is fixable, not unescapable).
  // Sorted by address (for binary_search).
  template <typename Accept>
  std::vector<const facts::Advisory*> unescapable(const inventory::Component& component, const Walk& walk,
                                                   Accept accept) const {
    std::vector<const facts::Advisory*> common;
    bool first = true;
    for (size_t k = 0; k < walk.size(); ++k) {
      const Candidate& candidate = walk.at(k);
      if (k > 0 && !accept(candidate)) continue;
      std::vector<const facts::Advisory*> self;
      const std::vector<const facts::Advisory*>& which = affecting(component, walk, k, self);
      if (first) {
        common = which;
        first = false;
      } else {
        std::vector<const facts::Advisory*> both;
        std::set_intersection(common.begin(), common.end(), which.begin(), which.end(), std::back_inserter(both));
        common = std::move(both);
      }
      if (common.empty()) break;
    }
    return common;
  }

  bool affected(const inventory::Component& component, const std::string& version,
                std::vector<const facts::Advisory*>* which = nullptr) const {
    if (inputs_.advisories == nullptr) return false;
    // Unknown is not clean: a version some entry cannot compare is never a target.
    if (which == nullptr) return !inputs_.advisories->clean_at(component, version);
    *which = inputs_.advisories->affecting(component, version);
    return !which->empty();
  }

  // A constraint `component` running a version would break, the related component it
  // breaks it with, and which side of the constraint the component is on.
  struct Broken {
    const compiler::CompiledConstraint* constraint;
    size_t other;
    bool self_is_subject;
  };

  // The constraints `component` running `version` would break.
  std::vector<Broken> breaks(size_t index, const std::string& version) const {
    std::vector<Broken> broken;
    if (inputs_.constraints == nullptr) return broken;
    const auto& components = inputs_.inventory->components;
    const inventory::Component& self = components[index];
    for (const compiler::CompiledConstraint& constraint : *inputs_.constraints) {
      if (names(constraint.subject.selector, index)) {
        auto subject = side_holds(constraint.subject, self, version);
        for (size_t other : named(constraint.other.selector)) {
          if (other == index || !inventory::related(self, components[other])) continue;
          if (violated(constraint, subject, side_holds(constraint.other, components[other], running_text(components[other])))) {
            broken.push_back(Broken{&constraint, other, true});
          }
        }
      }
      if (names(constraint.other.selector, index)) {
        auto holds = side_holds(constraint.other, self, version);
        for (size_t subject : named(constraint.subject.selector)) {
          if (subject == index || !inventory::related(components[subject], self)) continue;
          if (violated(constraint, side_holds(constraint.subject, components[subject], running_text(components[subject])), holds)) {
            broken.push_back(Broken{&constraint, subject, false});
          }
        }
      }
    }
    return broken;
  }

  // The lowest released, unaffected version of `blocking` (at or above what it runs)
  // with which `index` running `version` keeps `constraint`; "" when none.
  // The co-upgrade is never to a line already past support, nor, for a supported target,
  // to a line that ends inside the window. `together` is set when the related component
  // cannot go first either (at that version it breaks a constraint with what `index` runs
  // now): both must change in one step.
  std::string co_upgrade(const Broken& broken, size_t index, const std::string& version, bool supported,
                         bool& together) {
    together = false;
    const compiler::CompiledConstraint& constraint = *broken.constraint;
    const bool self_is_subject = broken.self_is_subject;
    const auto& components = inputs_.inventory->components;
    const inventory::Component& other = components[broken.other];
    if (!other.version) return "";
    const CandidateList& list = candidates_.of(other);
    for (size_t i = 0; i < list.candidates().size(); ++i) {
      const Candidate& candidate = list.candidates()[i];
      if (versions::compare(candidate.version, *other.version) <= 0 || !admissible(candidate, *other.version)) continue;
      if (candidate.cycle != nullptr && candidate.cycle->security_ended(options_.today)) continue;
      if (supported && candidate.cycle != nullptr &&
          !supported_past(*candidate.cycle, options_.today + options_.window_days)) {
        continue;
      }
      std::optional<bool> subject, holds;
      if (self_is_subject) {
        subject = side_holds(constraint.subject, components[index], version);
        holds = side_holds(constraint.other, other, candidate.text());
      } else {
        subject = side_holds(constraint.subject, other, candidate.text());
        holds = side_holds(constraint.other, components[index], version);
      }
      if (violated(constraint, subject, holds) || !holds.has_value()) continue;
      if (affected(other, list, i)) continue;
      for (const Broken& back : breaks(broken.other, candidate.text())) together = together || back.other == index;
      return written(other, candidate.text());
    }
    return "";
  }

  // Picks the lowest candidate that `accept` allows, is unaffected and keeps every
  // constraint; records the constraints that ruled out lower ones. For a supported
  // target (`supported`) that is not what runs, the choice then moves up to the newest
  // such candidate of the same line (docs/targets.md: the lowest line that qualifies, at
  // its newest clean release).
  // An advisory no candidate escapes (`unescapable`) cannot decide: when only advisories
  // rule every candidate out, the choice is made again without those that affect every
  // candidate of the walk, and they are named as remaining.
  template <typename Accept>
  void choose(size_t index, const Walk& walk, Accept accept, Choice& choice, const std::string& line_of_none,
              bool supported) {
    choose_once(index, walk, accept, choice, line_of_none, supported, {});
    if (choice.target || !choice.blocked.empty() || inputs_.advisories == nullptr ||
        choice.none_reason.rfind("no fixed release yet", 0) != 0) {
      return;
    }
    const inventory::Component& component = inputs_.inventory->components[index];
    // Across every line: an advisory a later line fixes is escapable, whatever `accept`.
    std::vector<const facts::Advisory*> ignored = unescapable(component, walk, [](const Candidate&) { return true; });
    if (ignored.empty()) return;
    Choice again;
    choose_once(index, walk, accept, again, line_of_none, supported, ignored);
    for (const facts::Advisory* advisory : ignored) again.remaining.push_back(advisory->id);
    std::sort(again.remaining.begin(), again.remaining.end());
    std::string ids;
    for (const std::string& id : again.remaining) ids += (ids.empty() ? "" : ", ") + id;
    if (!again.target) {
      // Still none, for advisories a later line fixes: name them, then those no release
      // escapes. Else the first reason says it all.
      if (again.none_reason.rfind("no fixed release yet", 0) == 0 && again.blocked.empty()) {
        choice.none_reason = again.none_reason + "; no release of any line escapes " + ids;
      }
      return;
    }
    // Nothing but what runs: nothing else asks for an upgrade, and "no fixed release yet
    // (…)" says it.
    if (again.target->current) return;
    choice = std::move(again);
  }

  template <typename Accept>
  void choose_once(size_t index, const Walk& walk, Accept accept, Choice& choice, const std::string& line_of_none,
                   bool supported, const std::vector<const facts::Advisory*>& ignored) {
    const inventory::Component& component = inputs_.inventory->components[index];
    const Candidate* last_affected = nullptr;
    bool any_in_line = false;
    for (size_t k = walk.self_released ? 0 : 1; k < walk.size(); ++k) {
      const Candidate* candidate = &walk.at(k);
      if (!admissible(*candidate, *component.version) || !accept(*candidate)) continue;
      any_in_line = true;
      if (ignored.empty() ? affected(component, walk, k) : affected_except(component, walk, k, ignored)) {
        last_affected = candidate;
        continue;
      }
      auto broken = breaks(index, candidate->text());
      if (!broken.empty()) {
        for (const Broken& one : broken) {
          if (choice.blocked.size() >= 3) break;  // the first few explain enough
          Blocker blocker;
          blocker.constraint = one.constraint->text;
          blocker.location = one.constraint->range;
          blocker.version = written(component, candidate->text());
          blocker.component = inputs_.inventory->components[one.other].name;
          bool together = false;
          std::string unblock = co_upgrade(one, index, candidate->text(), supported, together);
          if (!unblock.empty() && together) {
            blocker.unblock = "upgrade " + blocker.component + " to " + unblock + " and " + component.name + " to " +
                              blocker.version + " together: neither can go first";
          } else if (!unblock.empty()) {
            blocker.unblock = "upgrade " + blocker.component + " to " + unblock +
                              (candidate->source == Candidate::Source::kRunning
                                   ? "; " + component.name + " stays on " + blocker.version
                                   : " first, then " + component.name + " to " + blocker.version);
          }
          choice.blocked.push_back(std::move(blocker));
        }
        continue;
      }
      if (supported && candidate->source != Candidate::Source::kRunning) {
        candidate = newest_in_line(index, walk, k, accept, ignored);
      }
      Target target;
      target.version = written(component, candidate->text());
      target.release = candidate->text();
      target.line = line_of(component, *candidate);
      if (candidate->cycle != nullptr) target.supported_until = candidate->cycle->security_ends;
      target.source = candidate->describe_source();
      target.current = versions::compare(candidate->version, *component.version) == 0;
      choice.target = std::move(target);
      return;
    }
    if (!choice.blocked.empty()) {
      choice.none_reason = "every unaffected release is ruled out by a constraint";
    } else if (!any_in_line) {
      choice.none_reason = line_of_none;
    } else {
      std::vector<const facts::Advisory*> which;
      if (last_affected != nullptr) affected(component, last_affected->text(), &which);
      std::string ids;
      for (const facts::Advisory* advisory : which) {
        if (std::binary_search(ignored.begin(), ignored.end(), advisory)) continue;
        ids += (ids.empty() ? "" : ", ") + advisory->id;
      }
      choice.none_reason = ids.empty() ? "no release the advisory entries can compare and find unaffected"
                                       : "no fixed release yet (" + ids + ")";
    }
  }

  // Names the steps to `choice`'s target when the product's upgrades pass through every
  // cycle (ProductRule::upgrade_step_cycle): each cycle between the running one and the
  // target's, released by today, at the release its tag points at (a line pin: the line),
  // then the target.
  void add_steps(size_t index, Choice& choice) {
    if (!choice.target || choice.target->current) return;
    const inventory::Component& component = inputs_.inventory->components[index];
    const inventory::ProductRule* rule = products().find_product(component.product);
    auto product = inputs_.facts->products.find(component.product);
    if (rule == nullptr || !rule->upgrade_step_cycle || product == inputs_.facts->products.end()) return;
    facts::MadeUpCycles before_known;
    const facts::EolCycle* running = evaluator::eol_cycle_of(*inputs_.facts, component, options_.today, before_known);
    if (running == nullptr) return;
    auto from = versions::Version::parse(versions::Scheme::kGeneric, running->cycle);
    auto to = versions::Version::parse(versions::Scheme::kGeneric, choice.target->line);
    if (!from.ok() || !to.ok()) return;
    std::vector<std::pair<versions::Version, const facts::EolCycle*>> between;
    for (const facts::EolCycle& cycle : product->second.cycles) {
      if (!evaluator::known_by(cycle.released, options_.today)) continue;
      auto version = versions::Version::parse(versions::Scheme::kGeneric, cycle.cycle);
      if (!version.ok() || versions::compare(*version, *from) <= 0 || versions::compare(*version, *to) >= 0) continue;
      between.emplace_back(std::move(version.value()), &cycle);
    }
    if (between.empty()) return;
    std::sort(between.begin(), between.end(),
              [](const auto& a, const auto& b) { return versions::compare(a.first, b.first) < 0; });
    const bool line_pin = !component.pin.exact();
    const CandidateList& known = candidates_.of(component);
    std::vector<std::string> steps;
    for (const auto& step : between) {
      const facts::EolCycle* cycle = step.second;
      std::string release;
      if (!line_pin) {
        for (auto it = known.candidates().rbegin(); it != known.candidates().rend() && release.empty(); ++it) {
          if (same_cycle(it->cycle, cycle) && !it->prerelease) release = it->text();
        }
        if (release.empty() && evaluator::known_by(cycle->latest_date, options_.today)) release = cycle->latest;
      }
      steps.push_back(written(component, release.empty() ? cycle->cycle : release));
    }
    steps.push_back(choice.target->version);
    choice.target->steps = std::move(steps);
  }

  // The release line of a candidate, as a target names it: its end-of-life cycle, else
  // plain_line().
  static std::string line_of(const inventory::Component& component, const Candidate& candidate) {
    return candidate.cycle != nullptr ? candidate.cycle->cycle : plain_line(component, candidate.version);
  }

  // Returns the newest candidate of the walk in the line of candidate `lowest` (itself a
  // choice) that `accept` allows, is admissible, unaffected (but for `ignored`) and keeps
  // every constraint: `lowest` itself when no newer one does.
  template <typename Accept>
  const Candidate* newest_in_line(size_t index, const Walk& walk, size_t lowest, Accept accept,
                                  const std::vector<const facts::Advisory*>& ignored) const {
    const inventory::Component& component = inputs_.inventory->components[index];
    const Candidate& chosen = walk.at(lowest);
    const std::string line = line_of(component, chosen);
    for (size_t k = walk.size() - 1; k > lowest; --k) {
      const Candidate& newer = walk.at(k);
      bool same_line = chosen.cycle != nullptr ? same_cycle(newer.cycle, chosen.cycle)
                                               : newer.cycle == nullptr && plain_line(component, newer.version) == line;
      if (!same_line || !admissible(newer, *component.version) || !accept(newer)) continue;
      if (ignored.empty() ? affected(component, walk, k) : affected_except(component, walk, k, ignored)) continue;
      if (!breaks(index, newer.text()).empty()) continue;
      return &newer;
    }
    return &chosen;
  }

  void solve_exact(size_t index, ComponentTargets& out) {
    const inventory::Component& component = inputs_.inventory->components[index];
    const versions::Version& running = *component.version;
    Walk walk;
    walk.list = &candidates_.of(component);
    walk.self.version = running;  // the running version is itself released
    walk.self.source = Candidate::Source::kRunning;
    walk.self_released = !running.is_prerelease();
    if (!component.product.empty()) walk.self.cycle = known_cycle(*inputs_.facts, component.product, running, options_.today);
    const std::vector<Candidate>& known = walk.list->candidates();
    walk.from = static_cast<size_t>(
        std::upper_bound(known.begin(), known.end(), running,
                         [](const versions::Version& v, const Candidate& c) { return versions::compare(v, c.version) < 0; }) -
        known.begin());

    // A distro package lives as long as its distro release, whatever upstream's lines.
    const bool distro = is_distro_package(component);
    bool has_eol = !distro && !component.product.empty() && inputs_.facts->products.count(component.product) > 0;
    facts::MadeUpCycles before_known;
    const facts::EolCycle* running_cycle =
        has_eol ? evaluator::eol_cycle_of(*inputs_.facts, component, options_.today, before_known)
                : distro ? evaluator::distro_release_cycle(*inputs_.facts, component.identity) : nullptr;
    // A distro release that came out after the day is not known on it either.
    const facts::EolCycle* unreleased_distro = nullptr;
    if (distro && running_cycle != nullptr && !evaluator::known_by(running_cycle->released, options_.today)) {
      unreleased_distro = running_cycle;
      running_cycle = nullptr;
    }

    // Patch target: the running line, while it is supported.
    if (running_cycle != nullptr && running_cycle->security_ended(options_.today)) {
      out.patch.none_reason = ended_text(*running_cycle);
    } else if (has_eol && running_cycle == nullptr) {
      std::string unreleased = unreleased_line(*inputs_.facts, component, options_.today);
      out.patch.none_reason = unreleased.empty()
                                  ? "version " + component.version_text + " is in no release line the end-of-life data knows"
                                  : unreleased;
    } else {
      std::string line = running_cycle != nullptr && !distro ? running_cycle->cycle : plain_line(component, running);
      choose(
          index, walk,
          [&](const Candidate& c) {
            return running_cycle != nullptr && !distro ? same_cycle(c.cycle, running_cycle)
                                                       : plain_line(component, c.version) == line;
          },
          out.patch, "no release of line " + line + " is known", false);
      if (!out.patch.target && out.patch.blocked.empty()) {
        // Say where the fix is when it is only in a later line.
        for (size_t k = 0; k < walk.size(); ++k) {
          const Candidate* candidate = &walk.at(k);
          std::string other = candidate->cycle != nullptr ? candidate->cycle->cycle : plain_line(component, candidate->version);
          if (other == line || !admissible(*candidate, running) || affected(component, walk, k)) continue;
          if (candidate->cycle != nullptr && candidate->cycle->security_ended(options_.today)) continue;
          if (!breaks(index, candidate->text()).empty()) continue;
          out.patch.none_reason += "; the lowest unaffected release is " + written(component, candidate->text()) +
                                   ", in line " + other;
          Target later;
          later.version = written(component, candidate->text());
          later.release = candidate->text();
          later.line = other;
          if (candidate->cycle != nullptr) later.supported_until = candidate->cycle->security_ends;
          later.source = candidate->describe_source();
          out.patch.later = std::move(later);
          break;
        }
      }
    }

    Date until = options_.today + options_.window_days;
    if (distro) {
      // Within a distro release every fix is the same line: the patch target is supported
      // as long as the release is; past that, the way on is a newer distro release.
      const std::string release = component.identity.ecosystem + " " + component.identity.release;
      if (unreleased_distro != nullptr) {
        out.supported.none_reason = release + " was not released by " + options_.today.to_string() + " (released " +
                                    unreleased_distro->released->to_string() + ")";
      } else if (running_cycle == nullptr) {
        out.supported.none_reason = "no end-of-life data for " + release;
      } else if (!supported_past(*running_cycle, until)) {
        out.supported.none_reason = release + " is not supported past " + until.to_string() + ": upgrade the distro release";
      } else {
        out.supported = out.patch;
        if (out.patch.target && !out.patch.target->current) {
          // The release's newest clean fix, as for any supported target (apt-get upgrade
          // installs the newest too); what rules the patch target out is said already.
          Choice newest;
          choose(index, walk, [](const Candidate&) { return true; }, newest, "", true);
          if (newest.target) out.supported = std::move(newest);
        }
        if (out.supported.target) out.supported.target->supported_until = running_cycle->security_ends;
      }
      return;
    }
    // Supported target: any line supported past the window.
    if (!has_eol) {
      out.supported.none_reason = "no end-of-life data" + (component.product.empty() ? std::string() : " for " + component.product);
      return;
    }
    choose(
        index, walk, [&](const Candidate& c) { return c.cycle != nullptr && supported_past(*c.cycle, until); },
        out.supported, "no release of a line supported past " + until.to_string() + " is known", true);
  }

  // A line pin ("redis:7", "node:22-alpine", "debian:bookworm", EKS "1.29") follows its
  // line's patches, and a range pin ("~> 1.5.0") is resolved elsewhere; the supported
  // target of either is a line, written as the pin writes one ("4" for "rabbitmq:3"
  // when the tag "4" points at a line that qualifies).
  void solve_line(size_t index, ComponentTargets& out) {
    const inventory::Component& component = inputs_.inventory->components[index];
    const bool range = component.pin.kind == Kind::kRange;
    const std::string follows = range ? "range pin (" + component.pin.constraint + "): what runs is decided where it resolves"
                                      : "line pin: patches arrive with the line";
    auto product = inputs_.facts->products.find(component.product);
    if (component.product.empty() || product == inputs_.facts->products.end()) {
      out.patch.none_reason = follows;
      out.supported.none_reason = "no end-of-life data" + (component.product.empty() ? std::string() : " for " + component.product);
      return;
    }
    facts::MadeUpCycles before_known;
    const facts::EolCycle* running = evaluator::eol_cycle_of(*inputs_.facts, component, options_.today, before_known);
    out.patch.none_reason = running != nullptr && running->security_ended(options_.today) ? ended_text(*running) : follows;
    auto cycle_version = [](const facts::EolCycle& cycle) -> std::optional<versions::Version> {
      auto parsed = versions::Version::parse(versions::Scheme::kGeneric, cycle.cycle);
      if (!parsed.ok()) return std::nullopt;
      return std::move(parsed.value());
    };
    if (running == nullptr) {
      // A line the data does not know may be newer than all it knows: no floor to judge by.
      std::string unreleased = unreleased_line(*inputs_.facts, component, options_.today);
      out.supported.none_reason =
          unreleased.empty() ? "line " + std::string(component.version_text) + " is not in the end-of-life data" : unreleased;
      return;
    }
    std::optional<versions::Version> floor = cycle_version(*running);
    Date until = options_.today + options_.window_days;
    const facts::EolCycle* best = nullptr;
    std::optional<versions::Version> best_version;
    const CandidateList& known = candidates_.of(component);
    // What the line's tag points at on today: its newest release out by then. When the
    // data lists none of the line's releases by then (Debian's release-data begins at 11.7,
    // of 2023: a replay of 2022 finds no Debian 11 point release) but the line itself was
    // out, its first release stands in, named as the line ("11"): the tag pointed there.
    auto tag_release = [&](const facts::EolCycle& cycle) -> std::string {
      for (auto it = known.candidates().rbegin(); it != known.candidates().rend(); ++it) {
        if (same_cycle(it->cycle, &cycle) && !it->prerelease) return it->text();
      }
      if (evaluator::known_by(cycle.latest_date, options_.today)) return cycle.latest;
      bool line_out = !cycle.latest.empty() && cycle.released && *cycle.released <= options_.today;
      return line_out ? cycle.cycle : std::string();
    };
    std::string affected_ids;  // of lines ruled out by an advisory only
    // The advisories on every line that an advisory alone ruled out (sorted; nullopt before
    // the first such line), and those the second pass looks past.
    std::optional<std::vector<const facts::Advisory*>> on_every_line;
    std::vector<const facts::Advisory*> ignoring;
    auto qualifies = [&](const facts::EolCycle& cycle) {
      if (!supported_past(cycle, until) || (cycle.released && *cycle.released > options_.today)) return false;
      // The release the tag points at must be out, unaffected and keep every constraint.
      std::string release = tag_release(cycle);
      if (release.empty()) return false;
      std::vector<const facts::Advisory*> which;
      if (affected(component, release, &which)) {
        std::sort(which.begin(), which.end());
        bool only_ignored = !which.empty() && std::includes(ignoring.begin(), ignoring.end(), which.begin(), which.end());
        if (!only_ignored) {
          if (affected_ids.empty() && !which.empty()) affected_ids = which.front()->id;
          if (!on_every_line) {
            on_every_line = which;
          } else {
            std::vector<const facts::Advisory*> both;
            std::set_intersection(on_every_line->begin(), on_every_line->end(), which.begin(), which.end(),
                                  std::back_inserter(both));
            *on_every_line = std::move(both);
          }
          return false;
        }
      }
      return breaks(index, release).empty();
    };
    auto pick_lowest = [&] {
      for (const facts::EolCycle& cycle : product->second.cycles) {
        auto version = cycle_version(cycle);
        if (!version || (floor && versions::compare(*version, *floor) < 0) || !qualifies(cycle)) continue;
        if (!best_version || versions::compare(*version, *best_version) < 0) {
          best = &cycle;
          best_version = std::move(version);
        }
      }
    };
    pick_lowest();
    // An advisory on the newest release of every line that qualifies otherwise cannot
    // decide between them (as for exact pins: `choose`): the lines are judged again without
    // it, and it is named as remaining.
    if (best == nullptr && on_every_line && !on_every_line->empty()) {
      ignoring = *on_every_line;
      pick_lowest();
      // What runs, still affected: nothing asks for an upgrade, and the reason below
      // ("no fixed release yet") says so, as for exact pins.
      if (best != nullptr && same_cycle(best, running)) best = nullptr;
      if (best != nullptr) {
        for (const facts::Advisory* advisory : ignoring) out.supported.remaining.push_back(advisory->id);
        std::sort(out.supported.remaining.begin(), out.supported.remaining.end());
      }
    }
    if (best == nullptr) {
      out.supported.none_reason =
          affected_ids.empty() ? "no line supported past " + until.to_string() + " is known"
                               : "no fixed release yet: every line supported past " + until.to_string() +
                                     " is affected (" + affected_ids + ")";
      return;
    }
    Target target;
    if (!component.pin.codename.empty()) {
      target.version = written_codename(products(), component, *best, same_cycle(best, running));
    } else if (range) {
      target.version = best->cycle;
    } else {
      target.version = written(component, coarse_line(component, product->second, *best, options_.today, qualifies));
    }
    target.release = tag_release(*best);
    target.line = best->cycle;
    target.supported_until = best->security_ends;
    target.source = "endoflife cycle " + component.product + "/" + best->cycle;
    target.current = same_cycle(best, running);
    out.supported.target = std::move(target);
  }

  // The line a pin coarser than the product's cycles ("3" of rabbitmq's "3.13") would
  // name for `best` ("4"), when the tag's newest cycle in it qualifies too; else best's.
  template <typename Qualifies>
  static std::string coarse_line(const inventory::Component& component, const facts::EolProduct& product,
                                 const facts::EolCycle& best, Date today, Qualifies qualifies) {
    int parts = inventory::number_parts(component.pin.cycle);
    if (parts == 0 || parts >= inventory::number_parts(best.cycle)) return best.cycle;
    std::string coarse = best.cycle;
    for (size_t dot = 0, seen = 0; (dot = coarse.find('.', dot)) != std::string::npos; ++dot) {
      if (++seen == static_cast<size_t>(parts)) {
        coarse.resize(dot);
        break;
      }
    }
    const facts::EolCycle* newest = nullptr;
    std::optional<versions::Version> newest_version;
    for (const facts::EolCycle& cycle : product.cycles) {
      // A cycle released after the day is no line the tag can point at yet.
      if (cycle.released && *cycle.released > today) continue;
      auto version = versions::Version::parse(versions::Scheme::kGeneric, cycle.cycle);
      if (!version.ok() || !versions::in_cycle(*version, coarse)) continue;
      if (!newest_version || versions::compare(*version, *newest_version) > 0) {
        newest = &cycle;
        newest_version = std::move(version.value());
      }
    }
    return newest != nullptr && qualifies(*newest) ? coarse : best.cycle;
  }

  const Inputs& inputs_;
  const Options& options_;
  Candidates& candidates_;
  const Selectors& by_selector_;
};

std::string describe(const Choice& choice, const char* kind) {
  if (!choice.target) return std::string("no ") + kind + " target: " + choice.none_reason;
  const Target& target = *choice.target;
  std::string out = std::string(kind) + " " + (target.current ? "current (" + target.version + ")" : target.version);
  if (std::string(kind) == "supported") {
    out += target.supported_until ? " (to " + target.supported_until->to_string() + ")" : " (no end date announced)";
  }
  if (!target.steps.empty()) {
    out += ", one line at a time:";
    for (size_t i = 0; i < target.steps.size(); ++i) out += (i == 0 ? " " : " -> ") + target.steps[i];
  }
  if (!choice.remaining.empty()) {
    std::string ids;
    for (const std::string& id : choice.remaining) ids += (ids.empty() ? "" : ", ") + id;
    out += " (still affected, no fixed release yet: " + ids + ")";
  }
  return out;
}

}  // namespace

std::vector<ComponentTargets> solve(const Inputs& inputs, const std::vector<size_t>& which, const Options& options) {
  const Selectors by_selector = index_selectors(*inputs.inventory);
  Candidates candidates(*inputs.facts, inputs.advisories, options.today);
  std::vector<ComponentTargets> out(which.size());
  unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads) : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(which.size() / 256 + 1)));
  // Contiguous slices: each thread keeps its own candidate cache warm.
  auto run = [&](size_t begin, size_t end) {
    Solver solver(inputs, options, by_selector, candidates);
    for (size_t k = begin; k < end; ++k) out[k] = solver.solve(which[k]);
  };
  std::vector<std::thread> workers;
  size_t slice = (which.size() + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t) {
    workers.emplace_back(run, std::min(which.size(), t * slice), std::min(which.size(), (t + 1) * slice));
  }
  run(0, std::min(which.size(), slice));
  for (std::thread& worker : workers) worker.join();
  return out;
}

std::string summary(const ComponentTargets& targets) {
  // One reason that rules out both (an invalid version, a product nothing is known of)
  // is said once.
  bool same_reason = !targets.patch.target && !targets.supported.target && targets.patch.blocked.empty() &&
                     targets.supported.blocked.empty() && targets.patch.none_reason == targets.supported.none_reason;
  std::string out = same_reason ? "no target: " + targets.patch.none_reason : describe(targets.patch, "patch");
  if (!targets.advisories_unchecked.empty()) out += " (advisories not checked: " + targets.advisories_unchecked + ")";
  if (same_reason) return out;
  // Without end-of-life data there is nothing to say about support in a table cell.
  if (targets.supported.target || targets.supported.none_reason.rfind("no end-of-life data", 0) != 0) {
    out += "; " + describe(targets.supported, "supported");
  }
  return out;
}

}  // namespace uprank::targets
