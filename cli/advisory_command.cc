// `uprank advisory ID|FILE…`: the advisory-centric view. For each advisory, which
// components it affects (with urgency, target and the entry, range and identity key that
// matched), which share its product or package and are not affected (and why), and which
// could not be compared.
#include <algorithm>
#include <iterator>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/config.h"
#include "cli/pipeline.h"
#include "cli/rule_packs.h"
#include "cli/vex_files.h"
#include "engine/base/terminal_text.h"
#include "engine/evaluator/joins.h"
#include "engine/facts/title.h"
#include "engine/report/report.h"
#include "fetchers/importer.h"
#include "fetchers/to_facts.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;
using Verdict = evaluator::AdvisoryIndex::Verdict;

struct Row {
  std::string component;
  std::string version;
  std::string urgency;      // affected: the component's urgency; else ""
  std::string target;       // affected: its target (the solver's, as report gives it); else ""
  std::string target_reason;  // affected without a target: the solver's reason
  std::string fixed;          // affected: the entry's fix for it, whether or not the solver takes it
  std::string reason;       // not affected / not checked: why; affected: the VEX status, if any
  std::string entry;        // the advisory entry that met it: CSAF products, or the package
  std::string range;        // the entry's ranges and first versions as text
  std::string range_full;   // the same, every listed version (JSON)
  std::string key;          // the identity key that met
};

// An id asked on the command line and every record that has it as its id or an alias.
struct Asked {
  std::string id;
  std::vector<const facts::Advisory*> records;
};

// The line that says which records an id stood for, when it stood for more than one (a
// CVE both Bitnami and the Go team published a record for); "" otherwise.
std::string resolution_text(const Asked& asked) {
  if (asked.records.size() < 2) return "";
  return asked.id + ": " + std::to_string(asked.records.size()) + " advisory records have it as id or alias: " +
         advisory_ids_text(asked.records);
}

struct View {
  const facts::Advisory* advisory = nullptr;
  std::vector<Row> affected, not_affected, not_checked;
  std::optional<compiler::Level> worst;  // the highest urgency among affected components
  // When it meets no component at all, why: "withdrawn on …", or that no component carries
  // an identity it names (and which it names). "" when it meets one.
  std::string meets_none;
};

// The identities an advisory's entries name, as people read them ("npm lodash", "Debian:12
// openssl", "CPE apache:http_server"; a rule file's block names a product or component
// name): the first few, then a count.
std::string named_identities(const facts::Advisory& advisory) {
  constexpr size_t kShown = 6;
  std::vector<std::string> names;
  for (const facts::AffectedPackage& package : advisory.affected) {
    std::string name = (package.ecosystem.empty() ? "" : package.ecosystem + " ") + package.name;
    if (name.empty()) name = package.purl;
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  if (names.empty()) return "";
  std::string text;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) text += (i == 0 ? "" : "; ") + names[i];
  if (names.size() > kShown) text += "; +" + std::to_string(names.size() - kShown) + " more";
  return text;
}

// Why `view` meets no component of `inventory` on `today`, or "" when it meets one.
std::string meets_none_text(const View& view, const inventory::Inventory& inventory, Date today) {
  if (!view.affected.empty() || !view.not_affected.empty() || !view.not_checked.empty()) return "";
  const facts::Advisory& advisory = *view.advisory;
  if (advisory.withdrawn && evaluator::known_by(advisory.withdrawn, today)) {
    return "affects nothing: withdrawn on " + advisory.withdrawn->to_string();
  }
  std::string names = named_identities(advisory);
  if (names.empty()) return "affects nothing: it marks no package or product affected";
  return "affects nothing: none of the " + std::to_string(inventory.components.size()) +
         " components names its identity (it names " + names + ")";
}

