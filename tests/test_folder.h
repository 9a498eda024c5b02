// A fresh folder per test under the system temp directory, named after the process and the
// running test so parallel ctest runs never share one; removed when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace uprank::test_support {

class TestFolder {
 public:
  // Creates "<temp>/<prefix>-<pid>-<test name>", emptied first. Construct it inside a test
  // (or a fixture member), where the running test is known.
  explicit TestFolder(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" + test_name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TestFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestFolder(const TestFolder&) = delete;
  TestFolder& operator=(const TestFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  // The running test's name, with the '/' of a parameterized test ("Run/README_md") made
  // '_' so the folder is one level deep and removed whole.
  static std::string test_name() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    return name;
  }

  std::filesystem::path path_;
};

}  // namespace uprank::test_support
