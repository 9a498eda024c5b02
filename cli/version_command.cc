// `uprank version compare|satisfies|sort --scheme S (ARGS | -)`: the versions library on
// the command line. The output format is a contract that scripts depend on:
//   compare A B          prints "<", "=" or ">"
//   satisfies V RANGE    prints "true" or "false" (RANGE may be a vers: URI)
//   sort V...            prints the versions in ascending order, one per line
// With "-" instead of arguments, compare and satisfies read TAB-separated pairs from
// stdin and print one answer per line; an invalid line prints "error: ..." in its place
// and processing continues. sort - reads one version per line.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/command.h"
#include "engine/versions/versions.h"

namespace uprank::cli {
namespace {

using versions::Range;
using versions::Scheme;
using versions::Version;

struct VersionOptions {
  std::string scheme_name;
  std::vector<std::string> args;
};

// Buffered stdout: batch mode writes millions of short lines.
class Output {
 public:
  ~Output() { flush(); }
  void line(std::string_view text) {
    buffer_.append(text);
    buffer_.push_back('\n');
    if (buffer_.size() > (1 << 20)) flush();
  }
  void flush() {
    if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    buffer_.clear();
    std::fflush(stdout);
  }

 private:
  std::string buffer_;
};

std::string read_stdin() {
  std::string data;
  char chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, stdin)) > 0) data.append(chunk, n);
  return data;
}

// Calls `f(line_number, line)` for each line of `data`, without the line terminator.
template <typename F>
void for_each_line(std::string_view data, F f) {
  size_t start = 0, number = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(++number, line);
    start = end + 1;
  }
}

const char* order_symbol(int c) { return c < 0 ? "<" : (c > 0 ? ">" : "="); }

Result<Range> parse_range(Scheme scheme, std::string_view text) {
  if (text.substr(0, 5) == "vers:") {
    auto range = Range::parse_vers(text);
    if (!range.ok()) return range;
    bool compatible = range->scheme() == scheme ||
                      ((range->scheme() == Scheme::kNpm || range->scheme() == Scheme::kSemver) &&
                       (scheme == Scheme::kNpm || scheme == Scheme::kSemver));
    if (!compatible) {
      return make_error("uprank.range.scheme_mismatch", "vers URI is for scheme " +
                                                            std::string(versions::scheme_name(range->scheme())) +
                                                            ", not " + std::string(versions::scheme_name(scheme)));
    }
    return range;
  }
  return Range::parse(scheme, text);
}

// Parses ranges once per distinct text: batch inputs repeat a few ranges many times.
class RangeCache {
 public:
  explicit RangeCache(Scheme scheme) : scheme_(scheme) {}
  const Result<Range>& get(std::string_view text) {
    key_.assign(text);
    auto it = cache_.find(key_);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxEntries) cache_.clear();
    return cache_.emplace(key_, parse_range(scheme_, text)).first->second;
  }

 private:
  static constexpr size_t kMaxEntries = 1 << 16;
  Scheme scheme_;
  std::string key_;
  std::unordered_map<std::string, Result<Range>> cache_;
};

int usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return kExitBadInput;
}

bool is_batch(const VersionOptions& o) { return o.args.size() == 1 && o.args[0] == "-"; }

int run_compare(Scheme scheme, const VersionOptions& o) {
  if (is_batch(o)) {
    std::string data = read_stdin();
    Output out;
    std::string message;
    for_each_line(data, [&](size_t number, std::string_view line) {
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        out.line("error: line " + std::to_string(number) + ": expected A<TAB>B");
        return;
      }
      auto a = Version::parse(scheme, line.substr(0, tab));
      auto b = a.ok() ? Version::parse(scheme, line.substr(tab + 1)) : Result<Version>(a.error());
      if (!b.ok()) {
        out.line("error: line " + std::to_string(number) + ": " + b.error().message);
        return;
      }
      out.line(order_symbol(versions::compare(*a, *b)));
    });
    return kExitClean;
  }
  if (o.args.size() != 2) return usage("compare takes two versions A B, or - to read A<TAB>B lines from stdin");
  auto a = Version::parse(scheme, o.args[0]);
  if (!a.ok()) return usage(a.error().message);
  auto b = Version::parse(scheme, o.args[1]);
  if (!b.ok()) return usage(b.error().message);
  std::printf("%s\n", order_symbol(versions::compare(*a, *b)));
  return kExitClean;
}

