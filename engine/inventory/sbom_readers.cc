// CycloneDX JSON (1.2-1.6) and SPDX 2.2/2.3 JSON readers.
#include <algorithm>
#include <unordered_map>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

using internal::JsonValue;
using internal::LineIndex;

// Parses the document or adds a syntax error at the failing byte.
const JsonValue* parse_document(std::string_view text, const std::string& path, const ReadOptions& options,
                                 const LineIndex& lines, JsonValue& storage, Inventory& out) {
  auto parsed = internal::parse_json(text, options.max_depth);
  if (!parsed.ok()) {
    const Error& error = parsed.error();
    SourceLocation where = lines.locate(path, static_cast<size_t>(error.where.column));
    out.diagnostics.push_back(make_diagnostic(Severity::kError, error.code, error.message, where));
    return nullptr;
  }
  storage = std::move(parsed.value());
  if (!storage.is_object()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.shape", "expected a JSON object",
                                              lines.locate(path, storage.offset)));
    return nullptr;
  }
  return &storage;
}

// Sets purl and scheme from a purl string; a malformed purl is kept as written with a
// warning, since the SBOM's author may know better than our parser.
void set_purl(Component& component, const std::string& text, Inventory& out) {
  if (text.empty()) return;
  auto purl = PackageUrl::parse(text);
  if (!purl.ok()) {
    component.purl = text;
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_purl", purl.error().message,
                                              component.location));
    return;
  }
  component.purl = purl->to_string();
  if (auto scheme = scheme_for_purl_type(purl->type)) component.scheme = *scheme;
  component.attributes["purl.type"] = purl->type;
}

class CycloneDxReader {
 public:
  CycloneDxReader(std::string_view text, const std::string& path, const ReadOptions& options, Inventory& out)
      : path_(path), options_(options), out_(out), lines_(text) {}

  void read(std::string_view text) {
    JsonValue storage;
    const JsonValue* root = parse_document(text, path_, options_, lines_, storage, out_);
    if (!root) return;
    std::string format = root->string_at("bomFormat");
    if (format != "CycloneDX") {
      error(*root, "uprank.inventory.shape", "not a CycloneDX document (bomFormat is '" + format + "')");
      return;
    }
    std::string spec = root->string_at("specVersion");
    static constexpr std::string_view kSupported[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};
    if (std::find(std::begin(kSupported), std::end(kSupported), spec) == std::end(kSupported)) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.unsupported_version",
                                                 "CycloneDX specVersion '" + spec + "' is outside 1.2-1.6; reading it anyway",
                                                 location(*root)));
    }
    if (const JsonValue* metadata = root->get("metadata")) {
      if (const JsonValue* subject = metadata->get("component")) subject_ = subject->string_at("name");
    }
    if (const JsonValue* components = root->get("components")) read_list(*components);
    internal::make_names_unique(out_.components, 0);
    if (const JsonValue* dependencies = root->get("dependencies")) read_dependencies(*dependencies);
  }

 private:
  SourceLocation location(const JsonValue& value) const { return lines_.locate(path_, value.offset); }
  void error(const JsonValue& at, std::string code, std::string message) {
    out_.diagnostics.push_back(make_diagnostic(Severity::kError, std::move(code), std::move(message), location(at)));
  }

  void read_list(const JsonValue& list) {
    if (!list.is_array()) {
      error(list, "uprank.inventory.shape", "'components' must be an array");
      return;
    }
    for (const JsonValue& item : list.items) {
      if (out_.components.size() >= options_.max_components) {
        error(item, "uprank.inventory.too_large", "more than " + std::to_string(options_.max_components) + " components");
        return;
      }
      read_component(item);
    }
  }

  void read_component(const JsonValue& item) {
    if (!item.is_object()) {
      error(item, "uprank.inventory.shape", "each component must be an object");
      return;
    }
    Component component;
    component.source = "cyclonedx";
    component.kind = "package";
    component.location = location(item);
    std::string name = item.string_at("name");
    if (name.empty()) {
      error(item, "uprank.inventory.missing_field", "component is missing field 'name'");
    } else {
      std::string group = item.string_at("group");
      component.name = group.empty() ? name : group + "/" + name;
      component.version_text = item.string_at("version");
      set_purl(component, item.string_at("purl"), out_);
      component.cpe = item.string_at("cpe");
      if (std::string type = item.string_at("type"); !type.empty()) component.attributes["type"] = type;
      if (std::string ref = item.string_at("bom-ref"); !ref.empty()) component.attributes["bom-ref"] = ref;
      if (!subject_.empty()) component.attributes["sbom.subject"] = subject_;
      if (const JsonValue* properties = item.get("properties"); properties && properties->is_array()) {
        for (const JsonValue& property : properties->items) {
          std::string key = property.string_at("name");
          if (!key.empty()) component.attributes["property:" + key] = property.string_at("value");
        }
      }
      if (std::string ref = item.string_at("bom-ref"); !ref.empty()) refs_.emplace(ref, out_.components.size());
      out_.components.push_back(std::move(component));
    }
    if (const JsonValue* nested = item.get("components")) read_list(*nested);
  }

  void read_dependencies(const JsonValue& list) {
    if (!list.is_array()) return;
    for (const JsonValue& entry : list.items) {
      auto from = refs_.find(entry.string_at("ref"));
      const JsonValue* targets = entry.get("dependsOn");
      if (from == refs_.end() || !targets || !targets->is_array()) continue;
      for (const JsonValue& target : targets->items) {
        auto to = refs_.find(target.text);
        if (to == refs_.end()) continue;
        pending_.emplace_back(from->second, to->second);
      }
    }
    for (auto [from, to] : pending_) {
      out_.components[from].depends_on.push_back(out_.components[to].name);
    }
  }

  const std::string& path_;
  const ReadOptions& options_;
  Inventory& out_;
  LineIndex lines_;
  std::string subject_;
  std::unordered_map<std::string, size_t> refs_;
  std::vector<std::pair<size_t, size_t>> pending_;
};

