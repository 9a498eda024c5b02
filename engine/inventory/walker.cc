// Format detection, the directory walker (.gitignore respected) and read_inventory_paths.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <memory>
#include <thread>
#include <unordered_set>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "engine/base/parallel.h"
#include "engine/files/files.h"
#include "engine/inventory/gitignore.h"
#include "engine/inventory/internal.h"
#include "engine/inventory/readers.h"
#include "engine/inventory/identity.h"

namespace uprank::inventory {
namespace {

namespace fs = std::filesystem;

// Returns whether the start of a JSON file is an uprank JSON report (docs/report.md: its
// first keys are schema_version and rank_policy).
bool is_uprank_report(std::string_view head) {
  return head.find("\"schema_version\"") != std::string_view::npos && head.find("\"rank_policy\"") != std::string_view::npos;
}

constexpr std::pair<Format, std::string_view> kFormatNames[] = {
    {Format::kNative, "native"},
    {Format::kCycloneDx, "cyclonedx"},
    {Format::kSpdx, "spdx"},
    {Format::kDpkgStatus, "dpkg"},
    {Format::kDockerfile, "dockerfile"},
    {Format::kCompose, "compose"},
    {Format::kKubernetes, "kubernetes"},
    {Format::kHelmChart, "helm-chart"},
    {Format::kHelmValues, "helm-values"},
    {Format::kTerraform, "terraform"},
    {Format::kGithubActions, "github-actions"},
    {Format::kToolVersions, "tool-versions"},
    {Format::kNvmrc, "nvmrc"},
    {Format::kPythonVersion, "python-version"},
    {Format::kTerraformVersion, "terraform-version"},
    {Format::kKustomize, "kustomize"},
    {Format::kGitlabCi, "gitlab-ci"},
};

constexpr size_t kHeadBytes = 64 * 1024;

// Editors on Windows start UTF-8 files with a byte-order mark; no format wants it.
std::string_view strip_byte_order_mark(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Returns whether some line of `head` starts with `prefix` (at column 1).
bool has_line_starting(std::string_view head, std::string_view prefix) {
  if (starts_with(head, prefix)) return true;
  std::string needle = "\n";
  needle += prefix;
  return head.find(needle) != std::string_view::npos;
}

// Reads a whole regular file through the bounded reader, refusing files over the limit
// and special files (FIFOs, devices) with a diagnostic naming the file.
// Reads a file of `format` within its bound; an SBOM over it is told which setting raises it.
// The most bytes a file of `format` may hold.
size_t size_limit(const std::optional<Format>& format, const ReadOptions& options) {
  const bool sbom = format == Format::kCycloneDx || format == Format::kSpdx;
  return sbom ? options.max_sbom_bytes : options.max_file_bytes;
}

bool read_file(const std::string& path, const std::optional<Format>& format, const ReadOptions& options, std::string& text,
               Inventory& out) {
  const bool sbom = format == Format::kCycloneDx || format == Format::kSpdx;
  auto read = files::read_regular_file(path, size_limit(format, options));
  if (!read.ok()) {
    const bool too_large = read.error().code == "uprank.file.too_large";
    out.diagnostics.push_back(make_diagnostic(Severity::kError,
                                              too_large ? "uprank.inventory.too_large" : "uprank.inventory.unreadable",
                                              read.error().message, SourceLocation{path, 0, 0},
                                              too_large && sbom ? "max_sbom_mib in uprank.yaml or --max-sbom-mib raises it" : ""));
    return false;
  }
  text = std::move(*read);
  return true;
}

// Returns the first bytes of a file, for format detection, and whether they are all of it
// (then they are the text: one open and read per small file); empty when it cannot be read
// (the full read that follows reports why).
files::FileStart read_start(const std::string& path) {
  auto start = files::read_regular_file_start(path, kHeadBytes);
  return start.ok() ? std::move(*start) : files::FileStart{};
}

// Whether detection needs the file's content (and so a read of its head).
bool needs_head(std::string_view name) {
  return ends_with(name, ".json") || ends_with(name, ".yaml") || ends_with(name, ".yml") || name == "status" ||
         name.find('.') == std::string_view::npos;
}

// Returns whether a file's name alone makes it an inventory input, or YAML or JSON that
// may be one: a file .gitignore leaves out is noted as skipped only then.
bool looks_like_inventory(std::string_view path) {
  std::string lower = internal::to_lower(internal::base_name(path));
  return detect_format(path, "").has_value() || ends_with(lower, ".yaml") || ends_with(lower, ".yml") ||
         ends_with(lower, ".json");
}

// Returns the note that says a file was opened and nothing came of it, and why.
Diagnostic skipped_file_note(const std::string& path, const std::string& reason) {
  return make_diagnostic(Severity::kNote, std::string(kSkippedFileCode), "file skipped: " + reason, SourceLocation{path, 0, 0});
}

// Rewrites the columns of what was read from `text` at `path` from bytes, as readers
// count them, to Unicode code points (UTF-8), the unit SARIF's columnKind
// "unicodeCodePoints" and editors use: "image: ünïcode/app:1" must point at the same
// character everywhere. Readers skip a leading byte-order mark, so columns do too.
void columns_in_code_points(std::string_view text, const std::string& path, Inventory& read) {
  if (std::all_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; })) return;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<size_t> line_starts = {0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  // Converted in order of position, counting each line's characters once: a minified SBOM
  // is one line, and counting from the line's start for each component was quadratic.
  std::vector<SourceLocation*> locations;
  auto add = [&](SourceLocation& where) {
    if (where.file != path || where.line < 1 || where.column < 2 || static_cast<size_t>(where.line) > line_starts.size()) return;
    locations.push_back(&where);
  };
  for (Component& component : read.components) add(component.location);
  for (Diagnostic& diagnostic : read.diagnostics) add(diagnostic.range.begin);
  std::stable_sort(locations.begin(), locations.end(), [](const SourceLocation* a, const SourceLocation* b) {
    return a->line != b->line ? a->line < b->line : a->column < b->column;
  });
  int line = 0;
  size_t at = 0;   // byte offset counted up to, on `line`
  int column = 1;  // the code point column at `at`
  for (SourceLocation* where : locations) {
    size_t start = line_starts[static_cast<size_t>(where->line) - 1];
    size_t end = std::min(text.size(), start + static_cast<size_t>(where->column) - 1);
    if (where->line != line) {
      line = where->line;
      at = start;
      column = 1;
    }
    for (; at < end; ++at) {
      if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) ++column;  // not a continuation byte
    }
    where->column = column;
  }
}

// Reads a file in its detected format and with the extractors that match it. A file
// that yields no component is noted as skipped, with the first problem its reader
// reported as the reason: every reader gets this, none can skip a file silently.
void read_detected(std::optional<Format> format, const std::vector<const Extractor*>& extractors, std::string_view text,
                   const std::string& path, const ReadOptions& options, Inventory& out) {
  Inventory file;
  if (format) merge_inventory(file, read_text(*format, text, path, options));
  for (const Extractor* extractor : extractors) merge_inventory(file, run_extractor(*extractor, text, path));
  columns_in_code_points(text, path, file);
  if (file.components.empty()) {  // tag-only values images are counted when completed (complete_tag_only_images)
    std::string what = format ? std::string(format_name(*format)) + " file" : "file";
    std::string reason = what + " pins no versions";
    if (!file.diagnostics.empty()) reason = what + ": " + file.diagnostics.front().message;
    file.diagnostics.push_back(skipped_file_note(path, reason));
  }
  merge_inventory(out, std::move(file));
}

// Returns the folder of a path ("a/b" for "a/b/values.yaml", "" for "values.yaml").
std::string parent_folder(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

// Completes the tag-only images of Helm values overrides (internal::kTagOnlyAttribute):
// the repository comes from the image at the same key in the nearest values.yaml above
// the override (its chart's own values, as Helm merges them); the override's tag wins.
// An override with no such values.yaml among `files` keeps no partial pin: a note says
// which key was dropped, and a file left with nothing is a skipped file like any other.
// `files`: each read file's path and what was read from it.
void complete_tag_only_images(const std::vector<std::pair<std::string, Inventory*>>& files) {
  std::unordered_map<std::string, const Inventory*> chart_values;  // folder -> its values.yaml
  bool any_partial = false;
  for (const auto& [path, read] : files) {
    std::string lower = internal::to_lower(internal::base_name(path));
    if (lower == "values.yaml" || lower == "values.yml") chart_values[parent_folder(path)] = read;
    for (const Component& component : read->components) any_partial |= component.attributes.count(std::string(internal::kTagOnlyAttribute)) > 0;
  }
  if (!any_partial) return;
  for (const auto& [path, read] : files) {
    const bool has_partial = std::any_of(read->components.begin(), read->components.end(), [](const Component& component) {
      return component.attributes.count(std::string(internal::kTagOnlyAttribute)) > 0;
    });
    if (!has_partial) continue;
    std::vector<Component> kept;
    for (Component& component : read->components) {
      if (!component.attributes.count(std::string(internal::kTagOnlyAttribute))) {
        kept.push_back(std::move(component));
        continue;
      }
      const std::string key = component.attributes["values.key"];
      const Component* base = nullptr;
      std::string folder = parent_folder(path);
      for (;;) {
        auto values = chart_values.find(folder);
        if (values != chart_values.end() && values->second != read) {
          for (const Component& candidate : values->second->components) {
            auto candidate_key = candidate.attributes.find("values.key");
            if (candidate_key != candidate.attributes.end() && candidate_key->second == key && !candidate.name.empty() &&
                !candidate.attributes.count(std::string(internal::kTagOnlyAttribute))) {
              base = &candidate;
              break;
            }
          }
          break;  // the nearest values.yaml is the chart's: a farther one belongs to another chart
        }
        if (folder.empty()) break;
        folder = parent_folder(folder);
      }
      std::optional<internal::ImageReference> image;
      if (base) {
        // The base's reference without its own tag and digest.
        std::string repository = base->attributes.count("image") ? base->attributes.at("image") : base->name;
        if (size_t at = repository.find('@'); at != std::string::npos) repository.resize(at);
        if (auto tag = base->attributes.find("tag"); tag != base->attributes.end() && !tag->second.empty() &&
                                                     repository.size() > tag->second.size() &&
                                                     repository.compare(repository.size() - tag->second.size() - 1, std::string::npos,
                                                                        ":" + tag->second) == 0) {
          repository.resize(repository.size() - tag->second.size() - 1);
        }
        image = internal::parse_image_reference(repository + ":" + component.version_text);
      }
      if (!image) {
        read->diagnostics.push_back(make_diagnostic(
            Severity::kNote, "uprank.helm.tag_only",
            "image at '" + key + "' sets only a tag (" + component.version_text +
                ") and no values.yaml of its chart names the repository at that key; skipped",
            component.location));
        continue;
      }
      Component completed = internal::image_component(*image, component.source, component.location);
      completed.attributes["values.key"] = key;
      completed.attributes["values.repository_from"] =
          base->location.file + ":" + std::to_string(base->location.line);
      kept.push_back(std::move(completed));
    }
    read->components = std::move(kept);
    if (read->components.empty()) {
      read->diagnostics.push_back(skipped_file_note(path, "helm-values file pins no complete image (tag-only entries without a repository)"));
    }
    internal::make_names_unique(read->components, 0);
  }
}

// The walk lists directories and applies .gitignore on one thread, and defers reading
// each file (and each Terraform module) to a task. File tasks are read by the other
// options.threads - 1 threads while the walk goes on (listing directories is mostly
// system calls, as long as reading the files on a large repository), and by the walking
// thread once the walk is done; modules are read after their files. Results are merged
// in walk order, so the inventory is the same byte for byte whatever the thread count.
class Walker {
 public:
  Walker(const ReadOptions& options, Inventory& out) : options_(options), out_(out) {}

  void walk(const std::string& root) {
    display_root_ = root;
    while (display_root_.size() > 1 && display_root_.back() == '/') display_root_.pop_back();
    const size_t earlier_diagnostics = out_.diagnostics.size();  // from paths read before this one
    walk_diagnostics_start_ = earlier_diagnostics;
    queue_.files.clear();
    queue_.next = 0;
    queue_.closed = false;
    tracked_.clear();
    tracked_folders_.clear();
    if (options_.tracked_files) {
      if (auto tracked = options_.tracked_files(root)) {
        for (std::string& file : *tracked) {
          for (size_t slash = file.find('/'); slash != std::string::npos; slash = file.find('/', slash + 1)) {
            tracked_folders_.insert(file.substr(0, slash));
          }
          tracked_.insert(std::move(file));
        }
      }
    }
    const unsigned threads = thread_count(options_.threads);
    std::vector<std::thread> readers;
    for (unsigned t = 1; t < threads; ++t) readers.emplace_back([this] { read_queued(); });
    walk_directory("", 0);
    {
      std::lock_guard<std::mutex> lock(queue_.mutex);
      queue_.closed = true;
    }
    queue_.ready.notify_all();
    read_queued();
    for (std::thread& reader : readers) reader.join();
    run_modules();
    std::vector<std::pair<std::string, Inventory*>> files;
    for (Task& task : tasks_) {
      if (!task.is_module) files.emplace_back(display(task.relative), &task.read);
    }
    complete_tag_only_images(files);
    merge_tasks(earlier_diagnostics);
  }

 private:
  // A file to read, or a Terraform module (the .tf files of one directory, read by
  // earlier tasks) to read once every file is. `diagnostics_before` is how many
  // diagnostics the walk itself had given when it met the task: its result goes there.
  struct Task {
    size_t diagnostics_before = 0;
    std::string relative;                // a file: its path under the root
    std::string name;                    // a file: its name
    std::vector<size_t> module_files;    // a module: its files' tasks
    bool is_module = false;
    Inventory read;                      // what the task gave
    std::optional<TerraformFile> terraform;  // a .tf file's text, for its module
  };

  // The file tasks the walk has queued, taken by the reading threads in queue order.
  struct Queue {
    std::mutex mutex;
    std::condition_variable ready;
    std::vector<Task*> files;  // Task addresses are stable: tasks_ is a deque
    size_t next = 0;
    size_t waiting = 0;  // readers waiting for a file
    bool closed = false;  // the walk is done
  };

  void queue_file(Task& task) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(queue_.mutex);
      queue_.files.push_back(&task);
      wake = queue_.waiting > 0;
    }
    if (wake) queue_.ready.notify_one();
  }

