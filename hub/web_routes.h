// The pages the hub serves to browsers (issue 11): login by one-time link or
// PIN, a session cookie, CSRF checks on every change, the embedded assets,
// and the JSON the pages read. Internal to the hub module; HubServer wires it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "hub/hub_store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace checkin::hub {

// What the pages need of the server they are served by. Thread-safe.
struct WebHost {
  // A store session for one request, and its return.
  std::function<Result<std::unique_ptr<HubSession>>()> take;
  std::function<void(std::unique_ptr<HubSession>)> give;
  // Rung after every write; waits until rung after `seen`, the server
  // stops, or `slice` passes, and returns the count it saw.
  std::function<void()> ring;
  std::function<uint64_t(uint64_t seen, std::chrono::milliseconds slice)> wait_for_change;
  std::function<bool()> stopping;
  const Clock* clock = nullptr;
  Language lang = Language::kSpanish;
  bool tls = false;  // cookies are Secure over TLS
  // SHA-256 of the hub's certificate, which the pairing codes the device
  // page makes carry; empty over plain HTTP.
  std::string fingerprint;
};

// The logged-in visitor of one request, holding a store session until given
// back.
struct WebVisitor {
  std::unique_ptr<HubSession> store;
  db::WebSession session;
  Language lang = Language::kSpanish;

  // Where the visitor's actions are recorded: the session's station, else
  // "web".
  std::string station() const { return session.station.empty() ? "web" : session.station; }
};

// What routes kept in their own files need of the pages' sessions.
class WebGate {
 public:
  virtual ~WebGate() = default;
  // The logged-in visitor of `req`, or nullopt after answering: to the
  // login page for a page, 401 for the JSON. `roles`: who may; others get
  // 403. State changes (POST) must echo the session's CSRF value and come
  // from this origin.
  virtual std::optional<WebVisitor> Admit(const httplib::Request& req, httplib::Response& res,
                                          const std::vector<Role>& roles, bool page) = 0;
  // Gives the visitor's store session back.
  virtual void Give(WebVisitor& v) = 0;
  // GET `path`: the template `file`, filled for the visitor, to `roles`.
  virtual void ServePage(httplib::Server& svr, const char* path, const char* file,
                         const std::vector<Role>& roles) = 0;
  virtual const WebHost& host() const = 0;
};

// The admins' device page (hub/web_devices.cc): list, add with its pairing
// code and QR, revoke. `gate` must outlive the server.
void RouteDevicePages(httplib::Server& svr, WebGate& gate);
// The print desk (hub/web_print.cc): the queue, the printers, reprint,
// cancel, pause and resume.
void RoutePrintPages(httplib::Server& svr, WebGate& gate);

// Owns what the routes' handlers use: keep it until the server has stopped.
class WebPages {
 public:
  virtual ~WebPages() = default;
};
std::unique_ptr<WebPages> RouteWebPages(httplib::Server& svr, WebHost host);

}  // namespace checkin::hub
