// Evaluating a later day again only for the components whose verdict may change
// (Evaluation::unchanged_through, changing_by): checked against a whole evaluation on
// that day. Each flagged component must get the whole evaluation's findings and rank;
// every other component must have the same findings and rank on both days. On small
// programs that read the day in each way the language allows, and on the shipped rule
// packs over the fixture inventories, end-of-life data, OSV records and KEV catalog.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/compiler/compiler.h"
#include "engine/evaluator/evaluator.h"
#include "engine/inventory/readers.h"
#include "fetchers/importer.h"
#include "fetchers/snapshot.h"
#include "fetchers/to_facts.h"
#include "grammar/parser.h"

namespace uprank::evaluator {
namespace {

namespace fs = std::filesystem;

Date day(const char* text) { return *Date::parse(text); }

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<const compiler::Program> compile(const std::vector<std::pair<std::string, std::string>>& sources) {
  std::vector<ast::File> files;
  for (const auto& [name, text] : sources) {
    auto parsed = grammar::parse_file(text, name);
    EXPECT_TRUE(parsed.diagnostics.empty()) << name << ": " << render_diagnostic(parsed.diagnostics.at(0));
    files.push_back(std::move(parsed.file));
  }
  auto compiled = compiler::compile(files);
  for (const auto& d : compiled.diagnostics) EXPECT_NE(d.severity, Severity::kError) << render_diagnostic(d);
  return compiled.program;
}

// Everything a report shows of each subject's verdict, as text: its findings (shown or
// suppressed) and its rank.
std::map<size_t, std::string> verdicts(const Evaluation& evaluation) {
  std::map<size_t, std::string> out;
  auto add = [&](const Finding& finding, const char* shown) {
    std::ostringstream line;
    line << shown << " " << finding.rule() << " level=" << static_cast<int>(finding.level) << " score=" << finding.score
         << " title=" << finding.title() << " message=" << finding.message() << " target=" << finding.target()
         << " due=" << (finding.due ? finding.due->to_string() : "-") << " components=";
    for (size_t c : finding.components) line << c << ",";
    for (const auto& step : finding.decision_path()) line << " [" << step.point << "=" << step.value << " " << step.because << "]";
    for (const auto& [kind, message] : finding.risks()) line << " risk " << kind << ": " << message;
    for (const auto& record : finding.advisories) line << " advisory " << record.match->advisory->id;
    for (const auto& record : finding.cycles) line << " cycle " << record.cycle->product << "/" << record.cycle->cycle;
    out[finding.components.front()] += line.str() + "\n";
  };
  for (const Finding& finding : evaluation.findings) add(finding, "shown");
  for (const Finding& finding : evaluation.suppressed) add(finding, "suppressed");
  for (const ComponentRank& rank : evaluation.ranks) {
    std::ostringstream line;
    line << "rank decided=" << rank.decided << " level=" << static_cast<int>(rank.level) << " base=" << rank.base
         << " because=" << rank.base_because << " due=" << (rank.due ? rank.due->to_string() : "-");
    for (const auto& factor : rank.factors) line << " " << factor.name << "=" << factor.points.value_or(-1) << " " << factor.because;
    out[rank.component] += line.str() + "\n";
  }
  return out;
}

std::string of(const std::map<size_t, std::string>& all, size_t c) {
  auto found = all.find(c);
  return found == all.end() ? std::string() : found->second;
}

// Evaluates on `today`, then on `later` (with the facts known on `today`) both whole and for
// changing_by()'s subjects only, and checks the two agree as changing_by() promises. Returns how many were flagged.
size_t expect_later_day_agrees(const compiler::Program& program, const inventory::Inventory& inventory,
                               const facts::FactSet& facts, Date today, Date later) {
  EvaluationOptions options;
  options.threads = 2;
  Evaluation now = evaluate_rules(program, inventory, facts, today, options);
  // Coming due looks ahead with what is known on `today` (evaluator::known_by): the later
  // day's facts are today's.
  options.facts_known_on = today;
  Evaluation whole = evaluate_rules(program, inventory, facts, later, options);
  auto changing = changing_by(now.unchanged_through, later);
  EXPECT_TRUE(changing.has_value()) << "the evaluation on " << today.to_string() << " cannot tell";
  if (!changing) return 0;
  EvaluationOptions only = options;
  only.subjects = &*changing;
  Evaluation part = evaluate_rules(program, inventory, facts, later, only);
  auto on_today = verdicts(now), on_later = verdicts(whole), again = verdicts(part);
  size_t flagged = 0;
  for (size_t c = 0; c < inventory.components.size(); ++c) {
    std::string where = inventory.components[c].name + " " + inventory.components[c].version_text + ", " +
                        today.to_string() + " -> " + later.to_string();
    if ((*changing)[c]) {
      ++flagged;
      EXPECT_EQ(of(again, c), of(on_later, c)) << where;
    } else {
      EXPECT_EQ(of(on_today, c), of(on_later, c)) << where << ": not flagged, yet its verdict changed";
      EXPECT_EQ(of(again, c), "") << where << ": not flagged, yet evaluated";
    }
  }
  return flagged;
}

inventory::Component component(std::string name, std::string product, std::string version) {
  inventory::Component c;
  c.name = std::move(name);
  c.product = std::move(product);
  c.version_text = version;
  c.version = versions::Version::parse(versions::Scheme::kGeneric, version).value();
  return c;
}

facts::FactSet node_facts() {
  facts::FactSet facts;
  facts::EolProduct product{"nodejs", "Node.js", {}};
  auto cycle = [](const char* name, const char* ends, const char* lts_from) {
    facts::EolCycle c;
    c.product = "nodejs";
    c.cycle = name;
    c.security_ends = Date::parse(ends);
    c.lts = lts_from != nullptr;
    if (lts_from != nullptr) c.lts_from = Date::parse(lts_from);
    c.latest = std::string(name) + ".0.1";
    c.evidence = {"endoflife", std::string("nodejs/") + name, "https://endoflife.date/nodejs", "2026-08-22T00:00:00Z"};
    return c;
  };
  // Newest first, as the data lists them.
  product.cycles = {cycle("24", "2028-04-30", "2026-10-28"), cycle("22", "2027-04-30", "2024-10-29"),
                    cycle("20", "2026-10-15", "2023-10-24"), cycle("18", "2025-04-30", "2022-10-25")};
  facts.products["nodejs"] = product;
  return facts;
}

inventory::Inventory node_fleet() {
  inventory::Inventory fleet;
  fleet.components = {component("api", "nodejs", "18.20.0"), component("web", "nodejs", "20.11.0"),
                      component("jobs", "nodejs", "22.1.0"), component("edge", "nodejs", "24.0.0"),
                      component("tool", "", "1.0.0")};
  inventory::Component lts = component("lts", "nodejs", "22.1.0");
  lts.version.reset();
  lts.version_text = "lts/*";
  lts.pin.kind = inventory::Component::VersionPin::Kind::kCycle;
  lts.pin.codename = "lts/*";
  fleet.components.push_back(lts);
  return fleet;
}

// A cycle's `ended` changes on the day after its end date, and only for the components
// that run it: the others are not evaluated again.
TEST(LaterDayTest, EndedChangesOnlyTheComponentsWhoseCycleEnds) {
  auto program = compile({{"ended.upr", R"(
rule unsupported {
  for c in components where c.eol.ended
  urgency high
  message "{c.name} runs {c.eol.cycle}, unsupported since {c.eol.ends}"
}
)"}});
  ASSERT_TRUE(program);
  inventory::Inventory fleet = node_fleet();
  fleet.components.pop_back();  // no "lts/*" pin here
  facts::FactSet facts = node_facts();
  Evaluation now = evaluate_rules(*program, fleet, facts, day("2026-09-01"));
  ASSERT_EQ(now.unchanged_through.size(), fleet.components.size());
  EXPECT_EQ(now.unchanged_through[0], compiler::never());  // 18: ended already, stays ended
  EXPECT_EQ(now.unchanged_through[1], day("2026-10-15"));
  EXPECT_EQ(now.unchanged_through[2], day("2027-04-30"));
  EXPECT_EQ(now.unchanged_through[4], compiler::never());  // no cycle: not a candidate
  EXPECT_EQ(expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day("2026-10-15")), 0u);
  EXPECT_EQ(expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day("2026-10-16")), 1u);
  EXPECT_EQ(expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day("2027-06-01")), 2u);
}

// A rule that reads `today` itself holds for that day only; suppressions hold through
// `until`; a rank policy's reads count as the component's.
TEST(LaterDayTest, TodaySuppressionsAndRankPolicy) {
  auto program = compile({{"day.upr", R"(
param window = 60d
rule soon {
  for c in components where not c.eol.ended and c.eol.ends <= today + window
  urgency medium
  message "{c.name} ends in {days(c.eol.ends - today)} days"
}
rule old {
  for c in components where c.eol.ended
  urgency high
  message "{c.name} is past support"
}
suppress old where c.name == "api" until 2026-12-31 because "migrating"
rank by_policy {
  for c in components
  urgency max(f.urgency for f in c.findings)
  score if today > 2026-12-01 then 10 else 0 because "late in the year"
}
)"}});
  ASSERT_TRUE(program);
  inventory::Inventory fleet = node_fleet();
  fleet.components.pop_back();
  facts::FactSet facts = node_facts();
  for (const char* later : {"2026-10-01", "2026-12-01", "2026-12-31", "2027-01-01", "2027-06-01"}) {
    expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day(later));
  }
  Evaluation now = evaluate_rules(*program, fleet, facts, day("2026-09-01"));
  ASSERT_EQ(now.suppressed.size(), 1u);
  EXPECT_EQ(now.unchanged_through[0], day("2026-12-31"));  // hidden through `until`, so not ranked
  EXPECT_EQ(now.unchanged_through[1], day("2026-09-01"));  // `soon` reads today
  EXPECT_EQ(now.unchanged_through[4], compiler::never());        // no cycle, no finding, no rank
}

// The suppression alone bounds a component: hidden through `until`, shown the day after.
TEST(LaterDayTest, SuppressionHoldsThroughUntil) {
  auto program = compile({{"suppressed.upr", R"(
rule old {
  for c in components where c.eol.ended
  urgency high
  message "{c.name} is past support"
}
suppress old where c.name == "api" until 2026-12-31 because "migrating"
)"}});
  ASSERT_TRUE(program);
  inventory::Inventory fleet = node_fleet();
  fleet.components.pop_back();
  facts::FactSet facts = node_facts();
  Evaluation now = evaluate_rules(*program, fleet, facts, day("2026-09-01"));
  EXPECT_EQ(now.unchanged_through[0], day("2026-12-31"));
  // api's suppression ends, web's cycle (2026-10-15) ends; jobs' (2027-04-30) not yet.
  EXPECT_EQ(expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day("2027-01-01")), 2u);
}

// A quantifier's prefiltered list whose test reads `today` belongs to that day; an
// "lts/*" pin may name another cycle later, which any rule may read.
TEST(LaterDayTest, PrefilterWithTodayAndLtsPins) {
  auto program = compile({{"fleet.upr", R"(
def recent(o) = o.kind == "" and today > 2026-01-01
rule with_peers {
  for c in components where c.product == "nodejs"
  when any(o in components where recent(o) and o.name != c.name)
  urgency low
  message "{c.name} has peers"
}
rule line {
  for c in components where defined(c.eol)
  urgency info
  message "{c.name} runs {c.eol.cycle}"
}
)"}});
  ASSERT_TRUE(program);
  inventory::Inventory fleet = node_fleet();
  facts::FactSet facts = node_facts();
  Evaluation now = evaluate_rules(*program, fleet, facts, day("2026-09-01"));
  // node 24's LTS starts 2026-10-28: every verdict holds through the day before at most.
  for (size_t c = 0; c < fleet.components.size(); ++c) EXPECT_LE(now.unchanged_through[c], day("2026-10-27"));
  for (const char* later : {"2026-10-27", "2026-10-28", "2027-01-01"}) {
    expect_later_day_agrees(*program, fleet, facts, day("2026-09-01"), day(later));
  }
}

// A rank policy that names `components` may rank one component by another's findings:
// the evaluation cannot tell, and says so.
TEST(LaterDayTest, APolicyReadingOtherComponentsCannotTell) {
  auto program = compile({{"policy.upr", R"(
rule old {
  for c in components where c.eol.ended
  urgency high
  message "{c.name} is past support"
}
rank fleetwide {
  for c in components
  urgency max(f.urgency for f in c.findings)
  score count(o in components where o.product == c.product)
}
)"}});
  ASSERT_TRUE(program);
  inventory::Inventory fleet = node_fleet();
  facts::FactSet facts = node_facts();
  Evaluation now = evaluate_rules(*program, fleet, facts, day("2026-09-01"));
  EXPECT_TRUE(now.unchanged_through.empty());
  EXPECT_FALSE(changing_by(now.unchanged_through, day("2026-12-01")).has_value());
}

// The shipped rule packs on real data, from two starting days, at the report's horizons
// and a year and two years ahead.
TEST(LaterDayTest, ShippedPacksOnFixtureData) {
  const fs::path source(UPRANK_SOURCE_DIR);
  const fs::path fixtures(UPRANK_SHARED_FIXTURES);
  std::vector<std::pair<std::string, std::string>> packs;
  for (const char* pack : {"eol/eol.upr", "ssvc/ssvc.upr", "rank/rank.upr", "hygiene/hygiene.upr",
                           "release_notes/rollback.upr", "compatibility/kubernetes.upr"}) {
    packs.emplace_back(pack, read(source / "rules" / pack));
  }
  auto program = compile(packs);
  ASSERT_TRUE(program);
  auto snapshot = fetch::load_snapshot_facts((source / "data" / "snapshot.json").string());
  ASSERT_TRUE(snapshot.ok());
  facts::FactSet facts = std::move(snapshot.value());
  for (const fs::path& feed : {fixtures / "osv", fixtures / "kev" / "known_exploited_vulnerabilities.json"}) {
    auto imported = fetch::import_feeds(feed.string(), "2026-08-22T00:00:00Z");
    ASSERT_TRUE(imported.ok()) << imported.error().message;
    for (const auto& response : imported->responses) ASSERT_TRUE(fetch::add_response_facts(response, facts).ok());
  }
  inventory::Inventory fleet = inventory::read_inventory_paths(
      {(source / "examples" / "inventory.yaml").string(), (source / "examples" / "sbom").string(),
       (fixtures / "inventories" / "sbom").string(), (fixtures / "inventories" / "infra").string()});
  ASSERT_GT(fleet.components.size(), 100u);
  size_t flagged = 0;
  for (const char* today : {"2025-03-01", "2026-09-01"}) {
    for (int32_t ahead : {30, 90, 180, 365, 730}) {
      flagged += expect_later_day_agrees(*program, fleet, facts, day(today), day(today) + ahead);
    }
  }
  // Support ends and due dates pass in those two years: the test meets changes.
  EXPECT_GT(flagged, 0u);
}

}  // namespace
}  // namespace uprank::evaluator
