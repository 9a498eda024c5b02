// GitOps and CI pins (issue 12 item 5, trial fault N): kustomize images and helmCharts,
// Flux HelmReleases, Argo CD Applications, GitLab CI images; and Helm values overrides
// that set only a tag (fault T). Expected values follow each tool's documented meaning
// (kustomize's images transformer, Flux's HelmRelease spec, Argo CD's Application
// spec, GitLab's `image:`/`services:` keywords), with the line and column of each pin.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

using testing::find;
using testing::has_code;
using testing::names;


// ---- kustomize ------------------------------------------------------------------------------

TEST(KustomizeExtraction, ImagesFollowNameNewNameNewTagAndDigest) {
  const std::string text =
      "apiVersion: kustomize.config.k8s.io/v1beta1\n"    // 1
      "kind: Kustomization\n"                            // 2
      "images:\n"                                        // 3
      "  - name: nginx\n"                                // 4
      "    newTag: \"1.16\"\n"                           // 5: nginx:1.16
      "  - name: postgres\n"                             // 6
      "    newName: my.registry/postgres\n"              // 7
      "    newTag: \"9.6\"\n"                            // 8: my.registry/postgres:9.6
      "  - name: redis\n"                                // 9
      "    newName: redis:6.0.5\n"                       // 10: newName with its own tag
      "  - name: alpine\n"                               // 11
      "    digest: sha256:" + std::string(64, 'a') + "\n"  // 12: a digest, no tag
      "  - name: unchanged\n"                            // 13: renames nothing, pins nothing
      "  - name: mysql\n"                                // 14
      "    newTag: 5.7.44@sha256:" + std::string(64, 'b') + "\n";  // 15: tag@digest
  Inventory inventory = read_kustomize(text, "kustomization.yaml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"nginx 1.16", "my.registry/postgres 9.6", "redis 6.0.5",
                                                         "alpine sha256:" + std::string(64, 'a'), "mysql 5.7.44"}));
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"kustomization.yaml", 5, 13}));
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"kustomization.yaml", 8, 13}));
  EXPECT_EQ(inventory.components[2].location, (SourceLocation{"kustomization.yaml", 10, 14}));
  EXPECT_EQ(inventory.components[3].location.line, 12);
  EXPECT_EQ(inventory.components[0].source, "kustomize");
  EXPECT_EQ(inventory.components[1].attributes.at("kustomize.name"), "postgres");
  EXPECT_EQ(inventory.components[4].attributes.at("digest"), "sha256:" + std::string(64, 'b'));
}

TEST(KustomizeExtraction, HelmChartsAndTheirInlineValues) {
  Inventory inventory = read_kustomize(
      "helmCharts:\n"
      "  - name: redis\n"
      "    repo: https://charts.bitnami.com/bitnami\n"
      "    version: 10.5.7\n"
      "    valuesInline:\n"
      "      image:\n"
      "        repository: bitnami/redis\n"
      "        tag: 5.0.7\n",
      "overlays/prod/kustomization.yml");
  ASSERT_EQ(names(inventory), (std::vector<std::string>{"redis 10.5.7", "bitnami/redis 5.0.7"}));
  EXPECT_EQ(inventory.components[0].kind, "helm-chart");
  EXPECT_EQ(inventory.components[0].attributes.at("repository"), "https://charts.bitnami.com/bitnami");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{"overlays/prod/kustomization.yml", 4, 14}));
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"overlays/prod/kustomization.yml", 8, 14}));
  EXPECT_EQ(inventory.components[1].attributes.at("values.key"), "helmCharts.redis.valuesInline.image");
}

TEST(KustomizeExtraction, DetectedByKustomizesOwnFileNames) {
  EXPECT_EQ(detect_format("base/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"),
            Format::kKustomize);
  EXPECT_EQ(detect_format("kustomization.yml", ""), Format::kKustomize);
  EXPECT_EQ(detect_format("Kustomization", ""), Format::kKustomize);
  EXPECT_EQ(parse_format("kustomize"), Format::kKustomize);
}

// ---- Flux -----------------------------------------------------------------------------------

