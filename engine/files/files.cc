#include "engine/files/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <random>
#include <system_error>

namespace uprank::files {
namespace {

Error file_error(const std::string& code, const std::string& path, const std::string& message) {
  return make_error("uprank.file." + code, message, SourceLocation{path, 0, 0});
}

std::string errno_text(int error) { return std::generic_category().message(error); }

Error open_error(const std::string& path, int error, const std::string& verb) {
  if (error == ENOENT || error == ENOTDIR) return file_error("missing", path, "no such file");
  if (error == EACCES || error == EPERM) return file_error("permission_denied", path, "permission denied (cannot " + verb + " it)");
  return file_error("unreadable", path, "cannot " + verb + " it: " + errno_text(error));
}

// Names what a non-regular file is, for the refusal message.
std::string kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

// Closes on scope exit; descriptors never leak on an early return.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  // Closes now and returns close's errno, 0 on success (close can report a failed write).
  int close_now() {
    int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all of `data`, retrying short writes and EINTR; returns 0 or the errno.
int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;
    data.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Opens `path` for reading without blocking and checks that it is a regular file.
Status open_regular(const std::string& path, Descriptor& fd, struct stat& info) {
  fd.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return open_error(path, errno, "open");
  if (::fstat(fd.get(), &info) != 0) return open_error(path, errno, "stat");
  if (!S_ISREG(info.st_mode)) {
    return file_error("not_regular", path, "is " + kind_of(info.st_mode) + ", not a regular file; only regular files are read");
  }
  return {};
}

}  // namespace

std::string describe_size(size_t bytes) {
  constexpr size_t kMiB = size_t{1} << 20;
  constexpr size_t kGiB = size_t{1} << 30;
  if (bytes >= kGiB && bytes % kGiB == 0) return std::to_string(bytes / kGiB) + " GiB";
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Result<std::string> read_descriptor(int fd, const std::string& name, size_t max_bytes) {
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    size_t room = max_bytes - text.size() + 1;  // one byte past the limit tells "too large"
    ssize_t got = ::read(fd, buffer, std::min(sizeof buffer, room));
    if (got < 0) {
      if (errno == EINTR) continue;
      return open_error(name, errno, "read");
    }
    if (got == 0) return text;
    text.append(buffer, static_cast<size_t>(got));
    if (text.size() > max_bytes) {
      return file_error("too_large", name, "larger than " + describe_size(max_bytes) + ", the limit for this input");
    }
  }
}

Result<std::string> read_regular_file(const std::string& path, size_t max_bytes) {
  Descriptor fd;
  struct stat info {};
  if (Status opened = open_regular(path, fd, info); !opened) return opened.error();
  if (static_cast<unsigned long long>(info.st_size) > max_bytes) {
    return file_error("too_large", path, "larger than " + describe_size(max_bytes) + ", the limit for this input");
  }
  return read_descriptor(fd.get(), path, max_bytes);
}

Result<FileStart> read_regular_file_start(const std::string& path, size_t bytes) {
  Descriptor fd;
  struct stat info {};
  if (Status opened = open_regular(path, fd, info); !opened) return opened.error();
  // One byte past `bytes` tells whether the file goes on; a file smaller than it says
  // takes one read and the read that returns 0.
  const size_t wanted = bytes + 1;
  FileStart start;
  start.bytes.resize(std::min(wanted, static_cast<size_t>(std::max<off_t>(info.st_size, 0)) + 1));
  size_t filled = 0;
  for (;;) {
    if (filled == start.bytes.size()) {
      if (filled == wanted) break;
      start.bytes.resize(std::min(wanted, 2 * filled));  // the file grew since fstat
    }
    ssize_t got = ::read(fd.get(), start.bytes.data() + filled, start.bytes.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return open_error(path, errno, "read");
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  start.whole = filled <= bytes;
  start.bytes.resize(std::min(filled, bytes));
  return start;
}

Result<std::string> read_regular_file_head(const std::string& path, size_t bytes) {
  auto start = read_regular_file_start(path, bytes);
  if (!start.ok()) return start.error();
  return std::move(start->bytes);
}

bool is_standard_output(std::string_view path) { return path == "-" || path == "/dev/stdout"; }

Status write_standard_output(std::string_view contents) {
  std::fflush(stdout);  // whatever stdio holds goes first, in order
  int error = write_all(STDOUT_FILENO, contents);
  if (error != 0) return file_error("unwritable", "<stdout>", "cannot write standard output: " + errno_text(error));
  return {};
}

// One output of an OutputSet: its bytes are buffered and written to a fresh temporary file
// beside `path` (or to standard output), and the first failure is kept for commit().
class OutputSet::Output final : public Sink {
 public:
  static constexpr size_t kBuffer = 1 << 20;

  void write(std::string_view bytes) override {
    if (error_ != 0) return;
    if (buffer_.size() + bytes.size() > kBuffer) {
      flush();
      if (bytes.size() > kBuffer) {
        if (error_ == 0) error_ = write_all(fd(), bytes);
        return;
      }
    }
    buffer_.append(bytes);
  }

  // Creates the temporary file for `path` (write_file_atomically's checks and flags).
  Status open(const std::string& path) {
    path_ = path;
    if (is_standard_output(path)) {
      std::fflush(stdout);  // whatever stdio holds goes first, in order
      return {};
    }
    mode_t mode = 0666;
    bool keep_mode = false;
    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0) {
      if (!S_ISREG(existing.st_mode)) {
        return file_error("not_regular", path,
                          "is " + kind_of(existing.st_mode) + "; outputs only replace regular files (use - for standard output)");
      }
      mode = existing.st_mode & 07777;
      keep_mode = true;
    } else if (errno != ENOENT) {
      return file_error("unwritable", path, "cannot check the output: " + errno_text(errno));
    }
    // A fresh, unpredictable name, created exclusively: a planted file or symlink of the
    // same name makes the open fail instead of redirecting the write.
    const std::string directory = directory_of(path);
    std::random_device random;
    int raw = -1;
    for (int attempt = 0; attempt < 16 && raw < 0; ++attempt) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
      temporary_ = directory + "/." + base_name_of(path) + ".tmp-" + suffix;
      raw = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keep_mode ? 0600 : mode);
      if (raw < 0 && errno != EEXIST) break;
    }
    if (raw < 0) {
      temporary_.clear();
      return file_error("unwritable", path, "cannot create a temporary file in " + directory + ": " + errno_text(errno));
    }
    fd_.reset(raw);
    if (keep_mode && ::fchmod(fd_.get(), mode) != 0) return fail("cannot set the mode", errno);
    return {};
  }

