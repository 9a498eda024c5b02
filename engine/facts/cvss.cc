#include "engine/facts/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "engine/facts/cvss_internal.h"

namespace uprank::facts {
namespace {

// One metric of a version's vector: its abbreviation and its values, space-separated, in
// the order the scoring code indexes them. Base metrics come first in each table.
struct MetricSpec {
  std::string_view name;
  std::string_view values;
  bool base;
};

// CVSS v2 guide, section 2.4 (Table 13).
constexpr MetricSpec kV2[] = {
    {"AV", "L A N", true}, {"AC", "H M L", true}, {"Au", "M S N", true}, {"C", "N P C", true},
    {"I", "N P C", true}, {"A", "N P C", true}, {"E", "U POC F H ND", false}, {"RL", "OF TF W U ND", false},
    {"RC", "UC UR C ND", false}, {"CDP", "N L LM MH H ND", false}, {"TD", "N L M H ND", false},
    {"CR", "L M H ND", false}, {"IR", "L M H ND", false}, {"AR", "L M H ND", false},
};

// CVSS v3.0 and v3.1 specifications, section 6 (Table 15).
constexpr MetricSpec kV3[] = {
    {"AV", "N A L P", true}, {"AC", "L H", true}, {"PR", "N L H", true}, {"UI", "N R", true},
    {"S", "U C", true}, {"C", "H L N", true}, {"I", "H L N", true}, {"A", "H L N", true},
    {"E", "X U P F H", false}, {"RL", "X O T W U", false}, {"RC", "X U R C", false},
    {"CR", "X L M H", false}, {"IR", "X L M H", false}, {"AR", "X L M H", false},
    {"MAV", "X N A L P", false}, {"MAC", "X L H", false}, {"MPR", "X N L H", false}, {"MUI", "X N R", false},
    {"MS", "X U C", false}, {"MC", "X N L H", false}, {"MI", "X N L H", false}, {"MA", "X N L H", false},
};

// CVSS v4.0 specification, section 7 (Table 23).
constexpr MetricSpec kV4[] = {
    {"AV", "N A L P", true}, {"AC", "L H", true}, {"AT", "N P", true}, {"PR", "N L H", true},
    {"UI", "N P A", true}, {"VC", "H L N", true}, {"VI", "H L N", true}, {"VA", "H L N", true},
    {"SC", "H L N", true}, {"SI", "H L N", true}, {"SA", "H L N", true},
    {"E", "X A P U", false}, {"CR", "X H M L", false}, {"IR", "X H M L", false}, {"AR", "X H M L", false},
    {"MAV", "X N A L P", false}, {"MAC", "X L H", false}, {"MAT", "X N P", false}, {"MPR", "X N L H", false},
    {"MUI", "X N P A", false}, {"MVC", "X H L N", false}, {"MVI", "X H L N", false}, {"MVA", "X H L N", false},
    {"MSC", "X H L N", false}, {"MSI", "X S H L N", false}, {"MSA", "X S H L N", false},
    {"S", "X N P", false}, {"AU", "X N Y", false}, {"R", "X A U I", false}, {"V", "X D C", false},
    {"RE", "X L M H", false}, {"U", "X Clear Green Amber Red", false},
};

constexpr size_t kMaxMetrics = std::size(kV4);
constexpr size_t kMaxVectorLength = 512;  // a full v4.0 vector is under 200 characters

// Value indexes of a parsed vector, by position in its version's table; -1 when absent.
using Values = std::array<int8_t, kMaxMetrics>;

// Returns the index of `value` among the space-separated `values`, or -1.
int value_index(std::string_view values, std::string_view value) {
  int index = 0;
  while (!values.empty()) {
    size_t end = values.find(' ');
    if (values.substr(0, end) == value) return index;
    if (end == std::string_view::npos) break;
    values.remove_prefix(end + 1);
    ++index;
  }
  return -1;
}

// Returns `text` in single quotes. Appending to a named string, rather than `"'" + temporary`,
// also keeps GCC 12's -Wrestrict false positive on string concatenation away.
std::string quoted(std::string_view text) {
  std::string out = "'";
  out += text;
  out += '\'';
  return out;
}

Error cvss_error(std::string code, std::string_view vector, std::string why) {
  std::string message = quoted(vector);
  message += " is not a valid CVSS vector: ";
  message += why;
  return make_error("uprank.cvss." + std::move(code), std::move(message));
}

// Splits `body` ("NAME:VALUE/NAME:VALUE...") against `table` into value indexes.
Result<Values> parse_metrics(std::string_view vector, std::string_view body, std::span<const MetricSpec> table) {
  Values values;
  values.fill(-1);
  if (body.empty()) return cvss_error("missing_metric", vector, "it has no metrics");
  while (true) {
    size_t end = body.find('/');
    std::string_view part = body.substr(0, end);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size()) {
      return cvss_error("malformed", vector, quoted(part) + " is not NAME:VALUE");
    }
    std::string_view name = part.substr(0, colon), value = part.substr(colon + 1);
    auto spec = std::find_if(table.begin(), table.end(), [&](const MetricSpec& m) { return m.name == name; });
    if (spec == table.end()) return cvss_error("unknown_metric", vector, "unknown metric '" + std::string(name) + "'");
    size_t position = static_cast<size_t>(spec - table.begin());
    if (values[position] >= 0) return cvss_error("duplicate_metric", vector, "metric '" + std::string(name) + "' repeats");
    int index = value_index(spec->values, value);
    if (index < 0) {
      return cvss_error("bad_value", vector, quoted(value) + " is not a value of " + std::string(name) +
                                                 " (one of " + std::string(spec->values) + ")");
    }
    values[position] = static_cast<int8_t>(index);
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].base && values[i] < 0) {
      return cvss_error("missing_metric", vector, "base metric '" + std::string(table[i].name) + "' is missing");
    }
  }
  return values;
}