TEST(FluxExtraction, HelmReleaseChartWithItsRepositoryAndValues) {
  const std::string text =
      "apiVersion: source.toolkit.fluxcd.io/v1\n"  // 1
      "kind: HelmRepository\n"                     // 2
      "metadata: {name: bitnami}\n"                // 3
      "spec:\n"                                    // 4
      "  url: https://charts.bitnami.com/bitnami\n"  // 5
      "---\n"                                      // 6
      "apiVersion: helm.toolkit.fluxcd.io/v2\n"    // 7
      "kind: HelmRelease\n"                        // 8
      "metadata: {name: redis}\n"                  // 9
      "spec:\n"                                    // 10
      "  chart:\n"                                 // 11
      "    spec:\n"                                // 12
      "      chart: redis\n"                       // 13
      "      version: \"10.5.7\"\n"                // 14
      "      sourceRef: {kind: HelmRepository, name: bitnami}\n"  // 15
      "  values:\n"                                // 16
      "    image:\n"                               // 17
      "      repository: bitnami/redis\n"          // 18
      "      tag: 5.0.7\n"                         // 19
      "    metrics:\n"                             // 20
      "      image: {tag: 1.2.3}\n";               // 21: tag only: the chart's default repository
  Inventory inventory = read_kubernetes(text, "redis.yaml");
  const Component* chart = find(inventory, "redis");
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ(chart->kind, "helm-chart");
  EXPECT_EQ(chart->source, "flux");
  EXPECT_EQ(chart->version_text, "10.5.7");
  EXPECT_EQ(chart->location, (SourceLocation{"redis.yaml", 14, 16}));
  EXPECT_EQ(chart->attributes.at("repository"), "https://charts.bitnami.com/bitnami");
  const Component* image = find(inventory, "bitnami/redis");
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->version_text, "5.0.7");
  EXPECT_EQ(image->location, (SourceLocation{"redis.yaml", 19, 12}));
  EXPECT_EQ(image->attributes.at("values.key"), "spec.values.image");
  // Both resources are APIs too; the HelmRelease is not also read as a custom resource.
  EXPECT_NE(find(inventory, "helm.toolkit.fluxcd.io/v2 HelmRelease"), nullptr);
  size_t images = 0;
  for (const Component& component : inventory.components) images += component.kind == "container-image" && !component.name.empty();
  EXPECT_EQ(images, 1u);
}

// ---- Argo CD --------------------------------------------------------------------------------

TEST(ArgoCdExtraction, ApplicationHelmSourcesValuesAndKustomizeImages) {
  const std::string text =
      "apiVersion: argoproj.io/v1alpha1\n"          // 1
      "kind: Application\n"                         // 2
      "metadata: {name: db}\n"                      // 3
      "spec:\n"                                     // 4
      "  source:\n"                                 // 5
      "    repoURL: https://charts.bitnami.com/bitnami\n"  // 6
      "    chart: mysql\n"                          // 7
      "    targetRevision: 1.6.9\n"                 // 8
      "    helm:\n"                                 // 9
      "      values: |\n"                           // 10
      "        image:\n"                            // 11
      "          repository: mysql\n"               // 12
      "          tag: \"5.6\"\n"                    // 13
      "---\n"                                       // 14
      "apiVersion: argoproj.io/v1alpha1\n"          // 15
      "kind: ApplicationSet\n"                      // 16
      "metadata: {name: apps}\n"                    // 17
      "spec:\n"                                     // 18
      "  template:\n"                               // 19
      "    spec:\n"                                 // 20
      "      sources:\n"                            // 21
      "        - repoURL: https://github.com/o/r.git\n"  // 22: a Git source: not a release
      "          targetRevision: main\n"            // 23
      "          kustomize:\n"                      // 24
      "            images: [\"web=nginx:1.19\"]\n"  // 25
      "        - repoURL: https://prometheus-community.github.io/helm-charts\n"  // 26
      "          chart: prometheus\n"               // 27
      "          targetRevision: 15.0.0\n"          // 28
      "          helm:\n"                           // 29
      "            valuesObject:\n"                 // 30
      "              server: {image: {repository: prom/prometheus, tag: v2.10.0}}\n";  // 31
  Inventory inventory = read_kubernetes(text, "apps.yaml");
  const Component* mysql = find(inventory, "mysql@1.6.9");
  ASSERT_NE(mysql, nullptr) << ::testing::PrintToString(names(inventory));
  EXPECT_EQ(mysql->kind, "helm-chart");
  EXPECT_EQ(mysql->source, "argocd");
  EXPECT_EQ(mysql->location, (SourceLocation{"apps.yaml", 8, 21}));
  EXPECT_EQ(mysql->attributes.at("repository"), "https://charts.bitnami.com/bitnami");
  const Component* mysql_image = find(inventory, "mysql@5.6");
  ASSERT_NE(mysql_image, nullptr);
  EXPECT_EQ(mysql_image->kind, "container-image");
  EXPECT_EQ(mysql_image->location, (SourceLocation{"apps.yaml", 13, 16}));  // inside the block string
  const Component* nginx = find(inventory, "nginx");
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(nginx->version_text, "1.19");
  EXPECT_EQ(nginx->location, (SourceLocation{"apps.yaml", 25, 27}));  // after "web="
  const Component* prometheus = find(inventory, "prometheus");
  ASSERT_NE(prometheus, nullptr);
  EXPECT_EQ(prometheus->version_text, "15.0.0");
  EXPECT_EQ(prometheus->location.line, 28);
  const Component* server = find(inventory, "prom/prometheus");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->version_text, "v2.10.0");
  EXPECT_EQ(server->location.line, 31);
  EXPECT_EQ(find(inventory, "https://github.com/o/r.git"), nullptr);
}

