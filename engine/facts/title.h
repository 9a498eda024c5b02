// The one-line title an advisory is shown by, where a record gives no summary.
#pragma once

#include <string>

#include "engine/facts/facts.h"

namespace uprank::facts {

// Longest title taken from an advisory's details, in bytes (a UTF-8 sequence is never cut).
inline constexpr size_t kMaxDetailsTitle = 120;

// Returns the advisory's title: its summary; else, when the record has none (OSV makes
// `summary` optional, and PyPA's PYSEC records often carry `details` alone), the first
// line or sentence of `details` after any Markdown heading, whitespace collapsed, cut to
// kMaxDetailsTitle bytes with "…"; "" when it has neither. The text is raw: each writer escapes it for its format.
std::string advisory_title(const Advisory& advisory);

}  // namespace uprank::facts
