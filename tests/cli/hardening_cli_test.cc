// Hostile inputs and outputs through the real binary (issue 15): special files refused
// without hanging, oversized inputs refused while read, failed writes reported with a
// non-zero exit and no debris, outputs never replacing symlinks or devices. Every command
// runs under `timeout` and `ulimit -v`, so a regression fails the test instead of hanging
// or exhausting the machine.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/run_command.h"
#include "tests/test_folder.h"

namespace uprank::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSource = UPRANK_SOURCE_DIR;
const std::string kInventory = kSource + "/examples/inventory.yaml";
const std::string kSnapshot = kSource + "/data/snapshot.json";

class HardeningCliTest : public ::testing::Test {
 protected:
  // Runs uprank in the test folder with 2 GiB of address space and 60 s at most; `out`
  // holds stdout and stderr together. Exit 124 means the timeout struck (a hang).
  test_support::CommandResult uprank(const std::string& arguments, const std::string& setup = "") {
    std::string command = "cd '" + folder_.path().string() + "' && " + setup + " ulimit -v 2097152; timeout 60 '" +
                          std::string(UPRANK_CLI) + "' " + arguments + " 2>&1";
    return test_support::run_command(command);
  }
  // Runs uprank as uprank() does, but as an unprivileged user when the tests run as root,
  // so that file and folder permissions apply (root reads and writes whatever they say).
  test_support::CommandResult uprank_unprivileged(const std::string& arguments) {
    std::string as_user = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    std::string command = "cd '" + folder_.path().string() + "' && ulimit -v 2097152; " + as_user + "timeout 60 '" +
                          std::string(UPRANK_CLI) + "' " + arguments + " 2>&1";
    return test_support::run_command(command);
  }
  std::string path(const std::string& name) const { return (folder_.path() / name).string(); }
  void put(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
  }
  void fifo(const std::string& name) const { ASSERT_EQ(::mkfifo(path(name).c_str(), 0600), 0); }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(folder_.path()), {})); }
  std::string report_args() const { return "report --inventory '" + kInventory + "' --snapshot '" + kSnapshot + "' --today 2026-09-01"; }

  test_support::TestFolder folder_{"uprank-hardening"};
};

