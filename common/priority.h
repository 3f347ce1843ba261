// Background work on a station laptop (a roster import, a sync) shares two
// cores with the doors; it asks the scheduler to let the doors go first.
#pragma once

#include "common/result.h"

namespace checkin {

// Lowers the calling thread's CPU priority (nice 10). Threads it starts
// afterwards inherit it; other threads of the process keep theirs.
Status LowerThisThreadsPriority();

}  // namespace checkin
