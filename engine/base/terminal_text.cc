#include "engine/base/terminal_text.h"

#include <cstdio>

namespace uprank {
namespace {

void append_byte_escape(std::string& out, unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
  out += buffer;
}

// Returns the length of the valid UTF-8 sequence at the start of `text` and its code
// point, or 0 when it is not one (overlong, surrogate, out of range or cut short).
size_t decode_utf8(std::string_view text, char32_t& code_point) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || length > text.size()) return 0;
  code_point = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

bool is_bidi_control(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

}  // namespace

bool is_valid_utf8(std::string_view text) {
  while (!text.empty()) {
    char32_t c = 0;
    size_t length = decode_utf8(text, c);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

std::string escape_for_terminal(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  // Printable ASCII, nearly all of what reports print, is copied a run at a time.
  auto plain = [](char ch) { return (ch >= 0x20 && ch < 0x7F) || ch == '\t'; };
  while (!text.empty()) {
    size_t run = 0;
    while (run < text.size() && plain(text[run])) ++run;
    out.append(text.substr(0, run));
    text.remove_prefix(run);
    if (text.empty()) break;
    char32_t c = 0;
    size_t length = decode_utf8(text, c);
    if (length == 0) {
      append_byte_escape(out, static_cast<unsigned char>(text.front()));
      text.remove_prefix(1);
      continue;
    }
    if ((c < 0x20 && c != '\t' && !(c == '\n' && keep_newlines)) || c == 0x7F) {
      append_byte_escape(out, static_cast<unsigned char>(c));
    } else if ((c >= 0x80 && c <= 0x9F) || is_bidi_control(c)) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "\\u{%04X}", static_cast<unsigned>(c));
      out += buffer;
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

}  // namespace uprank
