// The door screen's server over real loopback HTTP, asked by httplib's
// client as a browser would: nothing without the one-time link, the link
// spent once, a published decision reaching the open event stream, the
// camera as multipart JPEG, and the handheld box's CSRF check.
#include "hub/door_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "scanner/frame.h"
#include "scanner/preview.h"

namespace checkin::hub {
namespace {

class DoorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DoorServerOptions o;
    o.listen = "127.0.0.1:0";
    o.gate = "Principal";
    o.camera = true;
    o.hub_away = [this] { return away_.load(); };
    o.redeem = [this](const std::string& code) {
      std::lock_guard lock(mu_);
      typed_.push_back(code);
      return Status::Ok();
    };
    auto s = DoorServer::Start(std::move(o));
    ASSERT_TRUE(s.ok()) << s.status().message();
    door_ = std::move(s).value();
    client_ =
        std::make_unique<httplib::Client>("http://127.0.0.1:" + std::to_string(door_->Port()));
    client_->set_read_timeout(std::chrono::seconds(10));
  }

  std::string LinkPath() const {
    const std::string url = door_->LoginUrl();
    return url.substr(url.find('/', 7));
  }
  // Spends the link; the session cookie as a request header.
  httplib::Headers LogIn() {
    auto r = client_->Get(LinkPath());
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 303);
    const std::string set = r->get_header_value("Set-Cookie");
    return {{"Cookie", set.substr(0, set.find(';'))}};
  }

  // Reads `path` as a stream on a thread of its own until `until` holds for
  // what arrived (or 10 s pass); `opened` is set once the first bytes came.
  std::string ReadStream(const std::string& path, const httplib::Headers& h,
                         const std::function<bool(const std::string&)>& until,
                         std::promise<void>* opened) {
    std::string got;
    bool first = true;
    httplib::Client c("127.0.0.1", door_->Port());
    c.set_read_timeout(std::chrono::seconds(10));
    c.Get(path, h, [&](const char* data, size_t n) {
      got.append(data, n);
      if (first && opened) opened->set_value();
      first = false;
      return !until(got);
    });
    if (first && opened) opened->set_value();
    return got;
  }

  std::atomic<bool> away_{false};
  std::mutex mu_;
  std::vector<std::string> typed_;
  std::unique_ptr<DoorServer> door_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DoorServerTest, NothingAnswersWithoutTheLink) {
  auto page = client_->Get("/door");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->get_header_value("Location"), "/login");
  for (const char* path : {"/door/events", "/door/camera.mjpg"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
  }
  auto post = client_->Post("/door/redeem", "code=T-0001", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  auto guess = client_->Get("/login?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->status, 403);
  EXPECT_TRUE(guess->get_header_value("Set-Cookie").empty());
}

TEST_F(DoorServerTest, TheLinkWorksOnce) {
  auto r = client_->Get(LinkPath());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/door");
  const std::string set = r->get_header_value("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  auto again = client_->Get(LinkPath());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
  EXPECT_TRUE(again->get_header_value("Set-Cookie").empty());

  auto page = client_->Get("/door", {{"Cookie", set.substr(0, set.find(';'))}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("name=\"csrf\""), std::string::npos);
  EXPECT_NE(page->body.find("Principal"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
}

TEST_F(DoorServerTest, APublishedDecisionAndTheHubAwayStateReachTheEventStream) {
  const auto cookie = LogIn();
  std::promise<void> opened;
  auto got = std::async(std::launch::async, [&] {
    return ReadStream(
        "/door/events", cookie,
        [](const std::string& s) {
          return s.find("ADMITIDO") != std::string::npos &&
                 s.find("\"away\":true") != std::string::npos;
        },
        &opened);
  });
  ASSERT_EQ(opened.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  DoorDecision d;
  d.verdict = "admitted";
  d.tone = "green";
  d.label = "ADMITIDO";
  d.name = "María José Muñoz Peña";
  d.ticket_type = "Speaker";
  d.at = "2026-11-30T23:00:00Z";
  door_->PublishDecision(d);
  away_ = true;  // the poller notices within 250 ms
  const std::string text = got.get();
  EXPECT_NE(text.find("event: decision"), std::string::npos) << text;
  EXPECT_NE(text.find("María José Muñoz Peña"), std::string::npos) << text;
  EXPECT_NE(text.find("\"ticket_type\":\"Speaker\""), std::string::npos) << text;
  EXPECT_NE(text.find(HubAwayLine(Language::kSpanish)), std::string::npos) << text;
}

TEST_F(DoorServerTest, TheCameraStreamGivesJpegParts) {
  const auto cookie = LogIn();
  EXPECT_FALSE(door_->WantsFrames());
  scanner::Frame f;
  f.width = 64;
  f.height = 48;
  f.channels = 3;
  f.pixels.assign(64 * 48 * 3, 128);
  auto jpeg = scanner::EncodeJpeg(f, 70);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().message();
  auto got = std::async(std::launch::async, [&] {
    return ReadStream(
        "/door/camera.mjpg", cookie,
        [&](const std::string& s) { return s.size() >= 2 * jpeg->size(); }, nullptr);
  });
  // Frames go out only while someone watches; publish until two arrived.
  for (int i = 0;
       i < 200 && got.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready; ++i) {
    if (door_->WantsFrames()) door_->PublishFrame(*jpeg);
  }
  const std::string text = got.get();
  const std::string head = "--checkinframe\r\nContent-Type: image/jpeg\r\nContent-Length: " +
                           std::to_string(jpeg->size()) + "\r\n\r\n";
  const size_t at = text.find(head);
  ASSERT_NE(at, std::string::npos) << text.size();
  const std::string part = text.substr(at + head.size(), jpeg->size());
  EXPECT_EQ(part, *jpeg);
  EXPECT_EQ(part.substr(0, 2), "\xFF\xD8");  // a JPEG's start-of-image marker
}

TEST_F(DoorServerTest, TheHandheldBoxNeedsTheCsrfValue) {
  const auto cookie = LogIn();
  auto page = client_->Get("/door", cookie);
  ASSERT_TRUE(page);
  const std::string key = "name=\"csrf\" content=\"";
  const size_t at = page->body.find(key) + key.size();
  const std::string csrf = page->body.substr(at, page->body.find('"', at) - at);

  auto forged =
      client_->Post("/door/redeem", cookie, "code=T-0001", "application/x-www-form-urlencoded");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  httplib::Headers h = cookie;
  h.emplace("X-Checkin-CSRF", csrf);
  auto ok = client_->Post("/door/redeem", h, "code=T-0001", "application/x-www-form-urlencoded");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202);
  std::lock_guard lock(mu_);
  EXPECT_EQ(typed_, std::vector<std::string>{"T-0001"});
}

TEST(DoorServerStartTest, RefusesAHostOffThisMachine) {
  for (const char* listen : {"0.0.0.0:0", "192.168.1.10:8080", "example.org:80", "8080"}) {
    DoorServerOptions o;
    o.listen = listen;
    auto s = DoorServer::Start(std::move(o));
    ASSERT_FALSE(s.ok()) << listen;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidInput) << listen;
  }
}

}  // namespace
}  // namespace checkin::hub
