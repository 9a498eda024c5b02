// `uprank version compare|satisfies|sort --scheme S (ARGS | -)`: the versions library on
// the command line. The output format is a contract that scripts depend on:
//   compare A B          prints "<", "=" or ">"
//   satisfies V RANGE    prints "true" or "false" (RANGE may be a vers: URI)
//   sort V...            prints the versions in ascending order, one per line
// With "-" instead of arguments, compare and satisfies read TAB-separated pairs from
// stdin and print one answer per line; an invalid line prints "error: ..." in its place
// and processing continues. sort - reads one version per line.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "cli/about.h"
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

// Buffered stdout: batch mode writes millions of short lines, collected in one block
// and written with one call per megabyte.
class Output {
 public:
  Output() : buffer_(new char[kCapacity]) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output() { flush(); }
  void line(std::string_view text) {
    if (kCapacity - size_ <= text.size()) {
      flush();
      if (kCapacity <= text.size()) {  // longer than the whole block: write it directly
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fputc('\n', stdout);
        return;
      }
    }
    std::memcpy(buffer_.get() + size_, text.data(), text.size());
    size_ += text.size();
    buffer_[size_++] = '\n';
  }
  void flush() {
    if (size_ != 0) std::fwrite(buffer_.get(), 1, size_, stdout);
    size_ = 0;
    std::fflush(stdout);
  }

 private:
  static constexpr size_t kCapacity = size_t{1} << 20;
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
};

