// The pages the hub serves to browsers (issue 11): login by one-time link or
// PIN, a session cookie, CSRF checks on every change, the embedded assets,
// and the JSON the pages read. Internal to the hub module; HubServer wires it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "hub/hub_store.h"

namespace httplib {
class Server;
}

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
};

// Owns what the routes' handlers use: keep it until the server has stopped.
class WebPages {
 public:
  virtual ~WebPages() = default;
};
std::unique_ptr<WebPages> RouteWebPages(httplib::Server& svr, WebHost host);

}  // namespace checkin::hub
