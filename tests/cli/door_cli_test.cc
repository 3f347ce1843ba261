// `checkin scan --ui` end to end with a camera: the real binary reading a
// synthetic queue video in real time, and httplib's client logging in with
// the printed link and reading the camera stream: real JPEG pictures of the
// video's size.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "tests/fakes/background_process.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin {
namespace {

using checkin::testing::BackgroundProcess;
using checkin::testing::RunCheckin;
using checkin::testing::TempDir;

TEST(DoorCliTest, TheCameraStreamShowsTheVideoTheStationReads) {
  TempDir dir;
  const std::string db = dir.File("kcd.db");
  ASSERT_EQ(RunCheckin({"init", "--db", db, "--event", "KCD Colombia 2026"}).rc, 0);
  synth::QueueSpec spec;
  spec.payloads = {"KCD26-DOOR0001", "KCD26-DOOR0002", "KCD26-DOOR0003", "KCD26-DOOR0004"};
  spec.hold_frames = 40;
  spec.gap_frames = 35;  // 300 frames: ten seconds read in real time
  spec.width = 640;
  spec.height = 360;
  std::string error;
  ASSERT_TRUE(synth::WriteQueueVideo(spec, dir.File("queue.avi"), &error)) << error;

  BackgroundProcess scan(CHECKIN_BINARY,
                         {"--db", db, "scan", "--source", dir.File("queue.avi"), "--realtime",
                          "--headless", "--json", "--ui", "127.0.0.1:0"},
                         dir.File("scan.log"));
  const std::string log = scan.WaitFor("/login?t=");
  const std::string prefix = "http://127.0.0.1:";
  const size_t url = log.find(prefix);
  ASSERT_NE(url, std::string::npos) << log;
  const size_t path = log.find('/', url + prefix.size());
  const size_t end = log.find_first_of("\"\n", path);
  ASSERT_NE(end, std::string::npos) << log;
  httplib::Client c("127.0.0.1", std::stoi(log.substr(url + prefix.size())));
  c.set_read_timeout(std::chrono::seconds(10));
  auto login = c.Get(log.substr(path, end - path));
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 303);
  const std::string set = login->get_header_value("Set-Cookie");
  const httplib::Headers cookie{{"Cookie", set.substr(0, set.find(';'))}};
  auto page = c.Get("/door", cookie);
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("data-camera=\"1\""), std::string::npos);

  // Two whole parts: the first may have been encoded before this viewer came.
  std::string got;
  const std::string head = "Content-Type: image/jpeg\r\nContent-Length: ";
  auto whole_parts = [&] {
    int parts = 0;
    for (size_t at = got.find(head); at != std::string::npos; at = got.find(head, at + 1)) {
      const size_t body = got.find("\r\n\r\n", at);
      if (body == std::string::npos) break;
      const size_t len = std::stoul(got.substr(at + head.size(), body - at - head.size()));
      if (got.size() >= body + 4 + len) ++parts;
    }
    return parts;
  };
  c.Get("/door/camera.mjpg", cookie, [&](const char* data, size_t n) {
    got.append(data, n);
    return whole_parts() < 2;
  });
  ASSERT_GE(whole_parts(), 2) << got.size() << " bytes\n"
                              << scan.WaitFor("never", std::chrono::milliseconds(50));
  const size_t at = got.find(head);
  const size_t body = got.find("\r\n\r\n", at) + 4;
  const size_t len = std::stoul(got.substr(at + head.size()));
  const std::vector<uint8_t> jpeg(got.begin() + static_cast<std::ptrdiff_t>(body),
                                  got.begin() + static_cast<std::ptrdiff_t>(body + len));
  const cv::Mat picture = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  ASSERT_FALSE(picture.empty());
  EXPECT_EQ(picture.cols, 640);
  EXPECT_EQ(picture.rows, 360);
}

}  // namespace
}  // namespace checkin
