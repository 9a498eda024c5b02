// The shard file: a shard's evaluations, with every pointer of their evidence written as
// the ids and positions merge binds to its own facts (shard_read.cc reads it back).
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "engine/shard/shard.h"
#include "engine/versions/versions.h"

namespace uprank::shard {
namespace {

using Json = nlohmann::json;

Json date_json(const std::optional<Date>& date) { return date ? Json(date->to_string()) : Json(nullptr); }

Json cycle_json(const facts::EolCycle& cycle) {
  return Json{{"product", cycle.product},
              {"cycle", cycle.cycle},
              {"codename", cycle.codename},
              {"released", date_json(cycle.released)},
              {"security_ends", date_json(cycle.security_ends)},
              {"security_ended_flag", cycle.security_ended_flag},
              {"active_ends", date_json(cycle.active_ends)},
              {"active_ended_flag", cycle.active_ended_flag},
              {"extended_ends", date_json(cycle.extended_ends)},
              {"extended_ended_flag", cycle.extended_ended_flag},
              {"lts", cycle.lts},
              {"lts_from", date_json(cycle.lts_from)},
              {"latest", cycle.latest},
              {"latest_date", date_json(cycle.latest_date)},
              {"evidence", Json::array({cycle.evidence.source, cycle.evidence.id, cycle.evidence.url,
                                        cycle.evidence.fetched_at})}};
}

// Where the evidence pointers of one evaluation point: advisory matches by (list,
// position) in the evaluation's joined lists, made-up cycles by position.
class Locator {
 public:
  Locator(const evaluator::Evaluation& evaluation, const facts::FactSet& facts) : facts_(facts) {
    if (!evaluation.joined) return;
    const auto& lists = evaluation.joined->advisory_lists;
    for (size_t l = 0; l < lists.size(); ++l) {
      for (size_t p = 0; p < lists[l].size(); ++p) matches_.emplace(&lists[l][p], std::make_pair(l, p));
    }
    const auto& made_up = evaluation.joined->cycles_before_known.cycles;
    for (size_t i = 0; i < made_up.size(); ++i) made_up_.emplace(&made_up[i], i);
  }

  Json advisory(const evaluator::AdvisoryEvidence& record) const {
    const compiler::AdvisoryMatch& match = *record.match;
    auto at = matches_.find(record.match);
    // A fetched advisory is named by its FactSet key (a CSAF document and an OSV record
    // may share an id), a declared one by its id.
    auto fetched = facts_.advisories.find(facts::advisory_key(*match.advisory));
    bool declared = fetched == facts_.advisories.end() || &fetched->second != match.advisory;
    Json out{{"component", record.component},
             {"list", at == matches_.end() ? Json(nullptr) : Json(at->second.first)},
             {"position", at == matches_.end() ? Json(nullptr) : Json(at->second.second)},
             {"advisory", declared ? match.advisory->id : fetched->first},
             {"declared", declared},
             {"affected", nullptr},
             {"fixed", nullptr},
             {"kev", match.kev ? Json(match.kev->cve) : Json(nullptr)},
             {"epss", match.epss ? Json(match.epss->cve) : Json(nullptr)},
             {"declared_exploited", match.declared_exploited},
             {"declared_exploited_since", date_json(match.declared_exploited_since)}};
    const auto& affected = match.advisory->affected;
    if (match.affected != nullptr && match.affected >= affected.data() && match.affected < affected.data() + affected.size()) {
      out["affected"] = static_cast<size_t>(match.affected - affected.data());
    }
    if (match.fixed) out["fixed"] = Json::array({std::string(versions::scheme_name(match.fixed->scheme())), match.fixed->text()});
    return out;
  }

  Json cycle(const evaluator::EolEvidence& record) const {
    Json out{{"component", record.component},
             {"releases", record.releases ? Json(record.releases->product) : Json(nullptr)}};
    if (auto made_up = made_up_.find(record.cycle); made_up != made_up_.end()) {
      out["made_up"] = made_up->second;
      out["cycle"] = cycle_json(*record.cycle);
      return out;
    }
    for (const auto& [key, product] : facts_.products) {
      const auto& cycles = product.cycles;
      if (record.cycle >= cycles.data() && record.cycle < cycles.data() + cycles.size()) {
        out["product"] = key;
        out["index"] = static_cast<size_t>(record.cycle - cycles.data());
        return out;
      }
    }
    out["cycle"] = cycle_json(*record.cycle);  // neither: carried whole
    return out;
  }

