// A real network camera: an MJPEG-over-HTTP stream (what IP cameras and
// phone webcam apps serve) through OpenCV's FFmpeg capture, dropped
// mid-stream and brought back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "scanner/scan_loop.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

// Serves one MJPEG stream at a time: `frames` JPEGs at about 30 fps, then
// closes the connection and stops listening (the camera unplugged).
class MjpegServer {
 public:
  MjpegServer() {
    // Port 0 picks a free port; keep it for every Serve.
    const int fd = BoundSocket(0);
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    close(fd);
  }
  ~MjpegServer() {
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/cam.mjpg"; }

  // Starts serving `jpeg` for `frames` frames on a thread.
  void Serve(std::vector<uchar> jpeg, int frames) {
    if (thread_.joinable()) thread_.join();
    listen_fd_ = BoundSocket(port_);
    ASSERT_GE(listen_fd_, 0);
    ASSERT_EQ(listen(listen_fd_, 4), 0);
    thread_ = std::thread([this, jpeg = std::move(jpeg), frames] {
      const int c = accept(listen_fd_, nullptr, nullptr);
      close(listen_fd_);  // one client; afterwards the port refuses
      if (c < 0) return;
      char req[4096];
      (void)!read(c, req, sizeof req);
      const std::string head =
          "HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=frame\r\n\r\n";
      // MSG_NOSIGNAL: a client that hangs up must not SIGPIPE the test.
      auto put = [c](const void* p, size_t n) {
        return send(c, p, n, MSG_NOSIGNAL) == static_cast<ssize_t>(n);
      };
      bool ok = put(head.data(), head.size());
      for (int i = 0; ok && i < frames; ++i) {
        const std::string part = "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " +
                                 std::to_string(jpeg.size()) + "\r\n\r\n";
        ok = put(part.data(), part.size()) && put(jpeg.data(), jpeg.size()) && put("\r\n", 2);
        std::this_thread::sleep_for(std::chrono::milliseconds(33));
      }
      close(c);
      served_ = true;
    });
  }
  bool served() const { return served_; }

 private:
  // A TCP socket bound to 127.0.0.1:`port`; -1 if the port is taken.
  static int BoundSocket(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  }

  int listen_fd_ = -1, port_ = 0;
  std::thread thread_;
  std::atomic<bool> served_{false};
};

std::vector<uchar> TicketJpeg(const std::string& code) {
  synth::SceneSpec s;
  s.tickets.push_back({code, synth::Medium::kPhoneLight, 6, 0, 0, 0, 0, 0.5, 0.5});
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", synth::RenderScene(s), jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
  return jpeg;
}

TEST(HttpStreamTest, StreamDroppedMidwayIsReportedRetriedAndResumed) {
  checkin::testing::TempDir dir;
  auto db = checkin::testing::NewEventDatabase(dir.File("e.db"), SystemClock());
  checkin::testing::ImportSampleRoster(*db, SystemClock());
  auto desk = checkin::testing::NewDesk(*db, SystemClock());
  ASSERT_NE(desk, nullptr);

  MjpegServer server;
  server.Serve(TicketJpeg("KCD26-J6I72TAV7B"), 45);  // María José, then the stream drops
  auto source = MakeFrameSource(server.url());
  ASSERT_TRUE(source.ok());
  EXPECT_TRUE((*source)->Live());

  ScanOptions o;
  o.gate = kDefaultGate;
  o.station = "ip-cam";
  o.reconnect_pause = std::chrono::milliseconds(200);
  std::vector<std::string> admitted, notices;  // decode thread only
  std::atomic<int> decided{0};
  std::atomic<bool> restarted{false};
  ScanLoop* loop_ptr = nullptr;
  ScanCallbacks cb;
  cb.on_decision = [&](const ScanEvent& e) {
    if (e.decision.verdict == Verdict::kAdmitted)
      admitted.push_back(e.decision.attendee->first_name);
    if (++decided == 2) loop_ptr->Stop();
  };
  cb.on_notice = [&](const ScanNotice& n) {
    notices.push_back(std::to_string(static_cast<int>(n.kind)) + ": " + n.detail);
    // Unplugged for a while, then back with Andrés at the camera.
    if (n.kind == ScanNotice::Kind::kCameraLost && n.retry_in >= std::chrono::milliseconds(800) &&
        !restarted) {
      restarted = true;
      server.Serve(TicketJpeg("KCD26-P6QOP7W77X"), 300);
    }
  };
  ScanLoop loop(*desk, SystemClock(), o, cb);
  loop_ptr = &loop;
  std::thread watchdog([&] {
    for (int i = 0; i < 600 && decided < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    loop.Stop();
  });
  auto summary = loop.Run(source->get(), -1);
  watchdog.join();
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  std::string log;
  for (const auto& n : notices) log += n + "\n";
  EXPECT_EQ(admitted, (std::vector<std::string>{"María José", "Andrés Felipe"})) << log;
  EXPECT_EQ(summary->reconnects, 1) << log;
  EXPECT_TRUE(restarted) << log;
}

}  // namespace
}  // namespace checkin::scanner