int run_satisfies(Scheme scheme, const VersionOptions& o) {
  if (is_batch(o)) {
    std::string data = read_stdin();
    Output out;
    RangeCache ranges(scheme);
    for_each_line(data, [&](size_t number, std::string_view line) {
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        out.line("error: line " + std::to_string(number) + ": expected VERSION<TAB>RANGE");
        return;
      }
      auto version = Version::parse(scheme, line.substr(0, tab));
      if (!version.ok()) {
        out.line("error: line " + std::to_string(number) + ": " + version.error().message);
        return;
      }
      const Result<Range>& range = ranges.get(line.substr(tab + 1));
      if (!range.ok()) {
        out.line("error: line " + std::to_string(number) + ": " + range.error().message);
        return;
      }
      out.line(range->contains(*version) ? "true" : "false");
    });
    return kExitClean;
  }
  if (o.args.size() != 2) {
    return usage("satisfies takes VERSION RANGE, or - to read VERSION<TAB>RANGE lines from stdin");
  }
  auto version = Version::parse(scheme, o.args[0]);
  if (!version.ok()) return usage(version.error().message);
  auto range = parse_range(scheme, o.args[1]);
  if (!range.ok()) return usage(range.error().message);
  std::printf("%s\n", range->contains(*version) ? "true" : "false");
  return kExitClean;
}

int run_sort(Scheme scheme, const VersionOptions& o) {
  std::vector<Version> parsed;
  bool failed = false;
  if (is_batch(o)) {
    std::string data = read_stdin();
    for_each_line(data, [&](size_t number, std::string_view line) {
      if (line.empty()) return;
      auto v = Version::parse(scheme, line);
      if (!v.ok()) {
        std::fprintf(stderr, "error: line %zu: %s\n", number, v.error().message.c_str());
        failed = true;
        return;
      }
      parsed.push_back(std::move(v.value()));
    });
  } else {
    if (o.args.empty()) return usage("sort takes one or more versions, or - to read them from stdin");
    for (const auto& text : o.args) {
      auto v = Version::parse(scheme, text);
      if (!v.ok()) return usage(v.error().message);
      parsed.push_back(std::move(v.value()));
    }
  }
  std::stable_sort(parsed.begin(), parsed.end());
  Output out;
  for (const auto& v : parsed) out.line(v.text());
  return failed ? kExitBadInput : kExitClean;
}

}  // namespace

Runner add_version_command(CLI::App& app, const GlobalOptions&) {
  app.require_subcommand(1);
  auto options = std::make_shared<VersionOptions>();
  std::vector<std::string> names;
  for (Scheme s : versions::all_schemes()) names.emplace_back(versions::scheme_name(s));
  struct Sub {
    const char* name;
    const char* summary;
    const char* args_help;
  };
  const Sub subs[] = {
      {"compare", "Print <, = or > for A compared with B", "A B, or - to read A<TAB>B lines from stdin"},
      {"satisfies", "Print true or false: is VERSION in RANGE (native syntax or vers: URI)",
       "VERSION RANGE, or - to read VERSION<TAB>RANGE lines from stdin"},
      {"sort", "Print the versions in ascending order", "versions, or - to read one per line from stdin"},
  };
  std::vector<CLI::App*> commands;
  for (const Sub& sub : subs) {
    CLI::App* command = app.add_subcommand(sub.name, sub.summary);
    command->add_option("--scheme", options->scheme_name, "Version scheme")
        ->required()
        ->check(CLI::IsMember(names));
    command->add_option("args", options->args, sub.args_help)->required();
    commands.push_back(command);
  }
  return [options, commands]() -> int {
    Scheme scheme = *versions::parse_scheme(options->scheme_name);
    if (commands[0]->parsed()) return run_compare(scheme, *options);
    if (commands[1]->parsed()) return run_satisfies(scheme, *options);
    return run_sort(scheme, *options);
  };
}

}  // namespace uprank::cli
