#include "engine/html/charts.h"

#include <algorithm>
#include <cstdio>

namespace uprank::html::internal {
namespace {

constexpr int kWidth = 960;
constexpr int kLabelWidth = 220;  // left margin for row labels
constexpr int kPlotWidth = kWidth - kLabelWidth - 90;
constexpr int kRowHeight = 22;
constexpr int kAxisHeight = 28;

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

Data list() { return Data{Data::type::list}; }

// Sets an optional text: `false` when empty, so that `{{#key}}` skips it (html_writer.cc).
void set_text(Data& data, const std::string& key, const std::string& value) {
  if (value.empty()) data.set(key, false);
  else data.set(key, value);
}

// The first day of each month after `from`, up to `to`: the timeline's ticks.
std::vector<Date> month_starts(Date from, Date to) {
  std::vector<Date> out;
  std::string text = from.to_string();
  int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2));
  for (;;) {
    if (++month > 12) month = 1, ++year;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-01", year, month);
    auto day = Date::parse(buffer);
    if (!day || *day > to) break;
    out.push_back(*day);
  }
  return out;
}

}  // namespace

Data support_timeline(const std::vector<SupportLine>& lines, Date today, int days, size_t max_rows,
                      size_t later_lines, size_t undated_lines) {
  auto x_of = [&](Date day) {
    int offset = std::clamp(day - today, 0, days);
    return kLabelWidth + static_cast<double>(offset) * kPlotWidth / days;
  };
  Data rows = list();
  size_t shown = std::min(lines.size(), max_rows);
  for (size_t i = 0; i < shown; ++i) {
    const SupportLine& line = lines[i];
    int left = line.ends - today;
    Data row;
    double y = kAxisHeight + static_cast<double>(i) * kRowHeight;
    row.set("label", line.label);
    row.set("ends", line.ends.to_string());
    row.set("y", number(y + 4));
    row.set("text_y", number(y + 16));
    row.set("label_x", number(kLabelWidth - 8));
    row.set("bar_x", number(kLabelWidth));
    row.set("bar_width", number(std::max(2.0, x_of(line.ends) - kLabelWidth)));
    row.set("end_x", number(x_of(line.ends) + 6));
    row.set("state", left < 0 ? "ended" : left <= 90 ? "soon" : "later");
    row.set("when", left < 0 ? "ended " + line.ends.to_string() : line.ends.to_string());
    rows.push_back(row);
  }
  Data ticks = list();
  for (Date day : month_starts(today, today + days)) {
    Data tick;
    tick.set("x", number(x_of(day)));
    tick.set("label", day.to_string().substr(0, 7));
    ticks.push_back(tick);
  }
  std::string note;
  if (lines.size() > shown) note += std::to_string(lines.size() - shown) + " more line(s) not drawn. ";
  if (later_lines > 0) note += std::to_string(later_lines) + " line(s) supported past " + (today + days).to_string() + ". ";
  if (undated_lines > 0) note += std::to_string(undated_lines) + " line(s) with no announced end. ";
  Data chart;
  chart.set("width", std::to_string(kWidth));
  chart.set("height", std::to_string(kAxisHeight + static_cast<int>(std::max<size_t>(shown, 1)) * kRowHeight + 8));
  chart.set("axis_y", std::to_string(kAxisHeight - 4));
  chart.set("plot_x", std::to_string(kLabelWidth));
  chart.set("plot_end", std::to_string(kLabelWidth + kPlotWidth));
  chart.set("ticks", ticks);
  chart.set("rows", rows);
  set_text(chart, "note", note);
  chart.set("empty", shown == 0);
  return chart;
}