// v3.1 Appendix A Roundup: the smallest one-decimal number >= value, computed on an
// integer so that 4.000000000001 (a float artefact of 4.0) stays 4.0.
double roundup_v31(double value) {
  auto scaled = static_cast<int64_t>(std::llround(value * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return (std::floor(static_cast<double>(scaled) / 10000.0) + 1.0) / 10.0;
}

// v3.0 section 8.1 Round up: ceil(x * 10) / 10, as FIRST's v3.0 calculator does it.
double roundup_v30(double value) { return std::ceil(value * 10.0) / 10.0; }

// v3.0/v3.1 base equations (v3.1 section 7.1, v3.0 section 8.1); table order of kV3.
double v3_base(const Values& v, bool v31) {
  static constexpr double kAttackVector[] = {0.85, 0.62, 0.55, 0.2};
  static constexpr double kComplexity[] = {0.77, 0.44};
  static constexpr double kPrivilegesUnchanged[] = {0.85, 0.62, 0.27};
  static constexpr double kPrivilegesChanged[] = {0.85, 0.68, 0.5};
  static constexpr double kInteraction[] = {0.85, 0.62};
  static constexpr double kImpact[] = {0.56, 0.22, 0.0};
  const bool changed = v[4] == 1;
  double iss = 1.0 - ((1.0 - kImpact[v[5]]) * (1.0 - kImpact[v[6]]) * (1.0 - kImpact[v[7]]));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact <= 0) return 0.0;
  double exploitability = 8.22 * kAttackVector[v[0]] * kComplexity[v[1]] *
                          (changed ? kPrivilegesChanged : kPrivilegesUnchanged)[v[2]] * kInteraction[v[3]];
  double base = changed ? std::min(1.08 * (impact + exploitability), 10.0) : std::min(impact + exploitability, 10.0);
  return v31 ? roundup_v31(base) : roundup_v30(base);
}

// v2 guide section 3.2.1; table order of kV2.
double v2_base(const Values& v) {
  static constexpr double kAccessVector[] = {0.395, 0.646, 1.0};
  static constexpr double kComplexity[] = {0.35, 0.61, 0.71};
  static constexpr double kAuthentication[] = {0.45, 0.56, 0.704};
  static constexpr double kImpact[] = {0.0, 0.275, 0.660};
  double impact = 10.41 * (1 - (1 - kImpact[v[3]]) * (1 - kImpact[v[4]]) * (1 - kImpact[v[5]]));
  double exploitability = 20 * kAccessVector[v[0]] * kComplexity[v[1]] * kAuthentication[v[2]];
  double f_impact = impact == 0 ? 0 : 1.176;
  double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact;
  return std::round(base * 10.0) / 10.0;
}

}  // namespace

