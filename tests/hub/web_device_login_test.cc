// A paired device logs its own browser in (`checkin station open`): real
// stations paired with a real hub process, the link spent over real HTTPS by
// httplib's client as a browser would, and what revoking the device ends.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "tests/fakes/venue.h"

namespace checkin::testing {
namespace {

class WebDeviceLoginTest : public VenueFixture {
 protected:
  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>(Url());
    c->enable_server_certificate_verification(false);  // the hub's own, self-signed
    c->set_read_timeout(std::chrono::seconds(20));
    return c;
  }
  ProcessOutput OpenOn(const std::string& config, bool json = true) {
    std::vector<std::string> args{"--config", config, "--lang", "en", "station", "open"};
    if (json) args.push_back("--json");
    return RunCheckin(args);
  }
  // The station's link; fails the test when it gets none.
  nlohmann::json MustOpen(const std::string& config) {
    auto o = OpenOn(config);
    EXPECT_EQ(o.rc, 0) << o.err;
    return o.rc == 0 ? nlohmann::json::parse(o.out) : nlohmann::json::object();
  }
  static std::string PathOf(const std::string& url) { return url.substr(url.find('/', 8)); }
  // Follows a link as a browser does; the session cookie it set, or "".
  std::string LogIn(httplib::Client& c, const std::string& url, const std::string& lands_on) {
    auto r = c.Get(PathOf(url));
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 303) << r->body;
    EXPECT_EQ(r->get_header_value("Location"), lands_on);
    const std::string set = r->get_header_value("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  int StatusOf(httplib::Client& c, const std::string& path, const std::string& cookie) {
    auto r = c.Get(path, {{"Cookie", cookie}});
    EXPECT_TRUE(r) << path;
    return r ? r->status : -1;
  }
};

TEST_F(WebDeviceLoginTest, ADeskDevicesLinkLogsOneBrowserInAsDeskOnce) {
  StartHub();
  const std::string config = Pair("mesa-1", "desk");
  const nlohmann::json link = MustOpen(config);
  ASSERT_TRUE(link.contains("url")) << link;
  EXPECT_EQ(link.at("device"), "mesa-1");
  EXPECT_EQ(link.at("role"), "desk");
  const std::string url = link.at("url");
  EXPECT_EQ(url.rfind(Url() + "/login?t=", 0), 0u) << url;

  auto c = Client();
  const std::string cookie = LogIn(*c, url, "/desk");
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(StatusOf(*c, "/desk", cookie), 200);
  EXPECT_EQ(StatusOf(*c, "/api/search?q=persona", cookie), 200);
  // The device's role and no more: the device page is the admin's.
  EXPECT_EQ(StatusOf(*c, "/admin", cookie), 403);
  EXPECT_EQ(StatusOf(*c, "/api/devices", cookie), 403);
  // Labelled by the device: the admin's device page says it is logged in.
  auto admin = Must({"--db", hub_db_, "hub", "open", "--role", "admin", "--url", Url(), "--json"});
  const std::string organizer = LogIn(*c, nlohmann::json::parse(admin.out).at("url"), "/dashboard");
  auto devices = c->Get("/api/devices", {{"Cookie", organizer}});
  ASSERT_TRUE(devices);
  ASSERT_EQ(devices->status, 200) << devices->body;
  for (const auto& d : nlohmann::json::parse(devices->body)) {
    EXPECT_EQ(d.at("web_sessions"), d.at("name") == "mesa-1" ? 1 : 0) << d;
  }

  // Spent: a second browser gets the login page and the reason.
  auto again = c->Get(PathOf(url));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
  EXPECT_TRUE(again->get_header_value("Set-Cookie").empty());

  // The text form names the role and shows the same kind of link.
  auto text = OpenOn(config, false);
  EXPECT_EQ(text.rc, 0) << text.err;
  EXPECT_NE(text.out.find("mesa-1"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(Url() + "/login?t="), std::string::npos) << text.out;
}

TEST_F(WebDeviceLoginTest, AScanDeviceGetsNoLinkAndSaysWhy) {
  StartHub();
  const std::string config = Pair("puerta-norte", "scan");
  const int64_t links = HubCount("SELECT count(*) FROM web_links");
  auto o = OpenOn(config);
  EXPECT_EQ(o.rc, 2);
  EXPECT_TRUE(o.out.empty()) << o.out;
  EXPECT_NE(o.err.find("a door device has no pages on the hub"), std::string::npos) << o.err;
  EXPECT_EQ(HubCount("SELECT count(*) FROM web_links"), links);
}

TEST_F(WebDeviceLoginTest, RevokingTheDeviceEndsItsSessionsAndRefusesItsLinks) {
  StartHub();
  const std::string config = Pair("impresora-1", "print");
  const std::string other = Pair("mesa-2", "desk");
  auto c = Client();
  const std::string mesa = LogIn(*c, MustOpen(other).at("url"), "/desk");
  ASSERT_FALSE(mesa.empty());
  const nlohmann::json first = MustOpen(config);
  ASSERT_TRUE(first.contains("url")) << first;
  EXPECT_EQ(first.at("role"), "print");
  const std::string session = LogIn(*c, first.at("url"), "/print");
  ASSERT_FALSE(session.empty());
  // A link asked for before the revocation and not yet used.
  const nlohmann::json unspent = MustOpen(config);
  ASSERT_TRUE(unspent.contains("url")) << unspent;
  // "/" sends a logged-in browser to its role's page, anyone else to /login.
  auto home = [&] {
    auto r = c->Get("/", {{"Cookie", session}});
    EXPECT_TRUE(r);
    return r ? r->get_header_value("Location") : "";
  };
  EXPECT_EQ(home(), "/print");
  EXPECT_EQ(StatusOf(*c, "/print", session), 200);

  Must({"--db", hub_db_, "hub", "device", "revoke", "impresora-1"});

  EXPECT_EQ(home(), "/login");
  EXPECT_EQ(StatusOf(*c, "/api/stats", session), 401);
  auto spent = c->Get(PathOf(unspent.at("url")));
  ASSERT_TRUE(spent);
  EXPECT_EQ(spent->status, 403);
  auto refused = OpenOn(config);
  EXPECT_EQ(refused.rc, 2);
  EXPECT_NE(refused.err.find("unknown or revoked"), std::string::npos) << refused.err;
  // Another device's session is not touched.
  EXPECT_EQ(StatusOf(*c, "/desk", mesa), 200);
}

TEST_F(WebDeviceLoginTest, AnOfflineHubIsSaidInWords) {
  StartHub();
  const std::string config = Pair("mesa-3", "desk");
  StopHub(SIGTERM);
  auto o = OpenOn(config, false);
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("the hub gave no login link: the hub does not answer"), std::string::npos)
      << o.err;
  auto es = RunCheckin({"--config", config, "--lang", "es", "station", "open"});
  EXPECT_EQ(es.rc, 2);
  EXPECT_NE(es.err.find("el hub no dio un enlace de acceso: el hub no responde"), std::string::npos)
      << es.err;
}

}  // namespace
}  // namespace checkin::testing