 private:
  const facts::FactSet& facts_;
  std::unordered_map<const compiler::AdvisoryMatch*, std::pair<size_t, size_t>> matches_;
  std::unordered_map<const facts::EolCycle*, size_t> made_up_;
};

Json finding_json(const evaluator::Finding& finding, size_t rule_index, const Locator& locator) {
  Json evidence = Json::array(), advisories = Json::array(), cycles = Json::array(), risks = Json::array(),
       path = Json::array();
  for (const facts::Evidence& item : finding.evidence()) {
    evidence.push_back(Json::array({item.source, item.id, item.url, item.fetched_at}));
  }
  for (const evaluator::AdvisoryEvidence& record : finding.advisories) advisories.push_back(locator.advisory(record));
  for (const evaluator::EolEvidence& record : finding.cycles) cycles.push_back(locator.cycle(record));
  for (const auto& [kind, message] : finding.risks()) risks.push_back(Json::array({kind, message}));
  for (const evaluator::DecisionStep& step : finding.decision_path()) {
    path.push_back(Json::array({step.point, step.value, step.because}));
  }
  return Json{{"rule_index", rule_index},
              {"rule", finding.rule()},
              {"title", finding.title()},
              {"components", finding.components},
              {"level", std::string(compiler::level_name(finding.level))},
              {"score", finding.score},
              {"reason", finding.reason()},
              {"message", finding.message()},
              {"target", finding.target()},
              {"due", date_json(finding.due)},
              {"evidence", evidence},
              {"advisories", advisories},
              {"cycles", cycles},
              {"risks", risks},
              {"decision_path", path},
              {"rule_location", Json::array({finding.rule_location().file, finding.rule_location().line,
                                             finding.rule_location().column})},
              {"suppression", finding.suppression}};
}

Json findings_json(const std::vector<evaluator::Finding>& findings, const std::unordered_map<std::string, size_t>& rule_index,
                   const Locator& locator) {
  Json out = Json::array();
  for (const evaluator::Finding& finding : findings) out.push_back(finding_json(finding, rule_index.at(finding.rule()), locator));
  return out;
}

Json rank_json(const evaluator::ComponentRank& rank) {
  Json factors = Json::array();
  for (const evaluator::RankFactor& factor : rank.factors) {
    factors.push_back(Json::array({factor.name, factor.points ? Json(*factor.points) : Json(nullptr), factor.because}));
  }
  return Json{{"component", rank.component}, {"decided", rank.decided},
              {"level", std::string(compiler::level_name(rank.level))}, {"base", rank.base},
              {"base_because", rank.base_because}, {"factors", factors}, {"due", date_json(rank.due)}};
}

Json day_json(const Day& day, const std::vector<bool>& subjects, const facts::FactSet& facts,
              const std::unordered_map<std::string, size_t>& rule_index) {
  const evaluator::Evaluation& evaluation = *day.evaluation;
  Locator locator(evaluation, facts);
  auto subject = [&](size_t c) { return c < subjects.size() && subjects[c]; };
  Json suppressions = Json::array();
  for (const evaluator::SuppressionOutcome& outcome : evaluation.suppressions) suppressions.push_back(outcome.matched);
  Json coverage = nullptr;
  if (!evaluation.coverage.empty()) {
    coverage = Json::array();
    for (size_t c = 0; c < evaluation.coverage.size(); ++c) {
      if (!subject(c)) continue;
      Json one = Json::array({c, static_cast<int>(evaluation.coverage[c].gap), evaluation.coverage[c].entries});
      if (evaluation.coverage[c].not_compared > 0) one.push_back(evaluation.coverage[c].not_compared);  // only when some
      coverage.push_back(std::move(one));
    }
  }
  const evaluator::AdvisorySkips& skips = evaluation.advisory_skips;
  Json ranks = Json::array(), vex = Json::array();
  for (const evaluator::ComponentRank& rank : evaluation.ranks) {
    if (subject(rank.component)) ranks.push_back(rank_json(rank));
  }
  for (const evaluator::VexOutcome& outcome : evaluation.vex) {
    if (subject(outcome.component)) vex.push_back(Json::array({outcome.component, outcome.advisory, outcome.statement}));
  }
  return Json{{"day", day.day.to_string()},
              {"findings", findings_json(evaluation.findings, rule_index, locator)},
              {"suppressed", findings_json(evaluation.suppressed, rule_index, locator)},
              {"suppressions", suppressions},
              {"coverage", coverage},
              {"advisory_skips", Json{{"no_scheme", skips.no_scheme}, {"no_product", skips.no_product},
                                      {"git_only", skips.git_only}, {"unreadable_ranges", skips.unreadable_ranges}}},
              {"rank_policy", evaluation.rank_policy},
              {"ranks", ranks},
              {"vex", vex},
              {"unused_vex", evaluation.unused_vex}};
}

}  // namespace

Result<std::string> write_shard(const Header& header, const std::vector<bool>& subjects, const std::vector<Day>& days,
                                const inventory::Inventory& inventory, const facts::FactSet& facts,
                                const compiler::Program& program) {
  std::unordered_map<std::string, size_t> rule_index;
  for (size_t r = 0; r < program.rules().size(); ++r) rule_index.emplace(program.rules()[r].qualified_name, r);
  Json day_list = Json::array();
  for (const Day& day : days) day_list.push_back(day_json(day, subjects, facts, rule_index));
  size_t evaluated = 0;
  for (bool flag : subjects) evaluated += flag ? 1 : 0;
  Json root{{"uprank_shard", 1},
            {"index", header.index},
            {"count", header.count},
            {"arguments", header.arguments},
            {"directory", header.directory},
            {"format", header.format},
            {"today", header.today.to_string()},
            {"data_hash", header.data_hash},
            {"rules", header.rules},
            {"components", inventory.components.size()},
            {"identities_hash", header.identities_hash},
            {"subjects", evaluated},
            {"days", day_list}};
  try {
    // Strict: a replaced byte would make the merged report differ from the single run's.
    return root.dump(-1, ' ', false, Json::error_handler_t::strict) + "\n";
  } catch (const Json::exception& error) {
    return make_error("uprank.shard.not_utf8", std::string("cannot write the shard: text that is not UTF-8 (") + error.what() + ")");
  }
}

}  // namespace uprank::shard
