// The HTML writer's parts the end-to-end Chromium test (tests/report) cannot reach yet:
// the trend chart fed by history, the extra sections, the stale mark.
#include "engine/html/html.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace uprank::html {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class HtmlWriterTest : public ::testing::Test {
 protected:
  HtmlWriterTest() {
    report_.today = *Date::parse("2026-09-01");
    report_.inventory = &inventory_;
  }
  inventory::Inventory inventory_;
  report::Report report_;
};

TEST_F(HtmlWriterTest, TrendShowsAnEmptyStateUntilTwoDaysAreKnown) {
  Options options;
  options.trend = {{*Date::parse("2026-08-31"), {{"act", 2}}}};
  std::string page = write_html(report_, options);
  EXPECT_THAT(page, HasSubstr("No history yet"));
  EXPECT_THAT(page, Not(HasSubstr("<title>2026-08-31: 2 act</title>")));
}

TEST_F(HtmlWriterTest, TrendStacksEachDaysDecisions) {
  Options options;
  options.trend = {{*Date::parse("2026-08-30"), {{"act", 2}, {"track*", 1}}},
                   {*Date::parse("2026-08-31"), {{"act", 1}}},
                   {*Date::parse("2026-09-01"), {{"attend", 4}}}};
  std::string page = write_html(report_, options);
  EXPECT_THAT(page, Not(HasSubstr("No history yet")));
  EXPECT_THAT(page, HasSubstr("<title>2026-08-30: 2 act</title>"));
  EXPECT_THAT(page, HasSubstr("class=\"track-star\""));
  EXPECT_THAT(page, HasSubstr("<title>2026-09-01: 4 attend</title>"));
  // The tallest day (4) fills the plot: 170 px from y=20 to the axis at 190.
  EXPECT_THAT(page, HasSubstr("y=\"20.0\" width=\"205.3\" height=\"170.0\""));
}

TEST_F(HtmlWriterTest, SectionsRenderOnlyWithRowsAndEscapeCells) {
  Options options;
  options.sections = {{"new", "New since 2026-08-31", {"Component", "Urgency"}, {{"<b>db</b>", "high"}}, ""},
                      {"resolved", "Resolved", {"Component"}, {}, ""}};
  std::string page = write_html(report_, options);
  EXPECT_THAT(page, HasSubstr("<section id=\"new\" class=\"extra\">"));
  EXPECT_THAT(page, HasSubstr("<td>&lt;b&gt;db&lt;/b&gt;</td>"));
  EXPECT_THAT(page, Not(HasSubstr("id=\"resolved\"")));
}

// Markup escaping is not enough: a right-to-left override reorders the rest of the cell
// and ESC starts a terminal sequence for whoever copies it. Both are shown, not obeyed.
TEST_F(HtmlWriterTest, ControlsAndBidiOverridesAreShownNotObeyed) {
  Options options;
  options.sections = {{"new", "New", {"Component"}, {{"evil\u202Efdp.exe \x1b[31mred\xc2\x9b"}}, ""}};
  std::string page = write_html(report_, options);
  EXPECT_THAT(page, HasSubstr("<td>evil\\u{202E}fdp.exe \\x1b[31mred\\u{009B}</td>"));
  EXPECT_THAT(page, Not(HasSubstr("\u202E")));
  EXPECT_THAT(page, Not(HasSubstr("\x1b")));
}

// The report's own change and Coming due sections reach the page without the caller
// building them: what the table and Markdown show, the HTML shows.
TEST_F(HtmlWriterTest, ChangesAndComingDueBecomeSections) {
  inventory::Component db;
  db.name = "orders-db";
  db.version_text = "14.9";
  inventory_.components.push_back(db);
  report::RunChanges changes;
  changes.against = "history";
  changes.previous = *Date::parse("2026-08-31");
  changes.escalated.push_back({"product:postgresql:orders-db", "orders-db", "14.9", compiler::Level::kMedium,
                               compiler::Level::kHigh, {"uprank.eol.past_end_of_life"}});
  changes.upgraded.push_back({"product:nginx:web", "web", "1.24.0", "1.26.2", *Date::parse("2026-09-01")});
  report_.changes = changes;
  report_.horizons = {30};
  report_.coming_due.push_back({0, *Date::parse("2026-09-20"), true, compiler::Level::kLow, compiler::Level::kHigh,
                                "uprank.eol.past_end_of_life", "postgresql 14: security support ends 2026-09-19"});
  std::string page = write_html(report_, Options{});
  EXPECT_THAT(page, HasSubstr("<section id=\"escalated\" class=\"extra\">"));
  EXPECT_THAT(page, HasSubstr("<section id=\"upgraded\" class=\"extra\">"));
  EXPECT_THAT(page, HasSubstr("<section id=\"coming-due\" class=\"extra\">"));
  EXPECT_THAT(page, HasSubstr("<td>medium -&gt; high</td>"));
  EXPECT_THAT(page, HasSubstr("<td>postgresql 14: security support ends 2026-09-19</td>"));
  EXPECT_THAT(page, Not(HasSubstr("id=\"new\"")));
}

