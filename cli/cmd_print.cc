// checkin print: the badge print daemon for one printer, plus reprint and
// status for the volunteer at the printing desk.
#include <csignal>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/support.h"
#include "common/clock.h"
#include "common/number.h"
#include "common/text.h"
#include "db/print_queue.h"
#include "db/roster.h"
#include "printer/print_worker.h"

namespace checkin::cli {
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

struct PrintOptions {
  std::string printer;
  std::string station;
  std::string layout;
  bool once = false;
  std::string who;  // reprint
};

std::string Words(const printer::PrinterStatus& s, bool es) {
  if (!s.reachable) return (es ? "no responde" : "not reachable") + (s.reasons.empty() ? "" : " (" + s.reasons + ")");
  std::string out = s.paused ? (es ? "en pausa" : "paused") : (es ? "lista" : "ready");
  if (!s.accepting) out += es ? ", no acepta trabajos" : ", not accepting jobs";
  if (!s.reasons.empty()) out += " (" + s.reasons + ")";
  return out;
}

int RunDaemon(const GlobalOptions& g, const PrintOptions& o) {
  auto st = OpenStation(g);
  if (!st.ok()) return Fail(st.status());
  const bool es = st->es();
  db::Database& db = *st->db;
  auto layout = printer::LoadLayoutOrDefault(o.layout);
  if (!layout.ok()) return Fail(layout.status());
  auto backend = printer::MakePrinterBackend(o.printer);
  if (!backend.ok()) return Fail(backend.status());
  printer::WorkerConfig wc;
  wc.worker_id = (o.station.empty() ? DefaultStation() : o.station) + "/" + (*backend)->name();
  wc.layout = *layout;
  wc.event_name = st->event.name;
  printer::PrintWorker worker(db, **backend, SystemClock(), wc);
  db::PrintQueue queue(db, SystemClock());

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << (es ? "Imprimiendo escarapelas en " : "Printing badges on ") << (*backend)->name()
            << (es ? " (Ctrl+C para parar)\n" : " (Ctrl+C to stop)\n") << std::flush;
  std::string last_words;
  auto last_check = std::chrono::steady_clock::time_point{};
  int64_t last_done = -1;
  while (!g_stop) {
    auto moved = worker.Step();
    if (!moved.ok()) {
      std::cerr << "error: " << moved.status().message() << "\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    auto counts = queue.Counts();
    if (counts.ok() && counts->done != last_done) {
      last_done = counts->done;
      std::cout << (es ? "En cola: " : "Queued: ") << counts->queued << (es ? "  imprimiendo: " : "  printing: ")
                << counts->printing << (es ? "  listas: " : "  done: ") << counts->done
                << (es ? "  fallidas: " : "  failed: ") << counts->failed << "\n" << std::flush;
    }
    if (std::chrono::steady_clock::now() - last_check > std::chrono::seconds(5)) {
      last_check = std::chrono::steady_clock::now();
      if (auto printer_state = (*backend)->State(); printer_state.ok()) {
        const std::string words = Words(*printer_state, es);
        if (words != last_words) {
          std::cout << (es ? "Impresora: " : "Printer: ") << words << "\n" << std::flush;
          last_words = words;
        }
      }
    }
    if (o.once && counts.ok() && counts->queued == 0 && counts->printing == 0) break;
    if (!*moved) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return kExitOk;
}

int RunReprint(const GlobalOptions& g, const PrintOptions& o) {
  auto config = LoadStationConfig(g);
  if (!config.ok()) return Fail(config.status());
  const bool es = EffectiveLanguage(g, *config) == Language::kSpanish;
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return Fail(db.status());
  const std::string who(Trim(o.who));
  Result<std::optional<Attendee>> a = std::optional<Attendee>();
  // A number too large to be an id may still be a code (Eventbrite's have 18 to 22 digits).
  if (auto id = ParseInt(who, 1, INT64_MAX, "id"); id.ok()) a = db::FindAttendeeById(**db, *id);
  if (a.ok() && !a->has_value()) a = db::FindAttendeeByCode(**db, who);
  if (!a.ok()) return Fail(a.status());
  if (!a->has_value()) return Fail(Status::NotFound("no attendee has id or code '" + who + "'"));
  db::PrintQueue queue(**db, SystemClock());
  auto id = queue.Enqueue((*a)->id, o.station.empty() ? DefaultStation() : o.station);
  if (!id.ok()) return Fail(id.status());
  if (es) {
    std::cout << "Escarapela de " << (*a)->FullName() << " en cola (trabajo " << *id << ").\n";
  } else {
    std::cout << "Badge of " << (*a)->FullName() << " queued (job " << *id << ").\n";
  }
  return kExitOk;
}

int RunStatus(const GlobalOptions& g, const PrintOptions& o) {
  auto config = LoadStationConfig(g);
  if (!config.ok()) return Fail(config.status());
  const bool es = EffectiveLanguage(g, *config) == Language::kSpanish;
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return Fail(db.status());
  db::PrintQueue queue(**db, SystemClock());
  auto c = queue.Counts();
  if (!c.ok()) return Fail(c.status());
  std::cout << (es ? "Cola de escarapelas: " : "Badge queue: ") << c->queued << (es ? " en cola, " : " queued, ")
            << c->printing << (es ? " imprimiendo, " : " printing, ") << c->done << (es ? " listas, " : " done, ")
            << c->failed << (es ? " fallidas\n" : " failed\n");
  if (!o.printer.empty()) {
    auto backend = printer::MakePrinterBackend(o.printer);
    if (!backend.ok()) return Fail(backend.status());
    auto st = (*backend)->State();
    if (st.ok()) std::cout << (es ? "Impresora " : "Printer ") << o.printer << ": " << Words(*st, es) << "\n";
  }
  auto recent = queue.Recent(10);
  if (!recent.ok()) return Fail(recent.status());
  for (const auto& j : *recent) {
    if (j.last_error.empty() || j.state == db::JobState::kDone) continue;
    std::cout << "  #" << j.id << " " << db::JobStateName(j.state) << " (" << j.attempts
              << (es ? " intentos): " : " attempts): ") << j.last_error << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterPrint(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<PrintOptions>();
  auto* print = app.add_subcommand("print", "Badge printing: the daemon (--printer), reprint, status");
  print->add_option("--printer", o->printer, "CUPS queue name, or pdf:DIR to write PDFs into a folder");
  print->add_option("--station", o->station, "Station id (default: this machine's name)");
  print->add_option("--layout", o->layout, "Layout file (TOML)");
  print->add_flag("--once", o->once, "Stop when the queue is empty instead of waiting for more");
  auto* reprint = print->add_subcommand("reprint", "Queue a badge again");
  reprint->add_option("WHO", o->who, "Attendee id, ticket code or badge code")->required();
  auto* status = print->add_subcommand("status", "Queue and printer state, in words");
  reprint->callback([&g, &exit_code, o] { exit_code = RunReprint(g, *o); });
  status->callback([&g, &exit_code, o] { exit_code = RunStatus(g, *o); });
  print->callback([&g, &exit_code, o, print] {
    if (!print->get_subcommands().empty()) return;
    if (o->printer.empty()) {
      exit_code = Fail(Status::InvalidInput("say which printer: --printer QUEUE or --printer pdf:DIR"));
      return;
    }
    exit_code = RunDaemon(g, *o);
  });
}

}  // namespace checkin::cli