// Reads stdin in large blocks and calls `f(line_number, line)` for each line, without its
// terminator ("\n" or "\r\n"); a last line without "\n" counts, an empty remainder does
// not. Memory is bounded by the block size and the longest line.
template <typename F>
void for_each_stdin_line(F f) {
  size_t capacity = size_t{1} << 20;
  std::unique_ptr<char[]> buffer(new char[capacity]);
  size_t filled = 0, number = 0;
  bool eof = false;
  while (!eof) {
    if (filled == capacity) {  // one line fills the block: grow it
      std::unique_ptr<char[]> bigger(new char[capacity * 2]);
      std::memcpy(bigger.get(), buffer.get(), filled);
      buffer = std::move(bigger);
      capacity *= 2;
    }
    ssize_t n = ::read(STDIN_FILENO, buffer.get() + filled, capacity - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
    } else {
      filled += static_cast<size_t>(n);
    }
    const char* p = buffer.get();
    const char* const end = p + filled;
    while (p != end) {
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (newline == nullptr) {
        if (!eof) break;
        newline = end;
      }
      std::string_view line(p, static_cast<size_t>(newline - p));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      f(++number, line);
      p = newline == end ? end : newline + 1;
    }
    filled = static_cast<size_t>(end - p);
    if (filled != 0) std::memmove(buffer.get(), p, filled);
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

// A fast hash for cache keys (ranges are short texts from a trusted local input).
struct TextHash {
  size_t operator()(std::string_view s) const noexcept {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    const char* p = s.data();
    size_t n = s.size();
    auto mix = [&h](uint64_t chunk) {
      h = (h ^ chunk) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 29;
    };
    for (; n > 8; p += 8, n -= 8) mix(load(p, 8));
    // The last 1 to 8 bytes, with fixed-size loads (a variable memcpy is a library call).
    if (n >= 4) {
      mix(load(p, 4) << 32 | load(p + n - 4, 4));
    } else if (n != 0) {
      mix(static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
          static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 | static_cast<unsigned char>(p[n - 1]));
    }
    h *= 0xC4CEB9FE1A85EC53ull;
    return static_cast<size_t>(h ^ (h >> 32));
  }

 private:
  static uint64_t load(const char* p, size_t size) {  // size is 4 or 8
    if (size == 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
};

// Parses ranges once per distinct text: batch inputs repeat a few ranges many times. An
// open-addressing table (power-of-two size, linear probing, full hashes kept in the slots)
// finds a repeated range with one hash and usually one comparison; the last range found
// is checked first, as consecutive lines often share one.
class RangeCache {
 public:
  explicit RangeCache(Scheme scheme) : scheme_(scheme), slots_(kInitialSlots) {}

  const Result<Range>& get(std::string_view text) {
    if (last_ != nullptr && text == last_->text) return last_->range;
    size_t hash = TextHash{}(text);
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask; slots_[i].entry != nullptr; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && slots_[i].entry->text == text) {
        last_ = slots_[i].entry;
        return last_->range;
      }
    }
    if (entries_.size() >= kMaxEntries) {  // bounded memory for endless distinct ranges
      entries_.clear();
      slots_.assign(kInitialSlots, Slot{});
    }
    entries_.push_back(std::make_unique<Entry>(Entry{std::string(text), parse_range(scheme_, text)}));
    last_ = entries_.back().get();
    if (entries_.size() * 2 > slots_.size()) {
      rehash(slots_.size() * 2);  // also places the new entry
    } else {
      place(hash, last_);
    }
    return last_->range;
  }

 private:
  struct Entry {
    std::string text;
    Result<Range> range;
  };
  struct Slot {
    size_t hash = 0;
    const Entry* entry = nullptr;
  };
  static constexpr size_t kMaxEntries = 1 << 16;
  static constexpr size_t kInitialSlots = 256;

  void place(size_t hash, const Entry* entry) {
    size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    while (slots_[i].entry != nullptr) i = (i + 1) & mask;
    slots_[i] = Slot{hash, entry};
  }
  void rehash(size_t size) {
    slots_.assign(size, Slot{});
    for (const auto& entry : entries_) place(TextHash{}(entry->text), entry.get());
  }

  Scheme scheme_;
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<Entry>> entries_;
  const Entry* last_ = nullptr;
};

int usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return kExitBadInput;
}

bool is_batch(const VersionOptions& o) { return o.args.size() == 1 && o.args[0] == "-"; }

int run_compare(Scheme scheme, const VersionOptions& o) {
  if (is_batch(o)) {
    Output out;
    Version a, b;  // reused: parsing into them does not allocate
    Error error;
    for_each_stdin_line([&](size_t number, std::string_view line) {
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        out.line("error: line " + std::to_string(number) + ": expected A<TAB>B");
        return;
      }
      if (!Version::parse_into(scheme, line.substr(0, tab), a, &error) ||
          !Version::parse_into(scheme, line.substr(tab + 1), b, &error)) {
        out.line("error: line " + std::to_string(number) + ": " + error.message);
        return;
      }
      out.line(order_symbol(versions::compare(a, b)));
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
    Output out;
    RangeCache ranges(scheme);
    Version version;  // reused: parsing into it does not allocate
    Error error;
    for_each_stdin_line([&](size_t number, std::string_view line) {
      const char* tab = static_cast<const char*>(std::memchr(line.data(), '\t', line.size()));
      if (tab == nullptr) {
        out.line("error: line " + std::to_string(number) + ": expected VERSION<TAB>RANGE");
        return;
      }
      size_t at = static_cast<size_t>(tab - line.data());
      if (!Version::parse_into(scheme, line.substr(0, at), version, &error)) {
        out.line("error: line " + std::to_string(number) + ": " + error.message);
        return;
      }
      const Result<Range>& range = ranges.get(line.substr(at + 1));
      if (!range.ok()) {
        out.line("error: line " + std::to_string(number) + ": " + range.error().message);
        return;
      }
      out.line(range->contains(version) ? std::string_view("true") : std::string_view("false"));
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
    for_each_stdin_line([&](size_t number, std::string_view line) {
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
  app.require_subcommand(0, 1);  // alone, `uprank version` is `uprank --version`
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
    if (std::none_of(commands.begin(), commands.end(), [](const CLI::App* command) { return command->parsed(); })) {
      std::puts(version_text().c_str());
      return kExitClean;
    }
    Scheme scheme = *versions::parse_scheme(options->scheme_name);
    if (commands[0]->parsed()) return run_compare(scheme, *options);
    if (commands[1]->parsed()) return run_satisfies(scheme, *options);
    return run_sort(scheme, *options);
  };
}

}  // namespace uprank::cli
