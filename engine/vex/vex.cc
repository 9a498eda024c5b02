#include "engine/vex/vex.h"

#include <limits>

#include "engine/files/files.h"
#include "engine/vex/internal.h"

namespace uprank::vex {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::kNotAffected: return "not_affected";
    case Status::kAffected: return "affected";
    case Status::kFixed: return "fixed";
    case Status::kUnderInvestigation: return "under_investigation";
  }
  return "";
}

namespace internal {

namespace {
struct TooDeep {};
}  // namespace

Result<nlohmann::json> parse_bounded(std::string_view text, const std::string& path, const Limits& limits) {
  if (text.size() > limits.max_bytes) {
    return error_at("uprank.vex.too_large", path, "$",
                    "larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  // nlohmann reports nesting through the callback's depth; stop at the first level too deep
  // rather than build a tree that recursion later walks.
  auto bounded = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > limits.max_depth) throw TooDeep{};
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), bounded);
  } catch (const TooDeep&) {
    return error_at("uprank.vex.too_large", path, "$", "nested deeper than " + std::to_string(limits.max_depth) + " levels");
  } catch (const nlohmann::json::exception& e) {
    return error_at("uprank.vex.syntax", path, "$", std::string("not valid JSON: ") + e.what());
  }
}

std::string string_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

Error error_at(std::string code, const std::string& file, const std::string& json_path, const std::string& message) {
  return make_error(std::move(code), json_path + ": " + message, SourceLocation{file, 0, 0});
}

}  // namespace internal

Result<Document> read_vex_file(const std::string& path, const Limits& limits) {
  // One bounded reader for every input: a FIFO, device or directory is refused, not waited on.
  auto read = files::read_regular_file(path, limits.max_bytes);
  if (!read.ok()) {
    const bool too_large = read.error().code == "uprank.file.too_large";
    return make_error(too_large ? "uprank.vex.too_large" : "uprank.vex.unreadable", read.error().message, SourceLocation{path, 0, 0});
  }
  return read_vex_text(*read, path, limits);
}

Result<Document> read_vex_text(const std::string& text, const std::string& path, const Limits& limits) {
  // Told apart by the members each format requires, without a second parse.
  std::string_view head(text.data(), std::min<size_t>(text.size(), 4096));
  if (text.find("\"bomFormat\"") != std::string::npos && head.find("openvex") == std::string_view::npos) {
    return read_cyclonedx_vex(text, path, false, limits);
  }
  return read_openvex(text, path, limits);
}

Result<int64_t> parse_timestamp(std::string_view text) {
  auto bad = [&] {
    return make_error("uprank.vex.bad_timestamp", "'" + std::string(text) + "' is not an RFC 3339 timestamp");
  };
  auto digits = [&](size_t at, size_t count, int& out) {
    if (at + count > text.size()) return false;
    out = 0;
    for (size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, year) || text.size() < 19 || text[4] != '-' || !digits(5, 2, month) || text[7] != '-' ||
      !digits(8, 2, day) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(11, 2, hour) ||
      text[13] != ':' || !digits(14, 2, minute) || text[16] != ':' || !digits(17, 2, second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad();
  size_t at = 19;
  int64_t nanos = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int64_t scale = 100'000'000;
    size_t begin = at;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      nanos += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (at == begin) return bad();
  }
  int offset_minutes = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int oh, om;
    if (!digits(at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' || !digits(at + 4, 2, om)) return bad();
    offset_minutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return bad();
  }
  if (at != text.size()) return bad();
  // Days from the civil date (H. Hinnant's days_from_civil).
  int y = year - (month <= 2);
  int era = y / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  // Nanoseconds in an int64 reach from 1677 to 2262; a timestamp outside (RFC 3339 allows
  // years 0000-9999) cannot be compared here and is refused rather than overflowed.
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (seconds > kLimit || seconds < -kLimit) return bad();
  return seconds * 1'000'000'000 + nanos;
}

}  // namespace uprank::vex
