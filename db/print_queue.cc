#include "db/print_queue.h"

#include "common/random.h"
#include "db/attendee_row.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

constexpr const char* kColumns =
    "id, token, attendee_id, station, state, attempts, last_error, claimed_by, printer, "
    "printer_job_id,"
    " created_at, updated_at";

PrintJob ReadJob(const Statement& st) {
  PrintJob j;
  j.id = st.Int(0);
  j.token = st.Text(1);
  j.attendee_id = st.Int(2);
  j.station = st.Text(3);
  j.state = ParseJobState(st.Text(4)).value_or(JobState::kQueued);
  j.attempts = static_cast<int>(st.Int(5));
  j.last_error = st.Text(6);
  j.claimed_by = st.Text(7);
  j.printer = st.Text(8);
  j.printer_job_id = st.Text(9);
  j.created_at = st.Text(10);
  j.updated_at = st.Text(11);
  return j;
}

Result<std::vector<PrintJob>> ReadJobs(Statement& st) {
  std::vector<PrintJob> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadJob(st));
  }
  return out;
}

}  // namespace

Result<int64_t> PrintQueue::Enqueue(int64_t attendee_id, const std::string& station) {
  const std::string now = FormatUtc(clock_.Now());
  Statement ins(db_.handle(),
                std::string("INSERT INTO print_jobs (token, attendee_id, station, created_at,"
                            " updated_at) SELECT ?4, a.id, ?2, ?3, ?3 FROM attendees a"
                            " WHERE a.id = ?1 AND ") +
                    kVisible);
  ins.Bind(1, attendee_id).Bind(2, station).Bind(3, now).Bind(4, RandomBase32(16));
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
  Statement pick(db_.handle(), std::string("SELECT ") + kColumns +
                                   " FROM print_jobs WHERE state = 'queued' AND not_before <= ?1"
                                   " ORDER BY id LIMIT 1");
  pick.Bind(1, now);
  auto r = pick.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<PrintJob>();
  PrintJob job = ReadJob(pick);
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
               std::string("SELECT ") + kColumns +
                   " FROM print_jobs WHERE state = 'printing' AND claimed_by = ?1 ORDER BY id");
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
                                : c.failed) = st.Int(1);
  }
  return c;
}

Result<std::vector<PrintJob>> PrintQueue::Recent(int limit) {
  Statement st(db_.handle(),
               std::string("SELECT ") + kColumns + " FROM print_jobs ORDER BY id DESC LIMIT ?1");
  st.Bind(1, static_cast<int64_t>(limit));
  return ReadJobs(st);
}

}  // namespace checkin::db