class SpdxReader {
 public:
  SpdxReader(std::string_view text, const std::string& path, const ReadOptions& options, Inventory& out)
      : path_(path), options_(options), out_(out), lines_(text) {}

  void read(std::string_view text) {
    JsonValue storage;
    const JsonValue* root = parse_document(text, path_, options_, lines_, storage, out_);
    if (!root) return;
    std::string version = root->string_at("spdxVersion");
    if (version.empty() && (root->get("@context") || root->get("@graph"))) {
      error(*root, "uprank.inventory.unsupported_version",
            "SPDX 3 JSON-LD is not supported; export the SBOM as SPDX 2.3 JSON");
      return;
    }
    if (version != "SPDX-2.2" && version != "SPDX-2.3") {
      out_.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.unsupported_version",
                                                 "spdxVersion '" + version + "' is not 2.2 or 2.3; reading it anyway",
                                                 location(*root)));
    }
    const JsonValue* packages = root->get("packages");
    if (packages && !packages->is_array()) {
      error(*packages, "uprank.inventory.shape", "'packages' must be an array");
      return;
    }
    std::string document_name = root->string_at("name");
    if (packages) {
      for (const JsonValue& item : packages->items) {
        if (out_.components.size() >= options_.max_components) {
          error(item, "uprank.inventory.too_large", "more than " + std::to_string(options_.max_components) + " packages");
          break;
        }
        read_package(item, document_name);
      }
    }
    internal::make_names_unique(out_.components, 0);
    if (const JsonValue* relationships = root->get("relationships"); relationships && relationships->is_array()) {
      for (const JsonValue& relationship : relationships->items) read_relationship(relationship);
    }
  }

 private:
  SourceLocation location(const JsonValue& value) const { return lines_.locate(path_, value.offset); }
  void error(const JsonValue& at, std::string code, std::string message) {
    out_.diagnostics.push_back(make_diagnostic(Severity::kError, std::move(code), std::move(message), location(at)));
  }

  void read_package(const JsonValue& item, const std::string& document_name) {
    if (!item.is_object()) {
      error(item, "uprank.inventory.shape", "each package must be an object");
      return;
    }
    Component component;
    component.source = "spdx";
    component.kind = "package";
    component.location = location(item);
    component.name = item.string_at("name");
    if (component.name.empty()) {
      error(item, "uprank.inventory.missing_field", "package is missing field 'name'");
      return;
    }
    component.version_text = item.string_at("versionInfo");
    std::string id = item.string_at("SPDXID");
    if (!id.empty()) component.attributes["spdx-id"] = id;
    if (!document_name.empty()) component.attributes["sbom.subject"] = document_name;
    if (std::string supplier = item.string_at("supplier"); !supplier.empty()) component.attributes["supplier"] = supplier;
    if (const JsonValue* refs = item.get("externalRefs"); refs && refs->is_array()) {
      for (const JsonValue& ref : refs->items) {
        std::string type = ref.string_at("referenceType");
        std::string locator = ref.string_at("referenceLocator");
        if (type == "purl" && component.purl.empty()) {
          set_purl(component, locator, out_);
        } else if ((type == "cpe23Type" || type == "cpe22Type") && component.cpe.empty()) {
          component.cpe = locator;
        } else if (type == "advisory") {
          std::string& advisories = component.attributes["advisories"];
          advisories += (advisories.empty() ? "" : " ") + locator;
        }
      }
    }
    if (!id.empty()) ids_.emplace(id, out_.components.size());
    out_.components.push_back(std::move(component));
  }

  void read_relationship(const JsonValue& relationship) {
    std::string type = relationship.string_at("relationshipType");
    auto element = ids_.find(relationship.string_at("spdxElementId"));
    auto related = ids_.find(relationship.string_at("relatedSpdxElement"));
    if (element == ids_.end() || related == ids_.end()) return;
    if (type == "DEPENDS_ON") {
      add_edge(element->second, related->second);
    } else if (type == "DEPENDENCY_OF" ||
               (type.size() > 14 && type.compare(type.size() - 14, 14, "_DEPENDENCY_OF") == 0)) {
      add_edge(related->second, element->second);
    }
  }
  void add_edge(size_t from, size_t to) {
    if (from == to) return;
    auto& edges = out_.components[from].depends_on;
    const std::string& name = out_.components[to].name;
    if (std::find(edges.begin(), edges.end(), name) == edges.end()) edges.push_back(name);
  }

  const std::string& path_;
  const ReadOptions& options_;
  Inventory& out_;
  LineIndex lines_;
  std::unordered_map<std::string, size_t> ids_;
};

}  // namespace

Inventory read_cyclonedx(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory inventory;
  CycloneDxReader reader(text, path, options, inventory);
  reader.read(text);
  return inventory;
}

Inventory read_spdx(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory inventory;
  SpdxReader reader(text, path, options, inventory);
  reader.read(text);
  return inventory;
}

}  // namespace uprank::inventory