  // Reads queued files until the walk is done and the queue is empty.
  void read_queued() {
    for (;;) {
      Task* task = nullptr;
      {
        std::unique_lock<std::mutex> lock(queue_.mutex);
        ++queue_.waiting;
        queue_.ready.wait(lock, [&] { return queue_.next < queue_.files.size() || queue_.closed; });
        --queue_.waiting;
        if (queue_.next == queue_.files.size()) return;
        task = queue_.files[queue_.next++];
      }
      read_walked_file(task->relative, task->name, task->read, task->terraform);
    }
  }

  // Reads each Terraform module, once every file is read (a module needs its files' text).
  void run_modules() {
    std::vector<size_t> modules;
    for (size_t i = 0; i < tasks_.size(); ++i) {
      if (tasks_[i].is_module) modules.push_back(i);
    }
    parallel_for(modules.size(), options_.threads, [&](size_t k) {
      Task& task = tasks_[modules[k]];
      std::vector<TerraformFile> module;
      for (size_t file : task.module_files) {
        if (tasks_[file].terraform) module.push_back(std::move(*tasks_[file].terraform));
      }
      if (!module.empty()) task.read = read_module(module);
    });
  }

  // Puts each task's result where the walk met the task: between the diagnostics the
  // walk gave before and after it.
  void merge_tasks(size_t earlier_diagnostics) {
    std::vector<Diagnostic> walked(std::make_move_iterator(out_.diagnostics.begin() + static_cast<std::ptrdiff_t>(earlier_diagnostics)),
                                   std::make_move_iterator(out_.diagnostics.end()));
    out_.diagnostics.resize(earlier_diagnostics);
    // Components are large: the merged list grows once, not by doubling.
    size_t components = out_.components.size(), diagnostics = out_.diagnostics.size() + walked.size();
    for (const Task& task : tasks_) {
      components += task.read.components.size();
      diagnostics += task.read.diagnostics.size();
    }
    out_.components.reserve(components);
    out_.diagnostics.reserve(diagnostics);
    size_t next = 0;
    auto walked_until = [&](size_t end) {
      for (; next < end; ++next) out_.diagnostics.push_back(std::move(walked[next]));
    };
    for (Task& task : tasks_) {
      walked_until(task.diagnostics_before);
      merge_inventory(out_, std::move(task.read));
    }
    walked_until(walked.size());
    tasks_.clear();
  }

