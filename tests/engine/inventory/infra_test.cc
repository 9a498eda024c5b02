// Infrastructure readers, each on the shared fixtures or on the project's own inputs in
// data/repo/, with the exact line and column that pins each version.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

using testing::find;
using testing::has_code;
using testing::read_file;

std::string repo(const std::string& relative) { return testing::test_data() + "/repo/" + relative; }
std::string retail(const std::string& relative) {
  return testing::fixtures() + "/infra/retail-store-sample-app/" + relative;
}

TEST(Dockerfile, StagesArgsPlatformAndCopyFrom) {
  std::string path = repo("docker/Dockerfile");
  Inventory inventory = read_dockerfile(read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 5u);
  EXPECT_EQ(inventory.components[0].name, "docker/dockerfile");  // the # syntax= directive
  const Component& node = inventory.components[1];
  EXPECT_EQ(node.name, "node");
  EXPECT_EQ(node.version_text, "20.11.1-bookworm");  // ARG defaults substituted
  EXPECT_EQ(node.attributes.at("stage"), "build");
  EXPECT_EQ(node.attributes.at("platform"), "$BUILDPLATFORM");
  EXPECT_EQ(node.location, (SourceLocation{path, 7, 32}));
  EXPECT_EQ(inventory.components[2].name, "golang");  // "as" in lower case
  EXPECT_EQ(inventory.components[2].attributes.at("stage"), "tools");
  const Component& runtime = inventory.components[3];
  EXPECT_EQ(runtime.name, "public.ecr.aws/amazonlinux/amazonlinux");
  EXPECT_EQ(runtime.version_text, "2023");
  EXPECT_EQ(runtime.attributes.at("stage"), "runtime");  // AS on a continuation line
  EXPECT_EQ(runtime.location.line, 23);
  EXPECT_EQ(inventory.components[4].name, "nginx");
  EXPECT_EQ(inventory.components[4].attributes.at("stage"), "copy --from");
  EXPECT_TRUE(has_code(inventory, "uprank.dockerfile.unresolved"));  // ARG without a default
}

TEST(Dockerfile, MalformedFromIsAnError) {
  Inventory inventory = read_dockerfile("FROM\nFROM --platform=linux/amd64\nFROM alpine:3.19\n", "Dockerfile");
  EXPECT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.diagnostics.size(), 2u);
  EXPECT_EQ(inventory.diagnostics[1].range.begin.line, 2);
}

TEST(Compose, FixtureImagesWithLines) {
  std::string path = retail("src/catalog/docker-compose.yml");
  Inventory inventory = read_compose(read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].name, "mariadb");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{path, 42, 12}));
  EXPECT_EQ(inventory.components[0].attributes.at("service"), "catalog-db");
  EXPECT_EQ(inventory.components[1].name, "opensearchproject/opensearch");
  EXPECT_EQ(inventory.components[1].location.line, 73);
}

TEST(Compose, DefaultsSubstitutedUnresolvedNoted) {
  std::string path = repo("compose/compose.yaml");
  Inventory inventory = read_compose(read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 2u);
  EXPECT_EQ(inventory.components[0].version_text, "1.25.3");
  EXPECT_EQ(inventory.components[0].attributes.at("written"), "nginx:${NGINX_TAG:-1.25.3}");
  EXPECT_TRUE(has_code(inventory, "uprank.inventory.unresolved"));
}

// Returns the inventory without its Kubernetes API components (see KubernetesApis below).
Inventory images_only(Inventory inventory) {
  std::erase_if(inventory.components, [](const Component& c) { return c.kind == "kubernetes-api"; });
  return inventory;
}

TEST(Kubernetes, FixtureDeployment) {
  std::string path = testing::fixtures() + "/infra/example-voting-app/k8s-specifications/db-deployment.yaml";
  Inventory inventory = images_only(read_kubernetes(read_file(path), path));
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].name, "postgres");
  EXPECT_EQ(inventory.components[0].version_text, "9.4");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{path, 19, 16}));
  EXPECT_EQ(inventory.components[0].attributes.at("workload"), "Deployment/db");
  EXPECT_EQ(inventory.components[0].attributes.at("namespace"), "vote");
}

TEST(Kubernetes, MultiDocumentCronJobAndInitContainers) {
  std::string path = repo("k8s/jobs.yaml");
  Inventory inventory = images_only(read_kubernetes(read_file(path), path));
  ASSERT_EQ(inventory.components.size(), 3u);
  EXPECT_EQ(inventory.components[0].name, "busybox");
  EXPECT_EQ(inventory.components[0].attributes.at("container.list"), "initContainers");
  EXPECT_EQ(inventory.components[1].name, "bitnami/postgresql");
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{path, 18, 22}));
  EXPECT_EQ(inventory.components[2].attributes.at("workload"), "StatefulSet/cache");
}

