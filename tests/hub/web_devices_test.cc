// The admins' device page's API against the real hub process: a device added
// from the browser pairs a real station with the code it got back, revoking
// it shuts that station out, and only an admin's session gets that far.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/fakes/venue.h"

namespace checkin::testing {
namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";

class WebDevicesTest : public VenueFixture {
 protected:
  void SetUp() override {
    StartHub();
    client_ = std::make_unique<httplib::Client>(Url());
    client_->enable_server_certificate_verification(false);  // the hub's own, self-signed
    client_->set_read_timeout(std::chrono::seconds(20));
  }

  // A browser session of `role` that landed on `page`: its cookie and the
  // page's CSRF value, as the page's script sends them.
  httplib::Headers LogIn(const std::string& role, const std::string& page) {
    auto o = Must({"--db", hub_db_, "hub", "open", "--role", role, "--url", Url(), "--json"});
    const std::string link = nlohmann::json::parse(o.out).at("url").get<std::string>();
    auto r = client_->Get(link.substr(link.find('/', 8)));
    EXPECT_TRUE(r && r->status == 303);
    if (!r) return {};
    const std::string set = r->get_header_value("Set-Cookie");
    const std::string cookie = set.substr(0, set.find(';'));
    auto p = client_->Get(page, {{"Cookie", cookie}});
    EXPECT_TRUE(p && p->status == 200) << page;
    if (!p) return {};
    const size_t at = p->body.find("name=\"csrf\" content=\"");
    EXPECT_NE(at, std::string::npos) << p->body;
    return {{"Cookie", cookie}, {"X-Checkin-CSRF", p->body.substr(at + 21, 32)}};
  }

  // GET /v1/event as station `name` asks it: with its device token.
  int StationAsks(const std::string& name) {
    std::ifstream in(dir_.File(name + ".token"));
    std::string token;
    in >> token;
    EXPECT_FALSE(token.empty()) << "no token file for " << name;
    auto r = client_->Get("/v1/event", {{"Authorization", "Bearer " + token}});
    return r ? r->status : -1;
  }

  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebDevicesTest, AnAdminsCodePairsARealStationAndRevokingShutsItOut) {
  const httplib::Headers admin = LogIn("admin", "/admin");
  auto added = client_->Post("/api/devices", admin, "name=puerta-sur&role=scan", kForm);
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  const auto body = nlohmann::json::parse(added->body);
  EXPECT_EQ(body.at("name"), "puerta-sur");
  EXPECT_EQ(body.at("role"), "scan");
  EXPECT_FALSE(body.at("expires_at").get<std::string>().empty());
  const std::string svg = body.at("qr_svg").get<std::string>();
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << svg;
  EXPECT_NE(svg.find("<path"), std::string::npos);

  const std::string code = body.at("pairing_code").get<std::string>();
  const std::string config = dir_.File("puerta-sur.toml");
  auto paired = RunCheckin({"--config", config, "--lang", "en", "station", "pair", code});
  ASSERT_EQ(paired.rc, 0) << paired.err << paired.out;
  EXPECT_EQ(StationAsks("puerta-sur"), 200);

  auto list = client_->Get("/api/devices", admin);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  auto devices = nlohmann::json::parse(list->body);
  ASSERT_EQ(devices.size(), 1u) << list->body;
  EXPECT_EQ(devices[0].at("state"), "paired");
  // The same shape as `hub device list --json`, and whether its browser is
  // logged in (it is not).
  EXPECT_EQ(devices[0].at("web_sessions"), 0);
  devices[0].erase("web_sessions");
  const auto cli =
      nlohmann::json::parse(Must({"--db", hub_db_, "hub", "device", "list", "--json"}).out);
  EXPECT_EQ(cli[0].size(), devices[0].size());

  auto revoked = client_->Post("/api/devices/revoke", admin, "name=puerta-sur", kForm);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(StationAsks("puerta-sur"), 401);
  auto twice = client_->Post("/api/devices/revoke", admin, "name=puerta-sur", kForm);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 404) << twice->body;
}

TEST_F(WebDevicesTest, OnlyAnAdminMayAndABadNameAddsNothing) {
  const httplib::Headers desk = LogIn("desk", "/desk");
  auto page = client_->Get("/admin", desk);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 403);
  auto list = client_->Get("/api/devices", desk);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 403);
  for (const char* api : {"/api/devices", "/api/devices/revoke"}) {
    auto r = client_->Post(api, desk, "name=puerta-sur&role=scan", kForm);
    ASSERT_TRUE(r) << api;
    EXPECT_EQ(r->status, 403) << api;
  }
  EXPECT_EQ(HubCount("SELECT count(*) FROM devices"), 0);

  const httplib::Headers admin = LogIn("admin", "/admin");
  for (const char* form : {"name=&role=scan", "name=%20puerta&role=scan",
                           "name=puerta%1b%5b2J&role=scan", "name=puerta&role=portero"}) {
    auto r = client_->Post("/api/devices", admin, form, kForm);
    ASSERT_TRUE(r) << form;
    EXPECT_EQ(r->status, 400) << form << " " << r->body;
    EXPECT_NE(r->body.find("\"message\""), std::string::npos) << form;
  }
  EXPECT_EQ(HubCount("SELECT count(*) FROM devices"), 0);
  // Without the page's CSRF value the admin is refused too.
  auto forged = client_->Post("/api/devices", {{"Cookie", admin.find("Cookie")->second}},
                              "name=puerta&role=scan", kForm);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(HubCount("SELECT count(*) FROM devices"), 0);
}

}  // namespace
}  // namespace checkin::testing
