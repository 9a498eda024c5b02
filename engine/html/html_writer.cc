// The view model of the HTML report: the report's facts as mustache data, rendered with
// the templates embedded at build time (*.html.mustache, template.cc.in): the page, and
// the ranking's row and owner section it is filled with, one row at a time.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "engine/base/terminal_text.h"
#include "engine/facts/title.h"
#include "engine/html/charts.h"
#include "engine/html/html.h"

namespace uprank::html {
extern const char* const kReportTemplate;  // generated from report.html.mustache (template.cc.in)
extern const char* const kRankingRowTemplate;
extern const char* const kOwnerSectionTemplate;
extern const char* const kOwnerRowTemplate;

namespace {

using internal::Data;

constexpr compiler::Level kLevels[] = {compiler::Level::kCritical, compiler::Level::kHigh, compiler::Level::kMedium,
                                       compiler::Level::kLow, compiler::Level::kInfo};
Data list() { return Data{Data::type::list}; }

// kainjow's data copies whatever set() and push_back() are given, all the way down: a
// page of 100,000 rows was copied once per level it was nested in (row, rows, page). These
// move instead: they add a placeholder and move the value into it (the containers are the
// data's own, never const, so writing through the accessor's reference is sound).
void put(Data& object, const std::string& key, Data&& value) {
  object.set(key, false);
  const_cast<Data&>(*object.get(key)) = std::move(value);
}
void append(Data& items, Data&& item) {
  items.push_back(false);
  const_cast<Data&>(items.list_value().back()) = std::move(item);
}

// A decision or level as a CSS class name: "track*" cannot be one.
std::string css_class(const std::string& name) { return name == "track*" ? "track-star" : name; }

// Sets an optional text: mustache renders `{{#key}}` for any string, even an empty one,
// and a missing key would be looked up in the enclosing context; `false` is neither.
void set_text(Data& data, const std::string& key, const std::string& value) {
  if (value.empty()) data.set(key, false);
  else data.set(key, value);
}

// Only http and https URLs become links: vendor data could carry javascript: or data: URLs.
bool safe_url(std::string_view url) {
  auto lower_prefix = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  return lower_prefix("https://") || lower_prefix("http://");
}

std::string owner_of(const inventory::Component& component) {
  return component.owner.empty() ? "(no owner)" : component.owner;
}

Data counts(const std::vector<report::Summary::Count>& tally) {
  Data out = list();
  for (const auto& [name, count] : tally) {
    Data item;
    item.set("name", name);
    item.set("class", css_class(name));
    item.set("count", std::to_string(count));
    append(out, std::move(item));
  }
  return out;
}

Data summary(const report::Report& report, const report::Summary& summary) {
  Data sources = list();
  for (const report::SourceAge& age : summary.sources) {
    Data item;
    item.set("name", age.source->name);
    item.set("description", age.source->description);
    item.set("fetched_at", age.source->fetched_at.empty() ? "unknown" : age.source->fetched_at);
    item.set("age", report::age_text(age));
    item.set("stale", age.stale);
    append(sources, std::move(item));
  }
  Data out;
  out.set("by_decision", counts(summary.by_decision));
  out.set("by_level", counts(summary.by_level));
  out.set("ranked", std::to_string(report.ranked.size()));
  out.set("unranked", std::to_string(report.unranked.size()));
  out.set("findings", std::to_string(report.findings.size()));
  out.set("suppressed", std::to_string(report.suppressed.size()));
  put(out, "sources", std::move(sources));
  out.set("has_sources", !report.data_sources.empty());
  out.set("any_stale", summary.any_stale);
  out.set("content_hash", report.content_hash.empty() ? "none" : report.content_hash);
  return out;
}

Data component_row(const report::Report& report, size_t rank, const std::string& decision) {
  const report::RankedComponent& ranked = report.ranked[rank];
  const inventory::Component& component = report.inventory->components[ranked.component];
  Data row;
  row.set("rank", std::to_string(rank + 1));
  row.set("name", component.name);
  row.set("version", component.version_text);
  row.set("product", component.product);
  row.set("owner", owner_of(component));
  row.set("level", std::string(compiler::level_name(ranked.level)));
  row.set("decision", decision);
  row.set("decision_class", css_class(decision));
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", ranked.score);
  row.set("score", score);
  row.set("due", ranked.due ? ranked.due->to_string() : "");
  row.set("target", ranked.target.empty() ? "—" : report::target_cell(ranked));
  set_text(row, "target_detail", ranked.targets ? targets::summary(*ranked.targets) : "");
  Data findings = list();
  for (size_t f : ranked.findings) {
    const evaluator::Finding& finding = report.findings[f];
    Data item;
    item.set("rule", finding.rule());
    item.set("level", std::string(compiler::level_name(finding.level)));
    item.set("message", finding.message());
    set_text(item, "due", finding.due ? finding.due->to_string() : "");
    Data links = list();
    std::set<std::string> seen;
    for (const facts::Evidence& evidence : finding.evidence()) {
      if (!safe_url(evidence.url) || !seen.insert(evidence.url).second) continue;
      Data link;
      link.set("url", evidence.url);
      link.set("text", evidence.id.empty() ? evidence.url : evidence.id);
      append(links, std::move(link));
    }
    put(item, "links", std::move(links));
    // The advisories behind it, with the vendor's summary and (http/https only) page.
    Data advisories = list();
    std::set<std::string> ids;
    for (const evaluator::AdvisoryEvidence& record : finding.advisories) {
      const facts::Advisory& advisory = *record.match->advisory;
      if (!ids.insert(advisory.id).second) continue;
      Data entry;
      entry.set("id", advisory.id);
      set_text(entry, "summary", facts::advisory_title(advisory));  // details' first sentence when no summary
      set_text(entry, "url", safe_url(advisory.evidence.url) ? advisory.evidence.url : "");
      append(advisories, std::move(entry));
    }
    put(item, "advisories", std::move(advisories));
    append(findings, std::move(item));
  }
  put(row, "findings", std::move(findings));
  row.set("finding_count", std::to_string(ranked.findings.size()));
  Data evidence = list();
  for (const std::string& line : report::evidence_lines(report, ranked)) evidence.push_back(Data{line});
  put(row, "evidence", std::move(evidence));
  return row;
}

// The fleet's release lines that a finding read end-of-life data for, each once, by the
// day their security support ends.
Data timeline(const report::Report& report, const Options& options) {
  std::map<std::string, std::optional<Date>> ends;
  for (const evaluator::Finding& finding : report.findings) {
    for (const evaluator::EolEvidence& record : finding.cycles) {
      ends.emplace(record.cycle->product + " " + record.cycle->cycle, record.cycle->security_ends);
    }
  }
  std::vector<internal::SupportLine> lines;
  size_t later = 0, undated = 0;
  Date horizon = report.today + options.timeline_days;
  for (const auto& [label, end] : ends) {
    if (!end) ++undated;
    else if (*end > horizon) ++later;
    else lines.push_back({label, *end});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.ends < b.ends; });
  return internal::support_timeline(lines, report.today, options.timeline_days, options.timeline_lines, later, undated);
}

// The report's own sections: the changes since the previous run (history or --baseline),
// Coming due, and the advisories a VEX statement took out; before the caller's.
std::vector<Section> report_sections(const report::Report& report) {
  std::vector<Section> out;
  if (report.changes) {
    const std::string note = report::change_summary(*report.changes);
    for (const report::ChangeRow& change : report::change_rows(*report.changes)) {
      if (out.empty() || out.back().title != change.section) {
        std::string id;
        for (char ch : change.section) id += ch == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out.push_back(Section{id, change.section, {"Component", "Version", "What changed"}, {}, out.empty() ? note : ""});
      }
      out.back().rows.push_back({change.name, change.version, change.detail});
    }
    if (out.empty()) out.push_back(Section{"changes", "Changes since the previous run", {"Note"}, {{note}}, ""});
  }
  if (!report.coming_due.empty()) {
    Section due{"coming-due", "Coming due", {"Date", "Component", "Version", "Now", "Then", "Why"}, {},
                report::coming_due_summary(report)};
    for (const report::ComingDue& row : report.coming_due) {
      const inventory::Component& component = report.inventory->components[row.component];
      due.rows.push_back({(row.exact ? "" : "by ") + row.date.to_string(), component.name, component.version_text,
                          row.before ? std::string(compiler::level_name(*row.before)) : "none",
                          std::string(compiler::level_name(row.after)), row.why});
    }
    out.push_back(std::move(due));
  }
  Section vex{"not-affected", "Not affected by statement", {"Statement"}, {}, ""};
  for (const std::string& line : report::vex_lines(report, std::nullopt)) vex.rows.push_back({line});
  if (!vex.rows.empty()) out.push_back(std::move(vex));
  return out;
}

Data sections(const std::vector<Section>& all) {
  Data out = list();
  for (const Section& section : all) {
    if (section.rows.empty()) continue;
    Data item;
    item.set("id", section.id);
    item.set("title", section.title);
    set_text(item, "note", section.note);
    Data columns = list();
    for (const std::string& column : section.columns) columns.push_back(Data{column});
    Data rows = list();
    for (const auto& cells : section.rows) {
      Data row = list();
      for (const std::string& cell : cells) row.push_back(Data{cell});
      Data wrapped;
      put(wrapped, "cells", std::move(row));
      append(rows, std::move(wrapped));
    }
    put(item, "columns", std::move(columns));
    put(item, "rows", std::move(rows));
    append(out, std::move(item));
  }
  return out;
}

// A template of the page with our escaping. kainjow parses it once; each render() walks it
// with fresh state, so one is rendered again for every row.
class Template {
 public:
  explicit Template(const char* source) : view_(std::string(source)) {
    // Markup escaping alone leaves controls that change what is shown: a right-to-left
    // override (U+202E) reverses the rest of a cell, ESC and C1 bytes reach whoever copies
    // the text to a terminal. They are shown as "\u{202E}", "\x1B", like on a terminal.
    view_.set_custom_escape([](const std::string& text) {
      return kainjow::mustache::html_escape(escape_for_terminal(text, /*keep_newlines=*/true));
    });
  }
  bool valid() const { return view_.is_valid(); }
  const std::string& error() const { return view_.error_message(); }
  // Appends the rendering of `data` to `out`.
  void render(const Data& data, std::string& out) {
    view_.render(data, [&out](const std::string& text) { out += text; });
  }