// ---- GitLab CI ------------------------------------------------------------------------------

TEST(GitlabCiExtraction, ImagesAndServicesOfDefaultsAndJobs) {
  const std::string text =
      "image: node:12\n"                        // 1: global default
      "default:\n"                              // 2
      "  services: [redis:5.0]\n"               // 3
      "variables: {IMAGE: x}\n"                 // 4: a keyword, not a job
      "build:\n"                                // 5
      "  script: echo\n"                        // 6
      "  image: python:2.7\n"                   // 7
      "  services:\n"                           // 8
      "    - postgres:9.5\n"                    // 9
      "    - name: mysql:5.6\n"                 // 10
      "      alias: db\n"                       // 11
      ".template:\n"                            // 12: hidden job, extended by others
      "  image: {name: \"golang:1.15\", entrypoint: [\"\"]}\n"  // 13
      "deploy:\n"                               // 14
      "  image: $CI_REGISTRY_IMAGE/deployer:latest\n";  // 15: a CI variable
  Inventory inventory = read_gitlab_ci(text, ".gitlab-ci.yml");
  EXPECT_EQ(names(inventory), (std::vector<std::string>{"node 12", "redis 5.0", "python 2.7", "postgres 9.5", "mysql 5.6",
                                                         "golang 1.15"}));
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{".gitlab-ci.yml", 1, 8}));
  EXPECT_EQ(inventory.components[2].location, (SourceLocation{".gitlab-ci.yml", 7, 10}));
  EXPECT_EQ(inventory.components[2].attributes.at("job"), "build");
  EXPECT_EQ(inventory.components[3].location, (SourceLocation{".gitlab-ci.yml", 9, 7}));
  EXPECT_EQ(inventory.components[4].attributes.at("service"), "db");
  EXPECT_EQ(inventory.components[5].location, (SourceLocation{".gitlab-ci.yml", 13, 17}));
  EXPECT_EQ(inventory.components[0].source, "gitlab-ci");
  EXPECT_TRUE(has_code(inventory, "uprank.inventory.unresolved"));  // $CI_REGISTRY_IMAGE
}

