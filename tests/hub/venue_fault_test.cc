// The venue when things go wrong, with real processes on loopback: a station's
// link cut by the TCP proxy of tests/netcut (dropped or stalled) while another
// station stays connected; the hub killed with SIGKILL mid-rush; a station
// killed mid-upload; the hub's disk refusing writes. What must hold every
// time: nobody admitted twice online, every check-in a station reported
// reaches the hub exactly once, and every double admission made while cut off
// is one conflict.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/random.h"
#include "db/local_desk.h"
#include "db/replica.h"
#include "db/statement.h"
#include "hub/protocol.h"
#include "tests/fakes/loopback.h"
#include "tests/fakes/venue.h"
#include "tests/netcut/tcp_proxy.h"

namespace checkin::testing {
namespace {

using netcut::Cut;
using netcut::TcpProxy;
using nlohmann::json;

// ---------------------------------------------------------------------------
// The proxy itself, against an echo server.

// How long a test waits for bytes it expects: long, as the sanitizers are
// slow; and how long it listens for bytes that must not come.
constexpr int kExpectMs = 10'000;
constexpr int kSilenceMs = 300;

TEST(TcpProxyTest, PassesBytesDropsAndRefusesHoldsAndResumes) {
  EchoServer echo;
  std::string error;
  auto proxy = TcpProxy::Start(echo.port(), 0, &error);
  ASSERT_TRUE(proxy) << error;

  const int a = ConnectTo(proxy->port());
  ASSERT_GE(a, 0);
  Say(a, "hello");
  EXPECT_EQ(ReadFor(a, 5, kExpectMs), "hello");

  // Stalled: nothing comes back, on an open connection or a new one...
  proxy->CutOff(Cut::kHang);
  Say(a, "held");
  const int b = ConnectTo(proxy->port());
  ASSERT_GE(b, 0);
  Say(b, "new");
  EXPECT_EQ(ReadFor(a, 4, kSilenceMs), "");
  EXPECT_EQ(ReadFor(b, 3, kSilenceMs), "");
  // ...until the link heals, and both carry on where they stopped.
  proxy->Heal();
  EXPECT_EQ(ReadFor(a, 4, kExpectMs), "held");
  EXPECT_EQ(ReadFor(b, 3, kExpectMs), "new");

  // Dropped: open connections close, new ones are closed at once.
  proxy->CutOff(Cut::kDrop);
  EXPECT_EQ(ReadFor(a, 1, kExpectMs), "<closed>");
  EXPECT_EQ(ReadFor(b, 1, kExpectMs), "<closed>");
  const int c = ConnectTo(proxy->port());
  if (c >= 0) {
    // May fail on a reset already received: either is a refusal, so the
    // result is not checked (Say() would assert it).
    [[maybe_unused]] const ssize_t sent = send(c, "x", 1, MSG_NOSIGNAL);
    EXPECT_EQ(ReadFor(c, 1, kExpectMs), "<closed>");
    close(c);
  }
  proxy->Heal();
  const int d = ConnectTo(proxy->port());
  ASSERT_GE(d, 0);
  Say(d, "back");
  EXPECT_EQ(ReadFor(d, 4, kExpectMs), "back");
  EXPECT_EQ(proxy->accepted(), c >= 0 ? 4 : 3);
  for (int fd : {a, b, d}) close(fd);
}

// ---------------------------------------------------------------------------
// The venue.

// What one `redeem` printed.
struct Said {
  std::string station, code;
  int rc = -1;
  json out;
  std::string err;
  bool admitted() const { return rc == 0 && out.at("verdict") == "admitted"; }
  bool offline() const { return out.at("offline").get<bool>(); }
};

// Sets `key = value` (value as TOML) in the [hub] section `station pair`
// wrote.
void SetHubSetting(const std::string& config, const std::string& key, const std::string& value) {
  std::ifstream in(config);
  std::string text, line;
  bool found = false;
  while (std::getline(in, line)) {
    if (line.rfind(key + " = ", 0) == 0) {
      line = key + " = " + value;
      found = true;
    }
    text += line + "\n";
  }
  ASSERT_TRUE(found) << key << " not in " << config;
  std::ofstream(config, std::ios::trunc) << text;
}

class VenueFaultTest : public VenueFixture {
 protected:
  // Enough tickets for an outbox of a few hundred.
  VenueFaultTest() : VenueFixture(320) {}