 private:
  kainjow::mustache::mustache view_;
};

// Collects the page's bytes and passes them on a megabyte or so at a time, so that a page
// of a million rows is never held whole.
class PageWriter {
 public:
  explicit PageWriter(Sink& out) : out_(out) {}
  ~PageWriter() { flush(); }
  std::string& buffer() { return buffer_; }
  // Passes the buffer on once it is large.
  void maybe_flush() {
    if (buffer_.size() >= kChunk) flush();
  }
  void flush() {
    if (!buffer_.empty()) out_.write(buffer_);
    flushed_ += buffer_.size();
    buffer_.clear();
  }
  // Returns how many bytes were written so far.
  size_t size() const { return flushed_ + buffer_.size(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  Sink& out_;
  std::string buffer_;
  size_t flushed_ = 0;
};

// Writes `text`, a rendered template, with each mark "<!--uprank:NAME-->" replaced by what
// `fill(NAME)` writes. A mark alone on its line stands for a list section's lines, as
// mustache renders them: its line is replaced by the items, or stays an empty line when
// there are none. The marks are the templates' own text: rendered data is escaped, so no
// inventory or vendor text can make one.
template <typename Fill>
void write_filled(std::string_view text, PageWriter& out, Fill fill) {
  constexpr std::string_view kOpen = "<!--uprank:", kClose = "-->";
  size_t at = 0;
  while (at < text.size()) {
    size_t mark = text.find(kOpen, at);
    if (mark == std::string_view::npos) break;
    size_t name_end = text.find(kClose, mark + kOpen.size());
    if (name_end == std::string_view::npos) break;
    size_t end = name_end + kClose.size();
    bool line = (mark == 0 || text[mark - 1] == '\n') && end < text.size() && text[end] == '\n';
    out.buffer().append(text.substr(at, mark - at));
    size_t before = out.size();
    fill(text.substr(mark + kOpen.size(), name_end - mark - kOpen.size()));
    out.maybe_flush();
    at = line && out.size() > before ? end + 1 : end;
  }
  out.buffer().append(text.substr(at));
  out.maybe_flush();
}

}  // namespace

void write_html(const report::Report& report, const Options& options, Sink& out) {
  const report::Summary overview = report::summarize(report, options.stale_after_days);
  const std::vector<std::string>& decisions = overview.decisions;

  std::map<std::string, std::vector<size_t>> by_owner;  // owner -> ranks
  // What the table and Markdown list (report::listed(): info rows collapsed in the fleet
  // view, --min-urgency); the lines under the heading count the rest.
  for (size_t i = 0; i < report.ranked.size(); ++i) {
    if (!report::listed(report, report.ranked[i])) continue;
    by_owner[owner_of(report.inventory->components[report.ranked[i].component])].push_back(i);
  }
  Data unlisted = list();
  for (const std::string& line : report::unlisted_lines(report)) unlisted.push_back(Data{line});
  // Owners with the most urgent work first: by their top rank.
  std::vector<std::pair<std::string, std::vector<size_t>>> owners(by_owner.begin(), by_owner.end());
  by_owner.clear();
  std::stable_sort(owners.begin(), owners.end(), [](const auto& a, const auto& b) { return a.second[0] < b.second[0]; });
  std::vector<internal::OwnerCount> owner_counts;
  for (const auto& [owner, ranks] : owners) {
    std::map<compiler::Level, size_t> levels;
    for (size_t rank : ranks) ++levels[report.ranked[rank].level];
    internal::OwnerCount count{owner, {}, ranks.size()};
    for (compiler::Level level : kLevels) {
      if (levels.count(level)) count.levels.emplace_back(std::string(compiler::level_name(level)), levels[level]);
    }
    owner_counts.push_back(std::move(count));
  }

  Data page;
  page.set("today", report.today.to_string());
  page.set("tool_version", options.tool_version);
  put(page, "summary", summary(report, overview));
  std::vector<Section> all = report_sections(report);
  all.insert(all.end(), options.sections.begin(), options.sections.end());
  put(page, "sections", sections(all));
  page.set("has_rows", !owners.empty());
  page.set("no_findings", report.ranked.empty());
  put(page, "unlisted", std::move(unlisted));
  page.set("owners", !owners.empty());
  put(page, "timeline", timeline(report, options));
  // The trend twice: open findings by urgency, and components with findings by decision.
  Data trends = list();
  Data by_level = internal::trend_chart(options.trend, internal::TrendSeries::kLevels);
  by_level.set("id", "chart-trend");
  by_level.set("title", "Open findings by urgency over time");
  by_level.set("empty_text", "No history yet: the trend appears once two runs have been recorded.");
  append(trends, std::move(by_level));
  Data by_decision = internal::trend_chart(options.trend, internal::TrendSeries::kDecisions);
  by_decision.set("id", "chart-trend-decision");
  by_decision.set("title", "Components with findings by SSVC decision over time");
  by_decision.set("empty_text", "No decision history yet: the trend appears once two runs have recorded decisions.");
  append(trends, std::move(by_decision));
  put(page, "trends", std::move(trends));
  put(page, "owner_chart", internal::owner_chart(owner_counts));

  Template view(kReportTemplate), ranking_row(kRankingRowTemplate), owner_section(kOwnerSectionTemplate),
      owner_row(kOwnerRowTemplate);
  // The templates are ours and embedded at build time: an error is a build defect, which
  // the writer tests catch; say it rather than write half a page.
  for (const Template* part : {&view, &ranking_row, &owner_section, &owner_row}) {
    if (!part->valid()) {
      out.write("<!-- uprank: HTML template error: " + part->error() + " -->\n");
      return;
    }
  }
  // The page is rendered whole but for the ranking's rows and the owner sections, which
  // are rendered one row at a time where its marks stand: a row's data lives only while
  // it is written.
  std::string text;
  view.render(page, text);
  page = Data();
  PageWriter writer(out);
  write_filled(text, writer, [&](std::string_view part) {
    if (part == "ranking-rows") {
      for (size_t i = 0; i < report.ranked.size(); ++i) {
        if (!report::listed(report, report.ranked[i])) continue;
        ranking_row.render(component_row(report, i, decisions[i]), writer.buffer());
        writer.maybe_flush();
      }
    } else if (part == "owners") {
      for (const auto& [owner, ranks] : owners) {
        Data section;
        section.set("owner", owner);
        section.set("count", std::to_string(ranks.size()));
        std::string head;
        owner_section.render(section, head);
        write_filled(head, writer, [&](std::string_view) {
          for (size_t rank : ranks) {
            const report::RankedComponent& ranked = report.ranked[rank];
            const inventory::Component& component = report.inventory->components[ranked.component];
            Data item;
            item.set("rank", std::to_string(rank + 1));
            item.set("name", component.name);
            item.set("version", component.version_text);
            item.set("level", std::string(compiler::level_name(ranked.level)));
            item.set("decision", decisions[rank]);
            item.set("target", ranked.target.empty() ? "—" : ranked.target);
            owner_row.render(item, writer.buffer());
            writer.maybe_flush();
          }
        });
      }
    }
  });
}

std::string write_html(const report::Report& report, const Options& options) {
  StringSink sink;
  write_html(report, options, sink);
  return std::move(sink.text);
}

}  // namespace uprank::html
