#include "engine/explain/explain.h"

#include <algorithm>
#include <cctype>
#include <deque>

#include "engine/base/diagnostic.h"
#include "engine/facts/lts.h"
#include "engine/inventory/product_map.h"
#include "engine/inventory/purl.h"
#include "engine/report/fingerprint.h"
#include "engine/targets/candidates.h"

namespace uprank::explain {
namespace {

// A purl without its version, qualifiers and subpath: "pkg:npm/lodash".
std::string_view purl_base(std::string_view purl) {
  return purl.substr(0, std::min({purl.find('@'), purl.find('?'), purl.find('#')}));
}

// Returns whether purl `query` names `component`'s purl: the same package, letter case as
// its type compares it (pkg:nuget/newtonsoft.json names Newtonsoft.Json), and the same
// version when the query gives one.
bool purl_names_component(std::string_view query, const inventory::Component& component) {
  if (component.purl.empty() || query.rfind("pkg:", 0) != 0) return false;
  auto wanted = inventory::PackageUrl::parse(query);
  auto have = inventory::PackageUrl::parse(component.purl);
  return wanted.ok() && have.ok() && inventory::same_package(*wanted, *have) &&
         (wanted->version.empty() || wanted->version == have->version);
}

std::string location_text(const SourceLocation& location) { return location.to_string(); }

// Returns the text of `range` in its rule file, on one line, or its position when the
// file's text is not at hand.
std::string quote(const SourceRange& range, const std::map<std::string, std::string>* sources) {
  if (sources != nullptr) {
    auto found = sources->find(range.begin.file);
    if (found != sources->end() && range.begin.line > 0 && range.end_line >= range.begin.line) {
      const std::string& text = found->second;
      auto line_start = [&](int line) {
        size_t at = 0;
        for (int i = 1; i < line && at != std::string::npos; ++i) {
          at = text.find('\n', at);
          if (at != std::string::npos) ++at;
        }
        return at;
      };
      size_t begin = line_start(range.begin.line);
      size_t end = line_start(range.end_line);
      if (begin != std::string::npos && end != std::string::npos) {
        begin += static_cast<size_t>(std::max(range.begin.column, 1) - 1);
        end += static_cast<size_t>(std::max(range.end_column, 1));
        if (begin < end && end <= text.size()) {
          std::string quoted;
          bool space = false;
          for (char c : text.substr(begin, end - begin)) {  // a condition spanning lines reads as one
            if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
              space = !quoted.empty();
              continue;
            }
            if (space) quoted += ' ';
            space = false;
            quoted += c;
          }
          return quoted;
        }
      }
    }
  }
  return "(at " + range.begin.to_string() + ")";
}

Condition condition_of(const evaluator::ConjunctTrace& trace, const compiler::Program& program,
                       const std::map<std::string, std::string>* sources) {
  Condition condition{trace.clause, quote(trace.range, sources), location_text(trace.range.begin),
                      evaluator::outcome_name(trace.outcome), {}};
  for (const evaluator::OperandTrace& traced : trace.operands) {
    Operand operand{quote(traced.range, sources), traced.value, traced.sources};
    if (traced.constant) {
      // A literal says its own value; a param is worth naming with where it is set.
      auto param = std::find_if(program.params().begin(), program.params().end(), [&](const compiler::ParamValue& p) {
        return p.qualified_name == operand.text ||
               (p.qualified_name.size() > operand.text.size() &&
                p.qualified_name.compare(p.qualified_name.size() - operand.text.size() - 1, std::string::npos, "." + operand.text) == 0);
      });
      if (param == program.params().end()) continue;
      operand.sources.push_back("param " + param->qualified_name + " (" + param->range.begin.to_string() + ")");
    }
    condition.operands.push_back(std::move(operand));
  }
  return condition;
}

// Returns the finding (shown or suppressed) of `rule` binding exactly `components`.
const evaluator::Finding* finding_of(const report::Report& report, const std::string& rule,
                                     const std::vector<size_t>& components, bool& suppressed) {
  for (const auto* list : {&report.findings, &report.suppressed}) {
    for (const evaluator::Finding& finding : *list) {
      if (finding.rule() == rule && finding.components == components) {
        suppressed = list == &report.suppressed;
        return &finding;
      }
    }
  }
  return nullptr;
}

std::string suppression_text(const compiler::CompiledSuppression& suppression) {
  return "suppressed by " + suppression.range.begin.to_string() + " until " + suppression.until.to_string() +
         " because \"" + suppression.because + "\"";
}

void explain_rules(const Inputs& in, Explanation& out) {
  const compiler::Program& program = *in.program;
  const report::Report& report = *in.report;
  const auto& components = report.inventory->components;
  for (const evaluator::RuleReach& reach : in.trace->rules) {
    const compiler::CompiledRule& rule = program.rules()[reach.rule];
    RuleExplanation explained{rule.qualified_name, rule.range.begin.to_string(), false, reach.matches, reach.matches_dropped, {}, ""};
    if (reach.needs_eol) {
      explained.not_evaluated = "its `where` reads end-of-life data, and none is known for " + out.name;
    } else if (reach.matches == 0) {
      explained.not_evaluated = "no component to pair it with passed the rule's other bindings";
    }
    const compiler::CompiledConstraint* constraint = nullptr;
    for (const auto& candidate : program.constraints()) {
      if (candidate.rule == rule.qualified_name) constraint = &candidate;
    }
    for (const evaluator::MatchTrace& traced : in.trace->matches) {
      if (traced.rule != reach.rule) continue;
      RuleMatch match;
      for (size_t b = 0; b < traced.components.size(); ++b) {
        match.bindings.emplace_back(rule.bindings[b].variable, components[traced.components[b]].name);
      }
      for (const auto& conjunct : traced.conjuncts) match.conditions.push_back(condition_of(conjunct, program, in.rule_sources));
      match.outcome = "not fired";
      bool suppressed = false;
      const evaluator::Finding* finding = traced.fired ? finding_of(report, rule.qualified_name, traced.components, suppressed) : nullptr;
      if (finding != nullptr) {
        explained.fired = true;
        match.outcome = suppressed ? "suppressed" : "fired";
        match.urgency = std::string(compiler::level_name(finding->level));
        match.score = finding->score;
        match.message = finding->message();
        if (suppressed) match.suppression = suppression_text(program.suppressions()[static_cast<size_t>(finding->suppression)]);
        for (const facts::Evidence& evidence : finding->evidence()) {
          std::string line = evidence.source + " " + evidence.id;
          if (!evidence.fetched_at.empty()) line += " (fetched " + evidence.fetched_at + ")";
          match.evidence.push_back(std::move(line));
        }
      }
      // A pairing whose `where` failed is not related (another cluster, another kind):
      // only pairings the rule went on to test are constraints on the component.
      bool related = match.outcome != "not fired" || (!match.conditions.empty() && match.conditions.back().clause != "where");
      if (traced.components.size() > 1 && related) {
        ConstraintExplanation joined{rule.qualified_name, constraint ? constraint->text : "",
                                     (constraint ? constraint->range : rule.range).begin.to_string(), {}, "", ""};
        for (size_t component : traced.components) {
          if (component != out.component) joined.others.push_back(components[component].name);
        }
        if (match.outcome == "not fired") {
          joined.outcome = "holds";
          if (!match.conditions.empty()) {
            const Condition& last = match.conditions.back();
            joined.because = last.clause + " " + last.text + " is " + last.outcome;
          }
        } else {
          joined.outcome = match.outcome == "fired" ? "violated" : "suppressed";
          joined.because = match.message;
        }
        out.constraints.push_back(std::move(joined));
      }
      explained.shown.push_back(std::move(match));
    }
    out.rules.push_back(std::move(explained));
  }
}

void explain_advisories(const Inputs& in, Explanation& out) {
  const report::Report& report = *in.report;
  const inventory::Component& component = report.inventory->components[out.component];
  if (out.component < report.coverage.size() && !report.coverage[out.component].checked()) {
    out.advisories_unchecked = evaluator::advisory_gap_reason(report.coverage[out.component], component);
  }
  if (in.advisories == nullptr) return;
  for (const auto& considered : in.advisories->considered(component)) {
    AdvisoryExplanation advisory;
    advisory.id = considered.advisory->id;
    advisory.aliases = considered.advisory->aliases;
    advisory.entry = considered.package->ecosystem + " " + considered.package->name;
    advisory.ranges = report::affected_ranges_text(*considered.package);
    if (considered.fixed) advisory.fixed = considered.fixed->text();
    if (!considered.affects) {
      advisory.verdict = "not affected";
      advisory.reason = component.version ? component.version_text + " is outside " +
                                                (advisory.ranges.empty() ? "the versions it lists" : advisory.ranges)
                                          : "version not comparable: " + component.version_text;
    } else {
      advisory.verdict = "affected";
      advisory.reason = component.version_text + " is within " + (advisory.ranges.empty() ? "the versions it lists" : advisory.ranges);
    }
    for (const evaluator::VexOutcome& outcome : report.vex) {
      if (outcome.component != out.component || outcome.advisory != advisory.id || !report.vex_statements) continue;
      const vex::Statement& statement = report.vex_statements->statements()[outcome.statement];
      if (vex::removes_finding(statement.status)) advisory.verdict = "not affected by statement";
      advisory.reason = "VEX " + std::string(vex::status_name(statement.status));
      if (!statement.justification.empty()) advisory.reason += " (" + statement.justification + ")";
      if (!statement.impact_statement.empty()) advisory.reason += ": " + statement.impact_statement;
      if (!statement.author.empty()) advisory.reason += " by " + statement.author;
      advisory.reason += " [" + statement.file + " " + statement.path + "]";
    }
    bool only_suppressed = false;
    for (const auto* list : {&report.findings, &report.suppressed}) {
      for (const evaluator::Finding& finding : *list) {
        bool reads = std::any_of(finding.advisories.begin(), finding.advisories.end(), [&](const evaluator::AdvisoryEvidence& e) {
          return e.component == out.component && e.match->advisory == considered.advisory;
        });
        if (!reads || std::find(advisory.findings.begin(), advisory.findings.end(), finding.rule()) != advisory.findings.end()) continue;
        advisory.findings.push_back(finding.rule());
        if (list == &report.suppressed && advisory.findings.size() == 1) {
          only_suppressed = true;
          advisory.reason += "; " + suppression_text(in.program->suppressions()[static_cast<size_t>(finding.suppression)]);
        } else if (list == &report.findings) {
          only_suppressed = false;
        }
      }
    }
    if (only_suppressed && advisory.verdict == "affected") advisory.verdict = "suppressed";
    // One row per advisory: an advisory with several entries naming the component is
    // affected when any entry is.
    auto same = std::find_if(out.advisories.begin(), out.advisories.end(), [&](const AdvisoryExplanation& a) { return a.id == advisory.id; });
    if (same == out.advisories.end()) {
      out.advisories.push_back(std::move(advisory));
    } else if (same->verdict == "not affected" && advisory.verdict != "not affected") {
      *same = std::move(advisory);
    }
  }
  std::sort(out.advisories.begin(), out.advisories.end(),
            [](const AdvisoryExplanation& a, const AdvisoryExplanation& b) { return a.id < b.id; });
}

void explain_cycle(const Inputs& in, Explanation& out) {
  const inventory::Component& component = in.report->inventory->components[out.component];
  facts::MadeUpCycles before_known;
  const facts::EolCycle* cycle = evaluator::eol_cycle_of(*in.facts, component, out.today, before_known);
  if (cycle == nullptr) return;
  CycleExplanation explained;
  explained.product = cycle->product;
  explained.cycle = cycle->cycle;
  explained.released = cycle->released;
  explained.active_support_ends = cycle->active_ends;
  explained.security_support_ends = cycle->security_ends;
  explained.extended_support_ends = cycle->extended_ends;
  explained.security_ended = cycle->security_ended(out.today);
  // As security support: ended the day after its date.
  explained.active_ended = cycle->active_ended_flag || (cycle->active_ends && out.today > *cycle->active_ends);
  explained.extended_ended = cycle->extended_ended_flag || (cycle->extended_ends && out.today > *cycle->extended_ends);
  explained.lts = facts::lts_on(*cycle, out.today);
  explained.latest = cycle->latest;
  explained.latest_date = cycle->latest_date;
  explained.source = cycle->evidence.source;
  explained.fetched_at = cycle->evidence.fetched_at;
  if (explained.fetched_at.size() >= 10) {
    if (auto fetched = Date::parse(std::string_view(explained.fetched_at).substr(0, 10))) explained.age_days = out.today - *fetched;
  }
  out.cycle = std::move(explained);
}

void explain_targets(const Inputs& in, Explanation& out) {
  if (in.targets == nullptr) return;
  const inventory::Component& component = in.report->inventory->components[out.component];
  for (const auto& [kind, choice] : {std::pair<const char*, const targets::Choice*>{"patch", &in.targets->patch},
                                     std::pair<const char*, const targets::Choice*>{"supported", &in.targets->supported}}) {
    ChoiceExplanation explained{kind, choice->target ? choice->target->version : "", choice->none_reason, choice->blocked};
    if (choice->target && choice->target->current) explained.target += " (running)";
    out.choices.push_back(std::move(explained));
  }
  if (!component.version) return;
  targets::Candidates gathered(*in.facts, in.advisories, out.today);
  const targets::CandidateList& list = gathered.of(component);
  const Date window_end = out.today + in.window_days;
  for (const targets::Candidate& candidate : list.candidates()) {
    if (versions::compare(candidate.version, *component.version) < 0) continue;
    CandidateExplanation explained;
    explained.version = candidate.text();
    if (candidate.cycle != nullptr) {
      explained.line = candidate.cycle->cycle;
      explained.supported_until = candidate.cycle->security_ends;
    }
    explained.source = candidate.describe_source();
    auto is = [&](const targets::Choice& choice) {
      return choice.target && (choice.target->release == candidate.text() || choice.target->version == candidate.text());
    };
    std::vector<std::string> verdicts;
    if (candidate.source == targets::Candidate::Source::kRunning || candidate.text() == component.version_text) verdicts.push_back("running");
    if (!targets::admissible(candidate, *component.version)) verdicts.push_back("pre-release: a target only from a pre-release of its own release");
    if (is(in.targets->patch)) verdicts.push_back("patch target");
    if (is(in.targets->supported)) verdicts.push_back("supported target");
    if (in.advisories != nullptr) {
      std::vector<const facts::Advisory*> affecting = in.advisories->affecting(component, candidate.text());
      if (!affecting.empty()) {
        std::string ids;
        for (size_t i = 0; i < affecting.size() && i < 3; ++i) ids += (i ? ", " : "") + affecting[i]->id;
        if (affecting.size() > 3) ids += " and " + std::to_string(affecting.size() - 3) + " more";
        verdicts.push_back("affected by " + ids);
      }
    }
    for (const auto* choice : {&in.targets->patch, &in.targets->supported}) {
      for (const targets::Blocker& blocker : choice->blocked) {
        std::string text = "blocked by " + blocker.constraint + " (" + blocker.component + ")";
        // The blocker writes the version as the pin would: "16.4" or "16.4-alpine".
        const std::string& version = candidate.text();
        bool named = blocker.version == version ||
                     (blocker.version.size() > version.size() && blocker.version.compare(0, version.size(), version) == 0 &&
                      !std::isdigit(static_cast<unsigned char>(blocker.version[version.size()])) &&
                      blocker.version[version.size()] != '.');
        if (named && std::find(verdicts.begin(), verdicts.end(), text) == verdicts.end()) verdicts.push_back(text);
      }
    }
    if (candidate.cycle != nullptr && (candidate.cycle->security_ended(window_end))) {
      verdicts.push_back("line " + candidate.cycle->cycle + " not supported past " + window_end.to_string());
    }
    // A supported target is its line's newest clean release: the line's older clean ones
    // are passed over (docs/targets.md).
    const auto& supported = in.targets->supported.target;
    if (verdicts.empty() && supported && !supported->current && candidate.cycle != nullptr &&
        candidate.cycle->cycle == supported->line && candidate.text() != supported->release) {
      verdicts.push_back("no known advisory; older than " + supported->release + ", the line's newest clean release");
    }
    // Facts only: the solver's `blocked_by` says which constraints it tested beyond these.
    if (verdicts.empty()) verdicts.push_back("no known advisory; line supported past the window");
    for (size_t i = 0; i < verdicts.size(); ++i) explained.verdict += (i ? "; " : "") + verdicts[i];
    // Consecutive releases of one line ruled out alike read as one row: "12.5 to 12.22".
    if (!out.candidates.empty() && verdicts.front() != "running" && out.candidates.back().verdict == explained.verdict &&
        out.candidates.back().line == explained.line && out.candidates.back().verdict.rfind("running", 0) != 0) {
      CandidateExplanation& run = out.candidates.back();
      run.version = run.version.substr(0, run.version.find(" to ")) + " to " + explained.version;
      // The run's label names where each of its releases came from: a run of fixes of
      // different advisories ("0.10.5 to 0.11.7") must not credit the first one with all.
      if (!explained.source.empty() && ("; " + run.source + "; ").find("; " + explained.source + "; ") == std::string::npos) {
        run.source += (run.source.empty() ? "" : "; ") + explained.source;
      }
      continue;
    }
    out.candidates.push_back(std::move(explained));
    if (is(in.targets->supported) || out.candidates.size() >= 30) break;  // nothing above the chosen target matters
  }
}

void explain_score(const Inputs& in, Explanation& out) {
  const report::Report& report = *in.report;
  auto ranked = std::find_if(report.ranked.begin(), report.ranked.end(),
                             [&](const report::RankedComponent& r) { return r.component == out.component; });
  if (ranked == report.ranked.end()) return;
  ScoreExplanation& score = out.score;
  score.ranked = true;
  score.urgency = std::string(compiler::level_name(ranked->level));
  score.score = ranked->score;
  score.due = ranked->due;
  score.policy = ranked->breakdown.policy;
  score.base = ranked->breakdown.base;
  score.base_because = ranked->breakdown.base_because;
  score.factors = ranked->breakdown.factors;
  compiler::Value number;
  number.kind = compiler::Kind::kNumber;
  auto format = [&](double value) {
    number.number = value;
    return compiler::format_value(number);
  };
  score.arithmetic = format(score.score) + " = " + format(score.base);
  if (!score.base_because.empty()) score.arithmetic += " (" + score.base_because + ")";
  for (const evaluator::RankFactor& factor : score.factors) {
    score.arithmetic += " + " + factor.name + " " + (factor.points ? format(*factor.points) : "0 (undefined)");
    if (!factor.because.empty()) score.arithmetic += " (" + factor.because + ")";
  }
  for (size_t f : ranked->findings) {
    const evaluator::Finding& finding = report.findings[f];
    if (!finding.decision_path().empty()) score.decisions.push_back(DecisionExplanation{finding.rule(), finding.decision_path()});
  }
}

}  // namespace

