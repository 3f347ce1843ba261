#include "db/print_desk.h"

#include <sqlite3.h>

#include "common/text.h"
#include "db/attendee_row.h"
#include "db/print_queue.h"
#include "db/statement.h"

namespace checkin::db {
namespace {

Result<std::vector<DeskJob>> ReadDeskJobs(Statement& st) {
  std::vector<DeskJob> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    DeskJob d;
    d.job = ReadPrintJob(st);
    const int k = kPrintJobColumnCount;
    d.name = st.Text(k);
    d.company = st.Text(k + 1);
    d.ticket_type = st.Text(k + 2);
    out.push_back(std::move(d));
  }
  return out;
}

std::string JobsWhere(const char* where, const char* order) {
  return std::string("SELECT ") + kPrintJobColumns +
         ", TRIM(a.first_name || ' ' || a.last_name), a.company, a.ticket_type"
         " FROM print_jobs j JOIN attendees a ON a.id = j.attendee_id WHERE " +
         where + " ORDER BY " + order + " LIMIT ?1";
}

}  // namespace

Result<PrintDeskView> PrintDesk::View(int limit) {
  PrintDeskView view;
  // Everything still to print is shown, however long the queue: the desk
  // must see the badge it is looking for.
  Statement active(db_.handle(), JobsWhere("j.state IN ('queued', 'printing')", "j.id").c_str());
  active.Bind(1, int64_t{100000});
  auto jobs = ReadDeskJobs(active);
  if (!jobs.ok()) return jobs.status();
  view.jobs = std::move(*jobs);
  Statement rest(db_.handle(),
                 JobsWhere("j.state NOT IN ('queued', 'printing')", "j.id DESC").c_str());
  rest.Bind(1, static_cast<int64_t>(limit));
  jobs = ReadDeskJobs(rest);
  if (!jobs.ok()) return jobs.status();
  for (DeskJob& d : *jobs) view.jobs.push_back(std::move(d));

  Statement printers(db_.handle(),
                     "SELECT worker, station, printer, reachable, accepting, paused, reasons, held,"
                     " held_by, reported_at, changed_at FROM printers ORDER BY station, worker");
  for (;;) {
    auto r = printers.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    DeskPrinter p;
    p.report.worker = printers.Text(0);
    p.report.station = printers.Text(1);
    p.report.printer = printers.Text(2);
    p.report.state.reachable = printers.Int(3) != 0;
    p.report.state.accepting = printers.Int(4) != 0;
    p.report.state.paused = printers.Int(5) != 0;
    p.report.state.reasons = printers.Text(6);
    p.held = printers.Int(7) != 0;
    p.held_by = printers.Text(8);
    p.reported_at = printers.Text(9);
    p.changed_at = printers.Text(10);
    view.printers.push_back(std::move(p));
  }

  PrintQueue queue(db_, clock_);
  auto counts = queue.Counts();
  if (!counts.ok()) return counts.status();
  view.counts = *counts;
  Statement reprints(db_.handle(),
                     "SELECT COUNT(*) - COUNT(DISTINCT attendee_id) FROM print_jobs"
                     " WHERE state != 'cancelled'");
  auto r = reprints.Step();
  if (!r.ok()) return r.status();
  view.reprints = reprints.Int(0);
  return view;
}

Result<int64_t> PrintDesk::Reprint(int64_t attendee_id, const std::string& station,
                                   const std::string& reason) {
  const std::string_view why = Trim(reason);
  if (why.empty() || why.size() > kMaxReprintReasonBytes || !IsValidUtf8(why) ||
      ForTerminal(why) != why) {
    return Status::InvalidInput(
        Localized(lang_, "diga por qué se reimprime (texto de hasta 200 caracteres, sin controles)",
                  "say why the badge is printed again (text of at most 200 bytes, no controls)"));
  }
  PrintQueue queue(db_, clock_);
  return queue.Enqueue(attendee_id, station, std::string(why));
}

Status PrintDesk::Cancel(int64_t job_id, const std::string& station) {
  const std::string why =
      Localized(lang_, "cancelada en la mesa de impresión", "cancelled at the print desk") +
      (station.empty() ? "" : " (" + station + ")");
  // One statement: a daemon claiming the job at the same moment either got
  // it first (nothing changes here) or finds it cancelled.
  Statement st(db_.handle(),
               "UPDATE print_jobs SET state = 'cancelled', last_error = ?2, updated_at = ?3"
               " WHERE id = ?1 AND state = 'queued'");
  st.Bind(1, job_id).Bind(2, why).Bind(3, FormatUtc(clock_.Now()));
  if (Status s = st.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_.handle()) == 1) return Status::Ok();
  Statement was(db_.handle(), "SELECT state FROM print_jobs WHERE id = ?1");
  was.Bind(1, job_id);
  auto r = was.Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    return Status::NotFound(Localized(lang_, "no hay trabajo de impresión ", "no print job ") +
                            std::to_string(job_id));
  }
  const auto state = ParseJobState(was.Text(0)).value_or(JobState::kQueued);
  if (state == JobState::kPrinting) {
    return Status::Conflict(Localized(
        lang_, "la escarapela ya está en la impresora: cancélela en la impresora si aún no sale",
        "the badge is already at the printer: cancel it there if it has not come out"));
  }
  return Status::Conflict(
      Localized(lang_, "esta escarapela ya no está en cola (", "this badge is no longer queued (") +
      std::string(JobStateName(state)) + ")");
}

Status PrintDesk::Hold(const std::string& worker, bool held, const std::string& station) {
  Statement st(db_.handle(), "UPDATE printers SET held = ?2, held_by = ?3 WHERE worker = ?1");
  st.Bind(1, worker).Bind(2, int64_t{held}).Bind(3, held ? station : std::string());
  if (Status s = st.Run(); !s.ok()) return s;
  if (sqlite3_changes(db_.handle()) == 1) return Status::Ok();
  return Status::NotFound(Localized(lang_, "ninguna estación de impresión se llama ",
                                    "no printing station is called ") +
                          worker);
}

}  // namespace checkin::db
