// The venue hub's HTTP server: answers stations in the hub protocol
// (hub/protocol.h) over HTTPS, from a HubStore. Each request is
// authenticated by its device token and checked against the device's role
// before anything is read or written; a refused request changes nothing.
// cpp-httplib stays inside the .cc.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/messages.h"
#include "common/result.h"
#include "hub/front_door.h"
#include "hub/hub_store.h"

namespace checkin::hub {

struct HubServerOptions {
  std::string host = "0.0.0.0";
  int port = 0;  // 0: any free port (tests); see HubServer::port()
  // Both set: HTTPS with this certificate and key. Both empty: plain HTTP,
  // accepted only when `host` is a loopback address.
  std::string certificate_file;
  std::string key_file;
  // Requests served at once. Each open connection holds a thread while it
  // is kept alive, so this bounds stations plus dashboards.
  int threads = 96;
  // A request whose bytes stop coming for this long is dropped.
  std::chrono::seconds read_timeout{5};
  // An idle kept-alive connection is closed after this long.
  std::chrono::seconds keep_alive{10};
  Language lang = Language::kSpanish;  // of the messages in refusals
  // Limits of the public port (its host, port and backend are set from the
  // fields above).
  FrontDoorOptions front;
};

class HubServer {
 public:
  // Binds and starts serving on its own threads. InvalidInput for plain
  // HTTP off loopback or unreadable TLS files; Unavailable when the address
  // is taken.
  static Result<std::unique_ptr<HubServer>> Start(HubStore& store, const Clock& clock,
                                                  const HubServerOptions& options);
  ~HubServer();  // Stop()s

  int port() const;
  bool tls() const;
  // Stops accepting, answers what is in flight, and returns.
  void Stop();

 private:
  struct Impl;
  explicit HubServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin::hub
