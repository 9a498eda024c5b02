// CycloneDX JSON (1.2-1.6) and SPDX 2.2/2.3 JSON readers. Both stream the document
// (internal::stream_json): each component or package is built as a small JSON tree, read
// into a Component and dropped, so memory follows the components, not the text's tree.
// What the document says elsewhere (bomFormat, metadata, the document name) may come
// after the components in the text; it is applied when the document ends, with the same
// result as reading the whole tree first.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory {
namespace {

using internal::JsonValue;
using internal::LineIndex;

// Moves out the text of member `key` when it is a string or a number, else returns "":
// JsonValue::string_at for a member read once, without copying it.
std::string take_at(JsonValue& object, std::string_view key) {
  if (object.kind != JsonValue::Kind::kObject) return {};
  for (size_t i = 0; i < object.keys.size() && i < object.items.size(); ++i) {
    if (object.keys[i] != key) continue;
    JsonValue& value = object.items[i];
    if (value.kind != JsonValue::Kind::kString && value.kind != JsonValue::Kind::kNumber) return {};
    return std::move(value.text);
  }
  return {};
}

// The text of a string or number value, else "" (JsonValue::string_at on one value).
std::string scalar_text(const JsonValue& value) {
  return value.kind == JsonValue::Kind::kString || value.kind == JsonValue::Kind::kNumber ? value.text : std::string();
}

// Streams the document; on a syntax error or a root that is not an object, replaces
// whatever the callbacks added with that one error and returns false.
bool stream_document(std::string_view text, const std::string& path, const ReadOptions& options, const LineIndex& lines,
                     const internal::JsonStream& stream, JsonValue& root, Inventory& out) {
  auto streamed = internal::stream_json(text, options.max_depth, stream);
  if (!streamed.ok()) {
    const Error& error = streamed.error();
    SourceLocation where = lines.locate(path, static_cast<size_t>(error.where.column));
    out = Inventory{};
    out.diagnostics.push_back(make_diagnostic(Severity::kError, error.code, error.message, where));
    return false;
  }
  root = std::move(streamed.value());
  if (!root.is_object()) {
    out = Inventory{};
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.shape", "expected a JSON object",
                                              lines.locate(path, root.offset)));
    return false;
  }
  return true;
}

// Sets purl and scheme from a purl string; a malformed purl is kept as written with a
// warning, since the SBOM's author may know better than our parser. Returns the purl's
// type, "" when there is none or it is malformed.
std::string set_purl(Component& component, std::string text, Inventory& out) {
  if (text.empty()) return {};
  auto purl = PackageUrl::parse(text);
  if (!purl.ok()) {
    component.purl = std::move(text);
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_purl", purl.error().message,
                                              component.location));
    return {};
  }
  component.purl = purl->to_string();
  if (auto scheme = scheme_for_purl_type(purl->type)) component.scheme = *scheme;
  component.attributes["purl.type"] = purl->type;
  return std::move(purl->type);
}

