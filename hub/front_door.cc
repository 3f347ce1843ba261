#include "hub/front_door.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <string>
#include <thread>
#include <unordered_map>

namespace checkin::hub {

namespace {

// Bytes read in one go. What the other side cannot take at once waits in the
// connection (at most this much per direction, since reading stops until it
// is written), so a client that does not read costs a bounded amount.
constexpr size_t kChunk = 64 * 1024;
constexpr std::chrono::milliseconds kDrainLimit{2000};
constexpr uint64_t kWake = 0;  // epoll tag of the stop eventfd
constexpr uint64_t kListen = 1;
// Registered events of a socket taken out of epoll: it has nothing more to
// give or take, and would otherwise report its hang-up on every wait.
constexpr uint32_t kDetached = 0xFFFFFFFFU;

enum class Side : uint64_t { kClient = 0, kBackend = 1 };

uint64_t Tag(uint64_t id, Side side) { return (id << 1U) | static_cast<uint64_t>(side); }

void NoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool IsLoopback(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&a);
    return (ntohl(in->sin_addr.s_addr) >> 24U) == 127U;
  }
  if (a.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&a);
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return true;
    return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

std::string AddressText(const sockaddr_storage& a) {
  char text[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&a)->sin_addr, text, sizeof text);
  } else if (a.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&a)->sin6_addr, text, sizeof text);
  }
  return text;
}

// Bytes read from one side and not yet taken by the other.
struct Pending {
  std::string bytes;
  size_t done = 0;
  bool empty() const { return done == bytes.size(); }
};

enum class State { kSilent, kConnecting, kRelaying };

struct Conn {
  int client = -1;
  int backend = -1;
  State state = State::kSilent;
  std::chrono::steady_clock::time_point accepted_at;
  std::chrono::steady_clock::time_point deadline;  // silent and connecting
  std::string address;
  bool limited = false;  // counts against the address's limit
  Pending up;            // client -> backend
  Pending down;          // backend -> client
  bool up_eof = false;   // the client has finished sending
  bool down_eof = false;
  uint32_t client_events = 0;  // as registered with epoll
  uint32_t backend_events = 0;
};

struct Address {
  int open = 0;
  int silent = 0;
  std::deque<uint64_t> silent_ids;  // oldest first; may hold stale ids
};

}  // namespace

struct FrontDoor::Impl {
  Impl(const Clock& c, FrontDoorOptions o) : clock(c), options(std::move(o)) {}

  const Clock& clock;
  const FrontDoorOptions options;
  int listen_fd = -1;
  int epoll_fd = -1;
  int wake_fd = -1;
  int port = 0;
  std::thread thread;
  std::atomic<bool> quiescing{false};
  std::atomic<bool> stopping{false};

  // Touched by the loop thread only.
  uint64_t next_id = 1;
  std::unordered_map<uint64_t, Conn> conns;
  std::unordered_map<std::string, Address> addresses;
  std::deque<uint64_t> silent_order;  // accept order, so deadline order
  int silent = 0;

  std::atomic<uint64_t> accepted{0}, forwarded{0}, silent_closed{0}, refused{0};

  ~Impl() {
    for (auto& [id, c] : conns) {
      if (c.client >= 0) close(c.client);
      if (c.backend >= 0) close(c.backend);
    }
    for (int fd : {listen_fd, epoll_fd, wake_fd}) {
      if (fd >= 0) close(fd);
    }
  }

  void Watch(int fd, uint64_t tag, uint32_t events, uint32_t* registered) {
    if (*registered == events || *registered == kDetached) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
    *registered = events;
  }

  void Close(uint64_t id) {
    auto it = conns.find(id);
    if (it == conns.end()) return;
    Conn& c = it->second;
    if (c.client >= 0) close(c.client);
    if (c.backend >= 0) close(c.backend);
    if (c.state == State::kSilent) --silent;
    // The address's entry stays (Admit holds a reference to it); Tidy()
    // drops the empty ones now and then.
    Address& a = addresses[c.address];
    if (c.limited) --a.open;
    if (c.state == State::kSilent) --a.silent;
    conns.erase(it);
  }

