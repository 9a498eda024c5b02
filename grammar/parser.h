// The rule-language front end: source text in, syntax tree and diagnostics out.
// ANTLR is an implementation detail of this folder and never appears in its API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ast/ast.h"
#include "engine/base/diagnostic.h"

namespace uprank::grammar {

struct ParseOptions {
  size_t max_file_bytes = 1u << 20;  // rule files are policy, not data
  int max_nesting = 64;              // brackets, prefix operators and conditionals
  int max_errors = 25;               // stop reporting after this many syntax errors
};

struct ParseResult {
  ast::File file;
  std::vector<Diagnostic> diagnostics;  // sorted by position
};

// Parses one rule file. Never throws; every problem is a diagnostic with a position.
ParseResult parse_file(std::string_view text, const std::string& path, const ParseOptions& options = {});

// A rule file as read from disk, kept for rendering diagnostics with source lines.
struct SourceFile {
  std::string path;
  std::string text;
};

// Parses several files on all cores; results come back in the order of `sources`.
std::vector<ParseResult> parse_files(const std::vector<SourceFile>& sources, const ParseOptions& options = {});

struct LoadResult {
  std::vector<SourceFile> sources;
  std::vector<ast::File> files;
  std::vector<Diagnostic> diagnostics;
};

// Expands `paths` into rule files: directories are walked recursively for `.upr` files,
// sorted by path; other existing paths are kept as given ("-" too). A path that does not
// exist adds a diagnostic.
std::vector<std::string> find_rule_files(const std::vector<std::string>& paths, std::vector<Diagnostic>& diagnostics);

// Reads and parses every `.upr` file at `paths` (directories are walked recursively,
// files sorted by path so results never depend on directory order). Files are named by
// the path they were found at.
LoadResult load_rule_files(const std::vector<std::string>& paths, const ParseOptions& options = {});

// A rule file or folder to load, and the name diagnostics and findings give it. A file
// found below a folder is named `shown_as/<its path below the folder>`, so the shipped
// packs read as `uprank/eol/eol.upr` wherever they are installed. An empty `shown_as`
// names files by the path they were found at.
struct RuleRoot {
  std::string path;
  std::string shown_as;
};

// Loads every rule file below `roots`, in the order of `roots` (files of one folder sorted
// by path), each named as its root says. A missing root is a diagnostic naming `path`.
LoadResult load_rule_roots(const std::vector<RuleRoot>& roots, const ParseOptions& options = {});

}  // namespace uprank::grammar
