// YAML-based infrastructure readers: docker compose, Kubernetes manifests, Helm
// Chart.yaml and values.yaml, GitHub Actions workflows.
#include <sys/stat.h>

#include <functional>
#include <set>
#include <unordered_map>

#include <re2/re2.h>

#include "engine/files/files.h"
#include "engine/inventory/compose_env.h"
#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory {
namespace {

using internal::yaml_location;
using internal::yaml_string;
using internal::YamlNode;

// Loads the documents or records the syntax error; returns false on failure. Keys given
// twice in a mapping are warnings: the tools that apply these files refuse them.
bool load(std::string_view text, const std::string& path, const ReadOptions& options, std::vector<YamlNode>& documents,
          Inventory& out) {
  auto loaded = internal::load_yaml(text, path, options.max_depth, 2'000'000, &out.diagnostics);
  if (!loaded.ok()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, loaded.error().code, loaded.error().message,
                                              loaded.error().where));
    return false;
  }
  documents = std::move(loaded.value());
  return true;
}

// Returns map[key], following YAML merge keys ("<<: *base", "<<: [*a, *b]") when the map
// does not set the key itself: aliases are resolved while loading, merges are not. Keys of
// the map win over merged ones, and earlier merged maps over later ones (YAML 1.1 merge).
const YamlNode& merged_value(const YamlNode& map, const std::string& key, int depth = 0) {
  if (!map.is_map() || depth > 16) return YamlNode::absent();
  if (const YamlNode& own = map[key]) return own;
  const YamlNode& merge = map["<<"];
  if (!merge) return YamlNode::absent();
  if (merge.is_map()) return merged_value(merge, key, depth + 1);
  if (merge.is_sequence()) {
    for (const YamlNode& source : merge.items()) {
      if (const YamlNode& found = merged_value(source, key, depth + 1)) return found;
    }
  }
  return YamlNode::absent();
}

// Returns whether a values key names an image the way Renovate's helm-values manager
// reads them: the key ends in "image", any case ("image", "coreImage", "inline_image").
bool names_image(std::string_view key) {
  return key.size() >= 5 && internal::iequals(key.substr(key.size() - 5), "image");
}

// Adds the image written `written` at `where` as a component, or a note when it cannot
// be read. Variables are interpolated as Compose does, from `env` (a compose project's
// `.env`; elsewhere none, so only defaults apply).
void add_image_text(const std::string& written, const SourceLocation& where, const std::string& source, Inventory& out,
                    std::map<std::string, std::string> attributes = {}, const internal::Dotenv& env = {}) {
  bool unresolved = false;
  std::vector<std::string> used;
  std::string reference = internal::compose_interpolate(written, env, unresolved, &used);
  // Where each variable's value is written: the version may live in `.env`, not here.
  std::string from_env;
  for (const std::string& name : used) {
    const internal::DotenvVariable& variable = env.find(name)->second;
    from_env += (from_env.empty() ? "" : ", ") + name + "=" + variable.value + " (.env:" + std::to_string(variable.line) + ")";
  }
  if (!from_env.empty()) attributes["compose.env"] = from_env;
  if (unresolved || internal::is_templated(reference)) {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                              "image '" + written + "' depends on a variable without a default; skipped", where));
    return;
  }
  auto image = internal::parse_image_reference(reference);
  if (!image) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_image",
                                              "not an image reference: '" + written + "'", where));
    return;
  }
  Component component = internal::image_component(*image, source, where);
  for (auto& [key, value] : attributes) component.attributes[key] = value;
  if (reference != written) component.attributes["written"] = written;
  out.components.push_back(std::move(component));
}

// Adds the image in `node` (a scalar) as a component, or a note when it cannot be read.
void add_image(const YamlNode& node, const std::string& path, const std::string& source, Inventory& out,
               const std::map<std::string, std::string>& attributes = {}, const internal::Dotenv& env = {}) {
  if (!node || !node.is_scalar()) return;
  add_image_text(node.scalar(), yaml_location(path, node.mark()), source, out, attributes, env);
}

void read_pod_spec(const YamlNode& spec, const std::string& path, const std::string& workload,
                   const std::string& namespace_, Inventory& out) {
  if (!spec || !spec.is_map()) return;
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    const YamlNode& containers = spec[list];
    if (!containers || !containers.is_sequence()) continue;
    for (const YamlNode& container : containers.items()) {
      if (!container.is_map()) continue;
      std::map<std::string, std::string> attributes{{"workload", workload}, {"container", yaml_string(container, "name")}};
      if (std::string(list) != "containers") attributes["container.list"] = list;
      if (!namespace_.empty()) attributes["namespace"] = namespace_;
      add_image(container["image"], path, "kubernetes", out, attributes);
    }
  }
  // Image volumes (Kubernetes 1.31+): an OCI image mounted read-only, pulled like a container's.
  if (const YamlNode& volumes = spec["volumes"]; volumes && volumes.is_sequence()) {
    for (const YamlNode& volume : volumes.items()) {
      if (!volume.is_map() || !volume["image"] || !volume["image"].is_map()) continue;
      std::map<std::string, std::string> attributes{{"workload", workload}, {"volume", yaml_string(volume, "name")}};
      if (!namespace_.empty()) attributes["namespace"] = namespace_;
      add_image(volume["image"]["reference"], path, "kubernetes", out, attributes);
    }
  }
}

// Reads every `image:` string anywhere in a resource whose schema uprank does not know
// (custom resources: operators' CRs, Argo Rollouts, Tekton tasks), as Renovate's
// kubernetes manager does; `metadata` and `status` are not the resource's desired state.
void read_any_images(const YamlNode& node, const std::string& path, const std::map<std::string, std::string>& context,
                     const std::string& field, int depth, Inventory& out) {
  if (depth > 64) return;
  if (node.is_sequence()) {
    size_t index = 0;
    for (const YamlNode& item : node.items()) read_any_images(item, path, context, field + "[" + std::to_string(index++) + "]", depth + 1, out);
    return;
  }
  if (!node.is_map()) return;
  for (const auto& entry : node.entries()) {
    if (!entry.key.is_scalar()) continue;
    const std::string& key = entry.key.scalar();
    if (depth == 0 && (key == "metadata" || key == "status" || key == "apiVersion" || key == "kind")) continue;
    std::string child = field.empty() ? key : field + "." + key;
    if (key == "image" && entry.value.is_scalar()) {
      std::map<std::string, std::string> attributes = context;
      attributes["field"] = child;
      add_image(entry.value, path, "kubernetes", out, attributes);
    } else {
      read_any_images(entry.value, path, context, child, depth + 1, out);
    }
  }
}

