#include "fetchers/csaf.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "fetchers/json_input.h"

namespace uprank::fetch {
namespace {

using nlohmann::json;

// The first schema violation found. Thrown inside this file only, so each check is one
// line instead of a status test; parse_csaf turns it into an Error.
struct Invalid {
  std::string path;     // JSON pointer
  std::string message;
};

[[noreturn]] void fail(const std::string& path, std::string message) { throw Invalid{path, std::move(message)}; }

std::string child(const std::string& path, std::string_view key) {
  // RFC 6901: '~' and '/' in a member name are escaped.
  std::string out = path + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}
std::string child(const std::string& path, size_t index) { return path + "/" + std::to_string(index); }

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

const json* member(const json& object, const char* key, const std::string& path, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) fail(child(path, key), "required member is missing");
    return nullptr;
  }
  return &*it;
}

const json& expect_object(const json& value, const std::string& path) {
  if (!value.is_object()) fail(path, std::string("must be an object, not ") + type_name(value));
  return value;
}

// Returns the string member `key` of `object` ("" when optional and absent). The schema
// gives every string it names a minimum length of 1.
std::string string_member(const json& object, const char* key, const std::string& path, bool required,
                          std::initializer_list<std::string_view> allowed = {}) {
  const json* value = member(object, key, path, required);
  if (value == nullptr) return {};
  if (!value->is_string()) fail(child(path, key), std::string("must be a string, not ") + type_name(*value));
  std::string text = value->get<std::string>();
  if (text.empty()) fail(child(path, key), "must not be empty");
  if (allowed.size() > 0 && std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
    std::string list;
    for (std::string_view option : allowed) list += (list.empty() ? "" : ", ") + std::string(option);
    fail(child(path, key), "'" + text + "' is not one of " + list);
  }
  return text;
}

double number_member(const json& object, const char* key, const std::string& path, bool required) {
  const json* value = member(object, key, path, required);
  if (value == nullptr) return 0;
  if (!value->is_number()) fail(child(path, key), std::string("must be a number, not ") + type_name(*value));
  return value->get<double>();
}

// Returns the array member `key` (nullptr when optional and absent); the schema requires
// every array it names to have at least one item.
const json* array_member(const json& object, const char* key, const std::string& path, bool required) {
  const json* value = member(object, key, path, required);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) fail(child(path, key), std::string("must be an array, not ") + type_name(*value));
  if (value->empty()) fail(child(path, key), "must have at least one item");
  return value;
}

const json* object_member(const json& object, const char* key, const std::string& path, bool required) {
  const json* value = member(object, key, path, required);
  if (value != nullptr) expect_object(*value, child(path, key));
  return value;
}

std::vector<std::string> string_array(const json& object, const char* key, const std::string& path, bool required) {
  std::vector<std::string> out;
  const json* items = array_member(object, key, path, required);
  if (items == nullptr) return out;
  for (size_t i = 0; i < items->size(); ++i) {
    const json& item = (*items)[i];
    if (!item.is_string()) fail(child(child(path, key), i), std::string("must be a string, not ") + type_name(item));
    out.push_back(item.get<std::string>());
    if (out.back().empty()) fail(child(child(path, key), i), "must not be empty");
  }
  return out;
}

std::vector<CsafNote> read_notes(const json& object, const std::string& path) {
  std::vector<CsafNote> notes;
  const json* items = array_member(object, "notes", path, false);
  if (items == nullptr) return notes;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string at = child(child(path, "notes"), i);
    const json& item = expect_object((*items)[i], at);
    notes.push_back({string_member(item, "category", at, true,
                                   {"description", "details", "faq", "general", "legal_disclaimer", "other", "summary"}),
                     string_member(item, "title", at, false), string_member(item, "text", at, true)});
  }
  return notes;
}

std::vector<CsafReference> read_references(const json& object, const std::string& path) {
  std::vector<CsafReference> references;
  const json* items = array_member(object, "references", path, false);
  if (items == nullptr) return references;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string at = child(child(path, "references"), i);
    const json& item = expect_object((*items)[i], at);
    references.push_back({string_member(item, "category", at, false, {"external", "self"}),
                          string_member(item, "summary", at, true), string_member(item, "url", at, true)});
  }
  return references;
}

