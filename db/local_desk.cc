#include "db/local_desk.h"

#include "db/roster.h"

namespace checkin::db {

LocalDesk::LocalDesk(std::unique_ptr<Database> owned, Database& db, const Clock& clock,
                     std::unique_ptr<CheckinDesk> desk)
    : owned_(std::move(owned)), db_(db), desk_(std::move(desk)), queue_(db, clock) {}

LocalDesk::~LocalDesk() = default;

Result<std::unique_ptr<LocalDesk>> LocalDesk::Open(const std::string& path, const Clock& clock,
                                                   Config config) {
  auto db = Database::Open(path, OpenMode::kMustExist, config.language);
  if (!db.ok()) return db.status();
  auto desk = CheckinDesk::Create(**db, clock, std::move(config));
  if (!desk.ok()) return desk.status();
  Database& ref = **db;
  return std::unique_ptr<LocalDesk>(new LocalDesk(std::move(*db), ref, clock, std::move(*desk)));
}

Result<std::unique_ptr<LocalDesk>> LocalDesk::Over(Database& db, const Clock& clock,
                                                   Config config) {
  auto desk = CheckinDesk::Create(db, clock, std::move(config));
  if (!desk.ok()) return desk.status();
  return std::unique_ptr<LocalDesk>(new LocalDesk(nullptr, db, clock, std::move(*desk)));
}

Result<EventInfo> LocalDesk::Event() { return db_.Event(); }

Result<Decision> LocalDesk::Redeem(const RedeemRequest& req) { return desk_->Redeem(req); }

Result<UndoResult> LocalDesk::Undo(const UndoRequest& req) { return desk_->Undo(req); }

Result<std::vector<SearchHit>> LocalDesk::Search(std::string_view query, int limit) {
  return SearchAttendees(db_, query, limit);
}

Result<std::optional<Attendee>> LocalDesk::FindByCode(std::string_view code) {
  return FindAttendeeByCode(db_, code);
}

Result<std::optional<Attendee>> LocalDesk::FindById(int64_t id) {
  return FindAttendeeById(db_, id);
}

Result<Stats> LocalDesk::ComputeStats(const StatsRequest& req) {
  return db::ComputeStats(db_, req);
}

// The print queue, like check-ins, only in the file other processes see.
Result<int64_t> LocalDesk::EnqueueBadge(int64_t attendee_id, const std::string& station) {
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  return queue_.Enqueue(attendee_id, station);
}

Result<std::optional<PrintJob>> LocalDesk::ClaimPrintJob(const std::string& worker,
                                                         const std::string& printer) {
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  return queue_.Claim(worker, printer);
}

Result<std::vector<PrintJob>> LocalDesk::ClaimedPrintJobs(const std::string& worker) {
  return queue_.Claimed(worker);
}

Status LocalDesk::ReportPrintJob(int64_t job_id, const PrintReport& report) {
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  using Outcome = PrintReport::Outcome;
  switch (report.outcome) {
    case Outcome::kSubmitted:
      if (report.printer_job_id.empty())
        return Status::InvalidInput("a submitted job needs the printer's job id");
      return queue_.MarkSubmitted(job_id, report.printer_job_id);
    case Outcome::kDone:
      return queue_.MarkDone(job_id);
    case Outcome::kRetry:
      return queue_.Retry(job_id, report.error, report.retry_in, PrintQueue::Attempt::kCounted);
    case Outcome::kAway:
      return queue_.Retry(job_id, report.error, report.retry_in, PrintQueue::Attempt::kNotCounted);
    case Outcome::kFailed:
      return queue_.MarkFailed(job_id, report.error);
  }
  return Status::InvalidInput("unknown print report");
}

Result<QueueCounts> LocalDesk::PrintQueueCounts() { return queue_.Counts(); }

Result<std::vector<PrintJob>> LocalDesk::RecentPrintJobs(int limit) { return queue_.Recent(limit); }

Result<PrintQueue::Recorded> LocalDesk::RecordPrinter(const PrinterReport& report) {
  if (Status s = db_.CheckStillAtPath(); !s.ok()) return s;
  return queue_.RecordPrinter(report);
}

Result<bool> LocalDesk::ReportPrinter(const PrinterReport& report) {
  auto recorded = RecordPrinter(report);
  if (!recorded.ok()) return recorded.status();
  return recorded->held;
}

}  // namespace checkin::db
