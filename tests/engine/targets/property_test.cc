// A property test of the target solver, checked independently of the solver's code: for
// every component of a generated fleet (10,000 components over the fixture products,
// their end-of-life data, release lists and advisories) and of every fixture inventory,
// each target is released, at or above the running version, affected by no loaded
// advisory (asked of the evaluator's matcher, on the component as it would run), in a
// line supported past the window (supported targets) or not past support (patch
// targets), and keeps every constraint (asked of the evaluator: the constraint's own
// rule must not fire), or the solver says why none exists.
#include <algorithm>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/evaluator/joins.h"
#include "engine/inventory/readers.h"
#include "engine/targets/targets.h"
#include "fetchers/importer.h"
#include "fetchers/snapshot.h"
#include "fetchers/to_facts.h"
#include "grammar/parser.h"

namespace uprank::targets {
namespace {

namespace fs = std::filesystem;

const Date kToday = Date::parse("2026-09-01").value();
constexpr int32_t kWindow = 120;

// Compatibility constraints between fixture products, as a team would declare them.
const char* kConstraints = R"(
package fleet
requires "django" >= "5.0" => "postgresql" >= "14"
conflicts "nodejs" < "20" with "redis" >= "7.4"
requires "tomcat" >= "10" => "eclipse-temurin" >= "17"
requires "grafana" >= "11" => "postgresql" in ">=13, <18"
)";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Data {
  facts::FactSet facts;
  std::shared_ptr<const compiler::Program> program;
  std::map<std::string, std::vector<std::string>> released;  // by product, as published
};

// The facts: end-of-life cycles from the bundled snapshot, every release-data file, and
// every fixture OSV record.
const Data& data() {
  static const Data loaded = [] {
    Data data;
    auto snapshot = fetch::load_snapshot_facts(std::string(UPRANK_SOURCE_DIR) + "/data/snapshot.json");
    EXPECT_TRUE(snapshot.ok());
    data.facts = std::move(snapshot.value());
    fs::path fixtures(UPRANK_SHARED_FIXTURES);
    for (const auto& entry : fs::directory_iterator(fixtures / "endoflife" / "release-data")) {
      if (entry.path().extension() != ".json") continue;
      std::string product = entry.path().stem().string();
      auto json = nlohmann::json::parse(read(entry.path()));
      facts::ProductReleases& list = data.facts.released[product];
      list.product = product;
      for (const auto& [name, value] : json["versions"].items()) {
        facts::ProductRelease release{name, std::nullopt};
        if (value.contains("date") && value["date"].is_string()) release.date = Date::parse(value["date"].get<std::string>());
        list.versions.push_back(release);
        data.released[product].push_back(name);
      }
    }
    auto imported = fetch::import_feeds((fixtures / "osv").string(), "2026-08-22T00:00:00Z");
    EXPECT_TRUE(imported.ok()) << (imported.ok() ? "" : imported.error().message);
    for (const auto& response : imported->responses) EXPECT_TRUE(fetch::add_response_facts(response, data.facts).ok());
    auto parsed = grammar::parse_file(kConstraints, "fleet.upr");
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    data.program = compiler::compile(files).program;
    EXPECT_TRUE(data.program);
    return data;
  }();
  return loaded;
}

// Released on `kToday`, by an independent reading of the sources: a release list entry,
// a cycle's latest, an advisory's fix, or the running version itself.
bool is_released(const inventory::Component& component, const Target& target) {
  const Data& all = data();
  if (target.current) return true;
  if (auto list = all.facts.released.find(component.product); list != all.facts.released.end()) {
    for (const auto& release : list->second.versions) {
      if (release.version == target.release) return !release.date || *release.date <= kToday;
    }
    return false;  // a product with a release list: nothing else counts
  }
  if (auto product = all.facts.products.find(component.product); product != all.facts.products.end()) {
    for (const auto& cycle : product->second.cycles) {
      if (cycle.latest == target.release) return true;
    }
  }
  std::string bare = target.release.size() > 1 && target.release[0] == 'v' ? target.release.substr(1) : target.release;
  for (const auto& [id, advisory] : all.facts.advisories) {
    for (const auto& affected : advisory.affected) {
      for (const auto& range : affected.ranges) {
        for (const auto& event : range.events) {
          if (event.kind == "fixed" && (event.version == target.release || event.version == bare)) return true;
        }
      }
    }
  }
  return false;
}

