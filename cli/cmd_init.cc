// checkin init: creates the event database.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/timezone.h"

namespace checkin::cli {

void RegisterInit(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "Create the event database");
  auto event = std::make_shared<EventInfo>();
  event->name = "Evento";
  cmd->add_option("--event", event->name, "Event name, e.g. \"KCD Colombia 2026\"");
  cmd->add_option("--timezone", event->timezone, "IANA time zone of the venue")
      ->capture_default_str();
  cmd->callback([&g, &exit_code, event] {
    if (!IsKnownTimeZone(event->timezone)) {
      exit_code = Fail(Status::InvalidInput("unknown time zone '" + event->timezone +
                                            "' (use an IANA name such as America/Bogota)"));
      return;
    }
    auto opened = Open(g, Need::kNewDatabase);
    if (!opened.ok()) {
      exit_code = Fail(opened.status());
      return;
    }
    db::Database& db = opened->database();
    if (Status s = db.InitEvent(*event, SystemClock()); !s.ok()) {
      exit_code = Fail(s);
      return;
    }
    std::cout << "Created " << Safe(db.path()) << " for \"" << Safe(event->name) << "\" ("
              << event->timezone << ").\nNext: checkin roster import EXPORT.csv --db "
              << Safe(db.path()) << "\n";
    exit_code = kExitOk;
  });
}

}  // namespace checkin::cli
