// Check-ins stations decided alone, while cut off from the hub, reaching the
// hub's log when they upload them; and the conflicts they reveal: one ticket
// admitted at two stations that could not see each other. Nothing is ever
// dropped or overwritten: both check-ins stay, the earlier scan is the
// admission and the later one is listed as a conflict.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/clock.h"
#include "common/records.h"
#include "common/result.h"
#include "db/changes.h"
#include "db/database.h"

namespace checkin::db {

struct UploadOutcome {
  enum class Kind {
    kRecorded,  // now in the log
    kAlready,   // the log had it (a retry): nothing written
    kRefused,   // not recorded; `reason` says why (the station keeps it)
  };
  std::string uuid;
  Kind kind = Kind::kRefused;
  std::string reason;
  bool conflict = false;  // recorded, and it made a conflict
};

// Records each check-in of `batch` in order, in one transaction, marked
// offline, with the scan time it carries (already on the hub's clock). A
// check-in already in the log by its uuid is not written again, so an upload
// cut off midway and sent again records each check-in exactly once. A
// refused one does not stop the others. An admission of a signed ticket the
// station's replica did not have (attendee_id 0) is recorded for its
// ticket, added to the roster if the hub lacks it too.
Result<std::vector<UploadOutcome>> RecordOffline(Database& db,
                                                 const std::vector<LoggedCheckin>& batch,
                                                 const Clock& clock);

struct ConflictSide {
  std::string uuid, gate, station, at;
  bool offline = false;
};
struct Conflict {
  Attendee attendee;
  ConflictSide first;   // the earlier scan: the admission
  ConflictSide second;  // the later one
  int64_t gap_ms = 0;
  std::string found_at;
};
// Every conflict, oldest first.
Result<std::vector<Conflict>> ListConflicts(Database& db);
Result<int64_t> CountConflicts(Database& db);
// The id of the newest check-in of the log (0 for none): how far a
// station's replica is behind, in check-ins.
Result<int64_t> NewestCheckinId(Database& db);

}  // namespace checkin::db
