// PrintWorker: takes badge jobs off the check-in service's queue, renders them, hands
// them to a PrinterBackend and follows them until the printer says done.
// A printer that is away (off, unplugged, rejecting, missing) keeps jobs
// queued with the reason and a pause that grows to a minute, for as long as
// it takes; a job the printer itself refuses or drops fails after
// max_attempts. A worker restarted after a crash first checks the printer for
// the jobs it had claimed, so nothing is lost and nothing prints twice. One
// thread.
#pragma once

#include <chrono>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/result.h"
#include "printer/badge_layout.h"
#include "printer/printer_backend.h"

namespace checkin::printer {

struct WorkerConfig {
  std::string worker_id;  // stable across restarts: station and printer
  std::string station;    // where the daemon runs, as the print desk names it
  BadgeLayout layout;
  std::string event_name;
  int max_attempts = 8;  // tries that reached the printer; then the job fails
};

class PrintWorker {
 public:
  PrintWorker(CheckinService& service, PrinterBackend& backend, const Clock& clock,
              WorkerConfig config);

  // One round: follows the jobs this worker has at the printer, then claims
  // and submits one new job if none is waiting there and the printer is not
  // in its pause for being away. True if anything moved. Errors are the
  // service's; printer trouble is recorded on the job.
  Result<bool> Step();

  // Pause before the next try after `attempts` tries (or rounds away).
  static std::chrono::seconds Backoff(int attempts);

 private:
  Result<bool> Follow(const PrintJob& job);
  Status Submit(const PrintJob& job);
  // Unavailable from the printer is its being away; anything else is this
  // job's trouble.
  Status Trouble(const PrintJob& job, const Status& why);
  Status Away(const PrintJob& job, const std::string& why);
  // Why the printer takes no jobs now, or empty when it does.
  std::string WhyAway();
  Status Report(const PrintJob& job, PrintReport::Outcome outcome, std::string detail = {},
                std::chrono::seconds retry_in = {});

  CheckinService& service_;
  PrinterBackend& backend_;
  const Clock& clock_;
  WorkerConfig config_;
  int rounds_away_ = 0;  // in a row; the printer's, not any one job's
  std::chrono::steady_clock::time_point away_until_{};
};

}  // namespace checkin::printer