// Adds the resource's API (apiVersion + kind) as a component of kind "kubernetes-api",
// located at the `apiVersion:` key: the line to change when the API is removed. The API
// version ("apps/v1") is kept as written; it names an interface, so no scheme orders it
// and the component has no running version (rules see c.version undefined).
void add_api(const YamlNode& document, const std::string& path, const std::string& kind, const std::string& workload,
             const std::string& namespace_, Inventory& out) {
  for (const auto& entry : document.entries()) {
    if (!entry.key.is_scalar() || entry.key.scalar() != "apiVersion") continue;
    if (!entry.value.is_scalar() || entry.value.scalar().empty() || kind.empty()) return;
    const std::string& api_version = entry.value.scalar();
    Component component;
    component.kind = "kubernetes-api";
    component.source = "kubernetes";
    component.name = api_version + " " + kind;
    component.identity.label = component.name;
    component.version_text = api_version;
    component.location = yaml_location(path, entry.key.mark());
    component.attributes["kubernetes.api_version"] = api_version;
    component.attributes["kubernetes.kind"] = kind;
    component.attributes["workload"] = workload;
    if (!namespace_.empty()) component.attributes["namespace"] = namespace_;
    out.components.push_back(std::move(component));
    return;
  }
}

void read_values_node(const YamlNode& node, const std::string& path, const std::string& key_path, int depth,
                      const std::string& source, Inventory& out);

// Adds a Helm chart a GitOps tool installs (a kustomize helmCharts entry, a Flux
// HelmRelease, an Argo CD Application source) as a component of kind helm-chart, located
// at its version; a chart without a version follows the repository's latest.
void add_chart(const YamlNode& name, const YamlNode& version, const std::string& repository, const YamlNode& fallback,
               const std::string& path, const std::string& source, const std::map<std::string, std::string>& attributes,
               Inventory& out) {
  if (!name || !name.is_scalar() || name.scalar().empty()) return;
  Component component;
  component.kind = "helm-chart";
  component.source = source;
  component.name = name.scalar();
  const bool pinned = version && version.is_scalar() && !version.scalar().empty();
  component.version_text = pinned ? version.scalar() : "";
  component.location = yaml_location(path, (pinned ? version : fallback ? fallback : name).mark());
  if (!repository.empty()) component.attributes["repository"] = repository;
  if (!pinned) component.attributes["floating"] = "no chart version (the repository's latest)";
  for (const auto& [key, value] : attributes) component.attributes[key] = value;
  if (pinned && internal::is_templated(component.version_text)) {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                              "chart '" + component.name + "' version '" + component.version_text +
                                                  "' is an expression; skipped",
                                              component.location));
    return;
  }
  out.components.push_back(std::move(component));
}

// Reads a kustomization (kustomization.yaml, kind Kustomization or Component) the way
// kustomize applies it and Renovate's kustomize manager extracts it: each `images:`
// entry replaces the image `name` with `newName` (which may carry its own tag), its tag
// with `newTag` (which may be "tag@digest") or with `digest`; each `helmCharts:` entry
// is a chart (`name`, `repo`, `version`) whose `valuesInline` are Helm values.
void read_kustomization(const YamlNode& document, const std::string& path, Inventory& out) {
  if (const YamlNode& images = document["images"]; images && images.is_sequence()) {
    for (const YamlNode& entry : images.items()) {
      if (!entry.is_map()) continue;
      const YamlNode& name = entry["name"];
      const YamlNode& new_name = entry["newName"];
      const YamlNode& new_tag = entry["newTag"];
      const YamlNode& digest = entry["digest"];
      const YamlNode& image = new_name && new_name.is_scalar() ? new_name : name;
      if (!image || !image.is_scalar() || image.scalar().empty()) continue;
      std::map<std::string, std::string> attributes{{"kustomize.name", yaml_string(entry, "name")}};
      std::string reference = image.scalar();
      const YamlNode* at = &image;
      if (new_tag && new_tag.is_scalar() && !new_tag.scalar().empty()) {
        reference += ":" + new_tag.scalar();
        at = &new_tag;
      }
      if (digest && digest.is_scalar() && !digest.scalar().empty()) {
        if (at != &image) {  // kustomize ignores newTag when a digest is given
          out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.kustomize.tag_and_digest",
                                                    "image '" + image.scalar() +
                                                        "' gives both newTag and digest; kustomize uses the digest",
                                                    yaml_location(path, digest.mark())));
          reference = image.scalar();
        }
        reference += "@" + digest.scalar();
        at = &digest;
      }
      // `name` alone pins nothing, and `newName` without a tag only renames: the tag stays
      // the base manifest's. newName may carry its own tag ("custom/name:v1").
      if (at == &image) {
        auto renamed = internal::parse_image_reference(reference);
        if (!(new_name && new_name.is_scalar()) || !renamed || (renamed->tag.empty() && renamed->digest.empty())) continue;
      }
      add_image_text(reference, yaml_location(path, at->mark()), "kustomize", out, attributes);
    }
  }
  if (const YamlNode& charts = document["helmCharts"]; charts && charts.is_sequence()) {
    for (const YamlNode& chart : charts.items()) {
      if (!chart.is_map()) continue;
      add_chart(chart["name"], chart["version"], yaml_string(chart, "repo"), chart, path, "kustomize", {}, out);
      if (const YamlNode& values = chart["valuesInline"]; values && values.is_map()) {
        read_values_node(values, path, "helmCharts." + yaml_string(chart, "name") + ".valuesInline", 0, "kustomize", out);
      }
    }
  }
}

