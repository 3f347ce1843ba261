// How a checkins row travels as a LoggedCheckin (db/changes.h), shared by
// the change feed, the replica and the hub's record of offline uploads.
#pragma once

#include "db/changes.h"
#include "db/statement.h"

namespace checkin::db {

// Columns to select, from `checkins c LEFT JOIN checkins u ON u.id =
// c.undoes`, in the order ReadLoggedCheckin expects.
inline constexpr const char* kLoggedCheckinColumns =
    "c.uuid, c.attendee_id, c.code, c.gate, c.station, c.direction, c.kind, c.source,"
    " c.verdict, c.reason, u.uuid, c.at, c.offline";

// Reads the columns above starting at `first`.
LoggedCheckin ReadLoggedCheckin(const Statement& st, int first = 0);

// Binds ?1 to ?10 of an INSERT INTO checkins listing (uuid, attendee_id,
// code, gate, station, direction, kind, source, verdict, reason, ...); the
// caller binds the rest.
void BindLoggedCheckin(Statement& st, const LoggedCheckin& c);

}  // namespace checkin::db
