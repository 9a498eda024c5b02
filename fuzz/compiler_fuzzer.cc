// Fuzzes rule files through the whole front end: parse, then (when the file parses) every
// compiler pass, the program dump and diagnostic rendering. Any crash, leak or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/diagnostic.h"
#include "engine/compiler/compiler.h"
#include "grammar/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uprank;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  grammar::ParseResult parsed = grammar::parse_file(text, "fuzz.upr");
  for (const Diagnostic& diagnostic : parsed.diagnostics) (void)render_diagnostic(diagnostic, text);
  if (has_errors(parsed.diagnostics)) return 0;
  std::vector<ast::File> files;
  files.push_back(std::move(parsed.file));
  compiler::CompileResult compiled = compiler::compile(files);
  for (const Diagnostic& diagnostic : compiled.diagnostics) (void)render_diagnostic(diagnostic, text);
  if (compiled.program) {
    compiler::CompileOptions options;
    options.dump_after = "plan";
    (void)compiler::compile(files, options);
  }
  return 0;
}
