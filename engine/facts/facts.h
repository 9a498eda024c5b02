// Facts about products and vulnerabilities, as the evaluator consumes them, each with
// the evidence (source, id, URL, fetch time) a report cites.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/date.h"
#include "engine/versions/versions.h"

namespace uprank::facts {

struct Evidence {
  std::string source;      // "endoflife", "osv", "kev", "epss", "github", "rules"
  std::string id;          // product/cycle, advisory id, CVE
  std::string url;
  std::string fetched_at;  // ISO-8601 UTC, empty for facts declared in rules
};

// One release cycle of a product, as endoflife.date publishes it. A date field that
// the vendor has not announced is nullopt; `eol_flag` carries a boolean `eol`.
struct EolCycle {
  std::string product;
  std::string cycle;                    // "15", "3.11", "22.04"
  std::string codename;                 // as published ("Bookworm", "Jammy Jellyfish"), or ""
  std::optional<Date> released;
  std::optional<Date> security_ends;    // end of security support (eol)
  bool security_ended_flag = false;     // eol: true with no date
  std::optional<Date> active_ends;      // end of active support (eoas)
  bool active_ended_flag = false;       // eoas: true with no date
  std::optional<Date> extended_ends;    // end of extended support (eoes)
  bool extended_ended_flag = false;     // eoes: true with no date
  bool lts = false;                     // an LTS cycle (from lts_from on, when that is set)
  std::optional<Date> lts_from;
  std::string latest;                   // latest version in the cycle, empty if unknown
  std::optional<Date> latest_date;
  Evidence evidence;

  // Returns whether security support has ended on `today` (the day after the eol date).
  bool security_ended(Date today) const {
    return security_ended_flag || (security_ends && today > *security_ends);
  }
};

// End-of-life cycles made up for versions older than every cycle the data knows
// (evaluator::eol_cycle_of): unsupported, without an end date. One per product and line,
// shared by every component on that line: a cycle per component made the evidence of a
// fleet-wide finding list the same line once per pin (a 266 MB report at 10,000 files).
struct MadeUpCycles {
  std::deque<EolCycle> cycles;  // a deque: components and evidence records point into it
  std::map<std::pair<std::string, std::string>, const EolCycle*> by_line;  // (product, cycle)
};

// All cycles of one product, newest first, as the source lists them.
struct EolProduct {
  std::string name;
  std::string label;
  std::vector<EolCycle> cycles;
};

// One released version of a product, as endoflife.date's release-data lists it
// (`versions` of releases/<product>.json): only stable releases, with their dates.
struct ProductRelease {
  std::string version;                  // as published: "16.4", "1.35-eks-17", "v1.22.3"
  std::optional<Date> date;             // release date, when published
};

// Every released version of one product. The target solver (engine/targets) picks
// upgrade targets from these; a version it does not list is never recommended as
// released unless another source (an advisory's fix) names it.
struct ProductReleases {
  std::string product;                  // endoflife product id: "postgresql"
  std::vector<ProductRelease> versions; // in source order (newest first in release-data)
  Evidence evidence;                    // source "endoflife-releases", the file URL
};

// One OSV `ranges` entry. The raw events are kept verbatim, so nothing is lost when the
// ecosystem's scheme is unknown or the version library cannot parse them yet.
struct AffectedRange {
  std::string type;                                // "SEMVER", "ECOSYSTEM", "GIT"
  std::string repo;                                // GIT ranges only
  std::vector<versions::Range::OsvEvent> events;   // in source order
  std::optional<versions::Range> range;            // parsed when the scheme is known
};

// One package an advisory affects (OSV `affected[]`).
struct AffectedPackage {
  std::string ecosystem;                 // "PyPI", "Go", "crates.io", "Bitnami", "Debian:12"; vendor
                                         // products of CSAF documents: "CPE" ("vendor:product"), "CSAF" (product name)
  std::string name;
  std::string purl;                      // empty when absent
  std::optional<versions::Scheme> scheme;  // the scheme its versions compare in, if known
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;     // enumerated affected versions
  std::vector<std::pair<std::string, std::string>> severity;  // per package: {type, vector}
  // Where the source states it, when that is more than the package: the CSAF products
  // ("CSAFPID-0001 (Example Company ABC 4.2)") whose status made this entry. Empty for OSV.
  std::vector<std::string> entries;
};

// A link an advisory cites, with the kind OSV gives it ("ADVISORY", "FIX", "EXPLOIT",
// "WEB", ...; empty when the source names none).
struct Reference {
  std::string type;
  std::string url;
};

// A security advisory (OSV record, or an ad-hoc advisory from a rule file).
struct Advisory {
  std::string id;                        // "GHSA-…", "PYSEC-…", "GO-…", "BIT-…", "CVE-…"
  std::vector<std::string> aliases;      // other ids, usually the CVE
  std::string summary;
  std::string details;
  std::optional<Date> published;
  std::optional<Date> modified;
  std::optional<Date> withdrawn;         // a withdrawn advisory must not produce findings
  std::vector<std::pair<std::string, std::string>> severity;  // {type, score}: CVSS vectors
  std::string severity_label;            // database_specific.severity, e.g. "HIGH", or ""
  std::optional<double> cvss_score;      // base score of cvss_vector (facts::cvss_base_score)
  std::string cvss_vector;               // the vector facts::preferred_cvss chose, or ""
  std::vector<AffectedPackage> affected;
  std::vector<Reference> references;     // in source order
  // A notice, not a vulnerability: RustSec's `affected[].database_specific.informational`
  // ("unmaintained", "unsound", "notice"; https://github.com/rustsec/advisory-db), as
  // cargo-audit reads it (a warning, not a vulnerability). "" for a vulnerability. Notices
  // reach rules as `c.notices`, never as `c.advisories`, and never bound a target.
  std::string informational;
  Evidence evidence;

