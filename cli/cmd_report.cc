// checkin report: the attendance report after the event (report/), written
// to a file or a folder of tables for organizers, sponsors and scripts.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
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

int RunReport(const GlobalOptions& g, const ReportOptions& o) {
  // The report reads the whole event file; a paired station's replica may
  // lag the hub, so it is not asked for one.
  auto config = Open(g, Need::kConfig);
  if (!config.ok()) return Fail(config.status());
  if (config->config.hub && g.db_path.empty()) {
    return Fail(Status::InvalidInput(Localized(
        config->lang,
        "el informe se hace sobre el archivo del evento: en el hub, checkin --db venue.db report "
        "...",
        "the report reads the event file: on the hub, checkin --db venue.db report ...")));
  }
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const Language lang = opened->lang;
  auto format = report::ChooseFormat(o.out, o.format, lang);
  if (!format.ok()) return Fail(format.status());
  const auto overwrite = o.force ? report::Overwrite::kReplace : report::Overwrite::kRefuse;
  if (Status s = report::CheckOutput(o.out, *format, overwrite, lang); !s.ok()) return Fail(s);
  report::ReportRequest req;
  req.day = o.day;
  req.bin_minutes = static_cast<int>(o.bins);
  req.names = o.with_names ? report::Names::kListed : report::Names::kLeftOut;
  req.lang = lang;
  auto r = report::ComputeReport(opened->database(), SystemClock(), req);
  if (!r.ok()) return Fail(r.status());
  if (Status s = report::WriteReport(*r, *format, o.out, lang); !s.ok()) return Fail(s);
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
