// checkin print: the badge print daemon for one printer, plus reprint and
// status for the volunteer at the printing desk.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/code.h"
#include "common/number.h"
#include "common/text.h"
#include "printer/print_daemon.h"

namespace checkin::cli {
namespace {

printer::PrintDaemon* g_daemon = nullptr;
void OnSignal(int) {
  if (g_daemon != nullptr) g_daemon->Stop();  // sets an atomic flag: safe in a handler
}

struct PrintOptions {
  std::string printer;
  std::string station;
  std::string layout;
  bool once = false;
  bool json = false;        // status
  std::string code;         // reprint CODE
  int64_t attendee_id = 0;  // reprint --attendee ID
};

int RunDaemon(const GlobalOptions& g, const PrintOptions& o) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  auto sync = StartBackgroundSync(*opened);
  if (!sync.ok()) return Fail(sync.status());
  const bool es = opened->es();
  auto layout = printer::LoadLayoutOrDefault(o.layout);
  if (!layout.ok()) return Fail(layout.status());
  auto backend = printer::MakePrinterBackend(o.printer);
  if (!backend.ok()) return Fail(backend.status());
  printer::WorkerConfig wc;
  wc.station = StationOr(o.station, *opened);
  wc.worker_id = wc.station + "/" + (*backend)->name();
  wc.layout = *layout;
  wc.event_name = opened->event.name;
  printer::PrintDaemon daemon(
      opened->service(), **backend, SystemClock(), wc, opened->lang,
      [](const std::string& line) { std::cout << line << std::endl; },
      [](const Status& s) { std::cerr << "error: " << Safe(s.message()) << std::endl; });
  g_daemon = &daemon;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << (es ? "Imprimiendo escarapelas en " : "Printing badges on ")
            << Safe((*backend)->name()) << (es ? " (Ctrl+C para parar)\n" : " (Ctrl+C to stop)\n")
            << std::flush;
  const Status done = daemon.Run(o.once ? printer::UntilEmpty::kYes : printer::UntilEmpty::kNo);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_daemon = nullptr;
  return done.ok() ? kExitOk : Fail(done);
}

// Codes and ids never share an argument: Eventbrite barcodes and Sympla
// ticket numbers are all digits, so "1" could be ticket 1 or attendee #1, and
// guessing once queued the wrong person's badge.
int RunReprint(const GlobalOptions& g, const PrintOptions& o, bool by_attendee) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const std::string code(Trim(o.code));
  auto a =
      by_attendee ? opened->service().FindById(o.attendee_id) : opened->service().FindByCode(code);
  if (!a.ok()) return Fail(a.status());
  if (!a->has_value()) {
    return Fail(Status::NotFound(by_attendee
                                     ? "no attendee has id " + std::to_string(o.attendee_id)
                                     : "no ticket or badge has code '" + SafeCodeForDisplay(code) +
                                           "' (for an attendee id, use --attendee ID)"));
  }
  auto id = opened->service().EnqueueBadge((*a)->id, StationOr(o.station, *opened));
  if (!id.ok()) return Fail(id.status());
  if (*id == 0) {  // a paired station without its hub keeps it until the hub is back
    std::cout << (es ? "Escarapela de " : "Badge of ") << Safe((*a)->FullName())
              << (es ? " guardada en esta estación: entra en la cola del hub cuando vuelva.\n"
                     : " kept at this station: it joins the hub's queue when the hub is back.\n");
    return kExitOk;
  }
  if (es) {
    std::cout << "Escarapela de " << Safe((*a)->FullName()) << " en cola (trabajo " << *id
              << ").\n";
  } else {
    std::cout << "Badge of " << Safe((*a)->FullName()) << " queued (job " << *id << ").\n";
  }
  return kExitOk;
}

int RunStatus(const GlobalOptions& g, const PrintOptions& o) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  const Language lang = opened->lang;
  const bool es = opened->es();
  CheckinService& service = opened->service();
  auto c = service.PrintQueueCounts();
  if (!c.ok()) return Fail(c.status());
  std::optional<printer::PrinterStatus> printer_state;
  if (!o.printer.empty()) {
    auto backend = printer::MakePrinterBackend(o.printer);
    if (!backend.ok()) return Fail(backend.status());
    if (auto st = (*backend)->State(); st.ok()) printer_state = *st;
  }
  auto recent = service.RecentPrintJobs(10);
  if (!recent.ok()) return Fail(recent.status());
  if (o.json) {
    JsonObject j = QueueCountsJson(*c);
    if (printer_state) j.SetString("printer", PrinterStateWords(*printer_state, lang));
    std::vector<JsonObject> jobs;
    for (const auto& job : *recent) jobs.push_back(PrintJobJson(job));
    j.SetArray("recent", std::move(jobs));
    PrintJson(j);
    return kExitOk;
  }
  std::cout << (es ? "Cola de escarapelas: " : "Badge queue: ") << c->queued
            << (es ? " en cola, " : " queued, ") << c->printing
            << (es ? " imprimiendo, " : " printing, ") << c->done << (es ? " listas, " : " done, ")
            << c->failed << (es ? " fallidas\n" : " failed\n");
  if (printer_state) {
    std::cout << (es ? "Impresora " : "Printer ") << Safe(o.printer) << ": "
              << PrinterStateWords(*printer_state, lang) << "\n";
  }
  for (const auto& j : *recent) {
    if (j.last_error.empty() || j.state == JobState::kDone) continue;
    std::cout << "  #" << j.id << " " << JobStateName(j.state) << " (" << j.attempts
              << (es ? " intentos): " : " attempts): ") << Safe(j.last_error) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterPrint(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<PrintOptions>();
  auto* print =
      app.add_subcommand("print", "Badge printing: the daemon (--printer), reprint, status");
  print->add_option("--printer", o->printer,
                    "CUPS queue name, or pdf:DIR to write PDFs into a folder");
  print->add_option("--station", o->station, "Station id (default: this machine's name)");
  print->add_option("--layout", o->layout, "Layout file (TOML)");
  print->add_flag("--once", o->once, "Stop when the queue is empty instead of waiting for more");
  auto* reprint = print->add_subcommand("reprint", "Queue a badge again");
  auto* code = AddCodeOption(*reprint, "CODE", o->code, "Ticket code or badge code");
  auto* id = AddIntOption(*reprint, "--attendee", o->attendee_id, 1, INT64_MAX,
                          "The attendee with this id (as in search results) instead of a code");
  code->excludes(id);
  auto* status = print->add_subcommand("status", "Queue and printer state, in words");
  status->add_flag("--json", o->json,
                   "Print one JSON object: the counts, the printer's state, the recent jobs");
  reprint->callback([&g, &exit_code, o, code, id] {
    if (code->count() == 0 && id->count() == 0) {
      exit_code = Fail(Status::InvalidInput("say whose badge: a CODE or --attendee ID"));
      return;
    }
    exit_code = RunReprint(g, *o, id->count() > 0);
  });
  status->callback([&g, &exit_code, o] { exit_code = RunStatus(g, *o); });
  print->callback([&g, &exit_code, o, print] {
    if (!print->get_subcommands().empty()) return;
    if (o->printer.empty()) {
      exit_code =
          Fail(Status::InvalidInput("say which printer: --printer QUEUE or --printer pdf:DIR"));
      return;
    }
    exit_code = RunDaemon(g, *o);
  });
}

}  // namespace checkin::cli
