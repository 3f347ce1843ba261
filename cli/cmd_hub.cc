// checkin hub: the venue hub. `hub init` makes its TLS certificate and key
// beside the event database and says where stations can reach it; `hub
// serve` answers the stations until SIGINT or SIGTERM.
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "common/number.h"
#include "common/pairing_code.h"
#include "common/timezone.h"
#include "db/offline.h"
#include "db/web_logins.h"
#include "hub/hub_identity.h"
#include "hub/hub_server.h"
#include "hub/hub_store.h"
#include "hub/local_addresses.h"
#include "hub/tls_identity.h"
#include "sync/sync_loop.h"

namespace checkin::cli {
namespace {

void PrintIdentity(const hub::HubIdentityState& st, const std::vector<std::string>& urls, bool es) {
  if (st.renewed) {
    std::cout << (es ? "Certificado del hub renovado. Cada estación emparejada debe emparejarse "
                       "de nuevo.\n"
                     : "Hub certificate renewed. Every paired station must pair again.\n");
  } else if (st.created) {
    std::cout << (es ? "Certificado del hub creado.\n" : "Hub certificate created.\n");
  } else {
    std::cout << (es ? "El certificado del hub ya existe y se conserva (--renew hace uno nuevo; "
                       "cada estación emparejada tendría que emparejarse de nuevo).\n"
                     : "The hub certificate already exists and is kept (--renew makes a new one; "
                       "every paired station would have to pair again).\n");
  }
  std::cout << (es ? "  Huella SHA-256: " : "  SHA-256 fingerprint: ") << st.fingerprint << "\n"
            << (es ? "  Certificado:    " : "  Certificate:         ") << Safe(st.files.certificate)
            << "\n"
            << (es ? "  Clave privada:  " : "  Private key:         ") << Safe(st.files.key)
            << (es ? " (solo su dueño puede leerla)\n" : " (only its owner can read it)\n");
  std::cout << (es ? "Las estaciones pueden llegar al hub en:\n"
                   : "Stations can reach the hub at:\n");
  for (const auto& url : urls) std::cout << "  " << Safe(url) << "\n";
  if (urls.empty())
    std::cout << (es ? "  (ninguna dirección de red: conecte este equipo a la red del evento)\n"
                     : "  (no network address: connect this laptop to the venue network)\n");
}

int RunHubInit(const GlobalOptions& g, bool renew, bool json) {
  auto opened = Open(g, Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const std::string host = hub::HostName();
  const std::vector<std::string> addresses = hub::LocalAddresses();
  auto st = hub::InitHubIdentity(opened->database().path(), opened->event.name,
                                 hub::HubAltNames(host, addresses),
                                 renew ? hub::Renew::kReplace : hub::Renew::kKeep, SystemClock());
  if (!st.ok()) return Fail(st.status());
  const auto urls = hub::StationUrls(host, addresses, hub::kDefaultHubPort);
  if (json) {
    JsonObject o;
    o.SetString("certificate", st->files.certificate)
        .SetString("key", st->files.key)
        .SetString("fingerprint", st->fingerprint)
        .SetStringArray("urls", urls)
        .SetBool("created", st->created);
    PrintJson(o);
    return kExitOk;
  }
  PrintIdentity(*st, urls, opened->es());
  return kExitOk;
}

JsonObject SideJson(const db::ConflictSide& s) {
  JsonObject o;
  o.SetString("checkin_id", s.uuid)
      .SetString("gate", s.gate)
      .SetString("station", s.station)
      .SetString("at", s.at)
      .SetBool("offline", s.offline);
  return o;
}

int RunConflicts(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  auto conflicts = db::ListConflicts(opened->database());
  if (!conflicts.ok()) return Fail(conflicts.status());
  if (json) {
    std::vector<JsonObject> items;
    for (const db::Conflict& c : *conflicts) {
      JsonObject o;
      o.SetObject("attendee", AttendeeJson(c.attendee))
          .SetString("code", c.attendee.ticket_code)
          .SetObject("first", SideJson(c.first))
          .SetObject("second", SideJson(c.second))
          .SetInt("gap_ms", c.gap_ms)
          .SetString("found_at", c.found_at);
      items.push_back(std::move(o));
    }
    std::cout << DumpArray(items) << "\n";
    return kExitOk;
  }
  if (conflicts->empty()) {
    std::cout << (es ? "Sin conflictos: ninguna entrada fue admitida dos veces.\n"
                     : "No conflicts: no ticket was admitted twice.\n");
    return kExitOk;
  }
  const std::string& tz = opened->event.timezone;
  auto when = [&tz](const std::string& at) {
    auto t = ParseUtc(at);
    return t.ok() ? EventTimeText(*t, tz) : at;
  };
  std::cout << (es ? "Entradas admitidas dos veces por estaciones sin conexión entre sí: "
                   : "Tickets admitted twice by stations cut off from each other: ")
            << conflicts->size() << "\n";
  for (const db::Conflict& c : *conflicts) {
    std::cout << "  " << Safe(c.attendee.FullName()) << " (" << Safe(c.attendee.ticket_code)
              << ")\n    " << (es ? "1.ª: " : "1st: ") << when(c.first.at) << "  "
              << Safe(c.first.gate) << " · " << Safe(c.first.station)
              << (c.first.offline ? (es ? " (sin hub)" : " (offline)") : "") << "\n    "
              << (es ? "2.ª: " : "2nd: ") << when(c.second.at) << "  " << Safe(c.second.gate)
              << " · " << Safe(c.second.station)
              << (c.second.offline ? (es ? " (sin hub)" : " (offline)") : "") << "  (+"
              << static_cast<double>(c.gap_ms) / 1000.0 << " s)\n";
  }
  return kExitOk;
}

// "HOST:PORT", "[v6]:PORT" or ":PORT" (every address).
Result<std::pair<std::string, int>> ParseListen(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    return Status::InvalidInput("--listen: '" + text + "' is not HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  // Port 0: any free one, printed once listening (tests, several hubs on one laptop).
  auto port = ParseInt(std::string_view(text).substr(colon + 1), 0, 65535, "--listen port");
  if (!port.ok()) return port.status();
  return std::make_pair(host, static_cast<int>(*port));
}

}  // namespace

int RunHubServe(const GlobalOptions& g, const ServeOptions& o) {
  if (o.station_ui) {
    // Before the event file: a paired station has none of its own.
    auto config = Open(g, Need::kConfig);
    if (!config.ok()) return Fail(config.status());
    if (config->config.hub) {
      return Fail(Status::InvalidInput(
          config->es() ? "esta estación está emparejada con un hub: las pantallas las sirve el hub "
                         "(`checkin station open` da un enlace para este equipo)"
                       : "this station is paired with a hub: the hub serves the pages "
                         "(`checkin station open` gives a link for this laptop)"));
    }
  }
  auto opened = Open(g, Need::kEvent | Need::kConfig);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return Fail(listen.status());

  hub::HubServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  so.threads = static_cast<int>(o.threads);
  so.lang = opened->lang;
  const hub::HubFiles files = hub::HubFilesFor(opened->database().path());
  so.certificate_file = o.certificate.empty() ? files.certificate : o.certificate;
  so.key_file = o.key.empty() ? files.key : o.key;
  std::error_code ec;
  if (o.certificate.empty() && !std::filesystem::exists(so.certificate_file, ec)) {
    if (!IsLoopbackHost(so.host)) {
      return Fail(Status::InvalidInput(
          es ? "el hub no tiene certificado: ejecute `checkin hub init` antes de servir a la red"
               " del lugar"
             : "the hub has no certificate: run `checkin hub init` before serving the venue"
               " network"));
    }
    // On this laptop alone, plain HTTP is allowed (HubServer checks again).
    so.certificate_file.clear();
    so.key_file.clear();
  } else if (Status s = hub::CheckKeyMatchesCertificate(so.key_file, so.certificate_file);
             !s.ok()) {
    return Fail(s);
  }
  const std::string db_path = opened->database().path();
  // A laptop alone has nobody to run `hub open` for it: it prints its own
  // one-time organizer link once it listens.
  std::optional<db::LoginLink> link;
  if (o.station_ui) {
    auto made =
        db::WebLogins(opened->database(), SystemClock(), opened->lang).OpenLink(Role::kAdmin, "");
    if (!made.ok()) return Fail(made.status());
    link = *made;
  }
  opened->db.reset();

  // SIGINT and SIGTERM are waited for below; blocked first, so that no
  // server thread takes them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Each connection costs three descriptors (the front door relays it to the
  // HTTP server on loopback): take what the system allows, up to 16384,
  // rather than the usual 1024.
  rlimit fds{};
  if (getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur < 16384) {
    fds.rlim_cur = std::min<rlim_t>(fds.rlim_max, 16384);
    setrlimit(RLIMIT_NOFILE, &fds);
  }
  const Clock& clock = SystemClock();
  auto store = hub::OpenSqliteHubStore(db_path, clock, opened->config, opened->lang);
  if (!store.ok()) return Fail(store.status());
  auto server = hub::HubServer::Start(**store, clock, so);
  if (!server.ok()) return Fail(server.status());
  const bool v6 = so.host.find(':') != std::string::npos;
  const std::string where = std::string((*server)->tls() ? "https://" : "http://") +
                            (v6 ? "[" + so.host + "]" : so.host) + ":" +
                            std::to_string((*server)->port());
  if (o.station_ui) {
    std::cout << (es ? "Pantallas de esta estación en " : "This station's screens at ")
              << Safe(where);
  } else {
    std::cout << (es ? "Hub escuchando en " : "Hub listening at ") << Safe(where);
  }
  if ((*server)->tls()) {
    auto fp = hub::CertificateFingerprintOfFile(so.certificate_file);
    if (fp.ok()) std::cout << (es ? " (huella " : " (fingerprint ") << *fp << ")";
  } else {
    std::cout << (es ? " (sin cifrar: solo este equipo)" : " (unencrypted: this machine only)");
  }
  std::cout << "\n";
  if (link) {
    std::cout << (es ? "Pantallas del evento (enlace de organización, un solo uso): "
                     : "The event's screens (organizer link, single use): ")
              << where << "/login?t=" << link->secret << "\n"
              << (es ? "Más enlaces: checkin hub open --role door|desk|print|admin --url "
                     : "More links: checkin hub open --role door|desk|print|admin --url ")
              << where << "\n";
  }
  // With [registration], the roster follows the platform by itself, on a
  // thread and a connection of its own: the doors' redeems go on meanwhile.
  std::unique_ptr<sync::SyncLoop> roster_sync;
  if (const auto& reg = opened->config.registration) {
    const Language lang = opened->lang;
    auto loop = sync::SyncLoop::Start(db_path, *reg, std::chrono::seconds(reg->interval_s), clock,
                                      [lang](const sync::SyncPassOutcome& pass) {
                                        std::cerr << Safe(sync::PassLine(pass, lang)) << std::endl;
                                      });
    if (!loop.ok()) return Fail(loop.status());
    roster_sync = std::move(loop).value();
    std::cout << (es ? "Lista sincronizada desde " : "Roster synced from ") << Safe(reg->platform)
              << (es ? " cada " : " every ") << reg->interval_s << " s\n";
  }
  std::cout << (es ? "Ctrl+C lo detiene.\n" : "Ctrl+C stops it.\n") << std::flush;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  roster_sync.reset();
  (*server)->Stop();
  std::cout << (o.station_ui ? (es ? "Pantallas detenidas.\n" : "Screens stopped.\n")
                             : (es ? "Hub detenido.\n" : "Hub stopped.\n"));
  return kExitOk;
}

void RegisterHub(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto* hub_cmd = app.add_subcommand("hub", "The venue hub");
  hub_cmd->require_subcommand(1);
  auto renew = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto* init = hub_cmd->add_subcommand(
      "init", "Make the hub's TLS certificate and key beside the event database (kept if there)");
  init->add_flag("--renew", *renew,
                 "Replace an existing certificate (every paired station must pair again)");
  init->add_flag("--json", *json, "Print one JSON object");
  init->callback([&g, &exit_code, renew, json] { exit_code = RunHubInit(g, *renew, *json); });
  auto serve_opts = std::make_shared<ServeOptions>();
  serve_opts->listen = "0.0.0.0:" + std::to_string(hub::kDefaultHubPort);
  auto* serve = hub_cmd->add_subcommand(
      "serve", "Answer the venue's stations (HTTPS with the certificate of `hub init`)");
  serve->add_option("--listen", serve_opts->listen, "HOST:PORT to listen on")
      ->capture_default_str();
  serve->add_option("--cert", serve_opts->certificate,
                    "Certificate file (default: the one `hub init` made beside the database)");
  serve->add_option("--key", serve_opts->key, "Private key file for --cert");
  AddIntOption(*serve, "--threads", serve_opts->threads, 4, 1024,
               "Requests served at once (stations plus open dashboards)");
  serve->callback([&g, &exit_code, serve_opts] { exit_code = RunHubServe(g, *serve_opts); });
  auto conflicts_json = std::make_shared<bool>(false);
  auto* conflicts = hub_cmd->add_subcommand(
      "conflicts", "Tickets admitted twice by stations that were cut off from each other");
  conflicts->add_flag("--json", *conflicts_json, "Print a JSON array, one object per conflict");
  conflicts->callback(
      [&g, &exit_code, conflicts_json] { exit_code = RunConflicts(g, *conflicts_json); });
  RegisterHubDevice(*hub_cmd, g, exit_code);
  RegisterHubWeb(*hub_cmd, g, exit_code);
}

}  // namespace checkin::cli
