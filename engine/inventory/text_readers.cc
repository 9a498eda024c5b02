// Line-oriented readers: dpkg status files, Dockerfiles and version files
// (.tool-versions, .nvmrc, .python-version, .terraform-version).
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include <re2/re2.h>

#include "engine/inventory/internal.h"
#include "engine/inventory/purl.h"
#include "engine/inventory/readers.h"
#include "engine/inventory/version_pin.h"

namespace uprank::inventory {
namespace {

using internal::trim;

constexpr size_t kMaxLineLength = 1 << 20;

// ---- dpkg -----------------------------------------------------------------------------

struct Paragraph {
  std::unordered_map<std::string, std::string> fields;  // lowercase name -> first line of value
  int line = 0;                                          // line of its first field
  int package_line = 0;
};

void finish_dpkg_paragraph(const Paragraph& paragraph, const std::string& path, std::set<std::string>& names,
                           Inventory& out) {
  if (paragraph.fields.empty()) return;
  auto field = [&](const char* name) -> std::string {
    auto it = paragraph.fields.find(name);
    return it == paragraph.fields.end() ? std::string() : it->second;
  };
  SourceLocation where{path, paragraph.package_line ? paragraph.package_line : paragraph.line, 1};
  std::string package = field("package");
  if (package.empty()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.dpkg.missing_field",
                                              "paragraph without a Package name skipped", where));
    return;
  }
  // Status is "want flag status"; only "installed" counts. Files without any Status
  // field (distroless images' status.d/) list installed packages only.
  if (paragraph.fields.count("status")) {
    std::string status(trim(field("status")));
    size_t last_space = status.rfind(' ');
    std::string state = last_space == std::string::npos ? status : status.substr(last_space + 1);
    if (state != "installed") return;
  }
  std::string version = field("version");
  if (version.empty()) {
    out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.dpkg.missing_field",
                                              "package '" + package + "' has no Version; skipped", where));
    return;
  }
  Component component;
  component.kind = "package";
  component.source = "dpkg";
  component.scheme = versions::Scheme::kDeb;
  component.version_text = version;
  component.location = where;
  std::string architecture = field("architecture");
  component.name = package;
  if (!names.insert(package).second) component.name = package + ":" + architecture;  // Multi-Arch: same
  component.attributes["package"] = package;
  if (!architecture.empty()) component.attributes["architecture"] = architecture;
  std::string source = field("source");
  if (!source.empty()) {
    // "Source: openssl (3.0.11-1~deb12u2)" names the source package and its version.
    size_t paren = source.find(" (");
    component.attributes["source_package"] = std::string(trim(source.substr(0, paren)));
    if (paren != std::string::npos && source.back() == ')') {
      component.attributes["source_version"] = source.substr(paren + 2, source.size() - paren - 3);
    }
  } else {
    component.attributes["source_package"] = package;
  }
  PackageUrl purl;
  purl.type = "deb";
  purl.namespace_ = "debian";
  purl.name = package;
  purl.version = version;
  if (!architecture.empty()) purl.qualifiers["arch"] = architecture;
  component.purl = purl.to_string();
  out.components.push_back(std::move(component));
}

// ---- Dockerfile -------------------------------------------------------------------------

// One instruction with its continuation lines joined, remembering where each piece came
// from so that a token can be located in the physical file.
struct LogicalLine {
  std::string text;
  struct Piece {
    size_t offset;  // in text
    int line;
    int column;
  };
  std::vector<Piece> pieces;

  SourceLocation locate(const std::string& path, size_t offset) const {
    const Piece* best = &pieces.front();
    for (const Piece& piece : pieces) {
      if (piece.offset <= offset) best = &piece;
    }
    return SourceLocation{path, best->line, best->column + static_cast<int>(offset - best->offset)};
  }
};

// Splits a Dockerfile into instructions; `escape` ends a line that continues (the
// `# escape=` parser directive makes it a backtick, as Windows images use).
// A here-document an instruction opens ("<<EOF", "<<-EOF", "<<\"EOF\"", "3<<'EOF'"): the
// lines that follow, up to the one that is its delimiter, are the instruction's input,
// not instructions (Dockerfile reference, "Here-Documents"; BuildKit reads them for RUN,
// COPY and ADD). With "<<-" leading tabs are stripped before the comparison.
struct Heredoc {
  std::string delimiter;
  bool strip_tabs = false;
};