  // Writes what is buffered, then flushes the file to disk and closes it.
  Status finish() {
    flush();
    if (error_ != 0) return fail("cannot write", error_);
    if (temporary_.empty()) return {};  // standard output
    if (::fsync(fd_.get()) != 0) return fail("cannot flush to disk", errno);
    if (int error = fd_.close_now()) return fail("cannot close", error);
    return {};
  }

  // Renames the finished temporary file over the output; it is gone either way.
  Status replace() {
    if (temporary_.empty()) return {};
    if (::rename(temporary_.c_str(), path_.c_str()) != 0) return fail("cannot replace", errno);
    temporary_.clear();
    // The rename is durable once the directory is synced; failure here loses nothing written.
    Descriptor dir(::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) ::fsync(dir.get());
    return {};
  }

  // Removes the temporary file, if one is left.
  void discard() {
    if (temporary_.empty()) return;
    fd_.reset(-1);
    ::unlink(temporary_.c_str());
    temporary_.clear();
  }

 private:
  int fd() const { return temporary_.empty() ? STDOUT_FILENO : fd_.get(); }
  void flush() {
    if (error_ == 0 && !buffer_.empty()) error_ = write_all(fd(), buffer_);
    buffer_.clear();
  }
  Error fail(const std::string& what, int error) {
    discard();
    if (is_standard_output(path_)) return file_error("unwritable", "<stdout>", "cannot write standard output: " + errno_text(error));
    return file_error("unwritable", path_, what + ": " + errno_text(error));
  }

  std::string path_;
  std::string temporary_;  // empty for standard output, or once renamed or removed
  Descriptor fd_;
  std::string buffer_;
  int error_ = 0;  // the first failed write's errno
};

OutputSet::OutputSet() = default;

OutputSet::~OutputSet() {
  for (auto& output : outputs_) output->discard();
}

Result<Sink*> OutputSet::add(const std::string& path) {
  auto output = std::make_unique<Output>();
  if (Status opened = output->open(path); !opened) {
    output->discard();
    return opened.error();
  }
  outputs_.push_back(std::move(output));
  return static_cast<Sink*>(outputs_.back().get());
}

Status OutputSet::commit() {
  for (auto& output : outputs_) {
    if (Status finished = output->finish(); !finished) {
      for (auto& other : outputs_) other->discard();
      return finished;
    }
  }
  for (auto& output : outputs_) {
    if (Status replaced = output->replace(); !replaced) {
      for (auto& other : outputs_) other->discard();
      return replaced;
    }
  }
  outputs_.clear();
  return {};
}

Status write_file_atomically(const std::string& path, std::string_view contents) {
  return write_files_atomically({OutputFile{path, contents}});
}

Status write_files_atomically(const std::vector<OutputFile>& outputs) {
  OutputSet set;
  for (const OutputFile& output : outputs) {
    auto sink = set.add(output.path);
    if (!sink) return sink.error();
    (*sink)->write(output.contents);
  }
  return set.commit();
}

}  // namespace uprank::files
