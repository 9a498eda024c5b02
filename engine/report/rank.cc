#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <functional>
#include <tuple>
#include <unordered_set>

#include "engine/inventory/purl.h"
#include "engine/report/fingerprint.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

// Hashes and compares finding texts by what they say.
struct TextContent {
  static void mix(size_t& seed, const std::string& text) {
    seed ^= std::hash<std::string>()(text) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
  size_t operator()(const std::shared_ptr<const evaluator::FindingText>& text) const {
    size_t seed = text->evidence.size() * 31 + text->decision_path.size();
    for (const std::string* part : {&text->rule, &text->title, &text->reason, &text->message, &text->target}) mix(seed, *part);
    for (const evaluator::DecisionStep& step : text->decision_path) mix(seed, step.because);
    for (const facts::Evidence& evidence : text->evidence) mix(seed, evidence.id);
    return seed;
  }
  bool operator()(const std::shared_ptr<const evaluator::FindingText>& a,
                  const std::shared_ptr<const evaluator::FindingText>& b) const {
    auto location = [](const SourceLocation& at) { return std::tie(at.file, at.line, at.column); };
    auto evidence = [](const facts::Evidence& e) { return std::tie(e.source, e.id, e.url, e.fetched_at); };
    auto step = [](const evaluator::DecisionStep& s) { return std::tie(s.point, s.value, s.because); };
    return a->rule == b->rule && a->title == b->title && a->reason == b->reason && a->message == b->message &&
           a->target == b->target && location(a->rule_location) == location(b->rule_location) && a->risks == b->risks &&
           std::equal(a->evidence.begin(), a->evidence.end(), b->evidence.begin(), b->evidence.end(),
                      [&](const auto& x, const auto& y) { return evidence(x) == evidence(y); }) &&
           std::equal(a->decision_path.begin(), a->decision_path.end(), b->decision_path.begin(), b->decision_path.end(),
                      [&](const auto& x, const auto& y) { return step(x) == step(y); });
  }
};

// Makes findings that say the same share one text. Pin groups share theirs already
// (evaluator::Finding); this catches the groups, and the rules evaluated per component,
// whose verdicts read alike ("not mapped to an end-of-life product; ..." for most of a
// fleet), so that the report the writers read holds each text once.
void share_equal_texts(std::vector<evaluator::Finding>& findings) {
  std::unordered_set<std::shared_ptr<const evaluator::FindingText>, TextContent, TextContent> seen;
  for (evaluator::Finding& finding : findings) {
    auto [it, inserted] = seen.insert(finding.text);
    if (!inserted) finding.text = *it;
  }
}

}  // namespace

