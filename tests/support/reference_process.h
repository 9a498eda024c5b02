// Runs a reference implementation as one batch process for the differential tests.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace uprank::testing_support {

// Writes `lines` to a file, runs `command` with {in}, {out} and {dir} replaced by that
// file, the answer file and a scratch folder, and returns the answer file's lines. On a
// failed command returns nothing and says why in `failure`.
inline std::vector<std::string> ask_reference(const std::vector<std::string>& lines, std::string command,
                                              std::string& failure) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("uprank-diff-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path in = dir / "cases.txt", out = dir / "answers.txt";
  {
    std::ofstream f(in);
    for (const auto& line : lines) f << line << '\n';
  }
  for (auto [token, value] : {std::pair<std::string, std::string>{"{in}", in.string()}, {"{out}", out.string()},
                              {"{dir}", dir.string()}}) {
    for (size_t p; (p = command.find(token)) != std::string::npos;) command.replace(p, token.size(), value);
  }
  int status = std::system(command.c_str());
  std::vector<std::string> answers;
  if (status != 0) {
    failure = "reference command failed (status " + std::to_string(status) + "): " + command;
  } else {
    std::ifstream f(out);
    for (std::string line; std::getline(f, line);) answers.push_back(line);
  }
  fs::remove_all(dir);
  return answers;
}

}  // namespace uprank::testing_support
