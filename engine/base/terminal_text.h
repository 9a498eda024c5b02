// Making untrusted text safe to print on a terminal, and telling whether it is UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace uprank {

// Returns `text` with everything a terminal would act on rather than show made visible:
// C0 controls (ESC starts escape sequences; CR rewrites a line) and DEL as "\xNN"; C1
// controls (U+0080-U+009F, which include the 8-bit CSI) and the bidirectional overrides
// and isolates (U+202A-U+202E, U+2066-U+2069, which reorder what is shown, the
// "Trojan Source" attack) as "\u{NNNN}"; bytes that are not valid UTF-8 as "\xNN".
// Tab is kept; newline is kept only with `keep_newlines` (multi-line messages).
// Everything else, including all other valid UTF-8, is unchanged.
std::string escape_for_terminal(std::string_view text, bool keep_newlines = false);

// Returns whether `text` is entirely well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF; RFC 3629), as JSON strings must be.
bool is_valid_utf8(std::string_view text);

}  // namespace uprank
