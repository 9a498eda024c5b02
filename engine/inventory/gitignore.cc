#include "engine/inventory/gitignore.h"

#include <algorithm>
#include <bitset>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

namespace uprank::inventory {
namespace {

// One pattern line, parsed as git's parse_path_pattern does.
struct Pattern {
  std::string_view text;  // without '!', the trailing '/' and (for paths) the leading '/'
  bool negate = false;
  bool directory_only = false;
  bool base_name_only = false;  // no '/' in the pattern: matched against the base name
};

// Drops unescaped trailing spaces (git's trim_trailing_spaces).
std::string_view trim_trailing_spaces(std::string_view line) {
  size_t last_space = std::string_view::npos;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      if (last_space == std::string_view::npos) last_space = i;
      continue;
    }
    if (line[i] == '\\') {
      if (++i == line.size()) return line;  // a trailing '\' keeps everything
    }
    last_space = std::string_view::npos;
  }
  return last_space == std::string_view::npos ? line : line.substr(0, last_space);
}

// Splits `text` into patterns as git's add_patterns_from_buffer does: a UTF-8 byte-order
// mark skipped, lines split at '\n' with a '\r' before it dropped, comments and blank
// lines skipped. Returns false once more than `max_patterns` were found.
bool split_patterns(std::string_view text, size_t max_patterns, std::vector<Pattern>& patterns) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    line = trim_trailing_spaces(line);
    Pattern pattern;
    if (!line.empty() && line.front() == '!') {
      pattern.negate = true;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      pattern.directory_only = true;
      line.remove_suffix(1);
    }
    pattern.base_name_only = line.find('/') == std::string_view::npos;
    if (!pattern.base_name_only && line.front() == '/') line.remove_prefix(1);
    if (line.empty()) continue;  // git keeps these, and they match nothing
    pattern.text = line;
    patterns.push_back(pattern);
    if (patterns.size() > max_patterns) return false;
  }
  return true;
}

