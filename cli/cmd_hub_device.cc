// checkin hub device add|list|revoke: the devices a venue hub serves, and the
// one-time pairing code (text and terminal QR) a new station is paired with.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/support.h"
#include "common/pairing_code.h"
#include "common/roles.h"
#include "common/timezone.h"
#include "db/devices.h"
#include "db/offline.h"
#include "hub/hub_identity.h"
#include "hub/local_addresses.h"
#include "hub/tls_identity.h"

namespace checkin::cli {
namespace {

struct DeviceAddOptions {
  std::string name;
  std::string role;
  std::vector<std::string> urls;
  std::string fingerprint;
  bool json = false;
};

int RunDeviceAdd(const GlobalOptions& g, const DeviceAddOptions& o) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  const auto role = ParseRole(o.role);
  if (!role) {
    return Fail(Status::InvalidInput(es ? "--role debe ser scan, desk, print o admin"
                                        : "--role must be scan, desk, print or admin"));
  }
  // By default the code carries what `hub init` made: the certificate's
  // fingerprint and this laptop's addresses (before its host name, which the
  // venue network may not resolve).
  std::vector<std::string> urls = o.urls;
  if (urls.empty()) {
    const std::string host = hub::HostName();
    urls = hub::StationUrls("", hub::LocalAddresses(), hub::kDefaultHubPort);
    if (hub::IsDnsName(host)) {
      urls.push_back(hub::StationUrls(host, {}, hub::kDefaultHubPort).front());
    }
    if (urls.size() > kMaxHubUrls) urls.resize(kMaxHubUrls);
    if (urls.empty()) {
      return Fail(Status::InvalidInput(
          es ? "este equipo no tiene dirección de red: conéctelo a la red del evento o dé --url"
             : "this laptop has no network address: connect it to the venue network or give "
               "--url"));
    }
  }
  std::string fingerprint = o.fingerprint;
  if (fingerprint.empty()) {
    const std::string cert = hub::HubFilesFor(opened->database().path()).certificate;
    auto fp = hub::CertificateFingerprintOfFile(cert);
    if (!fp.ok()) {
      return Fail(fp.status().WithContext(es ? "sin el certificado del hub (¿falta `checkin --db " +
                                                   opened->database().path() + " hub init`?): "
                                             : "no hub certificate (run `checkin --db " +
                                                   opened->database().path() +
                                                   " hub init` first?): "));
    }
    fingerprint = *fp;
  }
  // The URLs and fingerprint are checked before a device is added, so a typo
  // does not leave a device behind whose code was never shown.
  if (urls.size() > kMaxHubUrls) {
    return Fail(Status::InvalidInput(es ? "dé de 1 a 4 --url" : "give 1 to 4 --url"));
  }
  for (const std::string& url : urls) {
    if (Status s = CheckHubUrl(url, opened->lang); !s.ok()) return Fail(s);
  }
  if (Status s = CheckFingerprint(fingerprint, opened->lang); !s.ok()) return Fail(s);
  db::DeviceRegistry registry(opened->database(), SystemClock(), opened->lang);
  auto added = registry.Add(o.name, *role);
  if (!added.ok()) return Fail(added.status());
  auto code = EncodePairingCode({urls, added->pairing_secret, fingerprint}, opened->lang);
  if (!code.ok()) return Fail(code.status());
  if (o.json) {
    JsonObject j;
    j.SetString("name", added->name)
        .SetString("role", RoleName(added->role))
        .SetString("expires_at", FormatUtc(added->expires_at))
        .SetString("pairing_code", *code);
    PrintJson(j);
    return kExitOk;
  }
  const std::string expires = EventTimeText(added->expires_at, opened->event.timezone);
  std::cout << (es ? "Dispositivo: " : "Device: ") << Safe(added->name) << " ("
            << (es ? "rol " : "role ") << RoleName(added->role) << ")\n"
            << (es ? "Código de emparejamiento, de un solo uso, vence "
                   : "Pairing code, single use, expires ")
            << expires << ":\n\n"
            << *code << "\n\n";
  PrintTerminalQr(*code);
  std::cout << (es ? "En la estación: checkin --config ESTACION.toml station pair CÓDIGO\n"
                   : "On the station: checkin --config STATION.toml station pair CODE\n");
  return kExitOk;
}

std::string StateText(db::DeviceState s, bool es) {
  switch (s) {
    case db::DeviceState::kPairingPending:
      return es ? "esperando emparejamiento" : "pairing pending";
    case db::DeviceState::kPairingExpired:
      return es ? "código vencido" : "pairing expired";
    case db::DeviceState::kPaired:
      return es ? "emparejado" : "paired";
    case db::DeviceState::kRevoked:
      return es ? "revocado" : "revoked";
  }
  return "";
}

int RunDeviceList(const GlobalOptions& g, bool json) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  const bool es = opened->es();
  db::DeviceRegistry registry(opened->database(), SystemClock(), opened->lang);
  auto devices = registry.Statuses();
  if (!devices.ok()) return Fail(devices.status());
  if (json) {
    std::vector<JsonObject> items;
    for (const db::DeviceStatus& d : *devices) items.push_back(db::DeviceStatusJson(d));
    std::cout << DumpArray(items) << "\n";
    return kExitOk;
  }
  if (devices->empty()) {
    std::cout << (es ? "No hay dispositivos: agregue uno con `checkin hub device add`.\n"
                     : "No devices: add one with `checkin hub device add`.\n");
    return kExitOk;
  }
  for (const db::DeviceStatus& status : *devices) {
    const db::Device& d = status.device;
    std::string seen = es ? "nunca" : "never";
    if (auto t = ParseUtc(d.last_seen_at); t.ok()) seen = EventTimeText(*t, opened->event.timezone);
    std::cout << Safe(d.name) << "  " << RoleName(d.role) << "  " << StateText(d.state, es) << "  "
              << (status.online ? (es ? "EN LÍNEA" : "ONLINE") : (es ? "sin conexión" : "offline"))
              << "  " << (es ? "visto por última vez: " : "last seen: ") << seen;
    if (d.outbox >= 0) {
      std::cout << (es ? "  por enviar: " : "  to upload: ") << d.outbox
                << (es ? "  réplica atrasada: " : "  replica behind: ") << status.replica_lag
                << (es ? " registros" : " check-ins");
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int RunDeviceRevoke(const GlobalOptions& g, const std::string& name) {
  auto opened = Open(g, Need::kConfig | Need::kEvent);
  if (!opened.ok()) return Fail(opened.status());
  db::DeviceRegistry registry(opened->database(), SystemClock(), opened->lang);
  if (Status s = registry.Revoke(name); !s.ok()) return Fail(s);
  std::cout << (opened->es() ? "Revocado: " : "Revoked: ") << Safe(name)
            << (opened->es() ? ". Su token y su código ya no sirven.\n"
                             : ". Its token and pairing code no longer work.\n");
  return kExitOk;
}

}  // namespace

void RegisterHubDevice(CLI::App& hub, const GlobalOptions& g, int& exit_code) {
  auto* device = hub.add_subcommand("device", "Devices this hub serves: add, list, revoke");
  device->require_subcommand(1);

  auto add_opts = std::make_shared<DeviceAddOptions>();
  auto* add = device->add_subcommand(
      "add", "Add a device and show its one-time pairing code (text and QR)");
  add->add_option("name", add_opts->name, "Device name, e.g. puerta-norte")->required();
  add->add_option("--role", add_opts->role, "scan, desk, print or admin")->required();
  add->add_option("--url", add_opts->urls,
                  "Hub URL the station reaches (repeatable, 1 to 4; default: this laptop's "
                  "addresses, port 8443)");
  add->add_option("--fingerprint", add_opts->fingerprint,
                  "SHA-256 of the hub's certificate (64 hex digits; default: the certificate "
                  "`hub init` made beside the database)");
  add->add_flag("--json", add_opts->json, "Print one JSON object");
  add->callback([&g, &exit_code, add_opts] { exit_code = RunDeviceAdd(g, *add_opts); });

  auto list_json = std::make_shared<bool>(false);
  auto* list = device->add_subcommand("list", "List devices: role, state, last seen");
  list->add_flag("--json", *list_json, "Print a JSON array");
  list->callback([&g, &exit_code, list_json] { exit_code = RunDeviceList(g, *list_json); });

  auto revoke_name = std::make_shared<std::string>();
  auto* revoke = device->add_subcommand("revoke", "Revoke a device: its token stops working");
  revoke->add_option("name", *revoke_name, "Device name")->required();
  revoke->callback([&g, &exit_code, revoke_name] { exit_code = RunDeviceRevoke(g, *revoke_name); });
}

}  // namespace checkin::cli