  // A station `name`, paired, that gives up on the hub after `deadline_ms`.
  std::string Station(const std::string& name, int deadline_ms) {
    const std::string config = Pair(name);
    SetHubSetting(config, "deadline_ms", std::to_string(deadline_ms));
    return config;
  }
  // Puts the station of `config` behind a new proxy to the hub; the proxy.
  std::unique_ptr<TcpProxy> BehindProxy(const std::string& config) {
    std::string error;
    auto proxy = TcpProxy::Start(port_, 0, &error);
    EXPECT_TRUE(proxy) << error;
    if (proxy) {
      SetHubSetting(config, "url", "\"https://127.0.0.1:" + std::to_string(proxy->port()) + "\"");
    }
    return proxy;
  }

  Said RedeemAt(const std::string& config, int ticket) {
    Said s;
    s.station = std::filesystem::path(config).stem();
    s.code = VenueCode(ticket);
    auto o = RunCheckin({"--config", config, "redeem", s.code, "--gate", "Principal", "--station",
                         s.station, "--json"});
    s.rc = o.rc;
    s.err = o.err;
    s.out = o.out.empty() ? json::object({{"verdict", "error"}, {"offline", false}})
                          : json::parse(o.out);
    return s;
  }

  // `station status --json` and its exit status (1: offline).
  std::pair<int, json> StatusOf(const std::string& config) {
    auto o = RunCheckin({"--config", config, "station", "status", "--json"});
    return {o.rc, o.out.empty() ? json() : json::parse(o.out)};
  }

  json Sync(const std::string& config) {
    auto o = Must({"--config", config, "station", "sync", "--json"});
    return o.out.empty() ? json() : json::parse(o.out);
  }

  int64_t OnHub(const std::string& uuid) {
    return HubCount("SELECT count(*) FROM checkins WHERE uuid = '" + uuid + "'");
  }

  // Every admission a station reported is in the hub's log exactly once.
  void ExpectEachAdmissionOnceOnTheHub(const std::vector<Said>& said) {
    for (const Said& s : said) {
      if (!s.admitted()) continue;
      EXPECT_EQ(OnHub(s.out.at("checkin_id")), 1)
          << s.code << " admitted at " << s.station << (s.offline() ? " offline" : " online");
    }
  }

  json Conflicts() {
    return json::parse(Must({"--db", hub_db_, "hub", "conflicts", "--json"}).out);
  }