std::vector<Heredoc> heredocs_opened(std::string_view instruction) {
  std::vector<Heredoc> found;
  std::string_view rest = instruction;
  std::string_view keyword = rest.substr(0, rest.find_first_of(" \t"));
  if (!internal::iequals(keyword, "RUN") && !internal::iequals(keyword, "COPY") && !internal::iequals(keyword, "ADD")) {
    return found;
  }
  while (!rest.empty()) {
    size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    std::string_view word = rest.substr(0, rest.find_first_of(" \t"));
    rest.remove_prefix(word.size());
    size_t digits = 0;
    while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') ++digits;
    if (word.substr(digits, 2) != "<<") continue;
    word.remove_prefix(digits + 2);
    Heredoc heredoc;
    if (!word.empty() && word.front() == '-') {
      heredoc.strip_tabs = true;
      word.remove_prefix(1);
    }
    if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') && word.back() == word.front()) {
      word = word.substr(1, word.size() - 2);
    }
    if (word.empty() || word.find('<') != std::string_view::npos) continue;
    heredoc.delimiter = std::string(word);
    found.push_back(std::move(heredoc));
  }
  return found;
}

std::vector<LogicalLine> dockerfile_instructions(std::string_view text, char escape) {
  std::vector<LogicalLine> instructions;
  std::vector<std::string_view> lines = internal::split_lines(text);
  LogicalLine current;
  bool continuing = false;
  std::vector<Heredoc> open;  // here-documents whose bodies come next, in order
  size_t next_open = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (next_open < open.size()) {  // a line of a here-document's body: the instruction's input
      std::string_view body = line;
      if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
      if (open[next_open].strip_tabs) body.remove_prefix(std::min(body.size(), body.find_first_not_of('\t')));
      if (body == open[next_open].delimiter) ++next_open;
      continue;
    }
    if (line.size() > kMaxLineLength) line = line.substr(0, kMaxLineLength);
    std::string_view stripped = trim(line);
    if (stripped.empty() || stripped.front() == '#') {
      continue;  // comments and blank lines may sit inside a continued instruction
    }
    size_t indent = static_cast<size_t>(stripped.data() - line.data());
    bool continues = stripped.back() == escape;
    if (continues) stripped.remove_suffix(1);
    if (!continuing) current = LogicalLine{};
    if (!current.text.empty()) current.text += ' ';
    current.pieces.push_back({current.text.size(), static_cast<int>(i + 1), static_cast<int>(indent + 1)});
    current.text += std::string(stripped);
    continuing = continues;
    if (!continuing) {
      open = heredocs_opened(current.text);
      next_open = 0;
      instructions.push_back(std::move(current));
    }
  }
  if (continuing && !current.pieces.empty()) instructions.push_back(std::move(current));
  return instructions;
}

struct Token {
  std::string text;
  size_t offset;
};

// A parser directive ("# syntax=docker/dockerfile:1.6", "# escape=`"): only at the top of
// the file, before any comment, blank line or instruction (Dockerfile reference).
struct Directive {
  std::string name;   // lower case
  std::string value;
  SourceLocation where;  // of the value
};

std::vector<Directive> dockerfile_directives(std::string_view text, const std::string& path) {
  std::vector<Directive> directives;
  int line_number = 0;
  for (std::string_view line : internal::split_lines(text)) {
    ++line_number;
    std::string_view stripped = trim(line);
    if (stripped.empty() || stripped.front() != '#') break;
    std::string_view body = trim(stripped.substr(1));
    size_t equals = body.find('=');
    if (equals == std::string_view::npos) break;
    std::string name = internal::to_lower(trim(body.substr(0, equals)));
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) break;
    std::string_view value = trim(body.substr(equals + 1));
    int column = static_cast<int>(value.data() - line.data()) + 1;
    directives.push_back({name, std::string(value), SourceLocation{path, line_number, column}});
  }
  return directives;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    tokens.push_back({std::string(text.substr(start, i - start)), start});
  }
  return tokens;
}

std::string unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return std::string(value.substr(1, value.size() - 2));
  }
  return std::string(value);
}

