// Reading shard files back and rebuilding the whole run's evaluations from them: the
// evidence each shard wrote as ids and positions is bound to the merge's own facts, so
// that every writer sees what it would see after a single evaluate_rules().
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "engine/shard/shard.h"
#include "engine/versions/versions.h"

namespace uprank::shard {
namespace {

using Json = nlohmann::json;

Error invalid(const std::string& where, const std::string& problem) {
  return make_error("uprank.shard.invalid", where + ": " + problem);
}

Error mismatch(const std::string& problem) { return make_error("uprank.shard.mismatch", problem); }

std::optional<Date> date_at(const Json& value) {
  if (value.is_null()) return std::nullopt;
  auto date = Date::parse(value.get<std::string>());
  if (!date) throw std::runtime_error("not a date: " + value.get<std::string>());
  return *date;
}

compiler::Level level_at(const Json& value) {
  compiler::Level level;
  if (!compiler::parse_level(value.get<std::string>(), level)) throw std::runtime_error("not an urgency: " + value.dump());
  return level;
}

std::string text_at(const Json& list, size_t i) { return list.at(i).get<std::string>(); }

facts::Evidence evidence_at(const Json& item) {
  return facts::Evidence{text_at(item, 0), text_at(item, 1), text_at(item, 2), text_at(item, 3)};
}

facts::EolCycle cycle_at(const Json& item) {
  facts::EolCycle cycle;
  cycle.product = item.at("product").get<std::string>();
  cycle.cycle = item.at("cycle").get<std::string>();
  cycle.codename = item.at("codename").get<std::string>();
  cycle.released = date_at(item.at("released"));
  cycle.security_ends = date_at(item.at("security_ends"));
  cycle.security_ended_flag = item.at("security_ended_flag").get<bool>();
  cycle.active_ends = date_at(item.at("active_ends"));
  cycle.active_ended_flag = item.at("active_ended_flag").get<bool>();
  cycle.extended_ends = date_at(item.at("extended_ends"));
  cycle.extended_ended_flag = item.at("extended_ended_flag").get<bool>();
  cycle.lts = item.at("lts").get<bool>();
  cycle.lts_from = date_at(item.at("lts_from"));
  cycle.latest = item.at("latest").get<std::string>();
  cycle.latest_date = date_at(item.at("latest_date"));
  const Json& evidence = item.at("evidence");
  cycle.evidence = evidence_at(evidence);
  return cycle;
}

// Binds the evidence of every shard's findings of one day into one JoinedFacts: advisory
// matches at the (list, position) the shards' evaluations had them, so that records of
// one list share one match as they do in a single run; made-up cycles likewise.
class Binder {
 public:
  Binder(const facts::FactSet& facts, const compiler::Program& program) : facts_(facts), program_(program) {}

  // First pass: the size of every list and of the made-up cycles.
  void reserve(const Json& finding) {
    for (const Json& record : finding.at("advisories")) {
      if (record.at("list").is_null()) {
        ++loose_count_;
        continue;
      }
      size_t list = record.at("list").get<size_t>(), position = record.at("position").get<size_t>();
      if (joined_->advisory_lists.size() <= list) joined_->advisory_lists.resize(list + 1);
      auto& matches = joined_->advisory_lists[list];
      if (matches.size() <= position) matches.resize(position + 1);
    }
    for (const Json& record : finding.at("cycles")) {
      if (!record.contains("made_up")) continue;
      size_t index = record.at("made_up").get<size_t>();
      if (joined_->cycles_before_known.cycles.size() <= index) joined_->cycles_before_known.cycles.resize(index + 1);
    }
  }

  // After every reserve(): the list that holds matches from no joined list, never to grow.
  void reserved() {
    loose_list_ = joined_->advisory_lists.size();
    joined_->advisory_lists.emplace_back().reserve(loose_count_);
  }