  void Tidy() {
    if (addresses.size() < 2 * conns.size() + 64) return;
    for (auto it = addresses.begin(); it != addresses.end();) {
      if (it->second.open <= 0 && it->second.silent <= 0) {
        it = addresses.erase(it);
      } else {
        ++it;
      }
    }
  }

  bool IsSilent(uint64_t id) const {
    auto it = conns.find(id);
    return it != conns.end() && it->second.state == State::kSilent;
  }

  // Closes the oldest connection from `queue` that has not spoken yet and
  // is older than `min_silent_age`. False when there is none. A connection
  // accepted in the same burst may have sent its first bytes already, unseen
  // by the loop: that one is handed on, not closed.
  bool CloseOldestSilent(std::deque<uint64_t>& queue) {
    const auto now = clock.Monotonic();
    while (!queue.empty()) {
      const uint64_t id = queue.front();
      auto it = conns.find(id);
      if (it == conns.end() || it->second.state != State::kSilent) {
        queue.pop_front();
        continue;
      }
      Conn& c = it->second;
      char probe = 0;
      const ssize_t n = recv(c.client, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n > 0) {
        queue.pop_front();
        Connect(id, c);
        continue;
      }
      if (n < 0 && now - c.accepted_at < options.min_silent_age) return false;
      queue.pop_front();
      Close(id);
      ++silent_closed;
      return true;
    }
    return false;
  }

