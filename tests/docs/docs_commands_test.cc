// Every command shown in README.md, docs/ and examples/ runs as written, in document order,
// with the exit status the document states (docs/writing-docs.md): documentation cannot rot.
// Each document runs in a fresh folder holding copies of data/, docs/, examples/ and rules/
// with an empty store, as on a fresh clone; `uprank` is the built binary; every vendor source
// points at a loopback server answering with the bundled data.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "tests/docs/bundled_data_server.h"
#include "tests/docs/doc_commands.h"
#include "tests/run_command.h"
#include "tests/test_folder.h"

namespace uprank::docs_test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = UPRANK_SOURCE_DIR;
constexpr int kCommandSeconds = 120;  // a hung command fails instead of stalling ctest

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The documents whose commands run: README.md and every Markdown file under docs/ and
// examples/, in name order.
std::vector<std::string> documents() {
  std::vector<std::string> found = {"README.md"};
  for (const char* folder : {"docs", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kSource / folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".md") {
        found.push_back(entry.path().lexically_relative(kSource).generic_string());
      }
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

struct Outcome {
  const DocCommand* command;
  int status;
  std::string output;  // stdout and stderr together
};

// Runs `commands` in order in a fresh copy of the repository's data, with `server` as every
// vendor source. Commands marked not-run are left out.
class DocumentRun {
 public:
  explicit DocumentRun(const BundledDataServer& server) : server_(server) {
    for (const char* folder : {"data", "docs", "examples", "rules"}) {
      fs::copy(kSource / folder, root() / folder, fs::copy_options::recursive);
    }
    fs::create_directories(root() / "home");
  }

  std::vector<Outcome> run(const std::vector<DocCommand>& commands) {
    std::vector<Outcome> outcomes;
    const std::string binary_folder = fs::path(UPRANK_CLI).parent_path().string();
    const char* path = std::getenv("PATH");
    for (const DocCommand& command : commands) {
      if (command.not_run) continue;
      std::ofstream(root() / "command.sh") << command.text << "\n";
      std::string shell = "cd '" + root().string() + "' && env -u UPRANK_STORE -u GITHUB_TOKEN HOME='" +
                          (root() / "home").string() + "' XDG_CACHE_HOME='" + (root() / "cache").string() +
                          "' PATH='" + binary_folder + ":" + (path != nullptr ? path : "/usr/bin:/bin") + "' " +
                          server_.source_url_environment() + "timeout " + std::to_string(kCommandSeconds) +
                          " sh command.sh 2>&1";
      test_support::CommandResult result = test_support::run_command(shell);
      outcomes.push_back(Outcome{&command, result.status, result.out});
    }
    return outcomes;
  }

  const fs::path& root() const { return folder_.path(); }

 private:
  const BundledDataServer& server_;
  test_support::TestFolder folder_{"uprank-docs-commands"};
};

// Returns the file a `uprank report --format json -o FILE` command writes, or "".
std::string json_report_written(const std::string& command) {
  std::string file;
  if (command.find("uprank ") == std::string::npos || command.find(" report ") == std::string::npos ||
      command.find("--format json") == std::string::npos) {
    return "";
  }
  RE2::PartialMatch(command, R"((?:^|\s)(?:-o|--output)\s+(\S+))", &file);
  return file;
}

// Returns the violations of `file` against docs/report.schema.json ("" when it validates),
// checked by python3-jsonschema as the golden cases are.
std::string schema_violations(const fs::path& file) {
  test_support::CommandResult result = test_support::run_command(
      std::string(UPRANK_PYTHON3) + " '" + (kSource / "tests/support/validate_json.py").string() + "' '" +
      (kSource / "docs/report.schema.json").string() + "' '" + file.string() + "' 2>&1");
  return result.status == 0 ? "" : "exit " + std::to_string(result.status) + ": " + result.out;
}

std::string describe(const std::string& document, const Outcome& outcome) {
  std::ostringstream text;
  text << document << ":" << outcome.command->line << ": exit " << outcome.status << ", the document expects "
       << outcome.command->expected_exit << "\n  $ " << outcome.command->text << "\n"
       << outcome.output.substr(0, 4000);
  return text.str();
}

class DocumentCommands : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { server_ = new BundledDataServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static BundledDataServer* server_;
};
BundledDataServer* DocumentCommands::server_ = nullptr;

TEST_P(DocumentCommands, RunAsWritten) {
  const std::string document = GetParam();
  DocCommands found = extract_doc_commands(read_file(kSource / document));
  for (const std::string& problem : found.problems) ADD_FAILURE() << document << ":" << problem;
  if (found.commands.empty()) {
    std::printf("%s: no commands\n", document.c_str());
    return;
  }
  DocumentRun run(*server_);
  std::vector<Outcome> outcomes = run.run(found.commands);
  size_t validated = 0;
  for (const Outcome& outcome : outcomes) {
    if (outcome.status != outcome.command->expected_exit) ADD_FAILURE() << describe(document, outcome);
    // Every JSON report the documentation writes follows the published schema.
    if (std::string report = json_report_written(outcome.command->text); !report.empty()) {
      ++validated;
      std::string violations = schema_violations(run.root() / report);
      EXPECT_EQ(violations, "") << document << ":" << outcome.command->line << ": " << report;
    }
  }
  // The count per document, and what was not run and why, in the test's output.
  std::printf("%s: ran %zu command(s), validated %zu JSON report(s)\n", document.c_str(), outcomes.size(), validated);
  for (const DocCommand& command : found.commands) {
    if (command.not_run) {
      std::printf("%s:%d: not run: %s\n  $ %s\n", document.c_str(), command.line, command.not_run->c_str(),
                  command.text.c_str());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocumentCommands, ::testing::ValuesIn(documents()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// The documents that must show commands do: a how-to or README without any would mean the
// convention no longer finds them.
TEST(DocumentCommandsFound, InTheDocumentsThatShowThem) {
  for (const char* document : {"README.md", "examples/README.md", "docs/howto/vendor-advisory.md",
                               "docs/howto/nightly-report.md", "docs/howto/pre-merge-check.md"}) {
    DocCommands found = extract_doc_commands(read_file(kSource / document));
    EXPECT_GE(found.commands.size(), 3u) << document;
  }
}

// The runner fails a broken command: a mistyped option, a missing file, a wrong expected
// exit status and a command that does not exist are each reported; a correct one is not.
TEST(DocumentCommandsSelfTest, ABrokenCommandFails) {
  DocCommands found = extract_doc_commands(
      "```sh\n"
      "uprank report --inventroy examples/inventory.yaml --snapshot data/snapshot.json\n"
      "uprank report --inventory examples/no-such-file.yaml --snapshot data/snapshot.json\n"
      "uprank version compare --scheme deb 1.0 2.0   # exit 1\n"
      "uprnak --help\n"
      "uprank report --inventory examples/inventory.yaml --snapshot data/snapshot.json --fail-on high  # exit 1\n"
      "```\n");
  ASSERT_TRUE(found.problems.empty());
  BundledDataServer server;
  DocumentRun run(server);
  std::vector<Outcome> outcomes = run.run(found.commands);
  ASSERT_EQ(outcomes.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NE(outcomes[i].status, outcomes[i].command->expected_exit) << describe("self-test", outcomes[i]);
  }
  EXPECT_EQ(outcomes[4].status, 1) << describe("self-test", outcomes[4]);
}

// The store starts empty in every document: a report before any data came in is exit 3.
TEST(DocumentCommandsSelfTest, StartsWithoutAStore) {
  DocCommands found = extract_doc_commands("```sh\nuprank report --inventory examples/inventory.yaml\n```\n");
  BundledDataServer server;
  DocumentRun run(server);
  std::vector<Outcome> outcomes = run.run(found.commands);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].status, 3) << outcomes[0].output;
}

struct ExtractCase {
  std::string name;
  std::string markdown;
  std::vector<std::pair<int, std::string>> commands;  // line, text
  std::vector<int> exits;
  size_t not_run = 0;
  size_t problems = 0;
};

class ExtractDocCommands : public ::testing::TestWithParam<ExtractCase> {};

TEST_P(ExtractDocCommands, FindsCommandsAndAnnotations) {
  const ExtractCase& c = GetParam();
  DocCommands found = extract_doc_commands(c.markdown);
  ASSERT_EQ(found.commands.size(), c.commands.size());
  size_t not_run = 0;
  for (size_t i = 0; i < c.commands.size(); ++i) {
    EXPECT_EQ(found.commands[i].line, c.commands[i].first);
    EXPECT_EQ(found.commands[i].text, c.commands[i].second);
    if (i < c.exits.size()) EXPECT_EQ(found.commands[i].expected_exit, c.exits[i]);
    if (found.commands[i].not_run) ++not_run;
  }
  EXPECT_EQ(not_run, c.not_run);
  EXPECT_EQ(found.problems.size(), c.problems);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ExtractDocCommands,
    ::testing::Values(
        ExtractCase{"sh_lines", "text\n```sh\n# a comment\nuprank a\n\nuprank b   # exit 1\n```\n",
                    {{4, "uprank a"}, {6, "uprank b   # exit 1"}}, {0, 1}},
        ExtractCase{"continuation", "```sh\nuprank a \\\n  --b   # exit 2\n```\n", {{2, "uprank a \\\n  --b   # exit 2"}}, {2}},
        ExtractCase{"not_run", "```sh\nmake demo   # not run: builds the project\n```\n",
                    {{2, "make demo   # not run: builds the project"}}, {0}, 1},
        ExtractCase{"transcript", "```\n$ uprank x   # exit 3\noutput\n```\n", {{2, "uprank x   # exit 3"}}, {3}},
        ExtractCase{"other_fences_ignored", "```json\n{\"uprank\": 1}\n```\n```text\nuprank fetch [--x]\n```\n", {}},
        ExtractCase{"unmarked_command", "```\nuprank fetch\n```\n", {}, {}, 0, 1},
        ExtractCase{"malformed_annotation", "```sh\nuprank a  # exit one\n```\n", {{2, "uprank a  # exit one"}}, {0}, 0, 1},
        ExtractCase{"open_continuation", "```sh\nuprank a \\\n```\n", {}, {}, 0, 1},
        ExtractCase{"unclosed_fence", "```sh\nuprank a\n", {{2, "uprank a"}}, {0}, 0, 1}),
    [](const ::testing::TestParamInfo<ExtractCase>& info) { return info.param.name; });

}  // namespace
}  // namespace uprank::docs_test
