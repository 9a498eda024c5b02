// The rules of one .gitignore file (gitignore(5)), compiled once and matched in time
// linear in the path, whatever the number of patterns.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "engine/base/result.h"

namespace uprank::inventory {

// What one .gitignore may cost. Real files hold a few dozen patterns in a few KiB; the
// bounds keep a hostile one from costing more than a normal walk.
struct GitignoreLimits {
  size_t max_bytes = 64 * 1024;
  size_t max_patterns = 4096;
};

// What a .gitignore says about a path: nothing (no pattern matched), ignore it, or
// re-include it (the last matching pattern was a '!' negation).
enum class GitignoreVerdict { kNoMatch, kIgnored, kIncluded };

// The compiled rules of one .gitignore. Semantics are git's (dir.c and wildmatch.c):
// blank lines and '#' comments skipped, unescaped trailing spaces dropped, '!' negates,
// '\' escapes; a trailing '/' matches directories only; a pattern with no other '/' is
// matched against the base name at any depth, one with a '/' against the whole path
// relative to the file's directory; '*', '?' and '[...]' (ranges, '!'/'^' negation,
// POSIX classes) never match '/'; '**' at a segment boundary spans directories; bytes
// are compared as bytes, case-sensitively; among matching patterns the last one wins.
// A pattern git can never match (an unclosed '[', a trailing '\') matches nothing.
// Immutable once compiled and safe to share across threads.
class GitignoreRules {
 public:
  // Compiles the text of one .gitignore. Errors: "uprank.inventory.too_large" when the
  // text is over limits.max_bytes or holds more than limits.max_patterns patterns (the
  // message names the limit). Costs time linear in the text.
  static Result<GitignoreRules> compile(std::string_view text, const GitignoreLimits& limits = {});

  // Returns what the rules say about `path`: relative to the .gitignore's directory,
  // '/'-separated, with no leading or trailing '/'. `is_directory` enables the patterns
  // written with a trailing '/'. Costs time linear in the length of `path`.
  GitignoreVerdict match(std::string_view path, bool is_directory) const;

  // Returns the number of patterns compiled (comments and blank lines excluded).
  size_t size() const;

  GitignoreRules(GitignoreRules&&) noexcept;
  GitignoreRules& operator=(GitignoreRules&&) noexcept;
  ~GitignoreRules();

 private:
  struct Compiled;
  explicit GitignoreRules(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace uprank::inventory