  void Accept() {
    for (;;) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        // Out of descriptors: make room and let the next wake-up accept.
        if ((errno == EMFILE || errno == ENFILE) && !CloseOldestSilent(silent_order)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return;
      }
      ++accepted;
      Admit(fd, peer);
    }
  }

  void Admit(int fd, const sockaddr_storage& peer) {
    const std::string address = AddressText(peer);
    const bool limited = options.limit_loopback || !IsLoopback(peer);
    Address& a = addresses[address];
    if (a.silent >= options.max_silent_per_address) CloseOldestSilent(a.silent_ids);
    if (limited && a.open >= options.max_per_address && !CloseOldestSilent(a.silent_ids)) {
      Refuse(fd);
      return;
    }
    if (static_cast<int>(conns.size()) >= options.max_connections &&
        !CloseOldestSilent(silent_order)) {
      Refuse(fd);
      return;
    }
    NoDelay(fd);
    const uint64_t id = next_id++;
    // Ids of connections that spoke long ago would pile up behind a
    // long-lived one.
    while (!a.silent_ids.empty() && !IsSilent(a.silent_ids.front())) a.silent_ids.pop_front();
    Conn c;
    c.client = fd;
    c.address = address;
    c.limited = limited;
    c.accepted_at = clock.Monotonic();
    c.deadline = c.accepted_at + options.first_bytes;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = Tag(id, Side::kClient);
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      Refuse(fd);
      return;
    }
    c.client_events = EPOLLIN;
    if (limited) ++a.open;
    ++a.silent;
    a.silent_ids.push_back(id);
    ++silent;
    silent_order.push_back(id);
    conns.emplace(id, std::move(c));
  }

  void Refuse(int fd) {
    close(fd);
    ++refused;
  }

  // The client spoke: connect to the HTTP server on loopback.
  void Connect(uint64_t id, Conn& c) {
    char probe = 0;
    const ssize_t n = recv(c.client, &probe, 1, MSG_PEEK);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      Close(id);
      return;
    }
    if (n < 0) return;
    --silent;
    --addresses[c.address].silent;
    c.state = State::kConnecting;
    c.backend = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.backend < 0) {
      Close(id);
      return;
    }
    NoDelay(c.backend);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(options.backend_port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int r = connect(c.backend, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (r != 0 && errno != EINPROGRESS) {
      Close(id);
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.u64 = Tag(id, Side::kBackend);
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.backend, &ev) != 0) {
      Close(id);
      return;
    }
    c.backend_events = EPOLLOUT;
    Watch(c.client, Tag(id, Side::kClient), 0, &c.client_events);
  }

  void Connected(uint64_t id, Conn& c) {
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(c.backend, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
      Close(id);
      return;
    }
    c.state = State::kRelaying;
    ++forwarded;
    Relay(id, c, EPOLLIN, EPOLLIN);
  }

  // Writes what waits in `p` to `to`. False when the peer is gone.
  static bool Flush(Pending& p, int to) {
    while (!p.empty()) {
      const ssize_t w =
          send(to, p.bytes.data() + p.done, p.bytes.size() - p.done, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0) {
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
      }
      p.done += static_cast<size_t>(w);
    }
    p.bytes.clear();
    p.done = 0;
    return true;
  }

  // Moves bytes from `from` to `to` through `p`: one read when nothing is
  // waiting, written straight on. False when either side failed.
  static bool Pump(int from, int to, Pending& p, bool& eof) {
    if (!Flush(p, to)) return false;
    if (!p.empty() || eof) return true;
    std::array<char, kChunk> chunk;
    const ssize_t n = recv(from, chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (n == 0) {
      eof = true;
      shutdown(to, SHUT_WR);
      return true;
    }
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    ssize_t w = send(to, chunk.data(), static_cast<size_t>(n), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
      w = 0;
    }
    if (w < n) p.bytes.assign(chunk.data() + w, static_cast<size_t>(n - w));
    return true;
  }

  void Detach(int fd, uint32_t* registered) {
    if (*registered == kDetached) return;
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    *registered = kDetached;
  }

  // `client_events` and `backend_events`: what epoll reported on each side
  // (0 for none), so only a direction that can move is pumped.
  void Relay(uint64_t id, Conn& c, uint32_t client_events, uint32_t backend_events) {
    constexpr uint32_t kReadable = EPOLLIN | EPOLLHUP | EPOLLRDHUP;
    const bool up = (client_events & kReadable) || (backend_events & EPOLLOUT);
    const bool down = (backend_events & kReadable) || (client_events & EPOLLOUT);
    if ((up && !Pump(c.client, c.backend, c.up, c.up_eof)) ||
        (down && !Pump(c.backend, c.client, c.down, c.down_eof))) {
      Close(id);
      return;
    }
    const bool up_done = c.up_eof && c.up.empty();
    const bool down_done = c.down_eof && c.down.empty();
    if (up_done && down_done) {
      Close(id);
      return;
    }
    uint32_t client = 0;
    uint32_t backend = 0;
    if (!c.up_eof && c.up.empty()) client |= EPOLLIN;
    if (!c.up.empty()) backend |= EPOLLOUT;
    if (!c.down_eof && c.down.empty()) backend |= EPOLLIN;
    if (!c.down.empty()) client |= EPOLLOUT;
    // A side that has finished sending and been told we finished has nothing
    // more to say, while the other side may still be taking bytes.
    if (c.up_eof && down_done) {
      Detach(c.client, &c.client_events);
    } else {
      Watch(c.client, Tag(id, Side::kClient), client, &c.client_events);
    }
    if (c.down_eof && up_done) {
      Detach(c.backend, &c.backend_events);
    } else {
      Watch(c.backend, Tag(id, Side::kBackend), backend, &c.backend_events);
    }
  }

  void Handle(uint64_t tag, uint32_t events) {
    const uint64_t id = tag >> 1U;
    auto it = conns.find(id);
    if (it == conns.end()) return;
    Conn& c = it->second;
    const bool backend = (tag & 1U) == static_cast<uint64_t>(Side::kBackend);
    if (events & EPOLLERR) {
      Close(id);
      return;
    }
    switch (c.state) {
      case State::kSilent:
        Connect(id, c);
        return;
      case State::kConnecting:
        if (backend) {
          Connected(id, c);
        } else if (events & (EPOLLHUP | EPOLLERR)) {
          Close(id);
        }
        return;
      case State::kRelaying:
        Relay(id, c, backend ? 0 : events, backend ? events : 0);
        return;
    }
  }

  // Closes connections silent (or still connecting) past their deadline.
  // The oldest accepted is first, so the scan stops at the first one in time.
  std::chrono::milliseconds Sweep() {
    Tidy();
    const auto now = clock.Monotonic();
    while (!silent_order.empty()) {
      auto it = conns.find(silent_order.front());
      if (it == conns.end() || it->second.state == State::kRelaying) {
        silent_order.pop_front();
        continue;
      }
      if (it->second.deadline > now) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(it->second.deadline - now) +
               std::chrono::milliseconds(1);
      }
      if (it->second.state == State::kSilent) ++silent_closed;
      silent_order.pop_front();
      Close(it->first);
    }
    return std::chrono::milliseconds(1000);
  }

  // No new connections, none of the silent ones, and no more requests: the
  // server reads the end of each connection it keeps alive and lets it go
  // at once (httplib 0.11 would otherwise wait out its keep-alive timeout),
  // while the answers it is writing still reach the stations.
  void Quiesce() {
    close(listen_fd);
    listen_fd = -1;
    for (auto it = conns.begin(); it != conns.end();) {
      const uint64_t id = (it++)->first;
      Conn& c = conns.at(id);
      if (c.state != State::kRelaying) {
        Close(id);
        continue;
      }
      if (!c.up_eof) {
        c.up_eof = true;
        c.up.bytes.clear();
        c.up.done = 0;
        shutdown(c.backend, SHUT_WR);
      }
      Relay(id, c, 0, 0);
    }
  }

  void Loop() {
    std::array<epoll_event, 256> events;
    bool quiet = false;
    bool draining = false;
    std::chrono::steady_clock::time_point drain_until;
    for (;;) {
      if (quiescing.load() && !quiet) {
        quiet = true;
        Quiesce();
      }
      if (stopping.load() && !draining) {
        draining = true;
        drain_until = clock.Monotonic() + kDrainLimit;
      }
      if (draining && (conns.empty() || clock.Monotonic() >= drain_until)) return;
      const auto wait = draining ? std::chrono::milliseconds(50) : Sweep();
      const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                               static_cast<int>(wait.count()));
      for (int i = 0; i < n; ++i) {
        const uint64_t tag = events[static_cast<size_t>(i)].data.u64;
        if (tag == kWake) continue;
        if (tag == kListen) {
          if (!draining) Accept();
          continue;
        }
        Handle(tag, events[static_cast<size_t>(i)].events);
      }
    }
  }
};

