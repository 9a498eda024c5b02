// Shared by the report writers, not part of the report library's interface: how the
// evidence records read the facts they point to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/base/date.h"
#include "engine/facts/cvss.h"
#include "engine/facts/facts.h"

namespace uprank::report::internal {

// Percent-encodes a path for a URI reference or a Markdown link destination (RFC 3986
// path): unreserved characters and '/' stay, every other byte (spaces, parentheses, '#',
// '%', non-ASCII) becomes %XX.
inline std::string uri_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto byte = static_cast<unsigned char>(ch);
    bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
                      std::string_view("/-._~").find(ch) != std::string_view::npos;
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

// Returns the version, base score and rating of the CVSS vector the advisory's score was
// computed from (facts::preferred_cvss chose it), or nullopt when it has none or it does
// not score.
inline std::optional<facts::CvssScore> advisory_cvss(const facts::Advisory& advisory) {
  if (advisory.cvss_vector.empty()) return std::nullopt;
  auto score = facts::cvss_base_score(advisory.cvss_vector);
  if (!score.ok()) return std::nullopt;
  return score.value();
}

// Returns the vector without its "CVSS:3.1/" prefix, once the version is shown apart, and
// without metrics set to X ("Not Defined", which CVSS 4.0 vectors often spell out for all
// 21 optional metrics): the table shows what was assessed. JSON keeps the vector whole.
inline std::string cvss_metrics(std::string_view vector) {
  if (vector.starts_with("CVSS:")) {
    size_t slash = vector.find('/');
    if (slash != std::string_view::npos) vector.remove_prefix(slash + 1);
  }
  std::string out;
  while (!vector.empty()) {
    size_t slash = vector.find('/');
    std::string_view metric = vector.substr(0, slash);
    if (!metric.ends_with(":X")) {
      if (!out.empty()) out += '/';
      out += metric;
    }
    if (slash == std::string_view::npos) break;
    vector.remove_prefix(slash + 1);
  }
  return out;
}

// Returns whether a support phase is over on `today`: its date has passed (the phase
// lasts through that day, as EolCycle::security_ended reads it), or the data marks it
// ended without a date.
inline bool phase_ended(bool ended_flag, const std::optional<Date>& ends, Date today) {
  return ended_flag || (ends && today > *ends);
}

}  // namespace uprank::report::internal
