// Lays rule files out canonically (the style is described in formatter.h). The parse tree
// says where lines start and which tokens glue together; the hidden channel supplies the
// comments and the author's line breaks. Works on tokens, so literals stay byte-exact and
// constructs the layout rules do not know yet still print, spaced by default.
#include "grammar/formatter.h"

#include "grammar/large_stack.h"
#include "grammar/token_source.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "UprankParser.h"
#include "antlr4-runtime.h"

namespace uprank::grammar {
namespace {

using uprank_grammar::UprankParser;

constexpr int kIndentColumns = 2;
constexpr size_t kKeywordColumns = 8;           // clause values start in this column

// Runs `work` on a thread with a large stack, as parse_file does: ANTLR's recursive
// descent recurses once per nesting level.

// How a declaration or block item is separated from the one before it.
enum class BlankLine { kNever, kKeep, kAlways };

// What the parse tree says about one default-channel token.
struct TokenLayout {
  bool starts_line = false;   // begins a declaration, clause or item, or closes a block
  int indent = 0;             // nesting level of the line it starts
  BlankLine blank = BlankLine::kNever;
  bool pad_keyword = false;   // a clause keyword: its value starts at kKeywordColumns
  bool glue_before = false;   // no space before it
  bool glue_after = false;    // no space after it
  bool keep_on_line = false;  // never moved to a continuation line (block braces)
};

bool is_open_bracket(size_t type) { return type == UprankParser::LPAREN || type == UprankParser::LBRACK; }
bool is_close_bracket(size_t type) { return type == UprankParser::RPAREN || type == UprankParser::RBRACK; }

template <typename Context>
bool is(antlr4::tree::ParseTree* tree) {
  return dynamic_cast<Context*>(tree) != nullptr;
}

size_t count_newlines(const std::string& text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++count;
  }
  return count;
}

std::string without_trailing_space(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.pop_back();
  return text;
}

// Reads the parse tree into one TokenLayout per token.
class LayoutBuilder {
 public:
  explicit LayoutBuilder(const std::vector<antlr4::Token*>& tokens) : tokens_(tokens), layout_(tokens.size()) {}

  std::vector<TokenLayout> build(UprankParser::FileContext* file) {
    lay_out_declarations(file);
    // Iterative walk: expression trees can be as deep as the parser allows.
    std::vector<std::pair<antlr4::tree::ParseTree*, int>> stack{{file, 0}};
    while (!stack.empty()) {
      auto [tree, indent] = stack.back();
      stack.pop_back();
      if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(tree)) {
        lay_out_terminal(terminal);
        continue;
      }
      auto* context = dynamic_cast<antlr4::ParserRuleContext*>(tree);
      if (context == nullptr) continue;
      int child_indent = lay_out_block(context, indent);
      for (auto it = context->children.rbegin(); it != context->children.rend(); ++it) {
        bool is_item = child_indent != indent && dynamic_cast<antlr4::ParserRuleContext*>(*it) != nullptr;
        stack.emplace_back(*it, is_item ? child_indent : indent);
      }
    }
    return std::move(layout_);
  }

 private:
  TokenLayout& at(antlr4::Token* token) { return layout_[token->getTokenIndex()]; }

  static antlr4::tree::TerminalNode* brace(antlr4::ParserRuleContext* context, size_t type) {
    for (auto* child : context->children) {
      auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (terminal != nullptr && terminal->getSymbol()->getType() == type) return terminal;
    }
    return nullptr;
  }

  // Top level: every declaration starts a line; blank lines separate blocks and kinds.
  void lay_out_declarations(UprankParser::FileContext* file) {
    size_t previous_kind = 0;
    bool previous_block = false;
    bool first = true;
    for (auto* child : file->children) {
      auto* context = dynamic_cast<antlr4::ParserRuleContext*>(child);
      if (context == nullptr || context->getStart() == nullptr) continue;
      antlr4::ParserRuleContext* declaration = context;
      if (is<UprankParser::DeclarationContext>(context) && !context->children.empty()) {
        if (auto* inner = dynamic_cast<antlr4::ParserRuleContext*>(context->children.front())) declaration = inner;
      }
      size_t kind = declaration->getRuleIndex();
      bool block = brace(declaration, UprankParser::LBRACE) != nullptr;
      TokenLayout& start = at(context->getStart());
      start.starts_line = true;
      start.indent = 0;
      if (first) {
        start.blank = BlankLine::kNever;
      } else if (block || previous_block || kind != previous_kind) {
        start.blank = BlankLine::kAlways;
      } else {
        start.blank = BlankLine::kKeep;
      }
      first = false;
      previous_kind = kind;
      previous_block = block;
    }
  }

