#include "engine/history/history.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/base/terminal_text.h"
#include "engine/report/fingerprint.h"
#include "engine/report/json_out.h"
#include "engine/versions/versions.h"

namespace uprank::history {
namespace {

using Json = nlohmann::json;

bool by_key(const ComponentRecord& a, const ComponentRecord& b) {
  return std::tie(a.identity, a.file) < std::tie(b.identity, b.file);
}

Error invalid(const std::string& where, const std::string& pointer, const std::string& problem) {
  return make_error("uprank.history.invalid", where + ": " + pointer + ": " + problem);
}

// Reads a string member; "" for null or missing when `optional`.
Result<std::string> string_at(const Json& object, const char* key, const std::string& where, const std::string& pointer,
                              bool optional = false) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (optional) return std::string();
    return invalid(where, pointer + "/" + key, "missing");
  }
  if (!it->is_string()) return invalid(where, pointer + "/" + key, "not a string");
  return it->get<std::string>();
}

Result<std::optional<compiler::Level>> level_at(const Json& object, const char* key, const std::string& where,
                                                const std::string& pointer) {
  auto text = string_at(object, key, where, pointer, true);
  if (!text) return text.error();
  if (text->empty()) return std::optional<compiler::Level>();
  compiler::Level level;
  if (!compiler::parse_level(*text, level)) return invalid(where, pointer + "/" + key, "not an urgency: '" + *text + "'");
  return std::optional<compiler::Level>(level);
}

// The decision of a JSON report's component as decision_of() takes it: the first
// "Decision" step of its findings' decision paths (they are in the ranked order), else "none".
std::string report_decision(const Json& item) {
  auto findings = item.find("findings");
  if (findings == item.end() || !findings->is_array()) return "none";
  for (const Json& finding : *findings) {
    auto path = finding.is_object() ? finding.find("decision_path") : finding.end();
    if (!finding.is_object() || path == finding.end() || !path->is_array()) continue;
    for (const Json& step : *path) {
      if (!step.is_object() || step.value("point", Json()) != "Decision") continue;
      std::string value = step.value("value", Json()).is_string() ? step["value"].get<std::string>() : "";
      if (value.empty() || value == "unknown") continue;
      std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
      return value;
    }
  }
  return "none";
}

// Reads one component object, of components_json() or of a JSON report (whose findings
// carry "urgency" where the history writes "level"; both are read).
Result<ComponentRecord> read_component(const Json& item, const std::string& where, const std::string& pointer,
                                       bool from_report) {
  if (!item.is_object()) return invalid(where, pointer, "not an object");
  ComponentRecord record;
  auto identity = string_at(item, from_report ? "identity_key" : "identity", where, pointer);
  auto file = string_at(item, from_report ? "repository_file" : "file", where, pointer, true);
  auto name = string_at(item, "name", where, pointer);
  auto version = string_at(item, "version", where, pointer, true);
  auto level = level_at(item, from_report ? "urgency" : "level", where, pointer);
  if (!identity) return identity.error();
  if (!file) return file.error();
  if (!name) return name.error();
  if (!version) return version.error();
  if (!level) return level.error();
  record.identity = *identity;
  record.file = *file;
  record.name = *name;
  record.version = *version;
  record.level = *level;
  auto scheme = string_at(item, "scheme", where, pointer, true);
  if (!scheme) return scheme.error();
  record.scheme = *scheme;
  // History keeps "checked"; a JSON report says it as advisories.checked. Absent (older
  // records, components of a report without advisory coverage): counted as checked, so an
  // old record never turns findings into "no longer checked".
  const Json* checked = nullptr;
  if (from_report) {
    if (auto advisories = item.find("advisories"); advisories != item.end() && advisories->is_object()) {
      if (auto it = advisories->find("checked"); it != advisories->end()) checked = &*it;
    }
  } else if (auto it = item.find("checked"); it != item.end()) {
    checked = &*it;
  }
  if (checked != nullptr) {
    if (!checked->is_boolean()) return invalid(where, pointer + (from_report ? "/advisories/checked" : "/checked"), "not a boolean");
    record.checked = checked->get<bool>();
  }
  if (auto score = item.find("score"); score != item.end() && score->is_number()) record.score = score->get<double>();
  auto findings = item.find("findings");
  if (from_report) {
    record.decision = report_decision(item);
  } else {
    auto decision = string_at(item, "decision", where, pointer, true);  // absent before decisions were kept
    if (!decision) return decision.error();
    record.decision = *decision;
  }
  if (findings == item.end()) return record;
  if (!findings->is_array()) return invalid(where, pointer + "/findings", "not an array");
  for (size_t i = 0; i < findings->size(); ++i) {
    const Json& finding = (*findings)[i];
    std::string at = pointer + "/findings/" + std::to_string(i);
    if (!finding.is_object()) return invalid(where, at, "not an object");
    auto fingerprint = string_at(finding, "fingerprint", where, at);
    auto rule = string_at(finding, "rule", where, at);
    auto finding_level = level_at(finding, from_report ? "urgency" : "level", where, at);
    if (!fingerprint) return fingerprint.error();
    if (!rule) return rule.error();
    if (!finding_level) return finding_level.error();
    record.findings.push_back(FindingRecord{*fingerprint, *rule, finding_level->value_or(compiler::Level::kInfo), false});
  }
  return record;
}

