// Feeds grammar/lexer.h's tokens to the ANTLR parser. Internal to grammar/: the parser,
// the formatter and the language benchmark include it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"
#include "grammar/lexer.h"

namespace uprank::grammar {

// One token as ANTLR sees it; its text is a view of the source, copied only on request.
class SourceToken final : public antlr4::WritableToken {
 public:
  SourceToken(const LexedToken& token, std::string_view source, antlr4::TokenSource* owner)
      : token_(token), source_(source), owner_(owner) {}

  std::string_view text() const;

  std::string getText() const override;
  size_t getType() const override { return token_.type; }
  size_t getLine() const override { return token_.line; }
  size_t getCharPositionInLine() const override { return token_.column; }
  size_t getChannel() const override { return token_.hidden ? HIDDEN_CHANNEL : DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return token_.begin; }
  size_t getStopIndex() const override { return token_.end - 1; }
  antlr4::TokenSource* getTokenSource() const override { return owner_; }
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override { return getText(); }

  void setText(const std::string& text) override;
  void setType(size_t type) override { token_.type = type; }
  void setLine(size_t line) override { token_.line = static_cast<uint32_t>(line); }
  void setCharPositionInLine(size_t column) override { token_.column = static_cast<uint32_t>(column); }
  void setChannel(size_t channel) override { token_.hidden = channel != DEFAULT_CHANNEL; }
  void setTokenIndex(size_t index) override { index_ = index; }

 private:
  LexedToken token_;
  std::string_view source_;
  antlr4::TokenSource* owner_;
  size_t index_ = 0;
  std::unique_ptr<std::string> replaced_text_;
};

// Lexes `source` once and hands out its tokens, then EOF for ever. `source` must
// outlive the source and every token stream built on it.
class LexedTokenSource final : public antlr4::TokenSource {
 public:
  explicit LexedTokenSource(std::string_view source) : source_(source), tokens_(lex(source)) {}

  const std::vector<LexedToken>& tokens() const { return tokens_; }

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override;
  size_t getCharPositionInLine() override;
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return ""; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  std::string_view source_;
  std::vector<LexedToken> tokens_;
  size_t next_ = 0;
};

// The text of a token the parser holds, without a copy when it came from the source.
std::string_view token_text(const antlr4::Token* token, std::string& storage);

}  // namespace uprank::grammar
