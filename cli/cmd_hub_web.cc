// checkin hub open | hub pin set: who may open the pages the hub serves. A
// one-time login link per browser (text and terminal QR), or a PIN per role
// that the admin sets; there is no default password.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/pairing_code.h"
#include "common/roles.h"
#include "common/timezone.h"
#include "db/web_logins.h"
#include "hub/hub_identity.h"
#include "hub/local_addresses.h"

namespace checkin::cli {
namespace {

struct OpenOptions {
  std::string role;
  std::string station;
  std::string url;
  bool json = false;
};

Status BadPageRole(bool es) {
  return Status::InvalidInput(es ? "--role debe ser door, desk, print o admin"
                                 : "--role must be door, desk, print or admin");
}

int RunOpen(const GlobalOptions& g, const OpenOptions& o) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const auto role = ParsePageRole(o.role);
  if (!role) return Fail(BadPageRole(es));
  std::string url = o.url;
  if (url.empty()) {
    auto urls = hub::StationUrls("", hub::LocalAddresses(), hub::kDefaultHubPort);
    if (urls.empty()) {
      return Fail(Status::InvalidInput(
          es ? "este equipo no tiene dirección de red: conéctelo a la red del evento o dé --url"
             : "this laptop has no network address: connect it to the venue network or give "
               "--url"));
    }
    url = urls.front();
  }
  if (Status s = CheckHubUrl(url, opened->lang); !s.ok()) return Fail(s);
  while (!url.empty() && url.back() == '/') url.pop_back();
  db::WebLogins logins(opened->database(), SystemClock(), opened->lang);
  auto link = logins.OpenLink(*role, o.station);
  if (!link.ok()) return Fail(link.status());
  const std::string login = url + "/login?t=" + link->secret;
  if (o.json) {
    JsonObject j;
    j.SetString("role", PageRoleName(*role))
        .SetString("station", o.station)
        .SetString("expires_at", FormatUtc(link->expires_at))
        .SetString("url", login);
    PrintJson(j);
    return kExitOk;
  }
  std::cout << (es ? "Acceso de un solo uso al rol " : "One-time login, role ")
            << PageRoleName(*role)
            << (o.station.empty() ? "" : (es ? ", estación " : ", station ") + Safe(o.station))
            << (es ? "; vence " : "; expires ")
            << EventTimeText(link->expires_at, opened->event.timezone) << ":\n\n"
            << login << "\n\n";
  PrintTerminalQr(login);
  std::cout << (es ? "Ábralo en el navegador de ese puesto (o escanee el QR con la tableta).\n"
                   : "Open it in that post's browser (or scan the QR with the tablet).\n");
  return kExitOk;
}

int RunPinSet(const GlobalOptions& g, const std::string& role_name) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const auto role = ParsePageRole(role_name);
  if (!role) return Fail(BadPageRole(es));
  // From standard input, never the command line, where every user of the
  // machine could read it in the process list.
  if (StdoutIsTerminal()) std::cout << (es ? "PIN (6 a 12 dígitos): " : "PIN (6 to 12 digits): ");
  std::string pin;
  std::getline(std::cin, pin);
  if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  db::WebLogins logins(opened->database(), SystemClock(), opened->lang);
  if (Status s = logins.SetPin(*role, pin); !s.ok()) return Fail(s);
  std::cout << (es ? "PIN del rol " : "PIN of role ") << PageRoleName(*role)
            << (es ? " guardado; el anterior ya no sirve.\n"
                   : " saved; the old one no longer works.\n");
  return kExitOk;
}

}  // namespace

void RegisterHubWeb(CLI::App& hub, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<OpenOptions>();
  auto* open = hub.add_subcommand(
      "open", "Print a one-time login link (and its QR) for one browser to use the pages");
  open->add_option("--role", o->role, "door, desk, print or admin")->required();
  open->add_option("--station", o->station, "The station a door screen belongs to");
  open->add_option("--url", o->url,
                   "The hub's address as browsers reach it (default: https://THIS-ADDRESS:8443)");
  open->add_flag("--json", o->json, "Print one JSON object");
  open->callback([&g, &exit_code, o] { exit_code = RunOpen(g, *o); });

  auto* pin = hub.add_subcommand("pin", "PINs people log in to the pages with, one per role");
  pin->require_subcommand(1);
  auto role = std::make_shared<std::string>();
  auto* set = pin->add_subcommand("set", "Set a role's PIN, read from standard input");
  set->add_option("--role", *role, "door, desk, print or admin")->required();
  set->callback([&g, &exit_code, role] { exit_code = RunPinSet(g, *role); });
}

}  // namespace checkin::cli
