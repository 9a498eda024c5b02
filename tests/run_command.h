// Runs a shell command for end-to-end tests of the uprank binary, returning its exit status
// and what it wrote to stdout (redirect stderr in the command to keep or drop it).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace uprank::test_support {

struct CommandResult {
  int status = -1;  // the exit code; -1 when the command could not run or was killed
  std::string out;
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[65536];
  size_t read;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, read);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace uprank::test_support
