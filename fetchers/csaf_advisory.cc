#include "fetchers/csaf_advisory.h"

#include <algorithm>
#include <map>
#include <set>

#include "fetchers/cvss.h"

namespace uprank::fetch {
namespace {

// Returns the product a relationship is about (its component), following chains of
// relationships; parse_csaf has rejected cycles, the bound guards against misuse.
const CsafProduct& judged_product(const CsafDocument& document, const CsafProduct& product) {
  const CsafProduct* current = &product;
  for (size_t steps = 0; !current->relationship.empty() && steps <= document.products.size(); ++steps) {
    auto component = document.products.find(current->component_id);
    if (component == document.products.end()) break;
    current = &component->second;
  }
  return *current;
}

// The name a product is matched by: its product_name branch, else its full name without
// a trailing version.
std::string match_name(const CsafProduct& product) {
  if (!product.product_name.empty()) return product.product_name;
  std::string name = product.name;
  if (!product.version.empty() && name.size() > product.version.size() + 1 &&
      name.compare(name.size() - product.version.size(), std::string::npos, product.version) == 0) {
    name.resize(name.size() - product.version.size() - 1);
  }
  return name;
}

std::optional<Date> date_of(const std::string& timestamp) {
  if (timestamp.size() < 10) return std::nullopt;
  return Date::parse(std::string_view(timestamp).substr(0, 10));
}

struct NamedProduct {
  std::set<std::string> affected;       // exact versions
  std::vector<versions::Range> affected_ranges;  // product_version_range branches
  std::set<std::string> fixed;
};

}  // namespace

facts::Advisory csaf_to_advisory(const CsafDocument& document, const std::string& fetched_at) {
  facts::Advisory advisory;
  advisory.id = document.tracking_id;
  advisory.summary = document.title;
  for (const CsafNote& note : document.notes) {
    if (note.category == "summary" && advisory.details.empty()) advisory.details = note.text;
  }
  advisory.published = date_of(document.initial_release_date);
  advisory.modified = date_of(document.current_release_date);
  advisory.severity_label = document.aggregate_severity;

  std::map<std::string, NamedProduct> by_name;
  std::set<std::string> aliases;
  auto collect = [&](const std::vector<std::string>& ids, bool affected) {
    for (const std::string& id : ids) {
      const CsafProduct& product = judged_product(document, document.products.at(id));
      NamedProduct& named = by_name[match_name(product)];
      // A service pack is the exact build inside a version train (Cisco: 12.2(55)SE of 12.2SE).
      const std::string& version = product.service_pack.empty() ? product.version : product.service_pack;
      if (!version.empty()) {
        (affected ? named.affected : named.fixed).insert(version);
      } else if (affected && !product.version_range.empty()) {
        auto range = product.version_range.rfind("vers:", 0) == 0
                         ? versions::Range::parse_vers(product.version_range)
                         : versions::Range::parse(versions::Scheme::kGeneric, product.version_range);
        if (range.ok()) named.affected_ranges.push_back(std::move(range).value());
      }
    }
  };
  for (const CsafVulnerability& vulnerability : document.vulnerabilities) {
    if (!vulnerability.cve.empty() && vulnerability.cve != advisory.id) aliases.insert(vulnerability.cve);
    const CsafProductStatus& status = vulnerability.product_status;
    collect(status.known_affected, true);
    collect(status.first_affected, true);
    collect(status.last_affected, true);
    collect(status.fixed, false);
    collect(status.first_fixed, false);
    for (const CsafScore& score : vulnerability.scores) {
      for (const std::string* vector : {&score.cvss_v3_vector, &score.cvss_v4_vector, &score.cvss_v2_vector}) {
        if (vector->empty()) continue;
        std::pair<std::string, std::string> entry{vector == &score.cvss_v2_vector   ? "CVSS_V2"
                                                  : vector == &score.cvss_v4_vector ? "CVSS_V4"
                                                                                    : "CVSS_V3",
                                                  *vector};
        if (std::find(advisory.severity.begin(), advisory.severity.end(), entry) == advisory.severity.end()) {
          advisory.severity.push_back(std::move(entry));
        }
      }
    }
    for (const CsafRemediation& remediation : vulnerability.remediations) {
      if (remediation.category == "vendor_fix" && !remediation.url.empty()) {
        facts::Reference reference{"FIX", remediation.url};
        if (std::none_of(advisory.references.begin(), advisory.references.end(),
                         [&](const facts::Reference& r) { return r.url == reference.url; })) {
          advisory.references.push_back(std::move(reference));
        }
      }
    }
  }
  advisory.aliases.assign(aliases.begin(), aliases.end());
  if (auto cvss = preferred_cvss(advisory.severity)) {
    advisory.cvss_score = cvss->score.base;
    advisory.cvss_vector = std::move(cvss->vector);
  }
  for (const CsafReference& reference : document.references) {
    advisory.references.push_back({reference.category == "self" ? "ADVISORY" : "WEB", reference.url});
  }

  for (auto& [name, named] : by_name) {
    if (named.affected.empty() && named.affected_ranges.empty()) continue;  // only fixed builds named
    facts::AffectedPackage package;
    package.name = name;
    package.scheme = versions::Scheme::kGeneric;
    package.versions.assign(named.affected.begin(), named.affected.end());
    for (versions::Range& range : named.affected_ranges) {
      facts::AffectedRange affected_range;
      affected_range.type = "ECOSYSTEM";
      affected_range.range = std::move(range);
      package.ranges.push_back(std::move(affected_range));
    }
    if (!named.fixed.empty()) {
      // The lowest fix bounds the named versions from above, like a declared `fixed`.
      std::optional<versions::Version> lowest;
      for (const std::string& text : named.fixed) {
        auto version = versions::Version::parse(versions::Scheme::kGeneric, text);
        if (version.ok() && (!lowest || versions::compare(*version, *lowest) < 0)) lowest = std::move(version).value();
      }
      if (lowest) {
        facts::AffectedRange affected_range;
        affected_range.type = "ECOSYSTEM";
        affected_range.events = {{"introduced", "0"}, {"fixed", lowest->text()}};
        auto range = versions::Range::from_osv_events(versions::Scheme::kGeneric, affected_range.events);
        if (range.ok()) affected_range.range = std::move(range).value();
        package.ranges.push_back(std::move(affected_range));
      }
    }
    advisory.affected.push_back(std::move(package));
  }
  advisory.evidence = {"csaf", advisory.id, "", fetched_at};
  for (const CsafReference& reference : document.references) {
    if (reference.category == "self") {
      advisory.evidence.url = reference.url;
      break;
    }
  }
  return advisory;
}

}  // namespace uprank::fetch