// Reads a container image an SBOM lists (a CycloneDX `type: container` component, or any
// package whose purl is `pkg:docker` or `pkg:oci`) as the image readers read a Dockerfile
// `FROM`: the same reference parsing (Docker Hub's `docker.io/` and `library/` removed),
// tag and digest, pin and tag variants. The tag comes from the version field, else from the
// purl: a `pkg:docker` purl's version, a `pkg:oci` purl's `tag` qualifier (purl-spec: an
// oci purl's version is the digest, kept as the digest). Returns false when `component` is
// no image or names none this way. `purl_type` is set_purl's: what component.purl reads as.
bool read_as_image(Component& component, const std::string& declared_type, std::string_view purl_type, Inventory& out) {
  // The purl set_purl wrote reads back as the type it returned (to_string's text parses
  // again, purl.h); a malformed one does not parse here either.
  if (purl_type != "docker" && purl_type != "oci" && declared_type != "container") return false;
  std::optional<PackageUrl> purl;
  if (!component.purl.empty()) {
    if (auto parsed = PackageUrl::parse(component.purl); parsed.ok()) purl = std::move(parsed.value());
  }
  bool purl_image = purl && (purl->type == "docker" || purl->type == "oci");
  if (!purl_image && declared_type != "container") return false;
  auto is_digest = [](std::string_view text) { return text.find(':') != std::string_view::npos && text.rfind("sha", 0) == 0; };
  std::string repository = component.name;
  std::string tag, digest;
  std::string version = component.version_text;
  bool version_from_purl = false;
  if (purl_image) {
    auto qualifier = [&](const char* key) {
      auto it = purl->qualifiers.find(key);
      return it == purl->qualifiers.end() ? std::string() : it->second;
    };
    std::string url = qualifier("repository_url");
    if (purl->type == "oci") {
      // purl-spec oci: `repository_url` is the whole repository ("docker.io/library/python").
      repository = url.empty() ? purl->name : url;
      (is_digest(purl->version) ? digest : tag) = purl->version;  // a writer may put the tag there
      if (std::string named = qualifier("tag"); !named.empty()) tag = named;
    } else {
      repository = (url.empty() ? "" : url + "/") + (purl->namespace_.empty() ? "" : purl->namespace_ + "/") + purl->name;
      (is_digest(purl->version) ? digest : tag) = purl->version;
    }
    if (!version.empty()) {
      (is_digest(version) ? digest : tag) = version;
    } else if (!tag.empty()) {
      version_from_purl = true;
    }
  } else if (!version.empty()) {
    (is_digest(version) ? digest : tag) = version;
  }
  // A name that carries its own tag ("alpine:3.15", as Trivy names its subject) keeps it.
  std::string text = repository;
  size_t slash = text.rfind('/');
  bool named_tag = text.find('@') != std::string::npos ||
                   (text.rfind(':') != std::string::npos && (slash == std::string::npos || text.rfind(':') > slash));
  if (!named_tag) text += (tag.empty() ? "" : ":" + tag) + (digest.empty() ? "" : "@" + digest);
  auto image = internal::parse_image_reference(text);
  if (!image) return false;
  Component read = internal::image_component(*image, component.source, component.location);
  if (!component.purl.empty()) read.purl = component.purl;  // the SBOM's own identity of the image
  for (auto& [key, value] : component.attributes) read.attributes.emplace(key, value);
  if (component.name != read.name) read.attributes["sbom.name"] = component.name;
  read.cpe = component.cpe;
  if (version_from_purl) {
    out.diagnostics.push_back(make_diagnostic(
        Severity::kNote, "uprank.inventory.version_from_purl",
        "component '" + component.name + "' has no version field; using the purl's version " + tag, component.location));
  }
  component = std::move(read);
  return true;
}

// Reserves room for every component the text can hold: each has a "name" member, so
// their count bounds it. A growing vector of Components (over 1 KB each) moved every one
// at each doubling and held the old and new buffers at once, the peak of reading a large
// SBOM; room reserved and never written costs address space, not memory.
void reserve_components(std::string_view text, const ReadOptions& options, std::vector<Component>& components) {
  size_t names = 0;
  for (size_t at = text.find("\"name\""); at != std::string_view::npos; at = text.find("\"name\"", at + 6)) ++names;
  components.reserve(std::min(names, options.max_components));
}

class CycloneDxReader {
 public:
  CycloneDxReader(std::string_view text, const std::string& path, const ReadOptions& options, Inventory& out)
      : path_(path), options_(options), out_(out), lines_(text) {}

