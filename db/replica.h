// A paired station's replica: its own SQLite file, in the event schema, that
// holds the hub's roster and check-in log as the change feed (db/changes.h)
// brings them. When the hub is away the station decides against it with the
// same CheckinDesk rules (LocalDesk::Over(replica.database())), and every
// check-in it writes there is in the outbox until the hub has it.
//
// The outbox needs no second write: it is every check-in in the file that
// did not come from the hub and that the hub has not acknowledged, so a
// check-in is queued by the same commit that records it. One connection;
// one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/records.h"
#include "common/result.h"
#include "db/changes.h"
#include "db/database.h"

namespace checkin::db {

class Replica {
 public:
  // Opens the replica at `path`, creating it for `event` if missing.
  // InvalidInput when the file holds another event (named differently or
  // made at another time): a station paired with a new hub starts afresh.
  static Result<std::unique_ptr<Replica>> Open(const std::string& path, const EventInfo& event,
                                               const Clock& clock);
  // An existing replica; NotFound if there is none at `path`.
  static Result<std::unique_ptr<Replica>> OpenExisting(const std::string& path, const Clock& clock);
  ~Replica();

  Database& database() { return *db_; }

  Result<ChangeCursor> Cursor();
  // One page of the feed: attendees written (with their search terms),
  // check-ins added unless the file has them already, the cursor moved; all
  // in one transaction.
  Status Apply(const Changes& page);

  // A check-in the hub just decided for this station: kept at once, so the
  // station knows it should the hub go away before the next pull (which
  // brings it again and finds it here).
  Status Remember(const LoggedCheckin& c);

  // What is waiting for the hub, oldest first, at most `limit`.
  Result<std::vector<LoggedCheckin>> Outbox(int limit);
  Result<int64_t> OutboxSize();
  // The hub has these (by uuid): they leave the outbox.
  Status Acknowledge(const std::vector<std::string>& uuids);
  // The hub refused this one for `reason`: it leaves the outbox but stays in
  // the file (and is counted), never silently dropped.
  Status Refuse(const std::string& uuid, const std::string& reason);
  Result<int64_t> RefusedCount();

  // A badge asked for while the hub was away (an admission decided here):
  // kept until Sync() queues it on the hub, then BadgeSent.
  struct PendingBadge {
    int64_t id = 0;
    int64_t attendee_id = 0;
    std::string station;
  };
  Result<int64_t> QueueBadge(int64_t attendee_id, const std::string& station);
  Result<std::vector<PendingBadge>> PendingBadges(int limit);
  Status BadgeSent(int64_t id);

  // The hub's clock minus ours, as last seen; and when the replica last
  // heard from the hub (for `station status`).
  Status NoteHub(std::chrono::milliseconds offset);
  struct HubContact {
    std::optional<std::chrono::milliseconds> offset;
    std::string last_contact;  // FormatUtc, empty if never
    std::string last_pull;     // when the feed was last read to its end
  };
  Result<HubContact> Contact();
  Status NotePulled();

 private:
  Replica(std::unique_ptr<Database> db, const Clock& clock);
  std::unique_ptr<Database> db_;
  const Clock& clock_;
};

}  // namespace checkin::db
