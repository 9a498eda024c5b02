// The rule-language lexer. Uprank.g4's lexer rules are the specification; this is a
// hand-written implementation of them, because ANTLR's generated lexer takes a lock for
// every character and was a third of parse time. Tests and a fuzzer hold the two to the
// same token stream. Internal to grammar/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/diagnostic.h"

namespace uprank::grammar {

struct LexedToken {
  size_t type = 0;          // a UprankLexer token type, or antlr4::Token::EOF
  bool hidden = false;      // whitespace and comments
  uint32_t begin = 0;       // byte offsets into the source: [begin, end)
  uint32_t end = 0;
  uint32_t line = 1;        // 1-based
  uint32_t column = 0;      // 0-based, in code points (as ANTLR counts)
};

// Splits `text` (valid UTF-8, see find_invalid_utf8) into tokens, ending with EOF.
// Never fails: characters no rule accepts become UNKNOWN_CHAR tokens.
std::vector<LexedToken> lex(std::string_view text);

// An error at the first byte of `text` that is not well-formed UTF-8, if any. The
// lexer and everything after it may assume valid UTF-8 once this passed.
std::optional<Diagnostic> check_utf8(std::string_view text, const std::string& path);

}  // namespace uprank::grammar