// Reads the whole product tree into `products`, enforcing the node bound and test 6.1.2.
class ProductTreeReader {
 public:
  ProductTreeReader(const CsafLimits& limits, std::map<std::string, CsafProduct>& products)
      : limits_(limits), products_(products) {}

  void read(const json& tree, const std::string& path) {
    if (const json* branches = array_member(tree, "branches", path, false)) {
      read_branches(*branches, child(path, "branches"), CsafProduct{});
    }
    if (const json* names = array_member(tree, "full_product_names", path, false)) {
      for (size_t i = 0; i < names->size(); ++i) {
        count(child(child(path, "full_product_names"), i));
        add(read_full_product_name((*names)[i], child(child(path, "full_product_names"), i), CsafProduct{}));
      }
    }
    if (const json* relationships = array_member(tree, "relationships", path, false)) {
      for (size_t i = 0; i < relationships->size(); ++i) {
        read_relationship((*relationships)[i], child(child(path, "relationships"), i));
      }
    }
    if (const json* groups = array_member(tree, "product_groups", path, false)) {
      for (size_t i = 0; i < groups->size(); ++i) {
        const std::string at = child(child(path, "product_groups"), i);
        const json& group = expect_object((*groups)[i], at);
        const std::string id = string_member(group, "group_id", at, true);
        std::vector<std::string> members = string_array(group, "product_ids", at, true);
        if (members.size() < 2) fail(child(at, "product_ids"), "a product group needs at least two product ids");
        if (!groups_.emplace(id, std::move(members)).second) {
          fail(child(at, "group_id"), "product group id '" + id + "' is defined twice");
        }
        group_paths_[id] = at;
      }
    }
  }

  const std::map<std::string, std::vector<std::string>>& groups() const { return groups_; }
  const std::map<std::string, std::string>& group_paths() const { return group_paths_; }

  // Test 6.1.3: following product_reference / relates_to_product_reference from a
  // relationship's product never comes back to it.
  void check_cycles() const {
    std::map<std::string, int> state;  // 1: on the current path, 2: done
    for (const auto& [id, product] : products_) {
      if (product.relationship.empty() || state[id] == 2) continue;
      // Iterative depth-first walk: a hostile chain of 100 000 relationships must not
      // exhaust the stack.
      std::vector<std::pair<std::string, int>> stack{{id, 0}};
      state[id] = 1;
      while (!stack.empty()) {
        auto& [current, next_edge] = stack.back();
        const CsafProduct& node = products_.at(current);
        const std::string* edges[] = {&node.component_id, &node.platform_id};
        if (node.relationship.empty() || next_edge == 2) {
          state[current] = 2;
          stack.pop_back();
          continue;
        }
        const std::string& target = *edges[next_edge++];
        if (!products_.count(target)) continue;  // reported as undefined by the caller
        int& seen = state[target];
        if (seen == 1) {
          fail(products_.at(target).json_path, "relationship '" + target + "' refers to itself through " +
                                                   (target == current ? std::string("itself") : "'" + current + "'"));
        }
        if (seen == 0) {
          seen = 1;
          stack.emplace_back(target, 0);
        }
      }
    }
  }

 private:
  void count(const std::string& path) {
    if (++nodes_ > limits_.max_products) {
      fail(path, "product tree has more than " + std::to_string(limits_.max_products) + " nodes");
    }
  }

  void add(CsafProduct product) {
    auto [it, inserted] = products_.emplace(product.id, product);
    if (!inserted) {
      fail(child(product.json_path, "product_id"),
           "product id '" + product.id + "' is already defined at " + it->second.json_path);
    }
  }

