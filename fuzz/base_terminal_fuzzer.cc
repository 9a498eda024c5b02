// Fuzzes the terminal escaping and diagnostic rendering every message goes through: the
// output must never hold a byte a terminal acts on (C0 but tab and newline, DEL, C1,
// bidi controls) nor invalid UTF-8, and one diagnostic's rendering stays bounded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/base/diagnostic.h"
#include "engine/base/terminal_text.h"

namespace {

void check_safe(std::string_view out) {
  for (size_t i = 0; i < out.size(); ++i) {
    auto byte = static_cast<unsigned char>(out[i]);
    if ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7f) std::abort();
    if (byte == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) <= 0x9F) std::abort();  // C1
    if (byte == 0xE2 && i + 2 < out.size()) {
      auto b1 = static_cast<unsigned char>(out[i + 1]), b2 = static_cast<unsigned char>(out[i + 2]);
      if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) std::abort();  // U+202A-U+202E
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) std::abort();  // U+2066-U+2069
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string escaped = uprank::escape_for_terminal(text);
  if (escaped.find('\n') != std::string::npos) std::abort();
  check_safe(escaped);
  int column = size > 0 ? static_cast<int>(data[0]) * 97 : 1;
  uprank::Diagnostic diagnostic = uprank::make_diagnostic(uprank::Severity::kError, "uprank.fuzz", std::string(text),
                                                          uprank::SourceLocation{"fuzz.txt", 1, column});
  std::string rendered = uprank::render_diagnostic(diagnostic, text);
  check_safe(rendered);
  return 0;
}