// The entry's source products (the first three; a CSAF identity may gather hundreds), else
// its ecosystem and package.
std::string entry_text(const facts::AffectedPackage& package) {
  constexpr size_t kShown = 3;
  std::string text;
  for (size_t i = 0; i < package.entries.size() && i < kShown; ++i) text += (text.empty() ? "" : "; ") + package.entries[i];
  if (package.entries.size() > kShown) text += "; +" + std::to_string(package.entries.size() - kShown) + " more products";
  if (text.empty()) text = (package.ecosystem.empty() ? "" : package.ecosystem + " ") + package.name;
  return text;
}

// The entry's ranges, then the versions it lists: the first few of them, then a count
// (Cisco's advisories list hundreds of IOS trains, which no reader scans in one line).
// JSON gives every version (`shown` unlimited).
std::string range_text(const facts::AffectedPackage& package, size_t shown = 6) {
  std::string text = report::affected_ranges_text(package);
  for (size_t i = 0; i < package.versions.size() && i < shown; ++i) {
    text += (text.empty() ? "= " : ", = ") + package.versions[i];
  }
  if (package.versions.size() > shown) text += ", +" + std::to_string(package.versions.size() - shown) + " more versions";
  return text.empty() ? "every version" : text;
}

View view_of(const facts::Advisory& advisory, const report::Report& ranked, const inventory::Inventory& inventory,
             const evaluator::AdvisoryIndex& index) {
  View view;
  view.advisory = &advisory;
  const auto* statements = ranked.vex_statements.get();
  for (size_t c = 0; c < inventory.components.size(); ++c) {
    const inventory::Component& component = inventory.components[c];
    std::vector<Verdict> verdicts = index.judge(component, advisory);
    if (verdicts.empty()) continue;
    Row row;
    row.component = component.name;
    row.version = component.version_text;
    // The verdict that decides: affected over fixed over outside over another release over not compared.
    static constexpr Verdict::Kind kOrder[] = {Verdict::Kind::kAffected, Verdict::Kind::kFixed, Verdict::Kind::kOutside,
                                               Verdict::Kind::kOtherRelease, Verdict::Kind::kNotCompared};
    const Verdict* decisive = nullptr;
    for (Verdict::Kind kind : kOrder) {
      auto found = std::find_if(verdicts.begin(), verdicts.end(), [&](const Verdict& v) { return v.kind == kind; });
      if (found != verdicts.end()) {
        decisive = &*found;
        break;
      }
    }
    row.entry = entry_text(*decisive->package);
    row.range = range_text(*decisive->package);
    row.range_full = range_text(*decisive->package, SIZE_MAX);
    row.key = decisive->key;
    const vex::Statement* statement = nullptr;
    for (const evaluator::VexOutcome& outcome : ranked.vex) {
      if (outcome.component == c && outcome.advisory == advisory.id && statements != nullptr) {
        statement = &statements->statements()[outcome.statement];
      }
    }
    auto vex_text = [&] {
      std::string text = "VEX " + std::string(vex::status_name(statement->status));
      if (!statement->justification.empty()) text += " (" + statement->justification + ")";
      if (!statement->impact_statement.empty()) text += ": " + statement->impact_statement;
      if (!statement->action_statement.empty()) text += ": " + statement->action_statement;
      if (!statement->author.empty()) text += " by " + statement->author;
      return text + " [" + statement->file + " " + statement->path + "]";
    };
    switch (decisive->kind) {
      case Verdict::Kind::kAffected: {
        if (statement != nullptr && vex::removes_finding(statement->status)) {
          row.reason = vex_text();
          view.not_affected.push_back(std::move(row));
          break;
        }
        if (statement != nullptr) row.reason = vex_text();
        // The vendor's fix is evidence even where the solver rules it out as a target (a
        // Red Hat 7 build past its line's support).
        if (decisive->fixed) row.fixed = decisive->fixed->text();
        auto ranked_row = std::find_if(ranked.ranked.begin(), ranked.ranked.end(),
                                       [&](const report::RankedComponent& r) { return r.component == c; });
        if (ranked_row != ranked.ranked.end()) {
          row.urgency = compiler::level_name(ranked_row->level);
          if (!view.worst || ranked_row->level > *view.worst) view.worst = ranked_row->level;
          row.target = ranked_row->target;
          // The solver's verdict, as the report shows it: "no patch target: …".
          if (row.target.empty() && ranked_row->targets) row.target_reason = targets::summary(*ranked_row->targets);
        }
        view.affected.push_back(std::move(row));
        break;
      }
      case Verdict::Kind::kFixed:
        row.reason = "already fixed (fix " + decisive->fixed->text() + ")";
        view.not_affected.push_back(std::move(row));
        break;
      case Verdict::Kind::kOutside:
        row.reason = decisive->package->ranges.empty() ? "version not among the listed affected versions"
                                                       : "version outside every range";
        view.not_affected.push_back(std::move(row));
        break;
      case Verdict::Kind::kOtherRelease:
        if (component.identity.release.empty()) {
          row.reason = "distro release unknown (set distro: in uprank.yaml or --distro)";
          view.not_checked.push_back(std::move(row));
        } else {
          row.reason = "another distro release (entry " + decisive->package->ecosystem + ", component " +
                       component.identity.osv_ecosystem() + ")";
          view.not_affected.push_back(std::move(row));
        }
        break;
      case Verdict::Kind::kNotCompared: {
        evaluator::AdvisoryCoverage coverage;
        index.match_key(component, &coverage);
        row.reason = coverage.checked() ? "version not comparable in the entry's scheme"
                                        : evaluator::advisory_gap_reason(coverage, component);
        view.not_checked.push_back(std::move(row));
        break;
      }
    }
  }
  return view;
}

