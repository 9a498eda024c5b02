// The partition, the shard spec, and which sets of shard files merge accepts. That the
// merged report equals the single run's in every format is tests/report/shard_merge_test.sh.
#include "engine/shard/shard.h"

#include <gtest/gtest.h>

namespace uprank::shard {
namespace {

inventory::Inventory fleet(size_t count) {
  inventory::Inventory out;
  for (size_t i = 0; i < count; ++i) {
    inventory::Component component;
    component.name = "svc-" + std::to_string(i);
    component.version_text = "1.0";
    out.components.push_back(component);
  }
  return out;
}

TEST(Partition, EveryComponentIsInExactlyOneShardWhateverItsVersion) {
  inventory::Inventory inventory = fleet(200);
  std::vector<size_t> seen(inventory.components.size(), 0);
  for (size_t index = 0; index < 4; ++index) {
    std::vector<bool> subjects = subjects_of(inventory, index, 4);
    size_t mine = 0;
    for (size_t c = 0; c < subjects.size(); ++c) {
      seen[c] += subjects[c] ? 1 : 0;
      mine += subjects[c] ? 1 : 0;
    }
    EXPECT_GT(mine, 20u) << "shard " << index << " of 200 components";
  }
  for (size_t count : seen) EXPECT_EQ(count, 1u);
  inventory::Component upgraded = inventory.components[7];
  upgraded.version_text = "2.0";
  EXPECT_EQ(shard_of(upgraded, 4), shard_of(inventory.components[7], 4)) << "the version is not the identity";
  // FNV-1a is fixed: the same partition on every machine, build and release.
  EXPECT_EQ(shard_of(inventory.components[0], 1000), shard_of(inventory.components[0], 1000));
  EXPECT_EQ(identities_hash(inventory), identities_hash(fleet(200)));
  EXPECT_NE(identities_hash(inventory), identities_hash(fleet(199)));
}

TEST(Spec, TakesIOfNCountingFromZero) {
  auto spec = parse_spec("3/4");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->first, 3u);
  EXPECT_EQ(spec->second, 4u);
  for (const char* bad : {"4/4", "1/0", "a/4", "1/", "/4", "1", "-1/4", "1/4/5", "0/10001"}) {
    auto refused = parse_spec(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, "uprank.shard.bad_spec");
  }
}

std::string shard_text(size_t index, size_t count, const std::string& data = "sha256:aa") {
  return R"({"uprank_shard": 1, "index": )" + std::to_string(index) + R"(, "count": )" + std::to_string(count) +
         R"(, "arguments": ["report", "-i", "fleet.yaml"], "directory": "/fleet", "format": "json",
            "today": "2026-09-01", "data_hash": ")" + data + R"(", "rules": ["a.b"], "components": 3,
            "identities_hash": "fnv1a64:00", "subjects": 1, "days": []})";
}

std::vector<Shard> read_all(const std::vector<std::string>& texts) {
  std::vector<Shard> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto shard = read_shard(texts[i], "shard" + std::to_string(i) + ".json");
    EXPECT_TRUE(shard) << shard.error().message;
    if (shard) out.push_back(std::move(shard).value());
  }
  return out;
}

TEST(CheckComplete, AcceptsTheNShardsOfOneRunInAnyOrder) {
  EXPECT_TRUE(check_complete(read_all({shard_text(1, 3), shard_text(0, 3), shard_text(2, 3)})));
  Status missing = check_complete(read_all({shard_text(0, 3), shard_text(2, 3)}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "shard 1 of 3 is missing");
  Status twice = check_complete(read_all({shard_text(0, 2), shard_text(0, 2), shard_text(1, 2)}));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "shard1.json: shard 0 is given twice (also shard0.json)");
  Status other_data = check_complete(read_all({shard_text(0, 2), shard_text(1, 2, "sha256:bb")}));
  ASSERT_FALSE(other_data);
  EXPECT_EQ(other_data.error().message, "shard1.json: not a shard of the run shard0.json belongs to: its data differ(s)");
  EXPECT_FALSE(check_complete(read_all({shard_text(0, 2), shard_text(1, 3)})));
}

TEST(ReadShard, RefusesWhatIsNoShardFile) {
  auto report = read_shard(R"({"schema_version": "1.8", "components": []})", "report.json");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "report.json: not a shard file (uprank report --shard I/N writes them)");
  auto wrong = read_shard(R"({"uprank_shard": 1, "index": "zero"})", "bad.json");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, "uprank.shard.invalid");
}

}  // namespace
}  // namespace uprank::shard