  // A context with `{ … }`: its items go one per line (or inline, for short fixtures).
  // Returns the indent of its items.
  int lay_out_block(antlr4::ParserRuleContext* context, int indent) {
    antlr4::tree::TerminalNode* open = brace(context, UprankParser::LBRACE);
    antlr4::tree::TerminalNode* close = brace(context, UprankParser::RBRACE);
    if (open == nullptr || close == nullptr) return indent;
    std::vector<antlr4::ParserRuleContext*> items;
    bool all_settings = true;
    for (auto* child : context->children) {
      auto* item = dynamic_cast<antlr4::ParserRuleContext*>(child);
      if (item == nullptr || item->getStart() == nullptr) continue;
      if (item->getStart()->getTokenIndex() <= open->getSymbol()->getTokenIndex()) continue;
      items.push_back(item);
      all_settings = all_settings && is<UprankParser::SettingContext>(item);
    }
    bool has_comment = false;
    bool has_newline = false;
    for (size_t i = open->getSymbol()->getTokenIndex() + 1; i < close->getSymbol()->getTokenIndex(); ++i) {
      if (tokens_[i]->getType() == UprankParser::COMMENT) has_comment = true;
      if (tokens_[i]->getChannel() != antlr4::Token::DEFAULT_CHANNEL && count_newlines(tokens_[i]->getText()) > 0) {
        has_newline = true;
      }
    }
    TokenLayout& open_layout = at(open->getSymbol());
    TokenLayout& close_layout = at(close->getSymbol());
    open_layout.keep_on_line = true;
    bool inline_block = !has_comment && (items.empty() || (all_settings && !has_newline));
    if (inline_block) {
      close_layout.keep_on_line = true;
      if (items.empty()) {
        open_layout.glue_after = true;
        close_layout.glue_before = true;
      }
      return indent;
    }
    bool pads_keywords = is<UprankParser::RuleDeclContext>(context) || is<UprankParser::AdvisoryDeclContext>(context) ||
                         is<UprankParser::RankDeclContext>(context);
    for (size_t i = 0; i < items.size(); ++i) {
      TokenLayout& start = at(items[i]->getStart());
      start.starts_line = true;
      start.indent = indent + 1;
      start.blank = i == 0 ? BlankLine::kNever : BlankLine::kKeep;
      start.pad_keyword = pads_keywords && items[i]->getStart()->getType() != UprankParser::FOR;
    }
    close_layout.starts_line = true;
    close_layout.indent = indent;
    close_layout.blank = BlankLine::kNever;
    return indent + 1;
  }

  void lay_out_terminal(antlr4::tree::TerminalNode* terminal) {
    antlr4::Token* token = terminal->getSymbol();
    if (token->getTokenIndex() >= layout_.size()) return;
    TokenLayout& layout = at(token);
    antlr4::tree::ParseTree* parent = terminal->parent;
    switch (token->getType()) {
      case UprankParser::DOT:
        layout.glue_before = layout.glue_after = true;
        break;
      case UprankParser::LPAREN:
        layout.glue_after = true;
        // Calls, quantifiers and aggregates: `f(x)`, `any(a in …)`, `max(x for a in …)`.
        layout.glue_before = (is<UprankParser::PrimaryContext>(parent) && !is<UprankParser::ParenPrimaryContext>(parent)) ||
                             is<UprankParser::MethodExprContext>(parent) || is<UprankParser::DefDeclContext>(parent);
        break;
      case UprankParser::LBRACK:
        layout.glue_after = true;
        layout.glue_before = is<UprankParser::IndexExprContext>(parent);
        break;
      case UprankParser::RPAREN: case UprankParser::RBRACK: case UprankParser::COMMA: case UprankParser::COLON:
        layout.glue_before = true;
        break;
      case UprankParser::MINUS:
        layout.glue_after = is<UprankParser::UnaryExprContext>(parent) || is<UprankParser::ExpectationContext>(parent);
        break;
      default:
        break;
    }
  }