// "WITHDRAWN on DAY: …" when the source withdrew the record by `today` (OSV `withdrawn`),
// else "". A withdrawn record produces no finding, which the view must say up front.
std::string withdrawn_text(const facts::Advisory& advisory, Date today) {
  if (!advisory.withdrawn || !evaluator::known_by(advisory.withdrawn, today)) return "";
  return "WITHDRAWN on " + advisory.withdrawn->to_string() +
         ": the source retracted this record; it affects nothing and produces no finding";
}

std::string severity_text(const facts::Advisory& advisory) {
  std::string text;
  if (advisory.cvss_score) {
    char score[16];
    std::snprintf(score, sizeof score, "%.1f", *advisory.cvss_score);
    text = std::string("CVSS ") + score + " " + advisory.cvss_vector;
  }
  if (!advisory.severity_label.empty()) text += (text.empty() ? "" : " · ") + ("severity " + advisory.severity_label);
  return text.empty() ? "no severity known" : text;
}

// What an informational advisory is (facts::Advisory::informational): RustSec's notices,
// which cargo-audit reports as warnings, and uprank's packs as c.notices findings.
std::string notice_text(const facts::Advisory& advisory) {
  return "informational (" + advisory.informational + "): a notice, not a vulnerability; no SSVC decision";
}

// The rule file's `exploited [since DATE]` of a declared advisory; nullptr for any other.
const compiler::DeclaredAdvisory* declared_of(const facts::Advisory& advisory,
                                              const std::vector<compiler::DeclaredAdvisory>& declared) {
  for (const compiler::DeclaredAdvisory& item : declared) {
    if (&item.advisory == &advisory) return &item;
  }
  return nullptr;
}