Data trend_chart(const std::vector<TrendPoint>& points, TrendSeries series) {
  constexpr int kHeight = 220, kBottom = 190, kTop = 20;
  struct Day {
    Date day;
    std::vector<std::pair<std::string, size_t>> decisions;  // series name, count
  };
  std::vector<Day> trend;
  for (const TrendPoint& point : points) {
    if (series == TrendSeries::kLevels) trend.push_back({point.day, point.levels});
    else if (point.decisions) trend.push_back({point.day, *point.decisions});
  }
  size_t peak = 1;
  std::vector<std::string> decisions;
  for (const Day& point : trend) {
    size_t total = 0;
    for (const auto& [decision, count] : point.decisions) {
      total += count;
      if (std::find(decisions.begin(), decisions.end(), decision) == decisions.end()) decisions.push_back(decision);
    }
    peak = std::max(peak, total);
  }
  Data bars = list();
  double slot = trend.empty() ? 0 : static_cast<double>(kWidth - 80) / static_cast<double>(trend.size());
  for (size_t i = 0; i < trend.size(); ++i) {
    double x = 60 + slot * static_cast<double>(i);
    double base = kBottom;
    Data segments = list();
    for (const auto& [decision, count] : trend[i].decisions) {
      double height = static_cast<double>(count) * (kBottom - kTop) / static_cast<double>(peak);
      base -= height;
      Data segment;
      segment.set("decision", decision);
      segment.set("class", decision == "track*" ? "track-star" : decision);
      segment.set("y", number(base));
      segment.set("height", number(height));
      segment.set("count", std::to_string(count));
      segments.push_back(segment);
    }
    Data bar;
    bar.set("x", number(x + slot * 0.15));
    bar.set("width", number(std::max(1.0, slot * 0.7)));
    bar.set("day", trend[i].day.to_string());
    bar.set("segments", segments);
    // Label every bar when few, else about ten of them.
    size_t step = std::max<size_t>(1, trend.size() / 10);
    set_text(bar, "label", i % step == 0 ? trend[i].day.to_string().substr(5) : "");
    bar.set("label_x", number(x + slot * 0.5));
    bars.push_back(bar);
  }
  Data legend = list();
  for (size_t i = 0; i < decisions.size(); ++i) {
    Data item;
    item.set("decision", decisions[i]);
    item.set("class", decisions[i] == "track*" ? "track-star" : decisions[i]);
    item.set("x", std::to_string(60 + 110 * static_cast<int>(i)));
    item.set("text_x", std::to_string(76 + 110 * static_cast<int>(i)));
    legend.push_back(item);
  }
  Data chart;
  chart.set("width", std::to_string(kWidth));
  chart.set("height", std::to_string(kHeight + 20));
  chart.set("bottom", std::to_string(kBottom));
  chart.set("peak", std::to_string(peak));
  chart.set("bars", bars);
  chart.set("legend", legend);
  chart.set("legend_y", std::to_string(kHeight + 4));
  chart.set("empty", trend.size() < 2);
  return chart;
}

Data owner_chart(const std::vector<OwnerCount>& owners) {
  size_t peak = 1;
  for (const OwnerCount& owner : owners) peak = std::max(peak, owner.total);
  Data bars = list();
  for (size_t i = 0; i < owners.size(); ++i) {
    double y = 8 + static_cast<double>(i) * kRowHeight;
    double x = kLabelWidth;
    Data segments = list();
    for (const auto& [level, count] : owners[i].levels) {
      double width = static_cast<double>(count) * kPlotWidth / static_cast<double>(peak);
      Data segment;
      segment.set("level", level);
      segment.set("x", number(x));
      segment.set("width", number(width));
      segment.set("count", std::to_string(count));
      segments.push_back(segment);
      x += width;
    }
    Data bar;
    bar.set("owner", owners[i].owner);
    bar.set("y", number(y));
    bar.set("text_y", number(y + 12));
    bar.set("label_x", number(kLabelWidth - 8));
    bar.set("total", std::to_string(owners[i].total));
    bar.set("total_x", number(x + 6));
    bar.set("segments", segments);
    bars.push_back(bar);
  }
  Data chart;
  chart.set("width", std::to_string(kWidth));
  chart.set("height", std::to_string(16 + static_cast<int>(std::max<size_t>(owners.size(), 1)) * kRowHeight));
  chart.set("bars", bars);
  chart.set("empty", owners.empty());
  return chart;
}

}  // namespace uprank::html::internal
