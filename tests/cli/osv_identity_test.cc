// osv_query_for: what `uprank fetch` asks osv.dev about each kind of component.
#include <gtest/gtest.h>

#include "cli/osv_identity.h"
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
  c.purl = std::move(purl);
  c.version_text = std::move(version);
  c.product = std::move(product);
  c.source = std::move(source);
  c.attributes = std::move(attributes);
  return c;
}

TEST(OsvIdentityTest, QueryPerKindOfComponent) {
  const std::vector<IdentityCase> cases = {
      {"sbom npm purl", component("pkg:npm/%40angular/core@11.0.0"), R"({"package":{"purl":"pkg:npm/%40angular/core@11.0.0"}})"},
      {"purl without version takes the component's",
       component("pkg:pypi/jinja2", "2.4.1"), R"({"package":{"purl":"pkg:pypi/jinja2@2.4.1"}})"},
      {"dpkg asks the source package, distro kept, arch dropped",
       component("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "3.0.11-1~deb12u2", "", "dpkg",
                 {{"source_package", "openssl"}}),
       R"({"package":{"purl":"pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"}})"},
      {"dpkg source version", component("pkg:deb/debian/libc6@2.36-9+deb12u4+b1?arch=amd64", "2.36-9+deb12u4+b1", "",
                                        "dpkg", {{"source_package", "glibc"}, {"source_version", "2.36-9+deb12u4"}}),
       R"({"package":{"purl":"pkg:deb/debian/glibc@2.36-9%2Bdeb12u4"}})"},
      {"bitnami image", component("pkg:docker/bitnami/redis@7.2.4", "7.2.4", "redis"),
       R"({"package":{"ecosystem":"Bitnami","name":"redis"},"version":"7.2.4"})"},
      {"official image mapped to a product", component("pkg:docker/library/postgres@15.3", "15.3", "postgresql"),
       R"({"package":{"ecosystem":"Bitnami","name":"postgresql"},"version":"15.3"})"},
      {"native entry with a product", component("", "6.0.16", "redis"),
       R"({"package":{"ecosystem":"Bitnami","name":"redis"},"version":"6.0.16"})"},
      {"unmapped image", component("pkg:docker/acme/tool@1.0", "1.0"), ""},
      {"no identity", component("", "1.0"), ""},
      {"product without version", component("", "", "redis"), ""},
      {"invalid purl", component("pkg:", "1.0"), ""},
  };
  for (const IdentityCase& c : cases) {
    auto query = osv_query_for(c.component);
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
