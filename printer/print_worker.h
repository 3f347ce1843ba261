// PrintWorker: takes badge jobs off the check-in service's queue, renders them, hands
// them to a PrinterBackend and follows them until the printer says done.
// Printer trouble keeps jobs queued with the reason and a growing pause;
// a worker restarted after a crash first checks the printer for the jobs it
// had claimed, so nothing is lost and nothing prints twice. One thread.
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
  std::string worker_id;  // stable across restarts: host and printer
  BadgeLayout layout;
  std::string event_name;
  int max_attempts = 8;  // then the job fails with its last reason
};

class PrintWorker {
 public:
  PrintWorker(CheckinService& service, PrinterBackend& backend, const Clock& clock,
              WorkerConfig config);

  // One round: follows the jobs this worker has at the printer, then claims
  // and submits one new job if none is waiting there. True if anything moved.
  // Errors are the service's; printer trouble is recorded on the job.
  Result<bool> Step();

  // Pause before the next try of a job after `attempts` tries.
  static std::chrono::seconds Backoff(int attempts);

 private:
  Result<bool> Follow(const PrintJob& job);
  Status Submit(const PrintJob& job);
  Status Trouble(const PrintJob& job, const std::string& why);
  Status Report(const PrintJob& job, PrintReport::Outcome outcome, std::string detail = {},
                std::chrono::seconds retry_in = {});

  CheckinService& service_;
  PrinterBackend& backend_;
  const Clock& clock_;
  WorkerConfig config_;
};

}  // namespace checkin::printer
