// Report history: what one `uprank report` run records per component, how two runs
// differ (the New, Resolved, Escalated, De-escalated and Upgraded sections) and the trend
// over many runs. docs/history.md says what is recorded and which run is "previous".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/result.h"
#include "engine/compiler/value.h"
#include "engine/report/report.h"

namespace uprank::history {

// One shown finding of a component, by fingerprint (report/fingerprint.h).
struct FindingRecord {
  std::string fingerprint;
  std::string rule;
  compiler::Level level = compiler::Level::kInfo;
  // Its rule's reason is data_gap (no end-of-life data, a pin not exact, not mapped): set
  // by record_of() for the run being made, not stored; compare_runs() reads it of `current`.
  bool data_gap = false;
};

// One inventory component as a run saw it. Components are told apart across runs by
// (identity, file): the identity key never holds the version, so an upgrade keeps it.
struct ComponentRecord {
  std::string identity;                  // report::fingerprint_identity()
  std::string file;                      // repository-relative file of its pin; "" when none
  std::string name;                      // display name
  std::string version;                   // as the inventory writes it
  std::string scheme;                    // its version scheme's name ("semver"); "" when unknown
  bool checked = true;                   // its advisories could be checked (AdvisoryCoverage);
                                         // true in records written before this was kept
  std::optional<compiler::Level> level;  // its rank urgency; none when it has no finding
  // Its SSVC deployer decision (report::decision_of(): "act", "attend", "track*", "track",
  // "none" when no finding carries one or it has no finding); "" when unknown: records
  // written before decisions were kept, which compare and count as unknown, not as "none".
  std::string decision;
  double score = 0;
  std::vector<FindingRecord> findings;   // by fingerprint
};

struct Run {
  Date today;                            // the run's --today
  std::string inputs_hash;               // which inputs (see docs/history.md)
  std::string data_hash;                 // the facts' content hash ("sha256:…"); "" for none
  std::vector<ComponentRecord> components;  // by (identity, file)
};

// Returns what `report` (attach_fingerprints() done) records: every inventory component,
// ranked or not, with its shown findings.
Run record_run(const report::Report& report, std::string inputs_hash, std::string data_hash);

// Serialises the components of a run as the store's summary_json: {"components": [...]},
// deterministic (keys sorted, components by key).
std::string components_json(const Run& run);
// Parses components_json() output into `run.components`. Errors (uprank.history.invalid)
// name `where` and the JSON pointer of the first bad value.
Status read_components_json(std::string_view text, const std::string& where, Run& run);

// Reads a run from a JSON report of schema_version 1.5 or later (components[] and
// no_findings[] carry identity_key and repository_file): what --baseline PREV.json
// compares with when there is no store. Errors name `path` and the JSON pointer; a
// SARIF log is the error uprank.history.not_a_report.
Result<Run> run_from_report(std::string_view text, const std::string& path);

// Returns the order of an SSVC deployer decision, least urgent first: "none" 0, "track" 1,
// "track*" 2, "attend" 3, "act" 4 (CISA SSVC deployer tree, docs/ssvc.md); none for ""
// (unknown) and any other name, which do not compare.
std::optional<int> decision_rank(std::string_view decision);

// Compares `current` with `previous` (none: nothing to compare, every list empty).
// New: a component with a finding whose fingerprint `previous` did not have for it;
// Resolved: one that lost a finding while still checked (a component whose advisories were
// checked before and are not now goes to `unchecked` instead); Escalated / De-escalated: it
// had findings in both runs and its urgency rose / fell, or its urgency stayed and its
// decision rose / fell in decision_rank() order (both decisions known); the change carries
// both decisions. Upgraded: its version changed (first_seen: current's date; direction by
// its scheme's order). Lists are in (identity, file) order.
report::RunChanges compare_runs(const Run* previous, const Run& current, std::string against);

// One day of the trend: open (shown) findings by urgency and the components with findings
// by decision, on the latest run of that day.
struct TrendDay {
  Date day;
  size_t counts[5] = {0, 0, 0, 0, 0};    // findings per compiler::Level, info..critical
  size_t components = 0;                 // components with findings
  // Components with findings per decision, keys kTrendDecisions (a decision of another
  // name, from a pack of one's own, counts as "other"); none when the day's run was
  // recorded before decisions were kept.
  std::optional<std::map<std::string, size_t>> by_decision;
};
// The decision keys of TrendDay::by_decision, most urgent first, as the table shows them.
inline constexpr const char* kTrendDecisions[] = {"act", "attend", "track*", "track", "other", "none"};

// The trend and the upgrade records over `runs` (in date order, one per day).
struct Summary {
  std::vector<TrendDay> days;
  std::vector<report::Upgrade> upgrades;  // in date order, then identity
};
Summary summarize(const std::vector<Run>& runs);

// The trend's day of one run (summarize() counts each run so).
TrendDay trend_day(const Run& run);
// A day of the trend as the store keeps it beside the run (report_history.trend_json):
// {"date": "YYYY-MM-DD", "counts": [info, low, medium, high, critical], "components": N,
// "by_decision": {"act": N, ...} or null}. read_trend_day_json() reads it back; errors
// (uprank.history.invalid) name `where` and the JSON pointer.
std::string trend_day_json(const TrendDay& day);
Result<TrendDay> read_trend_day_json(std::string_view text, const std::string& where);

// Renders the summary as a table (one line per day: findings by urgency, components with
// findings, and those by decision, "-" for a day recorded before decisions were kept; then
// the upgrades) or as JSON (schema_version "1.1", docs/history.md: {"schema_version", "days":
// [...], "upgrades": [...]}). Inventory text is stripped of control characters.
std::string write_summary_table(const Summary& summary);
std::string write_summary_json(const Summary& summary);

}  // namespace uprank::history
