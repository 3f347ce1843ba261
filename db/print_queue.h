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
#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

enum class JobState { kQueued, kPrinting, kDone, kFailed };
std::string_view JobStateName(JobState s);

struct PrintJob {
  int64_t id = 0;
  std::string token;  // random, so titles never collide across databases on one printer
  int64_t attendee_id = 0;
  std::string station;
  JobState state = JobState::kQueued;
  int attempts = 0;
  std::string last_error;
  std::string claimed_by;
  std::string printer;
  std::string printer_job_id;
  std::string created_at, updated_at;

  // What the job is called at the printer, so a daemon that died between
  // submitting and recording can find its own job there.
  std::string Title() const { return "checkin-badge-" + token; }
};

struct QueueCounts {
  int64_t queued = 0, printing = 0, done = 0, failed = 0;
};

class PrintQueue {
 public:
  PrintQueue(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // NotFound if the attendee does not exist.
  Result<int64_t> Enqueue(int64_t attendee_id, const std::string& station);

  // Claims the oldest due queued job for `worker` printing on `printer`.
  Result<std::optional<PrintJob>> Claim(const std::string& worker, const std::string& printer);

  // Jobs `worker` claimed and has not finished: after a restart these are
  // checked against the printer before anything new is claimed.
  Result<std::vector<PrintJob>> Claimed(const std::string& worker);

  Status MarkSubmitted(int64_t id, const std::string& printer_job_id);
  Status MarkDone(int64_t id);
  // Back to the queue, not to be claimed for `delay`, with the reason kept.
  Status Retry(int64_t id, const std::string& error, std::chrono::seconds delay);
  Status MarkFailed(int64_t id, const std::string& error);

  Result<QueueCounts> Counts();
  // Newest first.
  Result<std::vector<PrintJob>> Recent(int limit);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace checkin::db