FrontDoor::FrontDoor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FrontDoor::~FrontDoor() { Stop(); }

int FrontDoor::port() const { return impl_->port; }

FrontDoor::Counts FrontDoor::counts() const {
  return {impl_->accepted.load(), impl_->forwarded.load(), impl_->silent_closed.load(),
          impl_->refused.load()};
}

void FrontDoor::BeginStop() {
  if (!impl_->thread.joinable()) return;
  impl_->quiescing = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t w = write(impl_->wake_fd, &one, sizeof one);
}

void FrontDoor::Stop() {
  if (!impl_->thread.joinable()) return;
  BeginStop();
  impl_->stopping = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t w = write(impl_->wake_fd, &one, sizeof one);
  impl_->thread.join();
}

Result<std::unique_ptr<FrontDoor>> FrontDoor::Start(const Clock& clock,
                                                    const FrontDoorOptions& options) {
  auto impl = std::make_unique<Impl>(clock, options);
  const std::string where = options.host + ":" + std::to_string(options.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(options.port);
  if (getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    return Status::Unavailable("cannot resolve the address " + where);
  }
  std::string why = "no address";
  for (addrinfo* ai = found; ai && impl->listen_fd < 0; ai = ai->ai_next) {
    const int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
      why = std::strerror(errno);
      close(fd);
      continue;
    }
    impl->listen_fd = fd;
  }
  freeaddrinfo(found);
  if (impl->listen_fd < 0) return Status::Unavailable("cannot listen on " + where + ": " + why);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl->port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  impl->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  impl->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->epoll_fd < 0 || impl->wake_fd < 0) {
    return Status::Unavailable(std::string("cannot start the hub's front: ") +
                               std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWake;
  epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->wake_fd, &ev);
  ev.data.u64 = kListen;
  epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->listen_fd, &ev);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Loop(); });
  return std::unique_ptr<FrontDoor>(new FrontDoor(std::move(impl)));
}

}  // namespace checkin::hub
