// The hub follows the registration platform by itself: `checkin hub serve`
// with [registration] in its config syncs from the fake pretix (in this test
// process, on loopback) soon after it starts and then every interval_s, and
// a ticket sold meanwhile gets in at a paired station without any command.
#include <sys/stat.h>

#include <fstream>

#include "tests/fakes/venue.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::testing {
namespace {

class HubRosterSyncTest : public VenueFixture {
 protected:
  sync::fake::FakePretix pretix_;
};

TEST_F(HubRosterSyncTest, HubSyncsByItselfAndANewTicketGetsIn) {
  const std::string token = dir_.File("pretix.token");
  std::ofstream(token) << sync::fake::kPretixToken << "\n";
  ASSERT_EQ(chmod(token.c_str(), 0600), 0);
  hub_config_ = dir_.File("hub.toml");
  // The shortest interval the config allows: the test waits for one.
  std::ofstream(hub_config_) << "[registration]\nplatform = \"pretix\"\nurl = \"" << pretix_.base()
                             << "\"\norganizer = \"kcd\"\nevent = \"bogota2025\"\n"
                                "token_file = \"pretix.token\"\ninterval_s = 10\n";
  StartHub();
  std::string log = hub_->WaitFor("roster sync pretix:");
  ASSERT_NE(log.find("Roster synced from pretix every 10 s"), std::string::npos) << log;
  ASSERT_NE(log.find("roster sync pretix: 10 added"), std::string::npos) << log;
  const std::string station = Pair("puerta");
  EXPECT_EQ(Redeem(station, "k3jd8f7hs2qx9m4vw6tz5bnr")["verdict"], "admitted");

  const std::string sold = "n4ws8kd3xq7vm2bt9hc5rz6p";
  pretix_.AddOrder("YZA78", 901, sold, "Valentina", "Ríos");
  EXPECT_EQ(Redeem(station, sold, 1)["verdict"], "unknown") << "not before the next pass";
  log = hub_->WaitFor("roster sync pretix: 1 added");
  ASSERT_NE(log.find("1 added, 0 updated, 0 cancelled, 10 unchanged"), std::string::npos) << log;
  auto admitted = Redeem(station, sold);
  EXPECT_EQ(admitted["verdict"], "admitted");
  EXPECT_EQ(admitted["attendee"]["first_name"], "Valentina");
  EXPECT_EQ(log.find(sync::fake::kPretixToken), std::string::npos) << "no token in the hub's log";
}

}  // namespace
}  // namespace checkin::testing