  void read(std::string_view text) {
    std::string format, spec;
    internal::JsonStream stream;
    stream.streamed = {"components", "dependencies"};
    stream.kept = {"bomFormat", "specVersion", "metadata"};
    // Every member read_component, read_dependency and the metadata read, at any depth.
    stream.item_keys = {"name", "version", "purl", "bom-ref", "type", "group", "cpe", "properties", "value",
                        "components", "ref", "dependsOn", "component"};
    std::map<std::string, size_t, std::less<>> item_index;  // per streamed array
    stream.on_item = [&](std::string_view key, JsonValue& item) {
      size_t index = item_index[std::string(key)]++;
      internal::warn_duplicate_keys(item, "$." + std::string(key) + "[" + std::to_string(index) + "]", path_, lines_,
                                    out_.diagnostics);
      if (key == "components") {
        read_item(item);
      } else {
        read_dependency(item);
      }
    };
    stream.on_array_end = [&](std::string_view key) { components_done_ = components_done_ || key == "components"; };
    stream.on_consumed = options_.text_read_before;
    stream.on_member = [&](std::string_view key, JsonValue& value) {
      if (key == "bomFormat") {
        format = scalar_text(value);
      } else if (key == "specVersion") {
        spec = scalar_text(value);
      } else if (key == "metadata") {
        if (const JsonValue* subject = value.get("component")) subject_ = subject->string_at("name");
      } else if (key == "components") {
        read_list(value);  // not an array: says so
        components_done_ = true;
      }
    };
    JsonValue root;
    reserve_components(text, options_, out_.components);
    refs_.reserve(out_.components.capacity());
    if (!stream_document(text, path_, options_, lines_, stream, root, out_)) return;
    if (format != "CycloneDX") {
      out_ = Inventory{};
      error(root, "uprank.inventory.shape", "not a CycloneDX document (bomFormat is '" + format + "')");
      return;
    }
    static constexpr std::string_view kSupported[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};
    if (std::find(std::begin(kSupported), std::end(kSupported), spec) == std::end(kSupported)) {
      out_.diagnostics.insert(out_.diagnostics.begin(),
                              make_diagnostic(Severity::kWarning, "uprank.inventory.unsupported_version",
                                              "CycloneDX specVersion '" + spec + "' is outside 1.2-1.6; reading it anyway",
                                              location(root)));
    }
    if (!subject_.empty()) {
      for (Component& component : out_.components) component.attributes["sbom.subject"] = subject_;
    }
    internal::make_names_unique(out_.components, 0);
    // Edges listed before the components ended wait for every bom-ref; they come first.
    std::vector<std::pair<size_t, size_t>> edges;
    for (const auto& [from, targets] : early_dependencies_) {
      for (const std::string& target : targets) add_pending(from, target, edges);
    }
    edges.insert(edges.end(), pending_.begin(), pending_.end());
    for (auto [from, to] : edges) out_.components[from].depends_on.push_back(out_.components[to].name);
  }

 private:
  SourceLocation location(const JsonValue& value) const { return lines_.locate(path_, value.offset); }
  void error(const JsonValue& at, std::string code, std::string message) {
    out_.diagnostics.push_back(make_diagnostic(Severity::kError, std::move(code), std::move(message), location(at)));
  }

  void read_list(JsonValue& list) {
    if (!list.is_array()) {
      error(list, "uprank.inventory.shape", "'components' must be an array");
      return;
    }
    for (JsonValue& item : list.items) {
      if (out_.components.size() >= options_.max_components) {
        error(item, "uprank.inventory.too_large", "more than " + std::to_string(options_.max_components) + " components");
        return;
      }
      read_component(item);
    }
  }

  // One item of the top-level `components`, as read_list reads each of its items.
  void read_item(JsonValue& item) {
    if (list_full_) return;
    if (out_.components.size() >= options_.max_components) {
      error(item, "uprank.inventory.too_large", "more than " + std::to_string(options_.max_components) + " components");
      list_full_ = true;
      return;
    }
    read_component(item);
  }