  std::string IntegrityCheck() {
    auto db = db::Database::Open(hub_db_, db::OpenMode::kMustExist);
    if (!db.ok()) return db.status().message();
    db::Statement check((*db)->handle(), "PRAGMA integrity_check");
    auto row = check.Step();
    return row.ok() && *row ? check.Text(0) : "no answer";
  }
};

class VenueCutTest : public VenueFaultTest, public ::testing::WithParamInterface<Cut> {};

// North sits behind the proxy, south talks to the hub directly. While
// north's link is cut both admit tickets 3 and 4; afterwards each is one
// conflict, and every check-in either reported is on the hub once.
TEST_P(VenueCutTest, BothSidesOfACutAdmitAndEachDoubleAdmissionIsOneConflict) {
  StartHub();
  // North gives up quickly: in a stalled cut every request waits this long.
  const std::string north = Station("north", 1500);
  const std::string south = Station("south", 10'000);
  auto proxy = BehindProxy(north);
  ASSERT_TRUE(proxy);

  std::vector<Said> said;
  said.push_back(RedeemAt(north, 0));
  EXPECT_TRUE(said.back().admitted()) << said.back().err;
  EXPECT_FALSE(said.back().offline());
  EXPECT_GT(proxy->accepted(), 0);

  proxy->CutOff(GetParam());
  for (auto [config, ticket] : std::vector<std::pair<std::string, int>>{
           {north, 1}, {south, 3}, {north, 3}, {north, 4}, {south, 4}, {south, 5}}) {
    said.push_back(RedeemAt(config, ticket));
    const Said& s = said.back();
    EXPECT_TRUE(s.admitted()) << s.code << " at " << s.station << ": " << s.err;
    EXPECT_EQ(s.offline(), config == north) << s.code << " at " << s.station;
  }
  // North's replica knows what the hub said before the cut.
  said.push_back(RedeemAt(north, 0));
  EXPECT_EQ(said.back().rc, 1);
  EXPECT_EQ(said.back().out.at("verdict"), "already_checked_in");
  auto [cut_rc, cut_status] = StatusOf(north);
  EXPECT_EQ(cut_rc, 1);
  EXPECT_EQ(cut_status.at("online"), false);
  EXPECT_EQ(cut_status.at("outbox"), 4);

  proxy->Heal();
  // Back online by itself: no sync, no volunteer.
  auto [healed_rc, healed_status] = StatusOf(north);
  EXPECT_EQ(healed_rc, 0);
  EXPECT_EQ(healed_status.at("online"), true);
  said.push_back(RedeemAt(north, 6));
  EXPECT_TRUE(said.back().admitted());
  EXPECT_FALSE(said.back().offline());

  json report = Sync(north);
  EXPECT_EQ(report.at("uploaded"), 4);
  EXPECT_EQ(report.at("conflicts"), 2);
  EXPECT_EQ(StatusOf(north).second.at("outbox"), 0);

  json conflicts = Conflicts();
  std::set<std::string> codes;
  for (const json& c : conflicts) {
    codes.insert(c.at("code"));
    EXPECT_NE(c.at("first").at("offline"), c.at("second").at("offline")) << c.dump();
    EXPECT_NE(c.at("first").at("station"), c.at("second").at("station")) << c.dump();
  }
  EXPECT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(codes, (std::set<std::string>{VenueCode(3), VenueCode(4)}));
  ExpectEachAdmissionOnceOnTheHub(said);
  // Admitted: 0, 1, 3 twice, 4 twice, 5, 6. Nothing more, nothing less.
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins WHERE kind = 'admitted'"), 8);
}

INSTANTIATE_TEST_SUITE_P(DroppedAndStalled, VenueCutTest, ::testing::Values(Cut::kDrop, Cut::kHang),
                         [](const ::testing::TestParamInfo<Cut>& cut) {
                           return cut.param == Cut::kDrop ? std::string("Dropped")
                                                          : std::string("Stalled");
                         });

// Three doors redeem at once, each its own tickets and five shared ones; the
// hub is killed with SIGKILL while they run, requests in flight, and started
// again on the same port and file.
TEST_F(VenueFaultTest, TheHubKilledMidRushLosesNoAdmissionAndAdmitsNobodyTwiceOnline) {
  StartHub();
  constexpr int kDoors = 3, kEach = 4;
  std::vector<std::string> doors;
  for (int k = 0; k < kDoors; ++k) doors.push_back(Station("door" + std::to_string(k), 5'000));

  std::mutex mu;
  std::vector<Said> said;
  std::atomic<int> running{kDoors};
  std::vector<std::thread> threads;
  for (int k = 0; k < kDoors; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < kEach; ++i) {
        for (int ticket : {100 + 10 * k + i, 10 + i}) {  // its own, then a shared one
          Said s = RedeemAt(doors[k], ticket);
          std::lock_guard<std::mutex> lock(mu);
          said.push_back(std::move(s));
        }
      }
      --running;
    });
  }
  // Mid-rush: once a handful of check-ins are on the hub.
  while (running > 0 && HubCount("SELECT count(*) FROM checkins") < 6) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(running.load(), 0) << "the rush ended before the hub was killed";
  StopHub(SIGKILL);
  for (auto& t : threads) t.join();

  ASSERT_EQ(said.size(), static_cast<size_t>(kDoors * kEach * 2));
  int offline = 0;
  for (const Said& s : said) {
    // Every door decided, with the hub or without it.
    EXPECT_TRUE(s.rc == 0 || s.rc == 1) << s.code << " at " << s.station << ": " << s.err;
    offline += s.offline() ? 1 : 0;
  }
  EXPECT_GT(offline, 0);

  StartHub();
  // What the hub answered "admitted" it had on disk before answering.
  for (const Said& s : said) {
    if (s.admitted() && !s.offline()) {
      EXPECT_EQ(OnHub(s.out.at("checkin_id")), 1) << s.code;
    }
  }
  for (const std::string& door : doors) Sync(door);
  for (const std::string& door : doors) EXPECT_EQ(StatusOf(door).second.at("outbox"), 0) << door;
  ExpectEachAdmissionOnceOnTheHub(said);

  EXPECT_EQ(HubCount("SELECT count(*) FROM (SELECT attendee_id FROM checkins"
                     " WHERE kind = 'admitted' AND offline = 0"
                     " GROUP BY attendee_id HAVING count(*) > 1)"),
            0);
  // A conflict for each admission after a ticket's first, and each one has
  // a side decided without the hub, on a shared ticket.
  json conflicts = Conflicts();
  EXPECT_EQ(static_cast<int64_t>(conflicts.size()),
            HubCount("SELECT count(*) - count(DISTINCT attendee_id) FROM checkins"
                     " WHERE kind = 'admitted'"));
  for (const json& c : conflicts) {
    EXPECT_TRUE(c.at("first").at("offline").get<bool>() || c.at("second").at("offline").get<bool>())
        << c.dump();
    const int ticket = std::stoi(c.at("code").get<std::string>().substr(6)) - 1000;
    EXPECT_TRUE(ticket >= 10 && ticket < 10 + kEach) << c.dump();
  }
}

// A station uploads a few hundred check-ins it decided alone and is killed
// after the hub recorded the first batch but before it heard back; sent
// again, each check-in is on the hub once and the outbox empties.
TEST_F(VenueFaultTest, AStationKilledMidUploadSendsEachCheckInOnce) {
  StartHub();
  const std::string north = Station("north", 10'000);
  auto proxy = BehindProxy(north);
  ASSERT_TRUE(proxy);
  const std::string replica_path = dir_.File("north.replica.db");

  // The outbox, filled as the station fills it while the hub is away (a
  // LocalDesk over its replica), in this process: three hundred `redeem`
  // processes would take minutes under the sanitizers.
  constexpr int kQueued = 300;
  std::vector<std::string> uuids;
  {
    auto replica = db::Replica::OpenExisting(replica_path, SystemClock());
    ASSERT_TRUE(replica.ok()) << replica.status().message();
    auto desk = db::LocalDesk::Over((*replica)->database(), SystemClock(), DefaultConfig());
    ASSERT_TRUE(desk.ok()) << desk.status().message();
    for (int i = 0; i < kQueued; ++i) {
      RedeemRequest r;
      r.payload = VenueCode(i);
      r.gate = kDefaultGate;
      r.station = "north";
      r.nonce = RandomUuid();
      auto d = (*desk)->Redeem(r);
      ASSERT_TRUE(d.ok()) << d.status().message();
      ASSERT_EQ(d->verdict, Verdict::kAdmitted);
      uuids.push_back(d->checkin_uuid);
    }
    auto size = (*replica)->OutboxSize();
    ASSERT_TRUE(size.ok());
    ASSERT_EQ(*size, kQueued);
  }

  {
    // Holding the replica's write lock stops the station right after the
    // hub recorded its first batch, before it can note the hub's answer.
    auto lock = db::Database::Open(replica_path, db::OpenMode::kMustExist);
    ASSERT_TRUE(lock.ok());
    ASSERT_TRUE(db::Statement((*lock)->handle(), "BEGIN IMMEDIATE").Run().ok());
    BackgroundProcess sync(CHECKIN_BINARY, {"--config", north, "station", "sync"},
                           dir_.File("sync.log"));
    int64_t recorded = 0;
    for (int i = 0; i < 3000 && recorded == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      recorded = HubCount("SELECT count(*) FROM checkins WHERE offline = 1");
    }
    ASSERT_EQ(recorded, hub::kMaxUploadBatch) << sync.WaitFor("", std::chrono::milliseconds(0));
    // The Wi-Fi stalls and the laptop dies.
    proxy->CutOff(Cut::kHang);
    const int status = sync.Stop(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    ASSERT_TRUE(db::Statement((*lock)->handle(), "ROLLBACK").Run().ok());
  }
  {
    auto replica = db::Replica::OpenExisting(replica_path, SystemClock());
    ASSERT_TRUE(replica.ok());
    EXPECT_EQ((*replica)->OutboxSize().value(), kQueued);  // it never heard back
  }

  proxy->Heal();
  json report = Sync(north);
  EXPECT_EQ(report.at("uploaded"), kQueued);
  EXPECT_EQ(report.at("conflicts"), 0);
  EXPECT_EQ(StatusOf(north).second.at("outbox"), 0);
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins WHERE offline = 1"), kQueued);
  EXPECT_EQ(HubCount("SELECT count(DISTINCT uuid) FROM checkins"),
            HubCount("SELECT count(*) FROM checkins"));
  for (const std::string& uuid : uuids) EXPECT_EQ(OnHub(uuid), 1) << uuid;
}

// The hub's disk refuses writes: the hub runs with a 32 KiB file size limit
// (SIGXFSZ ignored, so a write past it fails with EFBIG as on a full disk).
// Its write-ahead log starts empty and grows with each commit until the next
// one no longer fits; from then on no write can succeed, as nothing can be
// checkpointed into a database file larger than the limit.
TEST_F(VenueFaultTest, WithTheHubsDiskFullStationsDecideAloneAndNothingIsHalfWritten) {
  StartHub();
  const std::string north = Station("north", 10'000);
  StopHub(SIGTERM);  // its last connection folds the log into the file
  constexpr int kLimitKiB = 32;
  StartHub({"/bin/bash", "-c",
            "trap '' XFSZ; ulimit -f " + std::to_string(kLimitKiB) + " && exec \"$0\" \"$@\""});
  ASSERT_FALSE(HasFatalFailure());

  std::vector<Said> said;
  int ticket = 200;
  // Online while the log has room; the first redeem it has none for is
  // decided at the station.
  for (; ticket < 215; ++ticket) {
    said.push_back(RedeemAt(north, ticket));
    ASSERT_TRUE(said.back().admitted()) << said.back().code << ": " << said.back().err;
    if (said.back().offline()) break;
  }
  ASSERT_TRUE(said.back().offline()) << "the hub never ran out of room";
  const int64_t before = HubCount("SELECT count(*) FROM checkins");
  for (int i = 1; i <= 3; ++i) {
    said.push_back(RedeemAt(north, ticket + i));
    const Said& s = said.back();
    EXPECT_TRUE(s.admitted()) << s.code << ": " << s.err;
    EXPECT_TRUE(s.offline()) << s.code;
  }
  // The hub still answers what it can answer without writing.
  auto [rc, status] = StatusOf(north);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(status.at("online"), true);
  EXPECT_EQ(status.at("outbox"), 4);
  auto stats = RunCheckin({"--config", north, "stats", "--json"});
  EXPECT_EQ(stats.rc, 0) << stats.err;
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), before);
  EXPECT_EQ(IntegrityCheck(), "ok");

  StopHub(SIGTERM);
  EXPECT_EQ(IntegrityCheck(), "ok");
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), before);

