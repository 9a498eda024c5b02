#include <cmath>

#include <nlohmann/json.hpp>

#include "engine/report/fingerprint.h"
#include "engine/report/internal.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

using Json = nlohmann::ordered_json;

// Scores are rounded to two decimals so that JSON output is stable across platforms.
double rounded(double score) { return std::round(score * 100.0) / 100.0; }

Json location_json(const SourceLocation& location) {
  if (!location.known()) return nullptr;
  return Json{{"file", location.file}, {"line", location.line}, {"column", location.column}};
}

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

// The package identity advisories meet (docs/identity.md); null for components that no
// package ecosystem names (images, hosts, engines), which meet products instead.
Json identity_json(const inventory::Component& component) {
  const inventory::Identity& identity = component.identity;
  if (identity.ecosystem.empty() && component.purl.empty()) return nullptr;
  return Json{{"ecosystem", or_null(identity.osv_ecosystem())},
              {"package", or_null(identity.name)},
              {"source_package", or_null(identity.source_name)},
              {"release_origin", or_null(identity.release_origin)},
              {"purl", or_null(component.purl)}};
}

// Whether the component's advisories were checked; null when no rule reads advisories.
Json coverage_json(const Report& report, size_t component) {
  if (component >= report.coverage.size()) return nullptr;
  const evaluator::AdvisoryCoverage& coverage = report.coverage[component];
  const inventory::Component& item = report.inventory->components[component];
  if (!coverage.checked()) {
    return Json{{"checked", false}, {"as", or_null(evaluator::advisory_identity(item))},
                {"reason", evaluator::advisory_gap_reason(coverage, item)}};
  }
  Json checked{{"checked", true}, {"as", evaluator::advisory_identity(item)}, {"entries", coverage.entries}};
  // Checked against some entries only: the others are said, never dropped.
  if (coverage.not_compared > 0) checked["not_compared"] = coverage.not_compared;
  return checked;
}

// A patch or supported target: the version, or why there is none, and the constraints
// that ruled out lower versions.
Json choice_json(const targets::Choice& choice) {
  Json blocked = Json::array();
  for (const targets::Blocker& blocker : choice.blocked) {
    blocked.push_back(Json{{"constraint", blocker.constraint},
                           {"location", location_json(blocker.location.begin)},
                           {"version", blocker.version},
                           {"component", blocker.component},
                           {"unblock", or_null(blocker.unblock)}});
  }
  if (!choice.target) return Json{{"version", nullptr}, {"reason", choice.none_reason}, {"blocked_by", blocked}};
  const targets::Target& target = *choice.target;
  return Json{{"version", target.version},
              {"release", target.release},
              {"current", target.current},
              {"line", target.line},
              {"supported_until", target.supported_until ? Json(target.supported_until->to_string()) : Json(nullptr)},
              {"source", target.source},
              {"steps", target.steps},
              {"remaining", choice.remaining},
              {"blocked_by", blocked}};
}

Json targets_json(const RankedComponent& entry) {
  if (!entry.targets) return nullptr;
  return Json{{"patch", choice_json(entry.targets->patch)},
              {"supported", choice_json(entry.targets->supported)},
              {"advisories_not_checked", or_null(entry.targets->advisories_unchecked)}};
}

// How the component's score adds up: base + factors = score, and the findings that
// contributed, most urgent first (docs/rule-language.md, "Ranking components").
Json breakdown_json(const Report& report, const RankedComponent& entry) {
  const RankBreakdown& breakdown = entry.breakdown;
  Json factors = Json::array();
  for (const evaluator::RankFactor& factor : breakdown.factors) {
    factors.push_back(Json{{"name", factor.name},
                           {"points", factor.points ? Json(rounded(*factor.points)) : Json(nullptr)},
                           {"because", or_null(factor.because)}});
  }
  Json findings = Json::array();
  for (size_t f : entry.findings) {
    const evaluator::Finding& finding = report.findings[f];
    findings.push_back(Json{{"rule", finding.rule},
                            {"urgency", compiler::level_name(finding.level)},
                            {"score", rounded(finding.score)},
                            {"due", finding.due ? Json(finding.due->to_string()) : Json(nullptr)}});
  }
  return Json{{"policy", or_null(breakdown.policy)},
              {"base", Json{{"points", rounded(breakdown.base)}, {"because", or_null(breakdown.base_because)}}},
              {"factors", factors},
              {"findings", findings}};
}

Json date_or_null(const std::optional<Date>& date) { return date ? Json(date->to_string()) : Json(nullptr); }

Json component_name(const Report& report, size_t component) {
  if (component == evaluator::kNoComponent) return nullptr;
  return report.inventory->components[component].name;
}

