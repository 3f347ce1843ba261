// checkin roster gates: the event's pretix check-in lists as [[gate]] blocks
// for the station config, printed, or added to the config with --write.
// The event is the config's [registration], or --url, --organizer and
// --event; the API token is read as for `roster sync` (token_file, else
// token_env), never from the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/config_edit.h"
#include "sync/pretix_source.h"
#include "sync/token.h"

namespace checkin::cli {
namespace {

struct GatesOptions {
  std::string url, organizer, event;
  bool write = false;
  bool force = false;
};

// [registration] when the config has one, each flag given overriding it.
Result<sync::PretixOptions> PretixFor(const Config& config, const GatesOptions& o, bool es) {
  RegistrationSettings r = config.registration.value_or(RegistrationSettings{});
  if (!r.platform.empty() && r.platform != "pretix") {
    return Status::InvalidInput(es ? "las listas de check-in se leen solo de pretix, y"
                                     " [registration] dice '" +
                                         r.platform + "'"
                                   : "check-in lists are read from pretix only, and"
                                     " [registration] says '" +
                                         r.platform + "'");
  }
  sync::PretixOptions p;
  p.url = o.url.empty() ? r.url : o.url;
  p.organizer = o.organizer.empty() ? r.organizer : o.organizer;
  p.event = o.event.empty() ? r.event : o.event;
  if (p.url.empty() || p.organizer.empty() || p.event.empty()) {
    return Status::InvalidInput(es ? "falta el evento de pretix: indique --url, --organizer y"
                                     " --event"
                                   : "which pretix event? give --url, --organizer and --event");
  }
  // token_file (owner-only) when [registration] names one, else token_env.
  auto token = sync::ReadRegistrationToken(r);
  if (!token.ok()) return token.status();
  p.token = *token;
  return p;
}

std::string Comment(const sync::PretixOptions& p, bool es) {
  const std::string event = p.organizer + "/" + p.event;
  return es ? "# Puertas según las listas de check-in de pretix (" + event +
                  "),\n# escritas por `checkin roster gates`.\n"
            : "# Gates from pretix's check-in lists (" + event +
                  "),\n# written by `checkin roster gates`.\n";
}

int RunGates(const GlobalOptions& g, const GatesOptions& o) {
  auto opened = Open(g, Need::kConfig);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  auto pretix = PretixFor(opened->config, o, es);
  if (!pretix.ok()) return Fail(pretix.status());
  sync::PretixSource source(*pretix, SystemClock(), sync::RealSleeper());
  auto gates = source.FetchGates();
  if (!gates.ok()) return Fail(gates.status());
  for (const auto& note : gates->notes)
    std::cerr << (es ? "nota: " : "note: ") << Safe(note) << "\n";
  if (gates->gates.empty()) {
    return Fail(Status::NotFound(es ? "el evento no tiene listas de check-in que sirvan de puertas"
                                    : "the event has no check-in list that can be a gate"));
  }
  const std::string blocks = GateBlocks(gates->gates, Comment(*pretix, es));
  if (!o.write) {
    std::cout << SafeLines(blocks);
    return kExitOk;
  }
  const std::string found = FindConfigFile(g.config_path);
  const std::string path = found.empty() ? std::string(kSystemConfigFile) : found;
  const Status s = AddGates(path, gates->gates, Comment(*pretix, es),
                            o.force ? ExistingGates::kReplace : ExistingGates::kRefuse);
  if (s.code() == StatusCode::kConflict) {
    return Fail(Status::Conflict(s.message() +
                                 (es ? " (--force las reemplaza)" : " (--force replaces them)")));
  }
  if (!s.ok()) return Fail(s);
  std::cout << (es ? "Escritas " : "Wrote ") << gates->gates.size()
            << (es ? " puertas en " : " gates to ") << Safe(path) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterRosterGates(CLI::App& roster, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<GatesOptions>();
  auto* cmd = roster.add_subcommand(
      "gates",
      "The event's pretix check-in lists as [[gate]] blocks for the config (the token as for"
      " roster sync: [registration]'s token_file, else $CHECKIN_REGISTRATION_TOKEN)");
  cmd->add_option("--url", o->url, "pretix's base URL, e.g. https://pretix.eu/");
  cmd->add_option("--organizer", o->organizer, "The organizer's slug in pretix");
  cmd->add_option("--event", o->event, "The event's slug in pretix");
  cmd->add_flag("--write", o->write,
                "Add the gates to the config file (refused if gates of those names exist)");
  cmd->add_flag("--force", o->force, "With --write: replace gates of the same names");
  cmd->callback([&g, &exit_code, o] { exit_code = RunGates(g, *o); });
}

}  // namespace checkin::cli