  // Builds the component in place (a Component is over 1 KB: moving each in cost 6% of
  // reading a lean SBOM), moving each member's text out of the item read once.
  void read_component(JsonValue& item) {
    if (!item.is_object()) {
      error(item, "uprank.inventory.shape", "each component must be an object");
      return;
    }
    std::string name = take_at(item, "name");
    if (name.empty()) {
      error(item, "uprank.inventory.missing_field", "component is missing field 'name'");
    } else {
      const size_t index = out_.components.size();
      Component& component = out_.components.emplace_back();
      component.source = "cyclonedx";
      component.kind = "package";
      component.location = location(item);
      std::string group = take_at(item, "group");
      component.name = group.empty() ? std::move(name) : group + "/" + name;
      component.version_text = take_at(item, "version");
      component.pin = pin_of_sbom_version(component.version_text);
      std::string purl_type = set_purl(component, take_at(item, "purl"), out_);
      component.cpe = take_at(item, "cpe");
      std::string type = take_at(item, "type");
      if (!type.empty()) component.attributes["type"] = type;
      std::string ref = take_at(item, "bom-ref");
      if (!ref.empty()) component.attributes["bom-ref"] = ref;
      if (JsonValue* properties = const_cast<JsonValue*>(item.get("properties")); properties && properties->is_array()) {
        for (JsonValue& property : properties->items) {
          std::string key = property.string_at("name");
          if (!key.empty()) component.attributes["property:" + key] = take_at(property, "value");
        }
      }
      read_as_image(component, type, purl_type, out_);
      if (!ref.empty()) refs_.emplace(std::move(ref), index);
    }
    if (JsonValue* nested = const_cast<JsonValue*>(item.get("components"))) read_list(*nested);
  }

  // One entry of `dependencies`: resolved now when every bom-ref is known, else kept.
  void read_dependency(const JsonValue& entry) {
    std::string ref = entry.string_at("ref");
    const JsonValue* targets = entry.get("dependsOn");
    if (!targets || !targets->is_array()) return;
    if (!components_done_) {
      std::vector<std::string> texts;
      for (const JsonValue& target : targets->items) texts.push_back(target.text);
      early_dependencies_.emplace_back(std::move(ref), std::move(texts));
      return;
    }
    for (const JsonValue& target : targets->items) add_pending(ref, target.text, pending_);
  }
  void add_pending(const std::string& from_ref, const std::string& to_ref, std::vector<std::pair<size_t, size_t>>& into) {
    auto from = refs_.find(from_ref);
    if (from == refs_.end()) return;
    auto to = refs_.find(to_ref);
    if (to == refs_.end()) return;
    into.emplace_back(from->second, to->second);
  }

  const std::string& path_;
  const ReadOptions& options_;
  Inventory& out_;
  LineIndex lines_;
  std::string subject_;
  std::unordered_map<std::string, size_t> refs_;
  bool components_done_ = false;  // the top-level `components` has ended
  bool list_full_ = false;        // max_components reached in the top-level list
  std::vector<std::pair<size_t, size_t>> pending_;
  std::vector<std::pair<std::string, std::vector<std::string>>> early_dependencies_;
};

class SpdxReader {
 public:
  SpdxReader(std::string_view text, const std::string& path, const ReadOptions& options, Inventory& out)
      : path_(path), options_(options), out_(out), lines_(text) {}

