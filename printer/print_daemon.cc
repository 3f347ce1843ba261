#include "printer/print_daemon.h"

#include <thread>

#include "common/text.h"

namespace checkin::printer {

std::string PrinterStatusWords(const PrinterStatus& s, Language lang) {
  const bool es = lang == Language::kSpanish;
  // The reasons are the printer's (or the print server's) own text.
  const std::string reasons = s.reasons.empty() ? "" : " (" + ForTerminal(s.reasons) + ")";
  if (!s.reachable) return (es ? "no responde" : "not reachable") + reasons;
  std::string out = s.paused ? (es ? "en pausa" : "paused") : (es ? "lista" : "ready");
  if (!s.accepting) out += es ? ", no acepta trabajos" : ", not accepting jobs";
  return out + reasons;
}

std::string QueueCountsWords(const QueueCounts& c, Language lang) {
  const bool es = lang == Language::kSpanish;
  return (es ? "En cola: " : "Queued: ") + std::to_string(c.queued) +
         (es ? "  imprimiendo: " : "  printing: ") + std::to_string(c.printing) +
         (es ? "  listas: " : "  done: ") + std::to_string(c.done) +
         (es ? "  fallidas: " : "  failed: ") + std::to_string(c.failed);
}

PrintDaemon::PrintDaemon(CheckinService& service, PrinterBackend& backend, const Clock& clock,
                         WorkerConfig config, Language lang,
                         std::function<void(const std::string&)> say,
                         std::function<void(const Status&)> error)
    : service_(service),
      backend_(backend),
      clock_(clock),
      worker_(service, backend, clock, std::move(config)),
      lang_(lang),
      say_(std::move(say)),
      error_(std::move(error)) {}

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
      std::string words = PrinterStatusWords(*state, lang_);
      if (words != last_words_) {
        if (say_) say_((lang_ == Language::kSpanish ? "Impresora: " : "Printer: ") + words);
        last_words_ = std::move(words);
      }
    }
  }
  if (until == UntilEmpty::kYes && counts.ok() && counts->queued == 0 && counts->printing == 0)
    return std::nullopt;
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
