// The venue as an organizer runs it: `checkin hub serve` as a real process on
// loopback HTTPS, stations paired with `checkin station pair`, check-ins
// through `checkin --config STATION.toml redeem`, the hub killed and
// started again, `station sync`, `hub conflicts`. Every process is the real
// binary; every file is a real SQLite file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/pairing_code.h"
#include "tests/fakes/venue.h"

namespace checkin::testing {
namespace {

using nlohmann::json;

std::string CodeOf(int i) { return VenueCode(i); }
constexpr int kCodes = 40;  // VenueFixture's default roster

using VenueTest = VenueFixture;

TEST_F(VenueTest, AStationDecidesAloneWhileTheHubIsDownAndItsCheckInsArriveOnceAfter) {
  StartHub();
  const std::string north = Pair("north");
  EXPECT_TRUE(std::filesystem::exists(dir_.File("north.replica.db")));
  for (const char* own : {"north.toml", "north.replica.db"}) {
    EXPECT_EQ(std::filesystem::status(dir_.File(own)).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
        << own;
  }

  json online = Redeem(north, CodeOf(0));
  EXPECT_EQ(online.at("verdict"), "admitted");
  EXPECT_EQ(online.at("offline"), false);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), 1);
  // Named by the device the hub paired, not the laptop's host name, so
  // cloned laptops stay apart in `hub conflicts`.
  EXPECT_EQ(online.at("station"), "north");

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
  // It may reprint a badge, as the print desk does.
  Must({"--config", printer, "print", "reprint", CodeOf(3)});
  EXPECT_EQ(HubCount("SELECT count(*) FROM print_jobs"), 1);
}

// `badge render` on a paired station shows the hub's roster: a name
// corrected on the hub after pairing is on the badge, at a door and at a
// printing station; a batch comes from the door's replica after a pull.
TEST_F(VenueTest, BadgesOnAPairedStationShowTheHubsRoster) {
  StartHub();
  const std::string door = Pair("door");
  const std::string printer = Pair("printer-1", "print");
  {
    std::ofstream csv(dir_.File("fix.csv"));
    csv << "ticket_code,first_name,last_name,status,ticket_id\n"
        << CodeOf(5) << ",María José,Muñoz Peña,valid,T5\n";
  }
  Must({"--db", hub_db_, "roster", "import", dir_.File("fix.csv")});
  for (const std::string& station : {door, printer}) {
    const std::string pdf = dir_.File("one.pdf");
    Must({"--config", station, "badge", "render", "--code", CodeOf(5), "--out", pdf});
    const std::string text = Shell("pdftotext -enc UTF-8 " + pdf + " - 2>/dev/null");
    EXPECT_NE(text.find("María José"), std::string::npos) << station << ": " << text;
  }
  auto batch = Must({"--config", door, "badge", "render", "--all", "--out", dir_.File("all.pdf")});
  EXPECT_NE(batch.out.find(std::to_string(kCodes) + " badges"), std::string::npos) << batch.out;
  auto refused = RunCheckin({"--config", printer, "--lang", "en", "badge", "render", "--all",
                             "--out", dir_.File("none.pdf")});
  EXPECT_EQ(refused.rc, 2);
  EXPECT_NE(refused.err.find("printing station keeps no roster"), std::string::npos) << refused.err;
}

// Whoever is admitted while the hub is away still gets a badge: the door
// keeps the request and its next sync puts it in the hub's queue.
TEST_F(VenueTest, ABadgeAskedForWhileTheHubIsAwayJoinsItsQueueAtTheNextSync) {
  StartHub();
  const std::string door = Pair("door");
  StopHub(SIGKILL);
  EXPECT_EQ(Redeem(door, CodeOf(20)).at("offline"), true);
  auto kept = Must({"--config", door, "--lang", "en", "print", "reprint", CodeOf(20)});
  EXPECT_NE(kept.out.find("kept at this station"), std::string::npos) << kept.out;
  StartHub();
  EXPECT_EQ(HubCount("SELECT count(*) FROM print_jobs"), 0);
  auto sync = Must({"--config", door, "station", "sync", "--json"});
  EXPECT_EQ(json::parse(sync.out).at("badges"), 1) << sync.out;
  EXPECT_EQ(HubCount("SELECT count(*) FROM print_jobs j JOIN attendees a ON a.id = j.attendee_id"
                     " WHERE a.ticket_code = '" +
                     CodeOf(20) + "'"),
            1);
  // Synced again, it is not queued twice.
  Must({"--config", door, "station", "sync"});
  EXPECT_EQ(HubCount("SELECT count(*) FROM print_jobs"), 1);
}

// Badges queued at a door come out at the printing stations, through the
// hub's queue: two printers draining it at once print each badge once.
TEST_F(VenueTest, BadgesQueuedAtADoorComeOutOnceAtThePrintingStations) {
  StartHub();
  const std::string door = Pair("door");
  const std::string left = Pair("printer-left", "print");
  const std::string right = Pair("printer-right", "print");
  constexpr int kJobs = 8;
  for (int i = 0; i < kJobs; ++i) {
    Redeem(door, CodeOf(10 + i));
    Must({"--config", door, "print", "reprint", CodeOf(10 + i)});
  }
  std::filesystem::create_directories(dir_.File("left"));
  std::filesystem::create_directories(dir_.File("right"));
  std::vector<std::thread> printers;
  ProcessOutput outs[2];
  const std::string configs[2] = {left, right};
  const std::string folders[2] = {"left", "right"};
  for (int p = 0; p < 2; ++p) {
    printers.emplace_back([&, p] {
      outs[p] = RunCheckin({"--config", configs[p], "print", "--printer",
                            "pdf:" + dir_.File(folders[p]), "--station", folders[p], "--once"});
    });
  }
  for (auto& t : printers) t.join();
  std::string every_name;
  int pdfs = 0;
  for (int p = 0; p < 2; ++p) {
    EXPECT_EQ(outs[p].rc, 0) << outs[p].err;
    for (const auto& f : std::filesystem::directory_iterator(dir_.File(folders[p]))) {
      ++pdfs;
      every_name += Shell("pdftotext -enc UTF-8 " + f.path().string() + " - 2>/dev/null");
    }
  }
  EXPECT_EQ(pdfs, kJobs);
  for (int i = 0; i < kJobs; ++i) {
    EXPECT_NE(every_name.find("Número " + std::to_string(10 + i)), std::string::npos) << i;
  }
  EXPECT_EQ(HubCount("SELECT count(*) FROM print_jobs WHERE state = 'done'"), kJobs);
  // Nothing is left for a second pass.
  auto files_in = [&](const std::string& folder) {
    const std::filesystem::directory_iterator it(dir_.File(folder));
    return std::distance(begin(it), end(it));
  };
  const auto left_before = files_in("left");
  Must({"--config", left, "print", "--printer", "pdf:" + dir_.File("left"), "--once"});
  EXPECT_EQ(files_in("left"), left_before);
}

TEST_F(VenueTest, ADaemonStoppedWhileTheHubHoldsItsPullExitsCleanly) {
  StartHub();
  const std::string station = Pair("desk-printer", "admin");
  const std::string folder = dir_.File("badges");
  std::filesystem::create_directories(folder);
  BackgroundProcess daemon(
      CHECKIN_BINARY, {"--config", station, "--lang", "en", "print", "--printer", "pdf:" + folder},
      dir_.File("print.log"));
  const std::string log = daemon.WaitFor("Printer: ready");
  ASSERT_NE(log.find("Printer: ready"), std::string::npos) << log;
  // By now its sync thread waits in a pull the hub holds; SIGTERM (systemctl
  // stop) cuts that pull, and the process must still end as asked.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const int status = daemon.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// After the event the organizer asks for the report on a paired laptop: the
// hub computes it over its own file, the laptop draws the formats. A desk
// gets the figures, only an admin the lists of people; a door and a
// printing station get nothing, and nothing is written on a refusal.
TEST_F(VenueTest, AnOrganizersLaptopWritesTheHubsReport) {
  StartHub();
  const std::string door = Pair("door");
  const std::string desk = Pair("organizer", "desk");
  const std::string office = Pair("office", "admin");
  const std::string printer = Pair("printer-1", "print");
  for (int i = 0; i < 5; ++i) Redeem(door, CodeOf(i));
  Redeem(door, CodeOf(0), /*expected_rc=*/1);

  const auto read = [](const std::string& path) {
    std::ifstream in(path);
    json j = json::parse(in);
    j.erase("generated_at");  // each side's own clock
    return j;
  };
  Must({"--db", hub_db_, "report", "--out", dir_.File("hub.json")});
  Must({"--config", desk, "report", "--out", dir_.File("desk.json")});
  const json at_hub = read(dir_.File("hub.json"));
  EXPECT_EQ(read(dir_.File("desk.json")), at_hub);
  EXPECT_EQ(at_hub.at("checked_in"), 5);
  EXPECT_EQ(at_hub.at("registered"), kCodes);
  EXPECT_EQ(at_hub.at("denials").at("already_checked_in"), 1);

  auto pdf = Must({"--config", desk, "--lang", "en", "report", "--out", dir_.File("desk.pdf")});
  EXPECT_NE(pdf.out.find("5 / 40 checked in"), std::string::npos) << pdf.out;
  auto text = RunProcess("/usr/bin/pdftotext", {dir_.File("desk.pdf"), "-"});
  ASSERT_EQ(text.rc, 0) << text.err;
  EXPECT_NE(text.out.find("Attendance report"), std::string::npos) << text.out.substr(0, 400);

  // The lists of people are personal data: an admin device only.
  auto named = RunCheckin({"--config", desk, "--lang", "en", "report", "--with-names", "--out",
                           dir_.File("names.json")});
  EXPECT_EQ(named.rc, 2);
  EXPECT_NE(named.err.find("only an admin device"), std::string::npos) << named.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("names.json")));
  Must({"--config", office, "report", "--with-names", "--out", dir_.File("names.json")});
  const json names = read(dir_.File("names.json"));
  EXPECT_EQ(names.at("no_show_list").size(), static_cast<size_t>(kCodes - 5));

  for (const std::string& config : {door, printer}) {
    auto o = RunCheckin(
        {"--config", config, "--lang", "en", "report", "--out", dir_.File("refused.json")});
    EXPECT_EQ(o.rc, 2);
    EXPECT_NE(o.err.find("does not allow this"), std::string::npos) << o.err;
    EXPECT_FALSE(std::filesystem::exists(dir_.File("refused.json")));
  }
  auto odd_day = RunCheckin({"--config", desk, "--lang", "en", "report", "--day", "1999-01-01",
                             "--out", dir_.File("refused.json")});
  EXPECT_EQ(odd_day.rc, 2);
  EXPECT_NE(odd_day.err.find("1999-01-01"), std::string::npos) << odd_day.err;

  StopHub(SIGKILL);
  auto away =
      RunCheckin({"--config", desk, "--lang", "en", "report", "--out", dir_.File("refused.json")});
  EXPECT_EQ(away.rc, 2);
  EXPECT_NE(away.err.find("does not answer"), std::string::npos) << away.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("refused.json")));
}

}  // namespace
}  // namespace checkin::testing
