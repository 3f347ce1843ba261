// PrintQueue: badge print jobs in the event database, shared by the stations
// that queue them (a scan, a reprint) and the daemons that print them. Every
// change is one short transaction, so two daemons on one file never claim the
// same job. One PrintQueue per connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/records.h"
#include "common/result.h"
#include "db/database.h"
#include "db/statement.h"

namespace checkin::db {

// Columns to select (qualified by alias `j`), in the order ReadPrintJob
// expects.
inline constexpr const char* kPrintJobColumns =
    "j.id, j.token, j.attendee_id, j.station, j.state, j.attempts, j.last_error, j.claimed_by,"
    " j.printer, j.printer_job_id, j.created_at, j.updated_at, j.reason";
inline constexpr int kPrintJobColumnCount = 13;
PrintJob ReadPrintJob(const Statement& st, int first = 0);

class PrintQueue {
 public:
  PrintQueue(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // NotFound if the attendee does not exist. `reason`: why a badge is
  // printed again (PrintJob::reason).
  Result<int64_t> Enqueue(int64_t attendee_id, const std::string& station,
                          const std::string& reason = {});

  // Claims the oldest due queued job for `worker` printing on `printer`;
  // nothing while the print desk holds `worker` (see RecordPrinter).
  Result<std::optional<PrintJob>> Claim(const std::string& worker, const std::string& printer);

  // Jobs `worker` claimed and has not finished: after a restart these are
  // checked against the printer before anything new is claimed.
  Result<std::vector<PrintJob>> Claimed(const std::string& worker);

  Status MarkSubmitted(int64_t id, const std::string& printer_job_id);
  Status MarkDone(int64_t id);
  // Whether the claim being given back counts as an attempt: not when the
  // printer was away and the job never reached it.
  enum class Attempt { kCounted, kNotCounted };
  // Back to the queue, not to be claimed for `delay`, with the reason kept.
  Status Retry(int64_t id, const std::string& error, std::chrono::seconds delay, Attempt attempt);
  Status MarkFailed(int64_t id, const std::string& error);

  Result<QueueCounts> Counts();

  // Keeps what a daemon says of its printer for the print desk. Returns
  // whether the desk holds this daemon's printing, and whether what the
  // printer says changed (so pages are told only then).
  struct Recorded {
    bool held = false;
    bool changed = false;
  };
  Result<Recorded> RecordPrinter(const PrinterReport& report);
  // Newest first.
  Result<std::vector<PrintJob>> Recent(int limit);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace checkin::db