// An ARG value or image reference longer than this after substitution is not a real one:
// ARGs that each use the previous twice would otherwise double per line (600 bytes of
// Dockerfile exhaust memory).
constexpr size_t kMaxSubstitutedBytes = 4096;

// Expands $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alternative}; sets `unresolved` when a
// variable has no value, and returns "" with `unresolved` set past kMaxSubstitutedBytes.
std::string substitute(std::string_view text, const std::unordered_map<std::string, std::string>& variables,
                       bool& unresolved) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out.push_back(text[i]);
      continue;
    }
    std::string name, modifier, word;
    if (text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        unresolved = true;
        return out;
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t colon = inner.find(':');
      name = std::string(inner.substr(0, colon));
      if (colon != std::string_view::npos && colon + 1 < inner.size()) {
        modifier = std::string(1, inner[colon + 1]);
        word = std::string(inner.substr(colon + 2));
      }
      i = close;
    } else {
      size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
      name = std::string(text.substr(i + 1, j - i - 1));
      if (name.empty()) {
        out.push_back('$');
        continue;
      }
      i = j - 1;
    }
    // Quotes in a word group, they are not part of the value: ${V:-"1.2"} is 1.2.
    word.erase(std::remove(word.begin(), word.end(), '"'), word.end());
    word.erase(std::remove(word.begin(), word.end(), '\''), word.end());
    auto it = variables.find(name);
    bool declared = it != variables.end();  // "ARG SUFFIX=" declares an empty value
    bool set = declared && !it->second.empty();
    if (modifier == "-") {
      out += set ? it->second : word;
    } else if (modifier == "+") {
      out += set ? word : "";
    } else if (declared) {
      out += it->second;
    } else {
      unresolved = true;
    }
    if (out.size() > kMaxSubstitutedBytes) {
      unresolved = true;
      return std::string();
    }
  }
  return out;
}

// Returns whether `text` uses `$name` not followed by more of a name ("$V" in "x:$V-alpine").
bool uses_plain_variable(const std::string& text, const std::string& name) {
  for (size_t at = text.find("$" + name); at != std::string::npos; at = text.find("$" + name, at + 1)) {
    size_t end = at + 1 + name.size();
    if (end == text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) return true;
  }
  return false;
}

void read_arg(const std::vector<Token>& tokens, std::unordered_map<std::string, std::string>& variables) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    const std::string& token = tokens[i].text;
    size_t equals = token.find('=');
    std::string name = token.substr(0, equals);
    if (equals == std::string::npos) {
      continue;  // no default: its value comes from --build-arg, unknown here
    } else {
      bool unresolved = false;
      std::string value = substitute(unquote(std::string_view(token).substr(equals + 1)), variables, unresolved);
      if (unresolved && value.empty()) {
        variables.erase(name);  // over the budget (or only unresolved parts): no usable default
      } else {
        variables[name] = std::move(value);
      }
    }
  }
}

// ---- version files ------------------------------------------------------------------------

Component tool_component(std::string name, std::string version, SourceLocation where, std::string source) {
  Component component;
  component.kind = name == "terraform" ? "terraform" : "tool";
  component.source = std::move(source);
  component.name = std::move(name);
  component.pin = pin_of_tool_version(version);
  component.version_text = std::move(version);
  component.location = std::move(where);
  return component;
}

// Splits an asdf version that names a flavour or a channel around the release:
// "temurin-17.0.9+9" (java distribution), "extended_0.121.0" (hugo build),
// "3.16.0-stable" (flutter channel). The flavour goes to the `flavour` attribute, which
// the product map reads ("java" + "temurin" is Eclipse Temurin); the channel to `channel`.
void split_flavour(Component& component) {
  static const RE2 kFlavoured(R"(([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*)[-_](v?\d[0-9A-Za-z.+_-]*))");
  static const RE2 kChanneled(R"((v?\d+(?:\.\d+)*)-(stable|beta|dev|master|main))");
  std::string flavour, release, channel;
  if (RE2::FullMatch(component.version_text, kFlavoured, &flavour, &release)) {
    component.attributes["flavour"] = flavour;
  } else if (RE2::FullMatch(component.version_text, kChanneled, &release, &channel)) {
    component.attributes["channel"] = channel;
  } else {
    return;
  }
  component.attributes["written"] = component.version_text;
  component.version_text = release;
  component.pin = pin_of_tool_version(release);
}

}  // namespace

