#include "db/print_queue.h"

#include "common/random.h"
#include "db/attendee_row.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

Result<std::vector<PrintJob>> ReadJobs(Statement& st) {
  std::vector<PrintJob> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadPrintJob(st));
  }
  return out;
}

}  // namespace

PrintJob ReadPrintJob(const Statement& st, int first) {
  PrintJob j;
  j.id = st.Int(first + 0);
  j.token = st.Text(first + 1);
  j.attendee_id = st.Int(first + 2);
  j.station = st.Text(first + 3);
  j.state = ParseJobState(st.Text(first + 4)).value_or(JobState::kQueued);
  j.attempts = static_cast<int>(st.Int(first + 5));
  j.last_error = st.Text(first + 6);
  j.claimed_by = st.Text(first + 7);
  j.printer = st.Text(first + 8);
  j.printer_job_id = st.Text(first + 9);
  j.created_at = st.Text(first + 10);
  j.updated_at = st.Text(first + 11);
  j.reason = st.Text(first + 12);
  return j;
}

Result<int64_t> PrintQueue::Enqueue(int64_t attendee_id, const std::string& station,
                                    const std::string& reason) {
  const std::string now = FormatUtc(clock_.Now());
  Statement ins(db_.handle(),
                std::string("INSERT INTO print_jobs (token, attendee_id, station, created_at,"
                            " updated_at, reason) SELECT ?4, a.id, ?2, ?3, ?3, ?5"
                            " FROM attendees a WHERE a.id = ?1 AND ") +
                    kVisible);
  ins.Bind(1, attendee_id).Bind(2, station).Bind(3, now).Bind(4, RandomBase32(16));
  ins.Bind(5, reason);
  if (Status s = ins.Run(); !s.ok()) return s;
  Statement id(db_.handle(), "SELECT changes(), last_insert_rowid()");
  auto r = id.Step();
  if (!r.ok()) return r.status();
  if (id.Int(0) == 0) return Status::NotFound("no attendee with id " + std::to_string(attendee_id));
  return id.Int(1);
}

Result<std::optional<PrintJob>> PrintQueue::Claim(const std::string& worker,
                                                  const std::string& printer) {
  const std::string now = FormatUtc(clock_.Now());
  Transaction tx(db_.handle());
  // The write lock first: two daemons asking at once are served one by one.
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement pick(db_.handle(),
                 std::string("SELECT ") + kPrintJobColumns +
                     " FROM print_jobs j WHERE state = 'queued' AND not_before <= ?1"
                     " AND NOT EXISTS (SELECT 1 FROM printers WHERE worker = ?2 AND held)"
                     " ORDER BY id LIMIT 1");
  pick.Bind(1, now).Bind(2, worker);
  auto r = pick.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<PrintJob>();
  PrintJob job = ReadPrintJob(pick);
  pick.Reset();
  Statement claim(
      db_.handle(),
      "UPDATE print_jobs SET state = 'printing', attempts = attempts + 1, claimed_by = ?2,"
      " printer = ?3, printer_job_id = '', updated_at = ?4 WHERE id = ?1");
  claim.Bind(1, job.id).Bind(2, worker).Bind(3, printer).Bind(4, now);
  if (Status s = claim.Run(); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  job.state = JobState::kPrinting;
  job.attempts += 1;
  job.claimed_by = worker;
  job.printer = printer;
  job.printer_job_id.clear();
  return std::optional<PrintJob>(job);
}

Result<std::vector<PrintJob>> PrintQueue::Claimed(const std::string& worker) {
  Statement st(db_.handle(),
               std::string("SELECT ") + kPrintJobColumns +
                   " FROM print_jobs j WHERE state = 'printing' AND claimed_by = ?1 ORDER BY id");
  st.Bind(1, worker);
  return ReadJobs(st);
}

Status PrintQueue::MarkSubmitted(int64_t id, const std::string& printer_job_id) {
  Statement st(db_.handle(),
               "UPDATE print_jobs SET printer_job_id = ?2, updated_at = ?3 WHERE id = ?1");
  st.Bind(1, id).Bind(2, printer_job_id).Bind(3, FormatUtc(clock_.Now()));
  return st.Run();
}

Status PrintQueue::MarkDone(int64_t id) {
  Statement st(
      db_.handle(),
      "UPDATE print_jobs SET state = 'done', last_error = '', updated_at = ?2 WHERE id = ?1");
  st.Bind(1, id).Bind(2, FormatUtc(clock_.Now()));
  return st.Run();
}

Status PrintQueue::Retry(int64_t id, const std::string& error, std::chrono::seconds delay,
                         Attempt attempt) {
  const auto now = clock_.Now();
  // Claim counted the attempt; giving it back keeps `attempts` the number of
  // times the job reached a printer.
  Statement st(db_.handle(),
               "UPDATE print_jobs SET state = 'queued', last_error = ?2, not_before = ?3,"
               " attempts = MAX(attempts - ?5, 0), claimed_by = '', printer_job_id = '',"
               " updated_at = ?4 WHERE id = ?1");
  st.Bind(1, id).Bind(2, error).Bind(3, FormatUtc(now + delay)).Bind(4, FormatUtc(now));
  st.Bind(5, int64_t{attempt == Attempt::kNotCounted ? 1 : 0});
  return st.Run();
}

Status PrintQueue::MarkFailed(int64_t id, const std::string& error) {
  Statement st(
      db_.handle(),
      "UPDATE print_jobs SET state = 'failed', last_error = ?2, updated_at = ?3 WHERE id = ?1");
  st.Bind(1, id).Bind(2, error).Bind(3, FormatUtc(clock_.Now()));
  return st.Run();
}

Result<QueueCounts> PrintQueue::Counts() {
  Statement st(db_.handle(), "SELECT state, COUNT(*) FROM print_jobs GROUP BY state");
  QueueCounts c;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    const JobState s = ParseJobState(st.Text(0)).value_or(JobState::kQueued);
    (s == JobState::kQueued     ? c.queued
     : s == JobState::kPrinting ? c.printing
     : s == JobState::kDone     ? c.done
     : s == JobState::kFailed   ? c.failed
                                : c.cancelled) = st.Int(1);
  }
  return c;
}

