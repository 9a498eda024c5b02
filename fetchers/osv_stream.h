// Reading an OSV record straight from its text (nlohmann's SAX events into the Advisory),
// without building its JSON tree: a report on a fleet reads every advisory the fleet can
// meet, and the tree was most of that cost (issue #16). Internal to fetchers/.
#pragma once

#include <optional>
#include <string_view>

#include "engine/facts/facts.h"
#include "fetchers/json_input.h"

namespace uprank::fetch::internal {

// Reads the members of an OSV record that parse_osv_document() reads, into `advisory`
// as it would fill them (before its CVSS choice and evidence, which the caller adds).
// Returns false, having read nothing of use, for anything but a well-formed record of
// the usual shape: a syntax error, a value of another type than the schema's, a null, a
// member given twice, an event that is not one string, nesting or size past `limits`,
// no id. The caller then parses the tree, which says what is wrong in its own words:
// this reader is a faster path to the same result, never a second judge of a record.
bool read_osv_stream(std::string_view text, const JsonLimits& limits, facts::Advisory& advisory);

}  // namespace uprank::fetch::internal