TEST(KubernetesApis, EveryResourceOfEveryDocumentIsAnApiAtItsApiVersionKey) {
  std::string text =
      "apiVersion: extensions/v1beta1\n"
      "kind: Ingress\n"
      "metadata: {name: web, namespace: shop}\n"
      "---\n"
      "kind: List\n"
      "apiVersion: v1\n"
      "items:\n"
      "  - kind: ConfigMap\n"
      "    apiVersion: v1\n"
      "    metadata: {name: settings}\n"
      "---\n"
      "kind: Deployment\n"
      "metadata: {name: no-api-version}\n"
      "---\n"
      "apiVersion: apps/v1\n"
      "metadata: {name: no-kind}\n";
  Inventory inventory = read_kubernetes(text, "deploy/app.yaml");
  ASSERT_EQ(inventory.components.size(), 2u);
  const Component& ingress = inventory.components[0];
  EXPECT_EQ(ingress.kind, "kubernetes-api");
  EXPECT_EQ(ingress.name, "extensions/v1beta1 Ingress");
  EXPECT_EQ(ingress.version_text, "extensions/v1beta1");
  EXPECT_FALSE(ingress.version.has_value());
  EXPECT_TRUE(ingress.product.empty());
  EXPECT_EQ(ingress.location, (SourceLocation{"deploy/app.yaml", 1, 1}));
  EXPECT_EQ(ingress.attributes.at("kubernetes.api_version"), "extensions/v1beta1");
  EXPECT_EQ(ingress.attributes.at("kubernetes.kind"), "Ingress");
  EXPECT_EQ(ingress.attributes.at("workload"), "Ingress/web");
  EXPECT_EQ(ingress.attributes.at("namespace"), "shop");
  // A List's items are the resources; the List itself is a wrapper, not an API in use.
  EXPECT_EQ(inventory.components[1].name, "v1 ConfigMap");
  EXPECT_EQ(inventory.components[1].location, (SourceLocation{"deploy/app.yaml", 9, 5}));
}

TEST(KubernetesApis, RepeatedApisGetUniqueNamesAndImagesFollowTheirResource) {
  std::string path = repo("k8s/jobs.yaml");
  Inventory inventory = read_kubernetes(read_file(path), path);
  std::vector<std::string> kinds;
  for (const Component& component : inventory.components) kinds.push_back(component.kind);
  EXPECT_EQ(kinds.front(), "kubernetes-api");
  std::set<std::string> names;
  for (const Component& component : inventory.components) EXPECT_TRUE(names.insert(component.name).second) << component.name;
}

TEST(Kubernetes, HelmTemplatesAreSkippedWithANote) {
  std::string path = repo("chart/templates/deployment.yaml");
  Inventory inventory = read_kubernetes(read_file(path), path);
  EXPECT_TRUE(inventory.components.empty());
  ASSERT_EQ(inventory.diagnostics.size(), 1u);
  EXPECT_EQ(inventory.diagnostics[0].severity, Severity::kNote);
  EXPECT_EQ(inventory.diagnostics[0].code, "uprank.kubernetes.helm_template");
}

// `{{` in a manifest that parses is data, not Helm: a Prometheus alert's summary (the
// Prometheus alerting-rule template syntax) and a comment leave the file a plain manifest
// that kubectl applies as written, so its images and APIs are read.
// Dockerfile reference, "Here-Documents": the lines after "RUN <<EOF" up to "EOF" are the
// command's input, and "COPY <<EOT /path" writes them to a file; several here-documents
// on one line are read in order, "<<-" strips leading tabs, a quoted delimiter is the word
// inside the quotes. A FROM in there is file content, not a base image.
TEST(Dockerfile, HereDocumentBodiesAreNotInstructions) {
  std::string text =
      "# syntax=docker/dockerfile:1.4\nFROM alpine:3.19 AS base\nRUN <<EOF\ncat > /tmp/Dockerfile.inner\nFROM node:10\n"
      "# not a comment here\nEOF\nCOPY <<EOT /etc/x.conf\nFROM mysql:5.5\nEOT\n"
      "RUN <<-\"ONE\" bash && 3<<'TWO' cat\n\tFROM ruby:2.5\n\tONE\nFROM perl:5.8\nTWO\n"
      "run <<end\nFROM php:5.6\nend\nFROM python:3.12-slim\n";
  std::string path = "Dockerfile";
  Inventory inventory = read_dockerfile(text, path);
  std::vector<std::string> images;
  for (const Component& component : inventory.components) images.push_back(component.name + ":" + component.version_text);
  EXPECT_EQ(images, (std::vector<std::string>{"docker/dockerfile:1.4", "alpine:3.19", "python:3.12-slim"}));
  EXPECT_EQ(inventory.components.back().location, (SourceLocation{path, 19, 6}));  // the 19th line
}

