// FrontDoor: the hub's public socket. It accepts connections itself and
// hands one to the HTTP server (listening on loopback) only once the client
// has sent its first bytes, then copies bytes both ways. cpp-httplib 0.11
// gives every accepted connection a worker thread before it reads a byte, so
// without this front anyone on the attendees' Wi-Fi could hold every thread
// with connections that never speak, and the doors would go offline.
// One thread of its own; Start/Stop/counts are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace checkin::hub {

struct FrontDoorOptions {
  std::string host = "0.0.0.0";  // the public address, IPv4 or IPv6
  int port = 0;                  // 0: any free port
  int backend_port = 0;          // the HTTP server, on 127.0.0.1
  // A connection that has not sent a byte after this long is closed.
  std::chrono::milliseconds first_bytes{3000};
  // Connections open at once from one address. Loopback is the hub's own
  // machine and is not limited unless `limit_loopback`.
  int max_per_address = 24;
  bool limit_loopback = false;
  // Connections from one address that have not spoken yet; past this the
  // oldest silent one is closed to make room (every address, loopback too),
  // if it has been silent at least `min_silent_age`: a burst of connections
  // from one browser or at a restart is not a flood.
  int max_silent_per_address = 16;
  std::chrono::milliseconds min_silent_age{100};
  // Connections open at once in all; past this the oldest silent one is
  // closed, and when none is silent (for `min_silent_age`) the new one is
  // refused.
  int max_connections = 2048;
};

class FrontDoor {
 public:
  // Binds and starts its thread. Unavailable when the address is taken or
  // cannot be bound.
  static Result<std::unique_ptr<FrontDoor>> Start(const Clock& clock,
                                                  const FrontDoorOptions& options);
  ~FrontDoor();  // Stop()s

  int port() const;
  // Stops accepting, closes silent connections, and ends the clients' side
  // of the others, so the HTTP server sees no new request and lets its
  // kept-alive connections go; answers still flow back. Returns at once.
  void BeginStop();
  // BeginStop(), then lets what the server still writes reach the clients
  // (up to 2 s: stop the HTTP server between the two), and returns.
  void Stop();

  struct Counts {
    uint64_t accepted = 0;
    uint64_t forwarded = 0;  // handed to the HTTP server
    uint64_t silent_closed = 0;
    uint64_t refused = 0;  // over a limit with nothing silent to close
  };
  Counts counts() const;

 private:
  struct Impl;
  explicit FrontDoor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin::hub