  evaluator::Finding finding(const Json& item) {
    evaluator::Finding finding;
    evaluator::FindingText& text = finding.edit_text();
    text.rule = item.at("rule").get<std::string>();
    text.title = item.at("title").get<std::string>();
    finding.components = item.at("components").get<std::vector<size_t>>();
    finding.level = level_at(item.at("level"));
    finding.score = item.at("score").get<double>();
    text.reason = item.at("reason").get<std::string>();
    text.message = item.at("message").get<std::string>();
    text.target = item.at("target").get<std::string>();
    finding.due = date_at(item.at("due"));
    for (const Json& record : item.at("evidence")) {
      text.evidence.push_back(evidence_at(record));
    }
    for (const Json& record : item.at("advisories")) finding.advisories.push_back(advisory(record));
    for (const Json& record : item.at("cycles")) finding.cycles.push_back(cycle(record));
    for (const Json& risk : item.at("risks")) text.risks.emplace_back(text_at(risk, 0), text_at(risk, 1));
    for (const Json& step : item.at("decision_path")) {
      text.decision_path.push_back(evaluator::DecisionStep{text_at(step, 0), text_at(step, 1), text_at(step, 2)});
    }
    const Json& location = item.at("rule_location");
    text.rule_location.file = location.at(0).get<std::string>();
    text.rule_location.line = location.at(1).get<int>();
    text.rule_location.column = location.at(2).get<int>();
    finding.suppression = item.at("suppression").get<int>();
    return finding;
  }

  std::shared_ptr<evaluator::JoinedFacts> joined() const { return joined_; }

 private:
  const facts::Advisory* find_advisory(const std::string& id, bool declared) const {
    if (!declared) {
      auto it = facts_.advisories.find(id);
      return it == facts_.advisories.end() ? nullptr : &it->second;
    }
    for (const compiler::DeclaredAdvisory& entry : program_.declared_advisories()) {
      if (entry.advisory.id == id) return &entry.advisory;
    }
    return nullptr;
  }

  evaluator::AdvisoryEvidence advisory(const Json& record) {
    std::string id = record.at("advisory").get<std::string>();
    const facts::Advisory* advisory = find_advisory(id, record.at("declared").get<bool>());
    if (advisory == nullptr) throw std::runtime_error("advisory " + id + " is not in the facts the merge read");
    compiler::AdvisoryMatch match;
    match.advisory = advisory;
    if (const Json& affected = record.at("affected"); !affected.is_null()) {
      size_t index = affected.get<size_t>();
      if (index >= advisory->affected.size()) throw std::runtime_error("advisory " + id + " has no affected entry " + affected.dump());
      match.affected = &advisory->affected[index];
    }
    if (const Json& fixed = record.at("fixed"); !fixed.is_null()) {
      auto scheme = versions::parse_scheme(fixed.at(0).get<std::string>());
      versions::Version version;
      if (!scheme || !versions::Version::parse_into(*scheme, fixed.at(1).get<std::string>(), version)) {
        throw std::runtime_error("advisory " + id + ": fixed version " + fixed.dump() + " does not parse");
      }
      match.fixed = std::move(version);
    }
    if (const Json& kev = record.at("kev"); !kev.is_null()) {
      auto it = facts_.kev.find(kev.get<std::string>());
      if (it == facts_.kev.end()) throw std::runtime_error("KEV entry " + kev.dump() + " is not in the facts");
      match.kev = &it->second;
    }
    if (const Json& epss = record.at("epss"); !epss.is_null()) {
      auto it = facts_.epss.find(epss.get<std::string>());
      if (it == facts_.epss.end()) throw std::runtime_error("EPSS score " + epss.dump() + " is not in the facts");
      match.epss = &it->second;
    }
    match.declared_exploited = record.at("declared_exploited").get<bool>();
    match.declared_exploited_since = date_at(record.at("declared_exploited_since"));
    size_t component = record.at("component").get<size_t>();
    const compiler::AdvisoryMatch* bound;
    if (record.at("list").is_null()) {
      // Not from a joined list: one match per (component, advisory), kept alive here.
      auto [it, added] = loose_.try_emplace({component, id}, nullptr);
      if (added) {
        auto& list = joined_->advisory_lists[loose_list_];  // reserved(): no reallocation
        list.push_back(std::move(match));
        it->second = &list.back();
      }
      bound = it->second;
    } else {
      compiler::AdvisoryMatch& slot =
          joined_->advisory_lists[record.at("list").get<size_t>()][record.at("position").get<size_t>()];
      if (slot.advisory == nullptr) slot = std::move(match);
      bound = &slot;
    }
    return evaluator::AdvisoryEvidence{component, bound};
  }