TEST(GitlabCiExtraction, DetectionAndIncludedFiles) {
  EXPECT_EQ(detect_format(".gitlab-ci.yml", "image: node:12\n"), Format::kGitlabCi);
  EXPECT_EQ(detect_format("ci/build.gitlab-ci.yaml", ""), Format::kGitlabCi);
  EXPECT_EQ(detect_format(".gitlab/ci/test.yml", ""), Format::kGitlabCi);
  EXPECT_EQ(detect_format("repo/.gitlab/ci/test.yml", ""), Format::kGitlabCi);
  EXPECT_FALSE(detect_format("ci/build.yml", "").has_value());
  Inventory inventory = read_gitlab_ci(
      "include:\n  - local: /.gitlab/ci/test.yml\n  - local: ci/build.yml\n  - remote: https://x/y.yml\n", ".gitlab-ci.yml");
  ASSERT_TRUE(has_code(inventory, "uprank.gitlab.include_not_read"));
  size_t notes = 0;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code != "uprank.gitlab.include_not_read") continue;
    ++notes;
    EXPECT_EQ(diagnostic.range.begin.line, 3);  // only ci/build.yml, whose name says nothing
  }
  EXPECT_EQ(notes, 1u);
}

// ---- Helm values overrides (fault T) --------------------------------------------------------

TEST(HelmValuesOverrides, TagOnlyOverridesInheritTheChartsRepository) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "uprank-helm-overrides-test";
  fs::remove_all(root);
  fs::create_directories(root / "chart/env");
  fs::create_directories(root / "chart/templates");
  fs::create_directories(root / "other");
  auto write = [&](const std::string& relative, const std::string& text) { std::ofstream(root / relative) << text; };
  write("chart/Chart.yaml", "apiVersion: v2\nname: db\nversion: 0.1.0\n");
  write("chart/values.yaml", "image:\n  repository: postgres\n  tag: \"16.1\"\n");
  write("chart/values-prod.yaml", "replicas: 3\nimage:\n  tag: \"9.6\"\n");  // prod runs postgres 9.6
  write("chart/env/staging.yaml", "image: {tag: \"12.4\"}\n");             // values under another name
  write("chart/templates/notes.yaml", "text: x\n");                         // rendered by Helm: not values
  write("other/values-dev.yaml", "image:\n  tag: \"1.0\"\n");               // no values.yaml of its chart
  Inventory inventory = read_inventory_paths({root.string()});
  std::map<std::string, const Component*> by_file;
  for (const Component& component : inventory.components) {
    by_file[fs::path(component.location.file).lexically_relative(root).string()] = &component;
  }
  ASSERT_EQ(by_file.count("chart/values-prod.yaml"), 1u) << ::testing::PrintToString(names(inventory));
  const Component& prod = *by_file["chart/values-prod.yaml"];
  EXPECT_EQ(prod.attributes.at("image"), "postgres:9.6");  // named postgres@9.6: three postgres pins
  EXPECT_EQ(prod.version_text, "9.6");
  EXPECT_EQ(prod.location.line, 3);
  EXPECT_EQ(prod.location.column, 8);
  EXPECT_EQ(prod.attributes.at("values.key"), "image");
  EXPECT_EQ(prod.attributes.at("values.repository_from"), (root / "chart/values.yaml").string() + ":3");
  EXPECT_EQ(prod.attributes.count(std::string("values.tag_only")), 0u);
  ASSERT_EQ(by_file.count("chart/env/staging.yaml"), 1u);
  EXPECT_EQ(by_file["chart/env/staging.yaml"]->attributes.at("image"), "postgres:12.4");
  EXPECT_EQ(by_file["chart/env/staging.yaml"]->version_text, "12.4");
  EXPECT_EQ(by_file.count("other/values-dev.yaml"), 0u);
  EXPECT_TRUE(has_code(inventory, "uprank.helm.tag_only"));
  std::set<std::string> skipped;
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.code == kSkippedFileCode) skipped.insert(fs::path(diagnostic.range.begin.file).lexically_relative(root).string());
  }
  // Chart.yaml lists no dependencies; other/ has no values.yaml to complete its tag.
  EXPECT_EQ(skipped, (std::set<std::string>{"chart/Chart.yaml", "chart/templates/notes.yaml", "other/values-dev.yaml"}));
  for (const Component& component : inventory.components) EXPECT_FALSE(component.name.empty());
  const Component* base = find(inventory, "postgres@16.1");
  ASSERT_NE(base, nullptr);  // the chart's own values are untouched
  EXPECT_EQ(base->location.line, 3);
  fs::remove_all(root);
}

}  // namespace
}  // namespace uprank::inventory