// Reads a Flux HelmRelease: the chart of spec.chart.spec (`chart`, `version`, the
// `sourceRef` it comes from, its URL when a HelmRepository of the same file names it),
// and the images of spec.values as Helm values, as Renovate's flux manager does.
void read_flux_helm_release(const YamlNode& document, const std::vector<YamlNode>& file, const std::string& path,
                            const std::string& workload, Inventory& out) {
  const YamlNode& spec = document["spec"];
  if (!spec.is_map()) return;
  const YamlNode& chart = spec["chart"];
  if (chart.is_map() && chart["spec"].is_map()) {
    const YamlNode& chart_spec = chart["spec"];
    std::string repository;
    const YamlNode& source = chart_spec["sourceRef"];
    if (source.is_map()) {
      std::string kind = yaml_string(source, "kind"), name = yaml_string(source, "name");
      repository = kind + "/" + name;
      for (const YamlNode& other : file) {
        if (!other.is_map() || yaml_string(other, "kind") != kind || !other["metadata"].is_map() ||
            yaml_string(other["metadata"], "name") != name || !other["spec"].is_map()) {
          continue;
        }
        if (std::string url = yaml_string(other["spec"], "url"); !url.empty()) repository = url;
      }
    }
    add_chart(chart_spec["chart"], chart_spec["version"], repository, chart_spec, path, "flux", {{"workload", workload}}, out);
  }
  if (const YamlNode& values = spec["values"]; values && values.is_map()) {
    read_values_node(values, path, "spec.values", 0, "flux", out);
  }
}

// Reads the Helm values an Argo CD source writes inline: `helm.valuesObject` (a mapping)
// and `helm.values` (YAML in a string). A literal block string ("values: |") is parsed
// on its own, its lines mapped back to the file's; a string written otherwise cannot be
// located and is a note.
void read_argo_values(const YamlNode& helm, std::string_view text, const std::string& path, const std::string& key_path,
                      const ReadOptions& options, Inventory& out) {
  if (const YamlNode& object = helm["valuesObject"]; object && object.is_map()) {
    read_values_node(object, path, key_path + ".valuesObject", 0, "argocd", out);
  }
  const YamlNode& values = helm["values"];
  if (!values || !values.is_scalar() || values.scalar().empty()) return;
  std::vector<std::string_view> lines = internal::split_lines(text);
  const size_t indicator = static_cast<size_t>(values.mark().line);  // the "|" line
  const bool literal = indicator < lines.size() && static_cast<size_t>(values.mark().column) < lines[indicator].size() &&
                       lines[indicator][static_cast<size_t>(values.mark().column)] == '|';
  if (!literal) {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.argocd.values_string",
                                              "helm.values is not a literal block (values: |); its images are not read",
                                              yaml_location(path, values.mark())));
    return;
  }
  auto loaded = internal::load_yaml(values.scalar(), path, options.max_depth);
  if (!loaded.ok()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, loaded.error().code,
                                              "helm.values: " + loaded.error().message, yaml_location(path, values.mark())));
    return;
  }
  // A literal block's content starts on the next line, at the indentation of its first
  // non-empty line, and keeps its lines: value line L, column C is file line
  // indicator + 1 + L, column indent + C.
  size_t first = indicator + 1;
  while (first < lines.size() && internal::trim(lines[first]).empty()) ++first;
  size_t indent = first < lines.size() ? lines[first].find_first_not_of(' ') : 0;
  Inventory embedded;
  for (const YamlNode& document : loaded.value()) read_values_node(document, path, key_path + ".values", 0, "argocd", embedded);
  auto shift = [&](SourceLocation& where) {
    if (where.file != path || where.line < 1) return;
    where.line += static_cast<int>(indicator) + 1;
    where.column += static_cast<int>(indent);
  };
  for (Component& component : embedded.components) shift(component.location);
  for (Diagnostic& diagnostic : embedded.diagnostics) shift(diagnostic.range.begin);
  merge_inventory(out, std::move(embedded));
}

// Reads an Argo CD Application (spec) or ApplicationSet (spec.template.spec): each of
// spec.source and spec.sources[] that installs a Helm chart (`chart`, `targetRevision`,
// `repoURL`) with its inline values, and `kustomize.images` overrides
// ("name=image:tag" or "image:tag"), as Renovate's argocd manager reads them. A source
// without `chart` is a Git repository at a revision: no product release, not read.
void read_argo_application(const YamlNode& document, std::string_view text, const std::string& path,
                           const std::string& kind, const std::string& workload, const ReadOptions& options,
                           Inventory& out) {
  const YamlNode* spec = &document["spec"];
  if (kind == "ApplicationSet") {
    const YamlNode& application = (*spec)["template"];
    spec = application.is_map() ? &application["spec"] : &YamlNode::absent();
  }
  if (!spec->is_map()) return;
  std::vector<std::pair<const YamlNode*, std::string>> sources;
  if (const YamlNode& one = (*spec)["source"]; one.is_map()) sources.emplace_back(&one, "spec.source");
  if (const YamlNode& many = (*spec)["sources"]; many.is_sequence()) {
    size_t index = 0;
    for (const YamlNode& item : many.items()) {
      if (item.is_map()) sources.emplace_back(&item, "spec.sources[" + std::to_string(index) + "]");
      ++index;
    }
  }
  for (const auto& [source, key_path] : sources) {
    add_chart((*source)["chart"], (*source)["targetRevision"], yaml_string(*source, "repoURL"), *source, path, "argocd",
              {{"workload", workload}}, out);
    if (const YamlNode& helm = (*source)["helm"]; helm.is_map()) {
      read_argo_values(helm, text, path, key_path + ".helm", options, out);
    }
    const YamlNode& kustomize = (*source)["kustomize"];
    const YamlNode& images = kustomize.is_map() ? kustomize["images"] : YamlNode::absent();
    if (!images.is_sequence()) continue;
    for (const YamlNode& image : images.items()) {
      if (!image.is_scalar()) continue;
      std::string written = image.scalar();
      SourceLocation where = yaml_location(path, image.mark());
      // "name=image:tag": the part after '=' is the image that runs.
      if (size_t equals = written.find('='); equals != std::string::npos) {
        std::vector<std::string_view> lines = internal::split_lines(text);
        const size_t line = static_cast<size_t>(image.mark().line), column = static_cast<size_t>(image.mark().column);
        const bool quoted = line < lines.size() && column < lines[line].size() &&
                            (lines[line][column] == '"' || lines[line][column] == '\'');
        where.column += static_cast<int>(equals) + 1 + (quoted ? 1 : 0);
        written = written.substr(equals + 1);
      }
      add_image_text(written, where, "argocd", out, {{"workload", workload}});
    }
  }
}

// The file a manifest is read from: its text and every document in it (a HelmRelease's
// HelmRepository may sit beside it).
struct ManifestFile {
  std::string_view text;
  const std::vector<YamlNode>& documents;
  const std::string& path;
  const ReadOptions& options;
};