// Issue #15 kind 13: evidence URLs come from vendor data and imports; a javascript: or
// data: URL must not become a link a reader clicks. Only http and https do, in any case.
TEST_F(HtmlWriterTest, OnlyHttpEvidenceUrlsBecomeLinks) {
  inventory::Component web;
  web.name = "web";
  web.version_text = "1.24.0";
  inventory_.components.push_back(web);
  evaluator::Finding finding;
  finding.edit_text().rule = "uprank.eol.past_end_of_life";
  finding.level = compiler::Level::kHigh;
  finding.components = {0};
  finding.edit_text().message = "nginx 1.24 left vendor support";
  finding.edit_text().evidence = {{"endoflife", "x1", "javascript:alert(document.domain)", ""},
                      {"endoflife", "x2", " JavaScript:alert(2)", ""},
                      {"endoflife", "x3", "data:text/html,<script>alert(3)</script>", ""},
                      {"endoflife", "nginx/1.24", "HTTPS://endoflife.date/nginx", ""}};
  report_.findings.push_back(finding);
  report::RankedComponent ranked;
  ranked.component = 0;
  ranked.level = compiler::Level::kHigh;
  ranked.findings = {0};
  report_.ranked.push_back(ranked);
  std::string page = write_html(report_, Options{});
  EXPECT_THAT(page, HasSubstr("HTTPS://endoflife.date/nginx"));
  EXPECT_THAT(page, Not(HasSubstr("alert(document.domain)")));
  EXPECT_THAT(page, Not(HasSubstr("alert(2)")));
  EXPECT_THAT(page, Not(HasSubstr("data:text/html")));
}

TEST_F(HtmlWriterTest, OldDataIsMarkedStale) {
  report_.data_sources = {{"osv", "store", "2026-08-01T00:00:00Z", false}, {"kev", "store", "2026-08-31T00:00:00Z", false}};
  std::string page = write_html(report_, Options{});
  EXPECT_THAT(page, HasSubstr("STALE DATA"));
  EXPECT_THAT(page, HasSubstr("31 day(s) <span class=\"stale\">STALE</span>"));
  EXPECT_THAT(page, HasSubstr("1 day(s)</td>"));
}

TEST_F(HtmlWriterTest, FreshDataHasNoStaleMark) {
  report_.data_sources = {{"osv", "store", "2026-08-31T00:00:00Z", false}};
  EXPECT_THAT(write_html(report_, Options{}), Not(HasSubstr("STALE")));
}

// A sink that keeps what it is given and the size of each write.
class RecordingSink final : public Sink {
 public:
  void write(std::string_view bytes) override {
    text.append(bytes);
    writes.push_back(bytes.size());
  }
  std::string text;
  std::vector<size_t> writes;
};

// Counts the times `needle` occurs in `text`.
size_t occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// The nightly page of a large fleet is written as it is rendered: one ranking row and one
// owner row per listed component (html.h), passed on in chunks of about a megabyte rather
// than as one page-sized string, and the same bytes as the string form.
TEST_F(HtmlWriterTest, LargePagesAreWrittenInChunksRowByRow) {
  constexpr size_t kComponents = 20000;
  for (size_t i = 0; i < kComponents; ++i) {
    inventory::Component component;
    component.name = "service-" + std::to_string(i) + "-" + std::string(100, 'x');
    component.version_text = "1.2." + std::to_string(i);
    component.owner = i % 3 == 0 ? "team-a" : "team-b";
    inventory_.components.push_back(component);
    report::RankedComponent ranked;
    ranked.component = i;
    ranked.level = compiler::Level::kHigh;
    report_.ranked.push_back(ranked);
  }
  RecordingSink sink;
  write_html(report_, Options{}, sink);
  EXPECT_EQ(sink.text, write_html(report_, Options{}));
  EXPECT_GT(sink.writes.size(), 2u);
  EXPECT_LT(*std::max_element(sink.writes.begin(), sink.writes.end()), size_t{2} << 20);
  EXPECT_EQ(occurrences(sink.text, "<tr class=\"component\">"), kComponents);
  EXPECT_EQ(occurrences(sink.text, "<section class=\"owner\">"), 2u);
  // team-a holds rank 1, so its section comes first, with a third of the components.
  EXPECT_THAT(sink.text, HasSubstr("<h3>team-a (6667)</h3>"));
  EXPECT_LT(sink.text.find("<h3>team-a (6667)</h3>"), sink.text.find("<h3>team-b (13333)</h3>"));
  EXPECT_THAT(sink.text, HasSubstr("<tbody><tr><td>1</td><td>service-0-"));
}

// The places the rows are written into are marked in the templates' own text; inventory
// text that spells a mark is escaped like any other and moves nothing.
TEST_F(HtmlWriterTest, InventoryTextCannotPlaceRows) {
  inventory::Component component;
  component.name = "<!--uprank:ranking-rows-->";
  component.owner = "<!--uprank:owner-rows-->";
  inventory_.components.push_back(component);
  report::RankedComponent ranked;
  ranked.level = compiler::Level::kHigh;
  report_.ranked.push_back(ranked);
  std::string page = write_html(report_, Options{});
  EXPECT_EQ(occurrences(page, "<tr class=\"component\">"), 1u);
  EXPECT_THAT(page, HasSubstr("<td>&lt;!--uprank:ranking-rows--&gt;</td>"));
  EXPECT_THAT(page, HasSubstr("<h3>&lt;!--uprank:owner-rows--&gt; (1)</h3>"));
  EXPECT_THAT(page, Not(HasSubstr("<!--uprank:")));
}

}  // namespace
}  // namespace uprank::html
