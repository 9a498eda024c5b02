// A small world for target solver tests: end-of-life cycles, release lists, advisories,
// constraints and components, built by hand, and one call that solves a component.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/evaluator/joins.h"
#include "engine/inventory/version_pin.h"
#include "engine/targets/targets.h"

namespace uprank::targets::solver_world {

using versions::Scheme;
using Kind = inventory::Component::VersionPin::Kind;

inline Date day(const char* text) { return Date::parse(text).value(); }

struct World {
  inventory::Inventory inventory;
  facts::FactSet facts;
  std::vector<compiler::CompiledConstraint> constraints;
  const inventory::ProductMap* products = nullptr;  // null: the bundled map

  facts::EolCycle& cycle(const std::string& product, const std::string& name, const char* ends,
                         const std::string& latest = "", const char* latest_date = nullptr) {
    facts::EolCycle cycle;
    cycle.product = product;
    cycle.cycle = name;
    if (ends != nullptr) cycle.security_ends = day(ends);
    cycle.latest = latest;
    if (latest_date != nullptr) cycle.latest_date = day(latest_date);
    facts.products[product].name = product;
    facts.products[product].cycles.push_back(cycle);
    return facts.products[product].cycles.back();
  }
  void released(const std::string& product, const std::vector<std::pair<std::string, const char*>>& versions) {
    facts::ProductReleases& list = facts.released[product];
    list.product = product;
    for (const auto& [version, date] : versions) {
      list.versions.push_back(facts::ProductRelease{version, date ? std::optional<Date>(day(date)) : std::nullopt});
    }
  }
  // An advisory on `package`: a product when `ecosystem` is empty (as a declared
  // `advisory` block is), else a package of that OSV ecosystem.
  void advisory(const std::string& id, const std::string& package, const std::vector<versions::Range::OsvEvent>& events,
                Scheme scheme = Scheme::kGeneric, const std::string& ecosystem = "") {
    facts::Advisory& advisory = facts.advisories[id];
    advisory.id = id;
    facts::AffectedPackage affected;
    affected.ecosystem = ecosystem;
    affected.name = package;
    affected.scheme = scheme;
    facts::AffectedRange range;
    range.type = "ECOSYSTEM";
    range.events = events;
    range.range = versions::Range::from_osv_events(scheme, events).value();
    affected.ranges.push_back(range);
    advisory.affected.push_back(affected);
  }
  size_t component(const std::string& name, const std::string& product, const std::string& version,
                   Scheme scheme = Scheme::kGeneric) {
    inventory::Component component;
    component.name = name;
    component.product = product;
    component.version_text = version;
    component.scheme = scheme;
    auto parsed = versions::Version::parse(scheme, version);
    if (parsed.ok()) component.version = parsed.value();
    inventory.components.push_back(component);
    return inventory.components.size() - 1;
  }
  // A component as the image readers record it: the version without the tag's variant,
  // the tag itself in attributes.pinned.
  size_t image(const std::string& name, const std::string& product, const std::string& version, const std::string& tag) {
    size_t index = component(name, product, version);
    inventory.components[index].attributes["pinned"] = tag;
    inventory.components[index].attributes["tag"] = tag;
    return index;
  }
  size_t line_pin(const std::string& name, const std::string& product, const std::string& line, const std::string& tag) {
    size_t index = component(name, product, line);
    inventory::Component& pinned = inventory.components[index];
    pinned.version.reset();
    pinned.pin.kind = Kind::kCycle;
    pinned.pin.cycle = line;
    pinned.attributes["pinned"] = tag;
    pinned.attributes["tag"] = tag;
    return index;
  }
  ComponentTargets solve_one(size_t index, const char* today, int32_t window = 120) {
    evaluator::AdvisoryIndex advisories(facts, {});
    Inputs inputs{&inventory, &facts, &advisories, &constraints, products};
    return solve(inputs, {index}, Options{day(today), window})[0];
  }
};

inline std::string version_of(const Choice& choice) {
  return choice.target ? choice.target->version : "none: " + choice.none_reason;
}

inline compiler::ConstraintSide side(const std::string& selector, const std::string& op, const std::string& text) {
  compiler::ConstraintSide out;
  out.selector = selector;
  out.op = op;
  out.text = text;
  return out;
}

}  // namespace uprank::targets::solver_world
