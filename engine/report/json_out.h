// A JSON writer that streams what nlohmann's dump(2) (or dump(-1)) would write for the same
// document; internal to the report writers (json_writer.cc) and the history record
// (engine/history), and tested against dump().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/base/date.h"
#include "engine/base/sink.h"

namespace uprank::report::internal {

// Writes JSON as it is produced, byte for byte as nlohmann::ordered_json::dump(2, ' ',
// false, replace) writes the same document (the JSON report's format): two spaces per
// level, `"key": value`, `[]` and `{}` when empty, strings escaped as dump escapes them
// (invalid UTF-8 replaced), numbers as dump prints them. A fleet report's components are
// most of its bytes (half a gigabyte for 100,000 of them); building an ordered_json per
// component to dump it took about four times as long as writing the values straight out.
// Members are written in the order given: to match a nlohmann::json (std::map) document,
// give them in its sorted order.
class JsonOut {
 public:
  using Json = nlohmann::ordered_json;

  // `compact`: as dump(-1) writes instead, no whitespace at all.
  explicit JsonOut(Sink& out, bool compact = false) : out_(out), compact_(compact) {}
  ~JsonOut() { flush(); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // Starts a member of the object being written; its value follows.
  void key(std::string_view name) {
    next_item();
    escaped(name);
    buffer_ += compact_ ? ":" : ": ";
    after_key_ = true;
  }

  void null() { start_value(); buffer_ += "null"; }
  void boolean(bool value) { start_value(); buffer_ += value ? "true" : "false"; }
  void string(std::string_view text) { start_value(); escaped(text); }
  void string_or_null(std::string_view text) { text.empty() ? null() : string(text); }
  void date_or_null(const std::optional<Date>& date) { date ? string(date->to_string()) : null(); }
  template <typename Integer>
    requires std::is_integral_v<Integer> && (!std::is_same_v<Integer, bool>)
  void integer(Integer value) {
    start_value();
    buffer_ += std::to_string(value);
  }
  // A floating-point number, printed by the library (its shortest round-trip form, "7.0"
  // for a whole number, null when not finite).
  void number(double value) {
    start_value();
    buffer_ += Json(value).dump();
  }
  // A value built as a json object: dumped and indented to where it stands.
  void json(const Json& value) {
    start_value();
    std::string text = value.dump(compact_ ? -1 : 2, ' ', false, Json::error_handler_t::replace);
    size_t from = 0;
    for (size_t at; (at = text.find('\n', from)) != std::string::npos; from = at + 1) {
      buffer_.append(text, from, at + 1 - from);
      buffer_.append(indent_, ' ');
    }
    buffer_.append(text, from);
  }

  // Ends the document's last line.
  void newline() { buffer_ += '\n'; }
  // Hands what is buffered to the sink.
  void flush() {
    if (!buffer_.empty()) out_.write(buffer_);
    buffer_.clear();
  }

 private:
  void open(char bracket) {
    start_value();
    buffer_ += bracket;
    empty_.push_back(true);
    indent_ += 2;
  }
  void close(char bracket) {
    indent_ -= 2;
    if (!empty_.back() && !compact_) {
      buffer_ += '\n';
      buffer_.append(indent_, ' ');
    }
    buffer_ += bracket;
    empty_.pop_back();
    if (buffer_.size() >= kFlushAt) flush();
  }
  // Before an array item or an object member: the separator and the indentation.
  void next_item() {
    if (compact_) {
      if (!empty_.back()) buffer_ += ',';
      empty_.back() = false;
      return;
    }
    buffer_ += empty_.back() ? "\n" : ",\n";
    empty_.back() = false;
    buffer_.append(indent_, ' ');
  }
  // Before a value: an array item starts a line; a member's value follows its key.
  void start_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!empty_.empty()) next_item();
  }

  // Plain ASCII text is written as it is; anything dump() would escape or check (quotes,
  // backslashes, control characters, bytes of UTF-8 sequences) goes through dump().
  void escaped(std::string_view text) {
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') {
        buffer_ += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
      }
    }
    buffer_ += '"';
    buffer_.append(text);
    buffer_ += '"';
  }

  static constexpr size_t kFlushAt = 1 << 20;
  Sink& out_;
  const bool compact_;
  std::string buffer_;
  std::vector<bool> empty_;  // per open array or object: nothing written in it yet
  size_t indent_ = 0;
  bool after_key_ = false;  // a member's key is written, its value not yet
};

}  // namespace uprank::report::internal
