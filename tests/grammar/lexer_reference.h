// The token stream of a rule file as a comparable text, from the hand-written lexer and
// from the lexer ANTLR generates from Uprank.g4 (the specification). Shared by the
// differential test and the lexer fuzzer.
#pragma once

#include <string>
#include <string_view>

#include "UprankLexer.h"
#include "antlr4-runtime.h"
#include "grammar/lexer.h"

namespace uprank::grammar::testing {

inline std::string describe(size_t type, bool hidden, size_t line, size_t column, std::string_view text) {
  std::string out = std::to_string(type) + (hidden ? " hidden " : " ") + std::to_string(line) + ":" +
                    std::to_string(column) + " ";
  out += text;
  out += "\n";
  return out;
}

// `text` must be valid UTF-8 (the generated lexer's input stream throws otherwise).
inline std::string reference_tokens(std::string_view text) {
  antlr4::ANTLRInputStream input{std::string(text)};
  uprank_grammar::UprankLexer lexer(&input);
  lexer.removeErrorListeners();
  std::string out;
  for (;;) {
    std::unique_ptr<antlr4::Token> token = lexer.nextToken();
    out += describe(token->getType(), token->getChannel() != antlr4::Token::DEFAULT_CHANNEL, token->getLine(),
                    token->getCharPositionInLine(), token->getText());
    if (token->getType() == antlr4::Token::EOF) return out;
  }
}

inline std::string hand_written_tokens(std::string_view text) {
  std::string out;
  for (const LexedToken& token : lex(text)) {
    std::string_view token_text =
        token.type == antlr4::Token::EOF ? std::string_view("<EOF>") : text.substr(token.begin, token.end - token.begin);
    out += describe(token.type, token.hidden, token.line, token.column, token_text);
  }
  return out;
}

}  // namespace uprank::grammar::testing
