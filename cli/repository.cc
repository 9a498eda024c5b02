#include "cli/repository.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "engine/report/fingerprint.h"

extern char** environ;

namespace uprank::cli {
namespace fs = std::filesystem;

Result<fs::path> repository_root(const std::string& path) {
  std::error_code error;
  fs::path resolved = fs::canonical(path, error);
  if (error) {
    return make_error("uprank.check.no_such_path", path + ": " + error.message(), SourceLocation{path, 0, 0});
  }
  // The same root `report` uses for its inventories, found from the resolved path so that
  // a symbolic link to the repository names the same root.
  return fs::path(report::find_repository_root(resolved.string()));
}

void relative_to_root(inventory::Inventory& inventory, const fs::path& root) {
  // Paths are resolved as strings: std::filesystem::path splits every path into a list of
  // components, which made this a tenth of a check on a 10,000-file repository.
  const std::string root_text = root.generic_string();
  std::string working_directory;
  {
    std::error_code error;
    working_directory = fs::current_path(error).generic_string();
  }
  // A path's resolution (absolute, no symbolic link), for the folders met: each is
  // resolved once, from its parent's resolution and one lstat of its own (what
  // weakly_canonical gives, without a readlink per component of every path).
  std::unordered_map<std::string, std::optional<std::string>> resolved;  // nullopt: cannot be resolved
  auto slow = [](const std::string& path) -> std::optional<std::string> {
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(path, error);
    if (error) return std::nullopt;
    return canonical.generic_string();
  };
  // `path` is absolute and lexically normal (no empty, "." or ".." component).
  std::function<std::optional<std::string>(const std::string&)> resolve = [&](const std::string& path) {
    if (path == "/") return std::optional<std::string>("/");
    auto known = resolved.find(path);
    if (known != resolved.end()) return known->second;
    std::optional<std::string> result;
    struct stat status{};
    if (::lstat(path.c_str(), &status) != 0 || S_ISLNK(status.st_mode)) {
      result = slow(path);
    } else {
      size_t slash = path.rfind('/');
      std::optional<std::string> parent = resolve(slash == 0 ? "/" : path.substr(0, slash));
      if (parent) result = (*parent == "/" ? "" : *parent) + path.substr(slash);
    }
    resolved.emplace(path, result);
    return result;
  };
  auto lexically_normal_absolute = [](std::string_view path) {
    if (path.empty() || path.front() != '/' || (path.size() > 1 && path.back() == '/')) return false;
    for (size_t start = 1; start <= path.size();) {
      size_t end = std::min(path.find('/', start), path.size());
      std::string_view part = path.substr(start, end - start);
      if (part.empty() || part == "." || part == "..") return path.size() == 1;
      start = end + 1;
    }
    return true;
  };
  std::unordered_map<std::string, std::string> rewritten;  // one file has many components
  auto relative = [&](std::string& file) {
    if (file.empty()) return;
    auto [it, inserted] = rewritten.try_emplace(file, file);
    if (inserted) {
      std::string absolute = file.front() == '/' ? file : working_directory + "/" + file;
      if (!lexically_normal_absolute(absolute)) absolute = fs::path(absolute).lexically_normal().generic_string();
      // The folders resolve; the file keeps its own name: a symbolic link given or met is
      // the file the user named ("compose.yaml -> deploy/compose.prod.yaml" is compose.yaml).
      size_t slash = absolute.rfind('/');
      std::optional<std::string> canonical;
      if (slash != std::string::npos && slash + 1 < absolute.size() && lexically_normal_absolute(absolute)) {
        std::optional<std::string> folder = resolve(slash == 0 ? "/" : absolute.substr(0, slash));
        if (folder) canonical = (*folder == "/" ? "" : *folder) + absolute.substr(slash);
      } else {
        canonical = slow(absolute);
      }
      if (canonical && *canonical == root_text) {
        it->second = ".";
      } else if (canonical && canonical->size() > root_text.size() && canonical->compare(0, root_text.size(), root_text) == 0 &&
                 ((*canonical)[root_text.size()] == '/' || root_text == "/")) {
        it->second = canonical->substr(root_text == "/" ? 1 : root_text.size() + 1);
      }
    }
    file = it->second;
  };
  for (inventory::Component& component : inventory.components) relative(component.location.file);
  for (inventory::Service& service : inventory.services) relative(service.location.file);
  for (Diagnostic& diagnostic : inventory.diagnostics) relative(diagnostic.range.begin.file);
}

namespace {
constexpr size_t kMaxGitOutputBytes = size_t{512} << 20;
}  // namespace

Result<std::string> run_git(const std::string& directory, const std::vector<std::string>& git_arguments,
                            const std::string& what, bool quiet) {
  std::vector<std::string> arguments = {"git", "-C", directory};
  arguments.insert(arguments.end(), git_arguments.begin(), git_arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return make_error("uprank.git", "cannot run git: no pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    return make_error("uprank.git", "cannot run git (is it installed?)");
  }
  std::string text;
  char buffer[65536];
  bool too_large = false;
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) {
    // Read to the end even when too large, so that git is not left blocked on the pipe.
    if (text.size() + static_cast<size_t>(n) > kMaxGitOutputBytes) too_large = true;
    if (!too_large) text.append(buffer, static_cast<size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error("uprank.git", what + " failed in " + directory + (quiet ? "" : " (see git's message above)"));
  }
  if (too_large) return make_error("uprank.git", what + " is larger than 512 MiB");
  return text;
}

std::optional<std::vector<std::string>> git_tracked_files(const std::string& directory) {
  auto listed = run_git(directory, {"ls-files", "-z", "--cached", "--"}, "git ls-files", /*quiet=*/true);
  if (!listed.ok()) return std::nullopt;
  const std::string& text = listed.value();
  std::vector<std::string> files;
  for (size_t begin = 0, end = 0; begin < text.size(); begin = end + 1) {
    end = text.find('\0', begin);
    if (end == std::string::npos) end = text.size();
    if (end > begin) files.push_back(text.substr(begin, end - begin));
  }
  return files;
}

}  // namespace uprank::cli
