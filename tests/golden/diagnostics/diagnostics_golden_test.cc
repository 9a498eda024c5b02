// Golden diagnostics: every broken rule file here renders exactly its .want file (parse
// and compile diagnostics, sorted, with source line and caret), and the .want names the
// stable code the case's `# expect:` line promises. UPRANK_UPDATE_GOLDEN=1 rewrites the
// .want files from the current output instead of comparing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/compiler/compiler.h"
#include "grammar/parser.h"

namespace uprank {
namespace {

namespace fs = std::filesystem;

const fs::path kCaseDir = fs::path(UPRANK_SOURCE_DIR) / "tests/golden/diagnostics";
constexpr const char* kCaseDirShown = "tests/golden/diagnostics";  // paths as users see them
constexpr size_t kMinimumCases = 30;

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(kCaseDir, error)) {
    if (entry.path().extension() == ".upr") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The code the case promises, from its first line: "# expect: uprank.unknown_field".
std::string expected_code(const std::string& source) {
  const std::string marker = "# expect: ";
  if (source.rfind(marker, 0) != 0) return "";
  size_t end = source.find('\n');
  return source.substr(marker.size(), end == std::string::npos ? std::string::npos : end - marker.size());
}

// Renders what `uprank rules check` reports for one file: parse diagnostics, then (when the
// file parses) the compiler's, all sorted by position.
std::string render_case(const std::string& path, const std::string& source) {
  grammar::ParseResult parsed = grammar::parse_file(source, path);
  std::vector<Diagnostic> diagnostics = parsed.diagnostics;
  if (!has_errors(parsed.diagnostics)) {
    std::vector<ast::File> files;
    files.push_back(std::move(parsed.file));
    compiler::CompileResult compiled = compiler::compile(files);
    diagnostics.insert(diagnostics.end(), compiled.diagnostics.begin(), compiled.diagnostics.end());
  }
  sort_diagnostics(diagnostics);
  std::string out;
  for (const auto& diagnostic : diagnostics) out += render_diagnostic(diagnostic, source);
  return out;
}

class DiagnosticsGolden : public testing::TestWithParam<std::string> {};

TEST_P(DiagnosticsGolden, RendersExactlyTheWantFile) {
  const std::string name = GetParam();
  const std::string source = read_file(kCaseDir / (name + ".upr"));
  const std::string code = expected_code(source);
  ASSERT_FALSE(code.empty()) << name << ".upr must start with '# expect: uprank.<code>'";
  const std::string actual = render_case(std::string(kCaseDirShown) + "/" + name + ".upr", source);
  const fs::path want_path = kCaseDir / (name + ".want");
  const char* update = std::getenv("UPRANK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(want_path, std::ios::binary) << actual;
  }
  ASSERT_TRUE(fs::exists(want_path)) << "missing " << want_path << "; run with UPRANK_UPDATE_GOLDEN=1";
  const std::string want = read_file(want_path);
  EXPECT_EQ(actual, want) << "diagnostics of " << name << ".upr changed; if on purpose, refresh with "
                          << "UPRANK_UPDATE_GOLDEN=1";
  EXPECT_NE(want.find("[" + code + "]"), std::string::npos) << name << ".want does not mention " << code;
}

INSTANTIATE_TEST_SUITE_P(Cases, DiagnosticsGolden, testing::ValuesIn(case_names()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(DiagnosticsGoldenSet, HasEnoughCases) { EXPECT_GE(case_names().size(), kMinimumCases); }

}  // namespace
}  // namespace uprank