  const std::vector<antlr4::Token*>& tokens_;
  std::vector<TokenLayout> layout_;
};

// Writes the tokens out following their layouts, placing comments and kept line breaks.
class Printer {
 public:
  Printer(const std::vector<antlr4::Token*>& tokens, const std::vector<TokenLayout>& layout)
      : tokens_(tokens), layout_(layout) {}

  std::string print() {
    const antlr4::Token* previous = nullptr;
    size_t newlines = 0;  // line breaks since the previous token or comment
    std::vector<Comment> pending;
    for (const antlr4::Token* token : tokens_) {
      if (token->getType() == antlr4::Token::EOF) {
        print_final_comments(pending);
        break;
      }
      if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) {
        if (token->getType() == UprankParser::COMMENT) {
          std::string text = without_trailing_space(token->getText());
          if (previous != nullptr && newlines == 0 && pending.empty()) {
            out_ += "  " + text;  // it ended the previous token's line, and still does
            line_has_comment_ = true;
          } else {
            pending.push_back(Comment{std::move(text), newlines >= 2});
          }
          newlines = 0;
        } else {
          newlines += count_newlines(token->getText());
        }
        continue;
      }
      const TokenLayout& layout = layout_[token->getTokenIndex()];
      if (layout.starts_line) {
        print_line_start(token, layout, pending, newlines);
      } else {
        print_within_line(token, layout, previous, pending, newlines);
      }
      previous = token;
      pending.clear();
      newlines = 0;
    }
    end_line();
    return std::move(out_);
  }

 private:
  struct Comment {
    std::string text;
    bool blank_before;  // the source had a blank line before it
  };

  void end_line() {
    if (!line_open_) return;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += '\n';
    line_open_ = false;
    line_has_comment_ = false;
  }

  void blank_line() {
    end_line();
    if (out_.empty() || (out_.size() >= 2 && out_[out_.size() - 1] == '\n' && out_[out_.size() - 2] == '\n')) return;
    out_ += '\n';
  }

  void begin_line(int columns) {
    end_line();
    out_.append(static_cast<size_t>(columns), ' ');
    line_open_ = true;
  }

  void write(const antlr4::Token* token) {
    out_ += token->getText();
    line_open_ = true;
    if (is_open_bracket(token->getType())) ++depth_;
    if (is_close_bracket(token->getType())) depth_ = std::max(0, depth_ - 1);
  }

  void print_comment_lines(const std::vector<Comment>& comments, int columns, bool keep_blank_lines) {
    for (size_t i = 0; i < comments.size(); ++i) {
      if (i > 0 && keep_blank_lines && comments[i].blank_before) blank_line();
      begin_line(columns);
      out_ += comments[i].text;
      end_line();
    }
  }

  void print_line_start(const antlr4::Token* token, const TokenLayout& layout, const std::vector<Comment>& pending,
                        size_t newlines) {
    end_line();
    bool blank_in_source = pending.empty() ? newlines >= 2 : pending.front().blank_before;
    if (layout.blank == BlankLine::kAlways || (layout.blank == BlankLine::kKeep && blank_in_source)) blank_line();
    int columns = layout.indent * kIndentColumns;
    // Comments before a closing brace belong to the block's last items.
    int comment_columns = columns + (token->getType() == UprankParser::RBRACE ? kIndentColumns : 0);
    print_comment_lines(pending, comment_columns, true);
    if (!pending.empty() && newlines >= 2 && token->getType() != UprankParser::RBRACE) blank_line();
    begin_line(columns);
    line_indent_ = layout.indent;
    depth_ = 0;
    write(token);
  }

  void print_within_line(const antlr4::Token* token, const TokenLayout& layout, const antlr4::Token* previous,
                         const std::vector<Comment>& pending, size_t newlines) {
    const TokenLayout* before = previous != nullptr ? &layout_[previous->getTokenIndex()] : nullptr;
    bool glue = (before != nullptr && before->glue_after) || layout.glue_before;
    // A kept break may stand wherever a space stands, and just inside brackets.
    bool may_break = !layout.keep_on_line && (!glue || is_close_bracket(token->getType()) ||
                                              (previous != nullptr && is_open_bracket(previous->getType())));
    bool must_break = line_has_comment_ || !pending.empty() || !line_open_;
    if (must_break || (newlines > 0 && may_break)) {
      int open = std::max(0, depth_ - (is_close_bracket(token->getType()) ? 1 : 0));
      int columns = line_indent_ * kIndentColumns + kIndentColumns * (1 + open);
      end_line();
      print_comment_lines(pending, columns, false);
      begin_line(columns);
    } else if (!glue) {
      size_t keyword = previous != nullptr ? previous->getText().size() : kKeywordColumns;
      bool pad = before != nullptr && before->pad_keyword && keyword < kKeywordColumns;
      out_.append(pad ? kKeywordColumns - keyword : 1, ' ');
    }
    write(token);
  }

  void print_final_comments(const std::vector<Comment>& pending) {
    if (pending.empty()) return;
    end_line();
    if (pending.front().blank_before) blank_line();
    print_comment_lines(pending, 0, true);
  }

  const std::vector<antlr4::Token*>& tokens_;
  const std::vector<TokenLayout>& layout_;
  std::string out_;
  bool line_open_ = false;
  bool line_has_comment_ = false;
  int line_indent_ = 0;  // nesting level of the line that continuation lines belong to
  int depth_ = 0;        // brackets open since that line began
};

