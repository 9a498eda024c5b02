#include "tests/docs/doc_commands.h"

#include <sstream>

#include <re2/re2.h>

namespace uprank::docs_test {
namespace {

// The trailing annotation of a command line: ` # exit N` (any text may follow) or
// ` # not run: REASON`. Only a comment after white space counts, as in the shell.
const RE2 kExit(R"(\s#\s*exit\s+([0-9]+)\b)");
const RE2 kNotRun(R"(\s#\s*not run:\s*(\S.*?)\s*$)");
const RE2 kLooseAnnotation(R"(\s#\s*(?:exit|not run)\b)");

void annotate(DocCommand& command, const std::string& last_line, int line_number, std::vector<std::string>& problems) {
  int exit_code = 0;
  std::string reason;
  if (RE2::PartialMatch(last_line, kExit, &exit_code)) {
    command.expected_exit = exit_code;
  } else if (RE2::PartialMatch(last_line, kNotRun, &reason)) {
    command.not_run = reason;
  } else if (RE2::PartialMatch(last_line, kLooseAnnotation)) {
    problems.push_back(std::to_string(line_number) +
                       ": malformed annotation: write '# exit N' or '# not run: REASON' at the end of the line");
  }
}

}  // namespace

DocCommands extract_doc_commands(const std::string& markdown) {
  DocCommands result;
  std::istringstream in(markdown);
  std::string line;
  int number = 0;
  bool in_fence = false;
  std::string language;
  std::optional<DocCommand> open;  // a command whose last line ended in `\`

  auto finish = [&](DocCommand command, const std::string& last_line) {
    annotate(command, last_line, number, result.problems);
    result.commands.push_back(std::move(command));
  };

  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      if (open) {
        result.problems.push_back(std::to_string(open->line) + ": the command's last line ends in '\\'");
        open.reset();
      }
      in_fence = !in_fence;
      language = in_fence ? line.substr(3) : "";
      continue;
    }
    if (!in_fence) continue;
    std::string command_line;
    if (open) {
      command_line = line;
    } else if (language == "sh") {
      if (line.find_first_not_of(" \t") == std::string::npos || line.rfind("#", 0) == 0) continue;
      command_line = line;
    } else if (line.rfind("$ ", 0) == 0) {
      command_line = line.substr(2);
    } else {
      if (line.rfind("uprank ", 0) == 0 && language != "text") {
        result.problems.push_back(std::to_string(number) + ": a command in a ```" + language +
                                  " fence: mark the fence ```sh to run it, or ```text when it is a synopsis");
      }
      continue;
    }
    if (!open) {
      open = DocCommand{};
      open->line = number;
    } else {
      open->text += "\n";
    }
    open->text += command_line;
    if (!command_line.empty() && command_line.back() == '\\') continue;
    DocCommand done = std::move(*open);
    open.reset();
    finish(std::move(done), command_line);
  }
  if (open) result.problems.push_back(std::to_string(open->line) + ": the command's last line ends in '\\'");
  if (in_fence) result.problems.push_back(std::to_string(number) + ": a fence is never closed");
  return result;
}

}  // namespace uprank::docs_test