  evaluator::EolEvidence cycle(const Json& record) {
    evaluator::EolEvidence out;
    out.component = record.at("component").get<size_t>();
    if (const Json& releases = record.at("releases"); !releases.is_null()) {
      auto it = facts_.released.find(releases.get<std::string>());
      if (it == facts_.released.end()) throw std::runtime_error("release data " + releases.dump() + " is not in the facts");
      out.releases = &it->second;
    }
    if (record.contains("made_up")) {
      facts::EolCycle& slot = joined_->cycles_before_known.cycles[record.at("made_up").get<size_t>()];
      if (slot.product.empty()) slot = cycle_at(record.at("cycle"));
      out.cycle = &slot;
    } else if (record.contains("product")) {
      auto it = facts_.products.find(record.at("product").get<std::string>());
      size_t index = record.at("index").get<size_t>();
      if (it == facts_.products.end() || index >= it->second.cycles.size()) {
        throw std::runtime_error("end-of-life cycle " + record.at("product").dump() + " #" + std::to_string(index) +
                                 " is not in the facts");
      }
      out.cycle = &it->second.cycles[index];
    } else {
      joined_->cycles_before_known.cycles.push_back(cycle_at(record.at("cycle")));  // a deque: the others stay
      out.cycle = &joined_->cycles_before_known.cycles.back();
    }
    return out;
  }

  const facts::FactSet& facts_;
  const compiler::Program& program_;
  std::shared_ptr<evaluator::JoinedFacts> joined_ = std::make_shared<evaluator::JoinedFacts>();
  // Matches from no joined list: one per (component, advisory).
  std::map<std::pair<size_t, std::string>, const compiler::AdvisoryMatch*> loose_;
  size_t loose_count_ = 0, loose_list_ = 0;
};

evaluator::ComponentRank rank_at(const Json& item) {
  evaluator::ComponentRank rank;
  rank.component = item.at("component").get<size_t>();
  rank.decided = item.at("decided").get<bool>();
  rank.level = level_at(item.at("level"));
  rank.base = item.at("base").get<double>();
  rank.base_because = item.at("base_because").get<std::string>();
  for (const Json& factor : item.at("factors")) {
    std::optional<double> points;
    if (!factor.at(1).is_null()) points = factor.at(1).get<double>();
    rank.factors.push_back(evaluator::RankFactor{text_at(factor, 0), points, text_at(factor, 2)});
  }
  rank.due = date_at(item.at("due"));
  return rank;
}

const Json& days_of(const Shard& shard) { return *static_cast<const Json*>(shard.body.get()); }

const Json* day_of(const Shard& shard, Date day) {
  for (const Json& item : days_of(shard)) {
    if (item.at("day").get<std::string>() == day.to_string()) return &item;
  }
  return nullptr;
}

// A finding's place in evaluate_rules()' order: rule, then bound components.
using Order = std::pair<size_t, std::vector<size_t>>;

}  // namespace

Result<Shard> read_shard(std::string_view text, const std::string& path) {
  Json root = Json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("uprank_shard")) {
    return invalid(path, "not a shard file (uprank report --shard I/N writes them)");
  }
  try {
    if (root.at("uprank_shard").get<int>() != 1) return invalid(path, "shard format " + root.at("uprank_shard").dump() + " is not 1");
    Shard shard;
    shard.path = path;
    Header& header = shard.header;
    header.index = root.at("index").get<size_t>();
    header.count = root.at("count").get<size_t>();
    header.arguments = root.at("arguments").get<std::vector<std::string>>();
    header.directory = root.at("directory").get<std::string>();
    header.format = root.at("format").get<std::string>();
    auto today = Date::parse(root.at("today").get<std::string>());
    if (!today) return invalid(path, "/today is not a date");
    header.today = *today;
    header.data_hash = root.at("data_hash").get<std::string>();
    header.rules = root.at("rules").get<std::vector<std::string>>();
    header.components = root.at("components").get<size_t>();
    header.identities_hash = root.at("identities_hash").get<std::string>();
    if (!root.at("days").is_array()) return invalid(path, "/days is not an array");
    shard.body = std::make_shared<const Json>(std::move(root.at("days")));
    return shard;
  } catch (const Json::exception& error) {
    return invalid(path, error.what());
  }
}

