// CVSS v2, v3.0, v3.1 and v4.0 base scores computed from vector strings, exactly as FIRST
// specifies them, since OSV, CSAF and rule files give only the vector.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/result.h"

namespace uprank::facts {

enum class CvssVersion { kV2, kV3_0, kV3_1, kV4_0 };

// The qualitative severity rating of a score. v3.x and v4.0 follow their specifications
// (v3.1 section 5, v4.0 section 6): None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9,
// Critical 9.0-10.0. The v2 guide defines no rating; v2 uses NVD's scale: Low 0.0-3.9,
// Medium 4.0-6.9, High 7.0-10.0 (never None or Critical).
enum class CvssRating { kNone, kLow, kMedium, kHigh, kCritical };

struct CvssScore {
  CvssVersion version = CvssVersion::kV3_1;
  double base = 0.0;  // 0.0 to 10.0, one decimal, exactly as the FIRST calculators print it
  CvssRating rating = CvssRating::kNone;
};

// Returns the base score of one CVSS vector, its version taken from the vector's prefix:
//   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"  v4.0, spec section 8
//   "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"                   v3.1, spec section 7.1
//   "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"                   v3.0, spec section 8.1
//   "AV:N/AC:L/Au:N/C:P/I:P/A:P"   (no "CVSS:" prefix)               v2, guide section 3.2.1
// Every base metric must be present once with a defined value; threat, temporal,
// environmental and supplemental metrics may appear (once each, with a value the version
// defines) in any order, and do not change the base score. For v4.0 the score is CVSS-B:
// the MacroVector lookup and severity-distance interpolation with threat and
// environmental metrics at their "X" defaults. v3.0 rounds up with ceil(x * 10) / 10; v3.1
// with Appendix A's Roundup, so a few vectors score 0.1 apart between the two.
// Errors (codes are stable): uprank.cvss.bad_prefix (a "CVSS:" prefix of another version),
// uprank.cvss.malformed (empty part, part without "NAME:VALUE", too long),
// uprank.cvss.unknown_metric, uprank.cvss.duplicate_metric, uprank.cvss.bad_value (a value
// the metric does not define, or "X"/"ND" for a base metric), uprank.cvss.missing_metric.
Result<CvssScore> cvss_base_score(std::string_view vector);

// Returns the rating of `score` on the scale of `version` (see CvssRating).
CvssRating cvss_rating(CvssVersion version, double score);

std::string_view cvss_version_name(CvssVersion version);  // "2.0", "3.0", "3.1", "4.0"
std::string_view cvss_rating_name(CvssRating rating);     // "NONE", "LOW", ..., "CRITICAL"

// The vector an advisory's score was computed from.
struct CvssChoice {
  CvssScore score;
  std::string vector;
};

// Returns the score of the preferred valid vector among OSV-style {type, vector} severity
// entries (types starting with "CVSS"; the version comes from the vector itself), or
// nullopt when none is valid. Preference: v3.1, then v3.0, then v4.0, then v2, the first
// such entry winning on a tie. v3.1 leads because NVD, GitHub and most vendors still rank
// by it and uprank's rule thresholds (cvss >= 7, >= 9) were written against it; v4.0 is
// used when a source gives no v3 vector (new CNAs often give only v4.0).
std::optional<CvssChoice> preferred_cvss(const std::vector<std::pair<std::string, std::string>>& severity);

}  // namespace uprank::facts
