// CheckinService: the seam between where a check-in is decided and who asks
// (the camera station, the help desk, the print daemon, the CLI, later the
// pages). Implementations: the SQLite desk on a local event file (db/), and
// the hub's remote and fallback desks. One shared test suite
// (tests/common/checkin_service_contract.h) runs against each of them.
//
// The contract every implementation keeps:
// - Exactly once: however many stations present one ticket, at most one
//   admission is in force for it at a time.
// - Durable before answering: a Decision or UndoResult returned has been
//   recorded so that it survives a crash of the process and of the machine.
// - An error means nothing was recorded: nobody may be let in on it, and the
//   same request may be tried again.
// An instance is used from one thread at a time; make one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/attendee.h"
#include "common/records.h"
#include "common/result.h"
#include "common/verdict.h"

namespace checkin {

struct RedeemRequest {
  std::string payload;  // raw bytes as scanned or typed
  std::string gate;     // a configured gate name
  std::string station;
  Direction direction = Direction::kEntry;
  ScanSource source = ScanSource::kManual;
  int64_t attendee_id = 0;  // > 0: check in this attendee, found by search (payload unused)
  // Names this presentation across retries: a station makes one (RandomUuid)
  // per scan and sends it again when it did not hear the answer. The service
  // records it as the check-in's uuid; a request with a nonce already
  // recorded gets the recorded decision back and writes nothing. Empty: the
  // service makes one. "= {}" lets a braced request stop before it without
  // -Wmissing-field-initializers.
  std::string nonce = {};
};

// Which admission an undo takes back.
struct UndoRequest {
  enum class Target {
    kLastAtStation,  // the newest admission still in force at `station`
    kCode,           // the newest one of the attendee holding `code`
    kAttendee,       // the newest one of `attendee_id`
  };
  Target target = Target::kLastAtStation;
  std::string code;
  int64_t attendee_id = 0;
  std::string station;  // where the undo is made (and, for kLastAtStation, whose)
  // Why, in the volunteer's words, kept in the log: at most kMaxUndoReasonBytes
  // of printable UTF-8. "= {}" as for RedeemRequest::nonce.
  std::string reason = {};
};
inline constexpr size_t kMaxUndoReasonBytes = 200;

// What a print daemon says about a job it claimed.
struct PrintReport {
  enum class Outcome {
    kSubmitted,  // handed to the printer as `printer_job_id`
    kDone,       // the printer says it is printed
    kRetry,      // back to the queue with `error`, not claimed for `retry_in`
    kAway,       // as kRetry, but the printer was away: the claim is not an attempt
    kFailed,     // given up with `error`
  };
  Outcome outcome = Outcome::kDone;
  std::string printer_job_id;
  std::string error;
  std::chrono::seconds retry_in{0};
};

// Which stretch of the check-in log the stats count.
struct StatsRequest {
  // When set, by_gate and denials_by_verdict count only what was recorded at
  // or after it (a door's "today"); the roster's figures (expected,
  // checked_in, inside_now, cancelled, conflicts) stay whole-event states.
  std::optional<std::chrono::system_clock::time_point> since;
};

class CheckinService {
 public:
  virtual ~CheckinService() = default;

  // NotFound when the event has not been set up.
  virtual Result<EventInfo> Event() = 0;

  // Every presented code gets a Decision, recorded. Errors: InvalidInput for
  // an unknown gate or attendee id; Unavailable when the store is busy or
  // away (retry); NotFound when the store itself is gone for this instance
  // (its file was moved, deleted or replaced): every later call fails the
  // same way, so stop and start again. Nothing is recorded on any error.
  virtual Result<Decision> Redeem(const RedeemRequest& req) = 0;
  // NotFound when there is no admission in force to take back;
  // InvalidInput for an empty code or an attendee id below 1.
  virtual Result<UndoResult> Undo(const UndoRequest& req) = 0;

  // Accent- and case-insensitive; every word must prefix-match a word of the
  // name, email or company. InvalidInput for an empty query.
  virtual Result<std::vector<SearchHit>> Search(std::string_view query, int limit) = 0;
  // By ticket or badge code, or by id; nullopt when nobody matches.
  virtual Result<std::optional<Attendee>> FindByCode(std::string_view code) = 0;
  virtual Result<std::optional<Attendee>> FindById(int64_t id) = 0;
  virtual Result<Stats> ComputeStats(const StatsRequest& req) = 0;

  // The badge print queue. NotFound when the attendee does not exist.
  virtual Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) = 0;
  // Claims the oldest due queued job for `worker` printing on `printer`;
  // two workers never get the same job. NotFound, as for Redeem, when the
  // store is gone for good: stop.
  virtual Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& worker,
                                                        const std::string& printer) = 0;
  // Jobs `worker` claimed and has not finished (checked against the printer
  // after a restart before anything new is claimed).
  virtual Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& worker) = 0;
  virtual Status ReportPrintJob(int64_t job_id, const PrintReport& report) = 0;
  virtual Result<QueueCounts> PrintQueueCounts() = 0;
  // Newest first.
  virtual Result<std::vector<PrintJob>> RecentPrintJobs(int limit) = 0;
  // What a print daemon last saw of its printer, kept for the print desk.
  // Returns whether the print desk has paused this daemon's printing
  // (ClaimPrintJob then gives it nothing until resumed).
  virtual Result<bool> ReportPrinter(const PrinterReport& report) = 0;
};

}  // namespace checkin