Status check_complete(const std::vector<Shard>& shards) {
  if (shards.empty()) return mismatch("no shard given");
  const Header& first = shards.front().header;
  std::vector<const Shard*> by_index(first.count, nullptr);
  for (const Shard& shard : shards) {
    const Header& header = shard.header;
    auto differs = [&](const char* what) {
      return mismatch(shard.path + ": not a shard of the run " + shards.front().path + " belongs to: its " + what + " differ(s)");
    };
    if (header.count != first.count) return differs("shard count");
    if (header.arguments != first.arguments || header.directory != first.directory) return differs("command line");
    if (header.today != first.today) return differs("day");
    if (header.data_hash != first.data_hash) return differs("data");
    if (header.rules != first.rules) return differs("rules");
    if (header.components != first.components || header.identities_hash != first.identities_hash) return differs("inventory");
    if (header.index >= first.count) return mismatch(shard.path + ": shard " + std::to_string(header.index) + " of " +
                                                     std::to_string(first.count) + " does not exist");
    if (by_index[header.index] != nullptr) {
      return mismatch(shard.path + ": shard " + std::to_string(header.index) + " is given twice (also " +
                      by_index[header.index]->path + ")");
    }
    by_index[header.index] = &shard;
  }
  for (size_t i = 0; i < by_index.size(); ++i) {
    if (by_index[i] == nullptr) return mismatch("shard " + std::to_string(i) + " of " + std::to_string(first.count) + " is missing");
  }
  return {};
}

Status check_inputs(const Header& header, const inventory::Inventory& inventory, const facts::FactSet& facts,
                    const compiler::Program& program) {
  if (facts.content_hash != header.data_hash) {
    return mismatch("the facts are not those the shards evaluated (" + facts.content_hash + ", shards " + header.data_hash + ")");
  }
  std::vector<std::string> rules;
  for (const auto& rule : program.rules()) rules.push_back(rule.qualified_name);
  if (rules != header.rules) return mismatch("the rules are not those the shards evaluated");
  if (inventory.components.size() != header.components || identities_hash(inventory) != header.identities_hash) {
    return mismatch("the inventory is not the one the shards evaluated (" + std::to_string(inventory.components.size()) +
                    " components, shards " + std::to_string(header.components) + ")");
  }
  return {};
}

