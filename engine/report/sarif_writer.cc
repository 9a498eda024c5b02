// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for GitHub code
// scanning and other SARIF consumers. docs/check.md documents the mapping.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "engine/report/fingerprint.h"
#include "engine/report/internal.h"
#include "engine/report/report.h"

namespace uprank::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kInformationUri = "https://github.com/uprank/uprank";
constexpr std::string_view kSourceRoot = "%SRCROOT%";
// Skipped files listed one by one in the log; filesSkipped counts them all.
constexpr size_t kMaxSkippedNotifications = 1000;

// GitHub code scanning reads `security-severity` as a CVSS-like number and bands it:
// over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. Each urgency takes a
// value inside its own band, so GitHub shows the urgency uprank gave.
std::string_view security_severity(compiler::Level level) {
  switch (level) {
    case compiler::Level::kCritical: return "9.5";
    case compiler::Level::kHigh: return "8.0";
    case compiler::Level::kMedium: return "5.5";
    case compiler::Level::kLow: return "2.0";
    case compiler::Level::kInfo: break;
  }
  return "0.0";
}

// SARIF result.level: what must block a merge is an error, what needs planning a warning.
std::string_view sarif_level(compiler::Level level) {
  if (level >= compiler::Level::kHigh) return "error";
  if (level == compiler::Level::kMedium) return "warning";
  return "note";
}

// Returns `text` ending with a period, as SARIF messages read (SARIF2001).
std::string sentence(std::string text) {
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text += '.';
  return text;
}


