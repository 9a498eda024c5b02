// Whether an end-of-life cycle is long-term support on a given day.
#pragma once

#include "engine/base/date.h"
#include "engine/facts/facts.h"

namespace uprank::facts {

// Returns whether `cycle` is LTS on `day`: flagged LTS, and, when endoflife.date gives the
// day it became LTS (`ltsFrom`: Node.js lines turn LTS in October after an April release,
// RHEL-style products later in life), that day has come. Before it the line is not LTS.
inline bool lts_on(const EolCycle& cycle, Date day) { return cycle.lts && (!cycle.lts_from || *cycle.lts_from <= day); }

}  // namespace uprank::facts
