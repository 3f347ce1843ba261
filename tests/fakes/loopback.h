// Plain sockets on loopback for network tests: connecting from a chosen
// 127.x address (another "machine"), reading with a bound wait, and an echo
// server whose connections the test can count.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace checkin::testing {

// A connection to 127.0.0.1:`port`, made from `from` (any 127.x address,
// all of which reach this machine); -1 when refused.
inline int ConnectFrom(const char* from, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, from, &src.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline int ConnectTo(int port) { return ConnectFrom("127.0.0.1", port); }

// What `fd` says within `wait_ms` (at most `want` bytes): "" when silent,
// "<closed>" at end of file or a reset.
inline std::string ReadFor(int fd, size_t want, int wait_ms) {
  std::string got;
  while (got.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) break;
    char buf[65536];
    const ssize_t n = read(fd, buf, std::min(sizeof buf, want - got.size()));
    if (n <= 0) return got + "<closed>";
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

inline void Say(int fd, const std::string& text) {
  ASSERT_EQ(send(fd, text.data(), text.size(), MSG_NOSIGNAL), static_cast<ssize_t>(text.size()));
}

// Echoes every byte back on each connection, one thread per connection; at
// the client's end of sending it ends its own side too.
class EchoServer {
 public:
  EchoServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(listen_fd_, 64), 0);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        ++accepted_;
        std::lock_guard<std::mutex> lock(mu_);
        fds_.push_back(fd);
        echoes_.emplace_back([fd] {
          char buf[8192];
          for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
            if (send(fd, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) return;
          }
          shutdown(fd, SHUT_WR);
        });
      }
    });
  }
  ~EchoServer() {
    shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    close(listen_fd_);
    for (int fd : fds_) shutdown(fd, SHUT_RDWR);
    for (auto& t : echoes_) t.join();
    for (int fd : fds_) close(fd);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> echoes_;
};

}  // namespace checkin::testing