Result<Json> parse(std::string_view text, const std::string& where) {
  Json root = Json::parse(text, nullptr, false);
  if (root.is_discarded()) return invalid(where, "", "not valid JSON");
  if (!root.is_object()) return invalid(where, "", "not an object");
  return root;
}

// Reads the array `key` of `root` into `out`.
Status read_components(const Json& root, const char* key, const std::string& where, bool from_report,
                       std::vector<ComponentRecord>& out) {
  auto items = root.find(key);
  if (items == root.end() || !items->is_array()) return invalid(where, std::string("/") + key, "missing or not an array");
  for (size_t i = 0; i < items->size(); ++i) {
    auto record = read_component((*items)[i], where, std::string("/") + key + "/" + std::to_string(i), from_report);
    if (!record) return record.error();
    out.push_back(std::move(record).value());
  }
  return {};
}

std::set<std::string> fingerprints(const ComponentRecord& record) {
  std::set<std::string> out;
  for (const FindingRecord& finding : record.findings) out.insert(finding.fingerprint);
  return out;
}

// The rules of the findings of `record` whose fingerprints `other` lacks, sorted, once each.
std::vector<std::string> rules_not_in(const ComponentRecord& record, const std::set<std::string>& other) {
  std::set<std::string> rules;
  for (const FindingRecord& finding : record.findings) {
    if (!other.count(finding.fingerprint)) rules.insert(finding.rule);
  }
  return {rules.begin(), rules.end()};
}

// Whether `now`'s version is above `was`'s in their (shared) scheme.
report::Upgrade::Direction direction(const ComponentRecord& was, const ComponentRecord& now) {
  using Direction = report::Upgrade::Direction;
  auto scheme = versions::parse_scheme(now.scheme);
  if (!scheme || was.scheme != now.scheme) return Direction::kUnordered;
  // A line pin ("3.13") and a release of that line ("3.13.7") hold one another: a pin made
  // more or less precise is neither an upgrade nor a downgrade, though "3.13" sorts first.
  const std::string& shorter = was.version.size() < now.version.size() ? was.version : now.version;
  const std::string& longer = was.version.size() < now.version.size() ? now.version : was.version;
  if (!shorter.empty() && longer.size() > shorter.size() && longer.compare(0, shorter.size(), shorter) == 0 &&
      longer[shorter.size()] == '.') {
    return Direction::kUnordered;
  }
  versions::Version from, to;
  if (!versions::Version::parse_into(*scheme, was.version, from) || !versions::Version::parse_into(*scheme, now.version, to)) {
    return Direction::kUnordered;
  }
  int order = versions::compare(from, to);
  return order < 0 ? Direction::kUp : order > 0 ? Direction::kDown : Direction::kUnordered;
}

// What the history table adds after "from -> to".
std::string direction_note(report::Upgrade::Direction direction) {
  switch (direction) {
    case report::Upgrade::Direction::kUp: return "";
    case report::Upgrade::Direction::kDown: return " (downgrade)";
    case report::Upgrade::Direction::kUnordered: break;
  }
  return " (versions do not compare)";
}

// +1 when a component with findings in both runs rose (its urgency, or its decision at
// the same urgency), -1 when it fell, 0 otherwise.
int escalation(const ComponentRecord& was, const ComponentRecord& now) {
  if (!was.level || !now.level) return 0;
  if (*now.level != *was.level) return *now.level > *was.level ? 1 : -1;
  auto before = decision_rank(was.decision), after = decision_rank(now.decision);
  if (!before || !after || *before == *after) return 0;
  return *after > *before ? 1 : -1;
}

}  // namespace