Inventory read_dpkg_status(std::string_view text, const std::string& path, const ReadOptions& options) {
  Inventory out;
  std::set<std::string> names;
  Paragraph paragraph;
  std::string last_field;
  int line_number = 0;
  for (std::string_view line : internal::split_lines(text)) {
    ++line_number;
    if (out.components.size() >= options.max_components) {
      out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.inventory.too_large", "too many packages",
                                                SourceLocation{path, line_number, 1}));
      return out;
    }
    if (trim(line).empty()) {
      finish_dpkg_paragraph(paragraph, path, names, out);
      paragraph = Paragraph{};
      last_field.clear();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;  // continuation of the previous field
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.dpkg.syntax",
                                                "expected 'Field: value'", SourceLocation{path, line_number, 1}));
      continue;
    }
    std::string name = internal::to_lower(line.substr(0, colon));
    if (paragraph.fields.empty()) paragraph.line = line_number;
    if (name == "package") paragraph.package_line = line_number;
    paragraph.fields[name] = std::string(trim(line.substr(colon + 1)));
    last_field = name;
  }
  finish_dpkg_paragraph(paragraph, path, names, out);
  return out;
}

Inventory read_dockerfile(std::string_view text, const std::string& path, const ReadOptions&) {
  Inventory out;
  char escape = '\\';
  for (const Directive& directive : dockerfile_directives(text, path)) {
    if (directive.name == "escape" && (directive.value == "`" || directive.value == "\\")) escape = directive.value[0];
    if (directive.name != "syntax") continue;
    // The frontend image BuildKit runs to parse this file: a pinned image like any other.
    if (auto image = internal::parse_image_reference(directive.value)) {
      Component component = internal::image_component(*image, "dockerfile", directive.where);
      component.attributes["stage"] = "syntax";
      out.components.push_back(std::move(component));
    } else {
      out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.dockerfile.bad_image",
                                                "not an image reference: '" + directive.value + "'", directive.where));
    }
  }
  std::unordered_map<std::string, std::string> global_args;
  std::map<std::string, int> global_arg_lines;  // where each global ARG's default is written
  std::set<std::string> stages;
  bool seen_from = false;
  int stage_index = 0;
  for (const LogicalLine& instruction : dockerfile_instructions(text, escape)) {
    std::vector<Token> tokens = tokenize(instruction.text);
    if (tokens.empty()) continue;
    std::string keyword = internal::to_lower(tokens[0].text);
    if (keyword == "arg") {
      if (!seen_from) {  // only global ARGs are visible to FROM
        read_arg(tokens, global_args);
        for (size_t i = 1; i < tokens.size(); ++i) {
          size_t equals = tokens[i].text.find('=');
          if (equals != std::string::npos) {
            global_arg_lines[tokens[i].text.substr(0, equals)] = instruction.locate(path, tokens[i].offset).line;
          }
        }
      }
      continue;
    }
    bool is_from = keyword == "from";
    bool is_copy_from = (keyword == "copy" || keyword == "add");
    if (!is_from && !is_copy_from) continue;
    std::string platform;
    Token copy_from;
    const Token* image_token = nullptr;
    std::string alias;
    for (size_t i = 1; i < tokens.size(); ++i) {
      const std::string& token = tokens[i].text;
      if (token.rfind("--", 0) == 0) {
        if (token.rfind("--platform=", 0) == 0) platform = token.substr(11);
        if (is_copy_from && token.rfind("--from=", 0) == 0) {
          copy_from = Token{token.substr(7), tokens[i].offset + 7};
          image_token = &copy_from;
        }
        continue;
      }
      if (is_from && !image_token) {
        image_token = &tokens[i];
      } else if (is_from && internal::iequals(token, "as") && i + 1 < tokens.size()) {
        alias = internal::to_lower(tokens[i + 1].text);
        break;
      }
    }
    if (is_copy_from && !image_token) continue;
    if (!image_token) {
      out.diagnostics.push_back(make_diagnostic(Severity::kError, "uprank.dockerfile.syntax", "FROM without an image",
                                                instruction.locate(path, tokens[0].offset)));
      continue;
    }
    SourceLocation where = instruction.locate(path, image_token->offset);
    if (is_from) {
      seen_from = true;
      ++stage_index;
    }
    bool unresolved = false;
    std::string reference = substitute(image_token->text, global_args, unresolved);
    std::string lowered = internal::to_lower(reference);
    bool references_stage = stages.count(lowered) != 0 ||
                            (is_copy_from && !reference.empty() && reference.find_first_not_of("0123456789") == std::string::npos);
    if (!alias.empty()) stages.insert(alias);
    if (references_stage || lowered == "scratch") continue;
    if (unresolved) {
      out.diagnostics.push_back(make_diagnostic(Severity::kNote, "uprank.dockerfile.unresolved",
                                                "image '" + image_token->text + "' uses an ARG without a default; skipped", where));
      continue;
    }
    auto image = internal::parse_image_reference(reference);
    if (!image) {
      out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.dockerfile.bad_image",
                                                "not an image reference: '" + reference + "'", where));
      continue;
    }
    Component component = internal::image_component(*image, "dockerfile", where);
    component.attributes["stage"] = is_from ? (alias.empty() ? std::to_string(stage_index - 1) : alias) : "copy --from";
    if (!platform.empty()) component.attributes["platform"] = platform;
    if (reference != image_token->text) {
      component.attributes["written"] = image_token->text;
      // The version may be written on an ARG line: bumping `ARG V=1.2` changes this pin.
      std::set<int> used;
      for (const auto& [name, line] : global_arg_lines) {
        const std::string& written = image_token->text;
        if (written.find("${" + name + "}") != std::string::npos || written.find("${" + name + ":") != std::string::npos ||
            uses_plain_variable(written, name)) {
          used.insert(line);
        }
      }
      std::string lines;
      for (int line : used) lines += (lines.empty() ? "" : ",") + std::to_string(line);
      if (!lines.empty()) component.attributes[std::string(kVersionLinesAttribute)] = lines;
    }
    out.components.push_back(std::move(component));
  }
  internal::make_names_unique(out.components, 0);
  return out;
}

