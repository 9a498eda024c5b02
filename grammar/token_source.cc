#include "grammar/token_source.h"

#include <typeinfo>

namespace uprank::grammar {

std::string_view SourceToken::text() const {
  if (replaced_text_) return *replaced_text_;
  if (token_.type == EOF) return "<EOF>";
  return source_.substr(token_.begin, token_.end - token_.begin);
}

std::string SourceToken::getText() const { return std::string(text()); }

void SourceToken::setText(const std::string& text) { replaced_text_ = std::make_unique<std::string>(text); }

std::unique_ptr<antlr4::Token> LexedTokenSource::nextToken() {
  const LexedToken& token = tokens_[next_];
  if (next_ + 1 < tokens_.size()) ++next_;  // the last token is EOF
  return std::make_unique<SourceToken>(token, source_, this);
}

size_t LexedTokenSource::getLine() const { return tokens_[next_].line; }

size_t LexedTokenSource::getCharPositionInLine() { return tokens_[next_].column; }

std::string_view token_text(const antlr4::Token* token, std::string& storage) {
  if (typeid(*token) == typeid(SourceToken)) return static_cast<const SourceToken*>(token)->text();
  storage = token->getText();
  return storage;
}

}  // namespace uprank::grammar