std::optional<int> decision_rank(std::string_view decision) {
  static constexpr std::string_view kOrder[] = {"none", "track", "track*", "attend", "act"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (decision == kOrder[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

Run record_run(const report::Report& report, std::string inputs_hash, std::string data_hash) {
  Run run;
  run.today = report.today;
  run.inputs_hash = std::move(inputs_hash);
  run.data_hash = std::move(data_hash);
  const auto& components = report.inventory->components;
  std::vector<const report::RankedComponent*> ranked_of(components.size(), nullptr);
  for (const report::RankedComponent& ranked : report.ranked) ranked_of[ranked.component] = &ranked;
  for (size_t c = 0; c < components.size(); ++c) {
    const inventory::Component& component = components[c];
    ComponentRecord record;
    record.identity = report::fingerprint_identity(component);
    record.file = report::repository_location(component).file;
    record.name = component.name;
    record.version = component.version_text;
    record.scheme = std::string(versions::scheme_name(component.scheme));
    if (c < report.coverage.size()) record.checked = report.coverage[c].checked();
    record.decision = "none";
    if (const report::RankedComponent* ranked = ranked_of[c]) {
      record.decision = report::decision_of(report, *ranked);
      record.level = ranked->level;
      record.score = ranked->score;
      for (size_t f : ranked->findings) {
        const evaluator::Finding& finding = report.findings[f];
        std::string fingerprint = f < report.states.size()
                                      ? report.states[f].fingerprint
                                      : report::fingerprint_of(finding, *report.inventory, report.repository_root);
        record.findings.push_back(FindingRecord{std::move(fingerprint), finding.rule(), finding.level, finding.reason() == "data_gap"});
      }
      std::sort(record.findings.begin(), record.findings.end(),
                [](const FindingRecord& a, const FindingRecord& b) { return a.fingerprint < b.fingerprint; });
    }
    run.components.push_back(std::move(record));
  }
  std::stable_sort(run.components.begin(), run.components.end(), by_key);
  return run;
}

std::string components_json(const Run& run) {
  // Written as it is produced, in the sorted key order of the Json (std::map) dump this
  // replaced, byte for byte: a fleet's run has a record per component, and building the
  // whole document first cost seconds and a copy of the fleet in memory.
  StringSink sink;
  {
    report::internal::JsonOut out(sink, /*compact=*/true);
    out.begin_object();
    out.key("components");
    out.begin_array();
    for (const ComponentRecord& record : run.components) {
      out.begin_object();
      out.key("checked"), out.boolean(record.checked);
      out.key("decision"), out.string(record.decision);
      out.key("file"), out.string(record.file);
      out.key("findings");
      out.begin_array();
      for (const FindingRecord& finding : record.findings) {
        out.begin_object();
        out.key("fingerprint"), out.string(finding.fingerprint);
        out.key("level"), out.string(compiler::level_name(finding.level));
        out.key("rule"), out.string(finding.rule);
        out.end_object();
      }
      out.end_array();
      out.key("identity"), out.string(record.identity);
      out.key("level");
      record.level ? out.string(compiler::level_name(*record.level)) : out.null();
      out.key("name"), out.string(record.name);
      out.key("scheme"), out.string(record.scheme);
      out.key("score"), out.number(record.score);
      out.key("version"), out.string(record.version);
      out.end_object();
    }
    out.end_array();
    out.end_object();
  }
  return std::move(sink.text);
}

Status read_components_json(std::string_view text, const std::string& where, Run& run) {
  auto root = parse(text, where);
  if (!root) return root.error();
  run.components.clear();
  if (Status read = read_components(*root, "components", where, false, run.components); !read) return read;
  std::stable_sort(run.components.begin(), run.components.end(), by_key);
  return {};
}

Result<Run> run_from_report(std::string_view text, const std::string& path) {
  auto root = parse(text, path);
  if (!root) return root.error();
  if (!root->contains("components") && root->contains("runs")) {
    return make_error("uprank.history.not_a_report", path + ": a SARIF log, not a JSON report");
  }
  Run run;
  auto today = string_at(*root, "today", path, "");
  if (!today) return today.error();
  auto date = Date::parse(*today);
  if (!date) return invalid(path, "/today", "not a YYYY-MM-DD date");
  run.today = *date;
  if (Status read = read_components(*root, "components", path, true, run.components); !read) return read.error();
  if (Status read = read_components(*root, "no_findings", path, true, run.components); !read) return read.error();
  std::stable_sort(run.components.begin(), run.components.end(), by_key);
  return run;
}

report::RunChanges compare_runs(const Run* previous, const Run& current, std::string against) {
  report::RunChanges changes;
  changes.against = std::move(against);
  if (previous == nullptr) return changes;
  changes.previous = previous->today;
  std::map<std::pair<std::string, std::string>, const ComponentRecord*> before;
  for (const ComponentRecord& record : previous->components) before.emplace(std::make_pair(record.identity, record.file), &record);
  auto change_of = [](const ComponentRecord& record, const ComponentRecord* was) {
    return report::ComponentChange{record.identity, record.name, record.version, was ? was->level : std::nullopt,
                                   record.level, {}, was ? was->decision : "", record.decision};
  };
  std::set<std::pair<std::string, std::string>> seen;
  for (const ComponentRecord& now : current.components) {
    auto key = std::make_pair(now.identity, now.file);
    seen.insert(key);
    auto it = before.find(key);
    const ComponentRecord* was = it == before.end() ? nullptr : it->second;
    std::set<std::string> had = was ? fingerprints(*was) : std::set<std::string>();
    if (auto rules = rules_not_in(now, had); !rules.empty()) {
      changes.added.push_back(change_of(now, was));
      changes.added.back().rules = std::move(rules);
    }
    if (was == nullptr) continue;
    // Went blind since: advisories checked then and not now, or a data-gap finding new on it
    // (end-of-life data dropped its cycle, the pin is no longer exact; a gap it had both
    // times does not count). What it lost is then unseen, not fixed, and a fall of its
    // urgency or decision is no de-escalation (docs/history.md).
    bool blind = was->checked && !now.checked;
    for (const FindingRecord& finding : now.findings) blind = blind || (finding.data_gap && !had.count(finding.fingerprint));
    if (auto rules = rules_not_in(*was, fingerprints(now)); !rules.empty()) {
      auto& list = blind ? changes.unchecked : changes.resolved;
      list.push_back(change_of(now, was));
      list.back().rules = std::move(rules);
    }
    if (int moved = escalation(*was, now); moved > 0) changes.escalated.push_back(change_of(now, was));
    else if (moved < 0 && !blind) changes.deescalated.push_back(change_of(now, was));
    if (was->version != now.version) {
      changes.upgraded.push_back(report::Upgrade{now.identity, now.name, was->version, now.version, current.today,
                                                 direction(*was, now)});
    }
  }
  // Components gone from the inventory: their findings are resolved with them.
  for (const ComponentRecord& was : previous->components) {
    if (seen.count({was.identity, was.file}) || was.findings.empty()) continue;
    report::ComponentChange gone = change_of(was, &was);
    gone.after = std::nullopt;
    gone.decision_after.clear();
    gone.rules = rules_not_in(was, {});
    changes.resolved.push_back(std::move(gone));
  }
  auto order = [](const report::ComponentChange& a, const report::ComponentChange& b) {
    return std::tie(a.identity, a.name) < std::tie(b.identity, b.name);
  };
  for (auto* list : {&changes.added, &changes.resolved, &changes.escalated, &changes.deescalated, &changes.unchecked}) {
    std::stable_sort(list->begin(), list->end(), order);
  }
  std::stable_sort(changes.upgraded.begin(), changes.upgraded.end(),
                   [](const report::Upgrade& a, const report::Upgrade& b) { return a.identity < b.identity; });
  return changes;
}

TrendDay trend_day(const Run& run) {
  TrendDay day;
  day.day = run.today;
  // A run records every component's decision or none of them (written before they were kept).
  bool decisions_known = std::any_of(run.components.begin(), run.components.end(),
                                     [](const ComponentRecord& record) { return !record.decision.empty(); });
  if (decisions_known) {
    day.by_decision.emplace();
    for (const char* decision : kTrendDecisions) (*day.by_decision)[decision] = 0;
  }
  for (const ComponentRecord& record : run.components) {
    for (const FindingRecord& finding : record.findings) ++day.counts[static_cast<size_t>(finding.level)];
    if (record.findings.empty()) continue;
    ++day.components;
    if (!decisions_known) continue;
    bool named = decision_rank(record.decision).has_value();
    ++(*day.by_decision)[named ? record.decision : "other"];
  }
  return day;
}

std::string trend_day_json(const TrendDay& day) {
  Json by_decision = nullptr;
  if (day.by_decision) by_decision = *day.by_decision;
  return Json{{"date", day.day.to_string()},
              {"counts", day.counts},
              {"components", day.components},
              {"by_decision", by_decision}}
      .dump();
}

Result<TrendDay> read_trend_day_json(std::string_view text, const std::string& where) {
  auto root = parse(text, where);
  if (!root) return root.error();
  TrendDay day;
  auto date = string_at(*root, "date", where, "");
  if (!date) return date.error();
  auto parsed = Date::parse(*date);
  if (!parsed) return invalid(where, "/date", "not a YYYY-MM-DD date");
  day.day = *parsed;
  const Json& counts = (*root)["counts"];
  if (!counts.is_array() || counts.size() != std::size(day.counts)) return invalid(where, "/counts", "not five counts");
  for (size_t l = 0; l < counts.size(); ++l) {
    if (!counts[l].is_number_unsigned()) return invalid(where, "/counts/" + std::to_string(l), "not a count");
    day.counts[l] = counts[l].get<size_t>();
  }
  const Json& components = (*root)["components"];
  if (!components.is_number_unsigned()) return invalid(where, "/components", "not a count");
  day.components = components.get<size_t>();
  const Json& by_decision = (*root)["by_decision"];
  if (by_decision.is_object()) {
    day.by_decision.emplace();
    for (const char* decision : kTrendDecisions) {
      auto it = by_decision.find(decision);
      if (it == by_decision.end() || !it->is_number_unsigned()) {
        return invalid(where, std::string("/by_decision/") + decision, "missing or not a count");
      }
      (*day.by_decision)[decision] = it->get<size_t>();
    }
  } else if (!by_decision.is_null()) {
    return invalid(where, "/by_decision", "not an object or null");
  }
  return day;
}

Summary summarize(const std::vector<Run>& runs) {
  Summary summary;
  for (size_t i = 0; i < runs.size(); ++i) {
    summary.days.push_back(trend_day(runs[i]));
    if (i == 0) continue;
    report::RunChanges changes = compare_runs(&runs[i - 1], runs[i], "history");
    for (report::Upgrade& upgrade : changes.upgraded) summary.upgrades.push_back(std::move(upgrade));
  }
  return summary;
}

std::string write_summary_table(const Summary& summary) {
  std::string out = "DATE        CRITICAL  HIGH  MEDIUM  LOW  INFO  COMPONENTS   ACT  ATTEND  TRACK*  TRACK  OTHER  NONE\n";
  char line[200];
  for (const TrendDay& day : summary.days) {
    std::snprintf(line, sizeof line, "%-10s  %8zu  %4zu  %6zu  %3zu  %4zu  %10zu", day.day.to_string().c_str(),
                  day.counts[4], day.counts[3], day.counts[2], day.counts[1], day.counts[0], day.components);
    out += line;
    static constexpr int kWidths[] = {5, 7, 7, 6, 6, 5};  // under ACT ATTEND TRACK* TRACK OTHER NONE
    for (size_t d = 0; d < std::size(kTrendDecisions); ++d) {
      std::string cell = day.by_decision ? std::to_string(day.by_decision->at(kTrendDecisions[d])) : "-";
      std::snprintf(line, sizeof line, " %*s", kWidths[d], cell.c_str());
      out += line;
    }
    out += "\n";
  }
  if (summary.days.empty()) out += "(no runs recorded)\n";
  out += "\nUpgrades:";
  if (summary.upgrades.empty()) out += " none";
  out += "\n";
  for (const report::Upgrade& upgrade : summary.upgrades) {
    out += "  " + upgrade.first_seen.to_string() + "  " + escape_for_terminal(upgrade.name) + "  " + escape_for_terminal(upgrade.from) +
           " -> " + escape_for_terminal(upgrade.to) + direction_note(upgrade.direction) + "\n";
  }
  return out;
}

std::string write_summary_json(const Summary& summary) {
  static constexpr const char* kLevels[] = {"info", "low", "medium", "high", "critical"};
  Json days = Json::array();
  for (const TrendDay& day : summary.days) {
    Json counts = Json::object();
    for (size_t l = 0; l < 5; ++l) counts[kLevels[l]] = day.counts[l];
    Json by_decision = nullptr;
    if (day.by_decision) by_decision = *day.by_decision;
    days.push_back(Json{{"date", day.day.to_string()},
                        {"open_findings", counts},
                        {"components_with_findings", day.components},
                        {"components_by_decision", by_decision}});
  }
  Json upgrades = Json::array();
  for (const report::Upgrade& upgrade : summary.upgrades) {
    upgrades.push_back(Json{{"identity", upgrade.identity}, {"name", upgrade.name}, {"from", upgrade.from},
                            {"to", upgrade.to}, {"first_seen", upgrade.first_seen.to_string()},
                            {"direction", report::direction_name(upgrade.direction)}});
  }
  return Json{{"schema_version", "1.1"}, {"days", days}, {"upgrades", upgrades}}.dump(2, ' ', false,
                                                                                     Json::error_handler_t::replace) +
         "\n";
}

}  // namespace uprank::history