// Kind 1: a FIFO in place of any input is refused at once, named as a FIFO.
TEST_F(HardeningCliTest, FifoInventoryIsRefusedNotWaitedOn) {
  fifo("inventory.yaml");
  auto result = uprank("inventory inventory.yaml");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("inventory.yaml"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FIFO"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, FifoRuleFileIsRefusedNotWaitedOn) {
  fifo("pack.upr");
  auto result = uprank(report_args() + " --rules pack.upr");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("pack.upr: rule file is a FIFO"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, FifoVexDocumentIsRefusedNotWaitedOn) {
  fifo("statements.openvex.json");
  auto result = uprank(report_args() + " --vex statements.openvex.json");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("statements.openvex.json: is a FIFO"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, FifoConfigurationIsRefusedNotWaitedOn) {
  fifo("uprank.yaml");
  auto result = uprank(report_args());
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("uprank.yaml: configuration file is a FIFO"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, FifoStoreIsRefusedNotWaitedOn) {
  fifo("store.db");
  auto result = uprank("--store store.db snapshot export out.json");
  EXPECT_NE(result.status, 0) << result.out;
  EXPECT_NE(result.status, 124) << "hung: " << result.out;
  EXPECT_NE(result.out.find("FIFO"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, ForeignFileAsStoreIsLeftUntouched) {
  put("store.db", "not a database, but somebody's data\n");
  auto result = uprank("--store store.db snapshot export out.json");
  EXPECT_NE(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("not a SQLite database"), std::string::npos) << result.out;
  std::ifstream in(path("store.db"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "not a database, but somebody's data\n");
}

// Kind 11: a store on read-only media (here a file and folder the user may not write) is
// read by the commands that only read; one that would write says why it cannot. SQLite
// cannot create the -wal and -shm files there, so the store is opened immutable.
TEST_F(HardeningCliTest, StoreOnReadOnlyMediaIsReadNotRefused) {
  fs::create_directories(path("media"));
  auto imported = uprank("--store media/store.db snapshot import '" + kSnapshot + "'");
  ASSERT_EQ(imported.status, 0) << imported.out;
  auto recorded = uprank("--store media/store.db report --inventory '" + kInventory + "' --today 2026-09-01");
  ASSERT_NE(recorded.status, 2) << recorded.out;
  ASSERT_FALSE(fs::exists(path("media/store.db-wal")));
  fs::permissions(path("media/store.db"), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(path("media"), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                     fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  auto report = uprank_unprivileged("--store media/store.db report --no-history --inventory '" + kInventory +
                                    "' --today 2026-09-01");
  auto history = uprank_unprivileged("--store media/store.db history --today 2026-09-01");
  auto writing = uprank_unprivileged("--store media/store.db report --inventory '" + kInventory + "' --today 2026-09-01");
  fs::permissions(path("media"), fs::perms::owner_all, fs::perm_options::add);
  EXPECT_EQ(report.status, 0) << report.out;
  EXPECT_NE(report.out.find("edge-proxy"), std::string::npos) << report.out;
  EXPECT_EQ(history.status, 0) << history.out;
  EXPECT_NE(history.out.find("2026-09-01"), std::string::npos) << history.out;
  EXPECT_EQ(writing.status, 2) << writing.out;
  EXPECT_NE(writing.out.find("cannot be written (a read-only file, folder or medium)"), std::string::npos) << writing.out;
  EXPECT_EQ(std::distance(fs::directory_iterator(path("media")), {}), 1) << "no -wal, -shm or journal left beside it";
}

// Kind 14: a file the user may not read is said to be unreadable, not of an unknown kind.
TEST_F(HardeningCliTest, UnreadableInventoryIsSaidToBeUnreadable) {
  put("inventory.yaml", "components: []\n");
  fs::permissions(path("inventory.yaml"), fs::perms::none);
  auto result = uprank_unprivileged("inventory inventory.yaml");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("permission denied"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("cannot tell what kind"), std::string::npos) << result.out;
}

// Kind 2: an endless input is refused at the limit, not read whole first.
TEST_F(HardeningCliTest, EndlessRuleFileIsRefusedAtTheLimit) {
  auto device = uprank(report_args() + " --rules /dev/zero");
  EXPECT_EQ(device.status, 2) << device.out;
  EXPECT_NE(device.out.find("character device"), std::string::npos) << device.out;
  auto piped = uprank("rules fmt - < /dev/zero");
  EXPECT_EQ(piped.status, 2) << piped.out;
  EXPECT_NE(piped.out.find("larger than 1 MiB"), std::string::npos) << piped.out;
}

// Kind 8: a write that fails is an error, and leaves neither a partial file nor debris.
TEST_F(HardeningCliTest, ReportToAFullDeviceFails) {
  // Only stdout goes to /dev/full; stderr is kept to read the message.
  auto result = uprank(report_args() + " >/dev/full 2>err.txt; s=$?; cat err.txt; (exit $s)");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("No space left"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, ReportThatCannotBeWrittenWholeFailsWithoutDebris) {
  put("report.json", "previous");
  // A 1-block file size limit makes the write fail part way, as a full disk would.
  auto result = uprank(report_args() + " --format json -o report.json", "trap '' XFSZ; ulimit -f 1;");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("report.json"), std::string::npos) << result.out;
  std::ifstream in(path("report.json"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "previous");
  EXPECT_EQ(entries(), 1u);
}

// Kind 9: outputs replace regular files only; planted temporary names are not followed.
// A symbolic link given as the file to check is the file the user named: findings are at
// "Dockerfile:1:6", not at the link's target "deploy/Dockerfile.prod:1:6".
TEST_F(HardeningCliTest, ALinkGivenAsTheFileKeepsItsName) {
  fs::create_directories(path(".git"));
  fs::create_directories(path("deploy"));
  put("deploy/Dockerfile.prod", "FROM node:16.20.2\n");
  fs::create_symlink("deploy/Dockerfile.prod", path("Dockerfile"));
  auto check = uprank("check Dockerfile --fail-on high --format json --snapshot '" + kSnapshot + "' --today 2026-09-01");
  EXPECT_EQ(check.status, 1) << check.out;  // node 16 is past its end of life
  EXPECT_NE(check.out.find("\"file\": \"Dockerfile\""), std::string::npos) << check.out;
  EXPECT_EQ(check.out.find("Dockerfile.prod"), std::string::npos) << check.out;
}

TEST_F(HardeningCliTest, OutputsDoNotReplaceSymlinksOrDevices) {
  put("victim", "keep");
  fs::create_symlink(path("victim"), path("report.txt"));
  auto linked = uprank(report_args() + " -o report.txt");
  EXPECT_EQ(linked.status, 2) << linked.out;
  EXPECT_NE(linked.out.find("symbolic link"), std::string::npos) << linked.out;
  auto device = uprank(report_args() + " -o /dev/null");
  EXPECT_EQ(device.status, 2) << device.out;
  EXPECT_NE(device.out.find("character device"), std::string::npos) << device.out;
  auto baseline = uprank("check '" + kSource + "/examples/infra-repo' --snapshot '" + kSnapshot +
                         "' --today 2026-09-01 --write-baseline report.txt");
  EXPECT_EQ(baseline.status, 2) << baseline.out;
  EXPECT_NE(baseline.out.find("symbolic link"), std::string::npos) << baseline.out;
  EXPECT_TRUE(fs::is_symlink(path("report.txt")));
  std::ifstream in(path("victim"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "keep");
}

TEST_F(HardeningCliTest, RulesFmtDoesNotFollowAPlantedTemporaryFile) {
  put("victim", "keep");
  put("pack.upr", "rule r{urgency low}\n");
  fs::create_symlink(path("victim"), path("pack.upr.fmt-tmp"));
  fs::create_symlink(path("victim"), path("pack.upr.tmp"));
  auto result = uprank("rules fmt pack.upr");
  EXPECT_EQ(result.status, 0) << result.out;
  std::ifstream in(path("victim"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "keep");
  std::ifstream formatted(path("pack.upr"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(formatted), {}), "rule r {\n  urgency low\n}\n");
}

TEST_F(HardeningCliTest, StandardOutputStillWorksByDash) {
  auto dash = uprank(report_args() + " -o -");
  EXPECT_EQ(dash.status, 0) << dash.out;
  EXPECT_FALSE(dash.out.empty());
}

// Kind 3: tiny inputs whose expansion is exponential stop at a stated budget.
TEST_F(HardeningCliTest, DefsCallingDefsTwiceStopAtTheInliningBudget) {
  std::string rules = "package bomb\ndef d0(x) = x + 1\n";
  for (int i = 1; i <= 40; ++i) {
    rules += "def d" + std::to_string(i) + "(x) = d" + std::to_string(i - 1) + "(x) + d" + std::to_string(i - 1) + "(x)\n";
  }
  rules += "rule r {\n  for c in components where d40(1) > 0\n  urgency low\n}\n";
  put("bomb.upr", rules);
  auto result = uprank(report_args() + " --rules bomb.upr");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("uprank.expansion_limit"), std::string::npos) << result.out;
}

// Kind 5: a rule over every pair of 3,000 components (9 million pairs) stops at the join
// budget (evaluator::JoinBudget) within 2 GiB, says so, and the report is still written.
TEST_F(HardeningCliTest, AJoinOverEveryPairStopsAtItsBudget) {
  std::string inventory = "components:\n";
  for (int i = 0; i < 3000; ++i) {
    inventory += "  - name: c" + std::to_string(i) + "\n    product: nginx\n    version: \"1." + std::to_string(i % 30) + ".0\"\n";
  }
  put("inventory.yaml", inventory);
  put("pairs.upr", "package hostile.pairs\nrule every_pair {\n  for a in components, b in components\n  urgency low\n"
                   "  reason compatibility\n  message \"{a.name} and {b.name}\"\n}\n");
  auto result = uprank("report --inventory inventory.yaml --no-default-rules --rules pairs.upr --snapshot '" + kSnapshot +
                       "' --today 2026-09-01 --no-history -o report.txt");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("rule hostile.pairs.every_pair stopped at 50000 findings"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("uprank.evaluator.join_budget"), std::string::npos) << result.out;
  EXPECT_TRUE(fs::exists(path("report.txt")));
}

TEST_F(HardeningCliTest, DockerfileArgsDoublingStopAtTheSubstitutionBudget) {
  std::string dockerfile = "ARG A0=abcdefgh\n";
  for (int i = 1; i <= 48; ++i) {
    dockerfile += "ARG A" + std::to_string(i) + "=${A" + std::to_string(i - 1) + "}${A" + std::to_string(i - 1) + "}\n";
  }
  dockerfile += "FROM nginx:${A48}\nFROM alpine:3.19\n";
  put("Dockerfile", dockerfile);
  auto result = uprank("inventory Dockerfile");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("alpine"), std::string::npos) << result.out;
}

// Kind 4: what one .gitignore may cost is bounded by its size; a larger one is said.
TEST_F(HardeningCliTest, OversizedGitignoreIsNotAppliedAndSaid) {
  fs::create_directories(path("repo"));
  std::string ignore;
  for (int i = 0; ignore.size() <= 64 * 1024; ++i) ignore += "pattern-" + std::to_string(i) + "/**/*.tmp\n";
  put("repo/.gitignore", ignore);
  put("repo/.nvmrc", "20.11.0\n");
  auto result = uprank("inventory repo");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("repo/.gitignore"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("larger than 64 KiB"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("its rules are not applied"), std::string::npos) << result.out;
}

// Kind 4: a .gitignore with more patterns than one may hold is refused for its folder,
// named with the limit, and counted as skipped; the walk goes on.
TEST_F(HardeningCliTest, GitignoreWithTooManyPatternsIsNotAppliedAndCounted) {
  fs::create_directories(path("repo"));
  std::string ignore = ".nvmrc\n";
  for (int i = 0; i < 4096; ++i) ignore += "p" + std::to_string(i) + "\n";
  ASSERT_LT(ignore.size(), 64u * 1024);
  put("repo/.gitignore", ignore);
  put("repo/.nvmrc", "20.11.0\n");
  auto result = uprank("inventory repo");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_NE(result.out.find("repo/.gitignore: .gitignore holds more than 4096 patterns"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("its rules are not applied"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("1 file skipped"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("20.11.0"), std::string::npos) << "the walk goes on, unignored: " << result.out;
}

// Kind 2: a YAML feed file is bounded while it is parsed: a 58 MB list under the byte
// limit stops at the node limit (it took 13 GB and 89 s built whole), and the message
// names that limit, not "alias expansion".
TEST_F(HardeningCliTest, LongYamlListStopsAtTheNodeLimitWhileParsed) {
  std::string list;
  list.reserve(58u << 20);
  while (list.size() < (58u << 20)) list += "- x\n";
  put("big.yaml", list);
  auto result = uprank("fetch --import big.yaml", "export UPRANK_STORE=store.db;");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("big.yaml:1000000:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("more than 1000000 YAML nodes, the limit for one document"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("alias"), std::string::npos) << result.out;
}

// Kind 6: credentials stay with their owner.
TEST_F(HardeningCliTest, CredentialsInASourceUrlAreRefusedUnshown) {
  put("uprank.yaml", "sources:\n  kev:\n    url: https://someone:hunter2@example.invalid/kev.json?api_key=s3cret\n");
  auto result = uprank("fetch --source kev", "export UPRANK_STORE=store.db;");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("carries credentials"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("hunter2"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("s3cret"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, RepositoryConfigCannotRedirectTheGithubToken) {
  put("uprank.yaml", "sources:\n  github:\n    url: http://127.0.0.1:9/\n    repositories: [a/b]\n");
  auto result = uprank("--store store.db fetch --source github", "export GITHUB_TOKEN=ghp_secret; unset UPRANK_GITHUB_URL;");
  EXPECT_NE(result.out.find("GITHUB_TOKEN not sent to http://127.0.0.1:9/"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("ghp_secret"), std::string::npos) << result.out;
}

TEST_F(HardeningCliTest, TokenWithANewlineIsRefused) {
  auto result = uprank("--store store.db fetch --source github", "export GITHUB_TOKEN=\"$(printf 'abc\\r\\nX-Injected: 1')\";");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.out.find("GITHUB_TOKEN holds a control character"), std::string::npos) << result.out;
}

// Kind 7: text from the files read cannot drive the terminal.
TEST_F(HardeningCliTest, InventoryTableEscapesControlsAndBidiOverrides) {
  put("inventory.yaml", "components:\n  - name: \"evil\\e]0;owned\\a\\u202Egnp.exe\"\n    product: nginx\n    version: \"1.25.0\"\n");
  auto result = uprank("inventory inventory.yaml");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("\xe2\x80\xae"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("evil\\x1b]0;owned\\x07\\u{202E}gnp.exe"), std::string::npos) << result.out;
}

// Kind 7: the report table shows C1 controls (a one-byte CSI) and bidi overrides as text.
TEST_F(HardeningCliTest, ReportTableEscapesC1ControlsAndBidiOverrides) {
  put("inventory.yaml",
      "components:\n  - name: \"edge\\u009b31m\\u202Egnp.exe\"\n    product: nginx\n    version: \"1.24.0\"\n");
  auto result = uprank("report --inventory inventory.yaml --snapshot '" + kSnapshot + "' --today 2026-09-01");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_EQ(result.out.find("\xc2\x9b"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("\xe2\x80\xae"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("edge\\u{009B}31m\\u{202E}gnp.exe"), std::string::npos) << result.out;
}

// Kind 7 and 14 for VEX: a supplier's statements about no advisory here are warned about
// escaped, and a feed of them is named in part and counted, not printed whole.
TEST_F(HardeningCliTest, UnusedVexStatementsAreEscapedAndBounded) {
  std::string statements;
  for (int i = 0; i < 30; ++i) {
    statements += std::string(i ? "," : "") + R"({"vulnerability": {"name": "CVE-2099-)" + std::to_string(1000 + i) +
                  R"(\u001b]0;pwn\u0007\u202e"}, "products": [{"@id": "pkg:npm/nothing@1.0.0"}], "status": "fixed"})";
  }
  put("feed.openvex.json", R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
    "author": "Example", "timestamp": "2026-01-01T00:00:00Z", "version": 1, "statements": [)" + statements + "]}");
  auto result = uprank(report_args() + " --vex feed.openvex.json");
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("\xe2\x80\xae"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("30 VEX statements are about no advisory any component meets; the first 20 follow"),
            std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("CVE-2099-1020"), std::string::npos) << "the 21st is counted, not named: " << result.out;
}

TEST_F(HardeningCliTest, OneErrorInAHugeLinePrintsABoundedAmount) {
  put("inventory.yaml", "components: [" + std::string(4 << 20, ' ') + "{name: x, version: [}\n");
  auto result = uprank("inventory inventory.yaml");
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_LT(result.out.size(), 4096u) << result.out.substr(0, 400);
}

// Kind 14: reading nothing is an error for the commands that gate, unless said to be fine.
TEST_F(HardeningCliTest, NothingReadIsAnErrorUnlessAllowed) {
  fs::create_directories(path("repo"));
  put("repo/README.md", "no pins here\n");
  auto inventory = uprank("inventory repo");
  EXPECT_EQ(inventory.status, 2) << inventory.out;
  EXPECT_NE(inventory.out.find("--allow-empty"), std::string::npos) << inventory.out;
  EXPECT_EQ(uprank("inventory repo --allow-empty").status, 0);
  auto check = uprank("check repo --snapshot '" + kSnapshot + "' --today 2026-09-01");
  EXPECT_EQ(check.status, 2) << check.out;
  EXPECT_EQ(uprank("check repo --snapshot '" + kSnapshot + "' --today 2026-09-01 --allow-empty").status, 0);
  auto gate = uprank("report --inventory repo --snapshot '" + kSnapshot + "' --today 2026-09-01 --fail-on high");
  EXPECT_EQ(gate.status, 2) << gate.out;
  auto device = uprank("report --inventory /dev/null --snapshot '" + kSnapshot + "' --today 2026-09-01 --fail-on high");
  EXPECT_EQ(device.status, 2) << device.out;
  EXPECT_NE(device.out.find("character device"), std::string::npos) << device.out;
}

}  // namespace
}  // namespace uprank::cli