  // Queues a task at this point of the walk.
  Task& add_task() {
    tasks_.emplace_back();
    tasks_.back().diagnostics_before = out_.diagnostics.size() - walk_diagnostics_start_;
    return tasks_.back();
  }

  std::string display(const std::string& relative) const {
    if (display_root_ == ".") return relative;
    return display_root_ + "/" + relative;
  }
  std::string on_disk(const std::string& relative) const {
    return relative.empty() ? display_root_ : display_root_ + "/" + relative;
  }

  // `in_ignored`: the folder is one .gitignore leaves out, walked for the files git tracks
  // in it; its other files are left out like it.
  void walk_directory(const std::string& relative, int depth, bool in_ignored = false) {
    if (depth > options_.max_walk_depth) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.too_deep",
                                                 "directory nesting deeper than " + std::to_string(options_.max_walk_depth) +
                                                     " levels; not descending",
                                                 SourceLocation{on_disk(relative), 0, 0}));
      return;
    }
    std::error_code error;
    fs::directory_iterator iterator(on_disk(relative), error);
    if (error) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.unreadable",
                                                 "cannot list directory: " + error.message(), SourceLocation{on_disk(relative), 0, 0}));
      return;
    }
    struct Entry {
      std::string name;
      bool directory;
    };
    std::vector<Entry> entries;
    for (const fs::directory_entry& entry : iterator) {
      // The entry's type as the listing gave it (d_type): no stat per entry, except on
      // file systems that do not say.
      const bool link = entry.is_symlink(error);
      if (error) continue;
      if (link) {  // never follow links out of the tree or into loops
        std::string name = entry.path().filename().string();
        note_skipped(display(relative.empty() ? name : relative + "/" + name), "a symbolic link; not followed");
        continue;
      }
      const bool directory = entry.is_directory(error);
      if (error) continue;
      if (directory || entry.is_regular_file(error)) {
        if (!error) entries.push_back({entry.path().filename().string(), directory});
      } else if (!error) {
        // A FIFO, socket or device named like an inventory file: said and counted, never
        // opened (a FIFO would block the walk).
        std::string name = entry.path().filename().string();
        std::string path = relative.empty() ? name : relative + "/" + name;
        if (looks_like_inventory(path) && !ignored(path, false)) {
          const fs::file_type type = entry.symlink_status(error).type();
          note_skipped(display(path), type == fs::file_type::fifo     ? "a FIFO (named pipe), not a regular file"
                                      : type == fs::file_type::socket ? "a socket, not a regular file"
                                                                      : "a device or special file, not a regular file");
        }
      }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    auto child = [&](const std::string& name) { return relative.empty() ? name : relative + "/" + name; };
    // This folder's rules apply below it only: dropped on every way out.
    struct PopRules {
      std::vector<IgnoreFile>& stack;
      size_t size;
      ~PopRules() { stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(size), stack.end()); }
    } pop_rules{ignore_, ignore_.size()};
    for (const Entry& entry : entries) {
      // .gitignore, and a repository's own .git/info/exclude (gitignore(5)): rules of the
      // same form, anchored to this folder.
      std::string rules_file = entry.name == ".gitignore" && !entry.directory ? child(entry.name)
                               : entry.name == ".git" && entry.directory     ? child(".git/info/exclude")
                                                                             : std::string();
      std::error_code missing;
      if (!rules_file.empty() && fs::is_regular_file(on_disk(rules_file), missing)) add_ignore_rules(relative, rules_file);
    }
    std::vector<size_t> files;  // this directory's file tasks
    for (const Entry& entry : entries) {
      std::string path = child(entry.name);
      if (entry.name == ".git" || entry.name == ".terraform" || entry.name == "node_modules") continue;
      const bool path_ignored = in_ignored || ignored(path, entry.directory);
      if (path_ignored) {
        // gitignore(5): "Files already tracked by Git are not affected": a tracked file is
        // read, and an ignored folder is walked for the tracked files in it.
        const bool tracked = entry.directory ? tracked_folders_.count(path) > 0 : tracked_.count(path) > 0;
        if (!tracked) {
          if (!entry.directory && looks_like_inventory(path)) {
            note_skipped(display(path), "ignored by .gitignore and not tracked by git");
          }
          continue;
        }
      }
      if (entry.directory) {
        // A folder named like an inventory file (`values.yaml/`, `Dockerfile/`): what is in
        // it is walked, but the file its name promises is not there, and that is said.
        if (looks_like_inventory(path)) note_skipped(display(path), "a directory, not a file (what is in it is walked)");
        walk_directory(path, depth + 1, path_ignored);
        continue;
      }
      if (++files_ > options_.max_files) {
        if (files_ == options_.max_files + 1) {
          out_.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.too_many_files",
                                                     "stopped after " + std::to_string(options_.max_files) + " files",
                                                     SourceLocation{display_root_, 0, 0}));
        }
        return;
      }
      Task& task = add_task();
      task.relative = path;
      task.name = entry.name;
      files.push_back(tasks_.size() - 1);
      queue_file(task);
    }
    // The .tf files among them are one module, read together once they are read.
    if (!files.empty()) {
      Task& module = add_task();
      module.is_module = true;
      module.module_files = std::move(files);
    }
  }

  // Compiles the rules file at `rules_file` for the folder `base`; one that cannot be read
  // or is over the limits is not applied, and said (a warning naming the limit) and
  // counted as skipped.
  void add_ignore_rules(const std::string& base, const std::string& rules_file) {
    GitignoreLimits limits;
    auto text = files::read_regular_file(on_disk(rules_file), limits.max_bytes);
    auto rules = text.ok() ? GitignoreRules::compile(*text, limits) : Result<GitignoreRules>(text.error());
    if (rules.ok()) {
      ignore_.push_back({base, std::move(*rules)});
      return;
    }
    std::string reason = rules.error().message + "; its rules are not applied";
    out_.diagnostics.push_back(make_diagnostic(Severity::kWarning,
                                               text.ok() || text.error().code == "uprank.file.too_large"
                                                   ? "uprank.inventory.too_large"
                                                   : "uprank.inventory.unreadable",
                                               reason, SourceLocation{display(rules_file), 0, 0}));
    note_skipped(display(rules_file), reason);
  }

  // Returns whether git would ignore `relative`: the rules of the deepest folder that
  // says anything about it decide (gitignore(5)); every folder on the stack is an
  // ancestor of `relative`.
  bool ignored(const std::string& relative, bool is_directory) const {
    for (auto file = ignore_.rbegin(); file != ignore_.rend(); ++file) {
      std::string_view below = relative;
      if (!file->base.empty()) below.remove_prefix(file->base.size() + 1);
      GitignoreVerdict verdict = file->rules.match(below, is_directory);
      if (verdict != GitignoreVerdict::kNoMatch) return verdict == GitignoreVerdict::kIgnored;
    }
    return false;
  }

  void note_skipped(const std::string& path, const std::string& reason) {
    out_.diagnostics.push_back(skipped_file_note(path, reason));
  }

  // Reads one Terraform module; each of its files that pins nothing (not even through a
  // variable default another file references) gets a skip note like any other file.
  Inventory read_module(const std::vector<TerraformFile>& files) const {
    Inventory module = read_terraform_module(files, options_);
    for (const TerraformFile& file : files) columns_in_code_points(file.text, file.path, module);
    for (const TerraformFile& file : files) {
      bool used = std::any_of(module.components.begin(), module.components.end(), [&](const Component& component) {
        auto reference = component.attributes.find("terraform.reference");
        return component.location.file == file.path ||
               (reference != component.attributes.end() && reference->second.rfind(file.path + ":", 0) == 0);
      });
      if (!used) module.diagnostics.push_back(skipped_file_note(file.path, "it pins no provider, module, engine, image or chart"));
    }
    return module;
  }

  // Returns whether a YAML file of no other kind is a values file of a Helm chart: a
  // folder above it holds a Chart.yaml, and it is not in the chart's templates/ (rendered
  // manifests) or charts/ (subcharts read as charts of their own are below their own
  // Chart.yaml, which is nearer). Environment overrides live there under any name
  // (env/prod.yaml, ci/test-values.yaml) and are passed to `helm -f`.
  bool in_chart_folder(const std::string& relative, const std::string& name) const {
    std::string lower = internal::to_lower(name);
    if (!(ends_with(lower, ".yaml") || ends_with(lower, ".yml")) || lower == "uprank.yaml") return false;
    std::string folder = parent_folder(relative);
    for (int depth = 0; depth < 4; ++depth) {
      std::error_code missing;
      if (fs::is_regular_file(on_disk(folder.empty() ? "Chart.yaml" : folder + "/Chart.yaml"), missing)) return true;
      if (folder.empty()) return false;
      std::string_view last = internal::base_name(folder);
      if (last == "templates" || last == "crds") return false;
      folder = parent_folder(folder);
    }
    return false;
  }

  // Reads one walked file into `out`; a Terraform file's text goes to `terraform`, for
  // its module. Runs on any thread: reads only the options and the file.
  void read_walked_file(const std::string& relative, const std::string& name, Inventory& out,
                        std::optional<TerraformFile>& terraform) const {
    files::FileStart start = needs_head(name) ? read_start(on_disk(relative)) : files::FileStart{};
    const std::string& head = start.bytes;
    std::optional<Format> format = detect_format(relative, head);
    if (!format && in_chart_folder(relative, name)) format = Format::kHelmValues;
    std::vector<const Extractor*> extractors;
    for (const Extractor& extractor : options_.extractors) {
      if (glob_match(extractor.glob, relative)) extractors.push_back(&extractor);
    }
    if (!format && extractors.empty()) {
      // Sniffed but not understood: say so for the formats inventories come in.
      std::string lower = internal::to_lower(name);
      if (ends_with(lower, ".json") && is_uprank_report(head)) {
        out.diagnostics.push_back(skipped_file_note(display(relative), "an uprank report (a baseline?), not an inventory"));
      } else if (ends_with(lower, ".json")) {
        out.diagnostics.push_back(
            skipped_file_note(display(relative), "JSON that is neither CycloneDX, SPDX, a Kubernetes manifest nor a native inventory"));
      } else if (lower == "uprank.yaml") {
        return;  // uprank's own configuration, read as such: not a skipped inventory
      } else if (ends_with(lower, ".yaml") || ends_with(lower, ".yml")) {
        out.diagnostics.push_back(skipped_file_note(
            display(relative),
            "YAML that is not a compose file, Kubernetes manifest, Helm chart or values, workflow or native inventory"));
      }
      return;
    }
    std::string text;
    if (start.whole && start.bytes.size() <= size_limit(format, options_)) {
      text = std::move(start.bytes);
    } else if (!read_file(on_disk(relative), format, options_, text, out)) {
      return;
    }
    std::string shown = display(relative);
    if (format == Format::kTerraform) {
      terraform = TerraformFile{shown, std::move(text)};
      return;
    }
    read_detected(format, extractors, text, shown, options_, out);
  }

  const ReadOptions& options_;
  Inventory& out_;
  std::string display_root_;
  struct IgnoreFile {
    std::string base;  // the folder the rules are anchored to, relative to the root
    GitignoreRules rules;
  };
  std::vector<IgnoreFile> ignore_;  // innermost last
  std::unordered_set<std::string> tracked_;          // files git tracks, relative to the root
  std::unordered_set<std::string> tracked_folders_;  // the folders above them
  size_t files_ = 0;
  std::deque<Task> tasks_;              // in walk order
  Queue queue_;
  size_t walk_diagnostics_start_ = 0;  // out_'s diagnostics before this walk
};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [format, format_text] : kFormatNames) {
    if (format_text == name) return format;
  }
  if (name == "cdx" || name == "cyclone-dx") return Format::kCycloneDx;
  if (name == "dpkg-status") return Format::kDpkgStatus;
  if (name == "k8s") return Format::kKubernetes;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  for (const auto& [candidate, name] : kFormatNames) {
    if (candidate == format) return name;
  }
  return "unknown";
}

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const auto& entry : kFormatNames) names.emplace_back(entry.second);
  return names;
}

