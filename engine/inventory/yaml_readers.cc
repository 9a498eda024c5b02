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

// Adds the image in `node` (a scalar) as a component, or a note when it cannot be read.
// Variables are interpolated as Compose does, from `env` (a compose project's `.env`;
// elsewhere none, so only defaults apply).
void add_image(const YamlNode& node, const std::string& path, const std::string& source, Inventory& out,
               std::map<std::string, std::string> attributes = {}, const internal::Dotenv& env = {}) {
  if (!node || !node.is_scalar()) return;
  SourceLocation where = yaml_location(path, node.mark());
  std::string written = node.scalar();
  bool unresolved = false;
  std::vector<std::string> used;
  std::string reference = internal::compose_interpolate(written, env, unresolved, &used);
  // Where each variable's value is written: the version may live in `.env`, not here.
  std::string from_env;
  for (const std::string& name : used) {
    from_env += (from_env.empty() ? "" : ", ") + name + "=" + env.find(name)->second.value + " (.env:" +
                std::to_string(env.find(name)->second.line) + ")";
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

void read_manifest(const YamlNode& document, const std::string& path, Inventory& out, int depth) {
  if (!document.is_map() || depth > 8) return;
  std::string kind = yaml_string(document, "kind");
  if (kind == "List") {
    const YamlNode& items = document["items"];
    if (items && items.is_sequence()) {
      for (const YamlNode& item : items.items()) read_manifest(item, path, out, depth + 1);
    }
    return;
  }
  const YamlNode& metadata = document["metadata"];
  std::string name = metadata && metadata.is_map() ? yaml_string(metadata, "name") : "";
  std::string namespace_ = metadata && metadata.is_map() ? yaml_string(metadata, "namespace") : "";
  std::string workload = kind + "/" + name;
  add_api(document, path, kind, workload, namespace_, out);
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

void read_values_node(const YamlNode& node, const std::string& path, const std::string& key_path, int depth,
                      Inventory& out) {
  if (depth > 64) return;
  if (node.is_sequence()) {
    size_t index = 0;
    for (const YamlNode& item : node.items()) read_values_node(item, path, key_path + "[" + std::to_string(index++) + "]", depth + 1, out);
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
    Component component = internal::image_component(*image, "helm-values", where);
    component.attributes["values.key"] = key_path;
    if (tag_text.empty() && digest.empty()) {
      component.attributes.erase("floating");
      component.attributes["floating"] = "tag unset (chart appVersion)";
    }
    out.components.push_back(std::move(component));
    return;
  }
  for (const auto& entry : node.entries()) {
    std::string key = entry.key.is_scalar() ? entry.key.scalar() : "?";
    std::string child_path = key_path.empty() ? key : key_path + "." + key;
    // "image: nginx:1.25", "someImage: repo/name:tag": an image reference as one string.
    if (names_image(key) && entry.value.is_scalar()) {
      std::string text = entry.value.scalar();
      if (text.find(':') != std::string::npos || text.find('/') != std::string::npos) {
        add_image(entry.value, path, "helm-values", out, {{"values.key", child_path}});
      }
      continue;
    }
    read_values_node(entry.value, path, child_path, depth + 1, out);
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

// Adds the runtime versions a setup action's `with:` inputs pin ("node-version: 16",
// "python-version: '3.8'", "java-version: 17" with "distribution: temurin").
void add_setup_inputs(const YamlNode& step, const std::string& path, const std::string& job, Inventory& out) {
  const YamlNode& uses = step["uses"];
  const YamlNode& with = step["with"];
  if (!uses || !uses.is_scalar() || !with || !with.is_map()) return;
  std::string_view action = uses.scalar();
  action = action.substr(0, action.find('@'));
  for (const SetupAction& setup : kSetupActions) {
    if (action != setup.action) continue;
    const YamlNode& input = with[std::string(setup.input)];
    if (!input || !input.is_scalar()) return;
    SourceLocation where = yaml_location(path, input.mark());
    std::string distribution = yaml_string(with, "distribution");
    // A multi-line input lists several versions (setup-python, setup-dotnet).
    for (std::string_view line : internal::split_lines(input.scalar())) {
      std::string version(internal::trim(line));
      if (version.empty()) continue;
      if (internal::is_templated(version)) {
        out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.inventory.unresolved",
                                                  std::string(setup.input) + " '" + version + "' is an expression; skipped", where));
        continue;
      }
      Component component;
      component.kind = "tool";
      component.source = "github-actions";
      component.name = std::string(setup.tool);
      component.pin = pin_of_tool_version(version);
      component.version_text = version;
      component.location = where;
      component.attributes["job"] = job;
      component.attributes["action"] = std::string(action);
      component.attributes["input"] = std::string(setup.input);
      if (!distribution.empty()) component.attributes["flavour"] = distribution;  // temurin, zulu, corretto, ...
      out.components.push_back(std::move(component));
    }
    return;
  }
}

// Adds the hosted runner images a job's `runs-on` labels pin ("ubuntu-22.04",
// "windows-2019", "macos-14-arm64"); "-latest" labels float and self-hosted labels name
// no image.
void add_runners(const YamlNode& runs_on, const std::string& path, const std::string& job, Inventory& out) {
  if (!runs_on) return;
  if (runs_on.is_map()) return add_runners(runs_on["labels"], path, job, out);
  if (runs_on.is_sequence()) {
    for (const YamlNode& label : runs_on.items()) add_runners(label, path, job, out);
    return;
  }
  if (!runs_on.is_scalar()) return;
  static const RE2 kHostedRunner(R"((ubuntu|windows|macos)-(latest|\d+(?:\.\d+)?)(-[a-z0-9]+)*)");
  std::string family, version;
  if (!RE2::FullMatch(runs_on.scalar(), kHostedRunner, &family, &version)) return;
  SourceLocation where = yaml_location(path, runs_on.mark());
  if (version == "latest") {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.actions.floating_runner",
                                              "runner '" + runs_on.scalar() + "' follows GitHub's latest image; not a pin", where));
    return;
  }
  Component component;
  component.kind = "github-runner";
  component.source = "github-actions";
  component.name = family;
  component.version_text = version;
  component.location = where;
  component.attributes["runner"] = runs_on.scalar();
  component.attributes["job"] = job;
  out.components.push_back(std::move(component));
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
  for (const YamlNode& document : documents) read_manifest(document, path, out, 0);
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
  for (const YamlNode& document : documents) read_values_node(document, path, "", 0, out);
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
          add_setup_inputs(step, path, "runs", out);
        }
      }
    }
    const YamlNode& jobs = document["jobs"];
    if (!jobs || !jobs.is_map()) continue;
    for (const auto& entry : jobs.entries()) {
      std::string job = entry.key.scalar();
      const YamlNode& body = entry.value;
      if (!body.is_map()) continue;
      add_action(body["uses"], text, path, job, out);  // reusable workflow
      add_runners(body["runs-on"], path, job, out);
      if (const YamlNode& container = body["container"]) {
        add_image(container.is_map() ? container["image"] : container, path, "github-actions", out, {{"job", job}});
      }
      if (const YamlNode& services = body["services"]; services && services.is_map()) {
        for (const auto& service : services.entries()) {
          // A service is a mapping with `image:` or, like `container:`, the image itself.
          add_image(service.value.is_map() ? service.value["image"] : service.value, path, "github-actions", out,
                    {{"job", job}, {"service", service.key.scalar()}});
        }
      }
      const YamlNode& steps = body["steps"];
      if (!steps || !steps.is_sequence()) continue;
      for (const YamlNode& step : steps.items()) {
        if (!step.is_map()) continue;
        add_action(step["uses"], text, path, job, out);
        add_setup_inputs(step, path, job, out);
      }
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

}  // namespace uprank::inventory