  // Room again: the outbox goes up.
  StartHub();
  json report = Sync(north);
  EXPECT_EQ(report.at("uploaded"), 4);
  EXPECT_EQ(report.at("conflicts"), 0);
  EXPECT_EQ(StatusOf(north).second.at("outbox"), 0);
  ExpectEachAdmissionOnceOnTheHub(said);
  EXPECT_EQ(IntegrityCheck(), "ok");
}

// What remote_desk_test.cc's BadRequestTest does not cover, against the real
// `hub serve` over HTTPS: a body of 100 MB, and bad uploads (the path a
// station's outbox takes): malformed, of the wrong types, too many at once,
// a check-in the log cannot hold, from a device whose role may not admit.
class VenueBadInputTest : public VenueFaultTest {
 protected:
  VenueBadInputTest() {
    StartHub();
    door_ = Station("door", 10'000);
    printer_ = Pair("printer", "print");
  }
  // The device token `station pair` left beside `config`.
  std::string TokenOf(const std::string& config) {
    std::ifstream in(std::filesystem::path(config).replace_extension(".token"));
    std::string token;
    std::getline(in, token);
    return token;
  }
  httplib::Result Post(const std::string& config, const char* path, const std::string& body) {
    httplib::SSLClient cli("127.0.0.1", port_);
    cli.enable_server_certificate_verification(false);  // the pin is not what this tests
    cli.set_read_timeout(std::chrono::seconds(60));
    cli.set_write_timeout(std::chrono::seconds(60));
    return cli.Post(path, {{"Authorization", "Bearer " + TokenOf(config)}}, body,
                    "application/json");
  }
  std::string door_, printer_;
};

TEST_F(VenueBadInputTest, ABodyOf100MegabytesIsRefusedAndTheHubServesTheNextStation) {
  const int64_t rows = HubCount("SELECT count(*) FROM checkins");
  auto res = Post(door_, hub::path::kRedeem, std::string(100 * 1024 * 1024, 'x'));
  // The hub may answer before it has read it all and close: either way no
  // 2xx, and a 413 when the answer got through.
  // A clear refusal, then the next station is served as usual.
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413) << res->body;
  EXPECT_NE(res->body.find("too large"), std::string::npos) << res->body;
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), rows);
  Said next = RedeemAt(door_, 1);
  EXPECT_TRUE(next.admitted()) << next.err;
  EXPECT_FALSE(next.offline());
}

