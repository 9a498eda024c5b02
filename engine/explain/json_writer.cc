// The JSON rendering of an explanation, for tools: docs/explain.schema.json.
#include <nlohmann/json.hpp>

#include "engine/explain/explain.h"

namespace uprank::explain {
namespace {

using nlohmann::json;

// Bump with every change of shape, and docs/explain.schema.json with it.
constexpr int kSchemaVersion = 1;

json date_or_null(const std::optional<Date>& date) { return date ? json(date->to_string()) : json(nullptr); }

json condition_json(const Condition& condition) {
  json operands = json::array();
  for (const Operand& operand : condition.operands) {
    operands.push_back({{"text", operand.text}, {"value", operand.value}, {"sources", operand.sources}});
  }
  return {{"clause", condition.clause}, {"text", condition.text}, {"location", condition.location},
          {"outcome", condition.outcome}, {"operands", operands}};
}

json rule_json(const RuleExplanation& rule) {
  json matches = json::array();
  for (const RuleMatch& match : rule.shown) {
    json bindings = json::array();
    for (const auto& [variable, component] : match.bindings) bindings.push_back({{"variable", variable}, {"component", component}});
    json conditions = json::array();
    for (const Condition& condition : match.conditions) conditions.push_back(condition_json(condition));
    json item = {{"bindings", bindings}, {"outcome", match.outcome}, {"conditions", conditions}};
    if (match.outcome != "not fired") {
      item["finding"] = {{"urgency", match.urgency}, {"score", match.score ? json(*match.score) : json(nullptr)},
                         {"message", match.message}, {"evidence", match.evidence}};
      if (!match.suppression.empty()) item["finding"]["suppression"] = match.suppression;
    }
    matches.push_back(std::move(item));
  }
  return {{"rule", rule.rule}, {"location", rule.location}, {"fired", rule.fired}, {"matches", rule.matches},
          {"matches_not_shown", rule.matches_not_shown}, {"shown", matches},
          {"not_evaluated", rule.not_evaluated.empty() ? json(nullptr) : json(rule.not_evaluated)}};
}

}  // namespace

std::string write_json(const Explanation& e) {
  json out;
  out["schema_version"] = kSchemaVersion;
  out["today"] = e.today.to_string();
  out["component"] = {{"name", e.name}, {"version", e.version}, {"identity", e.identity}, {"purl", e.purl}, {"location", e.location}};
  json fired = json::array(), not_fired = json::array();
  for (const RuleExplanation& rule : e.rules) (rule.fired ? fired : not_fired).push_back(rule_json(rule));
  out["rules_fired"] = fired;
  out["rules_not_fired"] = not_fired;
  json advisories = json::array();
  for (const AdvisoryExplanation& a : e.advisories) {
    advisories.push_back({{"id", a.id}, {"aliases", a.aliases}, {"entry", a.entry}, {"ranges", a.ranges}, {"verdict", a.verdict},
                          {"reason", a.reason}, {"fixed", a.fixed.empty() ? json(nullptr) : json(a.fixed)}, {"findings", a.findings}});
  }
  out["advisories"] = {{"unchecked", e.advisories_unchecked.empty() ? json(nullptr) : json(e.advisories_unchecked)},
                       {"considered", advisories}};
  if (e.cycle) {
    const CycleExplanation& c = *e.cycle;
    out["end_of_life"] = {{"product", c.product}, {"cycle", c.cycle}, {"released", date_or_null(c.released)},
                          {"active_support_ends", date_or_null(c.active_support_ends)},
                          {"security_support_ends", date_or_null(c.security_support_ends)},
                          {"extended_support_ends", date_or_null(c.extended_support_ends)},
                          {"security_ended", c.security_ended}, {"lts", c.lts}, {"latest", c.latest},
                          {"latest_date", date_or_null(c.latest_date)}, {"source", c.source}, {"fetched_at", c.fetched_at},
                          {"age_days", c.age_days ? json(*c.age_days) : json(nullptr)}};
  } else {
    out["end_of_life"] = nullptr;
  }
  json constraints = json::array();
  for (const ConstraintExplanation& c : e.constraints) {
    constraints.push_back({{"rule", c.rule}, {"constraint", c.constraint}, {"location", c.location}, {"others", c.others},
                           {"outcome", c.outcome}, {"because", c.because}});
  }
  out["constraints"] = constraints;
  json choices = json::array();
  for (const ChoiceExplanation& choice : e.choices) {
    json blocked = json::array();
    for (const targets::Blocker& b : choice.blocked) {
      blocked.push_back({{"version", b.version}, {"constraint", b.constraint}, {"location", b.location.begin.to_string()},
                         {"component", b.component}, {"unblock", b.unblock}});
    }
    choices.push_back({{"kind", choice.kind}, {"target", choice.target.empty() ? json(nullptr) : json(choice.target)},
                       {"none_reason", choice.none_reason}, {"blocked_by", blocked}});
  }
  json candidates = json::array();
  for (const CandidateExplanation& c : e.candidates) {
    candidates.push_back({{"version", c.version}, {"line", c.line}, {"supported_until", date_or_null(c.supported_until)},
                          {"source", c.source}, {"verdict", c.verdict}});
  }
  out["targets"] = {{"choices", choices}, {"candidates", candidates}};
  const ScoreExplanation& s = e.score;
  if (s.ranked) {
    json factors = json::array();
    for (const evaluator::RankFactor& f : s.factors) {
      factors.push_back({{"name", f.name}, {"points", f.points ? json(*f.points) : json(nullptr)}, {"because", f.because}});
    }
    json decisions = json::array();
    for (const DecisionExplanation& d : s.decisions) {
      json steps = json::array();
      for (const evaluator::DecisionStep& step : d.steps) steps.push_back({{"point", step.point}, {"value", step.value}, {"because", step.because}});
      decisions.push_back({{"rule", d.rule}, {"steps", steps}});
    }
    out["score"] = {{"urgency", s.urgency}, {"score", s.score}, {"due", date_or_null(s.due)}, {"policy", s.policy},
                    {"base", s.base}, {"base_because", s.base_because}, {"factors", factors}, {"arithmetic", s.arithmetic},
                    {"decisions", decisions}};
  } else {
    out["score"] = nullptr;
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace uprank::explain
