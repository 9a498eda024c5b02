// The product identity map: bundled entries, the issue's examples, and user overrides.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "engine/inventory/extractors.h"
#include "engine/inventory/product_map.h"
#include "engine/inventory/internal.h"
#include "engine/inventory/readers.h"
#include "test_util.h"

namespace uprank::inventory {
namespace {

Component image(const std::string& reference) {
  return internal::image_component(*internal::parse_image_reference(reference), "test", {"f", 1, 1});
}

Inventory one(Component component) {
  Inventory inventory;
  inventory.components.push_back(std::move(component));
  return inventory;
}

TEST(ProductMap, BundledMapLoadsCleanly) {
  std::vector<Diagnostic> diagnostics;
  ProductMap map = ProductMap::parse(testing::read_file(std::string(UPRANK_SOURCE_DIR) + "/data/products.yaml"), "data/products.yaml", diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_GT(ProductMap::bundled().size(), 30u);
  EXPECT_EQ(map.size(), ProductMap::bundled().size());
}

TEST(ProductMap, PostgresImageIsPostgresqlCycle15) {
  Inventory inventory = one(image("postgres:15.4-alpine"));
  ProductMap::bundled().apply(inventory);
  const Component& component = inventory.components[0];
  EXPECT_EQ(component.product, "postgresql");
  EXPECT_EQ(component.cycle, "15");
  EXPECT_EQ(component.scheme, versions::Scheme::kGeneric);
  EXPECT_EQ(component.version_text, "15.4");
  EXPECT_EQ(component.attributes.at("pinned"), "15.4-alpine");
  Inventory old = one(image("docker.io/library/postgres:9.6.24"));
  ProductMap::bundled().apply(old);
  EXPECT_EQ(old.components[0].cycle, "9.6");  // before 10, PostgreSQL cycles are major.minor
}

// Java before 9 says "1.8.0_392" (`java -version`; SBOMs of a JDK say so too); JEP 223
// dropped the "1." from Java 9 on. Temurin publishes that release as 8u392 (endoflife.date's
// eclipse-temurin 8 latest "8u502-b07"): cycle 8, not 1, which made a supported Java 8 read
// as "eclipse-temurin 1 left vendor support". Corretto's 8.392.08.1 is not said by the
// update, so it is a line pin of cycle 8.
TEST(ProductMap, AJava8WrittenOneDotEightIsCycle8) {
  Component sbom;
  sbom.kind = "package";
  sbom.name = "eclipse-temurin";
  sbom.purl = "pkg:generic/eclipse-temurin@1.8.0_392-b08";
  sbom.version_text = "1.8.0_392-b08";
  sbom.location = {"app.cdx.json", 3, 1};
  Inventory inventory = one(sbom);
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "eclipse-temurin");
  EXPECT_EQ(inventory.components[0].cycle, "8");
  EXPECT_EQ(inventory.components[0].version_text, "8u392");
  EXPECT_EQ(inventory.components[0].attributes.at("pinned"), "1.8.0_392-b08");
  EXPECT_TRUE(inventory.components[0].pin.exact());

  sbom.name = "amazon-corretto";
  sbom.purl = "pkg:generic/amazon-corretto@1.8.0_392";
  sbom.version_text = "1.8.0_392";
  inventory = one(sbom);
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "amazon-corretto");
  EXPECT_EQ(inventory.components[0].cycle, "8");
  EXPECT_FALSE(inventory.components[0].pin.exact());

  // Java 9 and later never wrote "1.": "1.9.0_1" is no Java 1.N version and stays as read.
  sbom.name = "eclipse-temurin";
  sbom.purl = "pkg:generic/eclipse-temurin@1.9.0_1";
  sbom.version_text = "1.9.0_1";
  inventory = one(sbom);
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].version_text, "1.9.0_1");
  EXPECT_EQ(inventory.components[0].cycle, "1");
}

TEST(ProductMap, DebianOpensslPurlKeepsDebScheme) {
  Component component;
  component.kind = "package";
  component.name = "openssl";
  component.purl = "pkg:deb/debian/openssl@3.0.11-1~deb12u2";
  component.version_text = "3.0.11-1~deb12u2";
  component.scheme = versions::Scheme::kDeb;
  Inventory inventory = one(component);
  ProductMap::bundled().apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "openssl");
  EXPECT_EQ(inventory.components[0].scheme, versions::Scheme::kDeb);
  EXPECT_EQ(inventory.components[0].version_text, "3.0.11-1~deb12u2");
  EXPECT_EQ(inventory.components[0].cycle, "3.0");
}

TEST(ProductMap, TerraformEngines) {
  Inventory inventory = read_terraform_module(
      {{"main.tf", "resource \"aws_db_instance\" \"db\" {\n  engine = \"postgres\"\n  engine_version = \"16.3\"\n}\n"}});
  ProductMap::bundled().apply(inventory);
  ASSERT_EQ(inventory.components.size(), 1u);
  EXPECT_EQ(inventory.components[0].product, "amazon-rds-postgresql");
  EXPECT_EQ(inventory.components[0].cycle, "16");
}

