// Arrivals over time: admissions still in force (undos removed), entries
// only, counted per gate in fixed bins, for the dashboard's chart (and the
// report's, issue 13). One call per connection at a time, like the
// Database under it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

struct ArrivalBin {
  int64_t start_s = 0;  // seconds since 1970 UTC, a multiple of the bin
  std::string gate;
  int64_t count = 0;
};

// Bins of `bin` from `since` (a FormatUtc time) on, oldest first, then by
// gate; bins with no arrival are left out. InvalidInput for a bin under a
// minute.
Result<std::vector<ArrivalBin>> ArrivalsSince(Database& db, const std::string& since,
                                              std::chrono::minutes bin);

}  // namespace checkin::db
