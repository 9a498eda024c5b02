#include "engine/files/files.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace uprank::files {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("uprank_files_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void put(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
  }
  std::string get(const std::string& name) const {
    auto text = read_regular_file(path(name), 1 << 20);
    return text.ok() ? *text : "<" + text.error().code + ">";
  }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {})); }

  fs::path dir_;
};

TEST_F(FilesTest, ReadsARegularFileAndAFileReachedThroughASymlink) {
  put("a.txt", "hello");
  fs::create_symlink(path("a.txt"), path("link"));
  EXPECT_EQ(get("a.txt"), "hello");
  EXPECT_EQ(get("link"), "hello");
}

TEST_F(FilesTest, AFileStartIsTheWholeFileOnlyWhenTheFileEndsWithinIt) {
  put("empty", "");
  put("short", "abc");
  put("exact", "abcd");
  put("longer", "abcde");
  auto read = [&](const std::string& name) {
    auto start = read_regular_file_start(path(name), 4);
    EXPECT_TRUE(start.ok()) << name;
    return start.ok() ? *start : FileStart{};
  };
  EXPECT_EQ(read("empty").bytes, "");
  EXPECT_TRUE(read("empty").whole);
  EXPECT_EQ(read("short").bytes, "abc");
  EXPECT_TRUE(read("short").whole);
  EXPECT_EQ(read("exact").bytes, "abcd");
  EXPECT_TRUE(read("exact").whole);
  EXPECT_EQ(read("longer").bytes, "abcd");
  EXPECT_FALSE(read("longer").whole);
  auto head = read_regular_file_head(path("longer"), 2);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "ab");
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0600), 0);
  auto pipe = read_regular_file_start(path("pipe"), 4);  // refused like a whole read, without blocking
  ASSERT_FALSE(pipe.ok());
  EXPECT_EQ(pipe.error().code, "uprank.file.not_regular");
}

TEST_F(FilesTest, RefusesAFifoWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0600), 0);
  auto text = read_regular_file(path("pipe"), 1024);  // would block forever without O_NONBLOCK
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "uprank.file.not_regular");
  EXPECT_NE(text.error().to_string().find("FIFO"), std::string::npos) << text.error().to_string();
  EXPECT_EQ(text.error().where.file, path("pipe"));
}

TEST_F(FilesTest, RefusesDevicesAndDirectories) {
  auto zero = read_regular_file("/dev/zero", 1024);  // would grow without bound if read
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, "uprank.file.not_regular");
  EXPECT_NE(zero.error().message.find("character device"), std::string::npos);
  auto directory = read_regular_file(dir_.string(), 1024);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, "uprank.file.not_regular");
}

TEST_F(FilesTest, StopsAtTheLimitAndNamesIt) {
  put("exact", std::string(1024, 'x'));
  put("over", std::string(1025, 'x'));
  EXPECT_TRUE(read_regular_file(path("exact"), 1024).ok());
  auto over = read_regular_file(path("over"), 1024);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "uprank.file.too_large");
  EXPECT_NE(over.error().message.find("1 KiB"), std::string::npos) << over.error().message;
}

TEST_F(FilesTest, ReadDescriptorStopsAtTheLimitOnAnEndlessStream) {
  int fd = ::open("/dev/zero", O_RDONLY);
  ASSERT_GE(fd, 0);
  auto text = read_descriptor(fd, "<stdin>", 4096);
  ::close(fd);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "uprank.file.too_large");
}

TEST_F(FilesTest, SaysMissingAndPermissionDenied) {
  EXPECT_EQ(get("nothing"), "<uprank.file.missing>");
  if (::geteuid() != 0) {  // root reads whatever the mode says
    put("secret", "x");
    fs::permissions(path("secret"), fs::perms::none);
    EXPECT_EQ(get("secret"), "<uprank.file.permission_denied>");
  }
}