// Managed Kubernetes clusters map to their provider's end-of-life product (endoflife.date
// slugs azure-kubernetes-service and google-kubernetes-engine), cut at the minor version;
// a GKE version carries its build ("1.29.4-gke.1043002").
TEST(ProductMap, ManagedKubernetesClusters) {
  Inventory inventory = read_terraform_module(
      {{"main.tf",
        "resource \"azurerm_kubernetes_cluster\" \"aks\" {\n  kubernetes_version = \"1.28\"\n}\n"
        "resource \"google_container_cluster\" \"gke\" {\n  min_master_version = \"1.29.4-gke.1043002\"\n}\n"
        "module \"gke2\" {\n  source = \"terraform-google-modules/kubernetes-engine/google\"\n  version = \"~> 30.0\"\n"
        "  kubernetes_version = \"1.30\"\n}\n"
        "resource \"aws_eks_cluster\" \"eks\" {\n  version = \"1.31\"\n}\n"}});
  ProductMap::bundled().apply(inventory);
  std::map<std::string, std::pair<std::string, std::string>> clusters;  // address -> product, cycle
  for (const Component& component : inventory.components) {
    if (component.kind == "cluster") clusters[component.attributes.at("terraform.address")] = {component.product, component.cycle};
  }
  using Mapped = std::pair<std::string, std::string>;
  EXPECT_EQ(clusters["azurerm_kubernetes_cluster.aks"], (Mapped{"azure-kubernetes-service", "1.28"}));
  EXPECT_EQ(clusters["google_container_cluster.gke"], (Mapped{"google-kubernetes-engine", "1.29"}));
  EXPECT_EQ(clusters["module.gke2"], (Mapped{"google-kubernetes-engine", "1.30"}));
  EXPECT_EQ(clusters["aws_eks_cluster.eks"], (Mapped{"amazon-eks", "1.31"}));
}

TEST(ProductMap, UserConfigOverridesAndExtends) {
  auto config = parse_inventory_config(R"(
products:
  - product: acme-postgres
    scheme: generic
    cycle: minor
    images: [postgres]
  - product: in-house-db
    images: [registry.example.com/db]
)",
                                       "uprank.yaml");
  // Two new products, neither close to a known one: a note each, no warning.
  ASSERT_EQ(config.diagnostics.size(), 2u);
  for (const Diagnostic& diagnostic : config.diagnostics) EXPECT_EQ(diagnostic.severity, Severity::kNote) << diagnostic.message;
  ProductMap map = merged_product_map(config);
  Inventory inventory;
  inventory.components = {image("postgres:16.1"), image("registry.example.com/db:2"), image("busybox:1.36")};
  map.apply(inventory);
  EXPECT_EQ(inventory.components[0].product, "acme-postgres");
  EXPECT_EQ(inventory.components[0].cycle, "16.1");
  EXPECT_EQ(inventory.components[1].product, "in-house-db");
  EXPECT_FALSE(inventory.components[2].mapped());  // kept, not dropped
}

TEST(ProductMap, BadEntriesAreDiagnostics) {
  std::vector<Diagnostic> diagnostics;
  ProductMap map = ProductMap::parse("products:\n  - images: [x]\n  - product: y\n    scheme: nope\n  - product: z\n    cycle: weekly\n",
                                     "p.yaml", diagnostics);
  ASSERT_EQ(diagnostics.size(), 3u);
  EXPECT_EQ(diagnostics[0].range.begin.line, 2);
  EXPECT_EQ(diagnostics[1].range.begin.line, 4);
  EXPECT_EQ(map.size(), 1u);
}

TEST(ProductMap, ReleaseCycles) {
  ProductRule minor{"p", std::nullopt, CycleRule::kMinor, 0, {}, {}};
  ProductRule major{"p", std::nullopt, CycleRule::kMajor, 10, {}, {}};
  EXPECT_EQ(release_cycle(minor, "3.11.7"), "3.11");
  EXPECT_EQ(release_cycle(minor, "v1.33.0"), "1.33");
  EXPECT_EQ(release_cycle(minor, "8"), "8");
  EXPECT_EQ(release_cycle(major, "1:16.2-1"), "16");
  EXPECT_EQ(release_cycle(major, "9.6.8"), "9.6");
  EXPECT_EQ(release_cycle(major, "latest"), "");
}

TEST(ProductMapTest, PurlTypesPickTheirEcosystemScheme) {
  EXPECT_EQ(scheme_for_purl_type("gem"), versions::Scheme::kRubygems);
  EXPECT_EQ(scheme_for_purl_type("apk"), versions::Scheme::kApk);
  EXPECT_EQ(scheme_for_purl_type("nuget"), versions::Scheme::kNuget);
  EXPECT_EQ(scheme_for_purl_type("composer"), versions::Scheme::kPackagist);
  EXPECT_EQ(scheme_for_purl_type("cargo"), versions::Scheme::kSemver);
  EXPECT_EQ(scheme_for_purl_type("swift"), std::nullopt);
}

// endoflife.date's amazon-corretto is its own product (pkg:docker/library/amazoncorretto
// among its identifiers; Corretto 17 supported to 2029-10-31, Temurin 17 to 2027-10-31):
// no Corretto image is Temurin.
TEST(ProductMap, CorrettoImagesAreAmazonCorretto) {
  for (const char* reference : {"amazoncorretto:17.0.12", "amazoncorretto/amazoncorretto:17.0.12",
                                "public.ecr.aws/amazoncorretto/amazoncorretto:17.0.12"}) {
    Inventory inventory = one(image(reference));
    ProductMap::bundled().apply(inventory);
    EXPECT_EQ(inventory.components[0].product, "amazon-corretto") << reference;
  }
  Inventory temurin = one(image("eclipse-temurin:17.0.12_7-jre"));
  ProductMap::bundled().apply(temurin);
  EXPECT_EQ(temurin.components[0].product, "eclipse-temurin");
}

}  // namespace
}  // namespace uprank::inventory