// Appends a byte, as a regex matching exactly that byte (the sets run in Latin-1, so a
// byte is a character).
void append_literal(std::string& out, unsigned char byte) {
  if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || byte == '_') {
    out += static_cast<char>(byte);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x{";
  out += kHex[byte >> 4];
  out += kHex[byte & 15];
  out += '}';
}

// Returns whether `name` is a POSIX class wildmatch knows, setting its members in `set`.
bool add_posix_class(std::string_view name, std::bitset<256>& set) {
  using Test = bool (*)(int);
  static constexpr std::pair<std::string_view, Test> kClasses[] = {
      {"alnum", [](int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }},
      {"alpha", [](int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }},
      {"blank", [](int c) { return c == ' ' || c == '\t'; }},
      {"cntrl", [](int c) { return c < 0x20 || c == 0x7f; }},
      {"digit", [](int c) { return c >= '0' && c <= '9'; }},
      {"graph", [](int c) { return c > 0x20 && c < 0x7f; }},
      {"lower", [](int c) { return c >= 'a' && c <= 'z'; }},
      {"print", [](int c) { return c >= 0x20 && c < 0x7f; }},
      {"punct", [](int c) { return c > 0x20 && c < 0x7f && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')); }},
      {"space", [](int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }},  // git's sane_ctype
      {"upper", [](int c) { return c >= 'A' && c <= 'Z'; }},
      {"xdigit", [](int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }},
  };
  for (const auto& [class_name, test] : kClasses) {
    if (class_name != name) continue;
    for (int c = 0; c < 128; ++c) {
      if (test(c)) set.set(static_cast<size_t>(c));
    }
    return true;
  }
  return false;
}

// Parses the bracket expression starting at glob[at] == '[' as wildmatch.c does and
// appends its regex; returns the index of its closing ']', or nullopt when git aborts the
// whole match (an unclosed bracket, an unknown [:class:]).
std::optional<size_t> append_bracket(std::string_view glob, size_t at, std::string& out) {
  std::bitset<256> members;
  size_t p = at + 1;
  auto char_at = [&](size_t i) -> int { return i < glob.size() ? static_cast<unsigned char>(glob[i]) : 0; };
  bool negated = false;
  if (char_at(p) == '!' || char_at(p) == '^') {
    negated = true;
    ++p;
  }
  int previous = 0;
  int current = char_at(p);
  do {
    if (current == 0) return std::nullopt;
    if (current == '\\') {
      current = char_at(++p);
      if (current == 0) return std::nullopt;
      members.set(static_cast<size_t>(current));
    } else if (current == '-' && previous != 0 && char_at(p + 1) != 0 && char_at(p + 1) != ']') {
      current = char_at(++p);
      if (current == '\\') {
        current = char_at(++p);
        if (current == 0) return std::nullopt;
      }
      for (int c = previous; c <= current; ++c) members.set(static_cast<size_t>(c));
      current = 0;  // a range cannot start another
    } else if (current == '[' && char_at(p + 1) == ':') {
      size_t name_start = p + 2;
      size_t close = name_start;
      while (char_at(close) != 0 && char_at(close) != ']') ++close;
      if (char_at(close) == 0) return std::nullopt;
      if (close < name_start + 1 || glob[close - 1] != ':') {
        members.set('[');  // no ":]": an ordinary '[' member
      } else {
        if (!add_posix_class(glob.substr(name_start, close - 1 - name_start), members)) return std::nullopt;
        p = close;
        current = 0;
      }
    } else {
      members.set(static_cast<size_t>(current));
    }
    previous = current;
    current = char_at(++p);
  } while (current != ']');
  if (negated) members.flip();
  members.reset('/');  // with WM_PATHNAME a bracket never matches '/'; base names hold none
  if (members.none()) return std::nullopt;
  out += '[';
  for (size_t c = 0; c < 256; ++c) {
    if (!members.test(c)) continue;
    size_t last = c;
    while (last + 1 < 256 && members.test(last + 1)) ++last;
    out += "\\x{";
    out += "0123456789abcdef"[c >> 4];
    out += "0123456789abcdef"[c & 15];
    out += '}';
    if (last > c) {
      out += "-\\x{";
      out += "0123456789abcdef"[last >> 4];
      out += "0123456789abcdef"[last & 15];
      out += '}';
    }
    c = last;
  }
  out += ']';
  return p;
}

// Returns the length of the pattern's leading run without wildcards (git's
// simple_length); git compares it literally and wildmatches only the rest, so a '**' that
// starts the rest counts as starting a segment.
size_t literal_prefix_length(std::string_view glob) {
  size_t length = glob.find_first_of("*?[\\");
  return length == std::string_view::npos ? glob.size() : length;
}

// Translates a pattern to an RE2 regex with wildmatch's meaning (see GitignoreRules);
// nullopt when git would never match it.
std::optional<std::string> pattern_to_regex(const Pattern& pattern) {
  std::string_view glob = pattern.text;
  std::string out;
  size_t fresh_start = pattern.base_name_only ? 0 : literal_prefix_length(glob);
  for (size_t i = 0; i < glob.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(glob[i]);
    if (c == '*') {
      size_t run_end = i;
      while (run_end < glob.size() && glob[run_end] == '*') ++run_end;
      bool at_segment_start = i == 0 || i == fresh_start || glob[i - 1] == '/';
      bool before_slash = run_end < glob.size() && glob[run_end] == '/';
      bool before_escaped_slash = glob.substr(run_end, 2) == "\\/";
      bool spans = run_end - i >= 2 && at_segment_start && (run_end == glob.size() || before_slash || before_escaped_slash);
      if (spans && before_slash) {
        out += "(?:.*/)?";  // zero or more whole directories
        i = run_end;        // the '/' is part of the group
      } else {
        out += spans ? ".*" : "[^/]*";
        i = run_end - 1;
      }
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      std::optional<size_t> close = append_bracket(glob, i, out);
      if (!close) return std::nullopt;
      i = *close;
    } else if (c == '\\') {
      if (i + 1 == glob.size()) return std::nullopt;  // a trailing '\' never matches
      append_literal(out, static_cast<unsigned char>(glob[++i]));
    } else {
      append_literal(out, c);
    }
  }
  return out;
}

RE2::Options set_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);  // paths are bytes, as git compares them
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  return options;
}

}  // namespace

// The patterns split in two sets by what they are matched against; each set maps its
// indexes back to pattern numbers, so the last matching pattern can win.
struct GitignoreRules::Compiled {
  struct Side {
    std::unique_ptr<RE2::Set> set;
    std::vector<size_t> pattern_of;  // set index -> pattern number
    std::vector<std::string> regexes;
    // Built only if the set's DFA runs out of memory on some path: one RE2 per pattern.
    mutable std::once_flag fallback_once;
    mutable std::vector<std::unique_ptr<RE2>> fallback;
  };
  std::vector<Pattern> patterns;
  std::string text;  // owns what the patterns view
  Side base_name;
  Side path;

