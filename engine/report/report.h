// Ranking and report writers: turns findings into a ranked list of components, most
// urgent first, and renders it as a table or as JSON for other tools.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/date.h"
#include "engine/base/sink.h"
#include "engine/base/result.h"
#include "engine/evaluator/evaluator.h"
#include "engine/inventory/component.h"
#include "engine/targets/targets.h"

namespace uprank::report {

// Why a component ranks where it does: its score is `base` plus every factor's points.
// Under a rank policy the policy names both; without one the base is the most urgent
// finding's score and there are no factors.
struct RankBreakdown {
  std::string policy;                      // qualified rank policy name; "" without one
  double base = 0;
  std::string base_because;                // "most urgent finding uprank.eol.past_end_of_life", ...
  std::vector<evaluator::RankFactor> factors;
};

struct RankedComponent {
  size_t component = 0;                    // index into the inventory
  compiler::Level level = compiler::Level::kInfo;
  double score = 0;                        // breakdown.base + the factors' points
  std::optional<Date> due;                 // when it must be fixed by; none when nothing says
  // The recommended version, written as the pin writes it: the solver's supported
  // target, else its patch target; empty when none or when what runs already qualifies
  // (a rule's own `target` when no solver ran).
  std::string target;
  std::optional<targets::ComponentTargets> targets;  // set by attach_targets()
  std::vector<size_t> findings;            // indexes into Report::findings, most urgent first
  RankBreakdown breakdown;
};

// Where the facts came from, shown so readers can judge their age.
struct DataSource {
  std::string name;         // "endoflife"
  std::string description;  // "snapshot data/snapshot.json (sha256:…)"
  std::string fetched_at;   // newest fetch time of its facts
  bool stale = false;       // older than the source's staleness limit (facts::Provenance)
};

// How a finding compares with a baseline (engine/baseline/baseline.h): kNotCompared
// without one; otherwise new (no baseline finding has its fingerprint), worse (one has,
// at a lower urgency) or unchanged.
enum class Change : uint8_t { kNotCompared, kNew, kWorse, kUnchanged };
// Returns "new", "worse", "unchanged"; "" for kNotCompared.
std::string_view change_name(Change change);

// A baseline finding that no current finding (shown or suppressed) has the fingerprint
// of: fixed since the baseline, or no longer checked (`because` says why). Texts are the
// baseline's, as written there.
struct FixedFinding {
  std::string fingerprint;
  std::string rule;
  std::string component;  // display name in the baseline; "" when it did not say (SARIF)
  std::string urgency;    // "high", ...; the SARIF level when only that was known
  std::string message;
  SourceLocation location;  // repository-relative file and line in the baseline
  // Why its pin can no longer be looked at as the baseline's was ("advisories not checked:
  // version not exact (line pin)", a new data-gap finding's message); "" when fixed.
  std::string because;
};

// Per finding, what the change-aware gate knows of it; parallel to Report::findings.
struct FindingState {
  std::string fingerprint;         // report::fingerprint_of(); set by attach_fingerprints()
  Change change = Change::kNotCompared;
  bool context = false;            // --changed-since: its pin's lines did not change, shown only
  size_t occurrence = 1;           // 2, 3, …: the fingerprint is occurrence_fingerprint(first, N)
};

// How one component differs from the previous run (engine/history/history.h): a
// row of the New, Resolved, Escalated and De-escalated sections.
struct ComponentChange {
  std::string identity;                  // fingerprint_identity(): "package:deb:openssl", ...
  std::string name;                      // display name, as this run (Resolved: the previous run) names it
  std::string version;
  std::optional<compiler::Level> before;  // the previous run's urgency; none when it had no finding
  std::optional<compiler::Level> after;   // this run's urgency; none when it has no finding
  std::vector<std::string> rules;        // New: the rules of its new findings; Resolved: of the gone ones
  // Its SSVC deployer decisions (decision_of(), "none" without one) in the previous run and
  // this one; "" when unknown (a run recorded before decisions were kept, a component gone).
  std::string decision_before;
  std::string decision_after;
};

// A component whose version changed between the runs: the record of an upgrade.
struct Upgrade {
  // Whether `to` is above `from` in the component's version scheme: an upgrade, a
  // downgrade (a rollback is a change a controlled upgrade keeps too), or neither when the
  // two do not compare (unknown scheme, an invalid version, a different pin kind).
  enum class Direction { kUp, kDown, kUnordered };
  std::string identity;
  std::string name;
  std::string from;
  std::string to;
  Date first_seen;  // the date of the first run that saw `to`
  Direction direction = Direction::kUp;
};
// "up", "down" or "unordered": the JSON report's and history's `direction`.
const char* direction_name(Upgrade::Direction direction);

// What changed since the previous run (history) or an earlier JSON report (--baseline).
// Each list is in identity order.
struct RunChanges {
  std::string against;                   // "history" or the baseline file's path
  std::optional<Date> previous;          // the previous run's date; none when there was none
  std::vector<ComponentChange> added;    // New: findings whose fingerprint the previous run had not
  std::vector<ComponentChange> resolved;  // findings the previous run had and this one has not
  std::vector<ComponentChange> escalated;    // had findings both times; urgency rose
  std::vector<ComponentChange> deescalated;  // had findings both times; urgency fell
  std::vector<Upgrade> upgraded;             // version changed (up, down or unordered)
  // Findings the previous run had and this one could not look for: the component's
  // advisories were checked then and are not now (a version typo, a floating tag, no data).
  // They are not Resolved: nothing was fixed, the check went blind.
  std::vector<ComponentChange> unchecked;
};

// A component whose urgency will rise within a horizon if nothing is done: a row of the
// Coming due section (ComingDueRows).
struct ComingDue {
  size_t component = 0;                   // index into the inventory
  Date date;                              // when it rises: the day after the support end or KEV
                                          // due date that makes it, else the first horizon day
                                          // it is seen on
  bool exact = false;                     // `date` comes from a support end or KEV due date
  std::optional<compiler::Level> before;  // urgency today; none when it has no finding today
  compiler::Level after = compiler::Level::kInfo;  // urgency from `date`
  std::string rule;                       // the finding that rises (its qualified rule name)
  std::string why;                        // "postgresql 14: security support ends 2026-11-12",
                                          // "CVE-…: KEV due date 2026-12-01 passes", else the
                                          // finding's message on the horizon day
};

struct Report {
  Date today;
  const inventory::Inventory* inventory = nullptr;
  std::vector<evaluator::Finding> findings;
  std::vector<RankedComponent> ranked;  // most urgent first
  std::string rank_policy;              // the rank policy in force; "" when ranked by findings alone
  std::vector<size_t> unranked;         // components without findings, in inventory order
  std::vector<DataSource> data_sources;
  std::string content_hash;             // the facts' content hash ("sha256:…"); "" when none
  std::vector<evaluator::Finding> suppressed;          // hidden by active suppressions
  std::vector<evaluator::SuppressionOutcome> suppressions;
  // Per inventory component: whether its advisories were checked (empty when no rule
  // reads advisories), and the loaded entries that could meet nothing.
  std::vector<evaluator::AdvisoryCoverage> coverage;
  evaluator::AdvisorySkips advisory_skips;
  // What the findings' advisory and cycle evidence records point into (Finding).
  std::shared_ptr<const evaluator::JoinedFacts> joined;
  // Where repository-relative paths are taken from (fingerprints, Markdown links).
  std::string repository_root;
  std::vector<FindingState> states;            // empty until attach_fingerprints()
  // Escalation families (`escalates`, CompiledRule::family): for each qualified rule name
  // of a family of two or more rules, every rule of it (itself included), in program
  // order. A baseline finding of one rule matches a finding of another of its family on
  // the same pin (baseline::compare()). Set by set_rule_info().
  std::map<std::string, std::vector<std::string>> rule_families;
  // Per qualified rule name, the variable its first binding names (the finding's subject:
  // `c` in `for c in components`), for the waiver SARIF's help suggests. Set by set_rule_info().
  std::map<std::string, std::string> rule_subjects;
  std::vector<FixedFinding> fixed;             // with a baseline: what it had and is gone now
  std::vector<FixedFinding> unchecked;         // with a baseline: gone because its check went blind
  std::string baseline;                        // the baseline file compared with; "" when none
  std::string changed_since;                   // the git ref of --changed-since; "" when none
  // The repository-relative folder or file `check` read ("" for all): a suppression that
  // confines itself to files outside it (or to no file) was not tried, so is not unused.
  std::string scope;
  std::optional<RunChanges> changes;           // since the previous run; none when not compared
  std::vector<int32_t> horizons;               // days ahead the fleet was re-evaluated at (--horizon)
  std::vector<ComingDue> coming_due;           // in date order, then component name
  // What the table and Markdown list (listed()); JSON keeps every component.
  std::optional<compiler::Level> min_urgency;  // --min-urgency: components ranked below are not listed
  // `report --only advisory=ID`: the advisory shown, as found and as asked, and the
  // components (inventory order) whose findings the filter took out; they are neither
  // ranked nor in `unranked`.
  struct Only {
    // Every advisory record with the asked id as its id or an alias, in id order
    // ("BIT-golang-2026-27145", "GO-2026-5037" for CVE-2026-27145): never empty.
    std::vector<std::string> advisories;
    std::string asked;     // the id or alias given ("CVE-2021-42013")
    std::vector<size_t> filtered;
  };
  std::optional<Only> only;
  bool fleet_view = false;                     // `report`, not `check`: info-level components are one
                                               // counted line, and unowned ones are named
  // VEX: the statements given (null when none) and, from the evaluation, the statements in
  // force per (component, advisory) and those in force for nothing.
  std::shared_ptr<const vex::StatementIndex> vex_statements;
  std::vector<evaluator::VexOutcome> vex;
  std::vector<size_t> unused_vex;
  std::vector<size_t> unnamed_vex;  // of unused_vex, those whose products name no component
};

// Returns whether the table and Markdown list `ranked` as a row: at or above
// report.min_urgency, and above info under report.fleet_view.
bool listed(const Report& report, const RankedComponent& ranked);

// Returns the lines that count what listed() and `only` left out: "Only the components
// BIT-apache-2021-42013 affects (--only advisory=CVE-2021-42013); 9 other component(s)
// with findings not shown.", "3 component(s) below medium not listed (--min-urgency)." and "412 component(s) with info findings only (not mapped, no
// end-of-life data, ...) not listed; `uprank inventory --unmapped PATHS` lists the
// unmapped ones, --format json all of them." Empty when nothing was left out.
std::vector<std::string> unlisted_lines(const Report& report);

// Returns how many inventory files the reading opened or met and skipped (a format that
// pins nothing, a symbolic link, a FIFO, a directory named like an inventory file; each
// has an inventory::kSkippedFileCode note): what every writer's summary counts
// (docs/inventory.md, "Skipped files").
size_t files_skipped(const Report& report);
// Returns the notes that say which files were skipped and why, in the inventory's order.
std::vector<const Diagnostic*> skipped_file_notes(const Report& report);

// Returns the owner view's line for the listed components without an `owner` (only under
// report.fleet_view): "No owner: 2 listed component(s): web, billing-db.", naming at most
// `names` of them (then "+N more"); "" when every listed component has one or outside the
// fleet view. Names are inventory text.
std::string unowned_line(const Report& report, size_t names = 10);

// One line of the change sections as the writers show them: section "New", "Resolved",
// "Escalated", "De-escalated", "Upgraded", "Downgraded", "Version changed" (versions that
// do not compare) or "No longer checked" (in that order, each in identity order),
// the component's name and version, and what changed ("uprank.eol.past_end_of_life",
// "medium -> high", "decision track -> act" when only the decision moved, "medium -> high,
// decision track* -> attend" when both did, "15.3 -> 16.4 (first seen 2026-01-03)"). Texts are inventory text:
// escape them for the medium.
struct ChangeRow {
  std::string section;
  std::string name;
  std::string version;
  std::string detail;
};
std::vector<ChangeRow> change_rows(const RunChanges& changes);
// Returns the summary line of the changes: "Since the previous run (2026-01-02): 1 new, 1
// resolved, 0 escalated, 0 de-escalated, 1 upgraded." (then ", N downgraded", ", N with
// another version", ", N no longer checked" when there are any; "previous run" reads
// "baseline PATH" against a file); "No earlier run of these inputs is recorded." when there was none.
std::string change_summary(const RunChanges& changes);

// The Coming due rows, given the same fleet ranked at later dates (today + each horizon,
// ascending) one report at a time, so that a large fleet's report of each horizon is
// dropped before the next is evaluated: a component is listed once, at the first horizon
// whose report ranks it above `today`'s urgency (or ranks it when today does not).
// finish() dates each row: exactly, on the day its urgency rises, where that day is the
// day after a support end (active, security or extended phase) or KEV due date of the
// evidence of the finding that rises then (the why names it); otherwise "by" the horizon
// day, why being that finding's message on it. It returns them in date order, then
// component name. `today` must outlive it.
class ComingDueRows {
 public:
  // The report of the flagged components (one flag per inventory component) evaluated
  // and ranked on a day, as the horizons' reports were: finish() asks for the candidate
  // days of the rows and the days before them.
  using RankOn = std::function<Report(Date day, const std::vector<bool>& components)>;
  // At most this many candidate days are checked (two evaluations each); rows whose
  // candidates lie beyond read "by" their horizon day.
  static constexpr size_t kMaxCheckedDays = 16;