  CsafProduct read_full_product_name(const json& value, const std::string& path, CsafProduct product) {
    const json& object = expect_object(value, path);
    product.json_path = path;
    product.name = string_member(object, "name", path, true);
    product.id = string_member(object, "product_id", path, true);
    if (const json* helper = object_member(object, "product_identification_helper", path, false)) {
      const std::string at = child(path, "product_identification_helper");
      CsafIdentificationHelper& out = product.helper;
      out.purl = string_member(*helper, "purl", at, false);
      if (!out.purl.empty() && out.purl.rfind("pkg:", 0) != 0) fail(child(at, "purl"), "must start with 'pkg:'");
      out.cpe = string_member(*helper, "cpe", at, false);
      if (!out.cpe.empty() && out.cpe.rfind("cpe:/", 0) != 0 && out.cpe.rfind("cpe:2.3:", 0) != 0) {
        fail(child(at, "cpe"), "must be a CPE 2.2 URI ('cpe:/…') or a CPE 2.3 string ('cpe:2.3:…')");
      }
      out.model_numbers = string_array(*helper, "model_numbers", at, false);
      out.serial_numbers = string_array(*helper, "serial_numbers", at, false);
      out.skus = string_array(*helper, "skus", at, false);
      out.sbom_urls = string_array(*helper, "sbom_urls", at, false);
      if (const json* hashes = array_member(*helper, "hashes", at, false)) {
        for (size_t i = 0; i < hashes->size(); ++i) {
          const std::string hash_at = child(child(at, "hashes"), i);
          const json& hash = expect_object((*hashes)[i], hash_at);
          const std::string filename = string_member(hash, "filename", hash_at, true);
          const json* file_hashes = array_member(hash, "file_hashes", hash_at, true);
          for (size_t j = 0; j < file_hashes->size(); ++j) {
            const std::string file_at = child(child(hash_at, "file_hashes"), j);
            const json& file_hash = expect_object((*file_hashes)[j], file_at);
            out.hashes.push_back({filename, string_member(file_hash, "algorithm", file_at, true),
                                  string_member(file_hash, "value", file_at, true)});
          }
        }
      }
    }
    return product;
  }

  // Walks branches depth first; `above` carries what the enclosing branches said.
  void read_branches(const json& branches, const std::string& path, const CsafProduct& above) {
    for (size_t i = 0; i < branches.size(); ++i) {
      const std::string at = child(path, i);
      count(at);
      const json& branch = expect_object(branches[i], at);
      const std::string category = string_member(
          branch, "category", at, true,
          {"architecture", "host_name", "language", "legacy", "patch_level", "product_family", "product_name",
           "product_version", "product_version_range", "service_pack", "specification", "vendor"});
      const std::string name = string_member(branch, "name", at, true);
      CsafProduct here = above;
      if (category == "vendor") here.vendor = name;
      if (category == "product_family") here.product_family = name;
      if (category == "product_name") here.product_name = name;
      if (category == "product_version") here.version = name;
      if (category == "product_version_range") here.version_range = name;
      if (category == "service_pack") here.service_pack = name;
      if (category == "architecture") here.architecture = name;
      const json* sub = array_member(branch, "branches", at, false);
      const json* product = object_member(branch, "product", at, false);
      if ((sub == nullptr) == (product == nullptr)) {
        fail(at, "a branch must have exactly one of 'branches' and 'product'");
      }
      if (sub != nullptr) read_branches(*sub, child(at, "branches"), here);
      if (product != nullptr) add(read_full_product_name(*product, child(at, "product"), here));
    }
  }

  void read_relationship(const json& value, const std::string& path) {
    count(path);
    const json& relationship = expect_object(value, path);
    const std::string category = string_member(relationship, "category", path, true,
                                               {"default_component_of", "external_component_of", "installed_on",
                                                "installed_with", "optional_component_of"});
    const json* name = object_member(relationship, "full_product_name", path, true);
    CsafProduct product = read_full_product_name(*name, child(path, "full_product_name"), CsafProduct{});
    product.relationship = category;
    product.component_id = string_member(relationship, "product_reference", path, true);
    product.platform_id = string_member(relationship, "relates_to_product_reference", path, true);
    references_.emplace_back(product.component_id, child(path, "product_reference"));
    references_.emplace_back(product.platform_id, child(path, "relates_to_product_reference"));
    add(std::move(product));
  }