TEST(Kubernetes, TemplateMarkersInAManifestThatParsesAreRead) {
  std::string path = "monitoring.yaml";  // no chart around it
  std::string text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prometheus\nspec:\n  template:\n    spec:\n"
      "      containers:\n        - name: db\n          image: postgres:9.6\n---\n"
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: rules\nspec:\n  groups:\n"
      "    - name: x\n      rules:\n        - alert: InstanceDown\n          expr: up == 0\n          annotations:\n"
      "            summary: \"Instance {{ $labels.instance }} down\"\n";
  Inventory inventory = read_kubernetes(text, path);
  EXPECT_FALSE(has_code(inventory, "uprank.kubernetes.helm_template"));
  const Component* postgres = find(inventory, "postgres");
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->version_text, "9.6");
  EXPECT_EQ(postgres->location, (SourceLocation{path, 10, 18}));

  std::string commented = "# rendered with {{ helm }} once\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n"
                          "    spec:\n      containers:\n        - image: postgres:9.6\n";
  Inventory second = read_kubernetes(commented, path);
  EXPECT_FALSE(has_code(second, "uprank.kubernetes.helm_template"));
  ASSERT_NE(find(second, "postgres"), nullptr);
}

// Outside a chart, a file with template markers that is not YAML is a template: a note,
// not a syntax error.
TEST(Kubernetes, TemplateMarkersInAFileThatDoesNotParseAreATemplate) {
  std::string text =
      "apiVersion: apps/v1\nkind: Deployment\n{{- if .Values.enabled }}\nspec:\n  replicas: {{ .Values.n }}\n{{- end }}\n";
  Inventory inventory = read_kubernetes(text, "loose.yaml");
  EXPECT_TRUE(inventory.components.empty());
  ASSERT_EQ(inventory.diagnostics.size(), 1u);
  EXPECT_EQ(inventory.diagnostics[0].code, "uprank.kubernetes.helm_template");
  EXPECT_EQ(inventory.diagnostics[0].severity, Severity::kNote);
}

TEST(Helm, ChartDependencies) {
  std::string path = retail("src/app/chart/Chart.yaml");
  Inventory inventory = read_helm_chart(read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 5u);
  EXPECT_EQ(inventory.components[0].name, "retail-store-sample-cart-chart");
  EXPECT_EQ(inventory.components[0].version_text, "1.6.2");
  EXPECT_EQ(inventory.components[0].location, (SourceLocation{path, 9, 14}));
  EXPECT_EQ(inventory.components[0].attributes.at("repository"), "file://../../cart/chart");
}

TEST(Helm, ValuesRepositoryTagPairs) {
  std::string path = retail("src/orders/chart/values.yaml");
  Inventory inventory = read_helm_values(read_file(path), path);
  ASSERT_EQ(inventory.components.size(), 3u);
  EXPECT_EQ(inventory.components[0].name, "public.ecr.aws/aws-containers/retail-store-sample-orders");
  EXPECT_EQ(inventory.components[0].version_text, "");  // tag unset: the chart's appVersion
  const Component* postgres = find(inventory, "public.ecr.aws/docker/library/postgres");
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->version_text, "16.1");
  EXPECT_EQ(postgres->location, (SourceLocation{path, 105, 10}));
  EXPECT_EQ(postgres->attributes.at("values.key"), "postgresql.image");
  const Component* rabbit = find(inventory, "public.ecr.aws/docker/library/rabbitmq");
  ASSERT_NE(rabbit, nullptr);
  EXPECT_EQ(rabbit->version_text, "3-management");
  EXPECT_EQ(rabbit->location.line, 134);
}