  explicit ComingDueRows(const Report& today);
  void add(const Report& later);
  std::vector<ComingDue> finish(const RankOn& rank_on);

 private:
  // Whether `ranked` (a row of `later`, or null) ranks above today; the finding that makes
  // it, if so.
  const evaluator::Finding* rising(const Report& later, const RankedComponent* ranked) const;

  const Report& today_;
  std::vector<std::optional<compiler::Level>> now_;
  std::vector<bool> listed_;
  std::vector<ComingDue> rows_;
  // Per row: the support ends and KEV due dates of its rising finding's evidence after
  // today and on or before its horizon day (the day the urgency would rise, why), in date order.
  std::vector<std::vector<std::pair<Date, std::string>>> candidates_;
};
// Returns the Coming due heading line the text writers print: "Coming due (next 30, 90,
// 180 days): 2 component(s) will rank higher." ("nothing will rank higher" when none).
std::string coming_due_summary(const Report& report);

// Sets `report.repository_root` and one FindingState per finding with its fingerprint
// (fingerprint.h), paths taken relative to `repository_root`. Findings of one rule on
// two pins of the same thing in one file (two `FROM redis:7` stages) would share one;
// the second and later, in line order, get occurrence_fingerprint() of it, so that a
// baseline tells them apart and line moves keep every fingerprint. Hashes on up to
// `threads` threads (0: one per core); the result does not depend on the count.
void attach_fingerprints(Report& report, std::string_view repository_root, int threads = 0);

// Sets report.rule_families (CompiledRule::family) and report.rule_subjects from the
// program's rules.
void set_rule_info(Report& report, const compiler::Program& program);

// Returns the fingerprints the finding `f` of `report` would have under each other rule
// of its escalation family (report.rule_families), with the same occurrence numbering as
// its own (attach_fingerprints() must have run); empty when its rule is in no family.
std::vector<std::string> family_fingerprints(const Report& report, size_t f);
// The same for a finding outside report.findings (a suppressed one), without occurrences.
std::vector<std::string> family_fingerprints(const Report& report, const evaluator::Finding& finding);

// Returns whether finding `f` gates at `fail_on`: its urgency is at least `fail_on`, it
// is not context (--changed-since), and, when compared with a baseline, it is new or
// worse. Without states (no attach_fingerprints()), urgency alone decides.
bool gates(const Report& report, size_t f, compiler::Level fail_on);

// How many findings are new, worse and unchanged against the baseline, and how many are
// context under --changed-since; what the writers' summary lines say.
struct ChangeCounts {
  size_t added = 0;
  size_t worse = 0;
  size_t unchanged = 0;
  size_t context = 0;
};
ChangeCounts count_changes(const Report& report);

// Returns whether the report fails a gate at `fail_on`: without a baseline or change set,
// when a component ranks at or above it (its urgency, under a rank policy, weighs its
// context); with either, when any finding gates() (its own urgency: an old finding on a
// component must not make a new low one gate).
bool fails_gate(const Report& report, compiler::Level fail_on);

// Describes, in a few lines, which components' advisories could not be checked (grouped
// by reason, naming up to `names` components each) and which loaded advisory entries
// can meet no component. Empty when every component was checked.
std::vector<std::string> advisory_coverage_lines(const Report& report, size_t names = 5);

// Ranks the components with findings. Under a rank policy (Evaluation::ranks) each takes
// the policy's urgency, score and due date; without one, or where the policy's urgency is
// undefined, its most urgent finding's (level, then score) and the earliest due date of
// its findings. Order: urgency, score, earlier due date (none last), name, inventory order.
Report rank_components(const inventory::Inventory& inventory, evaluator::Evaluation evaluation, Date today);

// Returns the version a finding of `ranked` recommends: the component's target (the
// solver's, written as the pin writes it; "" when what runs already qualifies) once
// attach_targets ran, else the rule's own `target`.
std::string recommended_target(const RankedComponent& ranked, const evaluator::Finding& finding);

// Returns the component's target as a TARGET cell shows it: "1.31", or with the first of
// the steps it must pass through, "1.31 (next 1.28)" (Target::steps); "" without one.
std::string target_cell(const RankedComponent& ranked);

// Runs the target solver for every ranked component and sets its `targets` and `target`.
// `inputs.inventory` must be the report's inventory.
void attach_targets(Report& report, const targets::Inputs& inputs, const targets::Options& options);

// Describes the suppressions that need attention: expired ones (no longer applied) and
// unused ones (matched nothing, though every file their `where` confines them to is within
// report.scope: a waiver of a file the check did not read is not unused), then the VEX statements in force for no component's
// advisory. One line each, "file:line: ..." or "file: $.json.path: ...".
std::vector<std::string> suppression_warnings(const Report& report);
// Returns whether the check could have met what `suppression` waives: the whole repository
// was read, or every file its `where` names (CompiledSuppression::files) is within
// report.scope. One that was not tried is neither unused nor active.
bool suppression_tried(const Report& report, const compiler::CompiledSuppression& suppression);

// Describes the VEX statements that took a component's advisory out (not_affected,
// fixed), one line each, in inventory then advisory order: "web: CVE-2021-42013 not_affected
// (vulnerable_code_not_present: impact statement) by AUTHOR, 2023-01-08T… [file $.path]".
// With `component` set, only that component's, and every status.
std::vector<std::string> vex_lines(const Report& report, std::optional<size_t> component = std::nullopt);

// Renders the ranges of an OSV `affected[]` entry as version comparators, each range's
// events in source order (OSV schema, "affected[].ranges[].events"): introduced X reads
// ">=X" ("0": no lower bound), fixed X "<X", last_affected X "<=X", limit X "(limit <X)";
// each introduced..end interval is joined with " || ", so {introduced 2.4.0, fixed 2.4.52}
// reads ">=2.4.0, <2.4.52". A declared advisory's range (type RULES) reads as its rule file
// wrote it. GIT ranges name commits, not versions, and are left out. Empty when no range
// remains (the entry lists `versions` only, or none).
std::string affected_ranges_text(const facts::AffectedPackage& affected);

// Returns untrusted text escaped for one GitHub-flavoured Markdown table cell, as every
// Markdown the report writes escapes it (markup, '|', mentions, autolinks; 300 characters).
std::string markdown_cell(std::string_view text);

// Describes the evidence behind a ranked component's findings, one line per advisory
// (ids, CVSS version, score and vector, vendor severity, KEV date added, due date and
// ransomware use, EPSS score, percentile and date, affected range and fix, source and
// fetch date) and per end-of-life cycle (dates, latest release, source and fetch date),
// each record once. Advisory lines list KEV entries first, then by CVSS and EPSS, at most
// `advisory_limit` of them, then a line counting the rest. Vendor text is returned as
// published: escape it for the medium.
std::vector<std::string> evidence_lines(const Report& report, const RankedComponent& ranked, size_t advisory_limit = 5);

// Returns a ranked component's SSVC deployer decision ("act", "attend", "track*",
// "track"; CISA SSVC, docs/ssvc.md): the "Decision" explain step of its most urgent
// finding that has one (uprank.ssvc.ssvc_decision), lower-cased; "none" when no finding
// carries a decision.
std::string decision_of(const Report& report, const RankedComponent& ranked);

// A data source and its age on the report's day.
struct SourceAge {
  const DataSource* source = nullptr;  // points into Report::data_sources
  std::optional<int> days;             // whole days from its newest fetch to the report's
                                       // `today`, never negative; none when unknown
  bool after_today = false;            // fetched after `today` (a report run as of a past date)
  bool stale = false;                  // the source's staleness limit, or older than the summary's
};
// Returns the age as the summaries show it: "10 day(s)", "unknown", or "fetched after the
// report date" for data newer than --today.
std::string age_text(const SourceAge& age);

// The nightly reports' opening: counts of ranked components by decision (act, attend,
// track*, track, any other, none: in that order, only those that occur) and by urgency
// (most urgent first), and the data sources' ages. A source is stale when the facts said
// so or its data is older than `stale_after_days`.
struct Summary {
  struct Count {
    std::string name;
    size_t count = 0;
  };
  std::vector<std::string> decisions;  // per Report::ranked entry, decision_of()
  std::vector<Count> by_decision;
  std::vector<Count> by_level;
  std::vector<SourceAge> sources;
  bool any_stale = false;
};
Summary summarize(const Report& report, int stale_after_days = 7);

enum class Format { kTable, kJson, kMarkdown, kSarif, kCodeQuality };
// Returns the format named "table", "json", "md", "sarif" or "codequality"; an error
// (uprank.bad_format) naming the choices otherwise.
Result<Format> parse_format(std::string_view name);

// What a writer needs beyond the report: who ran and how.
struct WriteOptions {
  std::string tool_version;              // uprank's version, "0.1.0" (SARIF tool.driver.version)
  std::string category = "uprank/report";  // SARIF automationDetails.id, without the trailing '/'
  std::string link_base;                 // md: prefix of file#Lline links (check_link_base()); "" relative
  // md without link_base: the way from the directory the Markdown file is written in back to
  // the repository root the locations are relative to ("../" for -o out/ in the root), so a
  // relative link opens the file from where the page is; "" when written there or to stdout.
  std::string link_prefix;
  bool show_locations = false;           // table: a LOCATION column even when no ranked component
                                         // was read from a file that pins it (`check` always)
  bool color = false;                    // table: the urgency cell in SGR colour (a terminal)
  bool markdown_summary = false;         // md: the nightly report's summary and top of the
                                         // ranking (`report`), not only the findings (`check`)
  int threads = 1;                       // table: threads that format rows (0: one per core);
                                         // the text is the same whatever the count
};

// Returns the fingerprint of a finding of `report` (fingerprint.h: rule, repository-relative
// file and component identity key; never line, version or advisory ids), for
// baselines, SARIF partialFingerprints["uprank/v1"] and GitLab Code Quality.
std::string finding_fingerprint(const Report& report, const evaluator::Finding& finding);

// Renders the report. Vendor and inventory text is untrusted: control characters are
// replaced so that a report can never drive the terminal.
std::string write_table(const Report& report, const WriteOptions& options = {});
// The same bytes into `out`, written a few thousand rows at a time (rows are built and
// formatted on options.threads threads, in rank order whatever the count).
void write_table(const Report& report, const WriteOptions& options, Sink& out);
// The JSON report (docs/report.md, schema 1.8), written to `out` as it is produced: one
// component's entry is held at a time, so memory does not grow with the fleet. The string
// form collects the same bytes.
void write_json(const Report& report, Sink& out);
std::string write_json(const Report& report);
// Renders SARIF 2.1.0 (OASIS sarif-v2.1.0, as GitHub code scanning ingests it): one run,
// one rule per qualified rule name that fired, one result per finding of a ranked
// component, in rank order. docs/check.md gives the mapping.
std::string write_sarif(const Report& report, const WriteOptions& options);
// Renders GitLab's Code Quality report: a JSON array of issues (description, check_name,
// fingerprint, severity, location.path and location.lines.begin), in rank order.
std::string write_codequality(const Report& report);
// Renders a pull-request comment in GitHub-flavoured Markdown: what gates, then new,
// worse and fixed findings (all findings when no baseline was compared), each linking
// `file#Lline` relative to the repository root. Vendor and inventory text is escaped so
// that it cannot close a table cell, start markup, a link or HTML. At most
// `max_chars` characters (GitHub's comment limit is 65,536): rows that do not fit are
// left out and a last line says how many.
// With `summary` (the nightly report, `uprank report`), it opens with summarize()'s counts
// and data sources, the content hash, the top `top` components of the ranking and a
// "Changes since the previous run" section, before the findings.
struct MarkdownOptions {
  size_t max_chars = 65536;
  bool summary = false;
  size_t top = 20;
  // When given, prefixes every link (check_link_base() first: an http(s) URL without
  // characters that end a Markdown link).
  std::string link_base;
  // Without link_base: put before each relative location's path (WriteOptions::link_prefix).
  std::string link_prefix;
};
std::string write_markdown(const Report& report, const MarkdownOptions& options = {});

// Returns WriteOptions::link_prefix for a Markdown page written in `page_directory` whose
// locations are relative to `working_directory` (the repository root; both absolute, or
// both relative to one place): the lexical way back ("../", "../../repo/"), "" when they are the same.
std::string markdown_link_prefix(const std::string& page_directory, const std::string& working_directory);

// Checks a --link-base: an http:// or https:// URL without whitespace, control
// characters or any of ()<>"'`\; returns it with a trailing '/' added when missing, or an
// error "uprank.bad_link_base" saying what is wrong.
Result<std::string> check_link_base(const std::string& url);
std::string write_report(const Report& report, Format format, const WriteOptions& options = {});
// The same bytes into `out`; JSON and the table are streamed, the others rendered, then written.
void write_report(const Report& report, Format format, const WriteOptions& options, Sink& out);

}  // namespace uprank::report
