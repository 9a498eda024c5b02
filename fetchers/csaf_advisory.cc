#include "fetchers/csaf_advisory.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/inventory/identity.h"
#include "engine/inventory/purl.h"
#include "fetchers/cvss.h"
#include "fetchers/osv.h"

namespace uprank::fetch {
namespace {

std::optional<Date> date_of(const std::string& timestamp) {
  if (timestamp.size() < 10) return std::nullopt;
  return Date::parse(std::string_view(timestamp).substr(0, 10));
}

// What the products of one identity state: affected versions and ranges, fixing versions,
// and which product entries said so.
struct IdentityProducts {
  facts::AffectedPackage package;                 // ecosystem, name, purl, scheme
  bool package_level = false;                     // a purl's package: fixed builds bound it from below
  std::set<std::string> affected;                 // exact versions
  std::vector<versions::Range> affected_ranges;   // product_version_range branches
  std::set<std::string> fixed;
};

// A CPE 2.2 URI ("cpe:/a:vendor:product:1.0") or 2.3 formatted string
// ("cpe:2.3:a:vendor:product:1.0:*:…") split into vendor, product and version ("" for
// ANY "*" and NA "-").
struct Cpe {
  std::string vendor, product, version;
};
std::optional<Cpe> parse_cpe(std::string_view text) {
  size_t skip;
  if (text.rfind("cpe:2.3:", 0) == 0) {
    skip = 8;
  } else if (text.rfind("cpe:/", 0) == 0) {
    skip = 5;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  std::string part;
  for (size_t i = skip; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ':' && text[i - 1] != '\\')) {
      parts.push_back(std::move(part));
      part.clear();
    } else {
      part += text[i];
    }
  }
  if (parts.size() < 3 || parts[1].empty() || parts[2].empty() || parts[1] == "*" || parts[2] == "*") return std::nullopt;
  Cpe cpe{parts[1], parts[2], parts.size() > 3 ? parts[3] : ""};
  if (cpe.version == "*" || cpe.version == "-") cpe.version.clear();
  return cpe;
}

// An RPM build named as "name-[epoch:]version-release.arch" by a product_version under an
// architecture branch (the arch suffix must be that branch's).
struct Nevra {
  std::string name, version, release_of_distro;  // "telnet", "1:0.17-65.el7_6", "7"
};
std::optional<Nevra> parse_nevra(const CsafProduct& product) {
  const std::string& text = product.version;
  const std::string suffix = "." + product.architecture;
  if (product.architecture.empty() || text.size() <= suffix.size() ||
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  std::string evr_name = text.substr(0, text.size() - suffix.size());
  size_t release_dash = evr_name.rfind('-');
  if (release_dash == std::string::npos || release_dash == 0) return std::nullopt;
  size_t version_dash = evr_name.rfind('-', release_dash - 1);
  if (version_dash == std::string::npos || version_dash == 0) return std::nullopt;
  Nevra nevra{evr_name.substr(0, version_dash), evr_name.substr(version_dash + 1), ""};
  if (auto distro = inventory::distro_from_version("Red Hat", nevra.version)) nevra.release_of_distro = distro->release;
  return nevra;
}

// The identity a product is matched by, and the version it states, most specific helper
// first (docs/identity.md): a purl of a package ecosystem OSV knows, in that ecosystem's
// scheme (distro packages in their release: `distro` qualifier, else the version's
// ".el8" / "+deb12u1"); an RPM NEVRA of an EL release ("Red Hat:7" "telnet"); a CPE's vendor and product ("CPE" "vendor:product"); else the
// vendor's product name ("CSAF" name). Vendor products compare in the generic scheme at
// the product's service_pack, else product_version, else the CPE's version.
facts::AffectedPackage identity_of(const CsafProduct& product, std::string& version, bool& package_level) {
  facts::AffectedPackage package;
  package_level = false;
  version = product.service_pack.empty() ? product.version : product.service_pack;
  if (auto purl = inventory::PackageUrl::parse(product.helper.purl); !product.helper.purl.empty() && purl.ok()) {
    std::string base = inventory::osv_ecosystem_for_purl(purl->type, purl->namespace_);
    auto scheme = base.empty() ? std::nullopt : scheme_for_ecosystem(base);
    if (scheme) {
      package.ecosystem = base;
      if (inventory::is_distro_ecosystem(base)) {
        std::string release;
        if (auto distro = purl->qualifiers.find("distro"); distro != purl->qualifiers.end()) {
          if (auto parsed = inventory::parse_distro(distro->second)) release = parsed->release;
        } else if (auto from_version = inventory::distro_from_version(base, purl->version)) {
          release = from_version->release;
        }
        if (!release.empty()) package.ecosystem += ":" + release;
      }
      package.name = inventory::osv_package_name(base, purl->namespace_, purl->name);
      package.purl = product.helper.purl;
      package.scheme = scheme;
      if (!purl->version.empty()) {
        auto epoch = purl->qualifiers.find("epoch");
        version = (epoch != purl->qualifiers.end() ? epoch->second + ":" : "") + purl->version;
      }
      package_level = true;
      return package;
    }
  }
  // Red Hat's documents without purls name each RPM build by its NEVRA under an
  // architecture branch: product_version "telnet-1:0.17-65.el7_6.x86_64".
  if (auto nevra = parse_nevra(product); nevra && nevra->release_of_distro.size() > 0) {
    package.ecosystem = "Red Hat:" + nevra->release_of_distro;
    package.name = nevra->name;
    package.scheme = versions::Scheme::kRpm;
    version = nevra->version;
    package_level = true;
    return package;
  }
  package.scheme = versions::Scheme::kGeneric;
  if (auto cpe = parse_cpe(product.helper.cpe)) {
    package.ecosystem = "CPE";
    package.name = cpe->vendor + ":" + cpe->product;
    if (version.empty()) version = cpe->version;
    return package;
  }
  package.ecosystem = "CSAF";
  package.name = match_name(product);
  return package;
}

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

  std::map<std::string, IdentityProducts> by_identity;  // by ecosystem and name
  std::set<std::string> aliases;
  auto collect = [&](const std::vector<std::string>& ids, bool affected) {
    for (const std::string& id : ids) {
      const CsafProduct& listed = document.products.at(id);
      const CsafProduct& product = judged_product(document, listed);
      std::string version;
      bool package_level = false;
      facts::AffectedPackage identity = identity_of(product, version, package_level);
      IdentityProducts& products = by_identity[identity.ecosystem + '\x1f' + identity.name];
      if (products.package.name.empty()) {
        products.package = std::move(identity);
        products.package_level = package_level;
      }
      std::string entry = id + " (" + listed.name + ")";
      if (std::find(products.package.entries.begin(), products.package.entries.end(), entry) == products.package.entries.end()) {
        products.package.entries.push_back(std::move(entry));
      }
      if (!version.empty()) {
        (affected ? products.affected : products.fixed).insert(version);
      } else if (affected && !product.version_range.empty()) {
        auto range = versions::Range::parse_vers_or_native(*products.package.scheme, product.version_range);
        if (range.ok()) products.affected_ranges.push_back(std::move(range).value());
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

  for (auto& [key, products] : by_identity) {
    // Only fixed builds named: a vendor product's older versions are not claimed (the
    // document does not say which were ever affected); a package's are, as distro
    // advisories state a fix (Red Hat lists fixed builds only).
    if (products.affected.empty() && products.affected_ranges.empty() && !products.package_level) continue;
    facts::AffectedPackage package = std::move(products.package);
    const versions::Scheme scheme = *package.scheme;
    package.versions.assign(products.affected.begin(), products.affected.end());
    for (versions::Range& range : products.affected_ranges) {
      facts::AffectedRange affected_range;
      affected_range.type = "ECOSYSTEM";
      affected_range.range = std::move(range);
      package.ranges.push_back(std::move(affected_range));
    }
    if (!products.fixed.empty()) {
      // The lowest fix bounds the named versions from above, like a declared `fixed`.
      std::optional<versions::Version> lowest;
      for (const std::string& text : products.fixed) {
        auto version = versions::Version::parse(scheme, text);
        if (version.ok() && (!lowest || versions::compare(*version, *lowest) < 0)) lowest = std::move(version).value();
      }
      if (lowest) {
        facts::AffectedRange affected_range;
        affected_range.type = "ECOSYSTEM";
        affected_range.events = {{"introduced", "0"}, {"fixed", lowest->text()}};
        auto range = versions::Range::from_osv_events(scheme, affected_range.events);
        if (range.ok()) affected_range.range = std::move(range).value();
        package.ranges.push_back(std::move(affected_range));
      }
    }
    if (package.ranges.empty() && package.versions.empty()) continue;  // no fix that parses
    advisory.affected.push_back(std::move(package));
  }
  advisory.evidence = {"csaf", advisory.id, "", fetched_at};
  // The document's self reference, else the first vendor fix's URL, else any reference.
  for (const char* type : {"ADVISORY", "FIX", "WEB"}) {
    auto found = std::find_if(advisory.references.begin(), advisory.references.end(),
                              [&](const facts::Reference& reference) { return reference.type == type; });
    if (found != advisory.references.end()) {
      advisory.evidence.url = found->url;
      break;
    }
  }
  return advisory;
}

}  // namespace uprank::fetch