void read_manifest(const YamlNode& document, const ManifestFile& file, Inventory& out, int depth) {
  const std::string& path = file.path;
  if (!document.is_map() || depth > 8) return;
  std::string kind = yaml_string(document, "kind");
  if (kind == "List") {
    const YamlNode& items = document["items"];
    if (items && items.is_sequence()) {
      for (const YamlNode& item : items.items()) read_manifest(item, file, out, depth + 1);
    }
    return;
  }
  const std::string api_group = yaml_string(document, "apiVersion");
  auto in_group = [&](std::string_view group) { return api_group.rfind(group, 0) == 0; };
  const YamlNode& metadata = document["metadata"];
  std::string name = metadata && metadata.is_map() ? yaml_string(metadata, "name") : "";
  std::string namespace_ = metadata && metadata.is_map() ? yaml_string(metadata, "namespace") : "";
  std::string workload = kind + "/" + name;
  add_api(document, path, kind, workload, namespace_, out);
  // GitOps resources whose schema pins charts and Helm values, not only `image:` strings.
  if ((kind == "Kustomization" || kind == "Component") && in_group("kustomize.config.k8s.io/")) {
    return read_kustomization(document, path, out);
  }
  if (kind == "HelmRelease" && in_group("helm.toolkit.fluxcd.io/")) {
    return read_flux_helm_release(document, file.documents, path, workload, out);
  }
  if ((kind == "Application" || kind == "ApplicationSet") && in_group("argoproj.io/")) {
    return read_argo_application(document, file.text, path, kind, workload, file.options, out);
  }
  static const std::set<std::string> kCoreWorkloads = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                                      "ReplicationController", "Job", "CronJob", "PodTemplate"};
  // ConfigMaps and Secrets carry data, not desired state: an "image:" there is text.
  if (kind == "ConfigMap" || kind == "Secret") return;
  if (!kCoreWorkloads.count(kind)) {
    std::map<std::string, std::string> context{{"workload", workload}};
    if (!namespace_.empty()) context["namespace"] = namespace_;
    read_any_images(document, path, context, "", 0, out);
    return;
  }
  const YamlNode& spec = kind == "PodTemplate" ? document["template"] : document["spec"];
  if (!spec || !spec.is_map()) return;
  if (kind == "PodTemplate") {
    read_pod_spec(spec["spec"], path, workload, namespace_, out);
  } else if (kind == "Pod") {
    read_pod_spec(spec, path, workload, namespace_, out);
  } else if (kind == "CronJob") {
    const YamlNode& job = spec["jobTemplate"];
    if (job && job.is_map() && job["spec"] && job["spec"].is_map() && job["spec"]["template"] &&
        job["spec"]["template"].is_map()) {
      read_pod_spec(job["spec"]["template"]["spec"], path, workload, namespace_, out);
    }
  } else if (spec["template"] && spec["template"].is_map()) {
    // Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, ...
    read_pod_spec(spec["template"]["spec"], path, workload, namespace_, out);
  }
}

// Reads the images of Helm values (a values file, or the values a HelmRelease, an Argo CD
// Application or a kustomize helmCharts entry gives its chart) the way Renovate's
// helm-values manager does. `source` names the reader ("helm-values", "flux", ...).
void read_values_node(const YamlNode& node, const std::string& path, const std::string& key_path, int depth,
                      const std::string& source, Inventory& out) {
  if (depth > 64) return;
  if (node.is_sequence()) {
    size_t index = 0;
    for (const YamlNode& item : node.items()) {
      read_values_node(item, path, key_path + "[" + std::to_string(index++) + "]", depth + 1, source, out);
    }
    return;
  }
  if (!node.is_map()) return;
  std::string_view parent_key = key_path;
  if (size_t dot = parent_key.rfind('.'); dot != std::string_view::npos) parent_key.remove_prefix(dot + 1);
  const YamlNode& repository = node["repository"];
  // Renovate's heuristic: repository plus tag (or version, under a key naming an image).
  const YamlNode& tag = node["tag"] ? node["tag"] : names_image(parent_key) ? node["version"] : YamlNode::absent();
  bool looks_like_image = repository && repository.is_scalar() && (tag || node["digest"] || names_image(parent_key));
  if (looks_like_image && !repository.scalar().empty()) {
    std::string registry = yaml_string(node, "registry");
    std::string reference = (registry.empty() ? "" : registry + "/") + repository.scalar();
    std::string tag_text = tag && tag.is_scalar() ? tag.scalar() : "";
    std::string digest = yaml_string(node, "digest");
    SourceLocation where = yaml_location(path, (!tag_text.empty() ? tag : repository).mark());
    if (internal::is_templated(reference) || internal::is_templated(tag_text)) {
      out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                                "templated image at '" + key_path + "' skipped", where));
      return;
    }
    auto image = internal::parse_image_reference(reference);
    if (!image) {
      out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_image",
                                                "not an image repository: '" + reference + "'", where));
      return;
    }
    // "tag: 1.2.3@sha256:…" carries both the version and the digest that pins it.
    if (size_t at = tag_text.find('@'); at != std::string::npos) {
      if (digest.empty()) digest = tag_text.substr(at + 1);
      tag_text.resize(at);
    }
    if (!tag_text.empty()) image->tag = tag_text;
    if (!digest.empty()) image->digest = digest;
    Component component = internal::image_component(*image, source, where);
    component.attributes["values.key"] = key_path;
    if (tag_text.empty() && digest.empty()) {
      component.attributes.erase("floating");
      component.attributes["floating"] = "tag unset (chart appVersion)";
    }
    out.components.push_back(std::move(component));
    return;
  }
  // An override file (values-prod.yaml, an environment's values) often sets only the tag
  // and inherits the repository from the chart's values.yaml: a partial pin, completed
  // by the directory walk from the chart's values (complete_tag_only_images) or dropped
  // there with a note.
  const YamlNode& lone_tag = node["tag"];
  if (names_image(parent_key) && !repository && lone_tag && lone_tag.is_scalar() && !lone_tag.scalar().empty() &&
      !internal::is_templated(lone_tag.scalar())) {
    Component partial;
    partial.kind = "container-image";
    partial.source = source;
    partial.version_text = lone_tag.scalar();
    partial.location = yaml_location(path, lone_tag.mark());
    partial.attributes["values.key"] = key_path;
    partial.attributes[std::string(internal::kTagOnlyAttribute)] = "true";
    out.components.push_back(std::move(partial));
    return;
  }
  for (const auto& entry : node.entries()) {
    std::string key = entry.key.is_scalar() ? entry.key.scalar() : "?";
    std::string child_path = key_path.empty() ? key : key_path + "." + key;
    // "image: nginx:1.25", "someImage: repo/name:tag": an image reference as one string.
    if (names_image(key) && entry.value.is_scalar()) {
      std::string text = entry.value.scalar();
      if (text.find(':') != std::string::npos || text.find('/') != std::string::npos) {
        add_image(entry.value, path, source, out, {{"values.key", child_path}});
      }
      continue;
    }
    read_values_node(entry.value, path, child_path, depth + 1, source, out);
  }
}