TEST_F(FilesTest, DescribesSizes) {
  EXPECT_EQ(describe_size(1 << 20), "1 MiB");
  EXPECT_EQ(describe_size(size_t{2} << 30), "2 GiB");
  EXPECT_EQ(describe_size(1000), "1000 bytes");
}

TEST_F(FilesTest, WritesAndReplacesARegularFileLeavingNothingElse) {
  ASSERT_TRUE(write_file_atomically(path("out"), "one").ok());
  ASSERT_TRUE(write_file_atomically(path("out"), "two").ok());
  EXPECT_EQ(get("out"), "two");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(FilesTest, KeepsTheModeOfTheFileItReplaces) {
  put("out", "old");
  fs::permissions(path("out"), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  ASSERT_TRUE(write_file_atomically(path("out"), "new").ok());
  EXPECT_EQ(fs::status(path("out")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST_F(FilesTest, RefusesToReplaceSymlinksFifosAndDevices) {
  put("target", "keep");
  fs::create_symlink(path("target"), path("link"));
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0600), 0);
  for (const std::string& target : {path("link"), path("pipe"), std::string("/dev/null")}) {
    Status status = write_file_atomically(target, "new");
    ASSERT_FALSE(status.ok()) << target;
    EXPECT_EQ(status.error().code, "uprank.file.not_regular") << target;
  }
  EXPECT_EQ(get("target"), "keep");
  EXPECT_TRUE(fs::is_symlink(path("link")));
  EXPECT_EQ(entries(), 3u);  // no temporary file left behind
}

TEST_F(FilesTest, APlantedTemporarySymlinkIsNotFollowed) {
  put("victim", "keep");
  fs::create_symlink(path("victim"), path("out.tmp"));
  fs::create_symlink(path("victim"), path(".out.tmp"));
  ASSERT_TRUE(write_file_atomically(path("out"), "report").ok());
  EXPECT_EQ(get("victim"), "keep");
  EXPECT_EQ(get("out"), "report");
}

TEST_F(FilesTest, AFailedWriteIsAnErrorAndLeavesNoDebris) {
  put("out", "old");
  // A child with a 1 KiB file-size limit: the write fails (EFBIG) like a full disk would.
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {1024, 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    Status status = write_file_atomically(path("out"), std::string(4096, 'x'));
    ::_exit(!status.ok() && status.error().code == "uprank.file.unwritable" ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(get("out"), "old");
  EXPECT_EQ(entries(), 1u);
}

// Several outputs are replaced together: the HTML written, the JSON failing (a full disk
// here, by a file-size limit) leaves both earlier files as they were and no debris.
TEST_F(FilesTest, AFailedWriteOfOneOfSeveralOutputsReplacesNone) {
  put("report.html", "old html");
  put("report.json", "old json");
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {1024, 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const std::string small(100, 'h'), large(4096, 'j');
    Status status = write_files_atomically({{path("report.html"), small}, {path("report.json"), large}});
    ::_exit(!status.ok() && status.error().code == "uprank.file.unwritable" ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(get("report.html"), "old html");
  EXPECT_EQ(get("report.json"), "old json");
  EXPECT_EQ(entries(), 2u);
  // And a path that cannot be replaced, after one that can: the first is not written either.
  fs::create_directories(path("report.md"));
  Status refused = write_files_atomically({{path("report.html"), "new"}, {path("report.md"), "new"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "uprank.file.not_regular");
  EXPECT_EQ(get("report.html"), "old html");
  EXPECT_EQ(entries(), 3u);
  ASSERT_TRUE(write_files_atomically({{path("report.html"), "new html"}, {path("report.json"), "new json"}}).ok());
  EXPECT_EQ(get("report.html"), "new html");
  EXPECT_EQ(get("report.json"), "new json");
}

TEST_F(FilesTest, AFailedWriteToStandardOutputIsAnError) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int full = ::open("/dev/full", O_WRONLY);
    ::dup2(full, STDOUT_FILENO);
    ::_exit(write_file_atomically("-", "report").ok() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace uprank::files
