// Fuzzes the formatter: it must never crash, and for every file that parses its output
// must parse, be a fixed point, mean the same (equal syntax trees) and keep every comment.
// A broken property aborts, so libFuzzer saves the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "grammar/formatter.h"
#include "grammar/parser.h"
#include "grammar/syntax_text.h"

namespace {

[[noreturn]] void fail(const char* property, const std::string& before, const std::string& after) {
  std::fprintf(stderr, "formatter property broken: %s\n--- input\n%s\n--- formatted\n%s\n", property, before.c_str(),
               after.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uprank::grammar;
  const std::string text(reinterpret_cast<const char*>(data), size);
  FormatResult once = format_file(text, "fuzz.upr");
  if (!once.ok()) return 0;
  FormatResult twice = format_file(once.text, "fuzz.upr");
  if (!twice.ok()) fail("formatted output does not parse", text, once.text);
  if (twice.text != once.text) fail("not idempotent", once.text, twice.text);
  if (syntax_text(parse_file(text, "fuzz.upr").file) != syntax_text(parse_file(once.text, "fuzz.upr").file)) {
    fail("syntax tree changed", text, once.text);
  }
  if (comments_of(text) != comments_of(once.text)) fail("comments changed", text, once.text);
  return 0;
}