// "owner/repo@ref" with the ref's trailing "# v1.2.3" comment, when the ref is a SHA.
void add_action(const YamlNode& uses, std::string_view text, const std::string& path, const std::string& job,
                Inventory& out) {
  if (!uses || !uses.is_scalar()) return;
  std::string value = uses.scalar();
  SourceLocation where = yaml_location(path, uses.mark());
  if (value.rfind("./", 0) == 0 || value.rfind(".\\", 0) == 0) return;  // local action: the repository itself
  if (value.rfind("docker://", 0) == 0) {
    auto image = internal::parse_image_reference(std::string_view(value).substr(9));
    if (!image) {
      out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_image",
                                                "not an image reference: '" + value + "'", where));
      return;
    }
    Component component = internal::image_component(*image, "github-actions", where);
    component.attributes["job"] = job;
    out.components.push_back(std::move(component));
    return;
  }
  size_t at = value.rfind('@');
  if (at == std::string::npos || at == 0) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.actions.unpinned",
                                              "'uses: " + value + "' has no @ref", where));
    return;
  }
  Component component;
  component.kind = "github-action";
  component.source = "github-actions";
  component.name = value.substr(0, at);
  std::string ref = value.substr(at + 1);
  component.version_text = ref;
  component.attributes["ref"] = ref;
  component.attributes["job"] = job;
  component.location = where;
  bool is_hex = !ref.empty() && ref.find_first_not_of("0123456789abcdef") == std::string::npos;
  bool full_sha = is_hex && (ref.size() == 40 || ref.size() == 64);  // SHA-1 or SHA-256 commits
  bool short_sha = is_hex && (ref.size() == 6 || ref.size() == 7);
  if (full_sha || short_sha) {
    component.attributes["pinned"] = full_sha ? "sha" : "short-sha";
    // The version a SHA stands for is in the comment after it, written the ways Renovate
    // and ratchet read ("# v4.1.1", "# tag=v3.1.1", "# renovate: tag=v2", "# pin @v1",
    // "# v4.2.0 (latest)", "# ratchet:owner/repo@v1", "# prefix-1.2.3").
    static const RE2 kVersionComment(
        R"re(^['"]?\s+#\s*(?:(?:renovate\s*:\s*)?(?:pin\s+|tag\s*=\s*)?|ratchet:[\w-]+/[\w.-]+)@?((?:[\w-]*[-/])?v?\d+(?:\.\d+(?:\.\d+)?)?))re");
    std::vector<std::string_view> lines = internal::split_lines(text);
    if (where.line >= 1 && static_cast<size_t>(where.line) <= lines.size()) {
      std::string_view line = lines[static_cast<size_t>(where.line - 1)];
      size_t start = line.find(ref, where.column > 0 ? static_cast<size_t>(where.column - 1) : 0);
      std::string tag;
      if (start != std::string_view::npos) {
        std::string_view rest = line.substr(start + ref.size());
        if (RE2::PartialMatch(re2::StringPiece(rest.data(), rest.size()), kVersionComment, &tag)) {
          component.version_text = tag;
          component.attributes["version.from"] = "comment";
        }
      }
    }
  }
  std::string_view repository = component.name;
  size_t first = repository.find('/');
  if (first != std::string_view::npos) {
    size_t second = repository.find('/', first + 1);
    PackageUrl purl;
    purl.type = "github";
    purl.namespace_ = internal::to_lower(repository.substr(0, first));
    purl.name = internal::to_lower(repository.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1));
    purl.version = ref;
    if (second != std::string_view::npos) purl.subpath = std::string(repository.substr(second + 1));
    component.purl = purl.to_string();
  }
  out.components.push_back(std::move(component));
}

// Setup actions whose input names the runtime version a job uses; the product map
// decides what each tool is (tools: in data/products.yaml).
struct SetupAction {
  std::string_view action;  // "owner/repo" before the @ref
  std::string_view input;   // the `with:` input holding the version
  std::string_view tool;    // the tool name the product map knows
};
constexpr SetupAction kSetupActions[] = {
    {"actions/setup-node", "node-version", "node"},         {"actions/setup-python", "python-version", "python"},
    {"actions/setup-go", "go-version", "go"},               {"actions/setup-java", "java-version", "java"},
    {"actions/setup-dotnet", "dotnet-version", "dotnet"},   {"ruby/setup-ruby", "ruby-version", "ruby"},
    {"hashicorp/setup-terraform", "terraform_version", "terraform"},
};

// The values a job's `strategy.matrix` gives each of its keys, for the expressions
// `${{ matrix.KEY }}` that runs-on, container, services and setup inputs write: the
// items of the key's list and the key's value in each `include:` entry (an include adds
// a combination, or extends one, with that value). `exclude:` only removes
// combinations, so a value it excludes is still read when another combination keeps it;
// reading it anyway can only over-report. A key given by an expression
// (`${{ fromJSON(...) }}`) has no values uprank can know.
struct Matrix {
  std::map<std::string, std::vector<const YamlNode*>> values;
  std::set<std::string> dynamic;  // keys written as expressions
  bool whole_dynamic = false;     // the matrix itself is an expression
};

