// internal::JsonOut against the reference it must match byte for byte: nlohmann's
// ordered_json::dump(2, ' ', false, replace) of the same document, or dump(-1) compact.
#include "engine/report/json_out.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace uprank::report {
namespace {

using Json = nlohmann::ordered_json;

std::string reference(const Json& document) { return document.dump(2, ' ', false, Json::error_handler_t::replace); }

// Writes `document` through JsonOut, value by value, as the report writer does.
void stream(internal::JsonOut& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      out.begin_object();
      for (const auto& [key, item] : value.items()) {
        out.key(key);
        stream(out, item);
      }
      out.end_object();
      return;
    case Json::value_t::array:
      out.begin_array();
      for (const Json& item : value) stream(out, item);
      out.end_array();
      return;
    case Json::value_t::null: return out.null();
    case Json::value_t::boolean: return out.boolean(value.get<bool>());
    case Json::value_t::string: return out.string(value.get_ref<const std::string&>());
    case Json::value_t::number_integer: return out.integer(value.get<int64_t>());
    case Json::value_t::number_unsigned: return out.integer(value.get<uint64_t>());
    case Json::value_t::number_float: return out.number(value.get<double>());
    default: FAIL() << "unexpected value";
  }
}

std::string streamed(const Json& document, bool compact = false) {
  StringSink sink;
  {
    internal::JsonOut out(sink, compact);
    stream(out, document);
  }
  return sink.text;
}

TEST(JsonOut, WritesWhatDumpWrites) {
  const Json documents[] = {
      Json::object(),
      Json::array(),
      Json(nullptr),
      Json("plain"),
      Json{{"a", Json::array()}, {"b", Json::object()}, {"c", nullptr}, {"d", true}, {"e", false}},
      Json{{"nested", Json{{"deeper", Json::array({1, Json::array(), Json::object(), Json::array({Json::object({{"x", 1}})})})}}}},
      // Integers of both signs, whole and fractional doubles, tiny and huge magnitudes,
      // and what dump() prints as null (not finite).
      Json::array({0, -7, 42u, 18446744073709551615ull, 7.0, 0.5, 9.8, 0.1 + 0.2, 1e-7, 1.5e300, -0.0,
                   std::numeric_limits<double>::infinity(), std::nan("")}),
      // Strings dump() escapes: quotes, backslashes, control characters, DEL (kept), '/'
      // (kept), UTF-8 (kept), and invalid UTF-8 (replaced by U+FFFD).
      Json{{"quote\"key", "say \"hi\""}, {"back\\slash", "C:\\dir"}, {"controls", std::string("a\tb\nc\rd\be\ff\x01g\x1f", 14)},
           {"del", "x\x7fy"}, {"slash", "a/b"}, {"utf8", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x94\x92"},
           {"invalid", "bad \xff\xfe byte \xc3 end"}, {"", ""}},
  };
  for (const Json& document : documents) {
    EXPECT_EQ(streamed(document), reference(document)) << reference(document);
    // Compact, as dump(-1) writes it (the history record's form).
    EXPECT_EQ(streamed(document, true), document.dump(-1, ' ', false, Json::error_handler_t::replace)) << reference(document);
  }
}

// A value handed over built (JsonOut::json) is indented to where it stands.
TEST(JsonOut, IndentsABuiltValueToItsPlace) {
  Json inner{{"list", Json::array({1, 2})}, {"empty", Json::object()}};
  Json document{{"outer", Json::array({inner, Json::object({{"k", inner}})})}};
  StringSink sink;
  {
    internal::JsonOut out(sink);
    out.begin_object();
    out.key("outer");
    out.begin_array();
    out.json(inner);
    out.begin_object();
    out.key("k");
    out.json(inner);
    out.end_object();
    out.end_array();
    out.end_object();
  }
  EXPECT_EQ(sink.text, reference(document));
}

}  // namespace
}  // namespace uprank::report