std::optional<std::string> unsupported_input(std::string_view path, std::string_view head) {
  auto bytes = [&](std::initializer_list<unsigned char> prefix) {
    if (head.size() < prefix.size()) return false;
    size_t i = 0;
    for (unsigned char byte : prefix) {
      if (static_cast<unsigned char>(head[i++]) != byte) return false;
    }
    return true;
  };
  const std::string file(path);
  // The converted file keeps a .json name, which detection reads.
  std::string converted = ends_with(file, ".json") ? file.substr(0, file.size() - 5) + ".utf8.json" : file + ".utf8.json";
  const std::string convert_text = "; uprank reads UTF-8 only: convert it first (iconv -f %s -t UTF-8 " + file + " > " +
                                   converted + "), then pass the converted file";
  auto utf = [&](const char* encoding, const char* how) {
    std::string text = std::string(encoding) + " text (" + how + ")" + convert_text;
    text.replace(text.find("%s"), 2, encoding);
    return text;
  };
  // UTF-32 first: its little-endian byte order mark begins with UTF-16's.
  if (bytes({0xFF, 0xFE, 0x00, 0x00})) return utf("UTF-32LE", "byte order mark FF FE 00 00");
  if (bytes({0x00, 0x00, 0xFE, 0xFF})) return utf("UTF-32BE", "byte order mark 00 00 FE FF");
  if (bytes({0xFF, 0xFE})) return utf("UTF-16LE", "byte order mark FF FE");
  if (bytes({0xFE, 0xFF})) return utf("UTF-16BE", "byte order mark FE FF");
  // Without a byte order mark (RFC 8259 8.1 forbids one in JSON anyway), ASCII text in
  // UTF-16 has a NUL in every other byte.
  if (head.size() >= 4 && head[0] != '\0' && head[1] == '\0' && head[2] != '\0' && head[3] == '\0') {
    return utf("UTF-16LE", "no byte order mark, a NUL after every character");
  }
  if (head.size() >= 4 && head[0] == '\0' && head[1] != '\0' && head[2] == '\0' && head[3] != '\0') {
    return utf("UTF-16BE", "no byte order mark, a NUL before every character");
  }
  std::string_view text = strip_byte_order_mark(head);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() == '<') {
    if (text.find("http://cyclonedx.org/schema/bom") != std::string_view::npos || text.find("<bom") != std::string_view::npos) {
      return "a CycloneDX XML document; uprank reads CycloneDX JSON only: convert it with cyclonedx-cli (cyclonedx "
             "convert --input-file " + file + " --output-format json --output-file bom.cdx.json), then pass the JSON file";
    }
    if (text.find("spdx.org/rdf") != std::string_view::npos || text.find("<rdf:RDF") != std::string_view::npos) {
      return "an SPDX RDF/XML document; uprank reads SPDX 2.x JSON only: convert it to JSON (e.g. with the SPDX "
             "tools-java Convert command), then pass the JSON file";
    }
    return "an XML document; uprank reads CycloneDX and SPDX as JSON only";
  }
  if (text.rfind("SPDXVersion:", 0) == 0) {
    return "an SPDX tag-value document; uprank reads SPDX 2.x JSON only: convert it to JSON (e.g. with the SPDX "
           "tools-java Convert command), then pass the JSON file";
  }
  return std::nullopt;
}

