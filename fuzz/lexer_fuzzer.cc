// Differential fuzzing: on any valid UTF-8 input the hand-written lexer must produce the
// token stream of the lexer ANTLR generates from Uprank.g4.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "grammar/lexer.h"
#include "tests/grammar/lexer_reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > 4096 || uprank::grammar::check_utf8(text, "")) return 0;
  std::string ours = uprank::grammar::testing::hand_written_tokens(text);
  std::string reference = uprank::grammar::testing::reference_tokens(text);
  if (ours != reference) {
    std::fprintf(stderr, "hand-written:\n%s\ngenerated:\n%s\n", ours.c_str(), reference.c_str());
    std::abort();
  }
  return 0;
}
