// The event's change feed, which keeps stations' replicas in step: the
// attendees written after a (revision, id) cursor and the check-ins logged
// after an id, a page at a time. Read on the hub's file; applied to a
// station's replica by db/replica.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"
#include "db/registration_source.h"

namespace checkin::db {

// Where a station is in the feed. The default asks for everything.
struct ChangeCursor {
  int64_t rev = -1;         // attendees: revision of the last one received...
  int64_t attendee_id = 0;  // ...and its id (several rows share a revision)
  int64_t checkin_id = 0;   // check-ins: the hub's id of the last one received
  int64_t rules_rev = 0;    // the platform rules' revision held (0: none yet)
  bool operator==(const ChangeCursor&) const = default;
};

// One row of the check-in log as it travels: by uuid, never by the hub's
// row id, which means nothing in a replica.
struct LoggedCheckin {
  std::string uuid;
  int64_t attendee_id = 0;  // 0: the code matched nobody
  std::string code, gate, station;
  Direction direction = Direction::kEntry;
  std::string kind;  // "admitted", "denied", "undo"
  ScanSource source = ScanSource::kManual;
  std::string verdict, reason;
  std::string undoes;  // uuid of the admission an undo takes back; empty otherwise
  std::string at;
  bool offline = false;
};

// One source's platform rules (signing keys, products, barred codes).
struct SourceRules {
  std::string source;
  PlatformRules rules;
};

struct Changes {
  std::vector<Attendee> attendees;  // each with every field, the email as stored
  std::vector<LoggedCheckin> checkins;
  // Set when the rules changed since the cursor's rules_rev: every source's,
  // to replace all the replica holds, so a station checks signed tickets
  // while cut off from the hub.
  std::optional<std::vector<SourceRules>> rules;
  ChangeCursor next;  // ask from here next time
  bool more = false;  // a full page: ask again at once
};

// At most `limit` attendees and `limit` check-ins after `from`. Rows an
// import is still writing are left out, and `next` never passes them, so
// they come when the import ends. A snapshot: attendees and check-ins are
// read in one transaction.
Result<Changes> ChangesSince(Database& db, const ChangeCursor& from, int limit);

}  // namespace checkin::db