// Parses the already-checked text again to get ANTLR's tree and token stream, then prints.
Result<std::string> lay_out(const std::string& text, const std::string& path) {
  LexedTokenSource source(text);
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  UprankParser parser(&tokens);
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  UprankParser::FileContext* tree = nullptr;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tokens.seek(0);
    parser.reset();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    tree = parser.file();
  }
  if (tree == nullptr || parser.getNumberOfSyntaxErrors() > 0) {
    return make_error("uprank.internal", "the formatter could not re-parse a file the parser accepted", {path, 0, 0});
  }
  std::vector<antlr4::Token*> all_tokens = tokens.getTokens();
  std::vector<TokenLayout> layout = LayoutBuilder(all_tokens).build(tree);
  return Printer(all_tokens, layout).print();
}

}  // namespace

FormatResult format_file(std::string_view text, const std::string& path, const ParseOptions& options) {
  FormatResult result;
  ParseResult parsed = parse_file(text, path, options);
  if (has_errors(parsed.diagnostics)) {
    result.diagnostics = std::move(parsed.diagnostics);
    return result;
  }
  std::string source(text);
  internal::run_with_large_stack([&] {
    try {
      Result<std::string> formatted = lay_out(source, path);
      if (formatted.ok()) {
        result.text = std::move(formatted).value();
      } else {
        const Error& error = formatted.error();
        result.diagnostics.push_back(make_diagnostic(Severity::kError, error.code, error.message, error.where));
      }
    } catch (const std::exception& e) {  // ANTLR must never throw past this library
      result.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.internal",
                                                   std::string("formatter failure: ") + e.what(), SourceLocation{path, 0, 0}));
    }
  });
  return result;
}

Result<std::string> format_source(std::string_view text, const std::string& path) {
  FormatResult result = format_file(text, path);
  if (result.ok()) return std::move(result.text);
  const Diagnostic* first = nullptr;
  for (const auto& diagnostic : result.diagnostics) {
    if (diagnostic.severity == Severity::kError) {
      first = &diagnostic;
      break;
    }
  }
  if (first != nullptr && first->code == "uprank.internal") return make_error(first->code, first->message, first->range.begin);
  std::string message = first != nullptr ? first->message + " [" + first->code + "]" : "the file does not parse";
  return make_error("uprank.fmt.unparseable", "not formatted: " + message,
                    first != nullptr ? first->range.begin : SourceLocation{path, 0, 0});
}

std::vector<std::string> comments_of(std::string_view text) {
  std::vector<std::string> comments;
  if (check_utf8(text, "")) return comments;
  for (const LexedToken& token : lex(text)) {
    if (token.type == UprankParser::COMMENT) {
      comments.push_back(without_trailing_space(std::string(text.substr(token.begin, token.end - token.begin))));
    }
  }
  return comments;
}

}  // namespace uprank::grammar
