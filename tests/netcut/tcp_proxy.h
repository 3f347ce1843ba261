// A TCP proxy on loopback that a test (or the demo, or the event-day bench)
// puts between a station and its hub, to cut the "Wi-Fi" and heal it again.
// Two kinds of cut, because a venue has both: a dropped link (connections
// reset, new ones refused at once) and a stalled one (packets vanish, so a
// request hangs until the station's deadline gives up on it).
#pragma once

#include <memory>
#include <string>

namespace checkin::netcut {

enum class Cut {
  kDrop,  // every open connection is closed; new ones are closed on accept
  kHang,  // nothing is forwarded either way; new connections wait, silent
};

class TcpProxy {
 public:
  // Listens on 127.0.0.1:`listen_port` (0 picks a free one) and forwards each
  // connection to 127.0.0.1:`target_port`. Null with `*error` set when the
  // port cannot be had.
  static std::unique_ptr<TcpProxy> Start(int target_port, int listen_port, std::string* error);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const;
  void CutOff(Cut how);
  // Forwarding resumes; connections held by a kHang cut carry on where they
  // stopped, as TCP does when a stalled link comes back.
  void Heal();
  // Connections accepted so far (a test can check a station really used it).
  long accepted() const;

  class Impl;

 private:
  explicit TcpProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace checkin::netcut
