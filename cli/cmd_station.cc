// checkin station: a laptop paired with the venue hub. `pair` spends a
// pairing code for a device token, writes the [hub] section of the station
// config and pulls the replica; `sync` uploads what the station decided alone
// and pulls what changed; `status` says whether the hub answers, how far
// behind the replica is and what waits to be uploaded; `open` prints a
// one-time link that logs this laptop's browser in to the hub's pages.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/hub_settings.h"
#include "common/pairing_code.h"
#include "common/roles.h"
#include "common/timezone.h"
#include "hub/remote_desk.h"
#include "hub/station_desk.h"

namespace checkin::cli {
namespace {

// The config `station pair` writes: --config, else what Open() would read,
// else the machine-wide one.
std::string PairedConfigPath(const GlobalOptions& g) {
  const std::string found = FindConfigFile(g.config_path);
  return found.empty() ? std::string(kSystemConfigFile) : found;
}

int RunPair(const GlobalOptions& g, const std::string& code, bool json) {
  const Language lang = LanguageFor(g);
  const bool es = lang == Language::kSpanish;
  auto decoded = DecodePairingCode(code, lang);
  if (!decoded.ok()) return Fail(decoded.status());
  const std::string config_path = PairedConfigPath(g);

  hub::RemoteOptions o;
  o.urls = decoded->hub_urls;
  o.fingerprint = decoded->fingerprint;
  // Pairing is done once, by hand, maybe over a slow venue Wi-Fi.
  o.deadline = std::chrono::seconds(10);
  o.lang = lang;
  auto remote = hub::RemoteDesk::Connect(o, SystemClock());
  if (!remote.ok()) return Fail(remote.status());
  auto paired = (*remote)->Pair(decoded->secret);
  if (!paired.ok()) return Fail(paired.status());

  HubSettings s;
  s.urls = decoded->hub_urls;
  // The URL that answered first: it is the one to try first next time.
  for (size_t i = 0; i < s.urls.size(); ++i) {
    if (s.urls[i] == (*remote)->url()) std::swap(s.urls[0], s.urls[i]);
  }
  s.fingerprint = decoded->fingerprint;
  s.device = paired->device;
  s.role = ParseRole(paired->role);
  if (Status st = SaveHubSettings(config_path, s, paired->token); !st.ok()) return Fail(st);
  auto saved = LoadConfig(config_path);
  if (!saved.ok()) return Fail(saved.status());

  // A door or help desk decides offline against its replica; a printing
  // station only claims jobs and keeps none.
  hub::SyncReport pulled;
  const bool replica = s.role && Allows(*s.role, Action::kPullReplica);
  if (replica) {
    o.token = paired->token;
    auto station = hub::RemoteDesk::Connect(o, SystemClock());
    if (!station.ok()) return Fail(station.status());
    if (!json) {
      std::cout << (es ? "Descargando la lista de asistentes del hub...\n"
                       : "Downloading the attendee list from the hub...\n")
                << std::flush;
    }
    auto full = hub::PullFullReplica(**station, saved->hub->replica, SystemClock());
    if (!full.ok()) {
      return Fail(full.status().WithContext(
          es ? "emparejada, pero la réplica no se pudo descargar (`checkin station sync` lo "
               "reintenta): "
             : "paired, but the replica could not be downloaded (`checkin station sync` tries "
               "again): "));
    }
    pulled = *full;
  }
  if (json) {
    JsonObject out;
    out.SetString("device", paired->device)
        .SetString("role", paired->role)
        .SetString("hub", (*remote)->url())
        .SetString("config", config_path)
        .SetString("replica", replica ? saved->hub->replica : "")
        .SetInt("attendees", pulled.attendees)
        .SetInt("checkins", pulled.checkins);
    PrintJson(out);
    return kExitOk;
  }
  std::cout << (es ? "Estación emparejada como «" : "Station paired as \"") << Safe(paired->device)
            << (es ? "» (rol " : "\" (role ") << paired->role << ")"
            << (es ? " con el hub " : " with the hub ") << Safe((*remote)->url()) << ".\n"
            << (es ? "  Configuración: " : "  Config: ") << Safe(config_path) << "\n";
  if (replica) {
    std::cout << (es ? "  Réplica: " : "  Replica: ") << Safe(saved->hub->replica) << " ("
              << pulled.attendees << (es ? " asistentes, " : " attendees, ") << pulled.checkins
              << (es ? " registros)\n" : " check-ins)\n");
  }
  return kExitOk;
}

int RunSync(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  if (!opened->paired()) return Fail(StationSetupFor(opened->config).status());
  const bool es = opened->es();
  auto r = opened->station->Sync();
  if (!r.ok()) return Fail(r.status());
  if (json) {
    JsonObject out;
    out.SetInt("uploaded", r->uploaded)
        .SetInt("refused", r->refused)
        .SetInt("conflicts", r->conflicts)
        .SetInt("attendees", r->attendees)
        .SetInt("checkins", r->checkins)
        .SetInt("badges", r->badges);
    PrintJson(out);
    return kExitOk;
  }
  std::cout << (es ? "Enviados al hub: " : "Uploaded to the hub: ") << r->uploaded;
  if (r->refused > 0) std::cout << (es ? "  rechazados: " : "  refused: ") << r->refused;
  if (r->conflicts > 0) std::cout << (es ? "  conflictos: " : "  conflicts: ") << r->conflicts;
  if (r->badges > 0) {
    std::cout << (es ? "  escarapelas en cola: " : "  badges queued: ") << r->badges;
  }
  std::cout << "\n"
            << (es ? "Recibidos del hub: " : "Received from the hub: ") << r->attendees
            << (es ? " asistentes, " : " attendees, ") << r->checkins
            << (es ? " registros\n" : " check-ins\n");
  return kExitOk;
}

int RunStatus(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  if (!opened->paired()) return Fail(StationSetupFor(opened->config).status());
  const bool es = opened->es();
  auto st = opened->station->ReadStatus();
  if (!st.ok()) return Fail(st.status());
  const int64_t offset_ms = st->clock_offset ? st->clock_offset->count() : 0;
  if (json) {
    JsonObject out;
    out.SetBool("online", st->online)
        .SetString("hub", st->hub_url)
        .SetBool("replica", st->has_replica)
        .SetInt("outbox", st->outbox)
        .SetInt("refused", st->refused)
        .SetString("last_contact", st->last_contact)
        .SetString("last_pull", st->last_pull);
    if (st->clock_offset) {
      out.SetInt("clock_offset_ms", offset_ms);
    } else {
      out.SetNull("clock_offset_ms");
    }
    out.SetBool("clock_far_off", st->clock_far_off);
    PrintJson(out);
    return st->online ? kExitOk : kExitDenied;
  }
  std::cout << (st->online
                    ? Paint(es ? " EN LÍNEA " : " ONLINE ", VerdictColour(Verdict::kAdmitted))
                    : Paint(es ? " SIN HUB " : " OFFLINE ", VerdictColour(Verdict::kInvalid)))
            << "  " << Safe(st->hub_url) << "\n";
  if (!st->has_replica) {
    std::cout << (es ? "Sin réplica: esta estación solo trabaja con el hub.\n"
                     : "No replica: this station only works with the hub.\n");
  } else {
    std::cout << (es ? "Por enviar al hub: " : "Waiting to be uploaded: ") << st->outbox << "\n";
    if (st->refused > 0) {
      std::cout << (es ? "Rechazados por el hub (guardados aquí): "
                       : "Refused by the hub (kept here): ")
                << st->refused << "\n";
    }
    std::cout << (es ? "Última descarga completa: " : "Last full pull: ")
              << (st->last_pull.empty() ? "-" : st->last_pull) << " UTC\n";
  }
  std::cout << (es ? "Último contacto con el hub: " : "Last contact with the hub: ")
            << (st->last_contact.empty() ? "-" : st->last_contact) << " UTC\n";
  if (st->clock_offset) {
    std::cout << (es ? "Reloj de esta estación respecto al hub: "
                     : "This station's clock vs the hub: ")
              << (offset_ms > 0 ? "-" : "+") << static_cast<double>(std::abs(offset_ms)) / 1000.0
              << " s\n";
  }
  if (st->clock_far_off) {
    std::cout << Paint(es ? " ¡El reloj de este equipo está desfasado! Corríjalo: las horas que se "
                            "envían se corrigen, pero la pantalla muestra la hora local. "
                          : " This laptop's clock is far off! Fix it: uploaded times are corrected,"
                            " but the screen shows local time. ",
                       VerdictColour(Verdict::kAlreadyCheckedIn))
              << "\n";
  }
  return st->online ? kExitOk : kExitDenied;
}

// The device's token is the login: a volunteer at a paired desk or print
// laptop needs no PIN and no organizer at the hub.
int RunOpen(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kConfig);
  if (!opened.ok()) return Fail(opened.status());
  auto setup = StationSetupFor(opened->config);
  if (!setup.ok()) return Fail(setup.status());
  const bool es = opened->es();
  setup->remote.lang = opened->lang;
  // Asked by hand, once: the scan deadline would give up on a busy Wi-Fi.
  setup->remote.deadline =
      std::max<std::chrono::milliseconds>(setup->remote.deadline, std::chrono::seconds(5));
  auto remote = hub::RemoteDesk::Connect(setup->remote, SystemClock());
  if (!remote.ok()) return Fail(remote.status());
  auto link = (*remote)->OpenWebLogin();
  if (!link.ok()) {
    return Fail(link.status().WithContext(es ? "el hub no dio un enlace de acceso: "
                                             : "the hub gave no login link: "));
  }
  // What goes to the terminal and the browser is a login path of base32,
  // whatever the answer held.
  constexpr std::string_view kLogin = "/login?t=";
  const std::string& path = link->path;
  if (path.rfind(kLogin, 0) != 0 || path.size() == kLogin.size() ||
      path.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", kLogin.size()) !=
          std::string::npos) {
    return Fail(Status::Internal(es ? "el hub respondió un enlace de acceso que no se entiende"
                                    : "the hub answered a login link that makes no sense"));
  }
  const std::string url = (*remote)->url() + path;
  if (json) {
    JsonObject out;
    out.SetString("device", link->device)
        .SetString("role", PageRoleName(link->role))
        .SetString("expires_at", link->expires_at)
        .SetString("url", url);
    PrintJson(out);
    return kExitOk;
  }
  // The venue's clock, as `hub open` says it; UTC if the event is not read.
  auto event = (*remote)->Event();
  auto expires = ParseUtc(link->expires_at);
  std::cout << (es ? "Acceso de un solo uso de «" : "One-time login of \"") << Safe(link->device)
            << (es ? "» (rol " : "\" (role ") << PageRoleName(link->role) << ")";
  if (expires.ok()) {
    std::cout << (es ? "; vence " : "; expires ")
              << EventTimeText(*expires, event.ok() ? event->timezone : "UTC");
  }
  std::cout << ":\n\n" << url << "\n\n";
  PrintTerminalQr(url);
  std::cout << (es ? "Ábralo en el navegador de este equipo; sirve una vez y por pocos minutos.\n"
                   : "Open it in this laptop's browser; it works once, for a few minutes.\n");
  return kExitOk;
}

}  // namespace

