// CVSS base scores, ratings, vector errors and the choice among several vectors, by table.
// The exhaustive check against a reference calculator is cvss_differential_test.cc.
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "engine/facts/cvss.h"

namespace uprank::facts {
namespace {

struct ScoreCase {
  std::string vector;
  double score;  // ignored when error is set
  std::string error;  // expected error code, "" when the vector is valid
};

class CvssScoreTest : public testing::TestWithParam<ScoreCase> {};

TEST_P(CvssScoreTest, ScoresOrRejects) {
  const ScoreCase& c = GetParam();
  auto score = cvss_base_score(c.vector);
  if (c.error.empty()) {
    ASSERT_TRUE(score.ok()) << score.error().message;
    EXPECT_EQ(score->base, c.score);
  } else {
    ASSERT_FALSE(score.ok()) << "scored " << score->base;
    EXPECT_EQ(score.error().code, c.error) << score.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, CvssScoreTest,
    testing::Values(
        // v3.1 and v3.0 (scores from FIRST's calculators)
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, ""},  // Log4Shell
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, ""},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, ""},
        ScoreCase{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, ""},
        ScoreCase{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, ""},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, ""},
        ScoreCase{"CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:U/RL:O/MAV:L", 9.8, ""},  // any order
        // v4.0 (CVSS-B; threat and environmental metrics do not change it)
        ScoreCase{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, ""},
        ScoreCase{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, ""},
        ScoreCase{"CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:L/SI:L/SA:N/E:U/MSI:S", 2.0, ""},
        ScoreCase{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N", 1.0, ""},
        ScoreCase{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, ""},
        // v2 (no prefix)
        ScoreCase{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, ""},
        ScoreCase{"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, ""},
        ScoreCase{"AV:L/AC:H/Au:M/C:P/I:N/A:N", 0.8, ""},
        ScoreCase{"AV:N/AC:M/Au:S/C:P/I:P/A:N/E:F/RL:OF", 4.9, ""},
        // rejected, with the reason's code
        ScoreCase{"", 0, "uprank.cvss.missing_metric"},
        ScoreCase{"Au:N/AV:N/AC:L/C:P/I:P/A:P", 7.5, ""},  // v2 in any order
        ScoreCase{"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.bad_prefix"},
        ScoreCase{"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.unknown_metric"},  // read as v2
        ScoreCase{"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", 0, "uprank.cvss.bad_prefix"},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", 0, "uprank.cvss.missing_metric"},
        ScoreCase{"CVSS:3.1/", 0, "uprank.cvss.missing_metric"},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N", 0, "uprank.cvss.duplicate_metric"},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:N", 0, "uprank.cvss.unknown_metric"},
        ScoreCase{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.bad_value"},
        ScoreCase{"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.bad_value"},
        ScoreCase{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", 0, "uprank.cvss.malformed"},
        ScoreCase{"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.malformed"},
        ScoreCase{"CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.malformed"},
        ScoreCase{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N", 0, "uprank.cvss.bad_value"},
        ScoreCase{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.bad_value"},
        ScoreCase{"AV:N/AC:L/Au:N/C:P/I:P/A:ND", 0, "uprank.cvss.bad_value"},
        ScoreCase{"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0, "uprank.cvss.unknown_metric"},
        ScoreCase{std::string(600, 'A'), 0, "uprank.cvss.malformed"}));

TEST(CvssRatingTest, FollowsEachVersionsScale) {
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_1, 0.0), CvssRating::kNone);
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_1, 0.1), CvssRating::kLow);
  EXPECT_EQ(cvss_rating(CvssVersion::kV4_0, 3.9), CvssRating::kLow);
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_0, 4.0), CvssRating::kMedium);
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_1, 6.9), CvssRating::kMedium);
  EXPECT_EQ(cvss_rating(CvssVersion::kV4_0, 7.0), CvssRating::kHigh);
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_1, 8.9), CvssRating::kHigh);
  EXPECT_EQ(cvss_rating(CvssVersion::kV3_1, 9.0), CvssRating::kCritical);
  EXPECT_EQ(cvss_rating(CvssVersion::kV2, 0.0), CvssRating::kLow);  // NVD's v2 scale
  EXPECT_EQ(cvss_rating(CvssVersion::kV2, 10.0), CvssRating::kHigh);
  auto log4shell = cvss_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
  ASSERT_TRUE(log4shell.ok());
  EXPECT_EQ(cvss_rating_name(log4shell->rating), "CRITICAL");
  EXPECT_EQ(cvss_version_name(log4shell->version), "3.1");
}

TEST(PreferredCvssTest, PrefersV31ThenV30ThenV4ThenV2) {
  const std::string v2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P";
  const std::string v30 = "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N";
  const std::string v31 = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H";
  const std::string v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  auto choose = [](std::vector<std::pair<std::string, std::string>> severity) {
    auto choice = preferred_cvss(severity);
    return choice ? choice->vector : std::string("none");
  };
  EXPECT_EQ(choose({{"CVSS_V2", v2}, {"CVSS_V4", v4}, {"CVSS_V3", v30}, {"CVSS_V3", v31}}), v31);
  EXPECT_EQ(choose({{"CVSS_V2", v2}, {"CVSS_V4", v4}, {"CVSS_V3", v30}}), v30);
  EXPECT_EQ(choose({{"CVSS_V2", v2}, {"CVSS_V4", v4}}), v4);
  EXPECT_EQ(choose({{"CVSS_V2", v2}}), v2);
  // Invalid vectors and non-CVSS types are passed over, never scored.
  EXPECT_EQ(choose({{"CVSS_V3", "CVSS:3.1/AV:N"}, {"Ubuntu", "high"}, {"CVSS_V4", v4}}), v4);
  EXPECT_EQ(choose({{"CVSS_V3", "CVSS:3.1/AV:N"}}), "none");
  auto choice = preferred_cvss({{"CVSS_V4", v4}});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->score.version, CvssVersion::kV4_0);
  EXPECT_EQ(choice->score.base, 9.3);
}

}  // namespace
}  // namespace uprank::facts