// The component as it would run at `release`.
inventory::Component upgraded(const inventory::Component& component, const std::string& release) {
  inventory::Component copy = component;
  copy.version_text = release;
  auto parsed = versions::Version::parse(copy.scheme, release);
  copy.version = parsed.ok() ? std::optional<versions::Version>(parsed.value()) : std::nullopt;
  copy.pin = inventory::Component::VersionPin{};
  if (copy.attributes.count("source_version")) copy.attributes["source_version"] = release;
  return copy;
}

struct Checker {
  const inventory::Inventory& inventory;
  evaluator::AdvisoryIndex index{data().facts, {}};
  size_t targets = 0, nones = 0, blocked = 0;

  // The constraint rules that fire on `which` running `release`, with the components
  // they relate it to (its cluster: the fleet's clusters are small).
  size_t constraint_findings(size_t which, const std::string& release) const {
    const inventory::Component& self = inventory.components[which];
    inventory::Inventory near;
    for (size_t i = 0; i < inventory.components.size(); ++i) {
      if (i == which) near.components.push_back(upgraded(self, release));
      else if (inventory::related(self, inventory.components[i])) near.components.push_back(inventory.components[i]);
    }
    evaluator::EvaluationOptions options;
    options.threads = 1;
    auto evaluation = evaluator::evaluate_rules(*data().program, near, data().facts, kToday, options);
    size_t count = 0;
    for (const auto& finding : evaluation.findings) {
      for (size_t c : finding.components) count += near.components[c].name == self.name ? 1 : 0;
    }
    return count;
  }

  void check(size_t which, const Choice& choice, bool supported) {
    const inventory::Component& component = inventory.components[which];
    std::string where = component.name + " " + component.version_text + (supported ? " supported" : " patch");
    if (!choice.target) {
      ++nones;
      if (!choice.blocked.empty()) ++blocked;
      EXPECT_FALSE(choice.none_reason.empty()) << where << ": no target and no reason";
      return;
    }
    ++targets;
    const Target& target = *choice.target;
    where += " -> " + target.version + " (" + target.release + ")";
    EXPECT_TRUE(is_released(component, target)) << where << ": not released on " << kToday.to_string();
    auto parsed = versions::Version::parse(component.scheme, target.release);
    ASSERT_TRUE(parsed.ok()) << where;
    if (component.version) EXPECT_GE(versions::compare(*parsed, *component.version), 0) << where << ": below what runs";
    // Affected by nothing but the advisories the choice names as remaining (no release
    // escapes them: they affect what runs too, and are left standing on the target).
    for (const auto& match : index.match(upgraded(component, target.release))) {
      bool remaining = std::find(choice.remaining.begin(), choice.remaining.end(), match.advisory->id) != choice.remaining.end();
      EXPECT_TRUE(remaining) << where << ": affected by " << match.advisory->id;
    }
    if (!choice.remaining.empty()) {
      std::vector<std::string> running_ids;
      for (const auto& match : index.match(component)) running_ids.push_back(match.advisory->id);
      for (const std::string& id : choice.remaining) {
        EXPECT_NE(std::find(running_ids.begin(), running_ids.end(), id), running_ids.end())
            << where << ": remaining " << id << " does not affect what runs";
      }
    }
    if (!component.product.empty() && data().facts.products.count(component.product)) {
      const facts::EolCycle* cycle = data().facts.find_cycle(component.product, *parsed);
      ASSERT_NE(cycle, nullptr) << where << ": in no known line";
      EXPECT_FALSE(cycle->security_ended(kToday)) << where << ": line past support";
      if (supported) EXPECT_FALSE(cycle->security_ended(kToday + kWindow)) << where << ": not supported past the window";
      if (supported && !target.current) newest_of_its_line(which, choice, *cycle, *parsed, where);
    }
    EXPECT_EQ(constraint_findings(which, target.release), 0u) << where << ": breaks a constraint";
  }

  // A supported target that is an upgrade is the newest release of its line that is out,
  // affected by nothing but the choice's remaining advisories, and keeps every constraint.
  void newest_of_its_line(size_t which, const Choice& choice, const facts::EolCycle& line, const versions::Version& target,
                          const std::string& where) const {
    const inventory::Component& component = inventory.components[which];
    auto list = data().facts.released.find(component.product);
    if (list == data().facts.released.end()) return;
    for (const auto& release : list->second.versions) {
      if (release.date && *release.date > kToday) continue;
      auto parsed = versions::Version::parse(component.scheme, release.version);
      if (!parsed.ok() || versions::compare(*parsed, target) <= 0) continue;
      const facts::EolCycle* cycle = data().facts.find_cycle(component.product, *parsed);
      if (cycle == nullptr || cycle->product != line.product || cycle->cycle != line.cycle) continue;
      bool clean = true;
      for (const auto& match : index.match(upgraded(component, release.version))) {
        clean = clean && std::find(choice.remaining.begin(), choice.remaining.end(), match.advisory->id) != choice.remaining.end();
      }
      if (!clean) continue;
      EXPECT_NE(constraint_findings(which, release.version), 0u)
          << where << ": " << release.version << " is a newer clean release of line " << line.cycle;
    }
  }

