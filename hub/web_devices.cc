// The admins' device page (issue 11): the devices as `hub device list` shows
// them, adding one with its one-time pairing code and QR drawn on screen, and
// revoking one. The code names the hub as this browser reached it, since the
// admin's browser and the new station sit on the same venue network.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json_codec.h"
#include "common/pairing_code.h"
#include "common/roles.h"
#include "db/devices.h"
#include "hub/qr_svg.h"
#include "hub/web_http.h"
#include "hub/web_routes.h"

namespace checkin::hub {
namespace {

// https:// and the Host header the browser sent. Plain HTTP only on
// loopback, as CheckHubUrl says: a station on the venue Wi-Fi would send its
// token in the clear.
Result<std::string> HubUrlSeenBy(const httplib::Request& req, const WebHost& host, Language lang) {
  const std::string url =
      std::string(host.tls ? "https://" : "http://") + req.get_header_value("Host");
  if (Status s = CheckHubUrl(url, lang); !s.ok()) {
    if (host.tls) return s;
    return Status::InvalidInput(Localized(
        lang,
        "este hub atiende sin TLS: solo hace códigos de emparejamiento en este equipo; "
        "sírvalo con el certificado de `checkin hub init`",
        "this hub serves without TLS: it makes pairing codes on this machine only; serve it "
        "with the certificate of `checkin hub init`"));
  }
  if (host.fingerprint.empty()) {
    return Status::InvalidInput(Localized(
        lang,
        "el hub no tiene certificado que los dispositivos puedan fijar: ejecute `checkin hub init`",
        "the hub has no certificate for devices to pin: run `checkin hub init`"));
  }
  return url;
}

void RouteList(httplib::Server& svr, WebGate& gate) {
  svr.Get("/api/devices", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kAdmin}, false);
    if (!v) return;
    auto devices = v->store->DeviceStatuses();
    auto browsers = v->store->LiveDeviceSessions();
    gate.Give(*v);
    if (!devices.ok()) return JsonError(res, devices.status());
    if (!browsers.ok()) return JsonError(res, browsers.status());
    std::vector<JsonObject> items;
    for (const db::DeviceStatus& d : *devices) {
      JsonObject j = db::DeviceStatusJson(d);
      // Sessions its `station open` links started: the device's own browser.
      const auto n = browsers->find(d.device.name);
      j.SetInt("web_sessions",
               n == browsers->end() || d.device.state != db::DeviceState::kPaired ? 0 : n->second);
      items.push_back(std::move(j));
    }
    res.set_content(DumpArray(items), "application/json");
  });
}

// The secret leaves the hub once, in this answer (never in a URL, which
// logs and histories keep); the QR is drawn here so the page needs no
// library.
void RouteAdd(httplib::Server& svr, WebGate& gate) {
  svr.Post("/api/devices", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kAdmin}, false);
    if (!v) return;
    const std::string role_name = req.get_param_value("role");
    auto role = ParseRole(role_name);
    if (!role) role = ParsePageRole(role_name);
    // Checked before adding, like `hub device add`, so a refusal leaves no
    // device behind whose code nobody saw.
    auto url = HubUrlSeenBy(req, gate.host(), v->lang);
    if (!role || !url.ok()) {
      gate.Give(*v);
      if (!url.ok()) return JsonError(res, url.status());
      return JsonError(res, 400, Localized(v->lang, "elija un rol", "choose a role"));
    }
    auto added = v->store->AddDevice(req.get_param_value("name"), *role);
    gate.Give(*v);
    if (!added.ok()) return JsonError(res, added.status());
    gate.host().ring();
    auto code =
        EncodePairingCode({{*url}, added->pairing_secret, gate.host().fingerprint}, v->lang);
    if (!code.ok()) return JsonError(res, code.status());
    auto svg = QrSvg(*code);
    if (!svg.ok()) return JsonError(res, svg.status());
    res.set_content(nlohmann::json{{"name", added->name},
                                   {"role", RoleName(added->role)},
                                   {"expires_at", FormatUtc(added->expires_at)},
                                   {"pairing_code", *code},
                                   {"qr_svg", *svg}}
                        .dump(),
                    "application/json");
  });
}

void RouteRevoke(httplib::Server& svr, WebGate& gate) {
  svr.Post("/api/devices/revoke", [&gate](const httplib::Request& req, httplib::Response& res) {
    auto v = gate.Admit(req, res, {Role::kAdmin}, false);
    if (!v) return;
    const std::string name = req.get_param_value("name");
    Status s = v->store->RevokeDevice(name);
    gate.Give(*v);
    if (!s.ok()) return JsonError(res, s);
    gate.host().ring();
    res.set_content(nlohmann::json{{"revoked", name}}.dump(), "application/json");
  });
}

}  // namespace

void RouteDevicePages(httplib::Server& svr, WebGate& gate) {
  gate.ServePage(svr, "/admin", "admin.html", {Role::kAdmin});
  RouteList(svr, gate);
  RouteAdd(svr, gate);
  RouteRevoke(svr, gate);
}

}  // namespace checkin::hub
