// The report history through the real binary: three nightly runs on three days against
// one store, where one component is upgraded (fixing its advisory) on the second night
// and PostgreSQL 14's support ends (2026-11-12) before the third. Each night's change
// sections and `uprank history` are compared with want files under tests/cli/history/
// (UPRANK_UPDATE_GOLDEN=1 rewrites them), and the sections' members are named here too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/run_command.h"
#include "tests/test_folder.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = UPRANK_SOURCE_DIR;
const fs::path kWant = kSource / "tests/cli/history";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares `got` with the want file, or rewrites it under UPRANK_UPDATE_GOLDEN=1.
void expect_want(const std::string& got, const std::string& name) {
  fs::path want = kWant / name;
  if (std::getenv("UPRANK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(want, std::ios::binary) << got;
    return;
  }
  EXPECT_EQ(got, read_file(want)) << "differs from " << want;
}

std::vector<std::string> names(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item["name"]);
  return out;
}

class HistoryCliTest : public ::testing::Test {
 protected:
  // Writes the night's inventory to the same path (history follows the inputs' paths)
  // and runs `uprank report` against the test store.
  test_support::CommandResult report(const std::string& today, const std::string& web_version,
                                     const std::string& format = "json", const std::string& extra = "") {
    std::ofstream(folder_ / "fleet.yaml") << "components:\n"
                                             "  - name: web\n    product: httpd\n    version: \"" + web_version + "\"\n"
                                             "  - name: orders-db\n    product: postgresql\n    version: \"14.23\"\n"
                                             "  - name: widget\n    product: widget\n    version: \"1.0\"\n";
    return run("report --inventory fleet.yaml --rules " + (kWant / "advisories.upr").string() + " --snapshot " +
               (kSource / "data/snapshot.json").string() + " --today " + today + " --format " + format + " " + extra);
  }
  // Runs the binary in the test folder; stdout in `out`, stderr appended to stderr.log
  // (a --snapshot run with --store warns that the store's facts are not read).
  test_support::CommandResult run(const std::string& arguments) {
    return test_support::run_command("cd '" + folder_.string() + "' && " + UPRANK_CLI + " --store store.db " +
                                     arguments + " 2>>stderr.log");
  }
  std::string errors() const { return read_file(folder_ / "stderr.log"); }

  test_support::TestFolder scratch_{"uprank-history-cli"};
  const fs::path& folder_ = scratch_.path();
};

TEST_F(HistoryCliTest, ThreeNightsListExactlyWhatChanged) {
  auto first = report("2026-11-01", "2.4.49");
  ASSERT_EQ(first.status, 0) << errors();
  auto night1 = nlohmann::json::parse(first.out);
  EXPECT_TRUE(night1["changes"]["previous"].is_null()) << "nothing recorded before the first night";
  expect_want(night1["changes"].dump(2) + "\n", "night1.json");

  // Night 2: web goes 2.4.49 -> 2.4.51, which fixes HTTPD-2021-41773.
  auto second = report("2026-11-02", "2.4.51");
  ASSERT_EQ(second.status, 0) << second.out;
  auto night2 = nlohmann::json::parse(second.out)["changes"];
  expect_want(night2.dump(2) + "\n", "night2.json");
  EXPECT_EQ(night2["previous"], "2026-11-01");
  EXPECT_EQ(names(night2["upgraded"]), std::vector<std::string>{"web"});
  EXPECT_EQ(night2["upgraded"][0]["from"], "2.4.49");
  EXPECT_EQ(night2["upgraded"][0]["to"], "2.4.51");
  EXPECT_EQ(names(night2["resolved"]), std::vector<std::string>{"web"});
  // The exploited advisory was web's SSVC "act"; fixed, web has no decision left.
  EXPECT_EQ(night2["resolved"][0]["decision_before"], "act");
  EXPECT_EQ(night2["resolved"][0]["decision_after"], "none");
  EXPECT_EQ(names(night2["new"]), std::vector<std::string>{});
  EXPECT_EQ(names(night2["escalated"]), std::vector<std::string>{});

  // Night 3, after PostgreSQL 14's support ended on 2026-11-12: orders-db escalates.
  auto third = report("2026-11-13", "2.4.51");
  ASSERT_EQ(third.status, 0) << third.out;
  auto night3 = nlohmann::json::parse(third.out)["changes"];
  expect_want(night3.dump(2) + "\n", "night3.json");
  EXPECT_EQ(night3["previous"], "2026-11-02");
  EXPECT_EQ(names(night3["escalated"]), std::vector<std::string>{"orders-db"});
  EXPECT_EQ(names(night3["upgraded"]), std::vector<std::string>{});
  EXPECT_EQ(names(night3["deescalated"]), std::vector<std::string>{});

  // A rerun on the same day replaces that day's record and still compares with night 2.
  auto again = report("2026-11-13", "2.4.51", "table");
  ASSERT_EQ(again.status, 0) << again.out;
  // Up to the data lines, which name the snapshot by its absolute path.
  expect_want(again.out.substr(0, again.out.find("\nData: ") + 1), "night3.table");

  auto history = run("history --today 2026-11-13 --since 30d");
  ASSERT_EQ(history.status, 0) << history.out;
  expect_want(history.out, "history.table");
  auto json = run("history --today 2026-11-13 --since 30d --format json");
  ASSERT_EQ(json.status, 0) << json.out;
  auto summary = nlohmann::json::parse(json.out);
  EXPECT_EQ(summary["schema_version"], "1.1");
  EXPECT_EQ(summary["days"].size(), 3u);
  // Components with findings by decision: web acts on night 1 only; widget's WIDGET-1 is tracked.
  EXPECT_EQ(summary["days"][0]["components_by_decision"]["act"], 1);
  EXPECT_EQ(summary["days"][1]["components_by_decision"]["act"], 0);
  EXPECT_EQ(summary["days"][2]["components_by_decision"]["track"], 1);
  ASSERT_EQ(summary["upgrades"].size(), 1u);
  EXPECT_EQ(summary["upgrades"][0]["first_seen"], "2026-11-02");
}