// Returns whether `head` (JSON) has the member `"key":`, whitespace allowed before the colon.
static bool json_has_member(std::string_view head, std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\"";
  for (size_t at = head.find(quoted); at != std::string_view::npos; at = head.find(quoted, at + 1)) {
    size_t next = head.find_first_not_of(" \t\r\n", at + quoted.size());
    if (next != std::string_view::npos && head[next] == ':') return true;
  }
  return false;
}

bool is_gitlab_ci_path(std::string_view path) {
  std::string lower = internal::to_lower(path);
  if (ends_with(lower, ".gitlab-ci.yml") || ends_with(lower, ".gitlab-ci.yaml")) return true;
  bool yaml = ends_with(lower, ".yaml") || ends_with(lower, ".yml");
  return yaml && (starts_with(lower, ".gitlab/ci/") || starts_with(lower, "/.gitlab/ci/") ||
                  lower.find("/.gitlab/ci/") != std::string::npos);
}

std::optional<Format> detect_format(std::string_view path, std::string_view head) {
  head = strip_byte_order_mark(head);
  std::string name(internal::base_name(path));
  std::string lower = internal::to_lower(name);
  bool yaml = ends_with(lower, ".yaml") || ends_with(lower, ".yml");
  bool json = ends_with(lower, ".json");
  if (lower == "dockerfile" || lower == "containerfile" || starts_with(lower, "dockerfile.") || ends_with(lower, ".dockerfile")) {
    return Format::kDockerfile;
  }
  if (lower == ".tool-versions") return Format::kToolVersions;
  if (lower == ".nvmrc" || lower == ".node-version") return Format::kNvmrc;
  if (lower == ".python-version") return Format::kPythonVersion;
  if (lower == ".terraform-version") return Format::kTerraformVersion;
  // terraform.tfvars and *.auto.tfvars are loaded with the module's .tf files.
  if (ends_with(lower, ".tf") || lower == "terraform.tfvars" || ends_with(lower, ".auto.tfvars")) return Format::kTerraform;
  if (name == "Chart.yaml" || name == "Chart.yml") return Format::kHelmChart;
  // kustomize reads only these names (kustomize's konfig.RecognizedKustomizationFileNames).
  if (name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization") return Format::kKustomize;
  if (yaml && is_gitlab_ci_path(path)) return Format::kGitlabCi;
  if (yaml && (starts_with(lower, "docker-compose") || starts_with(lower, "compose.") || starts_with(lower, "compose-"))) {
    return Format::kCompose;
  }
  if (yaml && (path.find(".github/workflows/") != std::string_view::npos || lower == "action.yml" || lower == "action.yaml")) {
    return Format::kGithubActions;
  }
  if (yaml && (lower == "values.yaml" || lower == "values.yml" || starts_with(lower, "values-") || starts_with(lower, "values."))) {
    return Format::kHelmValues;
  }
  if (json || ends_with(lower, ".cdx") || ends_with(lower, ".spdx")) {
    if (head.find("\"bomFormat\"") != std::string_view::npos) return Format::kCycloneDx;
    if (head.find("\"spdxVersion\"") != std::string_view::npos) return Format::kSpdx;
    if (head.find("spdx.org/rdf/3") != std::string_view::npos) return Format::kSpdx;  // rejected with a clear message
    // uprank's own JSON report (a baseline committed beside the pins) also lists
    // "components"; it says what was found, not what runs.
    if (is_uprank_report(head)) return std::nullopt;
    // A Kubernetes manifest in JSON (kubectl reads both; `kubectl get -o json` writes it):
    // JSON is YAML, so the manifest reader takes it as it is.
    if (json_has_member(head, "apiVersion") && json_has_member(head, "kind")) return Format::kKubernetes;
    if (head.find("\"components\"") != std::string_view::npos) return Format::kNative;
    return std::nullopt;
  }
  if (yaml) {
    if (has_line_starting(head, "apiVersion:") && has_line_starting(head, "kind:")) return Format::kKubernetes;
    if (has_line_starting(head, "components:") || has_line_starting(head, "services:\n  - ") ||
        has_line_starting(head, "hosts:")) {
      return Format::kNative;
    }
    return std::nullopt;
  }
  if (lower == "status" || has_line_starting(internal::trim(head), "Package:")) {
    if (has_line_starting(head, "Package:")) return Format::kDpkgStatus;
  }
  return std::nullopt;
}

Inventory read_text(Format format, std::string_view text, const std::string& path, const ReadOptions& options) {
  text = strip_byte_order_mark(text);
  try {
    switch (format) {
      case Format::kNative: return read_native_inventory(text, path, options);
      case Format::kCycloneDx: return read_cyclonedx(text, path, options);
      case Format::kSpdx: return read_spdx(text, path, options);
      case Format::kDpkgStatus: return read_dpkg_status(text, path, options);
      case Format::kDockerfile: return read_dockerfile(text, path, options);
      case Format::kCompose: return read_compose(text, path, options);
      case Format::kKubernetes: return read_kubernetes(text, path, options);
      case Format::kHelmChart: return read_helm_chart(text, path, options);
      case Format::kHelmValues: return read_helm_values(text, path, options);
      case Format::kTerraform: return read_terraform_module({TerraformFile{path, std::string(text)}}, options);
      case Format::kGithubActions: return read_github_actions(text, path, options);
      case Format::kKustomize: return read_kustomize(text, path, options);
      case Format::kGitlabCi: return read_gitlab_ci(text, path, options);
      case Format::kToolVersions:
      case Format::kNvmrc:
      case Format::kPythonVersion:
      case Format::kTerraformVersion: return read_version_file(format, text, path, options);
    }
  } catch (const std::exception& e) {  // yaml-cpp throws from conversions; nothing escapes a reader
    Inventory failed;
    failed.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.syntax",
                                                 std::string("cannot read ") + std::string(format_name(format)) + ": " + e.what(),
                                                 SourceLocation{path, 0, 0}));
    return failed;
  }
  return {};
}

