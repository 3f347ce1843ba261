// What the print desk page reads and changes (issue 11): the queue with
// each badge's name, the printers as their daemons last reported them, a
// reprint with its reason, cancelling a badge not yet at a printer, and
// pausing or resuming one daemon's printing. The daemons' own side (claim,
// report) is PrintQueue's. One call per connection at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/messages.h"
#include "common/records.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

inline constexpr size_t kMaxReprintReasonBytes = 200;

// A print job with what the desk shows of its badge (no email: the print
// desk sees what the badge shows).
struct DeskJob {
  PrintJob job;
  std::string name, company, ticket_type;
};

struct DeskPrinter {
  PrinterReport report;
  bool held = false;
  std::string held_by;
  std::string reported_at, changed_at;
};

struct PrintDeskView {
  // Waiting and printing first, oldest first (the order they print in),
  // then the newest of the rest.
  std::vector<DeskJob> jobs;
  std::vector<DeskPrinter> printers;
  QueueCounts counts;
  // Badges printed again: jobs beyond each attendee's first, cancelled ones
  // left out, however they were asked for (page, `print reprint`).
  int64_t reprints = 0;
};

class PrintDesk {
 public:
  PrintDesk(Database& db, const Clock& clock, Language lang)
      : db_(db), clock_(clock), lang_(lang) {}

  // At most `limit` jobs that are done, failed or cancelled.
  Result<PrintDeskView> View(int limit);
  // A new job for the attendee with the reason (required: the count is
  // read afterwards by people who were not there). InvalidInput for an empty
  // or unprintable reason; NotFound for an unknown attendee.
  Result<int64_t> Reprint(int64_t attendee_id, const std::string& station,
                          const std::string& reason);
  // Takes a queued job off the queue. NotFound for an unknown job; Conflict,
  // in words, for one already at a printer or finished.
  Status Cancel(int64_t job_id, const std::string& station);
  // Holds (or resumes) the printing of the daemon `worker`. NotFound for a
  // daemon that never reported.
  Status Hold(const std::string& worker, bool held, const std::string& station);

 private:
  Database& db_;
  const Clock& clock_;
  const Language lang_;
};

}  // namespace checkin::db
