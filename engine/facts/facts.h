// Facts about products and vulnerabilities, as the evaluator consumes them, each with
// the evidence (source, id, URL, fetch time) a report cites.
#pragma once

#include <map>
#include <optional>
#include <string>
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
  std::optional<Date> released;
  std::optional<Date> security_ends;    // end of security support (eol)
  bool security_ended_flag = false;     // eol: true with no date
  std::optional<Date> active_ends;      // end of active support (eoas)
  std::optional<Date> extended_ends;    // end of extended support (eoes)
  bool lts = false;
  std::optional<Date> lts_from;
  std::string latest;                   // latest version in the cycle, empty if unknown
  std::optional<Date> latest_date;
  Evidence evidence;

  // Returns whether security support has ended on `today` (the day after the eol date).
  bool security_ended(Date today) const {
    return security_ended_flag || (security_ends && today > *security_ends);
  }
};

// All cycles of one product, newest first, as the source lists them.
struct EolProduct {
  std::string name;
  std::string label;
  std::vector<EolCycle> cycles;
};

struct FactSet {
  std::map<std::string, EolProduct> products;  // by endoflife product id

  // Returns the cycle of `product` that `version` belongs to: the longest cycle name that
  // is a component-wise prefix of the version; nullptr when none matches.
  const EolCycle* find_cycle(const std::string& product, const versions::Version& version) const;
};

}  // namespace uprank::facts