// The exploitation facts known on `today` (evaluator::known_by), as the rules read them: a
// KEV entry added, an EPSS score dated or a declared exploitation since after it is not shown.
std::string exploitation_text(const facts::Advisory& advisory, const facts::FactSet& facts,
                              const std::vector<compiler::DeclaredAdvisory>& declared, Date today) {
  std::string text;
  // A declared exploitation is evidence the SSVC pack weighs (Exploitation: active) and
  // starts the BOD 26-04 clock: the view says so, as it says KEV.
  if (const auto* item = declared_of(advisory, declared);
      item != nullptr && item->exploited && evaluator::known_by(item->exploited_since, today)) {
    text = "declared exploited" + (item->exploited_since ? " since " + item->exploited_since->to_string() : "") +
           " (rule file)";
  }
  for (const std::string& id : advisory.all_ids()) {
    if (auto kev = facts.kev.find(id); kev != facts.kev.end() && evaluator::known_by(kev->second.date_added, today)) {
      text += (text.empty() ? "" : " · ") + ("KEV " + id) +
              (kev->second.date_added ? " added " + kev->second.date_added->to_string() : "") +
              (kev->second.due_date ? " due " + kev->second.due_date->to_string() : "");
    }
    if (auto epss = facts.epss.find(id); epss != facts.epss.end() && evaluator::known_by(epss->second.date, today)) {
      char score[48];
      std::snprintf(score, sizeof score, "%.5f (percentile %.5f)", epss->second.score, epss->second.percentile);
      text += (text.empty() ? "" : " · ") + ("EPSS " + id + " " + score);
    }
  }
  return text.empty() ? "not in KEV; no EPSS score" : text;
}

std::string write_table(const std::vector<Asked>& asked, const std::vector<View>& views, const facts::FactSet& facts,
                        const std::vector<compiler::DeclaredAdvisory>& declared, Date today) {
  std::string out;
  for (const Asked& one : asked) {
    if (std::string line = resolution_text(one); !line.empty()) out += escape_for_terminal(line) + "\n";
  }
  for (const View& view : views) {
    const facts::Advisory& advisory = *view.advisory;
    out += advisory.id;
    std::string aliases;
    for (const std::string& alias : advisory.aliases) aliases += (aliases.empty() ? "" : ", ") + alias;
    if (!aliases.empty()) out += " (" + aliases + ")";
    out += ": " + escape_for_terminal(facts::advisory_title(advisory)) + "\n";
    if (std::string withdrawn = withdrawn_text(advisory, today); !withdrawn.empty()) out += "  " + withdrawn + "\n";
    out += "  severity: " + severity_text(advisory) + "\n";
    if (!advisory.informational.empty()) out += "  kind: " + escape_for_terminal(notice_text(advisory)) + "\n";
    out += "  exploitation: " + exploitation_text(advisory, facts, declared, today) + "\n";
    out += "  source: " + advisory.evidence.source + (advisory.evidence.url.empty() ? "" : " " + escape_for_terminal(advisory.evidence.url)) + "\n";
    auto list = [&](const char* title, const std::vector<Row>& rows, bool affected) {
      out += "  " + std::string(title) + " (" + std::to_string(rows.size()) + ")" + (rows.empty() ? "" : ":") + "\n";
      for (const Row& row : rows) {
        out += "    " + escape_for_terminal(row.component) + " " + escape_for_terminal(row.version);
        if (affected) {
          out += " · urgency " + (row.urgency.empty() ? std::string("none") : row.urgency);
          out += " · target " + (!row.target.empty()          ? escape_for_terminal(row.target)
                                 : row.target_reason.empty() ? std::string("none known")
                                                             : "none (" + escape_for_terminal(row.target_reason) + ")");
          if (!row.fixed.empty() && row.fixed != row.target) out += " · fixed in " + escape_for_terminal(row.fixed);
        }
        if (!row.reason.empty()) out += " · " + escape_for_terminal(row.reason);
        out += "\n      entry " + escape_for_terminal(row.entry) + " · range " + escape_for_terminal(row.range) +
               " · identity " + escape_for_terminal(row.key) + "\n";
      }
    };
    list("affected", view.affected, true);
    list("not affected", view.not_affected, false);
    list("not checked", view.not_checked, false);
    if (!view.meets_none.empty()) out += "  " + escape_for_terminal(view.meets_none) + "\n";
  }
  return out;
}

