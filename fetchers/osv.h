// The OSV source: advisory records (API `/v1/vulns/{id}`, `/v1/querybatch`, and offline
// JSON files, directories and ecosystem zip dumps) into Advisory facts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "engine/versions/versions.h"
#include "fetchers/json_input.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// Returns the version scheme an OSV ecosystem compares in ("PyPI" → pep440, "Go" →
// golang, "Debian:12" → deb, …), or nullopt for ecosystems uprank has no scheme for.
std::optional<versions::Scheme> scheme_for_ecosystem(std::string_view ecosystem);

// Parses one OSV record. Ranges keep their raw events; each is also parsed into a
// versions::Range when the scheme is known and the version library accepts it.
Result<facts::Advisory> parse_osv_record(const RawResponse& response);

// parse_osv_record() of a record already parsed as JSON (an import classifies each file by
// parsing it, and parses it once): `where` names it in errors as the response's URL does,
// `fetched_at` is the response's, for the evidence.
Result<facts::Advisory> parse_osv_document(const nlohmann::json& record, const std::string& where,
                                           const std::string& fetched_at);

// Reads what an import needs of an OSV record from its JSON text in one SAX pass,
// without building the tree parse_json() would: the id, and per `affected[]` entry the
// ecosystem, name, purl, scheme and ranges (type, events, parsed range) exactly as
// parse_osv_document gives them; nothing else of the Advisory is filled. A record that
// parse_osv_document refuses is refused with the same error, which names `where` and the
// JSON path ("$.affected[0].ranges[1].events must be an array, not a string"). Returns
// nullopt, for the caller to parse the tree as before, for text that is not a JSON object
// importer.cc's classification would call an OSV record (`id` a string, `modified`
// present, no `catalogVersion`, `vulnerabilities`, `document` or `releases` member),
// and for text that is not JSON or crosses `limits` (parse_json then says why).
Result<std::optional<facts::Advisory>> scan_osv_record(std::string_view text, const std::string& where,
                                                       const JsonLimits& limits = {});

namespace internal {
// Parses `range`'s events into range.range as parse_osv_record does: SEMVER ranges in
// SemVer, ECOSYSTEM ranges in `package_scheme`; left empty when that fails or is unknown.
void parse_osv_range(facts::AffectedRange& range, std::optional<versions::Scheme> package_scheme);
}  // namespace internal

// One package to ask osv.dev about: by package URL, or by ecosystem and name.
struct OsvQuery {
  std::string ecosystem;
  std::string name;
  std::string version;     // empty: every advisory of the package (or the purl's own version)
  std::string purl;        // "pkg:deb/debian/openssl@3.0.11-1~deb12u2": sent instead of ecosystem and name
  std::string page_token;  // osv.dev's `next_page_token` from the previous page of this query
};

// Returns the body of `POST /v1/querybatch` for `queries`.
std::string osv_querybatch_body(const std::vector<OsvQuery>& queries);

// A querybatch answer: what each query found, and which queries have more pages.
struct OsvBatchAnswer {
  std::vector<std::string> ids;                  // deduplicated, sorted
  std::map<std::string, std::string> modified;   // by id, when the answer gives it
  std::vector<std::string> next_page_tokens;     // one per query; empty when it is complete
};

// Parses a querybatch response. Errors when the result count differs from
// `expected_results` or an id or token is malformed.
Result<OsvBatchAnswer> parse_osv_querybatch(std::string_view body, size_t expected_results, const std::string& where);

// Returns whether `id` is safe to put in a URL path and a store key (OSV ids are
// letters, digits, '-', '_', '.', ':', starting with a letter or digit).
bool valid_osv_id(std::string_view id);

}  // namespace uprank::fetch
