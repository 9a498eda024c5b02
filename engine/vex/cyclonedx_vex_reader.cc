// CycloneDX VEX: `vulnerabilities[]` with `analysis` (CycloneDX 1.4-1.6).
#include "engine/vex/internal.h"
#include "engine/vex/vex.h"

namespace uprank::vex {
namespace {

using nlohmann::json;
using internal::string_at;

// Maps analysis.state (CycloneDX "impactAnalysisState") to a VEX status.
bool map_state(const std::string& state, Status& status) {
  if (state == "not_affected" || state == "false_positive") {
    status = Status::kNotAffected;
  } else if (state == "exploitable") {
    status = Status::kAffected;
  } else if (state == "resolved" || state == "resolved_with_pedigree") {
    status = Status::kFixed;
  } else if (state == "in_triage") {
    status = Status::kUnderInvestigation;
  } else {
    return false;
  }
  return true;
}

// The document's author: metadata.authors' names, else the supplier, manufacturer or
// first tool's name (1.4's array or 1.5's tools.components).
std::string author_of(const json& root) {
  auto metadata = root.find("metadata");
  if (metadata == root.end() || !metadata->is_object()) return "";
  if (auto authors = metadata->find("authors"); authors != metadata->end() && authors->is_array()) {
    std::string names;
    for (const json& author : *authors) {
      std::string name = string_at(author, "name");
      if (name.empty()) continue;
      std::string email = string_at(author, "email");
      names += (names.empty() ? "" : ", ") + name + (email.empty() ? "" : " <" + email + ">");
    }
    if (!names.empty()) return names;
  }
  for (const char* key : {"supplier", "manufacture", "manufacturer"}) {
    if (auto it = metadata->find(key); it != metadata->end()) {
      if (std::string name = string_at(*it, "name"); !name.empty()) return name;
    }
  }
  if (auto tools = metadata->find("tools"); tools != metadata->end()) {
    const json* list = tools->is_array() ? &*tools : nullptr;
    if (tools->is_object() && tools->contains("components") && (*tools)["components"].is_array()) list = &(*tools)["components"];
    if (list && !list->empty()) {
      std::string name = string_at(list->front(), "name");
      std::string vendor = string_at(list->front(), "vendor");
      if (!name.empty()) return vendor.empty() ? name : vendor + " " + name;
    }
  }
  return "";
}

}  // namespace

Result<Document> read_cyclonedx_vex(std::string_view text, const std::string& path, bool embedded, const Limits& limits) {
  auto parsed = internal::parse_bounded(text, path, limits);
  if (!parsed.ok()) return parsed.error();
  const json& root = parsed.value();
  if (!root.is_object() || string_at(root, "bomFormat") != "CycloneDX") {
    return internal::error_at("uprank.vex.shape", path, "$.bomFormat", "not a CycloneDX document");
  }
  Document document;
  auto vulnerabilities = root.find("vulnerabilities");
  if (vulnerabilities == root.end()) return document;
  if (!vulnerabilities->is_array()) {
    return internal::error_at("uprank.vex.shape", path, "$.vulnerabilities", "not an array");
  }
  if (vulnerabilities->size() > limits.max_statements) {
    return internal::error_at("uprank.vex.too_large", path, "$.vulnerabilities",
                              "more than " + std::to_string(limits.max_statements) + " vulnerabilities");
  }
  std::string author = author_of(root);
  std::string document_time;
  if (auto metadata = root.find("metadata"); metadata != root.end()) document_time = string_at(*metadata, "timestamp");
  for (size_t i = 0; i < vulnerabilities->size(); ++i) {
    const json& item = (*vulnerabilities)[i];
    std::string where = "$.vulnerabilities[" + std::to_string(i) + "]";
    auto skip = [&](const std::string& why) { document.skipped.push_back(path + ": " + where + ": " + why); };
    if (!item.is_object()) {
      skip("not an object");
      continue;
    }
    auto analysis = item.find("analysis");
    if (analysis == item.end() || !analysis->is_object() || string_at(*analysis, "state").empty()) continue;  // a finding, not a statement
    Statement statement;
    statement.format = "cyclonedx";
    statement.file = path;
    statement.path = where;
    statement.author = author;
    if (embedded) statement.only_file = path;
    statement.vulnerability = string_at(item, "id");
    if (statement.vulnerability.empty()) {
      skip("no vulnerability id");
      continue;
    }
    std::string state = string_at(*analysis, "state");
    if (!map_state(state, statement.status)) {
      skip("analysis.state '" + state + "' is not a CycloneDX impact analysis state");
      continue;
    }
    if (auto references = item.find("references"); references != item.end() && references->is_array()) {
      for (const json& reference : *references) {
        if (std::string id = string_at(reference, "id"); !id.empty()) statement.aliases.push_back(id);
      }
    }
    if (auto affects = item.find("affects"); affects != item.end() && affects->is_array()) {
      for (const json& affected : *affects) {
        if (std::string ref = string_at(affected, "ref"); !ref.empty()) statement.products.push_back(ref);
      }
    }
    if (statement.products.empty()) {
      skip("affects no bom-ref");
      continue;
    }
    statement.justification = string_at(*analysis, "justification");
    statement.impact_statement = string_at(*analysis, "detail");
    if (auto response = analysis->find("response"); response != analysis->end() && response->is_array()) {
      for (const json& action : *response) {
        if (!action.is_string()) continue;
        statement.action_statement += (statement.action_statement.empty() ? "" : ", ") + action.get<std::string>();
      }
    }
    bool bad_time = false;
    for (const std::string& time : {string_at(*analysis, "lastUpdated"), string_at(item, "updated"),
                                    string_at(item, "published"), document_time}) {
      if (time.empty()) continue;
      auto parsed_time = parse_timestamp(time);
      if (!parsed_time.ok()) {
        skip(parsed_time.error().message);
        bad_time = true;
        break;
      }
      statement.timestamp = time;
      statement.time = *parsed_time;
      break;
    }
    if (bad_time) continue;
    document.statements.push_back(std::move(statement));
  }
  return document;
}

}  // namespace uprank::vex
