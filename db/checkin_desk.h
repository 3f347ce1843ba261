// CheckinDesk: the one path every check-in takes (camera, handheld scanner,
// volunteer keyboard): normalise the code, look it up, rule, append to the log,
// and make it durable before answering. Safe across processes: concurrent
// desks on one file admit a ticket exactly once. One desk per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "common/verdict.h"
#include "db/database.h"
#include "db/unlisted_code.h"

namespace checkin::db {

class CheckinDesk {
 public:
  // NotFound if the database holds no event yet.
  static Result<std::unique_ptr<CheckinDesk>> Create(Database& db, const Clock& clock,
                                                     Config config);
  ~CheckinDesk();

  // Every presented code gets a Decision and one log row, committed with
  // fsync before this returns. Errors (unknown gate or attendee id, disk full,
  // database busy past the timeout, NotFound for a file moved, deleted or
  // replaced since it was opened) mean nothing was recorded and nobody may
  // be let in on it.
  //
  // A request with a nonce (RFC 4122 text, either case) records it,
  // lowercased, as the row's uuid. When a row already has it, the decision
  // recorded there comes back (with the attendee as they are now) and
  // nothing is written; Conflict when that row is an undo or was another
  // scan (code or attendee, gate, station or direction differ).
  // InvalidInput for a nonce that is not a UUID.
  Result<Decision> Redeem(const RedeemRequest& req);

  // Reverts the newest admission still in force at the station (a
  // volunteer's mis-scan), or the attendee's newest one, with an undo row.
  // NotFound if there is none; InvalidInput for an empty code or id < 1.
  Result<UndoResult> Undo(const UndoRequest& req);

  const std::string& timezone() const { return timezone_; }
  const Config& config() const { return config_; }

 private:
  struct Statements;
  CheckinDesk(Database& db, const Clock& clock, Config config, std::string timezone,
              bool adds_tickets);
  // The attendee's latest admission still in force, if any.
  Result<std::optional<PreviousCheckin>> LastInForce(const Attendee& a);
  // Decides `req` and records it, in one transaction. nullopt, with nothing
  // written, when the roster lacks the code and `unlisted` is null: `missed`
  // then holds the code, for the platform's rules to rule before deciding
  // again with their answer.
  Result<std::optional<Decision>> DecideAndRecord(const RedeemRequest& req, const Gate& gate,
                                                  const std::string& nonce,
                                                  const UnlistedCode* unlisted,
                                                  std::string* missed);
  // The decision recorded under `nonce`, if any (inside Redeem's transaction).
  Result<std::optional<Decision>> Recorded(const std::string& nonce, const RedeemRequest& req,
                                           const std::string& gate);
  Result<UndoResult> UndoLastAtStation(const UndoRequest& req);
  Result<UndoResult> UndoForAttendee(const Attendee& a, const UndoRequest& req);
  Result<std::optional<Attendee>> FindByCode(std::string_view code);
  Result<std::optional<Attendee>> FindById(int64_t id);
  Result<UndoResult> Revert(int64_t checkin_id, int64_t attendee_id, const PreviousCheckin& undone,
                            const UndoRequest& req);

  Database& db_;
  const Clock& clock_;
  Config config_;
  std::string timezone_;
  bool adds_tickets_;  // false over a replica: see db/unlisted_code.h
  std::unique_ptr<Statements> st_;
};

}  // namespace checkin::db
