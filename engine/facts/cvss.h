// CVSS v3.x base scores computed from vector strings, as OSV gives only the vector.
#pragma once

#include <optional>
#include <string_view>

namespace uprank::facts {

// Returns the CVSS v3.0/v3.1 base score (0.0 to 10.0) of a vector such as
// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", or nullopt when the vector is not a
// complete, valid v3 vector. Follows the FIRST CVSS v3.1 specification, section 7.
std::optional<double> cvss3_base_score(std::string_view vector);

}  // namespace uprank::facts
