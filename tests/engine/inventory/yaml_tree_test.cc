// The readers' YAML tree: one pass over the parser's events gives the shape yaml-cpp's
// loader gave (aliases resolved, repeated keys kept, marks), with every bound applied
// while parsing and messages that name the limit crossed.
#include "engine/inventory/yaml_tree.h"

#include <gtest/gtest.h>

namespace uprank::inventory::internal {
namespace {

TEST(YamlTree, ShapesScalarsAndMarks) {
  auto documents = load_yaml("a: 1\nb:\nc: [x, 'y']\nd: {e: ~}\n", "f.yaml", 64);
  ASSERT_TRUE(documents.ok()) << documents.error().message;
  ASSERT_EQ(documents->size(), 1u);
  const YamlNode& root = documents->front();
  ASSERT_TRUE(root.is_map());
  EXPECT_EQ(root["a"].scalar(), "1");
  EXPECT_EQ(root["a"].mark().line, 0);
  EXPECT_EQ(root["a"].mark().column, 3);
  EXPECT_TRUE(root["b"]);  // "b:" is a null, present
  EXPECT_TRUE(root["b"].is_null());
  EXPECT_FALSE(root["missing"]);
  EXPECT_FALSE(root["a"]["deeper"]);  // a lookup on a scalar is absent, not an exception
  ASSERT_EQ(root["c"].items().size(), 2u);
  EXPECT_EQ(root["c"].items()[1].scalar(), "y");
  EXPECT_EQ(root["c"].mark().line, 2);
  EXPECT_TRUE(root["d"]["e"].is_null());
  EXPECT_EQ(root["d"].scalar(), "");  // not a scalar: no text
}

TEST(YamlTree, RepeatedKeysKeptFirstWins) {
  auto documents = load_yaml("k: 1\nk: 2\n", "f.yaml", 64);
  ASSERT_TRUE(documents.ok());
  const YamlNode& root = documents->front();
  ASSERT_EQ(root.entries().size(), 2u);
  EXPECT_EQ(root["k"].scalar(), "1");
  EXPECT_EQ(root.entries()[1].value.scalar(), "2");
}

TEST(YamlTree, AliasesReadAsTheirAnchor) {
  auto documents = load_yaml("base: &b {image: nginx:1.25}\nweb:\n  <<: *b\nkey: &k name\n*k : v\n", "f.yaml", 64);
  ASSERT_TRUE(documents.ok()) << documents.error().message;
  const YamlNode& root = documents->front();
  const YamlNode& merged = root["web"]["<<"];
  ASSERT_TRUE(merged.is_map());
  EXPECT_EQ(merged["image"].scalar(), "nginx:1.25");
  EXPECT_EQ(merged["image"].mark().line, 0);  // where the anchored node is written
  EXPECT_EQ(root["name"].scalar(), "v");       // an alias as a key
}

TEST(YamlTree, EveryDocument) {
  auto documents = load_yaml("---\na: 1\n---\n- x\n---\n", "f.yaml", 64);
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(documents->size(), 3u);
  EXPECT_TRUE((*documents)[1].is_sequence());
  EXPECT_TRUE((*documents)[2].is_null());
  auto empty = load_yaml("# only a comment\n", "f.yaml", 64);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

struct BadYaml {
  std::string text;
  int max_depth;
  size_t max_nodes;
  std::string code;
  std::string message;  // a part of it
  int line;
};

class YamlTreeErrors : public ::testing::TestWithParam<BadYaml> {};

TEST_P(YamlTreeErrors, NameTheLimitAndWhere) {
  const BadYaml& bad = GetParam();
  auto documents = load_yaml(bad.text, "bad.yaml", bad.max_depth, bad.max_nodes);
  ASSERT_FALSE(documents.ok());
  EXPECT_EQ(documents.error().code, bad.code);
  EXPECT_NE(documents.error().message.find(bad.message), std::string::npos) << documents.error().message;
  EXPECT_EQ(documents.error().where.file, "bad.yaml");
  EXPECT_EQ(documents.error().where.line, bad.line);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, YamlTreeErrors,
    ::testing::Values(
        BadYaml{"a: [b\n", 64, 100, "uprank.inventory.syntax", "not valid YAML: ", 2},
        BadYaml{"a:\n  - [[x]]\n", 3, 100, "uprank.inventory.too_deep", "YAML nested deeper than 3 levels, the limit", 2},
        BadYaml{"[a, b, c, d, e]\n", 64, 5, "uprank.inventory.too_deep", "more than 5 YAML nodes, the limit for one file", 1},
        // 8 nodes written, each alias repeats 4: the second crosses 15.
        BadYaml{"a: &a [x, x, x]\nb: [*a, *a]\n", 64, 15, "uprank.inventory.too_deep",
                "more than 15 YAML nodes once aliases are expanded", 2},
        BadYaml{"a: &a [[x]]\nb:\n  - *a\n", 3, 100, "uprank.inventory.too_deep",
                "nesting deeper than 3 levels once aliases are expanded", 3},
        BadYaml{"a: &a [*a]\n", 64, 100, "uprank.inventory.syntax", "an alias to the node that contains it", 1},
        BadYaml{",", 64, 100, "uprank.inventory.syntax", "cannot find the end of the documents", 1}));

// One less than each case above is within its limits.
TEST(YamlTree, AtTheLimitsIsRead) {
  EXPECT_TRUE(load_yaml("a:\n  - [[x]]\n", "f.yaml", 4).ok());
  EXPECT_TRUE(load_yaml("[a, b, c, d]\n", "f.yaml", 64, 5).ok());
  EXPECT_TRUE(load_yaml("a: &a [x, x, x]\nb: [*a, *a]\n", "f.yaml", 64, 16).ok());
  EXPECT_TRUE(load_yaml("a: &a [[x]]\nb:\n  - *a\n", "f.yaml", 4).ok());
}

}  // namespace
}  // namespace uprank::inventory::internal