Matrix read_matrix(const YamlNode& job) {
  Matrix matrix;
  const YamlNode& strategy = job["strategy"];
  if (!strategy.is_map()) return matrix;
  const YamlNode& node = strategy["matrix"];
  if (node.is_scalar()) matrix.whole_dynamic = true;
  if (!node.is_map()) return matrix;
  for (const auto& entry : node.entries()) {
    if (!entry.key.is_scalar()) continue;
    const std::string& key = entry.key.scalar();
    if (key == "exclude") continue;
    if (key == "include") {
      if (!entry.value.is_sequence()) continue;
      for (const YamlNode& combination : entry.value.items()) {
        if (!combination.is_map()) continue;
        for (const auto& field : combination.entries()) {
          if (field.key.is_scalar()) matrix.values[field.key.scalar()].push_back(&field.value);
        }
      }
      continue;
    }
    if (entry.value.is_sequence()) {
      for (const YamlNode& item : entry.value.items()) matrix.values[key].push_back(&item);
    } else {
      matrix.dynamic.insert(key);
    }
  }
  return matrix;
}

// One value a workflow field takes: its text and where it is written (for a matrix
// value, the matrix item's line: the line to change).
struct FieldValue {
  std::string text;
  SourceLocation where;
  std::string matrix;  // "os=ubuntu-20.04" when it came from the matrix, else ""
};

// Expands the `${{ matrix.KEY }}` (or `${{ matrix.KEY.FIELD }}` into a matrix item that
// is a mapping) in a scalar into one value per matrix value. Returns nullopt with
// `why` set when the text holds an expression that is not one matrix reference, or
// names a matrix key with no literal values.
std::optional<std::vector<FieldValue>> expand_matrix(const YamlNode& node, const std::string& path, const Matrix& matrix,
                                                     std::string& why) {
  const std::string& text = node.scalar();
  SourceLocation where = yaml_location(path, node.mark());
  size_t open = text.find("${{");
  if (open == std::string::npos) return std::vector<FieldValue>{{text, where, ""}};
  size_t close = text.find("}}", open);
  if (close == std::string::npos || text.find("${{", close) != std::string::npos) {
    why = "holds more than one expression";
    return std::nullopt;
  }
  static const RE2 kMatrixReference(R"(\s*matrix\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?\s*)");
  std::string key, field;
  std::string_view inner(text.data() + open + 3, close - open - 3);
  if (!RE2::FullMatch(re2::StringPiece(inner.data(), inner.size()), kMatrixReference, &key, &field)) {
    why = "is an expression other than a matrix value";
    return std::nullopt;
  }
  auto values = matrix.values.find(key);
  if (matrix.whole_dynamic || matrix.dynamic.count(key) || values == matrix.values.end()) {
    why = matrix.whole_dynamic || matrix.dynamic.count(key) ? "reads a matrix given by an expression"
                                                            : "names matrix key '" + key + "', which the job's matrix does not list";
    return std::nullopt;
  }
  std::vector<FieldValue> out;
  std::set<std::string> seen;
  for (const YamlNode* value : values->second) {
    const YamlNode& item = field.empty() ? *value : (*value)[field];
    if (!item.is_scalar() || internal::is_templated(item.scalar())) continue;
    std::string expanded = text.substr(0, open) + item.scalar() + text.substr(close + 2);
    if (!seen.insert(expanded).second) continue;  // an include repeating a listed value
    out.push_back({expanded, yaml_location(path, item.mark()), key + (field.empty() ? "" : "." + field) + "=" + item.scalar()});
  }
  if (out.empty()) {
    why = "names matrix key '" + key + "' with no literal values";
    return std::nullopt;
  }
  return out;
}

// Returns the values of a workflow scalar with the job's matrix expanded, or none after
// a note saying why an expression was not read (never a silent drop).
std::vector<FieldValue> field_values(const YamlNode& node, const std::string& path, const Matrix& matrix,
                                     const std::string& what, Inventory& out) {
  if (!node || !node.is_scalar()) return {};
  std::string why;
  auto values = expand_matrix(node, path, matrix, why);
  if (values) return *values;
  out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                            what + " '" + node.scalar() + "' " + why + "; skipped",
                                            yaml_location(path, node.mark())));
  return {};
}

// Adds the image of a job's container or a service (a scalar), matrix values expanded.
void add_job_image(const YamlNode& node, const std::string& path, const Matrix& matrix,
                   std::map<std::string, std::string> attributes, Inventory& out) {
  for (const FieldValue& value : field_values(node, path, matrix, "image", out)) {
    if (!value.matrix.empty()) attributes["matrix"] = value.matrix;
    add_image_text(value.text, value.where, "github-actions", out, attributes);
  }
}

// Adds the runtime versions a setup action's `with:` inputs pin ("node-version: 16",
// "python-version: '3.8'", "java-version: 17" with "distribution: temurin"), one per
// matrix value when the input reads the matrix.
void add_setup_inputs(const YamlNode& step, const std::string& path, const std::string& job, const Matrix& matrix,
                      Inventory& out) {
  const YamlNode& uses = step["uses"];
  const YamlNode& with = step["with"];
  if (!uses || !uses.is_scalar() || !with || !with.is_map()) return;
  std::string_view action = uses.scalar();
  action = action.substr(0, action.find('@'));
  for (const SetupAction& setup : kSetupActions) {
    if (action != setup.action) continue;
    const YamlNode& input = with[std::string(setup.input)];
    if (!input || !input.is_scalar()) return;
    std::string distribution = yaml_string(with, "distribution");
    for (const FieldValue& value : field_values(input, path, matrix, std::string(setup.input), out)) {
      // A multi-line input lists several versions (setup-python, setup-dotnet).
      for (std::string_view line : internal::split_lines(value.text)) {
        std::string version(internal::trim(line));
        if (version.empty()) continue;
        if (internal::is_templated(version)) {
          out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                                    std::string(setup.input) + " '" + version + "' is an expression; skipped",
                                                    value.where));
          continue;
        }
        Component component;
        component.kind = "tool";
        component.source = "github-actions";
        component.name = std::string(setup.tool);
        component.pin = pin_of_tool_version(version);
        component.version_text = version;
        component.location = value.where;
        component.attributes["job"] = job;
        component.attributes["action"] = std::string(action);
        component.attributes["input"] = std::string(setup.input);
        if (!value.matrix.empty()) component.attributes["matrix"] = value.matrix;
        if (!distribution.empty()) component.attributes["flavour"] = distribution;  // temurin, zulu, corretto, ...
        out.components.push_back(std::move(component));
      }
    }
    return;
  }
}

// The labels of GitHub-hosted runner images: "ubuntu-22.04", "windows-2019",
// "macos-14-arm64", "ubuntu-24.04-arm", and their "-latest" forms.
const RE2& hosted_runner_label() {
  static const RE2 kHostedRunner(R"((ubuntu|windows|macos)-(latest|\d+(?:\.\d+)?)(-[a-z0-9]+)*)");
  return kHostedRunner;
}

