#include "tests/netcut/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace checkin::netcut {
namespace {

constexpr size_t kBuffer = 64 * 1024;

sockaddr_in Loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void NonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// One direction of a connection: bytes read from `from` wait in `pending`
// until `to` takes them, so a slow reader slows its writer, as TCP would.
struct Pipe {
  std::string pending;
  bool eof = false;
};

struct Link {
  int client = -1;
  int upstream = -1;  // -1 while held by a kHang cut before it was connected
  Pipe up;            // client → upstream
  Pipe down;          // upstream → client
  bool dead = false;
};

}  // namespace

class TcpProxy::Impl {
 public:
  int listen_fd = -1;
  int wake[2] = {-1, -1};
  int target_port = 0;
  int port = 0;
  std::mutex mu;
  bool stopping = false;
  bool hang = false;
  bool drop = false;
  std::atomic<long> accepted{0};
  std::list<Link> links;  // only the proxy's thread touches these
  std::thread thread;

  void Wake() {
    const char c = 0;
    (void)!write(wake[1], &c, 1);
  }

  static void Close(Link& l) {
    if (l.client >= 0) close(l.client);
    if (l.upstream >= 0) close(l.upstream);
    l.client = l.upstream = -1;
    l.dead = true;
  }

  bool Connect(Link& l) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in to = Loopback(target_port);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      if (fd >= 0) close(fd);
      return false;  // the hub is down: the client sees its connection closed
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    NonBlocking(fd);
    l.upstream = fd;
    return true;
  }

  // Moves what `from` has to say into `pipe`, and what `pipe` holds into `to`.
  static void Pump(int from, short from_events, Pipe& pipe, int to, short to_events, bool& dead) {
    if ((from_events & (POLLIN | POLLHUP | POLLERR)) && pipe.pending.size() < kBuffer &&
        !pipe.eof) {
      char buf[16384];
      const ssize_t n = read(from, buf, sizeof buf);
      if (n > 0) {
        pipe.pending.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        pipe.eof = true;
      }
    }
    if (!pipe.pending.empty() && (to_events & POLLOUT)) {
      const ssize_t n = send(to, pipe.pending.data(), pipe.pending.size(), MSG_NOSIGNAL);
      if (n > 0) {
        pipe.pending.erase(0, static_cast<size_t>(n));
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        dead = true;
      }
    }
    if (pipe.eof && pipe.pending.empty()) shutdown(to, SHUT_WR);
  }

  void Run() {
    for (;;) {
      bool now_hang = false;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopping) break;
        if (drop) {
          for (Link& l : links) Close(l);
        }
        now_hang = hang || drop;
      }
      links.remove_if([](const Link& l) { return l.dead; });
      if (!now_hang) {
        for (Link& l : links) {
          if (l.upstream < 0 && !Connect(l)) Close(l);
        }
        links.remove_if([](const Link& l) { return l.dead; });
      }

      std::vector<pollfd> fds{{wake[0], POLLIN, 0}, {listen_fd, POLLIN, 0}};
      const size_t polled = now_hang ? 0 : links.size();  // Accept() may add more
      if (!now_hang) {
        for (const Link& l : links) {
          short c = 0, u = 0;
          if (!l.up.eof && l.up.pending.size() < kBuffer) c |= POLLIN;
          if (!l.down.pending.empty()) c |= POLLOUT;
          if (!l.down.eof && l.down.pending.size() < kBuffer) u |= POLLIN;
          if (!l.up.pending.empty()) u |= POLLOUT;
          fds.push_back({l.client, c, 0});
          fds.push_back({l.upstream, u, 0});
        }
      }
      if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) break;
      if (fds[0].revents & POLLIN) {
        char drain[64];
        (void)!read(wake[0], drain, sizeof drain);
      }
      if (fds[1].revents & POLLIN) Accept();
      if (now_hang) continue;
      size_t i = 2;
      auto it = links.begin();
      for (size_t n = 0; n < polled; ++n, ++it) {
        Link& l = *it;
        const short c = fds[i].revents, u = fds[i + 1].revents;
        i += 2;
        Pump(l.client, c, l.up, l.upstream, u, l.dead);
        Pump(l.upstream, u, l.down, l.client, c, l.dead);
        if (l.dead || (l.up.eof && l.down.eof && l.up.pending.empty() && l.down.pending.empty())) {
          Close(l);
        }
      }
    }
    for (Link& l : links) Close(l);
  }

  void Accept() {
    const int fd = accept(listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    ++accepted;
    bool refuse;
    {
      std::lock_guard<std::mutex> lock(mu);
      refuse = drop;
    }
    if (refuse) {
      // SO_LINGER 0 makes close() a reset, like a link that is not there.
      const linger hard{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      close(fd);
      return;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    NonBlocking(fd);
    Link l;
    l.client = fd;
    links.push_back(std::move(l));  // connected upstream on the next turn unless hung
  }
};

TcpProxy::TcpProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<TcpProxy> TcpProxy::Start(int target_port, int listen_port, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->target_port = target_port;
  impl->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(impl->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in at = Loopback(listen_port);
  if (impl->listen_fd < 0 ||
      bind(impl->listen_fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 ||
      listen(impl->listen_fd, 128) != 0 || pipe(impl->wake) != 0) {
    *error = std::string("cannot listen on 127.0.0.1:") + std::to_string(listen_port) + ": " +
             std::strerror(errno);
    if (impl->listen_fd >= 0) close(impl->listen_fd);
    return nullptr;
  }
  socklen_t len = sizeof at;
  getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&at), &len);
  impl->port = ntohs(at.sin_port);
  NonBlocking(impl->listen_fd);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<TcpProxy>(new TcpProxy(std::move(impl)));
}

TcpProxy::~TcpProxy() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->Wake();
  impl_->thread.join();
  close(impl_->listen_fd);
  close(impl_->wake[0]);
  close(impl_->wake[1]);
}

int TcpProxy::port() const { return impl_->port; }

long TcpProxy::accepted() const { return impl_->accepted.load(); }

void TcpProxy::CutOff(Cut how) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->drop = how == Cut::kDrop;
    impl_->hang = how == Cut::kHang;
  }
  impl_->Wake();
}

void TcpProxy::Heal() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->drop = impl_->hang = false;
  }
  impl_->Wake();
}

}  // namespace checkin::netcut