TEST_F(HistoryCliTest, NoHistoryNeitherRecordsNorCompares) {
  ASSERT_EQ(report("2026-11-01", "2.4.49", "json", "--no-history").status, 0);
  auto second = report("2026-11-02", "2.4.51");
  ASSERT_EQ(second.status, 0) << second.out;
  EXPECT_TRUE(nlohmann::json::parse(second.out)["changes"]["previous"].is_null()) << second.out;
  auto quiet = report("2026-11-03", "2.4.51", "json", "--no-history");
  EXPECT_TRUE(nlohmann::json::parse(quiet.out)["changes"].is_null()) << quiet.out;
}

TEST_F(HistoryCliTest, ComparesWithABaselineReportWithoutAStore) {
  auto first = report("2026-11-01", "2.4.49", "json", "--no-history -o night1.json");
  ASSERT_EQ(first.status, 0) << errors();
  auto second = report("2026-11-02", "2.4.51", "json", "--no-history --baseline night1.json");
  ASSERT_EQ(second.status, 0) << second.out;
  auto changes = nlohmann::json::parse(second.out)["changes"];
  EXPECT_EQ(changes["against"], "night1.json");
  EXPECT_EQ(names(changes["upgraded"]), std::vector<std::string>{"web"});
  EXPECT_EQ(names(changes["resolved"]), std::vector<std::string>{"web"});
  EXPECT_FALSE(fs::exists(folder_ / "store.db")) << "--no-history leaves no store behind";
}

TEST_F(HistoryCliTest, HistoryRejectsABadSince) {
  auto bad = run("history --since yesterday");
  EXPECT_EQ(bad.status, 2) << errors();
  EXPECT_NE(errors().find("--since takes"), std::string::npos) << errors();
}

// An advisory withdrawn between two nights (OSV's `withdrawn`, or a vendor pulling a
// bulletin) changes what web's SSVC finding read, not which finding it is: the finding is
// neither new nor resolved (it was both while its fingerprint hashed the advisory ids), and
// it is de-escalated, since the exploited advisory that made it "act" is the one gone.
TEST_F(HistoryCliTest, AWithdrawnAdvisoryIsNeitherNewNorResolved) {
  const std::string exploited =
      "advisory \"HTTPD-2021-41773\" {\n  affects \"httpd\" in \">=2.4.49, <2.4.51\"\n  fixed \"2.4.51\"\n"
      "  cvss \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n  exploited since 2021-10-05\n"
      "  published 2021-10-05\n}\n";
  const std::string plain =
      "advisory \"HTTPD-2021-42013\" {\n  affects \"httpd\" in \">=2.4.49, <2.4.51\"\n  fixed \"2.4.51\"\n"
      "  published 2021-10-07\n}\n";
  std::ofstream(folder_ / "fleet.yaml") << "components:\n  - name: web\n    product: httpd\n    version: \"2.4.49\"\n";
  auto night = [&](const std::string& today, const std::string& advisories) {
    std::ofstream(folder_ / "advisories.upr") << "package history.withdrawn\n" << advisories;
    return run("report --inventory fleet.yaml --rules advisories.upr --snapshot " +
               (kSource / "data/snapshot.json").string() + " --today " + today + " --format json");
  };
  auto first = night("2026-11-01", exploited + plain);
  ASSERT_EQ(first.status, 0) << errors();
  auto before = nlohmann::json::parse(first.out);
  ASSERT_EQ(before["components"].size(), 1u) << first.out;
  auto second = night("2026-11-02", plain);
  ASSERT_EQ(second.status, 0) << errors();
  auto after = nlohmann::json::parse(second.out);
  auto changes = after["changes"];
  EXPECT_EQ(changes["previous"], "2026-11-01");
  EXPECT_EQ(names(changes["new"]), std::vector<std::string>{}) << changes.dump(2);
  EXPECT_EQ(names(changes["resolved"]), std::vector<std::string>{}) << changes.dump(2);
  EXPECT_EQ(names(changes["deescalated"]), std::vector<std::string>{"web"}) << changes.dump(2);
  // The SSVC finding keeps its fingerprint while its message counts one advisory fewer.
  auto fingerprint_of_rule = [](const nlohmann::json& report, const std::string& rule) {
    for (const auto& finding : report["components"][0]["findings"]) {
      if (finding["rule"] == rule) return finding["fingerprint"].get<std::string>();
    }
    return std::string();
  };
  std::string was = fingerprint_of_rule(before, "uprank.ssvc.ssvc_decision");
  ASSERT_FALSE(was.empty()) << first.out;
  EXPECT_EQ(was, fingerprint_of_rule(after, "uprank.ssvc.ssvc_decision"));
}

// A report that could not be written is not history: tomorrow's "previous run" must be
// one somebody received.
TEST_F(HistoryCliTest, AReportThatCouldNotBeWrittenIsNotRecorded) {
  auto failed = report("2026-11-01", "2.4.49", "json", "-o /dev/full");
  EXPECT_NE(failed.status, 0) << errors();
  auto next = report("2026-11-02", "2.4.49");
  ASSERT_EQ(next.status, 0) << errors();
  EXPECT_TRUE(nlohmann::json::parse(next.out)["changes"]["previous"].is_null())
      << "the unwritten run of 2026-11-01 became the previous run";
}

}  // namespace
}  // namespace uprank::cli
