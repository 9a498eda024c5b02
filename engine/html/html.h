// The nightly HTML report: one self-contained page (no network, no JavaScript needed)
// that a team lead opens in the morning, rendered from a Mustache template embedded in
// the binary (kainjow/mustache, Debian's libkainjow-mustache-dev).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/sink.h"
#include "engine/report/report.h"

namespace uprank::html {

// One day of the trend, supplied by the history store (history::TrendDay): how many open
// findings had each urgency level, and how many components with findings had each SSVC
// deployer decision. Each chart shows an empty state while fewer than two days are known.
struct TrendPoint {
  Date day;
  // Level ("critical", "high", "medium", "low", "info"), findings; most urgent first.
  std::vector<std::pair<std::string, size_t>> levels;
  // Decision ("act", "attend", "track*", "track", "other", "none"), components; most urgent
  // first. None for a day recorded before history kept decisions: left out of that chart.
  std::optional<std::vector<std::pair<std::string, size_t>>> decisions;
};

// An extra section of the page (New, Resolved, Escalated, Coming due, ...): a titled
// table, rendered after the summary only when it has rows. Cells are plain text; the
// writer escapes them.
struct Section {
  std::string id;     // the HTML id, [a-z0-9-] ("new", "coming-due")
  std::string title;  // "New since 2026-08-31"
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::string note;   // a line under the title; "" for none
};

struct Options {
  std::string tool_version;           // "0.1.0", in the page footer
  std::vector<TrendPoint> trend;      // oldest first; empty without history
  std::vector<Section> sections;      // in display order
  int timeline_days = 365;            // the support-end timeline's window from `today`
  size_t timeline_lines = 40;         // release lines drawn at most; the rest are counted
  int stale_after_days = 7;           // a data source older than this is marked stale too
};

// Renders `report` as an HTML5 page with, in order: the summary (counts by decision and
// by urgency level, data sources with their age and a loud STALE mark, content hash), the
// extra sections, the ranked table (each component's findings, evidence and target in a
// <details>), charts drawn as inline SVG (support end dates of the fleet's release lines
// in the next `timeline_days`, the trend of open findings by urgency and of components
// with findings by decision, components by owner), and the components per owner. Every inventory and vendor text is HTML-escaped;
// links are written only for http and https URLs. The page carries a Content-Security-
// Policy that allows no script and no network fetch. Deterministic: the same report and
// options give the same bytes. Written to `out` as it is rendered, a megabyte or so at a
// time: the data of one ranking row is held at a time, so memory does not grow with the
// rows (the string form collects the same bytes).
void write_html(const report::Report& report, const Options& options, Sink& out);
std::string write_html(const report::Report& report, const Options& options);

}  // namespace uprank::html
