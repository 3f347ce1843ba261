// A large past event for the report benchmark: a roster of generated
// attendees and a check-in log of two days written through the hub's own
// upload path (db::RecordOffline), so the log holds what stations write:
// admissions with a morning rush at three gates and six stations, exits and
// re-entries, repeated scans, unknown, cancelled and wrong-gate codes, undos
// and conflicts between stations. The same seed gives the same log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"

namespace checkin::bench {

struct ReportEventCounts {
  size_t attendees = 0;
  size_t log_rows = 0;  // check-ins recorded
  size_t admissions = 0, exits = 0, denials = 0, undos = 0, conflicts = 0;
};

// Creates `db_path` (it must not exist) with `attendees` tickets imported
// from a generic CSV written beside it, then `log_rows` check-ins on
// 2026-11-28 and 29 in America/Bogota. `progress` is told the rows
// recorded so far. DeviceError when a file cannot be written.
Result<ReportEventCounts> MakeReportEvent(const std::string& db_path, size_t attendees,
                                          size_t log_rows, uint64_t seed,
                                          const std::function<void(size_t)>& progress = {});

}  // namespace checkin::bench
