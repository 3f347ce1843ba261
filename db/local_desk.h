// LocalDesk: the check-in service on an event file on this machine: the
// SQLite CheckinDesk for redeem and undo, the roster queries and the badge
// print queue, behind the CheckinService interface. One connection; use it
// from one thread at a time (open one per thread or process).
#pragma once

#include <memory>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/config.h"
#include "db/checkin_desk.h"
#include "db/database.h"
#include "db/print_queue.h"

namespace checkin::db {

class LocalDesk final : public CheckinService {
 public:
  // Opens the event file at `path`: NotFound when it does not exist (with a
  // hint to run `checkin init`) or holds no event yet.
  static Result<std::unique_ptr<LocalDesk>> Open(const std::string& path, const Clock& clock,
                                                 Config config);
  // Over a database the caller keeps open (and alive longer than the desk).
  static Result<std::unique_ptr<LocalDesk>> Over(Database& db, const Clock& clock, Config config);
  ~LocalDesk() override;

  Database& database() { return db_; }
  const Config& config() const { return desk_->config(); }

  Result<EventInfo> Event() override;
  Result<Decision> Redeem(const RedeemRequest& req) override;
  Result<UndoResult> Undo(const UndoRequest& req) override;
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit) override;
  Result<std::optional<Attendee>> FindByCode(std::string_view code) override;
  Result<std::optional<Attendee>> FindById(int64_t id) override;
  Result<Stats> ComputeStats(const StatsRequest& req) override;
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override;
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& worker,
                                                const std::string& printer) override;
  Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& worker) override;
  Status ReportPrintJob(int64_t job_id, const PrintReport& report) override;
  Result<QueueCounts> PrintQueueCounts() override;
  Result<std::vector<PrintJob>> RecentPrintJobs(int limit) override;
  Result<bool> ReportPrinter(const PrinterReport& report) override;
  // As ReportPrinter, also saying whether the printer's state changed (the
  // hub tells its pages only then).
  Result<PrintQueue::Recorded> RecordPrinter(const PrinterReport& report);

 private:
  LocalDesk(std::unique_ptr<Database> owned, Database& db, const Clock& clock,
            std::unique_ptr<CheckinDesk> desk);

  std::unique_ptr<Database> owned_;  // null when the caller keeps the database
  Database& db_;
  std::unique_ptr<CheckinDesk> desk_;
  PrintQueue queue_;
};

}  // namespace checkin::db
