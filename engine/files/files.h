// Reading inputs and writing outputs: one bounded reader and one atomic writer for every
// file uprank reads or writes, so special files, oversized inputs and failed writes are
// handled the same way everywhere.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/base/sink.h"

namespace uprank::files {

// Reads the whole of the regular file at `path`, at most `max_bytes` of it.
//
// The file is opened without blocking (O_NONBLOCK, so a FIFO cannot hang the open) and
// checked with fstat before any byte is read: FIFOs, devices, sockets and directories
// are refused. Symbolic links are followed (an input reached through a link is fine;
// what matters is that the file it names is regular). At most max_bytes + 1 bytes are
// read, so a file that grows while read or lies about its size still cannot exceed the
// limit. Errors carry `where.file = path` and these codes:
//   uprank.file.missing            no such file
//   uprank.file.permission_denied  open or read refused by permissions
//   uprank.file.not_regular        a FIFO, device, socket or directory
//   uprank.file.too_large          more than max_bytes (the message names the limit)
//   uprank.file.unreadable         any other open or read failure (errno text)
Result<std::string> read_regular_file(const std::string& path, size_t max_bytes);

// Reads the first `bytes` bytes of the regular file at `path` (all of it when shorter),
// for sniffing a format before reading the whole. Errors as read_regular_file, never too_large.
Result<std::string> read_regular_file_head(const std::string& path, size_t bytes);

// The start of a file: its first bytes, and whether they are the whole file.
struct FileStart {
  std::string bytes;
  bool whole = false;  // the file ended within the bytes read
};

// Reads the regular file at `path` whole when it holds at most `bytes` bytes, else its
// first `bytes` bytes: sniffing a format and reading a small file in one open (most
// infrastructure files are a few hundred bytes). Errors as read_regular_file_head.
Result<FileStart> read_regular_file_start(const std::string& path, size_t bytes);

// Reads at most `max_bytes` from an open descriptor such as standard input, for inputs
// given as "-". Errors as read_regular_file, with `name` as the file shown.
Result<std::string> read_descriptor(int fd, const std::string& name, size_t max_bytes);

// Returns "1 MiB", "64 MiB", "2 GiB" or "12345 bytes": how limits are named in messages.
std::string describe_size(size_t bytes);

// Whether `path` names standard output for an output option ("-" or "/dev/stdout").
bool is_standard_output(std::string_view path);

// Replaces the file at `path` with `contents`, atomically: a temporary file is created in
// the same directory with O_CREAT|O_EXCL|O_NOFOLLOW (a planted file or symlink of that
// name makes creation fail rather than being followed), every write is checked, the data
// is fsync'ed, close is checked, and only then is it renamed over `path`. On any failure
// the temporary file is removed and `path` is left as it was.
//
// `path` must not exist or be a regular file: a symlink, FIFO, device, socket or
// directory at `path` is refused (uprank.file.not_regular) rather than replaced. The new
// file gets mode 0666 less the umask, or the old file's mode when it replaces one.
// When is_standard_output(path), the contents go to standard output instead, and a
// failed or short write is an error too (so `> /dev/full` fails).
// Errors: uprank.file.not_regular, uprank.file.unwritable (errno text), with where.file = path.
Status write_file_atomically(const std::string& path, std::string_view contents);

// Replaces several files as one: each is written to its temporary file (as
// write_file_atomically does) before any is renamed, so a failed write (a full disk, a
// path that is not a regular file) leaves every output as it was and no debris. Only a
// failing rename(), after every byte is safely on disk, can leave the outputs before it
// replaced; the error names the file.
struct OutputFile {
  std::string path;
  std::string_view contents;
};
Status write_files_atomically(const std::vector<OutputFile>& outputs);

// write_files_atomically for outputs written as they are produced (a report larger than
// memory should hold): add() creates each output's temporary file at once (the same
// checks, flags and errors as write_file_atomically) and returns the Sink its bytes go to,
// buffered 1 MiB at a time; commit() writes what is buffered, fsyncs and closes every
// file, and only when every one succeeded renames each over its output. A failed write,
// fsync or close is returned by commit() (uprank.file.unwritable, naming the file) and
// leaves every output as it was; an OutputSet destroyed without a successful commit()
// removes its temporary files. A path for standard output (is_standard_output) writes
// there directly, and its failed or short writes are commit()'s error too.
class OutputSet {
 public:
  OutputSet();
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // The sink stays valid until commit() or destruction.
  Result<Sink*> add(const std::string& path);
  Status commit();

 private:
  class Output;
  std::vector<std::unique_ptr<Output>> outputs_;
};

// Writes `contents` to standard output and flushes it, reporting a failed or short write
// (a full disk, a closed pipe, /dev/full) as uprank.file.unwritable.
Status write_standard_output(std::string_view contents);

}  // namespace uprank::files
