// The hub's front door on real loopback sockets: bytes relayed both ways,
// connections that never speak kept away from the server and closed, and the
// per-address limits. The server behind it is a small echo server, so what
// reaches it is counted exactly.
#include "hub/front_door.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/fakes/loopback.h"

namespace checkin::hub {
namespace {

using ::checkin::testing::ConnectFrom;
using ::checkin::testing::EchoServer;
using ::checkin::testing::ReadFor;

// True when the peer closed `fd` within `ms`: a read returns end of file or
// a reset. False while it stays open.
bool ClosedWithin(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, ms) <= 0) return false;
  char c;
  return recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

// Sends `text` and reads the same number of bytes back (10 s at most).
std::string Echo(int fd, const std::string& text) {
  if (send(fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size())) {
    return "(send failed)";
  }
  return ReadFor(fd, text.size(), 10'000);
}

class FrontDoorTest : public ::testing::Test {
 protected:
  void Open(FrontDoorOptions o) {
    o.host = "127.0.0.1";
    o.backend_port = echo_.port();
    auto door = FrontDoor::Start(SystemClock(), o);
    ASSERT_TRUE(door.ok()) << door.status().message();
    door_ = std::move(*door);
  }
  void TearDown() override {
    // Clients first: the echo server then closes, and Stop() has nothing
    // left to drain.
    for (int fd : fds_) close(fd);
    if (door_) door_->Stop();
  }
  int Keep(int fd) {
    fds_.push_back(fd);
    return fd;
  }

  EchoServer echo_;
  std::unique_ptr<FrontDoor> door_;
  std::vector<int> fds_;
};

TEST_F(FrontDoorTest, RelaysEveryByteBothWaysAndPassesOnTheEndOfEachSide) {
  Open({});
  const int fd = Keep(ConnectFrom("127.0.0.1", door_->port()));
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Echo(fd, "GET / HTTP/1.1\r\n\r\n"), "GET / HTTP/1.1\r\n\r\n");
  // Far more than the kernel's buffers and the door's own, in both
  // directions at once, then the client's end of sending.
  std::string big(3 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 251);
  std::thread writer([&] {
    size_t sent = 0;
    while (sent < big.size()) {
      const ssize_t n = send(fd, big.data() + sent, big.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
  });
  const std::string got = ReadFor(fd, big.size(), 10'000);
  writer.join();
  EXPECT_EQ(got.size(), big.size());
  EXPECT_TRUE(got == big) << "the bytes came back changed";
  EXPECT_EQ(echo_.accepted(), 1);
  EXPECT_EQ(door_->counts().forwarded, 1U);
}

TEST_F(FrontDoorTest, SilentConnectionsNeverReachTheServerAndCloseAtTheDeadline) {
  FrontDoorOptions o;
  o.first_bytes = std::chrono::milliseconds(300);
  o.max_silent_per_address = 100;
  Open(o);
  std::vector<int> silent;
  for (int i = 0; i < 40; ++i) silent.push_back(Keep(ConnectFrom("127.0.0.1", door_->port())));
  for (int fd : silent) ASSERT_GE(fd, 0);
  // One that speaks is served at once, past all the silent ones.
  const int talker = Keep(ConnectFrom("127.0.0.1", door_->port()));
  EXPECT_EQ(Echo(talker, "hola"), "hola");
  EXPECT_EQ(echo_.accepted(), 1) << "a silent connection reached the server";
  for (int fd : silent) EXPECT_TRUE(ClosedWithin(fd, 10'000));
  EXPECT_EQ(door_->counts().silent_closed, 40U);
  // The talker is not silent and stays.
  EXPECT_FALSE(ClosedWithin(talker, 0));
  EXPECT_EQ(Echo(talker, "otra vez"), "otra vez");
}

TEST_F(FrontDoorTest, TheOldestSilentConnectionMakesRoomForANewOneFromTheSameAddress) {
  FrontDoorOptions o;
  o.max_silent_per_address = 4;
  o.min_silent_age = std::chrono::milliseconds(0);
  Open(o);
  std::vector<int> silent;
  for (int i = 0; i < 5; ++i) silent.push_back(Keep(ConnectFrom("127.0.0.1", door_->port())));
  // The fifth made the first go; the newest four stay.
  EXPECT_TRUE(ClosedWithin(silent[0], 10'000));
  // Let the door see all five before looking at the rest.
  const int talker = Keep(ConnectFrom("127.0.0.1", door_->port()));
  EXPECT_TRUE(ClosedWithin(silent[1], 10'000)) << "the talker's arrival makes room too";
  EXPECT_EQ(Echo(talker, "x"), "x");
  for (size_t i = 2; i < silent.size(); ++i) EXPECT_FALSE(ClosedWithin(silent[i], 0)) << i;
  EXPECT_EQ(echo_.accepted(), 1);
}

// Stations reconnecting at once after a restart, or a browser opening its
// connections: each speaks at once, so none is taken for a silent one even
// when the door has not yet seen its bytes.
TEST_F(FrontDoorTest, ABurstOfConnectionsThatSpeakIsServedInFull) {
  FrontDoorOptions o;
  o.max_silent_per_address = 2;
  o.min_silent_age = std::chrono::milliseconds(0);
  Open(o);
  std::vector<int> burst;
  for (int i = 0; i < 30; ++i) {
    const int fd = Keep(ConnectFrom("127.0.0.1", door_->port()));
    ASSERT_GE(fd, 0);
    ASSERT_EQ(send(fd, "z", 1, MSG_NOSIGNAL), 1);
    burst.push_back(fd);
  }
  for (int fd : burst) EXPECT_EQ(ReadFor(fd, 1, 10'000), "z");
  EXPECT_EQ(echo_.accepted(), 30);
  EXPECT_EQ(door_->counts().silent_closed, 0U);
}

TEST_F(FrontDoorTest, AnAddressAtItsLimitIsRefusedWhileAnotherIsServed) {
  FrontDoorOptions o;
  o.limit_loopback = true;  // the test's "other machines" are 127.0.0.x
  o.max_per_address = 3;
  Open(o);
  // Three connections that spoke are held by the server.
  for (int i = 0; i < 3; ++i) {
    const int fd = Keep(ConnectFrom("127.0.0.2", door_->port()));
    ASSERT_EQ(Echo(fd, "a"), "a") << i;
  }
  const int fourth = Keep(ConnectFrom("127.0.0.2", door_->port()));
  EXPECT_TRUE(ClosedWithin(fourth, 10'000));
  const int other = Keep(ConnectFrom("127.0.0.3", door_->port()));
  EXPECT_EQ(Echo(other, "b"), "b");
  EXPECT_EQ(door_->counts().refused, 1U);
}

TEST_F(FrontDoorTest, AnAddressInUseIsUnavailable) {
  Open({});
  FrontDoorOptions o;
  o.host = "127.0.0.1";
  o.port = door_->port();
  o.backend_port = echo_.port();
  auto second = FrontDoor::Start(SystemClock(), o);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace checkin::hub
