// The venue as an organizer runs it: `checkin hub serve` as a real process on
// loopback HTTPS, stations paired with `checkin station pair`, check-ins
// through `checkin --config STATION.toml redeem`, the hub killed and
// started again, `station sync`, `hub conflicts`. Every process is the real
// binary; every file is a real SQLite file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/pairing_code.h"
#include "tests/fakes/venue.h"

namespace checkin::testing {
namespace {

using nlohmann::json;

std::string CodeOf(int i) { return VenueCode(i); }

using VenueTest = VenueFixture;

TEST_F(VenueTest, AStationDecidesAloneWhileTheHubIsDownAndItsCheckInsArriveOnceAfter) {
  StartHub();
  const std::string north = Pair("north");
  EXPECT_TRUE(std::filesystem::exists(dir_.File("north.replica.db")));
  EXPECT_EQ(
      std::filesystem::status(dir_.File("north.toml")).permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  json online = Redeem(north, CodeOf(0));
  EXPECT_EQ(online.at("verdict"), "admitted");
  EXPECT_EQ(online.at("offline"), false);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), 1);

  StopHub(SIGKILL);
  json alone = Redeem(north, CodeOf(1));
  EXPECT_EQ(alone.at("verdict"), "admitted");
  EXPECT_EQ(alone.at("offline"), true);
  // The replica knows what the hub said before it went down.
  json again = Redeem(north, CodeOf(0), /*expected_rc=*/1);
  EXPECT_EQ(again.at("verdict"), "already_checked_in");
  EXPECT_EQ(again.at("offline"), true);
  auto status = RunCheckin({"--config", north, "--lang", "en", "station", "status", "--json"});
  EXPECT_EQ(status.rc, 1) << status.err;  // offline
  EXPECT_EQ(json::parse(status.out).at("outbox"), 2);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), 1);

  // Meanwhile the same ticket is admitted at the hub's own desk.
  Must({"--db", hub_db_, "redeem", CodeOf(1), "--station", "south", "--json"});

  StartHub();
  auto sync = Must({"--config", north, "station", "sync", "--json"});
  json report = json::parse(sync.out);
  EXPECT_EQ(report.at("uploaded"), 2);
  EXPECT_EQ(report.at("conflicts"), 1);
  // Sent again (as after a station killed mid-upload): nothing doubles.
  Must({"--config", north, "station", "sync"});
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins WHERE offline = 1"), 2);

  auto conflicts = Must({"--db", hub_db_, "hub", "conflicts", "--json"});
  json list = json::parse(conflicts.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("code"), CodeOf(1));
  EXPECT_EQ(list[0].at("first").at("station"), list[0].at("first").at("station"));
  EXPECT_TRUE(list[0].at("first").at("offline").get<bool>() !=
              list[0].at("second").at("offline").get<bool>());
  auto stats = Must({"--db", hub_db_, "stats", "--json"});
  EXPECT_EQ(json::parse(stats.out).at("conflicts"), 1);
  status = RunCheckin({"--config", north, "station", "status", "--json"});
  EXPECT_EQ(status.rc, 0) << status.err;
  EXPECT_EQ(json::parse(status.out).at("outbox"), 0);
}

TEST_F(VenueTest, FourStationsPresentingTheSameTicketsAdmitEachOnce) {
  StartHub();
  std::vector<std::string> stations;
  for (const char* name : {"n1", "n2", "s1", "s2"}) stations.push_back(Pair(name));
  std::vector<std::thread> doors;
  std::atomic<int> admitted{0};
  for (const std::string& config : stations) {
    doors.emplace_back([&, config] {
      for (int i = 0; i < 10; ++i) {
        auto o =
            RunCheckin({"--config", config, "redeem", CodeOf(i), "--gate", "Principal", "--json"});
        if (o.rc == 0 && json::parse(o.out).at("offline") == false) ++admitted;
      }
    });
  }
  for (auto& t : doors) t.join();
  EXPECT_EQ(admitted.load(), 10);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins WHERE kind = 'admitted'"), 10);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), 40);
}

TEST_F(VenueTest, AWrongFingerprintIsRefusedAndTheCodeStaysUnspent) {
  StartHub();
  const std::string code = NewPairingCode("north", "scan");
  auto decoded = DecodePairingCode(code);
  ASSERT_TRUE(decoded.ok());
  checkin::PairingCode forged = *decoded;
  forged.fingerprint[0] = forged.fingerprint[0] == 'a' ? 'b' : 'a';
  auto forged_code = EncodePairingCode(forged);
  ASSERT_TRUE(forged_code.ok());
  const std::string config = dir_.File("north.toml");
  auto refused = RunCheckin({"--config", config, "--lang", "en", "station", "pair", *forged_code});
  EXPECT_EQ(refused.rc, 2);
  EXPECT_NE(refused.err.find("another certificate"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(config));
  // The secret never reached that "hub": the real code still pairs.
  Must({"--config", config, "station", "pair", code});
}

TEST_F(VenueTest, APrintStationKeepsNoReplicaAndMayNotAdmit) {
  StartHub();
  const std::string printer = Pair("printer-1", "print");
  EXPECT_FALSE(std::filesystem::exists(dir_.File("printer-1.replica.db")));
  const std::string door = Pair("door");
  Redeem(door, CodeOf(3));
  auto status = Must({"--config", printer, "station", "status", "--json"});
  EXPECT_EQ(json::parse(status.out).at("replica"), false);
  // A door may not claim print jobs, and a printer may not admit.
  auto o = RunCheckin({"--config", printer, "redeem", CodeOf(4), "--gate", "Principal"});
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("print"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace checkin::testing