 public:
  // Product ids that relationships refer to, with where, checked once the tree is read.
  std::vector<std::pair<std::string, std::string>> references_;

 private:
  const CsafLimits& limits_;
  std::map<std::string, CsafProduct>& products_;
  std::map<std::string, std::vector<std::string>> groups_;
  std::map<std::string, std::string> group_paths_;
  size_t nodes_ = 0;
};

// Reads the per-vulnerability parts and checks every product and group id they name.
class VulnerabilityReader {
 public:
  VulnerabilityReader(const std::map<std::string, CsafProduct>& products,
                      const std::map<std::string, std::vector<std::string>>& groups)
      : products_(products), groups_(groups) {}

  CsafVulnerability read(const json& value, const std::string& path) {
    const json& object = expect_object(value, path);
    CsafVulnerability out;
    out.json_path = path;
    out.cve = string_member(object, "cve", path, false);
    if (!out.cve.empty() && out.cve.rfind("CVE-", 0) != 0) fail(child(path, "cve"), "must look like 'CVE-YYYY-NNNN'");
    out.title = string_member(object, "title", path, false);
    out.release_date = string_member(object, "release_date", path, false);
    if (const json* cwe = object_member(object, "cwe", path, false)) {
      out.cwe = string_member(*cwe, "id", child(path, "cwe"), true);
      (void)string_member(*cwe, "name", child(path, "cwe"), true);
    }
    if (const json* ids = array_member(object, "ids", path, false)) {
      for (size_t i = 0; i < ids->size(); ++i) {
        const std::string at = child(child(path, "ids"), i);
        const json& id = expect_object((*ids)[i], at);
        out.ids.emplace_back(string_member(id, "system_name", at, true), string_member(id, "text", at, true));
      }
    }
    out.notes = read_notes(object, path);
    out.references = read_references(object, path);
    if (const json* status = object_member(object, "product_status", path, false)) {
      const std::string at = child(path, "product_status");
      CsafProductStatus& s = out.product_status;
      s.first_affected = product_ids(*status, "first_affected", at);
      s.first_fixed = product_ids(*status, "first_fixed", at);
      s.fixed = product_ids(*status, "fixed", at);
      s.known_affected = product_ids(*status, "known_affected", at);
      s.known_not_affected = product_ids(*status, "known_not_affected", at);
      s.last_affected = product_ids(*status, "last_affected", at);
      s.recommended = product_ids(*status, "recommended", at);
      s.under_investigation = product_ids(*status, "under_investigation", at);
    }
    if (const json* items = array_member(object, "remediations", path, false)) {
      for (size_t i = 0; i < items->size(); ++i) {
        const std::string at = child(child(path, "remediations"), i);
        const json& item = expect_object((*items)[i], at);
        CsafRemediation remediation;
        remediation.category = string_member(item, "category", at, true,
                                             {"mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"});
        remediation.details = string_member(item, "details", at, true);
        remediation.url = string_member(item, "url", at, false);
        remediation.date = string_member(item, "date", at, false);
        remediation.product_ids = products_and_groups(item, at);
        out.remediations.push_back(std::move(remediation));
      }
    }
    if (const json* items = array_member(object, "scores", path, false)) {
      for (size_t i = 0; i < items->size(); ++i) out.scores.push_back(read_score((*items)[i], child(child(path, "scores"), i)));
    }
    if (const json* items = array_member(object, "threats", path, false)) {
      for (size_t i = 0; i < items->size(); ++i) {
        const std::string at = child(child(path, "threats"), i);
        const json& item = expect_object((*items)[i], at);
        out.threats.push_back({string_member(item, "category", at, true, {"exploit_status", "impact", "target_set"}),
                               string_member(item, "details", at, true), string_member(item, "date", at, false),
                               products_and_groups(item, at)});
      }
    }
    if (const json* items = array_member(object, "flags", path, false)) {
      for (size_t i = 0; i < items->size(); ++i) {
        const std::string at = child(child(path, "flags"), i);
        const json& item = expect_object((*items)[i], at);
        out.flags.push_back({string_member(item, "label", at, true,
                                           {"component_not_present", "inline_mitigations_already_exist",
                                            "vulnerable_code_cannot_be_controlled_by_adversary",
                                            "vulnerable_code_not_in_execute_path", "vulnerable_code_not_present"}),
                             "", string_member(item, "date", at, false), products_and_groups(item, at)});
      }
    }
    return out;
  }