Inventory read_version_file(Format format, std::string_view text, const std::string& path, const ReadOptions&) {
  Inventory out;
  int line_number = 0;
  for (std::string_view line : internal::split_lines(text)) {
    ++line_number;
    std::string_view content = line.substr(0, line.find('#'));
    std::string_view stripped = trim(content);
    if (stripped.empty()) continue;
    std::vector<Token> tokens = tokenize(stripped);
    size_t indent = static_cast<size_t>(stripped.data() - line.data());
    auto column = [&](const Token& token) { return static_cast<int>(indent + token.offset + 1); };
    switch (format) {
      case Format::kToolVersions: {
        if (tokens.size() < 2) {
          out.diagnostics.push_back(make_diagnostic(Severity::kWarning, "uprank.tool_versions.syntax",
                                                    "expected 'tool version'", SourceLocation{path, line_number, 1}));
          continue;
        }
        Component component = tool_component(tokens[0].text, tokens[1].text,
                                              SourceLocation{path, line_number, column(tokens[1])}, "tool-versions");
        split_flavour(component);
        for (size_t i = 2; i < tokens.size(); ++i) component.attributes["fallback." + std::to_string(i - 1)] = tokens[i].text;
        out.components.push_back(std::move(component));
        continue;
      }
      case Format::kNvmrc:
        out.components.push_back(tool_component("nodejs", tokens[0].text,
                                                SourceLocation{path, line_number, column(tokens[0])}, "nvmrc"));
        return out;
      case Format::kPythonVersion:
        out.components.push_back(tool_component("python", tokens[0].text,
                                                SourceLocation{path, line_number, column(tokens[0])}, "python-version"));
        return out;  // pyenv: the first line is the active version
      case Format::kTerraformVersion:
        out.components.push_back(tool_component("terraform", tokens[0].text,
                                                SourceLocation{path, line_number, column(tokens[0])}, "terraform-version"));
        return out;
      default:
        return out;
    }
  }
  return out;
}

}  // namespace uprank::inventory
