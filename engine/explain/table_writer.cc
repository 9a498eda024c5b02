// The terminal rendering of an explanation: one section per question, every text from
// the inventory, rules or vendors escaped for the terminal.
#include <string>

#include "engine/base/terminal_text.h"
#include "engine/explain/explain.h"

namespace uprank::explain {
namespace {

std::string esc(std::string_view text) { return escape_for_terminal(text); }

std::string number_text(double value) {
  compiler::Value number;
  number.kind = compiler::Kind::kNumber;
  number.number = value;
  return compiler::format_value(number);
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + esc(items[i]);
  return out;
}

void write_condition(const Condition& condition, std::string& out) {
  out += "      " + condition.clause + " " + esc(condition.text) + "  → " + condition.outcome + "\n";
  for (const Operand& operand : condition.operands) {
    out += "        " + esc(operand.text) + " = " + esc(operand.value);
    if (!operand.sources.empty()) out += "  [" + joined(operand.sources, "; ") + "]";
    out += "\n";
  }
}

void write_rule(const RuleExplanation& rule, bool fired, std::string& out) {
  out += "  " + esc(rule.rule) + "  " + esc(rule.location) + "  " + std::to_string(rule.matches) + " match(es)";
  if (rule.matches_not_shown > 0) out += ", " + std::to_string(rule.matches_not_shown) + " not shown";
  out += "\n";
  for (const RuleMatch& match : rule.shown) {
    if (fired != (match.outcome != "not fired")) continue;
    std::string bindings;
    for (const auto& [variable, component] : match.bindings) bindings += (bindings.empty() ? "" : ", ") + esc(variable) + " = " + esc(component);
    out += "    " + bindings + ": " + match.outcome;
    if (!match.urgency.empty()) out += " " + match.urgency + (match.score ? " " + number_text(*match.score) : "");
    out += "\n";
    for (const Condition& condition : match.conditions) write_condition(condition, out);
    if (!match.message.empty()) out += "      message: " + esc(match.message) + "\n";
    if (!match.suppression.empty()) out += "      " + esc(match.suppression) + "\n";
    for (const std::string& evidence : match.evidence) out += "      evidence: " + esc(evidence) + "\n";
  }
}

std::string date_text(const std::optional<Date>& date) { return date ? date->to_string() : "not announced"; }

}  // namespace

std::string write_table(const Explanation& e) {
  std::string out = "Explaining " + esc(e.name) + " " + esc(e.version) + " (" + esc(e.identity) + ")";
  if (!e.location.empty()) out += " from " + esc(e.location);
  out += ", as of " + e.today.to_string() + ".\n";

  out += "\nRules that fired\n";
  bool any = false;
  for (const RuleExplanation& rule : e.rules) {
    if (!rule.fired) continue;
    write_rule(rule, true, out);
    any = true;
  }
  if (!any) out += "  none\n";

  out += "\nRules that could apply and did not fire (the first condition that was false or undefined)\n";
  any = false;
  for (const RuleExplanation& rule : e.rules) {
    if (rule.fired) continue;
    write_rule(rule, false, out);
    if (!rule.not_evaluated.empty()) out += "    not evaluated: " + esc(rule.not_evaluated) + "\n";
    any = true;
  }
  if (!any) out += "  none\n";

  out += "\nAdvisories considered\n";
  if (!e.advisories_unchecked.empty()) out += "  not checked: " + esc(e.advisories_unchecked) + "\n";
  for (const AdvisoryExplanation& advisory : e.advisories) {
    out += "  " + esc(advisory.id);
    if (!advisory.aliases.empty()) out += " (" + joined(advisory.aliases, ", ") + ")";
    out += "  " + esc(advisory.entry) + "  " + advisory.verdict + ": " + esc(advisory.reason);
    if (!advisory.fixed.empty()) out += "; fixed " + esc(advisory.fixed);
    if (!advisory.findings.empty()) out += "; read by " + joined(advisory.findings, ", ");
    out += "\n";
  }
  if (e.advisories.empty() && e.advisories_unchecked.empty()) out += "  none names its identity\n";

  out += "\nEnd of life\n";
  if (e.cycle) {
    const CycleExplanation& c = *e.cycle;
    // "ends" for a date still to come on the explanation's day, "ended" for one past.
    auto phase = [](const char* name, const std::optional<Date>& date, bool ended) {
      if (!ended) return std::string(name) + " ends " + date_text(date);
      return std::string(name) + " ended" + (date ? " " + date->to_string() : std::string());
    };
    out += "  " + esc(c.product) + " " + esc(c.cycle) + (c.lts ? " (LTS)" : "") + ": released " + date_text(c.released) +
           " · " + phase("active support", c.active_support_ends, c.active_ended) + " · " +
           phase("security support", c.security_support_ends, c.security_ended);
    if (c.extended_support_ends) out += " · " + phase("extended support", c.extended_support_ends, c.extended_ended);
    if (!c.latest.empty()) out += " · latest " + esc(c.latest) + (c.latest_date ? " (" + c.latest_date->to_string() + ")" : "");
    out += "\n  source " + (c.source.empty() ? std::string("none: older than every cycle known") : esc(c.source));
    if (!c.fetched_at.empty()) out += ", fetched " + esc(c.fetched_at);
    // Data fetched after the day explained (a replayed past day) is not "-N days old".
    if (c.age_days && *c.age_days >= 0) out += " (" + std::to_string(*c.age_days) + " days old)";
    if (c.age_days && *c.age_days < 0) out += " (" + std::to_string(-*c.age_days) + " days after " + e.today.to_string() + ")";
    out += "\n";
  } else {
    out += "  no end-of-life data for its product\n";
  }

  out += "\nConstraints with other components\n";
  for (const ConstraintExplanation& constraint : e.constraints) {
    out += "  " + esc(constraint.rule) + " with " + joined(constraint.others, ", ") + ": " + constraint.outcome;
    if (!constraint.because.empty()) out += " (" + esc(constraint.because) + ")";
    if (!constraint.constraint.empty()) out += "  " + esc(constraint.constraint);
    out += "  " + esc(constraint.location) + "\n";
  }
  if (e.constraints.empty()) out += "  none\n";

  out += "\nTarget choice\n";
  for (const ChoiceExplanation& choice : e.choices) {
    out += "  " + choice.kind + ": " + (choice.target.empty() ? "none (" + esc(choice.none_reason) + ")" : esc(choice.target)) + "\n";
    for (const targets::Blocker& blocker : choice.blocked) {
      out += "    blocked " + esc(blocker.version) + ": " + esc(blocker.constraint) + " with " + esc(blocker.component);
      if (!blocker.unblock.empty()) out += "; " + esc(blocker.unblock);
      out += "\n";
    }
  }
  if (!e.candidates.empty()) out += "  candidates from the running version up:\n";
  for (const CandidateExplanation& candidate : e.candidates) {
    out += "    " + esc(candidate.version);
    if (!candidate.line.empty()) out += "  line " + esc(candidate.line) + " supported until " + date_text(candidate.supported_until);
    out += "  (" + esc(candidate.source) + ")  " + esc(candidate.verdict) + "\n";
  }
  if (e.choices.empty()) out += "  not solved\n";

  out += "\nScore\n";
  const ScoreExplanation& s = e.score;
  if (!s.ranked) {
    out += "  no finding: not ranked\n";
  } else {
    out += "  urgency " + s.urgency + ", score " + number_text(s.score) + ", due " + (s.due ? s.due->to_string() : "none");
    if (!s.policy.empty()) out += ", rank policy " + esc(s.policy);
    out += "\n  score " + esc(s.arithmetic) + "\n";
    for (const DecisionExplanation& decision : s.decisions) {
      out += "  decision path of " + esc(decision.rule) + ":\n";
      for (const evaluator::DecisionStep& step : decision.steps) {
        out += "    " + esc(step.point) + " = " + esc(step.value);
        if (!step.because.empty()) out += "  (" + esc(step.because) + ")";
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace uprank::explain