Report rank_components(const inventory::Inventory& inventory, evaluator::Evaluation evaluation, Date today) {
  Report report;
  report.today = today;
  report.inventory = &inventory;
  report.findings = std::move(evaluation.findings);
  report.suppressed = std::move(evaluation.suppressed);
  report.suppressions = std::move(evaluation.suppressions);
  report.coverage = std::move(evaluation.coverage);
  report.advisory_skips = std::move(evaluation.advisory_skips);
  report.rank_policy = evaluation.rank_policy;
  report.joined = std::move(evaluation.joined);
  report.vex = std::move(evaluation.vex);
  report.unused_vex = std::move(evaluation.unused_vex);
  report.unnamed_vex = std::move(evaluation.unnamed_vex);
  share_equal_texts(report.findings);
  const auto& all = report.findings;

  std::vector<const evaluator::ComponentRank*> policy_rank(inventory.components.size(), nullptr);
  for (const evaluator::ComponentRank& rank : evaluation.ranks) {
    if (rank.component < policy_rank.size()) policy_rank[rank.component] = &rank;
  }
  std::vector<std::vector<size_t>> by_component(inventory.components.size());
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].components.empty()) by_component[all[i].components.front()].push_back(i);
  }
  auto more_urgent = [&](size_t a, size_t b) {
    return std::forward_as_tuple(-static_cast<int>(all[a].level), -all[a].score, all[a].rule()) <
           std::forward_as_tuple(-static_cast<int>(all[b].level), -all[b].score, all[b].rule());
  };
  for (size_t c = 0; c < by_component.size(); ++c) {
    auto& mine = by_component[c];
    if (mine.empty()) {
      report.unranked.push_back(c);
      continue;
    }
    std::stable_sort(mine.begin(), mine.end(), more_urgent);
    RankedComponent ranked;
    ranked.component = c;
    if (const evaluator::ComponentRank* rank = policy_rank[c]; rank != nullptr && rank->decided) {
      ranked.level = rank->level;
      ranked.score = rank->score();
      ranked.due = rank->due;
      ranked.breakdown = RankBreakdown{evaluation.rank_policy, rank->base, rank->base_because, rank->factors};
    } else {
      const evaluator::Finding& top = all[mine.front()];
      ranked.level = top.level;
      ranked.score = top.score;
      for (size_t f : mine) {
        if (all[f].due && (!ranked.due || *all[f].due < *ranked.due)) ranked.due = all[f].due;
      }
      std::string because = "most urgent finding " + top.rule();
      if (!evaluation.rank_policy.empty()) because += " (rank policy " + evaluation.rank_policy + " gave no urgency)";
      ranked.breakdown = RankBreakdown{"", top.score, because, {}};
    }
    for (size_t f : mine) {
      if (!all[f].target().empty()) {
        ranked.target = all[f].target();
        break;
      }
    }
    ranked.findings = std::move(mine);
    report.ranked.push_back(std::move(ranked));
  }
  // No due date sorts after every date.
  auto due_key = [](const RankedComponent& ranked) { return ranked.due ? ranked.due->days_since_epoch() : INT32_MAX; };
  std::sort(report.ranked.begin(), report.ranked.end(), [&](const RankedComponent& a, const RankedComponent& b) {
    auto key = [&](const RankedComponent& r) {
      return std::make_tuple(-static_cast<int>(r.level), -r.score, due_key(r));
    };
    if (key(a) != key(b)) return key(a) < key(b);
    const std::string& name_a = inventory.components[a.component].name;
    const std::string& name_b = inventory.components[b.component].name;
    return name_a != name_b ? name_a < name_b : a.component < b.component;
  });
  return report;
}

void attach_targets(Report& report, const targets::Inputs& inputs, const targets::Options& options) {
  std::vector<size_t> which;
  which.reserve(report.ranked.size());
  for (const RankedComponent& ranked : report.ranked) which.push_back(ranked.component);
  std::vector<targets::ComponentTargets> solved = targets::solve(inputs, which, options);
  for (size_t i = 0; i < solved.size(); ++i) {
    RankedComponent& ranked = report.ranked[i];
    const targets::ComponentTargets& mine = solved[i];
    // Supported, else patch, else the later line's fix when the running line has none.
    const std::optional<targets::Target>& pick =
        mine.supported.target ? mine.supported.target : mine.patch.target ? mine.patch.target : mine.patch.later;
    // Only the solver's upgrade: a rule's own suggestion has not been checked against the
    // advisories, the release dates and the constraints.
    ranked.target = pick && !pick->current ? pick->version : std::string();
    ranked.targets = std::move(solved[i]);
    // A component no advisory can name was not checked: its targets claim nothing about
    // advisories (a version that is only unchecked is not a "clean" one).
    using Gap = evaluator::AdvisoryCoverage::Gap;
    if (ranked.component < report.coverage.size()) {
      Gap gap = report.coverage[ranked.component].gap;
      if (gap == Gap::kNoIdentity || gap == Gap::kDistroReleaseUnknown || gap == Gap::kDistroUnsupported ||
          gap == Gap::kNoAdvisoryData || gap == Gap::kVersionNotComparable || gap == Gap::kSourceUnknown) {
        ranked.targets->advisories_unchecked = evaluator::advisory_gap_reason(
            report.coverage[ranked.component], report.inventory->components[ranked.component]);
      }
    }
  }
}

namespace {

// Says why a VEX statement applies to nothing: its products name no component. When a
// product purl differs from a component's only in letter case that its type does not ignore
// (maven, gem, ...), names both and the type's rule, since that is the likely slip.
std::string unnamed_statement_reason(const vex::Statement& statement, const inventory::Inventory& inventory) {
  const auto& products = statement.subcomponents.empty() ? statement.products : statement.subcomponents;
  for (const std::string& product : products) {
    auto wanted = inventory::PackageUrl::parse(product);
    if (!wanted.ok()) continue;
    for (const inventory::Component& component : inventory.components) {
      if (component.purl.empty()) continue;
      auto have = inventory::PackageUrl::parse(component.purl);
      if (!have.ok()) continue;
      std::string why = inventory::case_only_difference(*wanted, *have);
      if (!why.empty()) {
        return "names no component: product " + product + " differs from component " + component.name + "'s purl " +
               component.purl + " only in letter case, and " + why;
      }
    }
  }
  std::string listed;
  for (size_t i = 0; i < products.size() && i < 3; ++i) listed += (i ? ", " : "") + products[i];
  if (products.size() > 3) listed += ", +" + std::to_string(products.size() - 3) + " more";
  if (listed.empty() && !statement.named.empty()) listed = statement.named.front().name;
  return "names no component of the inventory (products: " + (listed.empty() ? std::string("none") : listed) +
         "); remove it?";
}

}  // namespace