  void check_all(const std::vector<size_t>& which, const std::vector<ComponentTargets>& solved) {
    for (size_t k = 0; k < which.size(); ++k) {
      const inventory::Component& component = inventory.components[which[k]];
      check(which[k], solved[k].patch, false);
      // A line pin's supported target is a line: its latest release must qualify.
      if (component.pin.exact()) check(which[k], solved[k].supported, true);
    }
  }
};

std::vector<ComponentTargets> solve_all(const inventory::Inventory& inventory, const evaluator::AdvisoryIndex& index,
                                        std::vector<size_t>& which, int threads = 0) {
  which.clear();
  for (size_t i = 0; i < inventory.components.size(); ++i) which.push_back(i);
  Inputs inputs{&inventory, &data().facts, &index, &data().program->constraints()};
  return solve(inputs, which, Options{kToday, kWindow, threads});
}

TEST(TargetProperties, GeneratedFleetOf10000Components) {
  const Data& all = data();
  std::vector<std::string> products;
  for (const auto& [product, list] : all.released) {
    if (all.facts.products.count(product)) products.push_back(product);
  }
  ASSERT_GE(products.size(), 30u);
  std::mt19937 random(20261130);
  inventory::Inventory fleet;
  for (size_t i = 0; i < 10000; ++i) {
    const std::string& product = products[random() % products.size()];
    const auto& versions = all.released.at(product);
    inventory::Component component;
    component.name = product + "-" + std::to_string(i);
    component.product = product;
    component.version_text = versions[random() % versions.size()];
    if (random() % 10 == 0) component.version_text += "-alpine";  // an image tag
    component.cluster = "cluster-" + std::to_string(i / 25);
    auto parsed = versions::Version::parse(component.scheme, component.version_text);
    if (parsed.ok()) component.version = parsed.value();
    fleet.components.push_back(std::move(component));
  }
  Checker checker{fleet};
  std::vector<size_t> which;
  auto solved = solve_all(fleet, checker.index, which);
  checker.check_all(which, solved);
  std::printf("generated fleet: %zu targets checked, %zu without a target (%zu blocked by a constraint)\n",
              checker.targets, checker.nones, checker.blocked);
  EXPECT_GT(checker.targets, 5000u);
  EXPECT_GT(checker.blocked, 0u);  // the constraints do bite

  // The answer does not depend on the number of threads.
  auto one_thread = solve_all(fleet, checker.index, which, 1);
  auto four_threads = solve_all(fleet, checker.index, which, 4);
  for (size_t k = 0; k < which.size(); ++k) {
    ASSERT_EQ(summary(one_thread[k]), summary(solved[k])) << fleet.components[k].name;
    ASSERT_EQ(summary(four_threads[k]), summary(solved[k])) << fleet.components[k].name;
  }
}

TEST(TargetProperties, EveryFixtureInventory) {
  fs::path root = fs::path(UPRANK_SHARED_FIXTURES) / "inventories";
  std::vector<std::string> paths;
  for (const char* part : {"dpkg/status.d-multiple", "infra/example-voting-app", "infra/retail-store-sample-app"}) {
    paths.push_back((root / part).string());
  }
  for (const char* folder : {"sbom/cyclonedx", "sbom/spdx"}) {
    for (const auto& entry : fs::directory_iterator(root / folder)) {
      if (entry.path().filename().string().rfind("LICENSE", 0) != 0) paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  size_t total = 0;
  for (const std::string& path : paths) {
    inventory::Inventory inventory = inventory::read_inventory_paths({path});
    Checker checker{inventory};
    std::vector<size_t> which;
    auto solved = solve_all(inventory, checker.index, which);
    checker.check_all(which, solved);
    total += checker.targets;
    std::printf("%s: %zu components, %zu targets checked, %zu without\n", fs::path(path).filename().c_str(),
                inventory.components.size(), checker.targets, checker.nones);
  }
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace uprank::targets