 private:
  std::vector<std::string> product_ids(const json& object, const char* key, const std::string& path) {
    std::vector<std::string> ids = string_array(object, key, path, false);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!products_.count(ids[i])) {
        fail(child(child(path, key), i), "product id '" + ids[i] + "' is not defined in the product tree");
      }
    }
    return ids;
  }

  // Returns product_ids followed by the members of group_ids, without repeats.
  std::vector<std::string> products_and_groups(const json& object, const std::string& path) {
    std::vector<std::string> ids = product_ids(object, "product_ids", path);
    std::vector<std::string> group_ids = string_array(object, "group_ids", path, false);
    for (size_t i = 0; i < group_ids.size(); ++i) {
      auto group = groups_.find(group_ids[i]);
      if (group == groups_.end()) {
        fail(child(child(path, "group_ids"), i), "product group id '" + group_ids[i] + "' is not defined");
      }
      for (const std::string& id : group->second) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
    }
    return ids;
  }

  CsafScore read_score(const json& value, const std::string& path) {
    const json& object = expect_object(value, path);
    CsafScore score;
    score.product_ids = product_ids(object, "products", path);
    if (score.product_ids.empty()) fail(child(path, "products"), "required member is missing");
    if (const json* v2 = object_member(object, "cvss_v2", path, false)) {
      const std::string at = child(path, "cvss_v2");
      (void)string_member(*v2, "version", at, true, {"2.0"});
      score.cvss_v2_vector = string_member(*v2, "vectorString", at, true);
      score.cvss_v2_base_score = number_member(*v2, "baseScore", at, true);
    }
    if (const json* v3 = object_member(object, "cvss_v3", path, false)) {
      const std::string at = child(path, "cvss_v3");
      (void)string_member(*v3, "version", at, true, {"3.0", "3.1"});
      score.cvss_v3_vector = string_member(*v3, "vectorString", at, true);
      if (score.cvss_v3_vector.rfind("CVSS:3.", 0) != 0) fail(child(at, "vectorString"), "must start with 'CVSS:3.'");
      score.cvss_v3_base_score = number_member(*v3, "baseScore", at, true);
      score.cvss_v3_base_severity =
          string_member(*v3, "baseSeverity", at, true, {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"});
    }
    // CSAF 2.0 defines no cvss_v4; CSAF 2.1 drafts do, and some producers already emit it.
    if (const json* v4 = object_member(object, "cvss_v4", path, false)) {
      const std::string at = child(path, "cvss_v4");
      score.cvss_v4_vector = string_member(*v4, "vectorString", at, true);
      score.cvss_v4_base_score = number_member(*v4, "baseScore", at, true);
    }
    if (score.cvss_v2_vector.empty() && score.cvss_v3_vector.empty() && score.cvss_v4_vector.empty()) {
      fail(path, "a score needs 'cvss_v2' or 'cvss_v3'");
    }
    return score;
  }

  const std::map<std::string, CsafProduct>& products_;
  const std::map<std::string, std::vector<std::string>>& groups_;
};

CsafDocument read_document(const json& root, const CsafLimits& limits) {
  expect_object(root, "");
  CsafDocument out;
  const json& document = *object_member(root, "document", "", true);
  const std::string at = "/document";
  out.category = string_member(document, "category", at, true);
  (void)string_member(document, "csaf_version", at, true, {"2.0"});
  out.title = string_member(document, "title", at, true);
  const json& publisher = *object_member(document, "publisher", at, true);
  out.publisher_category = string_member(publisher, "category", "/document/publisher", true,
                                         {"coordinator", "discoverer", "other", "translator", "user", "vendor"});
  out.publisher_name = string_member(publisher, "name", "/document/publisher", true);
  out.publisher_namespace = string_member(publisher, "namespace", "/document/publisher", true);
  const json& tracking = *object_member(document, "tracking", at, true);
  const std::string tracking_at = "/document/tracking";
  out.tracking_id = string_member(tracking, "id", tracking_at, true);
  out.tracking_status = string_member(tracking, "status", tracking_at, true, {"draft", "final", "interim"});
  out.tracking_version = string_member(tracking, "version", tracking_at, true);
  out.initial_release_date = string_member(tracking, "initial_release_date", tracking_at, true);
  out.current_release_date = string_member(tracking, "current_release_date", tracking_at, true);
  const json* history = array_member(tracking, "revision_history", tracking_at, true);
  for (size_t i = 0; i < history->size(); ++i) {
    const std::string entry_at = child(child(tracking_at, "revision_history"), i);
    const json& entry = expect_object((*history)[i], entry_at);
    for (const char* key : {"date", "number", "summary"}) (void)string_member(entry, key, entry_at, true);
  }
  if (const json* severity = object_member(document, "aggregate_severity", at, false)) {
    out.aggregate_severity = string_member(*severity, "text", "/document/aggregate_severity", true);
  }
  out.notes = read_notes(document, at);
  out.references = read_references(document, at);

  ProductTreeReader tree(limits, out.products);
  if (const json* product_tree = object_member(root, "product_tree", "", false)) tree.read(*product_tree, "/product_tree");
  for (const auto& [id, where] : tree.references_) {
    if (!out.products.count(id)) fail(where, "product id '" + id + "' is not defined in the product tree");
  }
  for (const auto& [group, members] : tree.groups()) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (!out.products.count(members[i])) {
        fail(child(child(tree.group_paths().at(group), "product_ids"), i),
             "product id '" + members[i] + "' is not defined in the product tree");
      }
    }
  }
  tree.check_cycles();

  VulnerabilityReader reader(out.products, tree.groups());
  if (const json* vulnerabilities = array_member(root, "vulnerabilities", "", false)) {
    for (size_t i = 0; i < vulnerabilities->size(); ++i) {
      out.vulnerabilities.push_back(reader.read((*vulnerabilities)[i], child("/vulnerabilities", i)));
    }
  }
  return out;
}

}  // namespace