Result<std::vector<PrintJob>> PrintQueue::Recent(int limit) {
  Statement st(db_.handle(), std::string("SELECT ") + kPrintJobColumns +
                                 " FROM print_jobs j ORDER BY id DESC LIMIT ?1");
  st.Bind(1, static_cast<int64_t>(limit));
  return ReadJobs(st);
}

Result<PrintQueue::Recorded> PrintQueue::RecordPrinter(const PrinterReport& report) {
  const std::string now = FormatUtc(clock_.Now());
  Transaction tx(db_.handle());
  if (Status s = tx.Begin(TxMode::kImmediate); !s.ok()) return s;
  Statement was(db_.handle(),
                "SELECT station, printer, reachable, accepting, paused, reasons, held"
                " FROM printers WHERE worker = ?1");
  was.Bind(1, report.worker);
  auto r = was.Step();
  if (!r.ok()) return r.status();
  Recorded out;
  const PrinterState& st = report.state;
  if (*r) {
    out.held = was.Int(6) != 0;
    out.changed = was.Text(0) != report.station || was.Text(1) != report.printer ||
                  (was.Int(2) != 0) != st.reachable || (was.Int(3) != 0) != st.accepting ||
                  (was.Int(4) != 0) != st.paused || was.Text(5) != st.reasons;
  } else {
    out.changed = true;
  }
  was.Reset();
  Statement up(db_.handle(),
               "INSERT INTO printers (worker, station, printer, reachable, accepting, paused,"
               " reasons, reported_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
               " ON CONFLICT (worker) DO UPDATE SET station = ?2, printer = ?3, reachable = ?4,"
               " accepting = ?5, paused = ?6, reasons = ?7, reported_at = ?8,"
               " changed_at = CASE WHEN ?9 THEN ?8 ELSE changed_at END");
  up.Bind(1, report.worker).Bind(2, report.station).Bind(3, report.printer);
  up.Bind(4, int64_t{st.reachable}).Bind(5, int64_t{st.accepting}).Bind(6, int64_t{st.paused});
  up.Bind(7, st.reasons).Bind(8, now).Bind(9, int64_t{out.changed});
  if (Status s = up.Run(); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return out;
}

}  // namespace checkin::db