// Adds the hosted runner image one `runs-on` label pins.
void add_runner_label(const FieldValue& label, const std::string& job, Inventory& out) {
  std::string family, version;
  if (!RE2::FullMatch(label.text, hosted_runner_label(), &family, &version)) return;
  if (version == "latest") {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.actions.floating_runner",
                                              "runner '" + label.text + "' follows GitHub's latest image; not a pin",
                                              label.where));
    return;
  }
  Component component;
  component.kind = "github-runner";
  component.source = "github-actions";
  component.name = family;
  component.version_text = version;
  component.location = label.where;
  component.attributes["runner"] = label.text;
  component.attributes["job"] = job;
  if (!label.matrix.empty()) component.attributes["matrix"] = label.matrix;
  out.components.push_back(std::move(component));
}

// Adds the hosted runner images a job's `runs-on` pins. GitHub picks a runner that has
// every label listed: a GitHub-hosted runner answers to its one image label, so a list
// of several labels ([self-hosted, ubuntu-18.04]) or a `group:` names the owner's own
// runners (or a larger-runner group), whose image uprank cannot know: a note, not a pin.
// "-latest" labels float (a note), and self-hosted labels name no image.
void add_runners(const YamlNode& runs_on, const std::string& path, const std::string& job, const Matrix& matrix,
                 Inventory& out) {
  if (!runs_on) return;
  const YamlNode* labels = &runs_on;
  bool group = false;
  if (runs_on.is_map()) {
    group = static_cast<bool>(runs_on["group"]);
    labels = &runs_on["labels"];
  }
  std::vector<const YamlNode*> list;
  if (labels->is_sequence()) {
    for (const YamlNode& label : labels->items()) list.push_back(&label);
  } else if (labels->is_scalar()) {
    list.push_back(labels);
  }
  if (list.empty()) return;
  if (list.size() == 1 && !group) {
    for (const FieldValue& label : field_values(*list.front(), path, matrix, "runs-on", out)) add_runner_label(label, job, out);
    return;
  }
  // A set of labels: say so when one of them reads like a hosted image label.
  std::string written;
  bool hosted_like = false;
  for (const YamlNode* label : list) {
    if (!label->is_scalar()) continue;
    written += (written.empty() ? "" : ", ") + label->scalar();
    hosted_like |= RE2::FullMatch(label->scalar(), hosted_runner_label()) || internal::is_templated(label->scalar());
  }
  if (!hosted_like) return;
  out.diagnostics.push_back(make_diagnostic(
      Severity::kNote, "uprank.actions.self_hosted_runner",
      "runs-on " + std::string(group ? "a runner group with labels [" : "[") + written +
          "] selects the owner's own runners (every label must match), not a GitHub-hosted image; not judged",
      yaml_location(path, runs_on.mark())));
}

}  // namespace

// Returns the variables of the `.env` file beside the compose file `path`, which Compose
// reads from the project directory (the first compose file's folder) to interpolate the
// file; none when there is no such regular file. One that cannot be read is a warning.
internal::Dotenv project_dotenv(const std::string& path, Inventory& out) {
  size_t slash = path.rfind('/');
  std::string env_path = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + ".env";
  struct stat status{};
  if (::stat(env_path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return {};
  auto text = files::read_regular_file(env_path, size_t{1} << 20);
  if (!text) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.compose.env_unreadable",
                                              text.error().message + "; variables are read without it",
                                              SourceLocation{env_path, 0, 0}));
    return {};
  }
  return internal::parse_dotenv(*text);
}