Result<CsafDocument> parse_csaf(std::string_view text, const std::string& where, const CsafLimits& limits) {
  auto parsed = parse_json(text, where, JsonLimits{.max_bytes = limits.max_bytes, .max_depth = limits.max_depth});
  if (!parsed.ok()) return parsed.error();
  try {
    return read_document(*parsed, limits);
  } catch (const Invalid& invalid) {
    return make_error("uprank.csaf.invalid",
                      where + ": " + (invalid.path.empty() ? "/" : invalid.path) + ": " + invalid.message);
  }
}

bool looks_like_csaf(std::string_view text) {
  auto parsed = parse_json(text, "");
  if (!parsed.ok() || !parsed->is_object()) return false;
  const json* document = json_member(*parsed, "document");
  return document != nullptr && document->is_object() && document->contains("csaf_version");
}

const CsafProduct& judged_product(const CsafDocument& document, const CsafProduct& product) {
  const CsafProduct* current = &product;
  for (size_t steps = 0; !current->relationship.empty() && steps <= document.products.size(); ++steps) {
    auto component = document.products.find(current->component_id);
    if (component == document.products.end()) break;
    current = &component->second;
  }
  return *current;
}

std::string match_name(const CsafProduct& product) {
  if (!product.product_name.empty()) return product.product_name;
  if (!product.product_family.empty() && product.version.empty() && product.version_range.empty()) return product.product_family;
  std::string name = product.name;
  if (!product.version.empty() && name.size() > product.version.size() + 1 &&
      name.compare(name.size() - product.version.size(), std::string::npos, product.version) == 0) {
    name.resize(name.size() - product.version.size() - 1);
  }
  return name;
}

}  // namespace uprank::fetch