void RegisterStation(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* station = app.add_subcommand("station", "This laptop as a station of the venue hub");
  station->require_subcommand(1);
  auto code = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* pair = station->add_subcommand(
      "pair", "Pair with the hub: writes [hub] into the station config and pulls the replica");
  pair->add_option("CODE", *code, "The pairing code `checkin hub device add` printed")->required();
  pair->add_flag("--json", *json, "Print one JSON object");
  pair->callback([&g, &exit_code, code, json] { exit_code = RunPair(g, *code, *json); });

  auto* sync = station->add_subcommand(
      "sync", "Upload what this station decided alone, then pull what changed (once)");
  sync->add_flag("--json", *json, "Print one JSON object");
  sync->callback([&g, &exit_code, json] { exit_code = RunSync(g, *json); });

  auto* status = station->add_subcommand(
      "status", "Online or not, what waits to be uploaded, the clock (exit 1 when offline)");
  status->add_flag("--json", *json, "Print one JSON object");
  status->callback([&g, &exit_code, json] { exit_code = RunStatus(g, *json); });

  auto* open = station->add_subcommand(
      "open", "Print a one-time link (and its QR) that logs this laptop's browser in to the hub");
  open->add_flag("--json", *json, "Print one JSON object");
  open->callback([&g, &exit_code, json] { exit_code = RunOpen(g, *json); });

  auto ui_opts = std::make_shared<ServeOptions>();
  ui_opts->listen = "127.0.0.1:8080";
  ui_opts->threads = 32;
  ui_opts->station_ui = true;
  auto* ui = station->add_subcommand(
      "ui", "Serve the event's screens (help desk, dashboard) from this laptop's own file");
  ui->add_option("--listen", ui_opts->listen,
                 "HOST:PORT (off this machine only with the certificate of `hub init`)")
      ->capture_default_str();
  ui->callback([&g, &exit_code, ui_opts] { exit_code = RunHubServe(g, *ui_opts); });
}

}  // namespace checkin::cli
