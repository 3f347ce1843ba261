#include "db/changes.h"

#include <limits>

#include "db/attendee_row.h"
#include "db/logged_checkin_row.h"
#include "db/platform_rules_store.h"
#include "db/statement.h"

namespace checkin::db {

namespace {

const std::string kAttendeesAfter = std::string("SELECT ") + kAttendeeColumns +
                                    ", a.rev FROM attendees a WHERE (a.rev, a.id) > (?1, ?2) AND " +
                                    kVisible + " ORDER BY a.rev, a.id LIMIT ?3";

const std::string kCheckinsAfter = std::string("SELECT c.id, ") + kLoggedCheckinColumns +
                                   " FROM checkins c LEFT JOIN checkins u ON u.id = c.undoes"
                                   " WHERE c.id > ?1 ORDER BY c.id LIMIT ?2";

// The newest revision a cursor may hold while imports are still writing
// ahead: just below the oldest such run, whose rows will appear with its
// revision when it ends.
constexpr const char* kHeldBelow = "SELECT MIN(rev) - 1 FROM import_runs";

}  // namespace

Result<Changes> ChangesSince(Database& db, const ChangeCursor& from, int limit) {
  if (limit < 1) return Status::InvalidInput("a page of changes holds at least one row");
  sqlite3* h = db.handle();
  Transaction snapshot(h);
  if (Status s = snapshot.Begin(TxMode::kDeferred); !s.ok()) return s;

  Changes out;
  out.next = from;
  Statement attendees(h, kAttendeesAfter);
  attendees.Bind(1, from.rev).Bind(2, from.attendee_id).Bind(3, int64_t{limit});
  int64_t last_rev = from.rev, last_id = from.attendee_id;
  for (;;) {
    auto row = attendees.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.attendees.push_back(ReadAttendee(attendees));
    last_rev = attendees.Int(kAttendeeColumnCount);
    last_id = out.attendees.back().id;
  }
  const bool attendees_full = out.attendees.size() == static_cast<size_t>(limit);

  Statement held(h, kHeldBelow);
  auto r = held.Step();
  if (!r.ok()) return r.status();
  const bool holding = *r && !held.IsNull(0) && last_rev > held.Int(0);
  if (holding) {
    // Everything after the held revision comes again next time, with the
    // run's rows once they exist. Not "more": the same page would repeat.
    out.next.rev = held.Int(0);
    out.next.attendee_id = std::numeric_limits<int64_t>::max();
  } else {
    out.next.rev = last_rev;
    out.next.attendee_id = last_id;
  }

  // A check-in names its attendee: while attendees are still paging, the
  // log waits, so a replica never holds a check-in of someone it lacks.
  bool checkins_full = false;
  if (!attendees_full) {
    Statement checkins(h, kCheckinsAfter);
    checkins.Bind(1, from.checkin_id).Bind(2, int64_t{limit});
    for (;;) {
      auto row = checkins.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.next.checkin_id = checkins.Int(0);
      out.checkins.push_back(ReadLoggedCheckin(checkins, 1));
    }
    checkins_full = out.checkins.size() == static_cast<size_t>(limit);
  }
  auto rules_rev = QueryInt(h, "SELECT COALESCE(MAX(rev), 0) FROM platform_rules_rev");
  if (!rules_rev.ok()) return rules_rev.status();
  if (*rules_rev != from.rules_rev) {
    auto rules = AllRules(h);
    if (!rules.ok()) return rules.status();
    out.rules = std::move(*rules);
    out.next.rules_rev = *rules_rev;
  }
  // Held back, the same attendees would come again at once; the rest waits
  // for the next regular pull (after the import, in practice).
  out.more = checkins_full || (attendees_full && !holding);
  if (Status s = snapshot.Commit(); !s.ok()) return s;
  return out;
}

}  // namespace checkin::db
