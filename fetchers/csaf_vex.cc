#include "fetchers/csaf_vex.h"

#include <algorithm>
#include <utility>

namespace uprank::fetch {
namespace {

bool names(const std::vector<std::string>& product_ids, const std::string& id) {
  return std::find(product_ids.begin(), product_ids.end(), id) != product_ids.end();
}

// What a statement names a product by: helpers first, then its vendor product name.
void add_identifiers(const CsafProduct& product, std::vector<std::string>& identifiers) {
  if (!product.helper.purl.empty()) identifiers.push_back(product.helper.purl);
  if (!product.helper.cpe.empty()) identifiers.push_back(product.helper.cpe);
}

}  // namespace

vex::Document csaf_to_statements(const CsafDocument& document, const std::string& file) {
  vex::Document out;
  auto timestamp = vex::parse_timestamp(document.current_release_date);
  for (const CsafVulnerability& vulnerability : document.vulnerabilities) {
    std::vector<std::string> ids;
    if (!vulnerability.cve.empty()) ids.push_back(vulnerability.cve);
    for (const auto& [system, text] : vulnerability.ids) ids.push_back(text);
    if (ids.empty()) {
      out.skipped.push_back(file + ": " + vulnerability.json_path + ": a vulnerability with neither cve nor ids");
      continue;
    }
    auto add = [&](const std::vector<std::string>& product_ids, const char* list, vex::Status status) {
      for (size_t i = 0; i < product_ids.size(); ++i) {
        const std::string& id = product_ids[i];
        const CsafProduct& product = document.products.at(id);
        const CsafProduct& judged = judged_product(document, product);
        vex::Statement statement;
        statement.vulnerability = ids.front();
        statement.aliases.assign(ids.begin() + 1, ids.end());
        statement.status = status;
        if (&judged != &product) {
          // "X as a component of Y": about X inside Y.
          add_identifiers(document.products.at(product.platform_id), statement.products);
          add_identifiers(judged, statement.subcomponents);
          if (statement.subcomponents.empty() && statement.products.empty()) statement.products.push_back(id);
        } else {
          add_identifiers(product, statement.products);
        }
        statement.named.push_back({match_name(judged), judged.service_pack.empty() ? judged.version : judged.service_pack,
                                   judged.version_range});
        for (const CsafProductNote& flag : vulnerability.flags) {
          if (status == vex::Status::kNotAffected && names(flag.product_ids, id)) statement.justification = flag.category;
        }
        for (const CsafProductNote& threat : vulnerability.threats) {
          if (status == vex::Status::kNotAffected && threat.category == "impact" && names(threat.product_ids, id)) {
            statement.impact_statement = threat.details;
          }
        }
        for (const CsafRemediation& remediation : vulnerability.remediations) {
          if (status == vex::Status::kAffected && names(remediation.product_ids, id) && !remediation.details.empty()) {
            statement.action_statement += (statement.action_statement.empty() ? "" : "; ") + remediation.details;
          }
        }
        statement.author = document.publisher_name;
        statement.timestamp = document.current_release_date;
        statement.time = timestamp.ok() ? *timestamp : 0;
        statement.format = "csaf";
        statement.file = file;
        statement.path = vulnerability.json_path + "/product_status/" + list + "/" + std::to_string(i);
        out.statements.push_back(std::move(statement));
      }
    };
    const CsafProductStatus& status = vulnerability.product_status;
    add(status.known_not_affected, "known_not_affected", vex::Status::kNotAffected);
    add(status.fixed, "fixed", vex::Status::kFixed);
    add(status.first_fixed, "first_fixed", vex::Status::kFixed);
    add(status.known_affected, "known_affected", vex::Status::kAffected);
    add(status.first_affected, "first_affected", vex::Status::kAffected);
    add(status.last_affected, "last_affected", vex::Status::kAffected);
    add(status.under_investigation, "under_investigation", vex::Status::kUnderInvestigation);
  }
  return out;
}

Result<vex::Document> read_csaf_vex(std::string_view text, const std::string& file) {
  auto document = parse_csaf(text, file);
  if (!document.ok()) return document.error();
  return csaf_to_statements(*document, file);
}

}  // namespace uprank::fetch
