// Terraform: a scanner for the subset of HCL that pins versions — blocks, attributes with
// literal values, maps, and references to variable defaults and locals (including map
// lookups such as var.engine_version[var.engine]). Anything else is opaque.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <re2/re2.h>

#include "engine/inventory/internal.h"
#include "engine/inventory/readers.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory {
namespace {


enum class TokenKind { kIdent, kString, kNumber, kPunct, kNewline, kEnd };

struct Token {
  TokenKind kind;
  std::string text;  // identifier, decoded string, number or punctuation
  bool templated = false;  // a string with ${...} or a heredoc
  int line = 0;
  int column = 0;
};

class Lexer {
 public:
  Lexer(std::string_view text, std::vector<Diagnostic>& diagnostics, const std::string& path)
      : text_(text), diagnostics_(diagnostics), path_(path) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (c == ' ' || c == '\t' || c == '\r') {
        advance();
      } else if (c == '\n') {
        tokens.push_back(make(TokenKind::kNewline, "\n"));
        advance();
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (position_ < text_.size() && text_[position_] != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        advance();
        advance();
        while (position_ < text_.size() && !(text_[position_] == '*' && peek(1) == '/')) advance();
        advance();
        advance();
      } else if (c == '"') {
        tokens.push_back(string_token());
      } else if (c == '<' && peek(1) == '<' && (std::isalpha(static_cast<unsigned char>(peek(2))) || peek(2) == '-')) {
        tokens.push_back(heredoc());
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        Token token = make(TokenKind::kIdent, "");
        while (position_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[position_])) ||
                                            text_[position_] == '_' || text_[position_] == '-')) {
          token.text.push_back(text_[position_]);
          advance();
        }
        tokens.push_back(std::move(token));
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        Token token = make(TokenKind::kNumber, "");
        while (position_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '.')) {
          token.text.push_back(text_[position_]);
          advance();
        }
        tokens.push_back(std::move(token));
      } else {
        tokens.push_back(make(TokenKind::kPunct, std::string(1, c)));
        advance();
      }
    }
    tokens.push_back(make(TokenKind::kEnd, ""));
    return tokens;
  }

 private:
  char peek(size_t ahead) const { return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0'; }
  void advance() {
    if (position_ >= text_.size()) return;
    if (text_[position_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++position_;
  }
  Token make(TokenKind kind, std::string text) const { return Token{kind, std::move(text), false, line_, column_}; }

  // Skips a ${...} or %{...} template sequence, including nested strings.
  void skip_template(int depth) {
    advance();  // '$' or '%'
    advance();  // '{'
    int braces = 1;
    while (position_ < text_.size() && braces > 0) {
      char c = text_[position_];
      if (c == '"' && depth < 8) {
        advance();
        while (position_ < text_.size() && text_[position_] != '"' && text_[position_] != '\n') {
          if (text_[position_] == '\\') advance();
          else if ((text_[position_] == '$' || text_[position_] == '%') && peek(1) == '{') {
            skip_template(depth + 1);
            continue;
          }
          advance();
        }
        advance();
        continue;
      }
      if (c == '{') ++braces;
      if (c == '}') --braces;
      advance();
    }
  }

  // Appends `code` as UTF-8; code points past U+10FFFF and surrogates become U+FFFD.
  static void append_utf8(std::string& out, uint32_t code) {
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  Token string_token() {
    Token token = make(TokenKind::kString, "");
    advance();  // opening quote
    while (position_ < text_.size() && text_[position_] != '"') {
      char c = text_[position_];
      if (c == '\n') {
        diagnostics_.push_back(make_diagnostic(Severity::kError, "uprank.terraform.syntax", "unterminated string",
                                               SourceLocation{path_, token.line, token.column}));
        return token;
      }
      // Escapes of HCL's quoted templates (hclsyntax spec, "Template Expressions"):
      // \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ / %%{ for a literal ${ / %{.
      if (c == '\\' && position_ + 1 < text_.size()) {
        advance();
        char escaped = text_[position_];
        advance();
        if (escaped == 'u' || escaped == 'U') {
          size_t digits = escaped == 'u' ? 4 : 8;
          uint32_t code = 0;
          size_t read = 0;
          for (; read < digits && position_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[position_])); ++read) {
            char h = text_[position_];
            code = code * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
            advance();
          }
          if (read == digits) append_utf8(token.text, code);
          continue;
        }
        token.text.push_back(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped == 'r' ? '\r' : escaped);
        continue;
      }
      if ((c == '$' || c == '%') && peek(1) == c && peek(2) == '{') {
        token.text.push_back(c);
        token.text.push_back('{');
        advance();
        advance();
        advance();
        continue;
      }
      if ((c == '$' || c == '%') && peek(1) == '{') {
        token.templated = true;
        size_t start = position_;
        skip_template(0);
        token.text += std::string(text_.substr(start, position_ - start));
        continue;
      }
      token.text.push_back(c);
      advance();
    }
    advance();  // closing quote
    return token;
  }

  Token heredoc() {
    Token token = make(TokenKind::kString, "");
    token.templated = true;
    advance();
    advance();
    if (peek(0) == '-') advance();
    std::string marker;
    while (position_ < text_.size() && text_[position_] != '\n') {
      marker.push_back(text_[position_]);
      advance();
    }
    marker = std::string(internal::trim(marker));
    while (position_ < text_.size()) {
      advance();  // newline
      size_t start = position_;
      while (position_ < text_.size() && text_[position_] != '\n') advance();
      if (internal::trim(text_.substr(start, position_ - start)) == marker) break;
    }
    return token;
  }

  std::string_view text_;
  std::vector<Diagnostic>& diagnostics_;
  const std::string& path_;
  size_t position_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// A value the reader can reason about: literals, maps, references, or opaque.
struct Value {
  enum class Kind { kOpaque, kLiteral, kMap, kReference };
  Kind kind = Kind::kOpaque;
  std::string text;                                 // literal text, or "var.x" / "local.x"
  std::vector<std::string> keys;  // map entries: keys[i] = values[i]
  std::vector<Value> values;
  std::shared_ptr<Value> index;                     // reference[index]
  SourceLocation where;
};

struct Attribute {
  std::string name;
  Value value;
  SourceLocation where;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  SourceLocation where;

  const Attribute* attribute(std::string_view name) const {
    for (const Attribute& attribute : attributes) {
      if (attribute.name == name) return &attribute;
    }
    return nullptr;
  }
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::string& path, int max_depth, std::vector<Diagnostic>& diagnostics)
      : tokens_(std::move(tokens)), path_(path), max_depth_(max_depth), diagnostics_(diagnostics) {}

  Block parse_file() {
    Block root;
    parse_body(root, 0, /*nested=*/false);
    return root;
  }

 private:
  const Token& current() const { return tokens_[position_]; }
  const Token& ahead(size_t n) const { return tokens_[std::min(position_ + n, tokens_.size() - 1)]; }
  bool at_punct(char c) const { return current().kind == TokenKind::kPunct && current().text[0] == c; }
  SourceLocation location(const Token& token) const { return SourceLocation{path_, token.line, token.column}; }
  void skip_newlines() {
    while (current().kind == TokenKind::kNewline) ++position_;
  }
  void error(const Token& token, std::string message) {
    diagnostics_.push_back(make_diagnostic(Severity::kError, "uprank.terraform.syntax", std::move(message), location(token)));
  }
  // Skips to the end of the line, jumping over balanced brackets.
  void skip_line() {
    int depth = 0;
    while (current().kind != TokenKind::kEnd) {
      if (current().kind == TokenKind::kNewline && depth == 0) return;
      if (current().kind == TokenKind::kPunct) {
        char c = current().text[0];
        if (c == '{' || c == '[' || c == '(') ++depth;
        if (c == '}' || c == ']' || c == ')') {
          if (depth == 0) return;
          --depth;
        }
      }
      ++position_;
    }
  }

  void parse_body(Block& block, int depth, bool nested) {
    while (true) {
      skip_newlines();
      const Token& token = current();
      if (token.kind == TokenKind::kEnd) {
        if (nested) error(token, "missing '}' at end of file");
        return;
      }
      if (at_punct('}')) {
        if (!nested) {
          error(token, "unexpected '}'");
          ++position_;
          continue;
        }
        ++position_;
        return;
      }
      if (token.kind != TokenKind::kIdent && token.kind != TokenKind::kString) {
        error(token, "expected an attribute or a block");
        skip_line();
        if (current().kind != TokenKind::kNewline && current().kind != TokenKind::kEnd) ++position_;
        continue;
      }
      if (ahead(1).kind == TokenKind::kPunct && (ahead(1).text == "=" || ahead(1).text == ":") &&
          !(ahead(2).kind == TokenKind::kPunct && ahead(2).text == "=")) {
        Attribute attribute;
        attribute.name = token.text;
        position_ += 2;
        attribute.where = location(current());
        attribute.value = parse_expression(depth + 1);
        block.attributes.push_back(std::move(attribute));
        continue;
      }
      // A block: type, labels, then '{'.
      Block child;
      child.type = token.text;
      child.where = location(token);
      ++position_;
      while (current().kind == TokenKind::kString || current().kind == TokenKind::kIdent) {
        child.labels.push_back(current().text);
        ++position_;
      }
      if (!at_punct('{')) {
        error(current(), "expected '{' after block '" + child.type + "'");
        skip_line();
        continue;
      }
      ++position_;
      if (depth + 1 > max_depth_) {
        error(token, "blocks nested deeper than " + std::to_string(max_depth_) + " levels");
        skip_to_close();
        continue;
      }
      parse_body(child, depth + 1, true);
      block.blocks.push_back(std::move(child));
    }
  }

  void skip_to_close() {
    int depth = 1;
    while (current().kind != TokenKind::kEnd && depth > 0) {
      if (at_punct('{')) ++depth;
      if (at_punct('}')) --depth;
      ++position_;
    }
  }

  // Parses one expression; recognises literals, maps and (indexed) references.
  Value parse_expression(int depth) {
    Value value;
    value.where = location(current());
    const Token& token = current();
    if (depth > max_depth_) {
      error(token, "expression nested deeper than " + std::to_string(max_depth_) + " levels");
      skip_line();
      return value;
    }
    if ((token.kind == TokenKind::kString || token.kind == TokenKind::kNumber) && ends_expression(ahead(1))) {
      value.kind = token.templated ? Value::Kind::kOpaque : Value::Kind::kLiteral;
      value.text = token.text;
      ++position_;
      return value;
    }
    if (token.kind == TokenKind::kIdent && (token.text == "true" || token.text == "false") && ends_expression(ahead(1))) {
      value.kind = Value::Kind::kLiteral;
      value.text = token.text;
      ++position_;
      return value;
    }
    if (token.kind == TokenKind::kIdent && (token.text == "var" || token.text == "local") && ahead(1).text == "." &&
        ahead(2).kind == TokenKind::kIdent) {
      value.kind = Value::Kind::kReference;
      value.text = token.text + "." + ahead(2).text;
      position_ += 3;
      if (at_punct('[')) {
        ++position_;
        auto index = std::make_shared<Value>(parse_expression(depth + 1));
        if (at_punct(']')) {
          ++position_;
          value.index = std::move(index);
        } else {
          value.kind = Value::Kind::kOpaque;
        }
      }
      if (!ends_expression(current())) {
        value.kind = Value::Kind::kOpaque;
        skip_line();
      }
      return value;
    }
    if (at_punct('{')) {
      ++position_;
      value.kind = Value::Kind::kMap;
      while (true) {
        while (current().kind == TokenKind::kNewline || at_punct(',')) ++position_;
        if (at_punct('}')) {
          ++position_;
          break;
        }
        if (current().kind == TokenKind::kEnd) {
          error(current(), "missing '}' in map");
          return value;
        }
        const Token& key = current();
        if ((key.kind == TokenKind::kIdent || key.kind == TokenKind::kString) && ahead(1).kind == TokenKind::kPunct &&
            (ahead(1).text == "=" || ahead(1).text == ":")) {
          std::string name = key.text;
          position_ += 2;
          value.keys.push_back(name);
          value.values.push_back(parse_expression(depth + 1));
        } else {
          value.kind = Value::Kind::kOpaque;  // for-expression or something else: skip it whole
          skip_to_close();
          break;
        }
      }
      if (!ends_expression(current())) {
        value.kind = Value::Kind::kOpaque;
        skip_line();
      }
      return value;
    }
    skip_line();
    return value;
  }

  static bool ends_expression(const Token& token) {
    if (token.kind == TokenKind::kNewline || token.kind == TokenKind::kEnd) return true;
    return token.kind == TokenKind::kPunct && (token.text == "," || token.text == "}" || token.text == "]");
  }

  std::vector<Token> tokens_;
  size_t position_ = 0;
  const std::string& path_;
  int max_depth_;
  std::vector<Diagnostic>& diagnostics_;
};

class ModuleReader {
 public:
  ModuleReader(const ReadOptions& options, Inventory& out) : options_(options), out_(out) {}

  void add_file(const TerraformFile& file) {
    Lexer lexer(file.text, out_.diagnostics, file.path);
    Parser parser(lexer.run(), file.path, options_.max_depth, out_.diagnostics);
    files_.push_back(parser.parse_file());
    if (is_auto_tfvars(file.path)) {
      tfvars_.push_back({file.path, &files_.back()});
      return;
    }
    for (const Block& block : files_.back().blocks) {
      if (block.type == "variable" && block.labels.size() == 1) {
        declared_.insert("var." + block.labels[0]);
        if (const Attribute* fallback = block.attribute("default")) variables_["var." + block.labels[0]] = &fallback->value;
      } else if (block.type == "locals") {
        for (const Attribute& attribute : block.attributes) locals_["local." + attribute.name] = &attribute.value;
      }
    }
  }

  void extract() {
    apply_tfvars();
    for (const Block& file : files_) {
      for (const Block& block : file.blocks) {
        if (block.type == "terraform") read_terraform_block(block);
        else if (block.type == "module" && block.labels.size() == 1) read_module(block);
        else if (block.type == "resource" && block.labels.size() == 2) read_resource(block, block.labels[0], block.labels[0] + "." + block.labels[1]);
        else if (block.type == "data" && block.labels.size() == 2) continue;
      }
    }
  }

 private:
  // Returns whether Terraform loads the file by itself: terraform.tfvars and *.auto.tfvars
  // (Terraform docs, "Variable Definitions (.tfvars) Files"); other .tfvars files are
  // passed with -var-file and are not read.
  static bool is_auto_tfvars(std::string_view path) {
    std::string name = internal::to_lower(internal::base_name(path));
    return name == "terraform.tfvars" ||
           (name.size() > 12 && name.compare(name.size() - 12, std::string::npos, ".auto.tfvars") == 0);
  }

  // Gives each declared variable the value the module's auto-loaded .tfvars files assign
  // it, in Terraform's order: terraform.tfvars, then *.auto.tfvars in lexical order, a
  // later one winning. The pin is then located at the .tfvars line.
  void apply_tfvars() {
    std::sort(tfvars_.begin(), tfvars_.end(), [](const auto& a, const auto& b) {
      const bool a_auto = internal::to_lower(internal::base_name(a.first)) != "terraform.tfvars";
      const bool b_auto = internal::to_lower(internal::base_name(b.first)) != "terraform.tfvars";
      return a_auto != b_auto ? !a_auto : a.first < b.first;
    });
    for (const auto& [path, file] : tfvars_) {
      for (const Attribute& attribute : file->attributes) {
        auto declared = variables_.find("var." + attribute.name);
        if (declared != variables_.end()) declared->second = &attribute.value;
        else if (declared_.count("var." + attribute.name)) variables_["var." + attribute.name] = &attribute.value;
      }
    }
  }

  // Follows references to variable defaults and locals; nullptr when it cannot.
  const Value* resolve(const Value& value, int hops = 0) const {
    if (hops > 16) return nullptr;
    if (value.kind == Value::Kind::kLiteral || value.kind == Value::Kind::kMap) return &value;
    if (value.kind != Value::Kind::kReference) return nullptr;
    const auto& table = value.text.rfind("var.", 0) == 0 ? variables_ : locals_;
    auto it = table.find(value.text);
    if (it == table.end()) return nullptr;
    const Value* target = resolve(*it->second, hops + 1);
    if (!target || !value.index) return target;
    const Value* key = resolve(*value.index, hops + 1);
    if (!key || key->kind != Value::Kind::kLiteral || target->kind != Value::Kind::kMap) return nullptr;
    for (size_t i = 0; i < target->keys.size(); ++i) {
      if (target->keys[i] == key->text) return resolve(target->values[i], hops + 1);
    }
    return nullptr;
  }

  std::string literal(const Block& block, std::string_view name) const {
    const Attribute* attribute = block.attribute(name);
    return attribute ? literal_value(*attribute) : std::string();
  }

  // Adds a component pinned by `attribute`; a value that does not resolve is a note.
  Component* add(const Block& block, const Attribute& attribute, std::string kind, std::string name,
                 const std::string& address) {
    const Value* value = resolve(attribute.value);
    if (!value || value->kind != Value::Kind::kLiteral) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.unresolved",
                                                 address + "." + attribute.name + " is not a literal or a variable default; skipped",
                                                 attribute.where));
      return nullptr;
    }
    Component component;
    component.kind = std::move(kind);
    component.source = "terraform";
    component.name = std::move(name);
    component.version_text = value->text;
    component.location = value->where;  // the literal that pins it, possibly a variable default
    component.attributes["terraform.address"] = address;
    if (value != &attribute.value) {
      component.attributes["terraform.reference"] = attribute.where.to_string();
    }
    (void)block;
    out_.components.push_back(std::move(component));
    return &out_.components.back();
  }

  // Marks a component pinned by a version constraint: its pin is the range (or the exact
  // version of "= 1.5.7", which then becomes the version text).
  static void pin_constraint(Component& component) {
    component.attributes["constraint"] = "true";
    component.pin = pin_of_constraint(component.version_text);
    if (component.pin.exact() && !component.pin.lowest.empty() && component.pin.lowest != component.version_text) {
      component.attributes["pinned"] = component.version_text;
      component.version_text = component.pin.lowest;
    }
  }

  void read_terraform_block(const Block& block) {
    if (const Attribute* required = block.attribute("required_version")) {
      if (Component* component = add(block, *required, "terraform", "terraform", "terraform.required_version")) {
        pin_constraint(*component);
      }
    }
    for (const Block& child : block.blocks) {
      if (child.type != "required_providers") continue;
      for (const Attribute& provider : child.attributes) {
        std::string address = "terraform.required_providers." + provider.name;
        if (provider.value.kind == Value::Kind::kLiteral) {  // legacy: aws = "~> 2.0"
          if (Component* component = add(child, provider, "terraform-provider", "hashicorp/" + provider.name, address)) {
            pin_constraint(*component);
          }
          continue;
        }
        if (provider.value.kind != Value::Kind::kMap) continue;
        std::string source = "hashicorp/" + provider.name;
        const Value* version = nullptr;
        for (size_t i = 0; i < provider.value.keys.size(); ++i) {
          const Value& entry = provider.value.values[i];
          if (provider.value.keys[i] == "source" && entry.kind == Value::Kind::kLiteral) source = entry.text;
          if (provider.value.keys[i] == "version") version = &entry;
        }
        if (!version) continue;
        Attribute pinned{"version", *version, version->where};
        if (Component* component = add(child, pinned, "terraform-provider", source, address)) {
          pin_constraint(*component);
          component->attributes["provider"] = provider.name;
        }
      }
    }
  }

  void read_module(const Block& block) {
    std::string address = "module." + block.labels[0];
    std::string source = literal(block, "source");
    if (const Attribute* version = block.attribute("version"); version && !source.empty()) {
      if (Component* component = add(block, *version, "terraform-module", source, address)) {
        pin_constraint(*component);
      }
    } else if (const Attribute* attribute = block.attribute("source"); attribute && !source.empty()) {
      read_git_module(*attribute, source, address);
    }
    read_resource(block, source.empty() ? address : source, address);
  }

  // A module fetched from git pins the `ref` of its URL ("git::https://host/org/repo.git//sub?ref=v1.2.3",
  // "github.com/org/repo?ref=v1.2.3"); without one it follows the default branch.
  void read_git_module(const Attribute& attribute, const std::string& source, const std::string& address) {
    static const RE2 kGitSource(R"(^(?:git::)?(?:[a-z+]+://)?(?:[^@/]+@)?((?:github\.com|gitlab\.com|bitbucket\.org|[^/?]+)[/:][^?]*?)(?:\.git)?(?://([^?]*))?(?:\?(.*))?$)");
    bool git = source.rfind("git::", 0) == 0 || source.rfind("github.com/", 0) == 0 || source.rfind("git@", 0) == 0 ||
               source.rfind("bitbucket.org/", 0) == 0 || source.find(".git") != std::string::npos;
    if (!git) return;
    std::string repository, subdirectory, query;
    if (!RE2::FullMatch(source, kGitSource, &repository, &subdirectory, &query)) return;
    std::replace(repository.begin(), repository.end(), ':', '/');  // git@host:org/repo
    std::string ref;
    size_t ref_offset = std::string::npos;
    for (size_t start = 0; start <= query.size();) {
      size_t end = query.find('&', start);
      if (end == std::string::npos) end = query.size();
      if (query.compare(start, 4, "ref=") == 0) {
        ref = query.substr(start + 4, end - start - 4);
        ref_offset = source.size() - query.size() + start + 4;
      }
      start = end + 1;
    }
    if (ref.empty()) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.floating_module",
                                                 address + " source '" + source + "' has no ?ref=; it follows the default branch",
                                                 attribute.where));
      return;
    }
    Component component;
    component.kind = "terraform-module";
    component.source = "terraform";
    component.name = repository;
    component.version_text = ref;
    component.location = attribute.value.where;
    // The ref inside the string: one column for the opening quote, then its offset.
    if (attribute.value.kind == Value::Kind::kLiteral) component.location.column += 1 + static_cast<int>(ref_offset);
    component.attributes["terraform.address"] = address;
    component.attributes["git"] = source.substr(0, source.size() - query.size() - 1);
    if (!subdirectory.empty()) component.attributes["subdirectory"] = subdirectory;
    out_.components.push_back(std::move(component));
  }

  // Adds the container image an attribute names (docker_image.name, a kubernetes_*
  // container's image); a value that does not resolve is a note.
  void add_image(const Attribute& attribute, const std::string& type, const std::string& address) {
    const Value* value = resolve(attribute.value);
    if (!value || value->kind != Value::Kind::kLiteral) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.unresolved",
                                                 address + "." + attribute.name + " is not a literal or a variable default; skipped",
                                                 attribute.where));
      return;
    }
    auto image = internal::parse_image_reference(value->text);
    if (!image) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.inventory.bad_image",
                                                 "not an image reference: '" + value->text + "'", value->where));
      return;
    }
    Component component = internal::image_component(*image, "terraform", value->where);
    component.attributes["terraform.address"] = address;
    component.attributes["terraform.resource"] = type;
    if (value != &attribute.value) component.attributes["terraform.reference"] = attribute.where.to_string();
    out_.components.push_back(std::move(component));
  }

  // Images of containers nested anywhere in a resource: kubernetes_deployment's
  // spec.template.spec.container, kubernetes_pod's init_container, docker_service's
  // task_spec.container_spec.
  void read_nested_images(const Block& block, const std::string& type, const std::string& address, int depth) {
    if (depth > 16) return;
    for (const Block& child : block.blocks) {
      if (child.type == "container" || child.type == "init_container" || child.type == "container_spec") {
        if (const Attribute* image = child.attribute("image")) add_image(*image, type, address);
      }
      read_nested_images(child, type, address, depth + 1);
    }
  }

  // helm_release: the chart at its version, and the app image when `set` blocks give
  // both image.repository and image.tag.
  void read_helm_release(const Block& block, const std::string& address) {
    std::string chart = literal(block, "chart");
    if (chart.empty()) return;
    if (chart.rfind("./", 0) == 0 || chart.rfind("../", 0) == 0 || chart.rfind("/", 0) == 0) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.local_chart",
                                                 address + " installs the local chart '" + chart + "'; not an external pin",
                                                 block.where));
      return;
    }
    const Attribute* version = block.attribute("version");
    if (!version) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.floating_chart",
                                                 address + " sets no chart version; it installs the latest", block.where));
    } else if (Component* component = add(block, *version, "helm-chart", chart.rfind("oci://", 0) == 0 ? chart.substr(6) : chart,
                                          address)) {
      component->attributes["terraform.resource"] = "helm_release";
      if (std::string repository = literal(block, "repository"); !repository.empty()) {
        component->attributes["repository"] = repository;
      }
    }
    const Attribute* repository = nullptr;
    const Attribute* tag = nullptr;
    for (const Block& set : block.blocks) {
      if (set.type != "set") continue;
      std::string name = literal(set, "name");
      const Attribute* value = set.attribute("value");
      if (!value) continue;
      if (name == "image.repository") repository = value;
      if (name == "image.tag") tag = value;
    }
    if (!tag) return;
    std::string repository_text = repository ? literal_value(*repository) : "";
    std::string tag_text = literal_value(*tag);
    if (repository_text.empty() || tag_text.empty()) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.unresolved",
                                                 address + " sets image.tag without a literal image.repository; the image is the chart's",
                                                 tag->where));
      return;
    }
    Attribute reference{"image", Value{}, tag->where};
    reference.value.kind = Value::Kind::kLiteral;
    reference.value.text = repository_text + ":" + tag_text;
    reference.value.where = resolve(tag->value)->where;
    add_image(reference, "helm_release", address);
  }

  std::string literal_value(const Attribute& attribute) const {
    const Value* value = resolve(attribute.value);
    return value && value->kind == Value::Kind::kLiteral ? value->text : std::string();
  }

  // The language runtime of an AWS Lambda function (`runtime = "python3.8"`): AWS's
  // runtime identifiers name a language release ("nodejs14.x" is Node.js 14, "java11" is
  // Amazon Corretto 11, "dotnetcore3.1" is .NET 3.1), read as a tool of that language
  // (attribute lambda.runtime keeps the identifier). OS-only runtimes (provided.al2) and
  // go1.x name no language release: a note.
  void read_lambda_runtime(const Block& block, const std::string& type, const std::string& address) {
    const Attribute* runtime = block.attribute("runtime");
    if (!runtime) return;
    Component* component = add(block, *runtime, "tool", "", address);
    if (!component) return;
    static const RE2 kRuntime(R"((nodejs|python|ruby|java|dotnetcore|dotnet)(\d+(?:\.\d+)?)(?:\.x)?(?:\.al2(?:023)?)?)");
    std::string language, version;
    const std::string identifier = component->version_text;
    if (!RE2::FullMatch(identifier, kRuntime, &language, &version)) {
      out_.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.terraform.lambda_runtime",
                                                 address + ".runtime '" + identifier +
                                                     "' names no language release (an OS-only or custom runtime); not mapped",
                                                 component->location));
      out_.components.pop_back();
      return;
    }
    if (language == "dotnetcore") language = "dotnet";
    component->name = language;
    component->version_text = version;
    component->pin = pin_of_tool_version(version);
    if (language == "java") component->attributes["flavour"] = "corretto";  // Lambda's Java is Amazon Corretto
    component->attributes["lambda.runtime"] = identifier;
    component->attributes["terraform.resource"] = type;
  }

  // Engines of databases, caches and brokers, versions of clusters, container images
  // and Helm charts.
  void read_resource(const Block& block, const std::string& type, const std::string& address) {
    if (type == "aws_lambda_function") return read_lambda_runtime(block, type, address);
    if (type == "docker_image") {
      if (const Attribute* name = block.attribute("name")) add_image(*name, type, address);
      return;
    }
    if (type == "docker_container") {
      if (const Attribute* image = block.attribute("image")) add_image(*image, type, address);
      return;
    }
    if (type == "helm_release") return read_helm_release(block, address);
    if (type == "docker_service" || type.rfind("kubernetes_", 0) == 0) read_nested_images(block, type, address, 0);
    static constexpr std::string_view kClusterAttributes[] = {"cluster_version", "kubernetes_version", "min_master_version"};
    static constexpr std::string_view kVersionedClusters[] = {"aws_eks_cluster"};
    const Attribute* version = block.attribute("engine_version");
    std::string engine;
    if (version) {
      engine = literal(block, "engine");
      if (engine.empty()) engine = literal(block, "engine_type");
      if (engine.empty()) engine = type;
    } else {
      for (std::string_view name : kClusterAttributes) {
        if ((version = block.attribute(name))) break;
      }
      if (!version && std::find(std::begin(kVersionedClusters), std::end(kVersionedClusters), type) != std::end(kVersionedClusters)) {
        version = block.attribute("version");
      }
      if (!version) return;
      engine = "kubernetes";
    }
    engine = internal::to_lower(engine);
    Component* component = add(block, *version, engine == "kubernetes" ? "cluster" : "database-engine", address, address);
    if (!component) return;
    component->attributes["terraform.resource"] = type;
    component->attributes["terraform.engine"] = engine;
  }

  const ReadOptions& options_;
  Inventory& out_;
  std::deque<Block> files_;  // stable addresses: variables_ and locals_ point into them
  std::unordered_map<std::string, const Value*> variables_;
  std::unordered_map<std::string, const Value*> locals_;
  std::unordered_set<std::string> declared_;  // every declared variable, with a default or not
  std::vector<std::pair<std::string, const Block*>> tfvars_;  // auto-loaded .tfvars files
};

}  // namespace

Inventory read_terraform_module(const std::vector<TerraformFile>& files, const ReadOptions& options) {
  Inventory out;
  ModuleReader reader(options, out);
  for (const TerraformFile& file : files) reader.add_file(file);
  reader.extract();
  internal::make_names_unique(out.components, 0);
  return out;
}

}  // namespace uprank::inventory
