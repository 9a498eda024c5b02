// advisory_title: the summary, else the first sentence or line of the details.
#include <gtest/gtest.h>

#include "engine/facts/title.h"

namespace uprank::facts {
namespace {

Advisory advisory(std::string summary, std::string details) {
  Advisory a;
  a.summary = std::move(summary);
  a.details = std::move(details);
  return a;
}

TEST(AdvisoryTitle, SummaryWhenGiven) {
  EXPECT_EQ(advisory_title(advisory("Django SQL injection", "Long text.")), "Django SQL injection");
  EXPECT_EQ(advisory_title(advisory("", "")), "");
}

// PYSEC-2022-43059 (PyPA advisory-database, withdrawn 2023-11-08) has `details` and no
// `summary`; its details, as the record gives them, folded over lines.
TEST(AdvisoryTitle, FirstSentenceOfDetailsWithoutSummary) {
  Advisory pysec = advisory("",
                            "AIOHTTP 3.8.1 can report a \"ValueError: Invalid IPv6 URL\" outcome, which\ncan lead to a "
                            "Denial of Service (DoS). NOTE: multiple third parties dispute this\nissue because there is "
                            "no example of a context in which denial of service would\noccur");
  EXPECT_EQ(advisory_title(pysec),
            "AIOHTTP 3.8.1 can report a \"ValueError: Invalid IPv6 URL\" outcome, which can lead to a Denial of "
            "Service (DoS).");
}

TEST(AdvisoryTitle, FirstLineOfAParagraphAndBounded) {
  EXPECT_EQ(advisory_title(advisory("", "### Impact\n\nA flaw in x\n- item")), "A flaw in x");
  EXPECT_EQ(advisory_title(advisory("", "  First line without stop\n\nSecond paragraph.")), "First line without stop");
  std::string title = advisory_title(advisory("", std::string(200, 'a')));
  EXPECT_EQ(title, std::string(kMaxDetailsTitle, 'a') + "…");
  // A cut never splits a UTF-8 sequence: 'é' is two bytes.
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "é";
  std::string cut = advisory_title(advisory("", accented));
  EXPECT_EQ(cut, accented.substr(0, kMaxDetailsTitle) + "…");
  EXPECT_EQ(advisory_title(advisory("", "x" + accented)), "x" + accented.substr(0, kMaxDetailsTitle - 2) + "…");
}

}  // namespace
}  // namespace uprank::facts