  void read(std::string_view text) {
    std::string version, document_name;
    bool json_ld = false;          // an SPDX 3 `@context` or `@graph` member
    bool packages_shape = true;    // `packages` is absent or an array
    internal::JsonStream stream;
    // SPDX 3's `@graph` is streamed only to be skipped unbuilt.
    stream.streamed = {"packages", "relationships", "@graph"};
    stream.kept = {"spdxVersion", "name", "@context"};
    // Every member read_package and read_relationship read, at any depth.
    stream.item_keys = {"name", "SPDXID", "versionInfo", "sourceInfo", "primaryPackagePurpose", "supplier", "externalRefs", "referenceType",
                        "referenceLocator", "relationshipType", "spdxElementId", "relatedSpdxElement"};
    std::map<std::string, size_t, std::less<>> item_index;  // per streamed array
    stream.on_item = [&](std::string_view key, JsonValue& item) {
      if (key != "@graph") {
        size_t index = item_index[std::string(key)]++;
        internal::warn_duplicate_keys(item, "$." + std::string(key) + "[" + std::to_string(index) + "]", path_, lines_,
                                      out_.diagnostics);
      }
      if (key == "packages") {
        if (list_full_) return;
        if (out_.components.size() >= options_.max_components) {
          error(item, "uprank.inventory.too_large", "more than " + std::to_string(options_.max_components) + " packages");
          list_full_ = true;
          return;
        }
        read_package(item);
      } else if (key == "relationships") {
        read_relationship(item);
      } else {
        json_ld = true;
      }
    };
    stream.on_consumed = options_.text_read_before;
    stream.on_array_end = [&](std::string_view key) {
      packages_done_ = packages_done_ || key == "packages";
      json_ld = json_ld || key == "@graph";
    };
    stream.on_member = [&](std::string_view key, JsonValue& value) {
      if (key == "spdxVersion") {
        version = scalar_text(value);
      } else if (key == "name") {
        document_name = scalar_text(value);
      } else if (key == "packages") {
        packages_shape = false;
        error(value, "uprank.inventory.shape", "'packages' must be an array");
      } else if (key == "@context" || key == "@graph") {
        json_ld = true;
      }
      // `relationships` that is not an array adds no edge.
    };
    JsonValue root;
    reserve_components(text, options_, out_.components);
    ids_.reserve(out_.components.capacity());
    if (!stream_document(text, path_, options_, lines_, stream, root, out_)) return;
    if (version.empty() && json_ld) {
      out_ = Inventory{};
      error(root, "uprank.inventory.unsupported_version", "SPDX 3 JSON-LD is not supported; export the SBOM as SPDX 2.3 JSON");
      return;
    }
    if (version != "SPDX-2.2" && version != "SPDX-2.3") {
      out_.diagnostics.insert(out_.diagnostics.begin(),
                              make_diagnostic(Severity::kWarning, "uprank.inventory.unsupported_version",
                                              "spdxVersion '" + version + "' is not 2.2 or 2.3; reading it anyway",
                                              location(root)));
    }
    if (!packages_shape) return;
    if (!document_name.empty()) {
      for (Component& component : out_.components) component.attributes["sbom.subject"] = document_name;
    }
    internal::make_names_unique(out_.components, 0);
    std::vector<Relationship> all;
    for (EarlyRelationship& early : early_) keep(std::move(early.type), early.element, early.related, all);
    all.insert(all.end(), std::make_move_iterator(relationships_.begin()), std::make_move_iterator(relationships_.end()));
    for (const Relationship& relationship : all) add_relationship(relationship);
  }

 private:
  SourceLocation location(const JsonValue& value) const { return lines_.locate(path_, value.offset); }
  void error(const JsonValue& at, std::string code, std::string message) {
    out_.diagnostics.push_back(make_diagnostic(Severity::kError, std::move(code), std::move(message), location(at)));
  }

