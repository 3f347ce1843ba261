// checkin badge render: badges as one PDF, for a layout check or bulk
// pre-printing before the doors open.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/support.h"
#include "common/output_file.h"
#include "common/text.h"
#include "db/roster.h"
#include "printer/badge_render.h"

namespace checkin::cli {
namespace {

struct BadgeOptions {
  std::string out;
  int64_t attendee_id = 0;
  std::string code;
  bool all = false;
  std::string sort = "last-name";
  std::string layout;
};

// Every valid attendee. A paired station reads its replica after a pull,
// so the batch is the hub's roster as of now (or as of the last pull, with
// a warning, when the hub is away); a printing station keeps no replica.
Result<std::vector<Attendee>> EveryValidAttendee(Opened& opened) {
  if (!opened.paired()) return db::ListAttendees(opened.database(), db::AttendeeFilter::kValidOnly);
  const bool es = opened.es();
  if (!opened.station->has_replica()) {
    return Status::InvalidInput(
        es ? "una estación de impresión no guarda la lista de asistentes: imprima el lote en el "
             "hub (`checkin --db HUB.db badge render --all`) o con una estación de entrada"
           : "a printing station keeps no roster: print the batch on the hub (`checkin --db "
             "HUB.db badge render --all`) or on an entrance station");
  }
  if (auto synced = opened.station->Sync(); !synced.ok()) {
    std::cerr << (es ? "aviso: el hub no responde; se usa la lista de la última sincronización: "
                     : "warning: the hub does not answer; using the roster of the last sync: ")
              << SafeLines(synced.status().message()) << "\n";
  }
  auto replica = db::Database::Open(opened.setup.replica_path, db::OpenMode::kMustExist);
  if (!replica.ok()) return replica.status();
  return db::ListAttendees(**replica, db::AttendeeFilter::kValidOnly);
}

int RunBadge(const GlobalOptions& g, const BadgeOptions& o) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  auto layout = printer::LoadLayoutOrDefault(o.layout);
  if (!layout.ok()) return Fail(layout.status());

  std::vector<Attendee> who;
  if (o.all) {
    auto all = EveryValidAttendee(*opened);
    if (!all.ok()) return Fail(all.status());
    who = std::move(*all);
  } else {
    // Through the service: the hub (or the replica, offline) on a paired
    // station, the file otherwise.
    CheckinService& service = opened->service();
    auto a = o.attendee_id > 0 ? service.FindById(o.attendee_id)
                               : service.FindByCode(std::string(Trim(o.code)));
    if (!a.ok()) return Fail(a.status());
    if (!a->has_value()) return Fail(Status::NotFound("no attendee with that id or code"));
    who.push_back(**a);
  }
  if (who.empty()) return Fail(Status::NotFound("the roster has no valid attendees to print"));
  auto key = [&](const Attendee& a) {
    if (o.sort == "company") return Fold(a.company + "\x1f" + a.last_name + "\x1f" + a.first_name);
    if (o.sort == "ticket-type")
      return Fold(a.ticket_type + "\x1f" + a.last_name + "\x1f" + a.first_name);
    return Fold(a.last_name + "\x1f" + a.first_name);
  };
  std::stable_sort(who.begin(), who.end(),
                   [&](const Attendee& a, const Attendee& b) { return key(a) < key(b); });

  auto pdf = printer::RenderBadges(who, *layout, opened->event.name, [](size_t done, size_t total) {
    ShowProgress("badges", done, total);
  });
  if (!pdf.ok()) return Fail(pdf.status());
  if (Status s = WriteFileAtomically(o.out, *pdf); !s.ok()) return Fail(s);
  std::cout << who.size() << (who.size() == 1 ? " badge" : " badges") << " ("
            << Safe(layout->stock);
  if (!layout->sheet.empty()) {
    const size_t per = static_cast<size_t>(printer::PlanSheet(*layout)->PerPage());
    std::cout << ", " << per << " per " << Safe(layout->sheet) << " sheet, "
              << (who.size() + per - 1) / per << " sheets";
  }
  std::cout << ") written to " << Safe(o.out) << " (" << (pdf->size() + 1023) / 1024 << " KiB)\n";
  return kExitOk;
}

}  // namespace

void RegisterBadge(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* badge = app.add_subcommand("badge", "Badge PDFs");
  badge->require_subcommand(1);
  auto o = std::make_shared<BadgeOptions>();
  auto* render = badge->add_subcommand("render", "Render badges into one PDF");
  render->add_option("--out", o->out, "PDF file to write")->required();
  auto* id =
      AddIntOption(*render, "--attendee", o->attendee_id, 1, INT64_MAX, "One attendee, by id");
  auto* code = AddCodeOption(*render, "--code", o->code, "One attendee, by ticket or badge code");
  auto* all = render->add_flag("--all", o->all, "Every valid attendee, one page each");
  id->excludes(code)->excludes(all);
  code->excludes(all);
  render->add_option("--sort", o->sort, "Order of a batch: last-name, company or ticket-type")
      ->check(CLI::IsMember({"last-name", "company", "ticket-type"}))
      ->capture_default_str();
  render->add_option("--layout", o->layout, "Layout file (TOML); default: 4x3 in, DejaVu Sans");
  render->callback([&g, &exit_code, o, id, code, all] {
    if (id->count() + code->count() + all->count() == 0) {
      exit_code =
          Fail(Status::InvalidInput("say whose badge: --attendee ID, --code CODE or --all"));
      return;
    }
    exit_code = RunBadge(g, *o);
  });
}

}  // namespace checkin::cli
