// Maximal munch over Uprank.g4's lexer rules. Keyword and operator spellings come from
// the generated vocabulary, so the grammar stays the one place that names them.
#include "grammar/lexer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "UprankLexer.h"

namespace uprank::grammar {
namespace {

using uprank_grammar::UprankLexer;

// A token spelled by a literal in the grammar ('package', '==', '(').
struct Spelling {
  std::string text;
  size_t type;
};

struct Spellings {
  std::array<std::vector<Spelling>, 128> by_first_char;  // longest first

  Spellings() {
    antlr4::ANTLRInputStream empty;
    UprankLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& vocabulary = static_cast<antlr4::Recognizer&>(lexer).getVocabulary();
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      std::string literal = vocabulary.getLiteralName(type);
      if (literal.size() < 3 || literal.front() != '\'' || literal.back() != '\'') continue;
      std::string text = literal.substr(1, literal.size() - 2);
      by_first_char[static_cast<unsigned char>(text[0]) & 127].push_back({text, type});
    }
    for (auto& bucket : by_first_char) {
      std::stable_sort(bucket.begin(), bucket.end(),
                       [](const Spelling& a, const Spelling& b) { return a.text.size() > b.text.size(); });
    }
  }
};

const Spellings& spellings() {
  static const Spellings table;
  return table;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_part(char c) { return is_ident_start(c) || is_digit(c); }
bool is_line_end(char c) { return c == '\r' || c == '\n'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool starts_with_bom(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF"; }

// Bytes in the UTF-8 sequence that starts with `lead` (the input is already validated).
size_t sequence_length(char lead) {
  auto byte = static_cast<unsigned char>(lead);
  return byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
}

// After these tokens an operand is expected, so '/' starts a regex rather than a
// division (the grammar's regexAllowed predicate).
bool regex_allowed(size_t last_type) {
  switch (last_type) {
    case 0: case UprankLexer::MATCH: case UprankLexer::NOT_MATCH: case UprankLexer::LPAREN:
    case UprankLexer::COMMA: case UprankLexer::LBRACK: case UprankLexer::ASSIGN: case UprankLexer::EQ:
    case UprankLexer::NE: case UprankLexer::AND: case UprankLexer::OR: case UprankLexer::NOT:
    case UprankLexer::WHEN: case UprankLexer::WHERE: case UprankLexer::COLON:
      return true;
    default:
      return false;
  }
}

class Lexer {
 public:
  // A leading byte-order mark is not part of the text (as ANTLR's input stream drops it).
  explicit Lexer(std::string_view text) : text_(text), position_(starts_with_bom(text) ? 3 : 0) {}

  std::vector<LexedToken> run() {
    std::vector<LexedToken> tokens;
    tokens.reserve(text_.size() / 3 + 1);
    size_t last_type = 0;
    while (position_ < text_.size()) {
      LexedToken token;
      token.begin = static_cast<uint32_t>(position_);
      token.line = line_;
      token.column = column_;
      size_t end = scan(token, last_type);
      token.end = static_cast<uint32_t>(end);
      advance_to(end);
      if (!token.hidden) last_type = token.type;
      tokens.push_back(token);
    }
    LexedToken eof;
    eof.type = antlr4::Token::EOF;
    eof.begin = eof.end = static_cast<uint32_t>(text_.size());
    eof.line = line_;
    eof.column = column_;
    tokens.push_back(eof);
    return tokens;
  }

 private:
  char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  // Sets the token's type and returns where it ends.
  size_t scan(LexedToken& token, size_t last_type) {
    const size_t start = position_;
    const char c = text_[start];
    size_t end = start;
    if (c == ' ' || c == '\t' || is_line_end(c)) {
      while (end < text_.size() && (at(end) == ' ' || at(end) == '\t' || is_line_end(at(end)))) ++end;
      token.type = UprankLexer::WHITESPACE;
      token.hidden = true;
      return end;
    }
    if (c == '#') {
      while (end < text_.size() && !is_line_end(at(end))) ++end;
      token.type = UprankLexer::COMMENT;
      token.hidden = true;
      return end;
    }
    if (is_ident_start(c)) {
      while (is_ident_part(at(end))) ++end;
      token.type = keyword_or_ident(text_.substr(start, end - start));
      return end;
    }
    if (is_digit(c)) return scan_number(token, start);
    if (c == '"') {
      if (size_t string_end = scan_string(start)) {
        token.type = UprankLexer::STRING;
        return string_end;
      }
    } else if (c == '/' && regex_allowed(last_type)) {
      size_t content_end = scan_regex_content(start);
      if (at(content_end) == '/' && content_end > start + 1) {
        token.type = UprankLexer::REGEX;
        size_t flags_end = content_end + 1;
        while (at(flags_end) == 'i' || at(flags_end) == 'm' || at(flags_end) == 's') ++flags_end;
        return flags_end;
      }
      token.type = UprankLexer::UNTERMINATED_REGEX;
      return content_end;
    }
    if (static_cast<unsigned char>(c) < 128) {
      for (const Spelling& spelling : spellings().by_first_char[static_cast<unsigned char>(c)]) {
        if (text_.compare(start, spelling.text.size(), spelling.text) == 0) {
          token.type = spelling.type;
          return start + spelling.text.size();
        }
      }
    }
    token.type = UprankLexer::UNKNOWN_CHAR;
    return std::min(text_.size(), start + sequence_length(c));
  }

  size_t keyword_or_ident(std::string_view word) const {
    for (const Spelling& spelling : spellings().by_first_char[static_cast<unsigned char>(word[0])]) {
      if (spelling.text == word) return spelling.type;
    }
    return UprankLexer::IDENT;
  }

  // DATE (dddd-dd-dd), DURATION (digits then d or w) or NUMBER (digits, optional fraction).
  size_t scan_number(LexedToken& token, size_t start) const {
    auto digits_at = [&](size_t from, size_t count) {
      for (size_t i = from; i < from + count; ++i) {
        if (!is_digit(at(i))) return false;
      }
      return true;
    };
    if (digits_at(start, 4) && at(start + 4) == '-' && digits_at(start + 5, 2) && at(start + 7) == '-' &&
        digits_at(start + 8, 2)) {
      token.type = UprankLexer::DATE;
      return start + 10;
    }
    size_t end = start;
    while (is_digit(at(end))) ++end;
    if (at(end) == 'd' || at(end) == 'w') {
      token.type = UprankLexer::DURATION;
      return end + 1;
    }
    token.type = UprankLexer::NUMBER;
    if (at(end) == '.' && is_digit(at(end + 1))) {
      end += 2;
      while (is_digit(at(end))) ++end;
    }
    return end;
  }

  // '"' ( '\\' . | ~["\\\r\n] )* '"'; returns 0 when the string is not closed.
  size_t scan_string(size_t start) const {
    size_t i = start + 1;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == '"') return i + 1;
      if (is_line_end(c)) return 0;
      if (c == '\\') {
        if (i + 1 >= text_.size()) return 0;
        i += 1 + sequence_length(text_[i + 1]);
      } else {
        ++i;
      }
    }
    return 0;
  }

  // Where the content of a regex starting at `start` ends: ( '\\' ~[\r\n] | ~[/\\\r\n] )*.
  size_t scan_regex_content(size_t start) const {
    size_t i = start + 1;
    while (i < text_.size()) {
      char c = text_[i];
      if (c == '/' || is_line_end(c)) break;
      if (c == '\\') {
        if (i + 1 >= text_.size() || is_line_end(text_[i + 1])) break;
        i += 1 + sequence_length(text_[i + 1]);
      } else {
        ++i;
      }
    }
    return i;
  }

  // Lines and columns as ANTLR counts them: '\n' ends a line, a column is a code point.
  void advance_to(size_t end) {
    for (; position_ < end; ++position_) {
      char c = text_[position_];
      if (c == '\n') {
        ++line_;
        column_ = 0;
      } else if (!is_continuation(c)) {
        ++column_;
      }
    }
  }

  std::string_view text_;
  size_t position_;
  uint32_t line_ = 1;
  uint32_t column_ = 0;
};

}  // namespace

std::vector<LexedToken> lex(std::string_view text) { return Lexer(text).run(); }

namespace {

// The offset of the first byte of `text` that is not well-formed UTF-8.
std::optional<size_t> find_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
      code_point = byte & 0x1F;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      code_point = byte & 0x0F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      if (!is_continuation(text[i + k])) return i;
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    if (overlong || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) return i;
    i += length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Diagnostic> check_utf8(std::string_view text, const std::string& path) {
  std::optional<size_t> bad = find_invalid_utf8(text);
  if (!bad) return std::nullopt;
  const size_t offset = *bad;
  SourceLocation at{path, 1, 1};
  for (size_t i = starts_with_bom(text) ? 3 : 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++at.column;
    }
  }
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[offset])));
  return make_diagnostic(Severity::kError, "uprank.bad_encoding", std::string("invalid UTF-8 (byte ") + byte + ")", at,
                         "rule files are UTF-8 text");
}

}  // namespace uprank::grammar