  void read_package(const JsonValue& item) {
    if (!item.is_object()) {
      error(item, "uprank.inventory.shape", "each package must be an object");
      return;
    }
    std::string package_name = item.string_at("name");
    if (package_name.empty()) {
      error(item, "uprank.inventory.missing_field", "package is missing field 'name'");
      return;
    }
    // Built in place, as CycloneDX components are.
    const size_t index = out_.components.size();
    Component& component = out_.components.emplace_back();
    component.source = "spdx";
    component.kind = "package";
    component.location = location(item);
    component.name = std::move(package_name);
    component.version_text = item.string_at("versionInfo");
    // NOASSERTION (or NONE), as some writers put in versionInfo, states no version: the
    // purl's is used instead.
    if (component.version_text == "NOASSERTION" || component.version_text == "NONE") component.version_text.clear();
    component.pin = pin_of_sbom_version(component.version_text);
    // Trivy records a distro binary package's source as "built package from: NAME VERSION"
    // (its SPDX marshaler's SourcePackagePrefix); distro advisories name source packages.
    static constexpr std::string_view kBuiltFrom = "built package from: ";
    if (std::string source = item.string_at("sourceInfo"); source.rfind(kBuiltFrom, 0) == 0) {
      std::string_view rest = std::string_view(source).substr(kBuiltFrom.size());
      size_t space = rest.find(' ');
      std::string_view name = rest.substr(0, space);
      std::string_view version = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      while (!version.empty() && version.back() == ' ') version.remove_suffix(1);
      if (!name.empty()) {
        component.attributes["source_package"] = std::string(name);
        if (!version.empty() && version.find(' ') == std::string_view::npos) {
          component.attributes["source_version"] = std::string(version);
        }
      }
    }
    std::string id = item.string_at("SPDXID");
    if (!id.empty()) component.attributes["spdx-id"] = id;
    if (std::string supplier = item.string_at("supplier"); !supplier.empty()) component.attributes["supplier"] = supplier;
    std::string purl_type;
    if (const JsonValue* refs = item.get("externalRefs"); refs && refs->is_array()) {
      for (const JsonValue& ref : refs->items) {
        std::string type = ref.string_at("referenceType");
        std::string locator = ref.string_at("referenceLocator");
        if (type == "purl" && component.purl.empty()) {
          purl_type = set_purl(component, locator, out_);
        } else if ((type == "cpe23Type" || type == "cpe22Type") && component.cpe.empty()) {
          component.cpe = locator;
        } else if (type == "advisory") {
          std::string& advisories = component.attributes["advisories"];
          advisories += (advisories.empty() ? "" : " ") + locator;
        }
      }
    }
    read_as_image(component, item.string_at("primaryPackagePurpose") == "CONTAINER" ? "container" : "", purl_type, out_);
    if (!id.empty()) ids_.emplace(std::move(id), index);
  }

  // A relationship between two packages, kept by index until every name is final.
  struct Relationship {
    std::string type;
    size_t element;
    size_t related;
  };
  // Keeps one entry of `relationships` when it joins two packages. Every SPDXID must be
  // known first: one listed before the packages ended waits, as its ids.
  void read_relationship(const JsonValue& relationship) {
    std::string type = relationship.string_at("relationshipType");
    if (type != "DEPENDS_ON" && type != "DEPENDENCY_OF" &&
        !(type.size() > 14 && type.compare(type.size() - 14, 14, "_DEPENDENCY_OF") == 0)) {
      return;  // no edge, whatever it joins
    }
    if (!packages_done_) {
      early_.push_back(EarlyRelationship{std::move(type), relationship.string_at("spdxElementId"),
                                         relationship.string_at("relatedSpdxElement")});
      return;
    }
    keep(std::move(type), relationship.string_at("spdxElementId"), relationship.string_at("relatedSpdxElement"),
         relationships_);
  }
  void keep(std::string type, const std::string& element_id, const std::string& related_id, std::vector<Relationship>& into) {
    auto element = ids_.find(element_id);
    auto related = ids_.find(related_id);
    if (element == ids_.end() || related == ids_.end()) return;
    into.push_back(Relationship{std::move(type), element->second, related->second});
  }
  void add_relationship(const Relationship& relationship) {
    if (relationship.type == "DEPENDS_ON") {
      add_edge(relationship.element, relationship.related);
    } else {
      add_edge(relationship.related, relationship.element);
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
  bool packages_done_ = false;  // the `packages` array has ended
  bool list_full_ = false;      // max_components reached
  struct EarlyRelationship {
    std::string type, element, related;
  };
  std::vector<EarlyRelationship> early_;       // listed before the packages ended
  std::vector<Relationship> relationships_;   // in document order, after early_ is resolved
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