size_t skipped_files(const Inventory& inventory) {
  return static_cast<size_t>(std::count_if(inventory.diagnostics.begin(), inventory.diagnostics.end(),
                                           [](const Diagnostic& diagnostic) { return diagnostic.code == kSkippedFileCode; }));
}

void merge_inventory(Inventory& into, Inventory&& more) {
  if (into.components.empty()) {
    into.components = std::move(more.components);
  } else {
    for (Component& component : more.components) into.components.push_back(std::move(component));
  }
  for (Service& service : more.services) into.services.push_back(std::move(service));
  for (Diagnostic& diagnostic : more.diagnostics) into.diagnostics.push_back(std::move(diagnostic));
}

// Gives back the memory of a large SBOM's text as the reader streams past it, so that the
// text and the components read from it are not held whole at once (the text was 11% of
// the peak of reading a lean SBOM). Pages the reader has passed are dropped
// (madvise(MADV_DONTNEED): they read as zeros if touched again). Only when nothing reads
// the text after the reader: a CycloneDX or SPDX file without extractors, in ASCII
// (columns_in_code_points reads non-ASCII text again; a byte order mark is not ASCII).
class TextRelease {
 public:
  static constexpr size_t kFrom = size_t{16} << 20;  // texts smaller than this are kept whole

