#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "grammar/lexer.h"
#include "tests/grammar/lexer_reference.h"

namespace uprank::grammar {
namespace {

using testing::hand_written_tokens;
using testing::reference_tokens;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(Lexer, AgreesWithTheGeneratedLexerOnEveryRuleFileInTheRepository) {
  size_t files = 0;
  // Rule files, the docs (prose is good noise) and every fuzz seed, whatever its name.
  const std::pair<const char*, bool> folders[] = {
      {"rules", false}, {"tests", false}, {"docs", false}, {"fuzz/corpus/compiler", true}, {"fuzz/corpus/formatter", true}};
  for (const auto& [folder, every_file] : folders) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(UPRANK_SOURCE_DIR) / folder)) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || !(every_file || extension == ".upr" || extension == ".md")) continue;
      std::string text = read(entry.path());
      if (check_utf8(text, "")) continue;
      ++files;
      ASSERT_EQ(hand_written_tokens(text), reference_tokens(text)) << entry.path();
    }
  }
  EXPECT_GT(files, 100u);
}

TEST(Lexer, AgreesWithTheGeneratedLexerOnEdgeCases) {
  const char* cases[] = {
      "", "rule", "rules", "_x9", "9x", "2024-01-01", "2024-01-1", "12345-01-01", "2024-01-01d", "90d", "6w",
      "90days", "1.5", "1.", "1.5.3", "5.5d", ".5", "\"a\"", "\"a", "\"a\\\"b\"", "\"\\", "\"a\\\nb\"", "\"a\nb\"",
      "\"a{b}c\"", "\"é{c.name}\" + x", "x ~ /a\\/b/i", "x ~ /ab", "a / b / c", "(/x/)", "[/x/, /y/ims]", "//",
      "x = /a/ims1", "/a/", "not /a/", "a ~/b/mx", "a!~/b/", "!", "!=", "!~", "==", "=>", "=", "<=", "<", ">=", ">",
      "# comment\r\nrule", "\r\r\n\t x", "a.b.c(d, e: f)", "é", "x é y", "\"é\" é", "😀 rule", "\xE2\x82\xAC",
      "\xEF\xBB\xBFrule x", "a \xEF\xBB\xBF b", "\xEF\xBB\xBF", "\xEF\xBB\xBF\xEF\xBB\xBFx",
      "-1", "a-b", "a--b", "$", "@", "`", "\\", "{}", "x /* y */", "when /a/", "where c.name ~ /^svc-[0-9]*1-a$/",
  };
  for (const char* text : cases) EXPECT_EQ(hand_written_tokens(text), reference_tokens(text)) << text;
  std::string with_nul("a\0\"b\0\"", 6);
  EXPECT_EQ(hand_written_tokens(with_nul), reference_tokens(with_nul));
}

TEST(Lexer, AgreesWithTheGeneratedLexerOnRandomText) {
  const std::vector<std::string> pieces = {
      "\"", "\\", "/", "{", "}", "(", ")", "[", "]", "=", "!", "<", ">", "~", "-", "+", "*", "%", ".", ",", ":",
      "#", "\n", "\r", " ", "\t", "0", "7", "2024-05-06", "1.5", "d", "w", "i", "m", "s", "x", "_", "rule", "when",
      "where", "and", "not", "é", "€", "😀", "a1", "in", "==", "=>", "!~", "\\\"", "\\n"};
  std::mt19937 random(20261121);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    size_t length = random() % 24;
    for (size_t i = 0; i < length; ++i) text += pieces[random() % pieces.size()];
    ASSERT_EQ(hand_written_tokens(text), reference_tokens(text)) << "input: " << text;
  }
}

TEST(Lexer, RejectsMalformedUtf8WithItsPosition) {
  EXPECT_FALSE(check_utf8("rule é € 😀 {}", "ok.upr"));
  struct Case {
    std::string text;
    int line;
    int column;
    const char* byte;
  };
  const Case cases[] = {
      {"rule a {\n  title \"x\xff\"\n}", 2, 11, "0xFF"},
      {"é\xc3", 1, 2, "0xC3"},                     // truncated sequence
      {"\xc0\x80", 1, 1, "0xC0"},                  // overlong NUL
      {"ab\xe0\x80\xaf", 1, 3, "0xE0"},             // overlong '/'
      {"\xed\xa0\x80", 1, 1, "0xED"},              // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 1, 1, "0xF4"},          // past U+10FFFF
      {"\n\n\x80", 3, 1, "0x80"},                  // stray continuation byte
  };
  for (const Case& c : cases) {
    std::optional<Diagnostic> error = check_utf8(c.text, "bad.upr");
    ASSERT_TRUE(error) << c.text;
    EXPECT_EQ(error->code, "uprank.bad_encoding");
    EXPECT_EQ(error->range.begin.line, c.line) << c.text;
    EXPECT_EQ(error->range.begin.column, c.column) << c.text;
    EXPECT_NE(error->message.find(c.byte), std::string::npos) << error->message;
  }
}

}  // namespace
}  // namespace uprank::grammar
