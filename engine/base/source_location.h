// Where a piece of input came from: the file, line and column that a message points at.
#pragma once

#include <string>

namespace uprank {

struct SourceLocation {
  std::string file;  // path as the user gave it; empty when unknown
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  bool known() const { return !file.empty(); }
  // Returns "file:line:col", omitting the parts that are unknown.
  std::string to_string() const;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// A span inside one source text, used by the rule-language compiler for carets.
struct SourceRange {
  SourceLocation begin;
  int end_line = 0;    // inclusive position of the last character
  int end_column = 0;
};

}  // namespace uprank