TEST(GithubActions, ShaTagDockerContainerAndReusable) {
  std::string path = repo(".github/workflows/ci.yml");
  Inventory inventory = read_github_actions(read_file(path), path);
  const Component* checkout = find(inventory, "actions/checkout");
  ASSERT_NE(checkout, nullptr);
  EXPECT_EQ(checkout->version_text, "v4.1.1");  // from the comment next to the SHA
  EXPECT_EQ(checkout->attributes.at("ref"), "b4ffde65f46336ab88eb53be808477a3936bae11");
  EXPECT_EQ(checkout->location, (SourceLocation{path, 14, 15}));
  EXPECT_EQ(checkout->purl, "pkg:github/actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11");
  EXPECT_EQ(find(inventory, "actions/setup-node")->version_text, "v4");
  EXPECT_NE(find(inventory, "alpine"), nullptr);  // docker://
  EXPECT_NE(find(inventory, "postgres"), nullptr);  // services
  const Component* reusable = find(inventory, "example-org/workflows/.github/workflows/release.yml");
  ASSERT_NE(reusable, nullptr);
  EXPECT_EQ(reusable->version_text, "v2.3.0");
  EXPECT_NE(find(inventory, "ubuntu"), nullptr);  // runs-on: ubuntu-24.04
  EXPECT_EQ(inventory.components.size(), 7u);  // ./local actions are the repository itself
}

TEST(Terraform, LiteralsProvidersModulesAndVariableDefaults) {
  std::vector<TerraformFile> files = {{repo("terraform/rds-instance/main.tf"), read_file(repo("terraform/rds-instance/main.tf"))},
                                      {repo("terraform/rds-instance/variables.tf"), read_file(repo("terraform/rds-instance/variables.tf"))}};
  Inventory inventory = read_terraform_module(files);
  const Component* instance = find(inventory, "aws_db_instance.default");
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(instance->version_text, "9.6.8");  // var.engine_version[var.engine], engine defaulting to postgres
  EXPECT_EQ(instance->attributes.at("terraform.engine"), "postgres");
  EXPECT_EQ(instance->location, (SourceLocation{files[1].path, 11, 16}));
  EXPECT_EQ(instance->attributes.at("terraform.reference"), files[0].path + ":6:23");
  EXPECT_EQ(find(inventory, "aws_db_instance.replica")->version_text, "5.7.21");
  EXPECT_EQ(find(inventory, "aws_db_instance.computed"), nullptr);
  EXPECT_TRUE(has_code(inventory, "uprank.terraform.unresolved"));

  std::string versions = repo("terraform/aurora/versions.tf");
  Inventory providers = read_terraform_module({{versions, read_file(versions)}});
  ASSERT_EQ(providers.components.size(), 3u);
  EXPECT_EQ(providers.components[0].name, "terraform");
  EXPECT_EQ(providers.components[0].version_text, ">= 1.5.0");
  EXPECT_EQ(providers.components[1].name, "hashicorp/aws");
  EXPECT_EQ(providers.components[1].location, (SourceLocation{versions, 8, 17}));
  EXPECT_EQ(providers.components[2].version_text, "~> 3.7.0");
}

TEST(Terraform, ModulesClustersAndHeredocs) {
  std::string aurora = repo("terraform/aurora/main.tf");
  Inventory modules = read_terraform_module({{aurora, read_file(aurora)}});
  const Component* orders = find(modules, "module.orders_db");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->version_text, "15.10");
  EXPECT_EQ(orders->attributes.at("terraform.engine"), "aurora-postgresql");
  EXPECT_EQ(orders->attributes.at("terraform.resource"), "terraform-aws-modules/rds-aurora/aws");
  EXPECT_EQ(orders->location, (SourceLocation{aurora, 17, 20}));
  std::string eks = repo("terraform/eks/main.tf");
  Inventory clusters = read_terraform_module({{eks, read_file(eks)}});
  EXPECT_EQ(find(clusters, "module.eks")->version_text, "1.33");
  EXPECT_EQ(find(clusters, "aws_eks_cluster.legacy")->version_text, "1.27");
  std::string cache = repo("terraform/cache/main.tf");
  Inventory caches = read_terraform_module({{cache, read_file(cache)}});
  EXPECT_EQ(find(caches, "aws_elasticache_replication_group.sessions")->location.line, 8);
  EXPECT_EQ(find(caches, "aws_mq_broker.events")->attributes.at("terraform.engine"), "rabbitmq");
}

TEST(Terraform, SyntaxErrorsNameTheLine) {
  Inventory inventory = read_terraform_module({{"bad.tf", "resource \"a\" \"b\" {\n  engine_version = \"1.0\n}\n"}});
  EXPECT_TRUE(has_code(inventory, "uprank.terraform.syntax"));
  EXPECT_EQ(inventory.diagnostics[0].range.begin.line, 2);
  Inventory unclosed = read_terraform_module({{"open.tf", "module \"m\" {\n  source = \"x\"\n"}});
  EXPECT_TRUE(has_code(unclosed, "uprank.terraform.syntax"));
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "b {\n";
  EXPECT_TRUE(has_code(read_terraform_module({{"deep.tf", deep}}), "uprank.terraform.syntax"));
}

}  // namespace
}  // namespace uprank::inventory