// The Markdown Reason cell: why there is no target (the solver's verdict), then the row's
// reason (a VEX statement, why not affected or not checked). Each column holds what its
// header names: the target and the entry's fix have cells of their own.
std::string reason_cell(const Row& row) {
  std::string cell = row.target.empty() && !row.target_reason.empty() ? "no target: " + row.target_reason : "";
  if (!row.reason.empty()) cell += (cell.empty() ? "" : "; ") + row.reason;
  return cell;
}

std::string write_markdown(const std::vector<Asked>& asked, const std::vector<View>& views, const facts::FactSet& facts,
                           const std::vector<compiler::DeclaredAdvisory>& declared, Date today) {
  using report::markdown_cell;
  std::string out;
  for (const Asked& one : asked) {
    if (std::string line = resolution_text(one); !line.empty()) out += markdown_cell(line) + "\n\n";
  }
  for (const View& view : views) {
    const facts::Advisory& advisory = *view.advisory;
    out += "## " + markdown_cell(advisory.id) + "\n\n" + markdown_cell(facts::advisory_title(advisory)) + "\n\n";
    if (std::string withdrawn = withdrawn_text(advisory, today); !withdrawn.empty()) {
      out += "> **" + markdown_cell(withdrawn) + "**\n\n";
    }
    out += "- Severity: " + markdown_cell(severity_text(advisory)) + "\n";
    if (!advisory.informational.empty()) out += "- Kind: " + markdown_cell(notice_text(advisory)) + "\n";
    out += "- Exploitation: " + markdown_cell(exploitation_text(advisory, facts, declared, today)) + "\n";
    out += "- Source: " + markdown_cell(advisory.evidence.source + " " + advisory.evidence.url) + "\n\n";
    auto table = [&](const char* title, const std::vector<Row>& rows) {
      out += "### " + std::string(title) + " (" + std::to_string(rows.size()) + ")\n\n";
      if (rows.empty()) return;
      out += "| Component | Version | Urgency | Target | Fixed in | Reason | Entry | Range | Identity |\n"
             "|---|---|---|---|---|---|---|---|---|\n";
      for (const Row& row : rows) {
        out += "| " + markdown_cell(row.component) + " | " + markdown_cell(row.version) + " | " + markdown_cell(row.urgency) +
               " | " + markdown_cell(row.target) + " | " + markdown_cell(row.fixed) + " | " + markdown_cell(reason_cell(row)) +
               " | " + markdown_cell(row.entry) + " | " + markdown_cell(row.range) + " | " + markdown_cell(row.key) + " |\n";
      }
      out += "\n";
    };
    table("Affected", view.affected);
    table("Not affected", view.not_affected);
    table("Not checked", view.not_checked);
    if (!view.meets_none.empty()) out += markdown_cell(view.meets_none) + "\n\n";
  }
  return out;
}

