// YAML-based infrastructure readers: docker compose, Kubernetes manifests, Helm
// Chart.yaml and values.yaml, GitHub Actions workflows.
#include <functional>
#include <unordered_map>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"

namespace uprank::inventory {
namespace {

using internal::yaml_location;
using internal::yaml_string;

// Loads the documents or records the syntax error; returns false on failure.
bool load(std::string_view text, const std::string& path, const ReadOptions& options, std::vector<YAML::Node>& documents,
          Inventory& out) {
  auto loaded = internal::load_yaml(text, path, options.max_depth);
  if (!loaded.ok()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, loaded.error().code, loaded.error().message,
                                              loaded.error().where));
    return false;
  }
  documents = std::move(loaded.value());
  return true;
}

// Expands compose-style ${VAR:-default} with an empty environment: only defaults apply.
std::string compose_defaults(std::string_view text, bool& unresolved) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      out.push_back('$');
      ++i;
    } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i);
      if (close == std::string_view::npos) {
        unresolved = true;
        return out;
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t marker = inner.find(":-");
      size_t length = 2;
      if (marker == std::string_view::npos) {
        marker = inner.find('-');
        length = 1;
      }
      if (marker == std::string_view::npos) {
        unresolved = true;
      } else {
        out += std::string(inner.substr(marker + length));
      }
      i = close;
    } else if (text[i] == '$') {
      unresolved = true;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Adds the image in `node` (a scalar) as a component, or a note when it cannot be read.
void add_image(const YAML::Node& node, const std::string& path, const std::string& source, Inventory& out,
               std::map<std::string, std::string> attributes = {}) {
  if (!node || !node.IsScalar()) return;
  SourceLocation where = yaml_location(path, node.Mark());
  std::string written = node.Scalar();
  bool unresolved = false;
  std::string reference = compose_defaults(written, unresolved);
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

void read_pod_spec(const YAML::Node& spec, const std::string& path, const std::string& workload,
                   const std::string& namespace_, Inventory& out) {
  if (!spec || !spec.IsMap()) return;
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    YAML::Node containers = spec[list];
    if (!containers || !containers.IsSequence()) continue;
    for (const YAML::Node& container : containers) {
      if (!container.IsMap()) continue;
      std::map<std::string, std::string> attributes{{"workload", workload}, {"container", yaml_string(container, "name")}};
      if (std::string(list) != "containers") attributes["container.list"] = list;
      if (!namespace_.empty()) attributes["namespace"] = namespace_;
      add_image(container["image"], path, "kubernetes", out, attributes);
    }
  }
}

void read_manifest(const YAML::Node& document, const std::string& path, Inventory& out, int depth) {
  if (!document.IsMap() || depth > 8) return;
  std::string kind = yaml_string(document, "kind");
  if (kind == "List") {
    YAML::Node items = document["items"];
    if (items && items.IsSequence()) {
      for (const YAML::Node& item : items) read_manifest(item, path, out, depth + 1);
    }
    return;
  }
  YAML::Node metadata = document["metadata"];
  std::string name = metadata && metadata.IsMap() ? yaml_string(metadata, "name") : "";
  std::string namespace_ = metadata && metadata.IsMap() ? yaml_string(metadata, "namespace") : "";
  std::string workload = kind + "/" + name;
  YAML::Node spec = document["spec"];
  if (!spec || !spec.IsMap()) return;
  if (kind == "Pod") {
    read_pod_spec(spec, path, workload, namespace_, out);
  } else if (kind == "CronJob") {
    YAML::Node job = spec["jobTemplate"];
    if (job && job.IsMap() && job["spec"] && job["spec"].IsMap() && job["spec"]["template"] &&
        job["spec"]["template"].IsMap()) {
      read_pod_spec(job["spec"]["template"]["spec"], path, workload, namespace_, out);
    }
  } else if (spec["template"] && spec["template"].IsMap()) {
    // Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, ...
    read_pod_spec(spec["template"]["spec"], path, workload, namespace_, out);
  }
}

void read_values_node(const YAML::Node& node, const std::string& path, const std::string& key_path, int depth,
                      Inventory& out) {
  if (depth > 64) return;
  if (node.IsSequence()) {
    size_t index = 0;
    for (const YAML::Node& item : node) read_values_node(item, path, key_path + "[" + std::to_string(index++) + "]", depth + 1, out);
    return;
  }
  if (!node.IsMap()) return;
  YAML::Node repository = node["repository"];
  bool looks_like_image = repository && repository.IsScalar() &&
                          (node["tag"] || node["digest"] ||
                           (key_path.size() >= 5 && key_path.compare(key_path.size() - 5, 5, "image") == 0));
  if (looks_like_image && !repository.Scalar().empty()) {
    std::string registry = yaml_string(node, "registry");
    std::string reference = (registry.empty() ? "" : registry + "/") + repository.Scalar();
    YAML::Node tag = node["tag"];
    std::string tag_text = tag && tag.IsScalar() ? tag.Scalar() : "";
    std::string digest = yaml_string(node, "digest");
    SourceLocation where = yaml_location(path, (!tag_text.empty() ? tag : repository).Mark());
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
  for (const auto& entry : node) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    std::string child_path = key_path.empty() ? key : key_path + "." + key;
    if (key == "image" && entry.second.IsScalar()) {
      std::string text = entry.second.Scalar();
      if (text.find(':') != std::string::npos || text.find('/') != std::string::npos) {
        add_image(entry.second, path, "helm-values", out, {{"values.key", child_path}});
      }
      continue;
    }
    read_values_node(entry.second, path, child_path, depth + 1, out);
  }
}

// "owner/repo@ref" with the ref's trailing "# v1.2.3" comment, when the ref is a SHA.
void add_action(const YAML::Node& uses, std::string_view text, const std::string& path, const std::string& job,
                Inventory& out) {
  if (!uses || !uses.IsScalar()) return;
  std::string value = uses.Scalar();
  SourceLocation where = yaml_location(path, uses.Mark());
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
  bool sha = ref.size() == 40 && ref.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (sha) {
    component.attributes["pinned"] = "sha";
    // The conventional "uses: owner/repo@<sha> # v4.1.1" comment names the version.
    std::vector<std::string_view> lines = internal::split_lines(text);
    if (where.line >= 1 && static_cast<size_t>(where.line) <= lines.size()) {
      std::string_view line = lines[static_cast<size_t>(where.line - 1)];
      size_t hash = line.find('#', line.find(ref));
      if (hash != std::string_view::npos) {
        std::string_view comment = internal::trim(line.substr(hash + 1));
        if (!comment.empty() && comment.size() < 64 && comment.find(' ') == std::string_view::npos) {
          component.version_text = std::string(comment);
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

}  // namespace

Inventory read_compose(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YAML::Node> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YAML::Node& document : documents) {
    if (!document.IsMap()) continue;
    YAML::Node services = document["services"];
    if (!services || !services.IsMap()) continue;
    for (const auto& service : services) {
      if (!service.second.IsMap()) continue;
      add_image(service.second["image"], path, "compose", out, {{"service", service.first.Scalar()}});
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_kubernetes(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  if (text.find("{{") != std::string_view::npos) {
    out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.kubernetes.helm_template",
                                              "Helm-templated manifest skipped; its images are read from the chart's values.yaml",
                                              SourceLocation{path, 1, 1}));
    return out;
  }
  std::vector<YAML::Node> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YAML::Node& document : documents) read_manifest(document, path, out, 0);
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_helm_chart(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YAML::Node> documents;
  if (!load(text, path, options, documents, out) || documents.empty()) return out;
  const YAML::Node& chart = documents.front();
  if (!chart.IsMap()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.helm.shape", "Chart.yaml must be a mapping",
                                              yaml_location(path, chart.Mark())));
    return out;
  }
  std::string chart_name = yaml_string(chart, "name");
  YAML::Node dependencies = chart["dependencies"];
  if (!dependencies || !dependencies.IsSequence()) return out;
  for (const YAML::Node& dependency : dependencies) {
    if (!dependency.IsMap()) continue;
    Component component;
    component.kind = "helm-chart";
    component.source = "helm-chart";
    component.name = yaml_string(dependency, "name");
    if (component.name.empty()) {
      out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.helm.missing_field",
                                                "dependency is missing 'name'", yaml_location(path, dependency.Mark())));
      continue;
    }
    YAML::Node version = dependency["version"];
    component.version_text = yaml_string(dependency, "version");
    component.location = yaml_location(path, (version && version.IsScalar() ? version : dependency).Mark());
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
  std::vector<YAML::Node> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YAML::Node& document : documents) read_values_node(document, path, "", 0, out);
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_github_actions(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::vector<YAML::Node> documents;
  if (!load(text, path, options, documents, out)) return out;
  for (const YAML::Node& document : documents) {
    if (!document.IsMap()) continue;
    // An action's own action.yml: runs.steps[].uses (composite) and runs.image.
    if (YAML::Node runs = document["runs"]; runs && runs.IsMap()) {
      if (YAML::Node steps = runs["steps"]; steps && steps.IsSequence()) {
        for (const YAML::Node& step : steps) {
          if (step.IsMap()) add_action(step["uses"], text, path, "runs", out);
        }
      }
    }
    YAML::Node jobs = document["jobs"];
    if (!jobs || !jobs.IsMap()) continue;
    for (const auto& entry : jobs) {
      std::string job = entry.first.Scalar();
      const YAML::Node& body = entry.second;
      if (!body.IsMap()) continue;
      add_action(body["uses"], text, path, job, out);  // reusable workflow
      if (YAML::Node container = body["container"]) {
        add_image(container.IsMap() ? container["image"] : container, path, "github-actions", out, {{"job", job}});
      }
      if (YAML::Node services = body["services"]; services && services.IsMap()) {
        for (const auto& service : services) {
          if (service.second.IsMap()) {
            add_image(service.second["image"], path, "github-actions", out,
                      {{"job", job}, {"service", service.first.Scalar()}});
          }
        }
      }
      YAML::Node steps = body["steps"];
      if (!steps || !steps.IsSequence()) continue;
      for (const YAML::Node& step : steps) {
        if (step.IsMap()) add_action(step["uses"], text, path, job, out);
      }
    }
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

}  // namespace uprank::inventory
