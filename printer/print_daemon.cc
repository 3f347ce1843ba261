#include "printer/print_daemon.h"

#include <thread>

#include "common/text.h"

namespace checkin::printer {

std::string QueueCountsWords(const QueueCounts& c, Language lang) {
  const bool es = lang == Language::kSpanish;
  return (es ? "En cola: " : "Queued: ") + std::to_string(c.queued) +
         (es ? "  imprimiendo: " : "  printing: ") + std::to_string(c.printing) +
         (es ? "  listas: " : "  done: ") + std::to_string(c.done) +
         (es ? "  fallidas: " : "  failed: ") + std::to_string(c.failed) +
         (c.cancelled == 0
              ? ""
              : (es ? "  canceladas: " : "  cancelled: ") + std::to_string(c.cancelled));
}

PrintDaemon::PrintDaemon(CheckinService& service, PrinterBackend& backend, const Clock& clock,
                         WorkerConfig config, Language lang,
                         std::function<void(const std::string&)> say,
                         std::function<void(const Status&)> error)
    : service_(service),
      backend_(backend),
      clock_(clock),
      worker_(service, backend, clock, config),
      lang_(lang),
      say_(std::move(say)),
      error_(std::move(error)),
      config_(std::move(config)) {}

std::optional<std::chrono::milliseconds> PrintDaemon::Tick(UntilEmpty until) {
  auto moved = worker_.Step();
  if (!moved.ok()) {
    // A store gone for good (the event file moved or replaced) never comes
    // back to this process: stop with the reason (see CheckinService).
    if (moved.status().code() == StatusCode::kNotFound) {
      outcome_ = moved.status();
      return std::nullopt;
    }
    // The store may be busy or away for a moment: say so and try again.
    if (error_) error_(moved.status());
    return std::chrono::milliseconds(1000);
  }
  auto counts = service_.PrintQueueCounts();
  if (counts.ok() && counts->done != last_done_) {
    last_done_ = counts->done;
    if (say_) say_(QueueCountsWords(*counts, lang_));
  }
  const auto now = clock_.Monotonic();
  if (!last_check_ || now - *last_check_ >= kPrinterCheckEvery) {
    last_check_ = now;
    auto state = backend_.State();
    last_state_.reset();
    if (state.ok()) {
      last_state_ = *state;
      std::string words = PrinterStateWords(*state, lang_);
      if (words != last_words_) {
        if (say_) say_((lang_ == Language::kSpanish ? "Impresora: " : "Printer: ") + words);
        last_words_ = std::move(words);
      }
    }
    TellService();
  }
  if (until == UntilEmpty::kYes && counts.ok() && counts->queued == 0 && counts->printing == 0)
    return std::nullopt;
  if (until == UntilEmpty::kYes && held_ && counts.ok() && counts->printing == 0) {
    outcome_ = Status::Unavailable(Localized(
        lang_,
        "la impresión de esta estación está en pausa desde la mesa de impresión; escarapelas en "
        "cola: " +
            std::to_string(counts->queued) + " (reanúdela allí)",
        "this station's printing is paused from the print desk; badges queued: " +
            std::to_string(counts->queued) + " (resume it there)"));
    return std::nullopt;
  }
  // A printer that is away is waited out for as long as it takes (see
  // PrintWorker), so a one-off run would never end.
  if (until == UntilEmpty::kYes && counts.ok() &&
      (!last_state_ || !last_state_->reachable || !last_state_->accepting)) {
    const bool es = lang_ == Language::kSpanish;
    const bool refuses = last_state_ && last_state_->reachable;
    outcome_ = Status::Unavailable(
        (es ? "la impresora " : "the printer ") + backend_.name() +
        (refuses ? (es ? " no acepta trabajos" : " does not accept jobs")
                 : (es ? " no responde" : " is not reachable")) +
        (last_state_ && !last_state_->reasons.empty() ? " (" + last_state_->reasons + ")" : "") +
        (es ? "; escarapelas aún en cola: " : "; badges still queued: ") +
        std::to_string(counts->queued + counts->printing) +
        (es ? " (arréglela y vuelva a correr el comando)" : " (fix it and run this again)"));
    return std::nullopt;
  }
  return *moved ? std::chrono::milliseconds(0) : std::chrono::milliseconds(200);
}

// The print desk shows the printer in words, and may have paused us. A
// service that is away is not told: the worker's own calls say so.
void PrintDaemon::TellService() {
  PrinterReport report;
  report.worker = config_.worker_id;
  report.station = config_.station;
  report.printer = backend_.name();
  if (last_state_) report.state = *last_state_;  // unset: not reachable
  auto held = service_.ReportPrinter(report);
  if (!held.ok() || *held == held_) return;
  held_ = *held;
  if (say_) {
    say_(held_ ? Localized(lang_,
                           "Impresión en pausa desde la mesa de impresión: no se toman "
                           "escarapelas nuevas hasta que la reanuden",
                           "Printing paused from the print desk: no new badges are taken until "
                           "it is resumed")
               : Localized(lang_, "Impresión reanudada desde la mesa de impresión",
                           "Printing resumed from the print desk"));
  }
}

Status PrintDaemon::Run(UntilEmpty until) {
  while (!stop_) {
    auto wait = Tick(until);
    if (!wait) return outcome_;
    // Sleeping is not reading the clock: short naps keep Stop() prompt.
    for (auto left = *wait; left.count() > 0 && !stop_; left -= std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
    }
  }
  return Status::Ok();
}

}  // namespace checkin::printer