  TextRelease(std::string& text, const std::optional<Format>& format, bool extractors) : text_(text) {
#if defined(__linux__)
    applies_ = !extractors && (format == Format::kCycloneDx || format == Format::kSpdx) && text.size() >= kFrom &&
               std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
#else
    (void)format;
    (void)extractors;
#endif
  }
  bool applies() const { return applies_; }
  void release_before(size_t offset) {
#if defined(__linux__)
    const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<uintptr_t>(text_.data());
    const uintptr_t from = (start + released_ + page - 1) / page * page;
    const uintptr_t to = (start + std::min(offset, text_.size())) / page * page;
    if (to < from + kStep) return;
    if (madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED) == 0) released_ = to - start;
#else
    (void)offset;
#endif
  }

 private:
  static constexpr uintptr_t kStep = uintptr_t{1} << 20;  // one call per MiB read
  std::string& text_;
  bool applies_ = false;
  size_t released_ = 0;  // bytes from the start whose pages are dropped (page-aligned end)
};

Inventory read_inventory_paths(const std::vector<std::string>& paths, const ReadOptions& options) {
  Inventory all;
  // Names are made unique over the whole inventory at the end, unless one SBOM gave every
  // component: its reader made them unique already (and the identities and the product map
  // rename nothing), so a second pass would only confirm it.
  size_t paths_with_components = 0;
  bool unique_already = false;
  for (const std::string& path : paths) {
    const size_t components_before = all.components.size();
    auto count_path = [&](bool unique) {
      if (all.components.size() == components_before) return;
      ++paths_with_components;
      unique_already = unique;
    };
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      all.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.unreadable", "no such file or directory",
                                                SourceLocation{path, 0, 0}));
      continue;
    }
    if (fs::is_directory(status)) {
      Walker walker(options, all);
      walker.walk(path);
      count_path(false);
      continue;
    }
    // Checked before detection, so a FIFO, a device or a file without read permission
    // is reported as what it is rather than as an unknown format.
    auto head = files::read_regular_file_head(path, kHeadBytes);
    if (!head.ok()) {
      all.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.unreadable", head.error().message,
                                                SourceLocation{path, 0, 0}));
      continue;
    }
    if (auto unsupported = unsupported_input(path, *head)) {
      all.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.unsupported_format",
                                                "cannot read: " + *unsupported, SourceLocation{path, 0, 0}));
      continue;
    }
    std::optional<Format> format = options.forced_format;
    if (!format) format = detect_format(path, *head);
    std::vector<const Extractor*> extractors;
    for (const Extractor& extractor : options.extractors) {
      if (glob_match(extractor.glob, path)) extractors.push_back(&extractor);
    }
    if (!format && extractors.empty() && options.unknown_format_skipped) {
      all.diagnostics.push_back(skipped_file_note(path, "cannot tell what kind of inventory this is"));
      continue;
    }
    if (!format && extractors.empty()) {
      all.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.unknown_format",
                                                "cannot tell what kind of inventory this is", SourceLocation{path, 0, 0},
                                                options.unknown_format_hint));
      continue;
    }
    std::string text;
    if (!read_file(path, format, options, text, all)) continue;
    Inventory file;
    if (TextRelease release(text, format, !extractors.empty()); release.applies()) {
      ReadOptions releasing = options;
      releasing.text_read_before = [&release](size_t offset) { release.release_before(offset); };
      read_detected(format, extractors, text, path, releasing, file);
    } else {
      read_detected(format, extractors, text, path, options, file);
    }
    complete_tag_only_images({{path, &file}});  // a values file read alone has no chart values beside it
    merge_inventory(all, std::move(file));
    count_path(extractors.empty() && (format == Format::kCycloneDx || format == Format::kSpdx));
  }
  IdentityOptions identity_options;
  identity_options.distro = options.distro;
  assign_identities(all, identity_options);
  if (options.products) options.products->apply(all);
  for (Component& component : all.components) {
    if (component.version || component.version_text.empty() || !component.pin.exact()) continue;
    auto parsed = versions::Version::parse(component.scheme, component.version_text);
    if (parsed.ok()) component.version = std::move(parsed.value());  // else: kept as text, by design
  }
  if (paths_with_components != 1 || !unique_already) internal::make_names_unique(all.components, 0);
  sort_diagnostics(all.diagnostics);
  return all;
}

}  // namespace uprank::inventory
