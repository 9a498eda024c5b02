// OpenVEX 0.2.0 (and 0.0.1's string forms of `vulnerability` and `products`).
#include <algorithm>

#include "engine/vex/internal.h"
#include "engine/vex/vex.h"

namespace uprank::vex {
namespace {

using nlohmann::json;
using internal::string_at;

constexpr std::string_view kJustifications[] = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};

bool parse_status(const std::string& text, Status& status) {
  for (Status s : {Status::kNotAffected, Status::kAffected, Status::kFixed, Status::kUnderInvestigation}) {
    if (text == status_name(s)) {
      status = s;
      return true;
    }
  }
  return false;
}

// Adds the identifiers of a product or subcomponent: its @id and identifiers' purl and
// CPEs (Component Fields); 0.0.1 wrote a product as a bare string.
void add_identifiers(const json& item, std::vector<std::string>& out) {
  if (item.is_string()) {
    out.push_back(item.get<std::string>());
    return;
  }
  if (!item.is_object()) return;
  if (std::string id = string_at(item, "@id"); !id.empty()) out.push_back(id);
  if (auto it = item.find("identifiers"); it != item.end() && it->is_object()) {
    for (const char* key : {"purl", "cpe23", "cpe22"}) {
      std::string id = string_at(*it, key);
      if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
}

}  // namespace

Result<Document> read_openvex(std::string_view text, const std::string& path, const Limits& limits) {
  auto parsed = internal::parse_bounded(text, path, limits);
  if (!parsed.ok()) return parsed.error();
  const json& root = parsed.value();
  if (!root.is_object()) return internal::error_at("uprank.vex.shape", path, "$", "expected a JSON object");
  std::string context = string_at(root, "@context");
  if (context.rfind("https://openvex.dev/ns", 0) != 0) {
    return internal::error_at("uprank.vex.shape", path, "$.@context",
                              "not an OpenVEX document (@context is '" + context + "', expected https://openvex.dev/ns/v…)");
  }
  auto statements = root.find("statements");
  if (statements == root.end() || !statements->is_array()) {
    return internal::error_at("uprank.vex.shape", path, "$.statements", "missing or not an array");
  }
  if (statements->size() > limits.max_statements) {
    return internal::error_at("uprank.vex.too_large", path, "$.statements",
                              "more than " + std::to_string(limits.max_statements) + " statements");
  }
  std::string author = string_at(root, "author");
  std::string document_time = string_at(root, "timestamp");
  Document document;
  for (size_t i = 0; i < statements->size(); ++i) {
    const json& item = (*statements)[i];
    std::string where = "$.statements[" + std::to_string(i) + "]";
    auto skip = [&](const std::string& why) { document.skipped.push_back(path + ": " + where + ": " + why); };
    if (!item.is_object()) {
      skip("not an object");
      continue;
    }
    Statement statement;
    statement.format = "openvex";
    statement.file = path;
    statement.path = where;
    statement.author = author;
    if (auto vulnerability = item.find("vulnerability"); vulnerability != item.end()) {
      if (vulnerability->is_string()) {
        statement.vulnerability = vulnerability->get<std::string>();
      } else if (vulnerability->is_object()) {
        statement.vulnerability = string_at(*vulnerability, "name");
        if (auto aliases = vulnerability->find("aliases"); aliases != vulnerability->end() && aliases->is_array()) {
          for (const json& alias : *aliases) {
            if (alias.is_string()) statement.aliases.push_back(alias.get<std::string>());
          }
        }
      }
    }
    if (statement.vulnerability.empty()) {
      skip("no vulnerability name");
      continue;
    }
    std::string status = string_at(item, "status");
    if (!parse_status(status, statement.status)) {
      skip("status '" + status + "' is not not_affected, affected, fixed or under_investigation");
      continue;
    }
    if (auto products = item.find("products"); products != item.end() && products->is_array()) {
      for (const json& product : *products) {
        add_identifiers(product, statement.products);
        if (auto subs = product.is_object() ? product.find("subcomponents") : product.end();
            product.is_object() && subs != product.end() && subs->is_array()) {
          for (const json& sub : *subs) add_identifiers(sub, statement.subcomponents);
        }
      }
    }
    if (statement.products.empty()) {
      skip("names no product (OpenVEX inherits products only from an encapsulating document)");
      continue;
    }
    statement.justification = string_at(item, "justification");
    statement.impact_statement = string_at(item, "impact_statement");
    statement.action_statement = string_at(item, "action_statement");
    if (!statement.justification.empty() &&
        std::find(std::begin(kJustifications), std::end(kJustifications), statement.justification) ==
            std::end(kJustifications)) {
      skip("justification '" + statement.justification + "' is not an OpenVEX justification label");
      continue;
    }
    if (statement.status == Status::kNotAffected && statement.justification.empty() && statement.impact_statement.empty()) {
      skip("not_affected without a justification or impact_statement (OpenVEX requires one)");
      continue;
    }
    // A statement's own time overrides the document's (Inheritance Flow: Timestamps); its
    // last_updated is when it last changed.
    statement.timestamp = string_at(item, "last_updated");
    if (statement.timestamp.empty()) statement.timestamp = string_at(item, "timestamp");
    if (statement.timestamp.empty()) statement.timestamp = document_time;
    if (!statement.timestamp.empty()) {
      auto time = parse_timestamp(statement.timestamp);
      if (!time.ok()) {
        skip(time.error().message);
        continue;
      }
      statement.time = *time;
    }
    document.statements.push_back(std::move(statement));
  }
  return document;
}

}  // namespace uprank::vex
