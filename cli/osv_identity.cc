#include "cli/osv_identity.h"

#include <set>
#include <string>

#include "engine/inventory/purl.h"

namespace uprank::cli {
namespace {

// Package URL types osv.dev resolves to an ecosystem (its purl helpers).
bool osv_reads_purl_type(const std::string& type) {
  static const std::set<std::string> kTypes = {"alpm",   "apk", "bitnami", "cargo", "cocoapods", "composer", "conan",
                                               "cran",   "deb", "gem",     "golang", "hackage",  "hex",      "maven",
                                               "npm",    "nuget", "pub",   "pypi",  "swift"};
  return kTypes.count(type) != 0;
}

std::string attribute(const inventory::Component& component, const char* key) {
  auto it = component.attributes.find(key);
  return it == component.attributes.end() ? std::string() : it->second;
}

}  // namespace

std::optional<fetch::OsvQuery> osv_query_for(const inventory::Component& component) {
  if (!component.purl.empty()) {
    if (auto purl = inventory::PackageUrl::parse(component.purl); purl.ok()) {
      if (osv_reads_purl_type(purl->type)) {
        inventory::PackageUrl query = *purl;
        if (query.version.empty()) query.version = component.version_text;
        if (query.type == "deb" && component.source == "dpkg") {
          if (std::string source = attribute(component, "source_package"); !source.empty()) query.name = source;
          if (std::string version = attribute(component, "source_version"); !version.empty()) query.version = version;
        }
        query.qualifiers.clear();
        if (auto distro = purl->qualifiers.find("distro"); distro != purl->qualifiers.end()) {
          query.qualifiers.insert(*distro);
        }
        query.subpath.clear();
        fetch::OsvQuery out;
        out.purl = query.to_string();
        return out;
      }
      if (purl->type == "docker" && purl->namespace_ == "bitnami") {
        return fetch::OsvQuery{"Bitnami", purl->name, purl->version.empty() ? component.version_text : purl->version,
                               "", ""};
      }
    }
  }
  if (component.mapped() && !component.version_text.empty()) {
    return fetch::OsvQuery{"Bitnami", component.product, component.version_text, "", ""};
  }
  return std::nullopt;
}

}  // namespace uprank::cli
