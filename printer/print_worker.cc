#include "printer/print_worker.h"

#include <algorithm>

#include "db/roster.h"
#include "printer/badge_render.h"

namespace checkin::printer {

PrintWorker::PrintWorker(db::Database& db, PrinterBackend& backend, const Clock& clock, WorkerConfig config)
    : db_(db), queue_(db, clock), backend_(backend), clock_(clock), config_(std::move(config)) {}

std::chrono::seconds PrintWorker::Backoff(int attempts) {
  return std::chrono::seconds(std::min(60, 1 << std::clamp(attempts - 1, 0, 6)));
}

Status PrintWorker::Trouble(const db::PrintJob& job, const std::string& why) {
  if (job.attempts >= config_.max_attempts) return queue_.MarkFailed(job.id, why);
  return queue_.Retry(job.id, why, Backoff(job.attempts));
}

Status PrintWorker::Submit(const db::PrintJob& job) {
  auto attendee = db::FindAttendeeById(db_, job.attendee_id);
  if (!attendee.ok()) return attendee.status();
  if (!attendee->has_value()) return queue_.MarkFailed(job.id, "the attendee is no longer on the roster");
  auto pdf = RenderBadges({**attendee}, config_.layout, config_.event_name);
  if (!pdf.ok()) return queue_.MarkFailed(job.id, pdf.status().message());  // will not get better
  // A sheet layout prints on the sheet (the badge sits in its first cell).
  const BadgeLayout& l = config_.layout;
  const Media media = l.sheet.empty() ? Media{l.width_pt, l.height_pt} : Media{l.sheet_width_pt, l.sheet_height_pt};
  auto printer_job = backend_.Submit(*pdf, job.Title(), media);
  if (!printer_job.ok()) return Trouble(job, printer_job.status().message());
  return queue_.MarkSubmitted(job.id, *printer_job);
}

Result<bool> PrintWorker::Follow(const db::PrintJob& job) {
  if (job.printer_job_id.empty()) {
    // Claimed but not recorded as handed over: a crash may have come between
    // the two. Ask the printer before sending it again.
    auto found = backend_.FindJob(job.Title());
    if (!found.ok()) {
      if (Status s = Trouble(job, found.status().message()); !s.ok()) return s;
      return true;
    }
    if (found->has_value()) {
      if (Status s = queue_.MarkSubmitted(job.id, **found); !s.ok()) return s;
      return true;
    }
    if (Status s = Submit(job); !s.ok()) return s;
    return true;
  }
  auto state = backend_.JobState(job.printer_job_id);
  if (!state.ok()) return false;  // printer away: keep following later
  switch (*state) {
    case RemoteJobState::kCompleted:
      if (Status s = queue_.MarkDone(job.id); !s.ok()) return s;
      return true;
    case RemoteJobState::kCancelled:
    case RemoteJobState::kUnknown:
      if (Status s = Trouble(job, "the printer dropped job " + job.printer_job_id); !s.ok()) return s;
      return true;
    case RemoteJobState::kPending:
    case RemoteJobState::kProcessing:
      return false;
  }
  return false;
}

Result<bool> PrintWorker::Step() {
  auto mine = queue_.Claimed(config_.worker_id);
  if (!mine.ok()) return mine.status();
  bool moved = false;
  bool waiting_at_printer = false;
  for (const db::PrintJob& job : *mine) {
    auto r = Follow(job);
    if (!r.ok()) return r.status();
    moved = moved || *r;
    waiting_at_printer = waiting_at_printer || (!*r && !job.printer_job_id.empty());
  }
  // One badge at the printer at a time keeps badges in scan order and leaves
  // the rest queued where a second daemon (or a reprint) can see them.
  if (waiting_at_printer) return moved;
  auto job = queue_.Claim(config_.worker_id, backend_.name());
  if (!job.ok()) return job.status();
  if (!job->has_value()) return moved;
  if (Status s = Submit(**job); !s.ok()) return s;
  return true;
}

}  // namespace checkin::printer
