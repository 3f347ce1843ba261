// checkin report: the attendance report after the event (report/), written
// to a file or a folder of tables for organizers, sponsors and scripts; on a
// paired laptop, from the hub's figures.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/support.h"
#include "common/clock.h"
#include "hub/remote_desk.h"
#include "report/output.h"
#include "report/report.h"

namespace checkin::cli {
namespace {

struct ReportOptions {
  std::string out;
  std::string format;
  std::string day;
  bool with_names = false;
  bool force = false;
  int64_t bins = 15;
};

// On a paired laptop the hub computes the figures over the whole event file
// (a replica may lag it, and a print station keeps none) and this side draws
// the formats for people.
Result<report::Report> ReportFromHub(const Config& config, const report::ReportRequest& req) {
  auto setup = StationSetupFor(config);
  if (!setup.ok()) return setup.status();
  setup->remote.lang = req.lang;
  // Asked by hand, once, maybe over a busy venue Wi-Fi: not a scan's deadline.
  setup->remote.deadline =
      std::max<std::chrono::milliseconds>(setup->remote.deadline, std::chrono::seconds(5));
  auto remote = hub::RemoteDesk::Connect(setup->remote, SystemClock());
  if (!remote.ok()) return remote.status();
  // A 100,000-ticket event takes the hub a couple of seconds; a slow disk more.
  auto r = (*remote)->Report(req, std::chrono::minutes(2));
  if (!r.ok()) {
    return r.status().WithContext(
        Localized(req.lang, "el hub no dio el informe: ", "the hub gave no report: "));
  }
  return r;
}

int RunReport(const GlobalOptions& g, const ReportOptions& o) {
  auto config = Open(g, Need::kConfig);
  if (!config.ok()) return Fail(config.status());
  const bool from_hub = config->config.hub.has_value() && g.db_path.empty();
  std::optional<Opened> opened;
  if (!from_hub) {
    auto local = Open(g, Need::kConfig | Need::kEvent);
    if (!local.ok()) return Fail(local.status());
    opened = std::move(*local);
  }
  const Language lang = config->lang;
  auto format = report::ChooseFormat(o.out, o.format, lang);
  if (!format.ok()) return Fail(format.status());
  const auto overwrite = o.force ? report::Overwrite::kReplace : report::Overwrite::kRefuse;
  if (Status s = report::CheckOutput(o.out, *format, overwrite, lang); !s.ok()) return Fail(s);
  report::ReportRequest req;
  req.day = o.day;
  req.bin_minutes = static_cast<int>(o.bins);
  req.names = o.with_names ? report::Names::kListed : report::Names::kLeftOut;
  req.lang = lang;
  const bool tty = isatty(STDERR_FILENO) == 1;
  if (tty) {
    std::cerr << (from_hub ? Localized(lang, "Pidiendo el informe al hub...",
                                       "Asking the hub for the report...")
                           : Localized(lang, "Calculando el informe...", "Computing the report..."))
              << std::flush;
  }
  auto r = from_hub ? ReportFromHub(config->config, req)
                    : report::ComputeReport(opened->database(), SystemClock(), req);
  if (tty) std::cerr << "\r\033[K" << std::flush;
  if (!r.ok()) return Fail(r.status());
  if (tty && (*format == report::Format::kPdf || *format == report::Format::kXlsx)) {
    std::cerr << Localized(lang, "Escribiendo ", "Writing ") << Safe(o.out) << "..." << std::flush;
  }
  Status written = report::WriteReport(*r, *format, o.out, lang);
  if (tty) std::cerr << "\r\033[K" << std::flush;
  if (!written.ok()) return Fail(written);
  const int64_t pct =
      r->registered > 0 ? (r->checked_in * 100 + r->registered / 2) / r->registered : 0;
  std::cout << Localized(lang, "Informe escrito en ", "Report written to ") << Safe(o.out) << ": "
            << r->checked_in << " / " << r->registered
            << Localized(lang, " ingresaron (", " checked in (") << pct << "%)\n";
  return kExitOk;
}

}  // namespace

void RegisterReport(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report", "The attendance report after the event (PDF, XLSX, HTML, JSON, CSV)");
  cmd->add_option("--out", o->out, "File to write (.pdf, .xlsx, .html, .json), or folder (CSV)")
      ->required();
  cmd->add_option("--format", o->format,
                  "pdf, xlsx, html, json or csv (default: from the --out extension)");
  cmd->add_option("--day", o->day, "One local day of the event, YYYY-MM-DD");
  cmd->add_flag("--with-names", o->with_names, "List the no-shows and late registrations by name");
  cmd->add_flag("--force", o->force, "Replace --out if it exists");
  AddIntOption(*cmd, "--bins", o->bins, 5, 15, "Minutes per arrivals bin: 5 or 15 (default 15)");
  cmd->callback([&g, &exit_code, o] { exit_code = RunReport(g, *o); });
}

}  // namespace checkin::cli
