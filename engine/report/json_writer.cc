#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/report/fingerprint.h"
#include "engine/report/internal.h"
#include "engine/report/json_out.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

using Json = nlohmann::ordered_json;
using internal::JsonOut;

// Scores are rounded to two decimals so that JSON output is stable across platforms.
double rounded(double score) { return std::round(score * 100.0) / 100.0; }

Json location_json(const SourceLocation& location) {
  if (!location.known()) return nullptr;
  return Json{{"file", location.file}, {"line", location.line}, {"column", location.column}};
}

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json date_or_null(const std::optional<Date>& date) { return date ? Json(date->to_string()) : Json(nullptr); }

Json strings_json(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

// The baseline and change set the findings were compared with, and what is fixed.
Json comparison_json(const Report& report) {
  auto list = [](const std::vector<FixedFinding>& findings) {
    Json out = Json::array();
    for (const FixedFinding& finding : findings) {
      out.push_back(Json{{"fingerprint", finding.fingerprint},
                         {"rule", finding.rule},
                         {"component", or_null(finding.component)},
                         {"urgency", finding.urgency},
                         {"message", finding.message},
                         {"location", location_json(finding.location)}});
      if (!finding.because.empty()) out.back()["because"] = finding.because;
    }
    return out;
  };
  return Json{{"baseline", or_null(report.baseline)},
              {"changed_since", or_null(report.changed_since)},
              {"fixed", list(report.fixed)},
              {"no_longer_checked", list(report.unchecked)}};
}

Json level_or_null(const std::optional<compiler::Level>& level) {
  return level ? Json(std::string(compiler::level_name(*level))) : Json(nullptr);
}

// What changed since the previous run (history) or an earlier JSON report (--baseline).
Json changes_json(const Report& report) {
  if (!report.changes) return nullptr;
  const RunChanges& changes = *report.changes;
  auto list = [](const std::vector<ComponentChange>& items) {
    Json out = Json::array();
    for (const ComponentChange& item : items) {
      out.push_back(Json{{"identity_key", item.identity},
                         {"name", item.name},
                         {"version", item.version},
                         {"before", level_or_null(item.before)},
                         {"after", level_or_null(item.after)},
                         {"rules", strings_json(item.rules)},
                         {"decision_before", item.decision_before.empty() ? Json(nullptr) : Json(item.decision_before)},
                         {"decision_after", item.decision_after.empty() ? Json(nullptr) : Json(item.decision_after)}});
    }
    return out;
  };
  Json upgraded = Json::array();
  for (const Upgrade& upgrade : changes.upgraded) {
    upgraded.push_back(Json{{"identity_key", upgrade.identity}, {"name", upgrade.name}, {"from", upgrade.from},
                            {"to", upgrade.to}, {"first_seen", upgrade.first_seen.to_string()},
                            {"direction", direction_name(upgrade.direction)}});
  }
  return Json{{"against", changes.against},
              {"previous", date_or_null(changes.previous)},
              {"new", list(changes.added)},
              {"resolved", list(changes.resolved)},
              {"escalated", list(changes.escalated)},
              {"deescalated", list(changes.deescalated)},
              {"upgraded", upgraded},
              {"no_longer_checked", list(changes.unchecked)}};
}

// The components whose urgency rises within the horizons (ComingDueRows).
Json coming_due_json(const Report& report) {
  Json rows = Json::array();
  for (const ComingDue& row : report.coming_due) {
    const inventory::Component& component = report.inventory->components[row.component];
    rows.push_back(Json{{"component", component.name},
                        {"version", component.version_text},
                        {"date", row.date.to_string()},
                        {"exact", row.exact},
                        {"before", level_or_null(row.before)},
                        {"after", std::string(compiler::level_name(row.after))},
                        {"rule", row.rule},
                        {"why", row.why}});
  }
  return rows;
}

// A VEX statement as the report shows it: what it says and where it was read.
Json statement_json(const vex::Statement& statement) {
  return Json{{"vulnerability", statement.vulnerability},
              {"aliases", statement.aliases},
              {"status", std::string(vex::status_name(statement.status))},
              {"justification", or_null(statement.justification)},
              {"impact_statement", or_null(statement.impact_statement)},
              {"action_statement", or_null(statement.action_statement)},
              {"author", or_null(statement.author)},
              {"timestamp", or_null(statement.timestamp)},
              {"source", Json{{"format", statement.format}, {"file", statement.file}, {"path", statement.path}}}};
}

// The statements in force per (component, advisory), and those in force for nothing.
Json vex_json(const Report& report) {
  Json applied = Json::array();
  Json unused = Json::array();
  if (report.vex_statements) {
    const auto& statements = report.vex_statements->statements();
    for (const evaluator::VexOutcome& outcome : report.vex) {
      const vex::Statement& statement = statements[outcome.statement];
      applied.push_back(Json{{"component", report.inventory->components[outcome.component].name},
                             {"advisory", outcome.advisory},
                             {"finding_removed", vex::removes_finding(statement.status)},
                             {"statement", statement_json(statement)}});
    }
    for (size_t i : report.unused_vex) unused.push_back(statement_json(statements[i]));
  }
  return Json{{"applied", applied}, {"unused", unused}};
}


void write_location(JsonOut& out, const SourceLocation& location) {
  if (!location.known()) return out.null();
  out.begin_object();
  out.key("file"), out.string(location.file);
  out.key("line"), out.integer(location.line);
  out.key("column"), out.integer(location.column);
  out.end_object();
}

void write_strings(JsonOut& out, const std::vector<std::string>& items) {
  out.begin_array();
  for (const std::string& item : items) out.string(item);
  out.end_array();
}

// The package identity advisories meet (docs/identity.md); null for components that no
// package ecosystem names (images, hosts, engines), which meet products instead.
void write_identity(JsonOut& out, const inventory::Component& component) {
  const inventory::Identity& identity = component.identity;
  if (identity.ecosystem.empty() && component.purl.empty()) return out.null();
  out.begin_object();
  out.key("ecosystem"), out.string_or_null(identity.osv_ecosystem());
  out.key("package"), out.string_or_null(identity.name);
  out.key("source_package"), out.string_or_null(identity.source_name);
  out.key("release_origin"), out.string_or_null(identity.release_origin);
  out.key("purl"), out.string_or_null(component.purl);
  out.end_object();
}

// Whether the component's advisories were checked; null when no rule reads advisories.
void write_coverage(JsonOut& out, const Report& report, size_t component) {
  if (component >= report.coverage.size()) return out.null();
  const evaluator::AdvisoryCoverage& coverage = report.coverage[component];
  const inventory::Component& item = report.inventory->components[component];
  out.begin_object();
  if (!coverage.checked()) {
    out.key("checked"), out.boolean(false);
    out.key("as"), out.string_or_null(evaluator::advisory_identity(item));
    out.key("reason"), out.string(evaluator::advisory_gap_reason(coverage, item));
  } else {
    out.key("checked"), out.boolean(true);
    out.key("as"), out.string(evaluator::advisory_identity(item));
    out.key("entries"), out.integer(coverage.entries);
    // Checked against some entries only: the others are said, never dropped.
    if (coverage.not_compared > 0) out.key("not_compared"), out.integer(coverage.not_compared);
  }
  out.end_object();
}

// A patch or supported target: the version, or why there is none, and the constraints
// that ruled out lower versions.
void write_choice(JsonOut& out, const targets::Choice& choice) {
  auto blocked = [&] {
    out.key("blocked_by");
    out.begin_array();
    for (const targets::Blocker& blocker : choice.blocked) {
      out.begin_object();
      out.key("constraint"), out.string(blocker.constraint);
      out.key("location"), write_location(out, blocker.location.begin);
      out.key("version"), out.string(blocker.version);
      out.key("component"), out.string(blocker.component);
      out.key("unblock"), out.string_or_null(blocker.unblock);
      out.end_object();
    }
    out.end_array();
  };
  out.begin_object();
  if (!choice.target) {
    out.key("version"), out.null();
    out.key("reason"), out.string(choice.none_reason);
    blocked();
    return out.end_object();
  }
  const targets::Target& target = *choice.target;
  out.key("version"), out.string(target.version);
  out.key("release"), out.string(target.release);
  out.key("current"), out.boolean(target.current);
  out.key("line"), out.string(target.line);
  out.key("supported_until"), out.date_or_null(target.supported_until);
  out.key("source"), out.string(target.source);
  out.key("steps"), out.json(Json(target.steps));
  out.key("remaining"), out.json(Json(choice.remaining));
  blocked();
  out.end_object();
}

void write_targets(JsonOut& out, const RankedComponent& entry) {
  if (!entry.targets) return out.null();
  out.begin_object();
  out.key("patch"), write_choice(out, entry.targets->patch);
  out.key("supported"), write_choice(out, entry.targets->supported);
  out.key("advisories_not_checked"), out.string_or_null(entry.targets->advisories_unchecked);
  out.end_object();
}

// How the component's score adds up: base + factors = score, and the findings that
// contributed, most urgent first (docs/rule-language.md, "Ranking components").
void write_breakdown(JsonOut& out, const Report& report, const RankedComponent& entry) {
  const RankBreakdown& breakdown = entry.breakdown;
  out.begin_object();
  out.key("policy"), out.string_or_null(breakdown.policy);
  out.key("base");
  out.begin_object();
  out.key("points"), out.number(rounded(breakdown.base));
  out.key("because"), out.string_or_null(breakdown.base_because);
  out.end_object();
  out.key("factors");
  out.begin_array();
  for (const evaluator::RankFactor& factor : breakdown.factors) {
    out.begin_object();
    out.key("name"), out.string(factor.name);
    out.key("points");
    factor.points ? out.number(rounded(*factor.points)) : out.null();
    out.key("because"), out.string_or_null(factor.because);
    out.end_object();
  }
  out.end_array();
  out.key("findings");
  out.begin_array();
  for (size_t f : entry.findings) {
    const evaluator::Finding& finding = report.findings[f];
    out.begin_object();
    out.key("rule"), out.string(finding.rule());
    out.key("urgency"), out.string(compiler::level_name(finding.level));
    out.key("score"), out.number(rounded(finding.score));
    out.key("due"), out.date_or_null(finding.due);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_component_name(JsonOut& out, const Report& report, size_t component) {
  if (component == evaluator::kNoComponent) return out.null();
  out.string(report.inventory->components[component].name);
}

void write_severity(JsonOut& out, const std::vector<std::pair<std::string, std::string>>& severity) {
  out.begin_array();
  for (const auto& [type, vector] : severity) {
    out.begin_object();
    out.key("type"), out.string(type);
    out.key("score"), out.string(vector);
    out.end_object();
  }
  out.end_array();
}

// The `affected[]` entry as the OSV record wrote it: each range's events as OSV objects
// ({"introduced": "0"}), the enumerated versions, and the comparator reading of the ranges.
void write_affected(JsonOut& out, const facts::AffectedPackage& affected) {
  out.begin_object();
  out.key("ecosystem"), out.string_or_null(affected.ecosystem);
  out.key("package"), out.string(affected.name);
  out.key("purl"), out.string_or_null(affected.purl);
  out.key("severity"), write_severity(out, affected.severity);
  out.key("ranges");
  out.begin_array();
  for (const facts::AffectedRange& range : affected.ranges) {
    out.begin_object();
    out.key("type"), out.string(range.type);
    out.key("repo"), out.string_or_null(range.repo);
    out.key("events");
    out.begin_array();
    for (const auto& event : range.events) {
      out.begin_object();
      out.key(event.kind), out.string(event.version);
      out.end_object();
    }
    out.end_array();
    // Ranges written as ranges (declared blocks, CSAF product_version_range), not events.
    if ((range.type == "RULES" || range.events.empty()) && range.range) out.key("range"), out.string(range.range->text());
    out.end_object();
  }
  out.end_array();
  out.key("versions"), write_strings(out, affected.versions);
  out.key("text"), out.string_or_null(affected_ranges_text(affected));
  if (!affected.entries.empty()) out.key("entries"), write_strings(out, affected.entries);
  out.end_object();
}

// The members every fetched fact ends with: where and when it was fetched.
void write_evidence_source(JsonOut& out, const facts::Evidence& evidence) {
  out.key("source"), out.string(evidence.source);
  out.key("url"), out.string_or_null(evidence.url);
  out.key("fetched_at"), out.string_or_null(evidence.fetched_at);
}

// One advisory as it applies to the finding's component (evaluator::AdvisoryEvidence):
// OSV fields, the CISA KEV entry (catalog field names in snake case) and the FIRST EPSS
// score joined under its ids, each with where and when it was fetched.
void write_advisory_evidence(JsonOut& out, const Report& report, const evaluator::AdvisoryEvidence& record) {
  const compiler::AdvisoryMatch& match = *record.match;
  const facts::Advisory& advisory = *match.advisory;
  out.begin_object();
  out.key("component"), write_component_name(out, report, record.component);
  out.key("id"), out.string(advisory.id);
  out.key("aliases"), write_strings(out, advisory.aliases);
  out.key("summary"), out.string_or_null(advisory.summary);
  out.key("published"), out.date_or_null(advisory.published);
  out.key("modified"), out.date_or_null(advisory.modified);
  out.key("cvss");
  if (auto score = internal::advisory_cvss(advisory)) {
    out.begin_object();
    out.key("version"), out.string(facts::cvss_version_name(score->version));
    out.key("vector"), out.string(advisory.cvss_vector);
    out.key("score"), out.number(score->base);
    out.key("rating"), out.string(facts::cvss_rating_name(score->rating));
    out.end_object();
  } else {
    out.null();
  }
  out.key("vendor_severity"), out.string_or_null(advisory.severity_label);
  out.key("severity"), write_severity(out, advisory.severity);
  out.key("affected");
  match.affected != nullptr ? write_affected(out, *match.affected) : out.null();
  out.key("fixed");
  match.fixed ? out.string(match.fixed->text()) : out.null();
  out.key("kev");
  if (match.kev != nullptr) {
    const facts::KevEntry& entry = *match.kev;
    out.begin_object();
    out.key("cve"), out.string(entry.cve);
    out.key("date_added"), out.date_or_null(entry.date_added);
    out.key("due_date"), out.date_or_null(entry.due_date);
    out.key("known_ransomware_campaign_use"), out.string(entry.known_ransomware_use ? "Known" : "Unknown");
    out.key("required_action"), out.string_or_null(entry.required_action);
    write_evidence_source(out, entry.evidence);
    out.end_object();
  } else {
    out.null();
  }
  out.key("declared_exploited");
  if (match.declared_exploited) {
    out.begin_object();
    out.key("since"), out.date_or_null(match.declared_exploited_since);
    out.end_object();
  } else {
    out.null();
  }
  out.key("epss");
  if (match.epss != nullptr) {
    const facts::EpssScore& score = *match.epss;
    out.begin_object();
    out.key("cve"), out.string(score.cve);
    out.key("score"), out.number(score.score);
    out.key("percentile"), out.number(score.percentile);
    out.key("date"), out.date_or_null(score.date);
    out.key("model_version"), out.string_or_null(score.model_version);
    write_evidence_source(out, score.evidence);
    out.end_object();
  } else {
    out.null();
  }
  write_evidence_source(out, advisory.evidence);
  out.end_object();
}

// One end-of-life cycle (evaluator::EolEvidence) with its endoflife.date dates; each
// phase's `ended` is judged on the report's day, as the rules judge it.
void write_eol_evidence(JsonOut& out, const Report& report, const evaluator::EolEvidence& record) {
  const facts::EolCycle& cycle = *record.cycle;
  auto phase = [&](bool flag, const std::optional<Date>& ends) {
    if (!flag && !ends) return out.null();
    out.begin_object();
    out.key("ends"), out.date_or_null(ends);
    out.key("ended"), out.boolean(internal::phase_ended(flag, ends, report.today));
    out.end_object();
  };
  out.begin_object();
  out.key("component"), write_component_name(out, report, record.component);
  out.key("id"), out.string(cycle.evidence.id);
  out.key("product"), out.string(cycle.product);
  out.key("cycle"), out.string(cycle.cycle);
  out.key("codename"), out.string_or_null(cycle.codename);
  out.key("released"), out.date_or_null(cycle.released);
  out.key("active_support"), phase(cycle.active_ended_flag, cycle.active_ends);
  out.key("security_support"), phase(cycle.security_ended_flag, cycle.security_ends);
  out.key("extended_support"), phase(cycle.extended_ended_flag, cycle.extended_ends);
  out.key("lts"), out.boolean(cycle.lts);
  out.key("lts_from"), out.date_or_null(cycle.lts_from);
  out.key("latest"), out.string_or_null(cycle.latest);
  out.key("latest_date"), out.date_or_null(cycle.latest_date);
  write_evidence_source(out, cycle.evidence);
  out.key("release_data");
  if (record.releases != nullptr) {
    out.begin_object();
    out.key("product"), out.string(record.releases->product);
    out.key("versions"), out.integer(record.releases->versions.size());
    write_evidence_source(out, record.releases->evidence);
    out.end_object();
  } else {
    out.null();
  }
  out.end_object();
}

void write_finding(JsonOut& out, const Report& report, size_t f) {
  const auto& components = report.inventory->components;
  const evaluator::Finding& finding = report.findings[f];
  FindingState state;
  if (f < report.states.size()) state = report.states[f];
  else state.fingerprint = fingerprint_of(finding, *report.inventory, report.repository_root);
  out.begin_object();
  out.key("rule"), out.string(finding.rule());
  out.key("fingerprint"), out.string(state.fingerprint);
  out.key("change"), out.string_or_null(change_name(state.change));
  out.key("context"), out.boolean(state.context);
  // Where a finding's subject is pinned, its file relative to the repository root: the
  // place a baseline, a SARIF log or a pull-request comment points at.
  out.key("location");
  if (finding.components.empty()) out.null();
  else write_location(out, repository_location(components[finding.components.front()]));
  out.key("title"), out.string_or_null(finding.title());
  out.key("urgency"), out.string(compiler::level_name(finding.level));
  out.key("score"), out.number(rounded(finding.score));
  out.key("reason"), out.string(finding.reason());
  out.key("message"), out.string(finding.message());
  out.key("target"), out.string_or_null(finding.target());
  out.key("due"), out.date_or_null(finding.due);
  out.key("related_components");
  out.begin_array();
  for (size_t k = 1; k < finding.components.size(); ++k) out.string(components[finding.components[k]].name);
  out.end_array();
  out.key("risks");
  out.begin_array();
  for (const auto& [kind, message] : finding.risks()) {
    out.begin_object();
    out.key("kind"), out.string(kind);
    out.key("message"), out.string(message);
    out.end_object();
  }
  out.end_array();
  out.key("decision_path");
  out.begin_array();
  for (const auto& step : finding.decision_path()) {
    out.begin_object();
    out.key("point"), out.string(step.point);
    out.key("value"), out.string(step.value);
    out.key("because"), out.string_or_null(step.because);
    out.end_object();
  }
  out.end_array();
  out.key("evidence");
  out.begin_array();
  for (const auto& item : finding.evidence()) {
    out.begin_object();
    out.key("source"), out.string(item.source);
    out.key("id"), out.string(item.id);
    out.key("url"), out.string_or_null(item.url);
    out.key("fetched_at"), out.string_or_null(item.fetched_at);
    out.end_object();
  }
  out.end_array();
  out.key("advisories");
  out.begin_array();
  for (const auto& record : finding.advisories) write_advisory_evidence(out, report, record);
  out.end_array();
  out.key("end_of_life");
  out.begin_array();
  for (const auto& record : finding.cycles) write_eol_evidence(out, report, record);
  out.end_array();
  out.key("rule_location"), write_location(out, finding.rule_location());
  out.end_object();
}

void write_ranked(JsonOut& out, const Report& report, size_t i) {
  const RankedComponent& entry = report.ranked[i];
  const auto& component = report.inventory->components[entry.component];
  out.begin_object();
  out.key("rank"), out.integer(i + 1);
  out.key("name"), out.string(component.name);
  out.key("product"), out.string_or_null(component.product);
  out.key("version"), out.string(component.version_text);
  out.key("scheme"), out.string(versions::scheme_name(component.scheme));
  out.key("urgency"), out.string(compiler::level_name(entry.level));
  out.key("score"), out.number(rounded(entry.score));
  out.key("due"), out.date_or_null(entry.due);
  out.key("target"), out.string_or_null(entry.target);
  out.key("targets"), write_targets(out, entry);
  out.key("breakdown"), write_breakdown(out, report, entry);
  out.key("location"), write_location(out, component.location);
  out.key("identity"), write_identity(out, component);
  out.key("identity_key"), out.string(fingerprint_identity(component));
  out.key("repository_file"), out.string_or_null(repository_location(component).file);
  out.key("advisories"), write_coverage(out, report, entry.component);
  out.key("findings");
  out.begin_array();
  for (size_t f : entry.findings) write_finding(out, report, f);
  out.end_array();
  out.end_object();
}

void write_unranked(JsonOut& out, const Report& report, size_t c) {
  const inventory::Component& component = report.inventory->components[c];
  out.begin_object();
  out.key("name"), out.string(component.name);
  out.key("version"), out.string(component.version_text);
  out.key("product"), out.string_or_null(component.product);
  out.key("identity"), write_identity(out, component);
  out.key("identity_key"), out.string(fingerprint_identity(component));
  out.key("repository_file"), out.string_or_null(repository_location(component).file);
  out.key("advisories"), write_coverage(out, report, c);
  out.end_object();
}

}  // namespace

void write_json(const Report& report, Sink& sink) {
  const auto& components = report.inventory->components;
  JsonOut out(sink);
  out.begin_object();
  out.key("schema_version"), out.string("1.11");
  out.key("rank_policy"), out.string_or_null(report.rank_policy);
  out.key("today"), out.string(report.today.to_string());
  out.key("components");
  out.begin_array();
  for (size_t i = 0; i < report.ranked.size(); ++i) write_ranked(out, report, i);
  out.end_array();
  out.key("no_findings");
  out.begin_array();
  for (size_t c : report.unranked) write_unranked(out, report, c);
  out.end_array();
  out.key("only");
  if (report.only) {
    Json filtered = Json::array();
    for (size_t c : report.only->filtered) filtered.push_back(components[c].name);
    // `advisory` is the first record, as schema 1.8 readers expect; `advisories` all of them.
    out.json(Json{{"advisory", report.only->advisories.front()},
                  {"advisories", report.only->advisories},
                  {"asked", report.only->asked},
                  {"filtered", filtered}});
  } else {
    out.null();
  }
  Json sources = Json::array();
  for (const DataSource& source : report.data_sources) {
    sources.push_back(Json{{"name", source.name}, {"description", source.description},
                           {"fetched_at", or_null(source.fetched_at)}});
  }
  out.key("data_sources"), out.json(sources);
  Json suppressions = Json::array();
  for (const auto& outcome : report.suppressions) {
    const auto& suppression = *outcome.suppression;
    suppressions.push_back(Json{{"rule", suppression.rule},
                                {"until", suppression.until.to_string()},
                                {"because", suppression.because},
                                {"matched", outcome.matched},
                                {"state", outcome.expired          ? "expired"
                                          : outcome.matched > 0    ? "active"
                                          : suppression_tried(report, suppression) ? "unused"
                                                                                    : "not_checked"},
                                {"location", location_json(suppression.range.begin)}});
  }
  out.key("suppressions"), out.json(suppressions);
  out.key("vex"), out.json(vex_json(report));
  out.key("comparison"), out.json(comparison_json(report));
  out.key("changes"), out.json(changes_json(report));
  out.key("horizons"), out.json(Json(report.horizons));
  // docs/inventory.md, "Skipped files": the count, as `uprank inventory --format json` gives it.
  out.key("summary"), out.json(Json{{"files_skipped", files_skipped(report)}});
  out.key("coming_due"), out.json(coming_due_json(report));
  out.end_object();
  out.newline();
}

std::string write_json(const Report& report) {
  StringSink out;
  write_json(report, out);
  return std::move(out.text);
}

}  // namespace uprank::report
