// CVSS scoring lives with the fact model (engine/facts/cvss.h); fetchers use it from there.
#pragma once

#include "engine/facts/cvss.h"

namespace uprank::fetch {
using facts::cvss3_base_score;
}  // namespace uprank::fetch
