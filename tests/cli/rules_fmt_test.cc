// `uprank rules fmt`: rewrites files in place, --check lists unformatted files, and files
// with syntax errors are left alone with exit code 2.
#include "cli/rules_fmt.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;

class RulesFmt : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("uprank_rules_fmt_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "pack" / "nested");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  std::string read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  fs::path dir_;
};

constexpr const char* kCanonical = "param warn_window = 120d\n";
constexpr const char* kUnformatted = "rule r{urgency low}\n";
constexpr const char* kFormatted = "rule r {\n  urgency low\n}\n";

TEST_F(RulesFmt, CheckListsUnformattedFilesAndChangesNothing) {
  write("pack/a.upr", kCanonical);
  write("pack/nested/b.upr", kUnformatted);
  write("pack/notes.txt", "not a rule file");
  testing::internal::CaptureStdout();
  int code = run_rules_fmt({(dir_ / "pack").string()}, true);
  std::string listed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 1);
  EXPECT_EQ(listed, (dir_ / "pack" / "nested" / "b.upr").string() + "\n");
  EXPECT_EQ(read("pack/nested/b.upr"), kUnformatted);
}

TEST_F(RulesFmt, RewritesFilesInPlaceThenChecksClean) {
  write("pack/a.upr", kCanonical);
  write("pack/nested/b.upr", kUnformatted);
  EXPECT_EQ(run_rules_fmt({(dir_ / "pack").string()}, false), 0);
  EXPECT_EQ(read("pack/nested/b.upr"), kFormatted);
  EXPECT_EQ(read("pack/a.upr"), kCanonical);
  EXPECT_FALSE(fs::exists(dir_ / "pack" / "nested" / "b.upr.fmt-tmp"));
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_rules_fmt({(dir_ / "pack").string()}, true), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
}

TEST_F(RulesFmt, LeavesFilesWithSyntaxErrorsAloneAndExitsTwo) {
  const std::string broken = "rule r {\n  urgency high +\n}\n";
  write("pack/broken.upr", broken);
  write("pack/ok.upr", kUnformatted);
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_rules_fmt({(dir_ / "pack").string()}, false), 2);
  std::string errors = testing::internal::GetCapturedStderr();
  EXPECT_NE(errors.find("broken.upr:3:1: unexpected '}' [uprank.syntax]"), std::string::npos) << errors;
  EXPECT_EQ(read("pack/broken.upr"), broken);
  EXPECT_EQ(read("pack/ok.upr"), kFormatted);  // the other files are still formatted
}

TEST_F(RulesFmt, ReportsMissingPaths) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_rules_fmt({(dir_ / "absent").string()}, true), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("uprank.rules_not_found"), std::string::npos);
}

}  // namespace
}  // namespace uprank::cli