bool suppression_tried(const Report& report, const compiler::CompiledSuppression& suppression) {
  if (report.scope.empty() || report.scope == ".") return true;
  return !suppression.files.empty() && std::all_of(suppression.files.begin(), suppression.files.end(),
                                                    [&](const std::string& file) { return in_scope(file, report.scope); });
}

std::vector<std::string> suppression_warnings(const Report& report) {
  std::vector<std::string> warnings;
  for (const auto& outcome : report.suppressions) {
    const auto& suppression = *outcome.suppression;
    std::string where = suppression.range.begin.to_string() + ": ";
    if (outcome.expired) {
      warnings.push_back(where + "suppression of '" + suppression.rule + "' expired on " + suppression.until.to_string() +
                         " and is no longer applied (" + std::to_string(outcome.matched) + " finding(s) now shown)");
    } else if (outcome.matched == 0 && suppression_tried(report, suppression)) {
      warnings.push_back(where + "suppression of '" + suppression.rule + "' matched no finding; remove it?");
    }
  }
  if (report.vex_statements) {
    // A vendor's VEX feed applied to a small fleet is mostly about other products: name the
    // first few, count the rest (the JSON report's vex.unused lists every one).
    constexpr size_t kNamedUnusedStatements = 20;
    if (report.unused_vex.size() > kNamedUnusedStatements) {
      warnings.push_back(std::to_string(report.unused_vex.size()) +
                         " VEX statements are about no advisory any component meets; the first " +
                         std::to_string(kNamedUnusedStatements) + " follow, the JSON report's vex.unused lists all");
    }
    for (size_t n = 0; n < report.unused_vex.size() && n < kNamedUnusedStatements; ++n) {
      size_t index = report.unused_vex[n];
      const vex::Statement& statement = report.vex_statements->statements()[index];
      std::string head = statement.file + ": " + statement.path + ": VEX statement (" + statement.vulnerability + " " +
                         std::string(vex::status_name(statement.status)) + ") ";
      if (std::binary_search(report.unnamed_vex.begin(), report.unnamed_vex.end(), index)) {
        warnings.push_back(head + unnamed_statement_reason(statement, *report.inventory));
      } else {
        warnings.push_back(head + "names a component, but no advisory it meets is " + statement.vulnerability +
                           " or an alias of it; remove it?");
      }
    }
  }
  return warnings;
}

std::vector<std::string> vex_lines(const Report& report, std::optional<size_t> component) {
  std::vector<std::string> lines;
  if (!report.vex_statements) return lines;
  for (const evaluator::VexOutcome& outcome : report.vex) {
    const vex::Statement& statement = report.vex_statements->statements()[outcome.statement];
    if (component ? outcome.component != *component : !vex::removes_finding(statement.status)) continue;
    std::string line = report.inventory->components[outcome.component].name + ": " + outcome.advisory + " " +
                       std::string(vex::status_name(statement.status));
    std::string why = statement.justification;
    if (!statement.impact_statement.empty()) why += (why.empty() ? "" : ": ") + statement.impact_statement;
    if (!statement.action_statement.empty()) why += (why.empty() ? "action: " : "; action: ") + statement.action_statement;
    if (!why.empty()) line += " (" + why + ")";
    if (!statement.author.empty()) line += " by " + statement.author;
    if (!statement.timestamp.empty()) line += ", " + statement.timestamp;
    line += " [" + statement.file + " " + statement.path + "]";
    lines.push_back(std::move(line));
  }
  return lines;
}

Result<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "md") return Format::kMarkdown;
  if (name == "sarif") return Format::kSarif;
  if (name == "codequality") return Format::kCodeQuality;
  return make_error("uprank.bad_format",
                    "unknown report format '" + std::string(name) + "' (one of: table, json, md, sarif, codequality)");
}

