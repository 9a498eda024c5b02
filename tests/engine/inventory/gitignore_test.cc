// .gitignore matching against the reference: every case is run through real `git
// check-ignore` in a temporary repository and must agree, path by path; then the walk of
// a tree with nested .gitignore files against `git ls-files --others --exclude-standard`.
#include "engine/inventory/gitignore.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/inventory/readers.h"
#include "tests/run_command.h"
#include "tests/test_folder.h"

namespace uprank::inventory {
namespace {

namespace fs = std::filesystem;

struct IgnoreCase {
  std::string name;
  std::string gitignore;
  std::vector<std::string> paths;  // a trailing '/' makes a directory
};

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Returns whether the walk would skip `path`: it or a directory above it is ignored.
bool ignored_by_walk(const GitignoreRules& rules, const std::string& path, bool is_directory) {
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (rules.match(std::string_view(path).substr(0, slash), true) == GitignoreVerdict::kIgnored) return true;
  }
  return rules.match(path, is_directory) == GitignoreVerdict::kIgnored;
}

bool git_available() { return test_support::run_command("git --version >/dev/null 2>&1").status == 0; }

class AgainstGit : public ::testing::TestWithParam<IgnoreCase> {};

TEST_P(AgainstGit, SameVerdictAsCheckIgnore) {
  if (!git_available()) GTEST_SKIP() << "git is not installed";
  const IgnoreCase& test = GetParam();
  test_support::TestFolder folder("uprank-gitignore");
  const fs::path& repo = folder.path();
  ASSERT_EQ(test_support::run_command("git init -q " + shell_quoted(repo.string())).status, 0);
  std::ofstream(repo / ".gitignore", std::ios::binary) << test.gitignore;
  std::string arguments;
  for (const std::string& path : test.paths) {
    bool directory = path.back() == '/';
    std::string name = directory ? path.substr(0, path.size() - 1) : path;
    if (directory) {
      fs::create_directories(repo / name);
    } else {
      fs::create_directories((repo / name).parent_path());
      std::ofstream(repo / name) << "x\n";
    }
    arguments += " " + shell_quoted(name);
  }
  auto git = test_support::run_command("cd " + shell_quoted(repo.string()) + " && printf '%s\\0'" + arguments +
                                       " | git -c core.excludesFile=/dev/null check-ignore --no-index -z --stdin 2>&1");
  ASSERT_TRUE(git.status == 0 || git.status == 1) << git.out;
  std::set<std::string> git_ignored;  // NUL-separated: names as bytes, never quoted
  std::istringstream lines(git.out);
  for (std::string line; std::getline(lines, line, '\0');) git_ignored.insert(line);

  auto rules = GitignoreRules::compile(test.gitignore);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  for (const std::string& path : test.paths) {
    bool directory = path.back() == '/';
    std::string name = directory ? path.substr(0, path.size() - 1) : path;
    EXPECT_EQ(ignored_by_walk(*rules, name, directory), git_ignored.count(name) == 1)
        << "path '" << path << "' with .gitignore:\n"
        << test.gitignore;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, AgainstGit,
    ::testing::Values(
        IgnoreCase{"BaseNameAnyDepth", "*.log\n", {"a.log", "d/b.log", "d/e/c.log", "a.txt", "log", "x.log/", "x.log/y"}},
        IgnoreCase{"DirectoryOnly", "build/\n", {"build/", "build/x", "s/build/", "s/build/y", "t/build", "buildx/"}},
        IgnoreCase{"LeadingSlashAnchors", "/root.txt\n", {"root.txt", "s/root.txt"}},
        IgnoreCase{"MiddleSlashAnchors", "doc/*.txt\n", {"doc/a.txt", "doc/s/b.txt", "s/doc/a.txt"}},
        IgnoreCase{"LeadingStarStar", "**/foo\n", {"foo", "a/foo", "a/b/foo", "afoo", "a/xfoo"}},
        IgnoreCase{"LeadingStarStarPath", "**/foo/bar\n", {"foo/bar", "a/foo/bar", "foo/x/bar", "a/b/foo/bar"}},
        IgnoreCase{"TrailingStarStar", "abc/**\n", {"abc/", "abc/x", "abc/y/z", "abcd/x", "s/abc/x"}},
        IgnoreCase{"MiddleStarStar", "a/**/b\n", {"a/b", "a/x/b", "a/x/y/b", "a/xb", "c/a/b"}},
        IgnoreCase{"StarStarNotAtSegment", "a**b\nfoo**/bar\n***/x\n",
                   {"ab", "aXb", "a/b", "c/aYb", "foo/bar", "fooX/bar", "fooX/Y/bar", "x", "q/x", "q/r/x"}},
        IgnoreCase{"StarStarAlone", "**\n!keep\n", {"a", "b/c", "keep"}},
        IgnoreCase{"NegationLastWins", "*.log\n!keep.log\n", {"a.log", "keep.log", "d/keep.log"}},
        IgnoreCase{"NegationFirstLoses", "!a.txt\n*.txt\n", {"a.txt", "b.txt"}},
        IgnoreCase{"NoReincludeUnderIgnoredDirectory", "logs/\n!logs/keep.log\n", {"logs/keep.log", "logs/x.log"}},
        IgnoreCase{"ReincludeUnderStar", "logs/*\n!logs/keep.log\n", {"logs/keep.log", "logs/x.log"}},
        IgnoreCase{"AllowList", "*\n!*/\n!*.keep\n", {"a", "d/b", "d/c.keep", "e/f/g.keep", "top.keep"}},
        IgnoreCase{"Escapes", "\\#hash\n\\!bang\ntrailing\\ \ntrail  \n\\*star\n# comment\n",
                   {"#hash", "!bang", "trailing ", "trail", "trail  ", "*star", "xstar", "# comment"}},
        IgnoreCase{"Brackets", "v[0-9].txt\nw[!0-9].txt\n[a-c]x\n[]]y\n[!]]z\nq[a-]r\n",
                   {"v1.txt", "va.txt", "w1.txt", "wa.txt", "bx", "dx", "]y", "ay", "]z", "az", "q-r", "qar", "qbr"}},
        IgnoreCase{"PosixClasses", "[[:digit:]]d\n[[:upper:][:punct:]]e\n[[:bogus:]]f\n",
                   {"1d", "ad", "Ae", ".e", "ae", "bf", "[f"}},
        IgnoreCase{"UnclosedBracket", "[abc\nk[\n", {"[abc", "a", "k["}},
        IgnoreCase{"QuestionMark", "?x\na?c\n", {"ax", "abx", "abc", "a/c", "d/ax"}},
        IgnoreCase{"AnchoredDirectoryOnly", "a/b/\n", {"a/b/", "a/b/c", "x/a/b/", "x/a/b/c", "a/b2/"}},
        IgnoreCase{"SingleStarSegment", "a/*/c\n", {"a/b/c", "a/b/d/c", "a/c"}},
        IgnoreCase{"StarMatchesDirectory", "a/*\n", {"a/b", "a/d/c"}},
        IgnoreCase{"CarriageReturns", "crlf.txt\r\nlast.txt\r", {"crlf.txt", "last.txt"}},
        IgnoreCase{"ByteOrderMark", "\xEF\xBB\xBFbom.txt\n", {"bom.txt"}},
        IgnoreCase{"NonAsciiBytes", "caf\xC3\xA9-?\n\xC3[\xA9]\n", {"caf\xC3\xA9-1", "caf\xC3\xA9-12", "\xC3\xA9"}},
        IgnoreCase{"LiteralDotsAndPlus", "a.b+c\n", {"a.b+c", "axb+c", "a.bbc"}}),
    [](const ::testing::TestParamInfo<IgnoreCase>& info) { return info.param.name; });

TEST(GitignoreRules, LimitsAreNamed) {
  std::string many;
  for (int i = 0; i <= 4096; ++i) many += "p" + std::to_string(i) + "\n";
  auto too_many = GitignoreRules::compile(many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, "uprank.inventory.too_large");
  EXPECT_NE(too_many.error().message.find("4096 patterns"), std::string::npos) << too_many.error().message;

  auto too_big = GitignoreRules::compile(std::string(64 * 1024 + 1, 'x'));
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("65536 bytes"), std::string::npos) << too_big.error().message;

  auto comments = GitignoreRules::compile(std::string(5000, '\n') + "# only comments\n");
  ASSERT_TRUE(comments.ok());
  EXPECT_EQ(comments->size(), 0u);
}

// A .gitignore at the limits (4,096 patterns in 64 KiB, every one a glob with '**') still
// answers each path in time linear in the path: one compiled set, not a loop over patterns.
TEST(GitignoreRules, WorstFileAtTheLimitsStaysCheap) {
  std::string text;
  for (int i = 0; text.size() < 60 * 1024; ++i) text += "d" + std::to_string(i) + "/**/*[0-9]?.t*p\n";
  auto rules = GitignoreRules::compile(text);
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_GT(rules->size(), 2500u);
  size_t ignored = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string path = "d" + std::to_string(i % 5000) + "/src/module/file" + std::to_string(i) + "x.tmp";
    ignored += rules->match(path, false) == GitignoreVerdict::kIgnored ? 1 : 0;
  }
  EXPECT_GT(ignored, 0u);
}