// "past_end_of_life" -> "PastEndOfLife": SARIF's reportingDescriptor.name is an
// identifier-like name, the id stays the qualified rule name.
std::string pascal_case(std::string_view rule) {
  std::string_view name = rule.substr(rule.rfind('.') + 1);
  std::string out;
  bool upper = true;
  for (char ch : name) {
    if (ch == '_' || ch == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return out;
}

// The rule's documentation: a shipped pack's source (its comments are its docs) on the
// project's site; other packs have no known home, so docs/check.md says where to look.
std::string help_uri(const evaluator::Finding& finding) {
  const std::string& file = finding.rule_location().file;
  size_t slash = file.rfind('/');
  size_t parent = slash == std::string::npos || slash == 0 ? std::string::npos : file.rfind('/', slash - 1);
  if (finding.rule().rfind("uprank.", 0) != 0 || slash == std::string::npos) {
    return std::string(kInformationUri) + "/blob/main/docs/check.md#rules-from-other-packs";
  }
  std::string pack_file = file.substr(parent == std::string::npos ? 0 : parent + 1);
  std::string uri = std::string(kInformationUri) + "/blob/main/rules/" + internal::uri_path(pack_file);
  if (finding.rule_location().line > 0) uri += "#L" + std::to_string(finding.rule_location().line);
  return uri;
}

Json rule_json(const evaluator::Finding& finding, compiler::Level highest, const std::string& subject_variable) {
  std::string title = finding.title().empty() ? pascal_case(finding.rule()) : finding.title();
  std::string full = sentence(title) + " Rule " + finding.rule() + " reports components whose upgrade is urgent for reason '" +
                     finding.reason() + "'; each result names the component, the version it pins and the recommended target.";
  // A waiver of one finding, not of the rule: scoped to the result's file and component
  // through the rule's subject variable, with an expiry the user must write (YYYY-MM-DD
  // does not compile, so the snippet cannot be pasted as a waiver without one; a test
  // checks both). A rule-wide waiver valid for decades, pasted as written, would hide
  // every finding of the rule.
  const std::string variable = subject_variable.empty() ? "c" : subject_variable;
  std::string snippet = "suppress " + finding.rule() + " where " + variable + ".file == \"FILE\" and " + variable +
                        ".name == \"COMPONENT\" until YYYY-MM-DD because \"OWNER: REASON\"";
  std::string fill_in = "FILE and COMPONENT are the result's file and component (its location and properties.component), "
                        "YYYY-MM-DD a near expiry (weeks, not years), OWNER who accepts the finding and REASON why";
  std::string help_text = sentence(title) + " Reason: " + finding.reason() + ". Upgrade the pinned version to the target " +
                          "the result names, or waive this one finding in a rule file of the repository (" + snippet +
                          "; " + fill_in + "). Run `uprank explain COMPONENT` for the evidence.";
  std::string help_markdown = "**" + sentence(title) + "** Reason: `" + finding.reason() +
                              "`.\n\nUpgrade the pinned version to the target the result names, or waive this one finding " +
                              "in a rule file of the repository:\n\n```\n" + snippet + "\n```\n\n" + fill_in +
                              ". Run `uprank explain COMPONENT` for the evidence.";
  // GitHub shows security-severity only for rules tagged "security"; tags are unique.
  Json tags = Json::array({"uprank"});
  if (finding.reason() == "security" || finding.reason() == "exploited" || finding.reason() == "end_of_support") {
    tags.insert(tags.begin(), "security");
  }
  if (finding.reason() != "security" && finding.reason() != "uprank") tags.push_back(finding.reason());
  return Json{{"id", finding.rule()},
              {"name", pascal_case(finding.rule())},
              {"shortDescription", {{"text", sentence(title)}}},
              {"fullDescription", {{"text", full}}},
              {"help", {{"text", help_text}, {"markdown", help_markdown}}},
              {"helpUri", help_uri(finding)},
              {"defaultConfiguration", {{"level", sarif_level(highest)}}},
              {"properties", {{"tags", tags}, {"security-severity", security_severity(highest)}}}};
}

// Where the finding's subject component is pinned. Relative paths are relative to the
// repository root (%SRCROOT%); an absolute path (a `report` inventory named by one) is a
// file: URI; without a file, a logical location names the component.
Json location_json(const inventory::Component& component) {
  const SourceLocation where = repository_location(component);
  Json location = Json::object();
  if (where.known()) {
    Json artifact = where.file.front() == '/' ? Json{{"uri", "file://" + internal::uri_path(where.file)}}
                                              : Json{{"uri", internal::uri_path(where.file)}, {"uriBaseId", kSourceRoot}};
    Json physical = Json{{"artifactLocation", artifact}};
    if (where.line > 0) {
      Json region = Json{{"startLine", where.line}};
      if (where.column > 0) region["startColumn"] = where.column;
      physical["region"] = region;
    }
    location["physicalLocation"] = physical;
  }
  // The name the input used, not the display name: that one is made unique with the
  // file and line ("redis (Dockerfile:2)") and would change whenever lines move.
  const std::string& name = component.identity.label.empty() ? component.name : component.identity.label;
  location["logicalLocations"] = Json::array({Json{{"name", name}, {"kind", "module"}}});
  return location;
}

double rounded(double score) { return std::round(score * 100.0) / 100.0; }

}  // namespace

std::string write_sarif(const Report& report, const WriteOptions& options) {
  const auto& components = report.inventory->components;
  // Rules in the order they first appear in the ranking; each at its most urgent finding.
  std::map<std::string, size_t> rule_index;
  std::vector<const evaluator::Finding*> rule_first;
  std::vector<compiler::Level> rule_level;
  for (const RankedComponent& ranked : report.ranked) {
    for (size_t f : ranked.findings) {
      const evaluator::Finding& finding = report.findings[f];
      auto [it, inserted] = rule_index.emplace(finding.rule(), rule_first.size());
      if (inserted) {
        rule_first.push_back(&finding);
        rule_level.push_back(finding.level);
      }
      rule_level[it->second] = std::max(rule_level[it->second], finding.level);
    }
  }
  Json rules = Json::array();
  for (size_t i = 0; i < rule_first.size(); ++i) {
    auto subject = report.rule_subjects.find(rule_first[i]->rule());
    rules.push_back(rule_json(*rule_first[i], rule_level[i], subject == report.rule_subjects.end() ? "" : subject->second));
  }

  Json results = Json::array();
  for (const RankedComponent& ranked : report.ranked) {
    const inventory::Component& component = components[ranked.component];
    for (size_t f : ranked.findings) {
      const evaluator::Finding& finding = report.findings[f];
      std::string text = sentence(finding.message());
      std::string target = recommended_target(ranked, finding);
      if (!target.empty()) text += " Recommended target: " + target + ".";
      Json properties = Json{{"urgency", compiler::level_name(finding.level)},
                             {"score", rounded(finding.score)},
                             {"reason", finding.reason()},
                             {"component", component.name},
                             {"version", component.version_text}};
      if (!target.empty()) properties["target"] = target;
      if (finding.due) properties["due"] = finding.due->to_string();
      results.push_back(Json{{"ruleId", finding.rule()},
                             {"ruleIndex", rule_index.at(finding.rule())},
                             {"level", sarif_level(finding.level)},
                             {"message", {{"text", text}}},
                             {"locations", Json::array({location_json(component)})},
                             {"partialFingerprints", {{std::string(kFingerprintKey), finding_fingerprint(report, finding)}}},
                             {"properties", properties}});
    }
  }

  Json driver = Json{{"name", "uprank"}, {"informationUri", kInformationUri}};
  if (!options.tool_version.empty()) {
    driver["version"] = options.tool_version;
    driver["semanticVersion"] = options.tool_version;
  }
  driver["rules"] = rules;
  // The files skipped (docs/inventory.md, "Skipped files"): their count as a run property,
  // and each as a toolExecutionNotification of the run's invocation (SARIF 2.1.0 §3.20.21,
  // §3.58), so that a consumer of the log sees what was not read.
  const std::vector<const Diagnostic*> skipped = skipped_file_notes(report);
  Json notifications = Json::array();
  for (size_t i = 0; i < skipped.size() && i < kMaxSkippedNotifications; ++i) {
    const SourceLocation& where = skipped[i]->range.begin;
    Json notification = Json{{"descriptor", {{"id", skipped[i]->code}}},
                             {"level", "note"},
                             {"message", {{"text", sentence(where.file + ": " + skipped[i]->message)}}}};
    if (!where.file.empty()) {
      Json artifact = where.file.front() == '/' ? Json{{"uri", "file://" + internal::uri_path(where.file)}}
                                                : Json{{"uri", internal::uri_path(where.file)}, {"uriBaseId", kSourceRoot}};
      notification["locations"] = Json::array({Json{{"physicalLocation", {{"artifactLocation", artifact}}}}});
    }
    notifications.push_back(std::move(notification));
  }
  Json run = Json{{"tool", {{"driver", driver}}},
                  {"invocations", Json::array({Json{{"executionSuccessful", true},
                                                     {"toolExecutionNotifications", std::move(notifications)}}})},
                  {"automationDetails", {{"id", options.category + "/"}}},
                  {"originalUriBaseIds",
                   {{kSourceRoot,
                     {{"description",
                       {{"text", "The repository root: the top level of the git work tree that holds the checked path, "
                                 "else the checked path itself."}}}}}}},
                  {"results", results},
                  {"columnKind", "unicodeCodePoints"},
                  {"properties", {{"today", report.today.to_string()}, {"filesSkipped", skipped.size()}}}};
  Json root = Json{{"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
                   {"version", "2.1.0"},
                   {"runs", Json::array({run})}};
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace uprank::report