Lookup find_component(const inventory::Inventory& inventory, std::string_view query) {
  Lookup lookup;
  const auto& components = inventory.components;
  for (size_t i = 0; i < components.size(); ++i) {
    if (components[i].name == query) lookup.matches.push_back(i);
  }
  if (!lookup.matches.empty()) return lookup;
  for (size_t i = 0; i < components.size(); ++i) {
    const inventory::Component& component = components[i];
    std::vector<std::string> keys = inventory::identity_keys(component);
    keys.push_back(report::fingerprint_identity(component));
    bool named = component.product == query || std::find(keys.begin(), keys.end(), query) != keys.end() ||
                 (!component.purl.empty() && (component.purl == query || purl_base(component.purl) == query)) ||
                 purl_names_component(query, component);
    if (named) lookup.matches.push_back(i);
  }
  if (lookup.matches.empty()) {
    std::vector<std::string> names;
    for (const auto& component : components) names.push_back(component.name);
    lookup.suggestion = closest_name(query, names);
  }
  return lookup;
}

Explanation build(const Inputs& in) {
  Explanation out;
  out.today = in.report->today;
  out.component = in.trace->component;
  const inventory::Component& component = in.report->inventory->components[out.component];
  out.name = component.name;
  out.version = component.version_text;
  out.identity = report::fingerprint_identity(component);
  out.purl = component.purl;
  out.location = component.location.to_string();
  explain_rules(in, out);
  explain_advisories(in, out);
  explain_cycle(in, out);
  explain_targets(in, out);
  explain_score(in, out);
  return out;
}

}  // namespace uprank::explain
