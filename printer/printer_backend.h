// PrinterBackend: where badge PDFs go. CUPS queues for real printers, a folder
// for layout checks and stations without one. Core logic (the print worker)
// sees only this interface, so tests swap in a fake with switchable faults.
// Implementations are used from one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/records.h"
#include "common/result.h"

namespace checkin::printer {

enum class RemoteJobState { kPending, kProcessing, kCompleted, kCancelled, kUnknown };

using PrinterStatus = PrinterState;

struct Media {
  double width_pt = 288, height_pt = 216;
};

class PrinterBackend {
 public:
  virtual ~PrinterBackend() = default;
  virtual std::string name() const = 0;
  // Hands one PDF to the printer and returns its job id. Unavailable when the
  // printer or server is away or takes no jobs for now (off, unplugged,
  // rejecting, missing): wait it out, however long. Any other error is the
  // printer refusing this job itself (its document or options).
  virtual Result<std::string> Submit(const std::string& pdf, const std::string& title,
                                     const Media& media) = 0;
  virtual Result<RemoteJobState> JobState(const std::string& job_id) = 0;
  // The id of a job with this title the printer still knows, so a job handed
  // over just before a crash is followed rather than printed again.
  // Unavailable, as for Submit, when the printer or server is away.
  virtual Result<std::optional<std::string>> FindJob(const std::string& title) = 0;
  virtual Result<PrinterStatus> State() = 0;
};

// "pdf:DIR" for a folder, anything else is a CUPS queue name (the server is
// $CUPS_SERVER or the local one).
Result<std::unique_ptr<PrinterBackend>> MakePrinterBackend(const std::string& spec);

}  // namespace checkin::printer
