#include "printer/print_worker.h"

#include <algorithm>

#include "printer/badge_render.h"

namespace checkin::printer {

PrintWorker::PrintWorker(CheckinService& service, PrinterBackend& backend, const Clock& clock,
                         WorkerConfig config)
    : service_(service), backend_(backend), clock_(clock), config_(std::move(config)) {}

std::chrono::seconds PrintWorker::Backoff(int attempts) {
  return std::chrono::seconds(std::min(60, 1 << std::clamp(attempts - 1, 0, 6)));
}

Status PrintWorker::Report(const PrintJob& job, PrintReport::Outcome outcome, std::string detail,
                           std::chrono::seconds retry_in) {
  PrintReport r;
  r.outcome = outcome;
  (outcome == PrintReport::Outcome::kSubmitted ? r.printer_job_id : r.error) = std::move(detail);
  r.retry_in = retry_in;
  return service_.ReportPrintJob(job.id, r);
}

Status PrintWorker::Trouble(const PrintJob& job, const Status& why) {
  if (why.code() == StatusCode::kUnavailable) return Away(job, why.message());
  if (job.attempts >= config_.max_attempts)
    return Report(job, PrintReport::Outcome::kFailed, why.message());
  return Report(job, PrintReport::Outcome::kRetry, why.message(), Backoff(job.attempts));
}

Status PrintWorker::Away(const PrintJob& job, const std::string& why) {
  // However long the printer is away, its jobs wait for it: a badge is never
  // given up because someone switched the printer off. The pause is the
  // printer's, so the other queued jobs are not claimed meanwhile either.
  ++rounds_away_;
  away_until_ = clock_.Monotonic() + Backoff(rounds_away_);
  return Report(job, PrintReport::Outcome::kAway, why, Backoff(rounds_away_));
}

std::string PrintWorker::WhyAway() {
  auto s = backend_.State();
  if (!s.ok()) return s.status().message();
  if (s->reachable && s->accepting) return {};
  return std::string(s->reachable ? "printer not accepting jobs" : "printer not reachable") +
         (s->reasons.empty() ? "" : " (" + s->reasons + ")");
}

Status PrintWorker::Submit(const PrintJob& job) {
  // Asked first so that a printer away spends neither a render nor an attempt.
  if (std::string why = WhyAway(); !why.empty()) return Away(job, why);
  auto attendee = service_.FindById(job.attendee_id);
  if (!attendee.ok()) return attendee.status();
  if (!attendee->has_value())
    return Report(job, PrintReport::Outcome::kFailed, "the attendee is no longer on the roster");
  auto pdf = RenderBadges({**attendee}, config_.layout, config_.event_name);
  if (!pdf.ok())
    return Report(job, PrintReport::Outcome::kFailed,
                  pdf.status().message());  // will not get better
  // A sheet layout prints on the sheet (the badge sits in its first cell).
  const BadgeLayout& l = config_.layout;
  const Media media =
      l.sheet.empty() ? Media{l.width_pt, l.height_pt} : Media{l.sheet_width_pt, l.sheet_height_pt};
  auto printer_job = backend_.Submit(*pdf, job.Title(), media);
  if (!printer_job.ok()) return Trouble(job, printer_job.status());
  rounds_away_ = 0;
  return Report(job, PrintReport::Outcome::kSubmitted, *printer_job);
}

Result<bool> PrintWorker::Follow(const PrintJob& job) {
  if (job.printer_job_id.empty()) {
    // Claimed but not recorded as handed over: a crash may have come between
    // the two. Ask the printer before sending it again.
    auto found = backend_.FindJob(job.Title());
    if (!found.ok()) {
      if (Status s = Trouble(job, found.status()); !s.ok()) return s;
      return true;
    }
    if (found->has_value()) {
      if (Status s = Report(job, PrintReport::Outcome::kSubmitted, **found); !s.ok()) return s;
      return true;
    }
    if (Status s = Submit(job); !s.ok()) return s;
    return true;
  }
  auto state = backend_.JobState(job.printer_job_id);
  if (!state.ok()) return false;  // printer away: keep following later
  switch (*state) {
    case RemoteJobState::kCompleted:
      if (Status s = Report(job, PrintReport::Outcome::kDone); !s.ok()) return s;
      return true;
    case RemoteJobState::kCancelled:
    case RemoteJobState::kUnknown:
      if (Status s =
              Trouble(job, Status::DeviceError("the printer dropped job " + job.printer_job_id));
          !s.ok())
        return s;
      return true;
    case RemoteJobState::kPending:
    case RemoteJobState::kProcessing:
      return false;
  }
  return false;
}

Result<bool> PrintWorker::Step() {
  auto mine = service_.ClaimedPrintJobs(config_.worker_id);
  if (!mine.ok()) return mine.status();
  bool moved = false;
  bool waiting_at_printer = false;
  for (const PrintJob& job : *mine) {
    auto r = Follow(job);
    if (!r.ok()) return r.status();
    moved = moved || *r;
    waiting_at_printer = waiting_at_printer || (!*r && !job.printer_job_id.empty());
  }
  // One badge at the printer at a time keeps badges in scan order and leaves
  // the rest queued where a second daemon (or a reprint) can see them.
  if (waiting_at_printer || clock_.Monotonic() < away_until_) return moved;
  auto job = service_.ClaimPrintJob(config_.worker_id, backend_.name());
  if (!job.ok()) return job.status();
  if (!job->has_value()) return moved;
  if (Status s = Submit(**job); !s.ok()) return s;
  return true;
}

}  // namespace checkin::printer
