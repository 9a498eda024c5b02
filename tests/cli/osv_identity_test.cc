// osv_query_for: what `uprank fetch` asks osv.dev about each kind of component, from the
// identity the inventory assigns (docs/identity.md).
#include <gtest/gtest.h>

#include "cli/osv_identity.h"
#include "engine/inventory/identity.h"
#include "fetchers/osv.h"

namespace uprank::cli {
namespace {

struct IdentityCase {
  const char* name;
  inventory::Component component;
  std::string want;  // querybatch body of the one query, "" for none
};

inventory::Component component(std::string purl, std::string version = {}, std::string product = {},
                               std::string source = {}, std::map<std::string, std::string> attributes = {}) {
  inventory::Component c;
  c.name = "c";
  c.kind = "package";
  c.purl = std::move(purl);
  c.version_text = std::move(version);
  c.product = std::move(product);
  c.source = std::move(source);
  c.attributes = std::move(attributes);
  return c;
}

TEST(OsvIdentityTest, QueryPerKindOfComponent) {
  const std::vector<IdentityCase> cases = {
      {"npm scope", component("pkg:npm/%40angular/core@11.0.0"),
       R"({"package":{"ecosystem":"npm","name":"@angular/core"},"version":"11.0.0"})"},
      {"purl without version takes the component's", component("pkg:pypi/Jinja2", "2.4.1"),
       R"({"package":{"ecosystem":"PyPI","name":"jinja2"},"version":"2.4.1"})"},
      {"maven group:artifact", component("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "2.14.1"),
       R"({"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},"version":"2.14.1"})"},
      {"dpkg asks the source package of its release",
       component("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "3.0.11-1~deb12u2", "", "dpkg",
                 {{"package", "libssl3"}, {"source_package", "openssl"}}),
       R"({"package":{"ecosystem":"Debian:12","name":"openssl"},"version":"3.0.11-1~deb12u2"})"},
      {"dpkg source version", component("pkg:deb/debian/libc6@2.36-9+deb12u4+b1?arch=amd64", "2.36-9+deb12u4+b1", "",
                                        "dpkg", {{"package", "libc6"}, {"source_package", "glibc"}, {"source_version", "2.36-9+deb12u4"}}),
       R"({"package":{"ecosystem":"Debian:12","name":"glibc"},"version":"2.36-9+deb12u4"})"},
      {"distro package of unknown release", component("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1"), ""},
      {"bitnami image", component("pkg:docker/bitnami/redis@7.2.4", "7.2.4"),
       R"({"package":{"ecosystem":"Bitnami","name":"redis"},"version":"7.2.4"})"},
      {"official image mapped to a product", component("pkg:docker/library/postgres@15.3", "15.3"),
       R"({"package":{"ecosystem":"Bitnami","name":"postgresql"},"version":"15.3"})"},
      {"product whose Bitnami name differs", component("", "2.4.49", "apache-http-server"),
       R"({"package":{"ecosystem":"Bitnami","name":"apache"},"version":"2.4.49"})"},
      {"native entry with a product", component("", "6.0.16", "redis"),
       R"({"package":{"ecosystem":"Bitnami","name":"redis"},"version":"6.0.16"})"},
      {"product no advisory source names", component("", "1.29", "kubernetes"), ""},
      {"unmapped image", component("pkg:docker/acme/tool@1.0", "1.0"), ""},
      {"no identity", component("", "1.0"), ""},
      {"product without version", component("", "", "redis"), ""},
      {"invalid purl", component("pkg:", "1.0"), ""},
  };
  const inventory::ProductMap& products = inventory::ProductMap::bundled();
  for (const IdentityCase& c : cases) {
    inventory::Inventory inventory;
    inventory.components.push_back(c.component);
    inventory::IdentityOptions options;
    options.read_os_release = false;
    inventory::assign_identities(inventory, options);
    products.apply(inventory);
    auto query = osv_query_for(inventory.components[0], products);
    if (c.want.empty()) {
      EXPECT_FALSE(query.has_value()) << c.name;
      continue;
    }
    ASSERT_TRUE(query.has_value()) << c.name;
    std::string body = fetch::osv_querybatch_body({*query});
    EXPECT_EQ(body, R"({"queries":[)" + c.want + "]}") << c.name;
  }
}

}  // namespace
}  // namespace uprank::cli
