#include "engine/base/terminal_text.h"

#include <gtest/gtest.h>

namespace uprank {
namespace {

TEST(EscapeForTerminal, KeepsPlainTextAndUtf8) {
  EXPECT_EQ(escape_for_terminal("nginx 1.25 — ok\tü 日本"), "nginx 1.25 — ok\tü 日本");
}

TEST(EscapeForTerminal, ShowsC0ControlsAndDel) {
  EXPECT_EQ(escape_for_terminal("a\x1b[31mred\r\x7f"), "a\\x1b[31mred\\x0d\\x7f");
  EXPECT_EQ(escape_for_terminal("one\ntwo"), "one\\x0atwo");
  EXPECT_EQ(escape_for_terminal("one\ntwo", true), "one\ntwo");
}

TEST(EscapeForTerminal, ShowsC1ControlsAndBidiOverrides) {
  EXPECT_EQ(escape_for_terminal("\xc2\x9b" "31m"), "\\u{009B}31m");  // 8-bit CSI
  EXPECT_EQ(escape_for_terminal("x\xe2\x80\xaey"), "x\\u{202E}y");   // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(escape_for_terminal("\xe2\x81\xa6"), "\\u{2066}");       // LEFT-TO-RIGHT ISOLATE
}

TEST(EscapeForTerminal, ShowsBytesThatAreNotUtf8) {
  EXPECT_EQ(escape_for_terminal("caf\xe9"), "caf\\xe9");             // Latin-1
  EXPECT_EQ(escape_for_terminal("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(escape_for_terminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(escape_for_terminal("\xe2\x80"), "\\xe2\\x80");          // cut short
}

}  // namespace
}  // namespace uprank