Result<evaluator::Evaluation> merge_day(const std::vector<Shard>& shards, Date day, const inventory::Inventory& inventory,
                                        const facts::FactSet& facts, const compiler::Program& program) {
  std::vector<const Json*> days;
  for (const Shard& shard : shards) {
    const Json* found = day_of(shard, day);
    if (found == nullptr) return invalid(shard.path, "no evaluation of " + day.to_string());
    days.push_back(found);
  }
  const std::string* where = &shards.front().path;
  try {
    evaluator::Evaluation evaluation;
    Binder binder(facts, program);
    for (const Json* item : days) {
      for (const char* list : {"findings", "suppressed"}) {
        for (const Json& finding : item->at(list)) binder.reserve(finding);
      }
    }
    binder.reserved();
    // Each shard's findings are in evaluate_rules()' order; the whole run's order is theirs merged.
    for (const char* list : {"findings", "suppressed"}) {
      std::vector<std::pair<Order, const Json*>> ordered;
      for (size_t s = 0; s < days.size(); ++s) {
        where = &shards[s].path;
        for (const Json& finding : days[s]->at(list)) {
          ordered.emplace_back(Order{finding.at("rule_index").get<size_t>(), finding.at("components").get<std::vector<size_t>>()},
                               &finding);
        }
      }
      std::stable_sort(ordered.begin(), ordered.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      auto& out = std::string(list) == "findings" ? evaluation.findings : evaluation.suppressed;
      for (const auto& [order, finding] : ordered) out.push_back(binder.finding(*finding));
    }
    evaluation.joined = binder.joined();
    for (const auto& suppression : program.suppressions()) {
      evaluation.suppressions.push_back(evaluator::SuppressionOutcome{&suppression, 0, day > suppression.until});
    }
    std::set<size_t> unused;
    bool first = true;
    for (size_t s = 0; s < days.size(); ++s) {
      where = &shards[s].path;
      const Json& item = *days[s];
      const Json& counts = item.at("suppressions");
      if (counts.size() != evaluation.suppressions.size()) throw std::runtime_error("suppression counts do not match the rules");
      for (size_t i = 0; i < counts.size(); ++i) evaluation.suppressions[i].matched += counts[i].get<size_t>();
      if (const Json& coverage = item.at("coverage"); !coverage.is_null()) {
        evaluation.coverage.resize(inventory.components.size());
        for (const Json& entry : coverage) {
          size_t c = entry.at(0).get<size_t>();
          if (c >= evaluation.coverage.size()) throw std::runtime_error("coverage of component " + std::to_string(c));
          evaluation.coverage[c].gap = static_cast<evaluator::AdvisoryCoverage::Gap>(entry.at(1).get<int>());
          evaluation.coverage[c].entries = entry.at(2).get<uint32_t>();
          if (entry.size() > 3) evaluation.coverage[c].not_compared = entry.at(3).get<uint16_t>();
        }
      }
      for (const Json& rank : item.at("ranks")) evaluation.ranks.push_back(rank_at(rank));
      for (const Json& outcome : item.at("vex")) {
        evaluation.vex.push_back(
            evaluator::VexOutcome{outcome.at(0).get<size_t>(), text_at(outcome, 1), outcome.at(2).get<size_t>()});
      }
      // A statement is unused when no shard's components used it.
      auto shard_unused = item.at("unused_vex").get<std::set<size_t>>();
      if (first) unused = std::move(shard_unused);
      else std::erase_if(unused, [&](size_t statement) { return !shard_unused.count(statement); });
      first = false;
    }
    // Every shard holds the same loaded entries, so the same skips: the first says them.
    const Json& skips = days.front()->at("advisory_skips");
    evaluation.advisory_skips.no_scheme = skips.at("no_scheme").get<std::map<std::string, size_t>>();
    evaluation.advisory_skips.no_product = skips.at("no_product").get<std::map<std::string, size_t>>();
    evaluation.advisory_skips.git_only = skips.at("git_only").get<size_t>();
    evaluation.advisory_skips.unreadable_ranges = skips.at("unreadable_ranges").get<size_t>();
    evaluation.rank_policy = days.front()->at("rank_policy").get<std::string>();
    std::stable_sort(evaluation.ranks.begin(), evaluation.ranks.end(),
                     [](const auto& a, const auto& b) { return a.component < b.component; });
    std::stable_sort(evaluation.vex.begin(), evaluation.vex.end(),
                     [](const auto& a, const auto& b) { return a.component < b.component; });
    evaluation.unused_vex.assign(unused.begin(), unused.end());
    return evaluation;
  } catch (const std::exception& error) {
    return invalid(*where, error.what());
  }
}

}  // namespace uprank::shard
