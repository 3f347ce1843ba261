// checkin hub: the venue hub. `hub init` makes its TLS certificate and key
// beside the event database and says where stations can reach it.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/support.h"
#include "common/clock.h"
#include "hub/hub_identity.h"
#include "hub/local_addresses.h"

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

}  // namespace

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
  RegisterHubDevice(*hub_cmd, g, exit_code);
}

}  // namespace checkin::cli
