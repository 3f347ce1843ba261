// What the help desk changes on the roster besides check-ins: a walk-in
// registered at the door, a misspelt name corrected before the badge
// prints, and the attendee's history it reads. Writes go through the roster
// import (db/roster_import.h), so the search index, the stations' change
// feed and the import history stay as an import leaves them. One call per
// connection at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "db/changes.h"
#include "db/database.h"

namespace checkin::db {

inline constexpr const char* kWalkInSource = "walkin";
inline constexpr size_t kMaxDeskFieldBytes = 200;

struct WalkIn {
  std::string first_name, last_name, email, company, ticket_type;
};

// A new valid ticket of source kWalkInSource with fresh codes. InvalidInput
// (naming the field) for a field that is not printable UTF-8 or too long, an
// empty name, or an email without '@'.
Result<Attendee> RegisterWalkIn(Database& db, const WalkIn& w, const Clock& clock,
                                Language lang = Language::kSpanish);

// The attendee with the name as corrected. NotFound for an unknown id;
// InvalidInput as above. A later sync from the platform writes the
// platform's name back: correct it there too.
Result<Attendee> CorrectName(Database& db, int64_t attendee_id, const std::string& first_name,
                             const std::string& last_name, const Clock& clock,
                             Language lang = Language::kSpanish);

// Every check-in row of the attendee (admissions, denials, undos), newest
// first, at most `limit`.
Result<std::vector<LoggedCheckin>> AttendeeHistory(Database& db, int64_t attendee_id, int limit);

}  // namespace checkin::db