std::string write_json(const std::vector<Asked>& asked, const std::vector<View>& views, const facts::FactSet& facts,
                       const std::vector<compiler::DeclaredAdvisory>& declared, Date today) {
  using Json = nlohmann::ordered_json;
  Json resolved = Json::array();
  for (const Asked& one : asked) {
    Json ids = Json::array();
    for (const facts::Advisory* record : one.records) ids.push_back(record->id);
    resolved.push_back(Json{{"id", one.id}, {"advisories", ids}});
  }
  auto or_null = [](const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); };
  Json advisories = Json::array();
  for (const View& view : views) {
    const facts::Advisory& advisory = *view.advisory;
    auto rows = [&](const std::vector<Row>& list) {
      Json out = Json::array();
      for (const Row& row : list) {
        out.push_back(Json{{"component", row.component}, {"version", row.version}, {"urgency", or_null(row.urgency)},
                           {"target", or_null(row.target)},
                           {"target_reason", or_null(row.target_reason)}, {"fixed", or_null(row.fixed)}, {"reason", or_null(row.reason)}, {"entry", row.entry},
                           {"range", row.range_full}, {"identity", row.key}});
      }
      return out;
    };
    Json kev = nullptr;
    Json epss = nullptr;
    for (const std::string& id : advisory.all_ids()) {
      if (auto found = facts.kev.find(id); found != facts.kev.end() && kev.is_null() && evaluator::known_by(found->second.date_added, today)) {
        kev = Json{{"cve", id}, {"date_added", found->second.date_added ? Json(found->second.date_added->to_string()) : Json(nullptr)},
                   {"due_date", found->second.due_date ? Json(found->second.due_date->to_string()) : Json(nullptr)}};
      }
      if (auto found = facts.epss.find(id); found != facts.epss.end() && epss.is_null() && evaluator::known_by(found->second.date, today)) {
        epss = Json{{"cve", id}, {"score", found->second.score}, {"percentile", found->second.percentile}};
      }
    }
    Json declared_exploitation = nullptr;
    if (const auto* item = declared_of(advisory, declared);
        item != nullptr && item->exploited && evaluator::known_by(item->exploited_since, today)) {
      declared_exploitation = Json{{"since", item->exploited_since ? Json(item->exploited_since->to_string()) : Json(nullptr)}};
    }
    advisories.push_back(Json{{"id", advisory.id},
                              {"aliases", advisory.aliases},
                              {"summary", advisory.summary},
                              {"title", facts::advisory_title(advisory)},
                              {"withdrawn", advisory.withdrawn && evaluator::known_by(advisory.withdrawn, today)
                                                ? Json(advisory.withdrawn->to_string())
                                                : Json(nullptr)},
                              {"cvss_score", advisory.cvss_score ? Json(*advisory.cvss_score) : Json(nullptr)},
                              {"cvss_vector", or_null(advisory.cvss_vector)},
                              {"severity_label", or_null(advisory.severity_label)},
                              {"informational", or_null(advisory.informational)},
                              {"kev", kev},
                              {"epss", epss},
                              {"declared_exploitation", declared_exploitation},
                              {"source", advisory.evidence.source},
                              {"url", or_null(advisory.evidence.url)},
                              {"affected", rows(view.affected)},
                              {"not_affected", rows(view.not_affected)},
                              {"not_checked", rows(view.not_checked)}});
  }
  Json root{{"schema_version", "1.4"}, {"asked", resolved}, {"advisories", advisories}};
  return root.dump(2) + "\n";
}

}  // namespace