TEST_F(VenueBadInputTest, BadUploadsGetA4xxOrARefusalAndWriteNothing) {
  const std::string good_uuid = RandomUuid();
  auto checkin = [&](const std::string& uuid, const std::string& kind, const std::string& at) {
    return R"({"uuid":")" + uuid + R"(","attendee_id":1,"code":")" + VenueCode(0) +
           R"(","gate":"Principal","station":"door","direction":"entry","kind":")" + kind +
           R"(","source":"manual","verdict":"admitted","reason":"","undoes":"","at":")" + at +
           R"(","offline":true})";
  };
  const std::string good = checkin(good_uuid, "admitted", "2026-05-01T10:00:00.000Z");
  std::string too_many = R"({"outbox":0,"checkins":[)";
  for (int i = 0; i <= hub::kMaxUploadBatch; ++i) {
    too_many += (i ? "," : "") + checkin(RandomUuid(), "admitted", "2026-05-01T10:00:00.000Z");
  }
  too_many += "]}";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"{\"outbox\":0,\"checkins\":[", "not valid JSON"},
      {R"({"outbox":0,"checkins":{}})", "'checkins'"},
      {R"({"outbox":"0","checkins":[]})", "'outbox'"},
      {R"({"outbox":0,"checkins":[)" + checkin("not-a-uuid", "admitted", "x") + "]}", ""},
      {too_many, ""},
  };
  const int64_t rows = HubCount("SELECT count(*) FROM checkins");
  for (const auto& [body, expected] : refused) {
    auto res = Post(door_, hub::path::kUpload, body);
    ASSERT_TRUE(res) << body.substr(0, 200);
    // Refused whole (400), or each bad check-in refused by name.
    if (res->status == 200) {
      EXPECT_NE(res->body.find("refused"), std::string::npos) << res->body;
      EXPECT_EQ(res->body.find("recorded"), std::string::npos) << res->body;
    } else {
      EXPECT_EQ(res->status, 400) << body.substr(0, 200) << " -> " << res->body;
      EXPECT_NE(res->body.find(expected), std::string::npos) << res->body;
    }
  }
  // A check-in the log cannot hold is refused, and does not stop the good one.
  auto mixed = Post(door_, hub::path::kUpload,
                    R"({"outbox":0,"checkins":[)" +
                        checkin(RandomUuid(), "bogus", "2026-05-01T10:00:00.000Z") + "," +
                        checkin(RandomUuid(), "admitted", "yesterday") + "," + good + "]}");
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->status, 200) << mixed->body;
  auto outcomes = json::parse(mixed->body).at("outcomes");
  ASSERT_EQ(outcomes.size(), 3u) << mixed->body;
  EXPECT_EQ(outcomes[0].at("kind"), "refused") << mixed->body;
  EXPECT_EQ(outcomes[1].at("kind"), "refused") << mixed->body;
  EXPECT_EQ(outcomes[2].at("kind"), "recorded") << mixed->body;
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), rows + 1);
  EXPECT_EQ(OnHub(good_uuid), 1);

  // A printing station may not put check-ins on the hub by uploading them.
  auto printer = Post(printer_, hub::path::kUpload,
                      R"({"outbox":0,"checkins":[)" +
                          checkin(RandomUuid(), "admitted", "2026-05-01T10:00:00.000Z") + "]}");
  ASSERT_TRUE(printer);
  EXPECT_EQ(printer->status, 403) << printer->body;
  EXPECT_NE(printer->body.find("(print) does not allow"), std::string::npos) << printer->body;
  EXPECT_EQ(HubCount("SELECT count(*) FROM checkins"), rows + 1);
  // And the hub served the door all along.
  EXPECT_TRUE(RedeemAt(door_, 2).admitted());
}

// Connections that open and never start their TLS handshake, far more of
// them than the hub has threads (the fixture starts it with 16): a door must
// still be answered within its deadline, online. The hub's front door
// (hub/front_door.h) keeps them away from the HTTP server; before it, 32 were
// enough to send every door offline for the 5 s read timeout.
TEST_F(VenueBadInputTest, SilentConnectionsBeyondTheHubsThreadsDoNotStopTheDoors) {
  SetHubSetting(door_, "deadline_ms", "2000");
  std::vector<int> silent;
  for (int i = 0; i < 100; ++i) {
    const int fd = ConnectTo(port_);
    ASSERT_GE(fd, 0);
    silent.push_back(fd);
  }
  Said s = RedeemAt(door_, 4);
  for (int fd : silent) close(fd);
  EXPECT_TRUE(s.admitted()) << s.err;
  EXPECT_FALSE(s.offline()) << "the hub did not answer while silent connections held its threads";
}

}  // namespace
}  // namespace checkin::testing