Result<CvssScore> cvss_base_score(std::string_view vector) {
  if (vector.size() > kMaxVectorLength) return cvss_error("malformed", vector.substr(0, 40), "it is too long");
  CvssScore score;
  std::span<const MetricSpec> table;
  std::string_view body = vector;
  if (vector.starts_with("CVSS:")) {
    if (vector.starts_with("CVSS:3.1/")) {
      score.version = CvssVersion::kV3_1, table = kV3;
    } else if (vector.starts_with("CVSS:3.0/")) {
      score.version = CvssVersion::kV3_0, table = kV3;
    } else if (vector.starts_with("CVSS:4.0/")) {
      score.version = CvssVersion::kV4_0, table = kV4;
    } else {
      return cvss_error("bad_prefix", vector, "the version must be CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/ (v2 has no prefix)");
    }
    body.remove_prefix(9);
  } else {
    score.version = CvssVersion::kV2, table = kV2;  // the v2 guide's vectors have no prefix
  }
  auto values = parse_metrics(vector, body, table);
  if (!values.ok()) return values.error();
  const Values& v = *values;
  switch (score.version) {
    case CvssVersion::kV2: score.base = v2_base(v); break;
    case CvssVersion::kV3_0: score.base = v3_base(v, false); break;
    case CvssVersion::kV3_1: score.base = v3_base(v, true); break;
    case CvssVersion::kV4_0:
      score.base = internal::cvss4_base_score({v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]});
      break;
  }
  score.rating = cvss_rating(score.version, score.base);
  return score;
}

CvssRating cvss_rating(CvssVersion version, double score) {
  if (version == CvssVersion::kV2) {
    return score < 4.0 ? CvssRating::kLow : score < 7.0 ? CvssRating::kMedium : CvssRating::kHigh;
  }
  if (score == 0.0) return CvssRating::kNone;
  if (score < 4.0) return CvssRating::kLow;
  if (score < 7.0) return CvssRating::kMedium;
  if (score < 9.0) return CvssRating::kHigh;
  return CvssRating::kCritical;
}

std::string_view cvss_version_name(CvssVersion version) {
  switch (version) {
    case CvssVersion::kV2: return "2.0";
    case CvssVersion::kV3_0: return "3.0";
    case CvssVersion::kV3_1: return "3.1";
    case CvssVersion::kV4_0: return "4.0";
  }
  return "";
}

std::string_view cvss_rating_name(CvssRating rating) {
  switch (rating) {
    case CvssRating::kNone: return "NONE";
    case CvssRating::kLow: return "LOW";
    case CvssRating::kMedium: return "MEDIUM";
    case CvssRating::kHigh: return "HIGH";
    case CvssRating::kCritical: return "CRITICAL";
  }
  return "";
}

std::optional<CvssChoice> preferred_cvss(const std::vector<std::pair<std::string, std::string>>& severity) {
  auto rank = [](CvssVersion version) {
    switch (version) {
      case CvssVersion::kV3_1: return 0;
      case CvssVersion::kV3_0: return 1;
      case CvssVersion::kV4_0: return 2;
      case CvssVersion::kV2: return 3;
    }
    return 4;
  };
  std::optional<CvssChoice> best;
  for (const auto& [type, vector] : severity) {
    if (!type.starts_with("CVSS")) continue;
    auto score = cvss_base_score(vector);
    if (!score.ok()) continue;
    if (!best || rank(score->version) < rank(best->score.version)) best = CvssChoice{*score, vector};
  }
  return best;
}

}  // namespace uprank::facts