Runner add_advisory_command(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::vector<std::string> advisories;
    std::vector<std::string> inventory_paths;
    std::vector<std::string> rule_paths;
    std::vector<std::string> vex_files;
    std::string format = "table";
    std::string fail_on;
    std::string today;
    std::string snapshot;
    bool no_default_rules = false;
  };
  auto options = std::make_shared<Options>();
  app.add_option("advisory", options->advisories,
                 "Advisory ids or aliases in the store (CVE, GHSA, OSV, vendor ids), or files: OSV JSON/YAML, CSAF 2.0 JSON, "
                 "a rule file (.upr) with `advisory` blocks")
      ->required();
  app.add_option("-i,--inventory", options->inventory_paths, "Inventory files or directories")->required();
  app.add_option("--rules", options->rule_paths, "Rule files or directories, after the shipped packs");
  app.add_flag("--no-default-rules", options->no_default_rules, "Leave the shipped rule packs out");
  app.add_option("--vex", options->vex_files, "VEX document (OpenVEX, CycloneDX VEX, CSAF VEX); repeatable")->check(kNonEmpty);
  app.add_option("--format", options->format, "table, json or md")->check(CLI::IsMember({"table", "json", "md"}));
  app.add_option("--fail-on", options->fail_on, "Exit 1 when an affected component ranks at or above this urgency")
      ->check(kNonEmpty);
  app.add_option("--today", options->today, "Evaluate as of this date (YYYY-MM-DD)");
  app.add_option("--snapshot", options->snapshot, "Read facts from this snapshot file instead of the store");
  return [options, &global] {
    std::optional<compiler::Level> fail_on;
    if (!options->fail_on.empty()) {
      compiler::Level level;
      if (!compiler::parse_level(options->fail_on, level)) {
        std::fprintf(stderr, "error: --fail-on takes critical, high, medium, low or info, not '%s'\n", options->fail_on.c_str());
        return static_cast<int>(kExitBadInput);
      }
      fail_on = level;
    }
    auto today = parse_today(options->today);
    auto config = load_config(global);
    if (!today || !config) return static_cast<int>(kExitBadInput);
    // Files are read here; ids are looked up once the facts are loaded. A rule file's
    // advisories are its declared ones: compiled alone first to learn their ids.
    facts::FactSet from_files;
    std::vector<std::string> wanted_ids;
    std::vector<std::string> rule_paths = options->rule_paths;
    for (const std::string& argument : options->advisories) {
      std::error_code error;
      if (!fs::is_regular_file(argument, error)) {
        wanted_ids.push_back(argument);
        continue;
      }
      if (fs::path(argument).extension() == ".upr") {
        auto alone = compile_rules({grammar::RuleRoot{argument, argument}}, {});
        if (!alone) return static_cast<int>(kExitBadInput);
        for (const auto& declared : alone->compiled.program->declared_advisories()) wanted_ids.push_back(declared.advisory.id);
        rule_paths.push_back(argument);
        continue;
      }
      auto feeds = fetch::import_feeds(argument, "");
      if (!feeds.ok()) {
        std::fprintf(stderr, "error: %s\n", escape_for_terminal(feeds.error().to_string()).c_str());
        return static_cast<int>(kExitBadInput);
      }
      size_t before = from_files.advisories.size();
      for (const fetch::RawResponse& response : feeds->responses) {
        if (response.source != "osv" && response.source != "csaf") continue;
        facts::FactSet one;
        if (Status added = fetch::add_response_facts(response, one); !added) {
          std::fprintf(stderr, "error: %s: %s\n", argument.c_str(), escape_for_terminal(added.error().to_string()).c_str());
          return static_cast<int>(kExitBadInput);
        }
        for (auto& [key, advisory] : one.advisories) {
          wanted_ids.push_back(advisory.id);
          from_files.advisories[key] = std::move(advisory);
        }
      }
      if (from_files.advisories.size() == before) {
        std::fprintf(stderr, "error: %s: no OSV record or CSAF document in it\n", argument.c_str());
        return static_cast<int>(kExitBadInput);
      }
    }
    auto roots = rule_roots(*config, rule_paths, options->no_default_rules);
    if (!roots) return static_cast<int>(kExitBadInput);
    auto rules = compile_rules(*roots, config->params);
    if (!rules) return static_cast<int>(kExitBadInput);
    auto reading = inventory_reading(*config);
    bool verbose = global.log_level == "info" || global.log_level == "debug";
    auto inventory = read_inventories(options->inventory_paths, false, reading->options, verbose);
    if (!inventory) return static_cast<int>(kExitBadInput);
    // The store (or snapshot) gives KEV, EPSS and stored advisories; files need none.
    facts::FactSet facts;
    bool ids_only_from_files = std::all_of(options->advisories.begin(), options->advisories.end(), [](const std::string& a) {
      std::error_code error;
      return fs::is_regular_file(a, error);
    });
    if (!options->snapshot.empty() || !ids_only_from_files || !global.store_path.empty()) {
      auto loaded = load_facts(options->snapshot, global.store_path, *today, *config);
      if (!loaded) return exit_code_for(loaded.error());
      facts = std::move(loaded).value();
    }
    for (auto& [key, advisory] : from_files.advisories) facts.advisories[key] = std::move(advisory);
    std::vector<std::string> vex_files = config->vex_files;
    vex_files.insert(vex_files.end(), options->vex_files.begin(), options->vex_files.end());
    auto statements = load_vex_statements(vex_files, *inventory, "", verbose);
    if (!statements) return static_cast<int>(kExitBadInput);

    const compiler::Program& program = *rules->compiled.program;
    evaluator::EvaluationOptions evaluation;
    evaluation.products = &reading->products;
    evaluation.vex = statements->get();
    auto evaluated = evaluator::evaluate_rules(program, *inventory, facts, *today, evaluation);
    warn_stopped_rules(evaluated);
    std::shared_ptr<const evaluator::AdvisoryIndex> index = evaluated.advisory_index;
    if (!index) index = std::make_shared<const evaluator::AdvisoryIndex>(facts, program.declared_advisories(), &reading->products, *today);
    report::Report ranked = report::rank_components(*inventory, std::move(evaluated), *today);
    ranked.vex_statements = *statements;
    report::attach_targets(ranked, targets::Inputs{&*inventory, &facts, index.get(), &program.constraints(), &reading->products},
                           targets::Options{*today, 120, 0});

    // Every record an id names: one CVE is often the alias of several records (Bitnami's
    // and the Go team's for a Go stdlib flaw), each affecting other components.
    std::vector<Asked> asked;
    std::vector<View> views;
    std::set<const facts::Advisory*> shown;
    std::set<std::string> from_arguments(options->advisories.begin(), options->advisories.end());
    for (const std::string& id : wanted_ids) {
      std::vector<const facts::Advisory*> records = find_advisories(facts, program.declared_advisories(), id);
      if (records.empty()) {
        std::fprintf(stderr, "error: %s: no such advisory id or alias in the store, and no such file\n",
                     escape_for_terminal(id).c_str());
        return static_cast<int>(kExitBadInput);
      }
      // On a replayed day an advisory published after it did not exist yet: as an unknown
      // id when every record is (exit 2), else a note for the records left out.
      if (std::string later = keep_published_by(records, id, *today); !later.empty()) {
        if (records.empty()) {
          std::fprintf(stderr, "error: %s: %s\n", escape_for_terminal(id).c_str(), escape_for_terminal(later).c_str());
          return static_cast<int>(kExitBadInput);
        }
        std::fprintf(stderr, "note: %s: a record %s: left out\n", escape_for_terminal(id).c_str(),
                     escape_for_terminal(later).c_str());
      }
      // A file's records are shown by their own id; an id asked may stand for several.
      if (from_arguments.count(id) != 0) {
        asked.push_back(Asked{id, records});
      } else {
        // Every record of that id: a CSAF document and an OSV record may share it.
        std::vector<const facts::Advisory*> own;
        std::copy_if(records.begin(), records.end(), std::back_inserter(own), [&](const facts::Advisory* r) { return r->id == id; });
        records = own.empty() ? std::vector<const facts::Advisory*>{records.front()} : own;
      }
      for (const facts::Advisory* advisory : records) {
        if (shown.insert(advisory).second) {
          views.push_back(view_of(*advisory, ranked, *inventory, *index));
          views.back().meets_none = meets_none_text(views.back(), *inventory, *today);
        }
      }
    }
    const auto& declared = program.declared_advisories();
    std::string text = options->format == "json" ? write_json(asked, views, facts, declared, *today)
                       : options->format == "md" ? write_markdown(asked, views, facts, declared, *today)
                                                 : write_table(asked, views, facts, declared, *today);
    std::fwrite(text.data(), 1, text.size(), stdout);
    for (const View& view : views) {
      if (fail_on && view.worst && *view.worst >= *fail_on) return static_cast<int>(kExitFindings);
    }
    return static_cast<int>(kExitClean);
  };
}

}  // namespace uprank::cli
