// CSAF documents as VEX statements: the product status lists of a CSAF 2.0 document (the
// VEX profile, category `csaf_vex`, is written for this; csaf-v2.0-os §4.5) read into
// engine/vex's statement model, so `--vex FILE` and `vex:` take CSAF like OpenVEX.
#pragma once

#include <string>
#include <string_view>

#include "engine/base/result.h"
#include "engine/vex/vex.h"
#include "fetchers/csaf.h"

namespace uprank::fetch {

// Returns one statement per (vulnerability, product status entry) of `document`:
//   - known_not_affected → not_affected, its justification the label of a `flags[]` entry
//     naming the product, its impact statement the details of a `threats[]` entry of
//     category "impact" naming it;
//   - fixed, first_fixed → fixed;
//   - known_affected, first_affected, last_affected → affected, its action statement the
//     details of the `remediations[]` naming the product (joined by "; ");
//   - under_investigation → under_investigation; `recommended` is no statement.
// The vulnerability is the `cve`, else the first `ids[]` text; the other ids are aliases.
// A product is named by its identification helper's purl and CPE, and by its vendor
// product name (match_name) with its product_version or product_version_range; a
// relationship ("X as a component of Y") is a statement about X inside Y. The author is
// the publisher, the time tracking.current_release_date, the path the JSON pointer of the
// status entry ("/vulnerabilities/0/product_status/known_not_affected/0"). A vulnerability
// with neither cve nor ids is skipped and said (Document::skipped).
vex::Document csaf_to_statements(const CsafDocument& document, const std::string& file);

// parse_csaf() then csaf_to_statements(); errors as parse_csaf's.
Result<vex::Document> read_csaf_vex(std::string_view text, const std::string& file);

}  // namespace uprank::fetch
