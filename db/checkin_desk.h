// CheckinDesk: the one path every check-in takes (camera, handheld scanner,
// volunteer keyboard): normalise the code, look it up, rule, append to the log,
// and make it durable before answering. Safe across processes: concurrent
// desks on one file admit a ticket exactly once. One desk per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"

namespace checkin::db {

struct RedeemRequest {
  std::string_view payload;  // raw bytes as scanned or typed
  std::string gate;          // a configured gate name
  std::string station;
  Direction direction = Direction::kEntry;
  ScanSource source = ScanSource::kManual;
};

struct UndoResult {
  Attendee attendee;
  PreviousCheckin undone;  // the admission that no longer counts
  std::string undo_uuid;
};

class CheckinDesk {
 public:
  // NotFound if the database holds no event yet.
  static Result<std::unique_ptr<CheckinDesk>> Create(Database& db, const Clock& clock, Config config);
  ~CheckinDesk();

  // Every presented code gets a Decision and one log row, committed with
  // fsync before this returns. Errors (unknown gate, disk full, database busy
  // past the timeout) mean nothing was recorded and nobody may be let in on it.
  Result<Decision> Redeem(const RedeemRequest& req);

  // Reverts the newest admission still in force at `station` (a volunteer's
  // mis-scan), or the attendee's newest one. NotFound if there is none.
  Result<UndoResult> UndoLastAtStation(const std::string& station);
  Result<UndoResult> UndoForCode(std::string_view code, const std::string& station);

  const std::string& timezone() const { return timezone_; }
  const Config& config() const { return config_; }

 private:
  struct Statements;
  CheckinDesk(Database& db, const Clock& clock, Config config, std::string timezone);
  Result<UndoResult> Undo(int64_t checkin_id, int64_t attendee_id, const PreviousCheckin& undone,
                          const std::string& station);

  Database& db_;
  const Clock& clock_;
  Config config_;
  std::string timezone_;
  std::unique_ptr<Statements> st_;
};

}  // namespace checkin::db
