// What the roster sync has done, kept in the event file: one row per pass
// (table sync_passes), so the next pass knows where to resume and
// `roster sync --status` can say how it went. A SyncState uses one
// connection: one thread at a time, like its Database.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

// One pass as recorded. Times are UTC as FormatUtc writes them.
struct SyncPass {
  std::string source;  // the roster's source name: pretix, eventbrite, sympla
  std::string target;  // platform, URL and event (never a token)
  std::string started_at, finished_at;
  bool ok = false;
  bool full = false;  // asked for every ticket, so missing ones were counted
  int rows = 0, added = 0, updated = 0, cancelled = 0, unchanged = 0, missing = 0;
  std::string cursor;   // where the next incremental pass starts; "" after a failure
  std::string error;    // why it failed, in words; "" when ok
  std::string next_at;  // when its loop runs the next pass; "" for a pass run by hand
};

// Where the next pass of a target starts.
struct SyncResume {
  std::string cursor;        // the last good pass's; "" when there is none
  std::string last_full_at;  // when the last good full pass started; "" if never
};

// One target's state for --status.
struct SyncTargetStatus {
  SyncPass last;              // its newest pass
  std::string last_ok_at;     // when its newest good pass finished; "" if never
  std::string last_error;     // its newest failure's words; "" if none failed
  std::string last_error_at;  // ... and when that pass finished
  int failures_in_a_row = 0;  // failed passes since the last good one
  std::string next_at;        // the newest next_at a loop wrote; "" if none ran
};

class SyncState {
 public:
  explicit SyncState(Database& db) : db_(db) {}

  // Appends `pass` and forgets all but the newest kKeptPasses of its target.
  Status Record(const SyncPass& pass);
  Result<SyncResume> ResumeFor(const std::string& target);
  // Every target that ever synced, the most recently synced first.
  Result<std::vector<SyncTargetStatus>> Targets();

  static constexpr int kKeptPasses = 500;

 private:
  Database& db_;
};

}  // namespace checkin::db