  // Returns the advisory id and its aliases, e.g. {"GHSA-…", "CVE-2021-44228"}.
  std::vector<std::string> all_ids() const;
};

// An entry of CISA's Known Exploited Vulnerabilities catalog.
struct KevEntry {
  std::string cve;
  std::string vendor;
  std::string product;
  std::string name;                      // vulnerabilityName
  std::optional<Date> date_added;
  std::optional<Date> due_date;
  bool known_ransomware_use = false;     // knownRansomwareCampaignUse == "Known"
  std::string required_action;
  std::string short_description;
  std::vector<std::string> cwes;
  Evidence evidence;
};

// FIRST EPSS: the probability of exploitation activity in the next 30 days.
struct EpssScore {
  std::string cve;
  double score = 0;                      // in [0, 1]
  double percentile = 0;                 // in [0, 1]
  std::optional<Date> date;              // score date
  std::string model_version;             // "v2023.03.01" when known
  Evidence evidence;
};

// One published release with its notes (GitHub releases API). `notes` is untrusted vendor
// text: match it with RE2 only and escape it when rendering.
struct ReleaseNote {
  std::string repository;                // "owner/name"
  std::string tag;                       // tag_name as published, e.g. "v7.2.5"
  std::string version;                   // tag with a leading "v" or "<name>-" stripped
  std::string name;
  std::optional<Date> published;
  bool prerelease = false;
  std::string notes;                     // Markdown body
  Evidence evidence;
};

// Where a source's facts came from and how old they are, for "data age" in reports.
struct SourceProvenance {
  std::string source;                    // "endoflife", "osv", …
  std::string oldest_fetched_at;         // ISO-8601 UTC of the oldest response used
  std::string newest_fetched_at;
  size_t responses = 0;
  bool stale = false;                    // older than the source's staleness limit
  std::string origin;                    // "store", "snapshot", "rules"
};

// The key of `advisory` in FactSet::advisories: its id for an OSV record (the store's own
// key), its id and source for any other source ("RHSA-2024:1234\x1fcsaf"). A CSAF
// document and an OSV record may carry the same id (a vendor publishes both): keyed by id
// alone, the one loaded last silently replaced the other.
std::string advisory_key(const Advisory& advisory);

struct FactSet {
  std::map<std::string, EolProduct> products;  // by endoflife product id
  std::map<std::string, ProductReleases> released;  // by endoflife product id
  std::map<std::string, Advisory> advisories;  // by advisory_key(): source and id
  std::map<std::string, KevEntry> kev;         // by CVE id
  std::map<std::string, EpssScore> epss;       // by CVE id
  std::map<std::string, std::vector<ReleaseNote>> releases;  // by repository, newest first
  std::vector<SourceProvenance> provenance;    // one per source that contributed facts
  std::string content_hash;                    // "sha256:…" of the snapshot or store export
  // Stored advisories not read because no component of the report's inventory can meet
  // them (fetch::load_store_facts with needs): data exists even when `advisories` is empty.
  size_t advisories_left_unread = 0;
  // Stored or snapshot responses that did not parse and were left out, each as
  // "source/key: why [code]" (the rest are used; the loaders' callers say how many).
  std::vector<std::string> skipped;

  // Returns the cycle of `product` that `version` belongs to: the longest cycle name that
  // is a component-wise prefix of the version; nullptr when none matches.
  const EolCycle* find_cycle(const std::string& product, const versions::Version& version) const;
  // Returns the cycle of `product` whose codename's first word is `codename` (case-
  // insensitive: "bookworm" names Debian's "Bookworm", "jammy" Ubuntu's "Jammy
  // Jellyfish"); "lts/*" names the newest cycle that is LTS on `today`. nullptr when none.
  const EolCycle* find_cycle_by_codename(const std::string& product, std::string_view codename, Date today) const;
  // Returns the newest release of `cycle` known on `day`, with its date: the cycle's
  // `latest` when it came out by the day (an undated one, as every undated fact, is
  // known); else the newest release of the cycle that the product's release-data
  // (`released`) dates on or before the day; nullopt when nothing dated is known then (a
  // replay of a day before the data's first listed release invents none).
  std::optional<ProductRelease> latest_known_on(const EolCycle& cycle, Date day) const;
};

}  // namespace uprank::facts