Json strings_json(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

// The `affected[]` entry as the OSV record wrote it: each range's events as OSV objects
// ({"introduced": "0"}), the enumerated versions, and the comparator reading of the ranges.
Json affected_json(const facts::AffectedPackage& affected) {
  Json ranges = Json::array();
  for (const facts::AffectedRange& range : affected.ranges) {
    Json events = Json::array();
    for (const auto& event : range.events) events.push_back(Json{{event.kind, event.version}});
    Json item{{"type", range.type}, {"repo", or_null(range.repo)}, {"events", events}};
    // Ranges written as ranges (declared blocks, CSAF product_version_range), not events.
    if ((range.type == "RULES" || range.events.empty()) && range.range) item["range"] = range.range->text();
    ranges.push_back(std::move(item));
  }
  Json severity = Json::array();
  for (const auto& [type, vector] : affected.severity) severity.push_back(Json{{"type", type}, {"score", vector}});
  Json out{{"ecosystem", or_null(affected.ecosystem)}, {"package", affected.name},
           {"purl", or_null(affected.purl)}, {"severity", severity}, {"ranges", ranges},
           {"versions", strings_json(affected.versions)}, {"text", or_null(affected_ranges_text(affected))}};
  if (!affected.entries.empty()) out["entries"] = strings_json(affected.entries);
  return out;
}

Json evidence_source_json(const facts::Evidence& evidence) {
  return Json{{"source", evidence.source}, {"url", or_null(evidence.url)}, {"fetched_at", or_null(evidence.fetched_at)}};
}

// One advisory as it applies to the finding's component (evaluator::AdvisoryEvidence):
// OSV fields, the CISA KEV entry (catalog field names in snake case) and the FIRST EPSS
// score joined under its ids, each with where and when it was fetched.
Json advisory_evidence_json(const Report& report, const evaluator::AdvisoryEvidence& record) {
  const compiler::AdvisoryMatch& match = *record.match;
  const facts::Advisory& advisory = *match.advisory;
  Json cvss = nullptr;
  if (auto score = internal::advisory_cvss(advisory)) {
    cvss = Json{{"version", std::string(facts::cvss_version_name(score->version))}, {"vector", advisory.cvss_vector},
                {"score", score->base}, {"rating", std::string(facts::cvss_rating_name(score->rating))}};
  }
  Json severity = Json::array();
  for (const auto& [type, vector] : advisory.severity) severity.push_back(Json{{"type", type}, {"score", vector}});
  Json kev = nullptr;
  if (match.kev != nullptr) {
    const facts::KevEntry& entry = *match.kev;
    kev = Json{{"cve", entry.cve},
               {"date_added", date_or_null(entry.date_added)},
               {"due_date", date_or_null(entry.due_date)},
               {"known_ransomware_campaign_use", entry.known_ransomware_use ? "Known" : "Unknown"},
               {"required_action", or_null(entry.required_action)}};
    kev.update(evidence_source_json(entry.evidence));
  }
  Json epss = nullptr;
  if (match.epss != nullptr) {
    const facts::EpssScore& score = *match.epss;
    epss = Json{{"cve", score.cve}, {"score", score.score}, {"percentile", score.percentile},
                {"date", date_or_null(score.date)}, {"model_version", or_null(score.model_version)}};
    epss.update(evidence_source_json(score.evidence));
  }
  Json declared = nullptr;
  if (match.declared_exploited) declared = Json{{"since", date_or_null(match.declared_exploited_since)}};
  Json out{{"component", component_name(report, record.component)},
           {"id", advisory.id},
           {"aliases", strings_json(advisory.aliases)},
           {"summary", or_null(advisory.summary)},
           {"published", date_or_null(advisory.published)},
           {"modified", date_or_null(advisory.modified)},
           {"cvss", cvss},
           {"vendor_severity", or_null(advisory.severity_label)},
           {"severity", severity},
           {"affected", match.affected != nullptr ? affected_json(*match.affected) : Json(nullptr)},
           {"fixed", match.fixed ? Json(match.fixed->text()) : Json(nullptr)},
           {"kev", kev},
           {"declared_exploited", declared},
           {"epss", epss}};
  out.update(evidence_source_json(advisory.evidence));
  return out;
}

// One end-of-life cycle (evaluator::EolEvidence) with its endoflife.date dates; each
// phase's `ended` is judged on the report's day, as the rules judge it.
Json eol_evidence_json(const Report& report, const evaluator::EolEvidence& record) {
  const facts::EolCycle& cycle = *record.cycle;
  auto phase = [&](bool flag, const std::optional<Date>& ends) {
    if (!flag && !ends) return Json(nullptr);
    return Json{{"ends", date_or_null(ends)}, {"ended", internal::phase_ended(flag, ends, report.today)}};
  };
  Json out{{"component", component_name(report, record.component)},
           {"id", cycle.evidence.id},
           {"product", cycle.product},
           {"cycle", cycle.cycle},
           {"codename", or_null(cycle.codename)},
           {"released", date_or_null(cycle.released)},
           {"active_support", phase(cycle.active_ended_flag, cycle.active_ends)},
           {"security_support", phase(cycle.security_ended_flag, cycle.security_ends)},
           {"extended_support", phase(cycle.extended_ended_flag, cycle.extended_ends)},
           {"lts", cycle.lts},
           {"lts_from", date_or_null(cycle.lts_from)},
           {"latest", or_null(cycle.latest)},
           {"latest_date", date_or_null(cycle.latest_date)}};
  out.update(evidence_source_json(cycle.evidence));
  Json releases = nullptr;
  if (record.releases != nullptr) {
    releases = Json{{"product", record.releases->product}, {"versions", record.releases->versions.size()}};
    releases.update(evidence_source_json(record.releases->evidence));
  }
  out["release_data"] = releases;
  return out;
}

// Where a finding's subject is pinned, its file relative to the repository root: the
// place a baseline, a SARIF log or a pull-request comment points at.
Json finding_location_json(const Report& report, const evaluator::Finding& finding) {
  if (finding.components.empty()) return nullptr;
  return location_json(repository_location(report.inventory->components[finding.components.front()]));
}

// The baseline and change set the findings were compared with, and what is fixed.
Json comparison_json(const Report& report) {
  Json fixed = Json::array();
  for (const FixedFinding& finding : report.fixed) {
    fixed.push_back(Json{{"fingerprint", finding.fingerprint},
                         {"rule", finding.rule},
                         {"component", or_null(finding.component)},
                         {"urgency", finding.urgency},
                         {"message", finding.message},
                         {"location", location_json(finding.location)}});
  }
  return Json{{"baseline", or_null(report.baseline)}, {"changed_since", or_null(report.changed_since)}, {"fixed", fixed}};
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

// Writes the report object member by member and its component lists element by element,
// each value dumped as nlohmann::json::dump(2) dumps it inside the whole document, so the
// bytes are those of one dump of the whole while only one component is held at a time.
class StreamingObject {
 public:
  explicit StreamingObject(Sink& out) : out_(out) {}

  void member(std::string_view key, const Json& value) {
    name(key);
    nested(value, 2);
  }
  void begin_array(std::string_view key) {
    name(key);
    items_ = 0;
  }
  void item(const Json& value) {
    out_.write(items_++ == 0 ? "[\n    " : ",\n    ");
    nested(value, 4);
  }
  void end_array() { out_.write(items_ == 0 ? "[]" : "\n  ]"); }
  void end() { out_.write(first_ ? "{}\n" : "\n}\n"); }

 private:
  void name(std::string_view key) {  // keys are this writer's own ASCII names
    out_.write(first_ ? "{\n  \"" : ",\n  \"");
    first_ = false;
    out_.write(key);
    out_.write("\": ");
  }
  // `value` at `indent` spaces: its own lines shifted right. A JSON string never holds a
  // raw newline (dump escapes it), so every newline of the dump starts a line of it.
  void nested(const Json& value, size_t indent) {
    // Invalid UTF-8 from an input file is replaced rather than failing the whole report.
    std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
    const std::string shift = "\n" + std::string(indent, ' ');
    size_t from = 0;
    for (size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1) {
      out_.write(std::string_view(text).substr(from, at - from));
      out_.write(shift);
    }
    out_.write(std::string_view(text).substr(from));
  }

  Sink& out_;
  bool first_ = true;
  size_t items_ = 0;
};

Json finding_json(const Report& report, size_t f) {
  const auto& components = report.inventory->components;
  const evaluator::Finding& finding = report.findings[f];
  Json evidence = Json::array();
  for (const auto& item : finding.evidence) {
    evidence.push_back(Json{{"source", item.source}, {"id", item.id}, {"url", or_null(item.url)},
                            {"fetched_at", or_null(item.fetched_at)}});
  }
  Json advisories = Json::array();
  for (const auto& record : finding.advisories) advisories.push_back(advisory_evidence_json(report, record));
  Json end_of_life = Json::array();
  for (const auto& record : finding.cycles) end_of_life.push_back(eol_evidence_json(report, record));
  Json related = Json::array();
  for (size_t k = 1; k < finding.components.size(); ++k) related.push_back(components[finding.components[k]].name);
  Json risks = Json::array();
  for (const auto& [kind, message] : finding.risks) risks.push_back(Json{{"kind", kind}, {"message", message}});
  Json decision_path = Json::array();
  for (const auto& step : finding.decision_path) {
    decision_path.push_back(Json{{"point", step.point}, {"value", step.value}, {"because", or_null(step.because)}});
  }
  FindingState state;
  if (f < report.states.size()) state = report.states[f];
  else state.fingerprint = fingerprint_of(finding, *report.inventory, report.repository_root);
  return Json{{"rule", finding.rule},
              {"fingerprint", state.fingerprint},
              {"change", or_null(std::string(change_name(state.change)))},
              {"context", state.context},
              {"location", finding_location_json(report, finding)},
              {"title", or_null(finding.title)},
              {"urgency", compiler::level_name(finding.level)},
              {"score", rounded(finding.score)},
              {"reason", finding.reason},
              {"message", finding.message},
              {"target", or_null(finding.target)},
              {"due", finding.due ? Json(finding.due->to_string()) : Json(nullptr)},
              {"related_components", related},
              {"risks", risks},
              {"decision_path", decision_path},
              {"evidence", evidence},
              {"advisories", advisories},
              {"end_of_life", end_of_life},
              {"rule_location", location_json(finding.rule_location)}};
}

Json ranked_json(const Report& report, size_t i) {
  const RankedComponent& entry = report.ranked[i];
  const auto& component = report.inventory->components[entry.component];
  Json findings = Json::array();
  for (size_t f : entry.findings) findings.push_back(finding_json(report, f));
  return Json{{"rank", i + 1},
              {"name", component.name},
              {"product", or_null(component.product)},
              {"version", component.version_text},
              {"scheme", versions::scheme_name(component.scheme)},
              {"urgency", compiler::level_name(entry.level)},
              {"score", rounded(entry.score)},
              {"due", entry.due ? Json(entry.due->to_string()) : Json(nullptr)},
              {"target", or_null(entry.target)},
              {"targets", targets_json(entry)},
              {"breakdown", breakdown_json(report, entry)},
              {"location", location_json(component.location)},
              {"identity", identity_json(component)},
              {"identity_key", fingerprint_identity(component)},
              {"repository_file", or_null(repository_location(component).file)},
              {"advisories", coverage_json(report, entry.component)},
              {"findings", std::move(findings)}};
}

}  // namespace

void write_json(const Report& report, Sink& out) {
  const auto& components = report.inventory->components;
  StreamingObject root(out);
  root.member("schema_version", "1.10");
  root.member("rank_policy", or_null(report.rank_policy));
  root.member("today", report.today.to_string());
  root.begin_array("components");
  for (size_t i = 0; i < report.ranked.size(); ++i) root.item(ranked_json(report, i));
  root.end_array();
  root.begin_array("no_findings");
  for (size_t c : report.unranked) {
    root.item(Json{{"name", components[c].name}, {"version", components[c].version_text},
                   {"product", or_null(components[c].product)}, {"identity", identity_json(components[c])},
                   {"identity_key", fingerprint_identity(components[c])},
                   {"repository_file", or_null(repository_location(components[c]).file)},
                   {"advisories", coverage_json(report, c)}});
  }
  root.end_array();
  if (report.only) {
    Json filtered = Json::array();
    for (size_t c : report.only->filtered) filtered.push_back(components[c].name);
    // `advisory` is the first record, as schema 1.8 readers expect; `advisories` all of them.
    root.member("only", Json{{"advisory", report.only->advisories.front()},
                             {"advisories", report.only->advisories},
                             {"asked", report.only->asked},
                             {"filtered", filtered}});
  } else {
    root.member("only", nullptr);
  }
  Json sources = Json::array();
  for (const DataSource& source : report.data_sources) {
    sources.push_back(Json{{"name", source.name}, {"description", source.description},
                           {"fetched_at", or_null(source.fetched_at)}});
  }
  root.member("data_sources", sources);
  Json suppressions = Json::array();
  for (const auto& outcome : report.suppressions) {
    const auto& suppression = *outcome.suppression;
    suppressions.push_back(Json{{"rule", suppression.rule},
                                {"until", suppression.until.to_string()},
                                {"because", suppression.because},
                                {"matched", outcome.matched},
                                {"state", outcome.expired ? "expired" : outcome.matched == 0 ? "unused" : "active"},
                                {"location", location_json(suppression.range.begin)}});
  }
  root.member("suppressions", suppressions);
  root.member("vex", vex_json(report));
  root.member("comparison", comparison_json(report));
  root.member("changes", changes_json(report));
  root.member("horizons", report.horizons);
  root.member("coming_due", coming_due_json(report));
  root.end();
}

std::string write_json(const Report& report) {
  StringSink out;
  write_json(report, out);
  return std::move(out.text);
}

}  // namespace uprank::report
