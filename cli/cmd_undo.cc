// checkin undo: take back a mistaken check-in (the log keeps both rows).
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "db/checkin_desk.h"
#include "db/roster.h"

namespace checkin::cli {
namespace {

struct UndoOptions {
  std::string station;
  std::string code;
  int64_t attendee_id = 0;
  bool json = false;
};

int Run(const GlobalOptions& g, const UndoOptions& o) {
  auto config = LoadStationConfig(g);
  if (!config.ok()) return Fail(config.status());
  const bool es = EffectiveLanguage(g, *config) == Language::kSpanish;
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return Fail(db.status());
  auto desk = db::CheckinDesk::Create(**db, SystemClock(), *config);
  if (!desk.ok()) return Fail(desk.status());
  const std::string station = o.station.empty() ? DefaultStation() : o.station;

  std::string code = o.code;
  if (o.attendee_id > 0) {
    auto a = db::FindAttendeeById(**db, o.attendee_id);
    if (!a.ok()) return Fail(a.status());
    if (!a->has_value()) return Fail(Status::NotFound("no attendee with id " + std::to_string(o.attendee_id)));
    code = (*a)->ticket_code;
  }
  auto r = code.empty() ? (*desk)->UndoLastAtStation(station) : (*desk)->UndoForCode(code, station);
  if (!r.ok()) return Fail(r.status());
  if (o.json) {
    std::cout << nlohmann::json{{"undone", PreviousJson(r->undone)},
                                {"attendee", AttendeeJson(r->attendee)},
                                {"undo_id", r->undo_uuid}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
    return kExitOk;
  }
  const bool exit = r->undone.direction == Direction::kExit;
  if (es) {
    std::cout << "Deshecho: " << (exit ? "la salida" : "el ingreso") << " de " << r->attendee.FullName()
              << " por " << r->undone.gate << " ya no cuenta. Puede volver a escanear su código.\n";
  } else {
    std::cout << "Undone: " << r->attendee.FullName() << "'s " << (exit ? "exit" : "entry")
              << " through " << r->undone.gate << " no longer counts. Their code can be scanned again.\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterUndo(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<UndoOptions>();
  auto* cmd = app.add_subcommand(
      "undo", "Undo the last check-in at this station, or an attendee's last check-in");
  cmd->add_option("--station", o->station, "Station whose last check-in to undo (default: this machine)");
  auto* code = cmd->add_option("--code", o->code, "Undo this code's last check-in instead");
  auto* id = cmd->add_option("--attendee", o->attendee_id, "Undo this attendee's last check-in instead");
  code->excludes(id);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([&g, &exit_code, o] { exit_code = Run(g, *o); });
}

}  // namespace checkin::cli
