// PrintDaemon: the badge print daemon for one printer. Runs a PrintWorker in
// rounds, says what changed in the queue and at the printer (in the
// station's language), and waits between rounds when nothing moves. Time
// comes from the Clock, so tests drive rounds with a fake one. One thread;
// Stop() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/messages.h"
#include "printer/print_worker.h"
#include "printer/printer_backend.h"

namespace checkin::printer {

// "En cola: 2  imprimiendo: 1  listas: 40  fallidas: 0"
std::string QueueCountsWords(const QueueCounts& c, Language lang);

enum class UntilEmpty { kNo, kYes };  // kYes: stop once nothing is queued or printing

class PrintDaemon {
 public:
  // `say` gets one line per change worth telling the volunteer; `error` one
  // per failed round (the daemon goes on: the store may be back next round).
  PrintDaemon(CheckinService& service, PrinterBackend& backend, const Clock& clock,
              WorkerConfig config, Language lang, std::function<void(const std::string&)> say,
              std::function<void(const Status&)> error);

  // One round. Returns how long to wait before the next, or nullopt when
  // `until` says the work is done or cannot be done (see Run).
  std::optional<std::chrono::milliseconds> Tick(UntilEmpty until);
  // Rounds until Stop() or, with UntilEmpty::kYes, an empty queue. With kYes,
  // Unavailable when the printer is away while badges wait: a one-off run
  // reports that rather than waiting for someone to fix it. Without, the
  // daemon says so and goes on trying at the worker's pace.
  Status Run(UntilEmpty until);
  void Stop() { stop_ = true; }

  // How often the printer's own state is asked for (and told to the
  // service, for the print desk).
  static constexpr std::chrono::seconds kPrinterCheckEvery{5};

 private:
  void TellService();

  CheckinService& service_;
  PrinterBackend& backend_;
  const Clock& clock_;
  PrintWorker worker_;
  Language lang_;
  std::function<void(const std::string&)> say_;
  std::function<void(const Status&)> error_;
  std::atomic<bool> stop_{false};
  std::optional<std::chrono::steady_clock::time_point> last_check_;
  std::string last_words_;
  std::optional<PrinterStatus> last_state_;  // unset until asked, or when asking failed
  WorkerConfig config_;
  bool held_ = false;  // the print desk paused this daemon (as the service last said)
  int64_t last_done_ = -1;
  Status outcome_;
};

}  // namespace checkin::printer
