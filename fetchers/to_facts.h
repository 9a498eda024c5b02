// Turns raw responses into facts through each source's parser: the single path shared by
// live fetches, the store and snapshots, so offline data is read exactly like fresh data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// Returns the sources uprank knows: endoflife, endoflife-releases, osv, kev, epss, github.
const std::vector<std::string>& known_sources();

// Returns known_sources() joined with ", ", for messages and help texts.
std::string known_source_list();

// Parses `response` with its source's parser and merges the facts into `facts`. A body for
// another key than the response's (an endoflife product or an OSV id that is not the key
// it is stored under) is the error uprank.fetch.wrong_key.
Status add_response_facts(const RawResponse& response, facts::FactSet& facts);

// Parses every response; one that does not parse (or whose body is for another key) is
// left out and named in FactSet::skipped ("osv/GHSA-x: …"), so one bad row never costs
// every other fact. Records per-source provenance (fetch times, count) with `origin`
// ("store", "snapshot"). Never an error today; a Result for the loaders' sake.
Result<facts::FactSet> facts_from_responses(const std::vector<RawResponse>& responses, const std::string& origin);

// The packages an advisory response names, as the store indexes them so that a report
// reads only the advisories its inventory can meet (Store, load_store_facts): for an `osv`
// record one inventory::advisory_package_key per `affected[]` package, kAnyPackage for a
// package met otherwise than by its ecosystem and name (vendor products "CPE"/"CSAF", no
// ecosystem), and kNoPackage alone when it names none. nullopt for other sources (read
// whole by every report) and for a body that does not parse (read, and said to be skipped).
inline constexpr const char* kAnyPackage = "*";
inline constexpr const char* kNoPackage = "";
std::optional<std::vector<std::string>> advisory_package_keys(const RawResponse& response);
// The same keys of an OSV record already parsed (parse_osv_record), sorted and unique.
std::vector<std::string> advisory_package_keys(const facts::Advisory& advisory);

// Adds one response to `facts` as facts_from_responses does: its facts, or a line in
// FactSet::skipped when it does not parse; with `count`, its fetch time and count to the
// provenance of its source (the store counts the records it leaves unread by need itself).
void add_response_to_facts(const RawResponse& response, const std::string& origin, bool count, facts::FactSet& facts);

// Adds `responses` responses of `source` fetched between `oldest` and `newest` (ISO-8601
// UTC) to facts.provenance, which stays ordered by source.
void add_provenance(facts::FactSet& facts, const std::string& source, const std::string& oldest,
                    const std::string& newest, size_t responses, const std::string& origin);

// Returns whether `response` is structurally valid for its source, i.e. whether
// add_response_facts would accept it; used before a fetched body may replace stored data.
Status validate_response(const RawResponse& response);

}  // namespace uprank::fetch
