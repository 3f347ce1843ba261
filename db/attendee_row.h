// How an attendees row becomes an Attendee, shared by the db module's queries.
#pragma once

#include "common/attendee.h"
#include "db/statement.h"

namespace checkin::db {

// Columns to select (qualified by alias `a`), in the order ReadAttendee expects.
inline constexpr const char* kAttendeeColumns =
    "a.id, a.ticket_code, a.badge_code, a.first_name, a.last_name, a.email, a.company,"
    " a.ticket_type, a.status, a.upstream_status, a.order_id, a.ticket_id, a.source,"
    " a.checkin_lists, a.blocked, a.valid_from, a.valid_until";
inline constexpr int kAttendeeColumnCount = 17;

// True for rows (alias `a`) that exist: not those an import is still writing
// (see import_runs in db/schema.cc). Every reader of attendees adds it.
inline constexpr const char* kVisible =
    "NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.id = a.import_run)";

// Reads the columns above starting at `first`.
Attendee ReadAttendee(const Statement& st, int first = 0);

}  // namespace checkin::db
