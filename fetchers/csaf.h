// CSAF 2.0 documents (OASIS Common Security Advisory Framework, csaf-v2.0-os) read into
// plain structs: the product tree flattened to one entry per product id, and per
// vulnerability its product status lists, remediations, scores, threats and flags. The
// VEX profile (`csaf_vex`) reads the same way; turning its status lists into VEX
// statements is left to the VEX layer.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"

namespace uprank::fetch {

struct CsafLimits {
  size_t max_bytes = size_t{32} << 20;  // the whole document
  int max_depth = 64;                   // JSON nesting, branches included
  size_t max_products = 100'000;        // branch nodes, full product names and relationships
};

// A CSAF `file_hashes` entry of one file.
struct CsafHash {
  std::string filename;
  std::string algorithm;  // "sha256", …
  std::string value;      // hex
};

// `product_identification_helper` (CSAF 2.0 §3.1.3.3): the keys a product is matched by.
struct CsafIdentificationHelper {
  std::string purl;                         // "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6"
  std::string cpe;                          // CPE 2.2 URI or 2.3 formatted string
  std::vector<CsafHash> hashes;
  std::vector<std::string> model_numbers;
  std::vector<std::string> serial_numbers;
  std::vector<std::string> skus;
  std::vector<std::string> sbom_urls;
};

// One product id of the document, whichever part of the tree defined it.
struct CsafProduct {
  std::string id;                           // product_id: what status lists refer to
  std::string name;                         // full_product_name.name
  CsafIdentificationHelper helper;
  // From the branches above the product (empty for full_product_names and relationships):
  std::string vendor;                       // category "vendor"
  std::string product_family;               // category "product_family"
  std::string product_name;                 // category "product_name"
  std::string version;                      // category "product_version"
  std::string version_range;                // category "product_version_range" (vers or vls)
  std::string service_pack;                 // category "service_pack": Cisco's "12.2(55)SE" under train "12.2SE"
  std::string architecture;                 // category "architecture"
  std::string json_path;                    // where it is defined: "/product_tree/branches/0/…"
  // Set for a relationship's full_product_name ("component X as part of platform Y"):
  std::string relationship;                 // "default_component_of", "installed_on", …
  std::string component_id;                 // product_reference
  std::string platform_id;                  // relates_to_product_reference
};

// `product_status` (CSAF 2.0 §3.2.3.9), product ids in document order.
struct CsafProductStatus {
  std::vector<std::string> first_affected;
  std::vector<std::string> first_fixed;
  std::vector<std::string> fixed;
  std::vector<std::string> known_affected;
  std::vector<std::string> known_not_affected;
  std::vector<std::string> last_affected;
  std::vector<std::string> recommended;
  std::vector<std::string> under_investigation;
};

struct CsafRemediation {
  std::string category;                     // vendor_fix, workaround, mitigation, none_available, no_fix_planned
  std::string details;
  std::string url;
  std::string date;
  std::vector<std::string> product_ids;     // product_ids plus the members of group_ids
};

// One `scores[]` entry: CVSS of the products it lists. Vectors are empty when absent.
struct CsafScore {
  std::vector<std::string> product_ids;
  std::string cvss_v2_vector;
  double cvss_v2_base_score = 0;
  std::string cvss_v3_vector;               // "CVSS:3.1/AV:N/…"
  double cvss_v3_base_score = 0;
  std::string cvss_v3_base_severity;        // "CRITICAL", …
  std::string cvss_v4_vector;               // only in documents that carry a cvss_v4 object
  double cvss_v4_base_score = 0;
};

// A `threats[]` entry (exploit_status, impact, target_set) or a `flags[]` entry (label is
// the VEX justification, e.g. "vulnerable_code_not_present"); details empty for flags.
struct CsafProductNote {
  std::string category;                     // threat category, or flag label
  std::string details;
  std::string date;
  std::vector<std::string> product_ids;     // product_ids plus the members of group_ids
};

struct CsafNote {
  std::string category;                     // summary, description, details, general, …
  std::string title;
  std::string text;
};

struct CsafReference {
  std::string category;                     // "self" or "external"
  std::string summary;
  std::string url;
};

struct CsafVulnerability {
  std::string cve;                          // empty for bulletins without a CVE
  std::vector<std::pair<std::string, std::string>> ids;  // {system_name, text}
  std::string title;
  std::string cwe;                          // "CWE-20", or ""
  std::string release_date;
  std::vector<CsafNote> notes;
  CsafProductStatus product_status;
  std::vector<CsafRemediation> remediations;
  std::vector<CsafScore> scores;
  std::vector<CsafProductNote> threats;
  std::vector<CsafProductNote> flags;
  std::vector<CsafReference> references;
  std::string json_path;                    // "/vulnerabilities/0"
};

struct CsafDocument {
  std::string category;                     // csaf_security_advisory, csaf_vex, csaf_base, or a vendor's own
  std::string title;
  std::string publisher_name;
  std::string publisher_namespace;          // URL
  std::string publisher_category;
  std::string tracking_id;                  // "RHSA-2021:5186", "cisco-sa-20180328-smi2"
  std::string tracking_status;              // draft, interim, final
  std::string tracking_version;
  std::string initial_release_date;         // RFC 3339, as published
  std::string current_release_date;
  std::string aggregate_severity;           // document.aggregate_severity.text, or ""
  std::vector<CsafNote> notes;
  std::vector<CsafReference> references;
  std::map<std::string, CsafProduct> products;  // by product id
  std::vector<CsafVulnerability> vulnerabilities;
};

// Reads one CSAF 2.0 JSON document. The mandatory members and the types and enumerations
// of the members read are checked as the CSAF 2.0 JSON schema states them, plus the
// specification's mandatory tests 6.1.1 (every product id referenced is defined), 6.1.2
// (no product id defined twice), 6.1.3 (no relationship refers to itself through a chain)
// and 6.1.4 (every product group id referenced is defined). Errors have code "uprank.csaf.invalid" (or "uprank.fetch.too_large" /
// "uprank.fetch.malformed_json") and a message "WHERE: /json/pointer: what is wrong",
// e.g. "a.json: /vulnerabilities/0/product_status/fixed/2: product id 'X' is not defined".
Result<CsafDocument> parse_csaf(std::string_view text, const std::string& where, const CsafLimits& limits = {});

// Returns the product a relationship ("X as a component of Y") is about: X, following
// chains of relationships; any other product itself.
const CsafProduct& judged_product(const CsafDocument& document, const CsafProduct& product);

// Returns the vendor's name of a product without its version: its product_name branch,
// else its product_family branch when it has no version of its own ("PROD_ALPHA"), else
// its full product name without a trailing product_version ("Example Company ABC").
std::string match_name(const CsafProduct& product);

// Returns whether `text` looks like a CSAF document: a JSON object whose `document` has a
// `csaf_version` member. Cheap enough to classify files by content.
bool looks_like_csaf(std::string_view text);

}  // namespace uprank::fetch