// The walk against `git ls-files --others --exclude-standard`: nested .gitignore files,
// the deeper one deciding, and .git/info/exclude below them all.
TEST(GitignoreWalk, SameFilesAsGit) {
  if (!git_available()) GTEST_SKIP() << "git is not installed";
  test_support::TestFolder folder("uprank-gitignore-walk");
  const fs::path& repo = folder.path();
  ASSERT_EQ(test_support::run_command("git init -q " + shell_quoted(repo.string())).status, 0);
  auto put = [&](const std::string& path, const std::string& text) {
    fs::create_directories((repo / path).parent_path());
    std::ofstream(repo / path, std::ios::binary) << text;
  };
  put(".git/info/exclude", "excluded/\n!*.keep\n");
  put(".gitignore", "gen/\n*.tmp/\n/top/only/\n!svc-b/gen/\nsvc-a**Dockerfile.x\n");
  put("svc-a/.gitignore", "Dockerfile.dev\n!/gen/\nsub/\n");
  put("svc-b/.gitignore", "*\n!*/\n!Dockerfile*\nold/\n");
  put("svc-b/deep/.gitignore", "!old/\nDockerfile.x\n[[:upper:]]ockerfile.dev\n");
  for (const std::string& directory : {"", "svc-a/", "svc-a/gen/", "svc-a/sub/", "svc-a/x/sub/", "svc-b/", "svc-b/gen/",
                                       "svc-b/old/", "svc-b/deep/", "svc-b/deep/old/", "excluded/", "a.tmp/", "top/only/",
                                       "svc-a/top/only/", "gen/", "other/gen/"}) {
    for (const std::string& file : {"Dockerfile", "Dockerfile.dev", "Dockerfile.x"}) put(directory + file, "FROM alpine:3.19\n");
  }
  auto git = test_support::run_command("cd " + shell_quoted(repo.string()) +
                                       " && git -c core.excludesFile=/dev/null ls-files --others --exclude-standard 2>&1");
  ASSERT_EQ(git.status, 0) << git.out;
  std::set<std::string> want;
  std::istringstream lines(git.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Dockerfile") != std::string::npos) want.insert(line);
  }
  Inventory inventory = read_inventory_paths({repo.string()});
  std::set<std::string> got;
  for (const Component& component : inventory.components) {
    got.insert(component.location.file.substr(repo.string().size() + 1));
  }
  EXPECT_EQ(got, want);
  EXPECT_GT(want.size(), 10u);
}

}  // namespace
}  // namespace uprank::inventory
