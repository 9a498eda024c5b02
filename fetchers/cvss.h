// CVSS scoring lives with the fact model (engine/facts/cvss.h); fetchers use it from there.
#pragma once

#include "engine/facts/cvss.h"

namespace uprank::fetch {
using facts::cvss_base_score;
using facts::preferred_cvss;
}  // namespace uprank::fetch
