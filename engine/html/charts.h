// The page's charts as mustache data: geometry is computed here and drawn as inline SVG by
// the template, so the charts need no JavaScript and no network (the page's CSP allows
// neither). Internal to the HTML writer.
#pragma once

#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "engine/base/date.h"
#include "engine/html/html.h"

namespace uprank::html::internal {

using Data = kainjow::mustache::data;

// One release line and the day its security support ends (or ended).
struct SupportLine {
  std::string label;  // "postgresql 12"
  Date ends;
};

// The timeline of support end dates from `today` over `days`: one row per line (those
// already ended first, clamped to the left edge), month ticks, and a note counting what
// was left out. Keys: width, height, ticks[], rows[], note, empty.
Data support_timeline(const std::vector<SupportLine>& lines, Date today, int days, size_t max_rows,
                      size_t later_lines, size_t undated_lines);

// Which series of the trend a chart stacks: open findings by urgency level, or components
// with findings by decision (days without decisions left out).
enum class TrendSeries { kLevels, kDecisions };
// Stacked bars of the trend's `series` per day. Keys: width, height, bars[], legend[],
// empty (fewer than two days).
Data trend_chart(const std::vector<TrendPoint>& trend, TrendSeries series);

// One owner's ranked components by urgency level ("critical" ... "info").
struct OwnerCount {
  std::string owner;                                    // "(no owner)" for none
  std::vector<std::pair<std::string, size_t>> levels;  // level name, count; most urgent first
  size_t total = 0;
};

// Horizontal stacked bars, one per owner in the given order. Keys: width, height, bars[], empty.
Data owner_chart(const std::vector<OwnerCount>& owners);

}  // namespace uprank::html::internal