std::string write_report(const Report& report, Format format, const WriteOptions& options) {
  switch (format) {
    case Format::kJson: return write_json(report);
    case Format::kMarkdown:
      return write_markdown(report, MarkdownOptions{.summary = options.markdown_summary, .link_base = options.link_base,
                                                    .link_prefix = options.link_prefix});
    case Format::kSarif: return write_sarif(report, options);
    case Format::kCodeQuality: return write_codequality(report);
    case Format::kTable: break;
  }
  return write_table(report, options);
}

void write_report(const Report& report, Format format, const WriteOptions& options, Sink& out) {
  if (format == Format::kJson) return write_json(report, out);
  if (format == Format::kTable) return write_table(report, options, out);
  out.write(write_report(report, format, options));
}

std::string target_cell(const RankedComponent& ranked) {
  if (ranked.target.empty() || !ranked.targets || !ranked.targets->supported.target) return ranked.target;
  const targets::Target& supported = *ranked.targets->supported.target;
  if (supported.steps.size() < 2 || supported.version != ranked.target) return ranked.target;
  return ranked.target + " (next " + supported.steps.front() + ")";
}

std::string recommended_target(const RankedComponent& ranked, const evaluator::Finding& finding) {
  return ranked.targets ? ranked.target : finding.target();
}

std::vector<std::string> advisory_coverage_lines(const Report& report, size_t names) {
  std::vector<std::string> lines;
  const auto& components = report.inventory->components;
  std::map<std::string, std::vector<size_t>> unchecked;  // by reason
  size_t checked = 0;
  for (size_t c = 0; c < report.coverage.size(); ++c) {
    if (report.coverage[c].checked()) ++checked;
    else unchecked[evaluator::advisory_gap_reason(report.coverage[c], components[c])].push_back(c);
  }
  if (!unchecked.empty()) {
    std::string line = "Advisories checked for " + std::to_string(checked) + " of " +
                       std::to_string(report.coverage.size()) + " components; not checked:";
    for (const auto& [reason, which] : unchecked) {
      line += " " + std::to_string(which.size()) + " " + reason + " (";
      for (size_t k = 0; k < which.size() && k < names; ++k) line += (k ? ", " : "") + components[which[k]].name;
      if (which.size() > names) line += ", +" + std::to_string(which.size() - names) + " more";
      line += ");";
    }
    line.back() = '.';
    lines.push_back(std::move(line));
  }
  // Checked, but against only some of their entries: the rest could not read the version.
  std::vector<size_t> partial;
  for (size_t c = 0; c < report.coverage.size(); ++c) {
    if (report.coverage[c].checked() && report.coverage[c].not_compared > 0) partial.push_back(c);
  }
  if (!partial.empty()) {
    std::string line = "Advisories checked against only some entries for " + std::to_string(partial.size()) +
                       " component(s):";
    for (size_t k = 0; k < partial.size() && k < names; ++k) {
      const evaluator::AdvisoryCoverage& coverage = report.coverage[partial[k]];
      line += std::string(k ? "," : "") + " " + components[partial[k]].name + " (" +
              std::to_string(coverage.not_compared) + " of " + std::to_string(coverage.entries + coverage.not_compared) +
              " entries not comparable)";
    }
    if (partial.size() > names) line += ", +" + std::to_string(partial.size() - names) + " more";
    lines.push_back(line + ".");
  }
  const evaluator::AdvisorySkips& skips = report.advisory_skips;
  auto by_ecosystem = [](const std::map<std::string, size_t>& counts) {
    std::string text;
    size_t total = 0;
    for (const auto& [ecosystem, count] : counts) {
      text += (text.empty() ? "" : ", ") + ecosystem + " " + std::to_string(count);
      total += count;
    }
    return std::to_string(total) + " (" + text + ")";
  };
  std::vector<std::string> parts;
  if (!skips.no_scheme.empty()) parts.push_back(by_ecosystem(skips.no_scheme) + " of ecosystems without a version scheme");
  if (!skips.no_product.empty()) parts.push_back(by_ecosystem(skips.no_product) + " naming no known product");
  if (skips.git_only > 0) parts.push_back(std::to_string(skips.git_only) + " with only GIT (commit) ranges");
  if (skips.unreadable_ranges > 0) parts.push_back(std::to_string(skips.unreadable_ranges) + " unreadable range(s)");
  if (!parts.empty()) {
    std::string line = "Advisory entries not usable:";
    for (const std::string& part : parts) line += " " + part + ";";
    line.back() = '.';
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace uprank::report