Inventory read_compose(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) return out;
  const internal::Dotenv env = text.find('$') != std::string_view::npos ? project_dotenv(path, out) : internal::Dotenv{};
  for (const YamlNode& document : documents) {
    if (!document.is_map()) continue;
    // The Compose file format 1 had no `services:` key: every top-level key is a service.
    bool old_layout = !document["services"];
    const YamlNode& services = old_layout ? document : document["services"];
    if (!services.is_map()) continue;
    for (const auto& service : services.entries()) {
      const YamlNode& body = service.value;
      if (!service.key.is_scalar() || !body.is_map()) continue;
      const std::string& name = service.key.scalar();
      if (old_layout && name.rfind("x-", 0) == 0) continue;  // extension fields, anchors' home
      const YamlNode& image = merged_value(body, "image");
      if (!image) continue;
      // With `build:`, Compose builds the image from source and tags it with `image:`:
      // the name is the build's output, not an image pulled from a registry.
      if (merged_value(body, "build")) {
        std::string written = image.is_scalar() ? image.scalar() : "";
        out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.compose.local_build",
                                                  "service '" + name + "' builds its image '" + written +
                                                      "' from source (build:); not an external pin",
                                                  yaml_location(path, image.mark())));
        continue;
      }
      add_image(image, path, "compose", out, {{"service", name}}, env);
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_kubernetes(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  // A Helm template is a file Helm renders: under a chart's templates/ folder, or one
  // whose template markers keep it from being YAML at all. `{{` alone says nothing: a
  // Prometheus alert's "{{ $labels.instance }}", an Argo Workflows parameter or a comment
  // sit in plain manifests that parse and are applied as written.
  const bool markers = text.find("{{") != std::string_view::npos;
  auto template_note = [&](const std::string& why) {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.kubernetes.helm_template",
                                              "Helm-templated manifest skipped (" + why +
                                                  "); its images are read from the chart's values.yaml",
                                              SourceLocation{path, 1, 1}));
    return out;
  };
  if (markers && internal::in_helm_chart_templates(path)) return template_note("in a chart's templates/ folder");
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) {
    if (!markers) return out;
    out.diagnostics.clear();
    return template_note("not YAML, with {{ }} template markers");
  }
  const ManifestFile file{text, documents, path, options};
  for (const YamlNode& document : documents) read_manifest(document, file, out, 0);
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_helm_chart(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out) || documents.empty()) return out;
  const YamlNode& chart = documents.front();
  if (!chart.is_map()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.helm.shape", "Chart.yaml must be a mapping",
                                              yaml_location(path, chart.mark())));
    return out;
  }
  std::string chart_name = yaml_string(chart, "name");
  const YamlNode& dependencies = chart["dependencies"];
  if (!dependencies || !dependencies.is_sequence()) return out;
  for (const YamlNode& dependency : dependencies.items()) {
    if (!dependency.is_map()) continue;
    Component component;
    component.kind = "helm-chart";
    component.source = "helm-chart";
    component.name = yaml_string(dependency, "name");
    if (component.name.empty()) {
      out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.helm.missing_field",
                                                "dependency is missing 'name'", yaml_location(path, dependency.mark())));
      continue;
    }
    const YamlNode& version = dependency["version"];
    component.version_text = yaml_string(dependency, "version");
    component.location = yaml_location(path, (version && version.is_scalar() ? version : dependency).mark());
    std::string repository = yaml_string(dependency, "repository");
    if (!repository.empty()) component.attributes["repository"] = repository;
    if (repository.rfind("file://", 0) == 0) component.attributes["local"] = "true";
    if (std::string alias = yaml_string(dependency, "alias"); !alias.empty()) component.attributes["alias"] = alias;
    if (!chart_name.empty()) component.attributes["chart"] = chart_name;
    out.components.push_back(std::move(component));
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_helm_values(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YamlNode& document : documents) read_values_node(document, path, "", 0, "helm-values", out);
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_kustomize(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YamlNode& document : documents) {
    if (!document.is_map()) continue;
    // kustomize reads a kustomization without `kind` as a Kustomization.
    std::string kind = yaml_string(document, "kind");
    if (!kind.empty() && kind != "Kustomization" && kind != "Component") continue;
    read_kustomization(document, path, out);
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

namespace {

// Adds a GitLab CI `image:` (a string, or a mapping with `name:`) or each of `services:`
// (strings or mappings with `name:`), with the job ("" for the global default) as context.
void add_gitlab_images(const YamlNode& holder, const std::string& path, const std::string& job, Inventory& out) {
  std::map<std::string, std::string> attributes;
  if (!job.empty()) attributes["job"] = job;
  const YamlNode& image = holder["image"];
  add_image(image.is_map() ? image["name"] : image, path, "gitlab-ci", out, attributes);
  const YamlNode& services = holder["services"];
  if (!services.is_sequence()) return;
  for (const YamlNode& service : services.items()) {
    const YamlNode& name = service.is_map() ? service["name"] : service;
    std::map<std::string, std::string> with_service = attributes;
    with_service["service"] = service.is_map() && service["alias"].is_scalar() ? service["alias"].scalar() : name.scalar();
    add_image(name, path, "gitlab-ci", out, with_service);
  }
}

// GitLab CI's global keywords: every other top-level mapping is a job (hidden jobs,
// ".name", are templates that jobs extend and are read too).
bool gitlab_keyword(std::string_view key) {
  static const std::set<std::string_view> kKeywords = {"default", "include", "stages", "variables", "workflow",
                                                       "image", "services", "cache", "before_script", "after_script",
                                                       "spec"};
  return kKeywords.count(key) > 0;
}

}  // namespace

Inventory read_gitlab_ci(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YamlNode& document : documents) {
    if (!document.is_map()) continue;
    add_gitlab_images(document, path, "", out);  // global image/services (deprecated, still applied)
    if (const YamlNode& defaults = document["default"]; defaults.is_map()) add_gitlab_images(defaults, path, "default", out);
    for (const auto& entry : document.entries()) {
      if (!entry.key.is_scalar() || !entry.value.is_map() || gitlab_keyword(entry.key.scalar())) continue;
      add_gitlab_images(entry.value, path, entry.key.scalar(), out);
    }
    // Included local files are read when the walk meets them as CI files; one named
    // otherwise is not recognisable on its own, so say which.
    const YamlNode& include = document["include"];
    std::vector<const YamlNode*> includes;
    if (include.is_sequence()) {
      for (const YamlNode& item : include.items()) includes.push_back(&item);
    } else if (include) {
      includes.push_back(&include);
    }
    for (const YamlNode* item : includes) {
      const YamlNode& local = item->is_map() ? (*item)["local"] : *item;
      if (!local.is_scalar() || local.scalar().find("://") != std::string::npos) continue;
      if (is_gitlab_ci_path(local.scalar())) continue;
      out.diagnostics.push_back(make_diagnostic(
          Severity::kNote, "uprank.gitlab.include_not_read",
          "included CI file '" + local.scalar() +
              "' is read as GitLab CI only when its name ends in .gitlab-ci.yml or it is under .gitlab/ci/ "
              "(pass it with --type gitlab-ci, or rename it)",
          yaml_location(path, local.mark())));
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_github_actions(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YamlNode> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YamlNode& document : documents) {
    if (!document.is_map()) continue;
    // An action's own action.yml: runs.steps[].uses (composite) and runs.image.
    if (const YamlNode& runs = document["runs"]; runs && runs.is_map()) {
      if (const YamlNode& steps = runs["steps"]; steps && steps.is_sequence()) {
        for (const YamlNode& step : steps.items()) {
          if (!step.is_map()) continue;
          add_action(step["uses"], text, path, "runs", out);
          add_setup_inputs(step, path, "runs", Matrix{}, out);
        }
      }
    }
    const YamlNode& jobs = document["jobs"];
    if (!jobs || !jobs.is_map()) continue;
    for (const auto& entry : jobs.entries()) {
      std::string job = entry.key.scalar();
      const YamlNode& body = entry.value;
      if (!body.is_map()) continue;
      const Matrix matrix = read_matrix(body);
      add_action(body["uses"], text, path, job, out);  // reusable workflow
      add_runners(body["runs-on"], path, job, matrix, out);
      if (const YamlNode& container = body["container"]) {
        add_job_image(container.is_map() ? container["image"] : container, path, matrix, {{"job", job}}, out);
      }
      if (const YamlNode& services = body["services"]; services && services.is_map()) {
        for (const auto& service : services.entries()) {
          // A service is a mapping with `image:` or, like `container:`, the image itself.
          add_job_image(service.value.is_map() ? service.value["image"] : service.value, path, matrix,
                        {{"job", job}, {"service", service.key.scalar()}}, out);
        }
      }
      const YamlNode& steps = body["steps"];
      if (!steps || !steps.is_sequence()) continue;
      for (const YamlNode& step : steps.items()) {
        if (!step.is_map()) continue;
        add_action(step["uses"], text, path, job, out);
        add_setup_inputs(step, path, job, matrix, out);
      }
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

}  // namespace uprank::inventory
