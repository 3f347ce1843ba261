// Who attended an event and when, for certificates of attendance: the
// admissions of the log with undos removed, and the event's certificate key.
// One Database per thread, as always.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

struct Attendance {
  Attendee attendee;
  std::vector<std::string> dates;  // local dates of the admitted entries, "2026-11-28", ascending
  std::optional<int64_t>
      minutes;  // inside, from entries to the exits after them; none without exits
};

// Every attendee admitted through an entry at least once (undone admissions
// do not count), in roster id order, with the dates in `timezone`.
Result<std::vector<Attendance>> ListAttendance(Database& db, const std::string& timezone);

// The event's certificate key (hex), made under the write lock on first use
// and never changed afterwards.
Result<std::string> CertificateKey(Database& db, const Clock& clock);

}  // namespace checkin::db
