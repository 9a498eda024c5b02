// endoflife.date API v1 product responses into EolProduct facts.
#include <gtest/gtest.h>

#include "fetchers/endoflife.h"
#include "fetchers/to_facts.h"

namespace uprank::fetch {
namespace {

RawResponse response_with(std::string releases, std::string extra_result = "") {
  RawResponse response;
  response.source = "endoflife";
  response.key = "demo";
  response.url = "https://endoflife.date/api/v1/products/demo/";
  response.fetched_at = "2026-08-22T00:00:00Z";
  response.body = R"({"schema_version":"1.2.1","generated_at":"2026-08-22T00:00:00+00:00","result":{"name":"demo",)" +
                  extra_result + R"("label":"Demo","links":{"html":"https://endoflife.date/demo"},"releases":[)" +
                  releases + "]}}";
  return response;
}

TEST(EndoflifeTest, DateWinsOverBuildTimeFlag) {
  // isEol was computed when the site was built; the date is the truth.
  auto product = parse_endoflife_product(response_with(
      R"({"name":"2","releaseDate":"2020-01-01","isLts":false,"ltsFrom":null,"isEol":true,"eolFrom":"2030-01-01",)"
      R"("isMaintained":false,"latest":{"name":"2.9","date":"2026-01-02","link":null},"custom":null})"));
  ASSERT_TRUE(product.ok()) << product.error().message;
  ASSERT_EQ(product->cycles.size(), 1u);
  const facts::EolCycle& cycle = product->cycles[0];
  EXPECT_EQ(cycle.security_ends, Date::parse("2030-01-01"));
  EXPECT_FALSE(cycle.security_ended_flag);
  EXPECT_FALSE(cycle.security_ended(*Date::parse("2030-01-01")));
  EXPECT_TRUE(cycle.security_ended(*Date::parse("2030-01-02")));
  EXPECT_EQ(cycle.latest, "2.9");
  EXPECT_EQ(cycle.latest_date, Date::parse("2026-01-02"));
  EXPECT_EQ(cycle.evidence.source, "endoflife");
  EXPECT_EQ(cycle.evidence.id, "demo/2");
  EXPECT_EQ(cycle.evidence.url, "https://endoflife.date/demo");
  EXPECT_EQ(cycle.evidence.fetched_at, "2026-08-22T00:00:00Z");
}

TEST(EndoflifeTest, BooleanEolWithoutDate) {
  auto product = parse_endoflife_product(response_with(
      R"({"name":"1","releaseDate":"2010-01-01","isLts":false,"ltsFrom":null,"isEol":true,"eolFrom":null,"latest":null},)"
      R"({"name":"0","releaseDate":"2009-01-01","isLts":false,"ltsFrom":null,"isEol":false,"eolFrom":null,"latest":null})"));
  ASSERT_TRUE(product.ok()) << product.error().message;
  EXPECT_TRUE(product->cycles[0].security_ended_flag);
  EXPECT_FALSE(product->cycles[0].security_ends.has_value());
  EXPECT_FALSE(product->cycles[1].security_ended_flag);
  EXPECT_FALSE(product->cycles[1].security_ended(*Date::parse("2099-01-01")));
}

TEST(EndoflifeTest, KeepsCodenames) {
  // As the v1 API publishes Debian's and Ubuntu's cycles: codename string or null.
  auto product = parse_endoflife_product(response_with(
      R"({"name":"12","codename":"Bookworm","releaseDate":"2023-06-10","isLts":false,"ltsFrom":null,"isEol":true,)"
      R"("eolFrom":"2026-07-11","latest":{"name":"12.15","date":"2026-01-10","link":null}},)"
      R"({"name":"22.04","codename":"Jammy Jellyfish","releaseDate":"2022-04-21","isLts":true,"ltsFrom":null,)"
      R"("isEol":false,"eolFrom":"2027-04-01","latest":null},)"
      R"({"name":"3.24","codename":null,"releaseDate":"2026-06-09","isLts":false,"ltsFrom":null,"isEol":false,)"
      R"("eolFrom":"2028-06-01","latest":null})"));
  ASSERT_TRUE(product.ok()) << product.error().message;
  EXPECT_EQ(product->cycles[0].codename, "Bookworm");
  EXPECT_EQ(product->cycles[1].codename, "Jammy Jellyfish");
  EXPECT_EQ(product->cycles[2].codename, "");
  facts::FactSet facts;
  facts.products["demo"] = *product;
  Date today = *Date::parse("2026-09-01");
  ASSERT_NE(facts.find_cycle_by_codename("demo", "bookworm", today), nullptr);
  EXPECT_EQ(facts.find_cycle_by_codename("demo", "bookworm", today)->cycle, "12");
  EXPECT_EQ(facts.find_cycle_by_codename("demo", "jammy", today)->cycle, "22.04");
  EXPECT_EQ(facts.find_cycle_by_codename("demo", "lts/*", today)->cycle, "22.04");
  EXPECT_EQ(facts.find_cycle_by_codename("demo", "trixie", today), nullptr);
}

TEST(EndoflifeTest, ActiveExtendedAndLts) {
  auto product = parse_endoflife_product(response_with(
      R"({"name":"22","releaseDate":"2024-04-24","isLts":true,"ltsFrom":"2024-10-29","isEoas":true,"eoasFrom":"2025-10-21",)"
      R"("isEol":false,"eolFrom":"2027-04-30","isEoes":true,"eoesFrom":null,"isMaintained":true,"latest":null,"custom":null},)"
      R"({"name":"26","releaseDate":"2026-05-05","isLts":false,"ltsFrom":"2026-10-28","isEoas":false,"eoasFrom":null,)"
      R"("isEol":false,"eolFrom":"2029-04-30","isEoes":null,"eoesFrom":null,"latest":null})"));
  ASSERT_TRUE(product.ok()) << product.error().message;
  const auto& c22 = product->cycles[0];
  EXPECT_EQ(c22.active_ends, Date::parse("2025-10-21"));
  EXPECT_FALSE(c22.extended_ends.has_value());
  EXPECT_TRUE(c22.extended_ended_flag);
  EXPECT_TRUE(c22.lts);
  EXPECT_EQ(c22.lts_from, Date::parse("2024-10-29"));
  const auto& c26 = product->cycles[1];
  EXPECT_TRUE(c26.lts) << "an upcoming LTS cycle is LTS from its ltsFrom date";
  EXPECT_FALSE(c26.active_ended_flag);
  EXPECT_FALSE(c26.extended_ended_flag);
}

struct BadCase {
  const char* name;
  std::string body;
  const char* code;
};

class EndoflifeBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(EndoflifeBadInputTest, FailsWithCode) {
  RawResponse response = response_with("");
  response.body = GetParam().body;
  auto product = parse_endoflife_product(response);
  ASSERT_FALSE(product.ok());
  EXPECT_EQ(product.error().code, GetParam().code);
  EXPECT_NE(product.error().message.find("https://endoflife.date/api/v1/products/demo/"), std::string::npos)
      << product.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EndoflifeBadInputTest,
    ::testing::Values(
        BadCase{"empty", "", "uprank.fetch.malformed_json"},
        BadCase{"truncated", R"({"schema_version":"1.2.1","result":{"name":"x","releases":[)", "uprank.fetch.malformed_json"},
        BadCase{"html", "<html><body>404 Not Found</body></html>", "uprank.fetch.malformed_json"},
        BadCase{"deep", std::string(100000, '[') + std::string(100000, ']'), "uprank.fetch.malformed_json"},
        BadCase{"v0_array", R"([{"cycle":"15","eol":"2027-11-11"}])", "uprank.fetch.bad_shape"},
        BadCase{"no_releases", R"({"schema_version":"1.2.1","result":{"name":"x"}})", "uprank.fetch.bad_shape"},
        BadCase{"bad_date",
                R"({"schema_version":"1.2.1","result":{"name":"x","releases":[{"name":"1","eolFrom":"2024-13-01"}]}})",
                "uprank.fetch.bad_field"},
        BadCase{"cycle_without_name", R"({"schema_version":"1.2.1","result":{"name":"x","releases":[{"isEol":true}]}})",
                "uprank.fetch.bad_shape"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(EndoflifeTest, ProductList) {
  auto names = parse_endoflife_product_list(
      R"({"schema_version":"1.2.1","total":2,"result":[{"name":"go","uri":"x"},{"name":"redis","uri":"y"}]})", "list");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"go", "redis"}));
  EXPECT_EQ(endoflife_product_url("http://127.0.0.1:8080/", "go"), "http://127.0.0.1:8080/api/v1/products/go/");
}


// Issue #15 kind 13: a body for another product under a key (a store row or snapshot entry
// "postgresql" holding nginx's answer) would give one product's dates to another.
TEST(EndoflifeTest, ABodyForAnotherProductIsNotTakenUnderTheKey) {
  RawResponse response = response_with("");
  response.key = "postgresql";
  Status valid = validate_response(response);
  ASSERT_FALSE(valid.ok());
  EXPECT_EQ(valid.error().code, "uprank.fetch.wrong_key");
  EXPECT_NE(valid.error().message.find("'demo', not the key 'postgresql'"), std::string::npos) << valid.error().message;
  auto facts = facts_from_responses({response, response_with("")}, "store");
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->skipped.size(), 1u);
  EXPECT_EQ(facts->products.count("postgresql"), 0u);
  EXPECT_EQ(facts->products.count("demo"), 1u);
}

}  // namespace
}  // namespace uprank::fetch
