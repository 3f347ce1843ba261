// The pages' doors, as real processes: `hub open` links spent over real
// HTTPS by httplib's client, `station ui` on a laptop's own file, and what a
// missing session or CSRF value gets. The pages themselves are tested in a
// browser (tests/web).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "tests/fakes/venue.h"

namespace checkin::testing {
namespace {

class WebCliTest : public VenueFixture {
 protected:
  std::unique_ptr<httplib::Client> Client(int port, bool tls) {
    auto c = std::make_unique<httplib::Client>((tls ? "https://127.0.0.1:" : "http://127.0.0.1:") +
                                               std::to_string(port));
    c->enable_server_certificate_verification(false);  // the hub's own, self-signed
    c->set_read_timeout(std::chrono::seconds(20));
    return c;
  }
  std::string OpenLink(const std::string& role, const std::string& url) {
    auto o = Must({"--db", hub_db_, "hub", "open", "--role", role, "--url", url, "--json"});
    return nlohmann::json::parse(o.out).at("url").get<std::string>();
  }
  // The path and query of `url`, for the client.
  static std::string PathOf(const std::string& url) { return url.substr(url.find('/', 8)); }
  static std::string SessionCookie(const httplib::Result& r) {
    const std::string set = r->get_header_value("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
};

TEST_F(WebCliTest, ALinkLogsInOnceAndTheSessionReadsButChangesNothingWithoutItsCsrfValue) {
  StartHub();
  auto c = Client(port_, true);
  const std::string link = OpenLink("desk", Url());
  auto r = c->Get(PathOf(link));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/desk");
  const std::string cookie = SessionCookie(r);
  EXPECT_NE(r->get_header_value("Set-Cookie").find("HttpOnly"), std::string::npos);
  EXPECT_NE(r->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
  // Spent: a second browser gets the login page and the reason.
  auto again = c->Get(PathOf(link));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
  EXPECT_NE(again->body.find("hub open"), std::string::npos);

  httplib::Headers with_cookie{{"Cookie", cookie}};
  auto page = c->Get("/desk", with_cookie);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("name=\"q\""), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  const size_t at = page->body.find("name=\"csrf\" content=\"");
  ASSERT_NE(at, std::string::npos);
  const std::string csrf = page->body.substr(at + 21, 32);

  const int64_t rows = HubCount("SELECT count(*) FROM checkins");
  auto forged =
      c->Post("/api/checkin", with_cookie, "attendee_id=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  httplib::Headers cross{
      {"Cookie", cookie}, {"X-Checkin-CSRF", csrf}, {"Origin", "https://evil.example"}};
  auto cross_site =
      c->Post("/api/checkin", cross, "attendee_id=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(cross_site);
  EXPECT_EQ(cross_site->status, 403);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), rows) << "a refused request wrote";

  httplib::Headers good{{"Cookie", cookie}, {"X-Checkin-CSRF", csrf}};
  auto admitted =
      c->Post("/api/checkin", good, "attendee_id=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->status, 200) << admitted->body;
  EXPECT_EQ(nlohmann::json::parse(admitted->body).at("verdict"), "admitted");
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), rows + 1);
}

TEST_F(WebCliTest, NothingAnswersWithoutASession) {
  StartHub();
  auto c = Client(port_, true);
  for (const char* page : {"/", "/desk", "/dashboard"}) {
    auto r = c->Get(page);
    ASSERT_TRUE(r) << page;
    EXPECT_EQ(r->status, 303) << page;
    EXPECT_EQ(r->get_header_value("Location"), "/login") << page;
  }
  for (const char* api : {"/api/search?q=a", "/api/stats", "/api/events"}) {
    auto r = c->Get(api);
    ASSERT_TRUE(r) << api;
    EXPECT_EQ(r->status, 401) << api;
  }
  for (const char* api : {"/api/checkin", "/api/undo", "/logout"}) {
    auto r = c->Post(api, "attendee_id=1", "application/x-www-form-urlencoded");
    ASSERT_TRUE(r) << api;
    EXPECT_EQ(r->status, 401) << api;
  }
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), 0);
}

TEST_F(WebCliTest, StationUiServesALaptopsOwnFileAndPrintsAnOrganizerLink) {
  BackgroundProcess ui(
      CHECKIN_BINARY, {"--db", hub_db_, "--lang", "en", "station", "ui", "--listen", "127.0.0.1:0"},
      dir_.File("ui.log"));
  // The fixture made a certificate beside the file, so the screens speak TLS.
  const std::string log = ui.WaitFor("/login?t=");
  const size_t at = log.find("https://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << log;
  const int port = std::stoi(log.substr(at + 18));
  const size_t link = log.find("/login?t=");
  auto c = Client(port, true);
  auto r = c->Get(log.substr(link, 9 + 32));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/dashboard");
  auto stats = c->Get("/api/stats", {{"Cookie", SessionCookie(r)}});
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
  EXPECT_EQ(nlohmann::json::parse(stats->body).at("expected"), 40);

  // A paired station's screens are the hub's.
  StartHub();
  const std::string config = Pair("norte");
  auto paired = RunCheckin({"--config", config, "--lang", "en", "station", "ui"});
  EXPECT_EQ(paired.rc, 2);
  EXPECT_NE(paired.err.find("the hub serves the pages"), std::string::npos) << paired.err;
}

}  // namespace
}  // namespace checkin::testing