  // Returns the number (+1) of the last pattern of `side` matching `subject` that applies
  // (directory-only patterns apply to directories only), or 0 for none.
  size_t last_match(const Side& side, std::string_view subject, bool is_directory) const {
    if (side.pattern_of.empty()) return 0;
    thread_local std::vector<int> hits;
    hits.clear();
    RE2::Set::ErrorInfo error{};
    re2::StringPiece piece(subject.data(), subject.size());
    size_t best = 0;
    auto consider = [&](size_t index) {
      size_t number = side.pattern_of[index];
      if (patterns[number].directory_only && !is_directory) return;
      best = std::max(best, number + 1);
    };
    if (side.set->Match(piece, &hits, &error)) {
      for (int index : hits) consider(static_cast<size_t>(index));
      return best;
    }
    if (error.kind != RE2::Set::kOutOfMemory) return 0;  // kNoError: nothing matched
    std::call_once(side.fallback_once, [&] {
      for (const std::string& regex : side.regexes) side.fallback.push_back(std::make_unique<RE2>(regex, set_options()));
    });
    for (size_t index = side.fallback.size(); index-- > 0;) {
      size_t number = side.pattern_of[index];
      if (patterns[number].directory_only && !is_directory) continue;
      if (RE2::FullMatch(piece, *side.fallback[index])) return number + 1;
    }
    return 0;
  }
};

GitignoreRules::GitignoreRules(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}
GitignoreRules::GitignoreRules(GitignoreRules&&) noexcept = default;
GitignoreRules& GitignoreRules::operator=(GitignoreRules&&) noexcept = default;
GitignoreRules::~GitignoreRules() = default;

Result<GitignoreRules> GitignoreRules::compile(std::string_view text, const GitignoreLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error("uprank.inventory.too_large", ".gitignore of " + std::to_string(text.size()) +
                                                        " bytes is larger than the limit of " +
                                                        std::to_string(limits.max_bytes) + " bytes");
  }
  auto compiled = std::make_unique<Compiled>();
  compiled->text = std::string(text);
  if (!split_patterns(compiled->text, limits.max_patterns, compiled->patterns)) {
    return make_error("uprank.inventory.too_large",
                      ".gitignore holds more than " + std::to_string(limits.max_patterns) + " patterns, the limit for one file");
  }
  compiled->base_name.set = std::make_unique<RE2::Set>(set_options(), RE2::ANCHOR_BOTH);
  compiled->path.set = std::make_unique<RE2::Set>(set_options(), RE2::ANCHOR_BOTH);
  for (size_t number = 0; number < compiled->patterns.size(); ++number) {
    const Pattern& pattern = compiled->patterns[number];
    std::optional<std::string> regex = pattern_to_regex(pattern);
    if (!regex) continue;  // matches nothing, as in git
    Compiled::Side& side = pattern.base_name_only ? compiled->base_name : compiled->path;
    if (side.set->Add(*regex, nullptr) < 0) continue;  // cannot happen for translated globs
    side.pattern_of.push_back(number);
    side.regexes.push_back(std::move(*regex));
  }
  for (Compiled::Side* side : {&compiled->base_name, &compiled->path}) {
    if (!side->pattern_of.empty() && !side->set->Compile()) {
      return make_error("uprank.inventory.too_large", ".gitignore patterns too large to compile together");
    }
  }
  return GitignoreRules(std::move(compiled));
}

GitignoreVerdict GitignoreRules::match(std::string_view path, bool is_directory) const {
  size_t slash = path.rfind('/');
  std::string_view base_name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t best = std::max(compiled_->last_match(compiled_->base_name, base_name, is_directory),
                         compiled_->last_match(compiled_->path, path, is_directory));
  if (best == 0) return GitignoreVerdict::kNoMatch;
  return compiled_->patterns[best - 1].negate ? GitignoreVerdict::kIncluded : GitignoreVerdict::kIgnored;
}

size_t GitignoreRules::size() const { return compiled_->patterns.size(); }

}  // namespace uprank::inventory
