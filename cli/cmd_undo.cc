// checkin undo: take back a mistaken check-in (the log keeps both rows).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"

namespace checkin::cli {
namespace {

struct UndoOptions {
  std::string station;
  std::string code;
  int64_t attendee_id = 0;
  std::string reason;
  bool json = false;
};

int RunUndo(const GlobalOptions& g, const UndoOptions& o, bool by_code, bool by_attendee) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  UndoRequest req;
  req.station = StationOr(o.station, *opened);
  req.target = by_code       ? UndoRequest::Target::kCode
               : by_attendee ? UndoRequest::Target::kAttendee
                             : UndoRequest::Target::kLastAtStation;
  req.code = o.code;
  req.attendee_id = o.attendee_id;
  req.reason = o.reason;
  auto r = opened->service().Undo(req);
  if (!r.ok()) return Fail(r.status());
  if (o.json) {
    PrintJson(UndoJson(*r));
    return kExitOk;
  }
  const bool exit = r->undone.direction == Direction::kExit;
  if (es) {
    std::cout << "Deshecho: " << (exit ? "la salida" : "el ingreso") << " de "
              << Safe(r->attendee.FullName()) << " por " << Safe(r->undone.gate)
              << " ya no cuenta. Puede volver a escanear su código.\n";
  } else {
    std::cout << "Undone: " << Safe(r->attendee.FullName()) << "'s " << (exit ? "exit" : "entry")
              << " through " << Safe(r->undone.gate)
              << " no longer counts. Their code can be scanned again.\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterUndo(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<UndoOptions>();
  auto* cmd = app.add_subcommand(
      "undo", "Undo the last check-in at this station, or an attendee's last check-in");
  cmd->add_option("--station", o->station,
                  "Station whose last check-in to undo (default: this machine)");
  auto* code = AddCodeOption(*cmd, "--code", o->code, "Undo this code's last check-in instead");
  auto* id = AddIntOption(*cmd, "--attendee", o->attendee_id, 1, INT64_MAX,
                          "Undo this attendee's last check-in instead");
  code->excludes(id);
  cmd->add_option("--reason", o->reason, "Why, in a few words (kept in the check-in log)");
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([&g, &exit_code, o, code, id] {
    exit_code = RunUndo(g, *o, code->count() > 0, id->count() > 0);
  });
}

}  // namespace checkin::cli
