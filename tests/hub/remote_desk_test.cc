// A station asking the hub: the real HTTP server on loopback (HTTPS with the
// hub's own self-signed certificate, pinned), the real event file behind it,
// and RemoteDesk as each station's check-in service. The contract suite runs
// through it exactly as it runs on the local file; the tests below cover what
// only the network adds: tokens, roles, the pin, bad requests, the clock.
#include "hub/remote_desk.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "db/devices.h"
#include "db/print_desk.h"
#include "hub/hub_identity.h"
#include "hub/hub_server.h"
#include "hub/hub_store.h"
#include "hub/protocol.h"
#include "hub/station_desk.h"
#include "hub/station_sync.h"
#include "tests/common/checkin_service_contract.h"
#include "tests/fakes/test_db.h"

namespace checkin::testing {
namespace {

constexpr const char* kMaria = "KCD26-2IBYYURL7B";
constexpr const char* kAndres = "KCD26-6KJ6HBIJLV";

// A hub on 127.0.0.1 over the harness's event file. `tls`: HTTPS with a
// certificate made as `hub init` makes it.
class Hub {
 public:
  Hub(const TempDir& dir, const Clock& clock, bool tls,
      std::chrono::seconds keep_alive = hub::HubServerOptions().keep_alive)
      : db_path_(dir.File("event.db")) {
    auto db = NewEventDatabase(db_path_, clock);
    ImportFixture(*db, "generic_basic.csv", clock);
    ImportFixture(*db, "spaces.csv", clock);
    hub::HubServerOptions o;
    o.host = "127.0.0.1";
    o.threads = 8;
    o.keep_alive = keep_alive;
    if (tls) {
      auto id = hub::InitHubIdentity(db_path_, "Test", {"127.0.0.1"}, hub::Renew::kKeep, clock);
      EXPECT_TRUE(id.ok()) << id.status().message();
      fingerprint_ = id->fingerprint;
      o.certificate_file = id->files.certificate;
      o.key_file = id->files.key;
    }
    auto store = hub::OpenSqliteHubStore(db_path_, clock, DefaultConfig(), Language::kEnglish);
    EXPECT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    o.lang = Language::kEnglish;
    auto server = hub::HubServer::Start(*store_, clock, o);
    EXPECT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    db_ = db::Database::Open(db_path_, db::OpenMode::kMustExist).value();
  }

  std::string url() const {
    return std::string(server_->tls() ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(server_->port());
  }
  int port() const { return server_->port(); }
  const std::string& fingerprint() const { return fingerprint_; }
  db::Database& db() { return *db_; }

  // A new device with `role`, paired through the hub; its token.
  std::string PairDevice(const std::string& name, Role role, const Clock& clock) {
    db::DeviceRegistry devices(*db_, clock);
    auto added = devices.Add(name, role);
    EXPECT_TRUE(added.ok()) << added.status().message();
    auto desk = Station("", clock);
    auto paired = desk->Pair(added->pairing_secret);
    EXPECT_TRUE(paired.ok()) << paired.status().message();
    return paired.ok() ? paired->token : "";
  }

  std::unique_ptr<hub::RemoteDesk> Station(const std::string& token, const Clock& clock,
                                           std::string fingerprint = "") {
    hub::RemoteOptions o;
    o.urls = {url()};
    o.fingerprint = fingerprint.empty() ? fingerprint_ : fingerprint;
    o.token = token;
    // Generous: the sanitizers slow everything; the deadline is not what
    // these tests measure.
    o.deadline = std::chrono::seconds(10);
    o.lang = Language::kEnglish;
    auto desk = hub::RemoteDesk::Connect(o, clock);
    EXPECT_TRUE(desk.ok()) << desk.status().message();
    return desk.ok() ? std::move(*desk) : nullptr;
  }

 private:
  std::string db_path_;
  std::string fingerprint_;
  std::unique_ptr<hub::HubStore> store_;
  std::unique_ptr<hub::HubServer> server_;
  std::unique_ptr<db::Database> db_;
};

class RemoteHarness final : public ServiceHarness {
 public:
  RemoteHarness() : hub_(dir_, clock_, /*tls=*/true) {
    token_ = hub_.PairDevice("contract-admin", Role::kAdmin, clock_);
  }
  std::unique_ptr<CheckinService> NewStation() override { return hub_.Station(token_, clock_); }
  FakeClock& clock() override { return clock_; }

 private:
  TempDir dir_;
  FakeClock clock_;
  Hub hub_;
  std::string token_;
};

std::unique_ptr<ServiceHarness> MakeRemoteHarness() { return std::make_unique<RemoteHarness>(); }

INSTANTIATE_TEST_SUITE_P(RemoteDesk, CheckinServiceContract, ::testing::Values(&MakeRemoteHarness));

int64_t Checkins(Hub& hub) { return QueryInt(hub.db(), "SELECT count(*) FROM checkins"); }

RedeemRequest AtPrincipal(const std::string& code) {
  RedeemRequest r;
  r.payload = code;
  r.gate = kDefaultGate;
  r.station = "north-1";
  return r;
}

class RemoteDeskTest : public ::testing::Test {
 protected:
  TempDir dir_;
  FakeClock clock_;
};

TEST_F(RemoteDeskTest, MissingWrongAndRevokedTokensAreRefusedAndRecordNothing) {
  Hub hub(dir_, clock_, true);
  const std::string token = hub.PairDevice("north-1", Role::kScan, clock_);

  for (const std::string& bad : {std::string(), std::string(52, 'A'), token + "X"}) {
    auto d = hub.Station(bad, clock_)->Redeem(AtPrincipal(kMaria));
    ASSERT_FALSE(d.ok()) << "token '" << bad << "' was let through";
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(d.status().message().find(bad.empty() ? "missing" : "pair again"), std::string::npos)
        << d.status().message();
  }
  EXPECT_EQ(Checkins(hub), 0);

  auto station = hub.Station(token, clock_);
  ASSERT_TRUE(station->Redeem(AtPrincipal(kMaria)).ok());
  ASSERT_TRUE(db::DeviceRegistry(hub.db(), clock_).Revoke("north-1").ok());
  auto after = station->Redeem(AtPrincipal(kMaria));
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.status().message().find("revoked"), std::string::npos);
  EXPECT_EQ(Checkins(hub), 1);
}

TEST_F(RemoteDeskTest, EachRoleDoesOnlyWhatItMay) {
  Hub hub(dir_, clock_, true);
  auto scan = hub.Station(hub.PairDevice("door", Role::kScan, clock_), clock_);
  auto print = hub.Station(hub.PairDevice("printer", Role::kPrint, clock_), clock_);
  auto desk = hub.Station(hub.PairDevice("help", Role::kDesk, clock_), clock_);

  auto admitted = scan->Redeem(AtPrincipal(kMaria));
  ASSERT_TRUE(admitted.ok()) << admitted.status().message();
  EXPECT_TRUE(scan->Search("maria", 5).ok());
  EXPECT_TRUE(scan->ComputeStats({}).ok());

  UndoRequest undo;
  undo.target = UndoRequest::Target::kCode;
  undo.code = kMaria;
  undo.station = "door";
  auto refused = scan->Undo(undo);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("(scan) does not allow"), std::string::npos)
      << refused.status().message();

  RedeemRequest by_search = AtPrincipal("");
  by_search.attendee_id = admitted->attendee->id;
  EXPECT_FALSE(scan->Redeem(by_search).ok());
  EXPECT_FALSE(print->Redeem(AtPrincipal(kMaria)).ok());
  EXPECT_FALSE(scan->ClaimPrintJob("door", "pdf:x").ok());
  const int64_t rows = Checkins(hub);

  EXPECT_TRUE(desk->Undo(undo).ok());
  EXPECT_EQ(Checkins(hub), rows + 1);
  EXPECT_TRUE(print->ClaimPrintJob("printer", "pdf:x").ok());
}

// A print daemon's printer report reaches the print desk under the device's
// own name, whatever station it claims; only a printing role may send one,
// and text that is not text is refused with nothing kept.
TEST_F(RemoteDeskTest, PrinterReportsComeFromPrintDevicesUnderTheirOwnName) {
  Hub hub(dir_, clock_, true);
  auto print = hub.Station(hub.PairDevice("impresion", Role::kPrint, clock_), clock_);
  auto scan = hub.Station(hub.PairDevice("door", Role::kScan, clock_), clock_);
  PrinterReport report;
  report.worker = "impresion/badges";
  report.station = "someone-else";
  report.printer = "badges";
  report.state = {true, true, true, "media-empty"};
  EXPECT_FALSE(scan->ReportPrinter(report).ok());
  auto held = print->ReportPrinter(report);
  ASSERT_TRUE(held.ok()) << held.status().message();
  EXPECT_FALSE(*held);
  db::PrintDesk desk(hub.db(), clock_, Language::kEnglish);
  auto view = desk.View(5);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->printers.size(), 1u);
  EXPECT_EQ(view->printers[0].report.station, "impresion");
  EXPECT_EQ(view->printers[0].report.state.reasons, "media-empty");

  ASSERT_TRUE(desk.Hold("impresion/badges", true, "mesa").ok());
  held = print->ReportPrinter(report);
  ASSERT_TRUE(held.ok() && *held) << "the daemon hears it is paused";

  report.state.reasons = "jam\x1b[2J";
  auto refused = print->ReportPrinter(report);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(desk.View(5)->printers[0].report.state.reasons, "media-empty");
}

// A door idle for longer than the hub keeps a connection open must still
// be answered online at its next scan: the hub has closed the connection
// the station kept, and the station must not take that for the hub being
// away (it would decide offline, with the band up, for nothing).
TEST_F(RemoteDeskTest, AnIdleStationIsAnsweredOnlineAfterTheHubClosedItsConnection) {
  Hub hub(dir_, clock_, true, std::chrono::seconds(1));
  auto door = hub.Station(hub.PairDevice("door", Role::kScan, clock_), clock_);
  ASSERT_TRUE(door->Search("maria", 5).ok());
  // The hub's keep-alive is a real timer; the station reads idleness from
  // its clock.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  clock_.Advance(std::chrono::milliseconds(1500));
  auto admitted = door->Redeem(AtPrincipal(kMaria));
  ASSERT_TRUE(admitted.ok()) << admitted.status().message();
  EXPECT_EQ(admitted->verdict, Verdict::kAdmitted);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  clock_.Advance(std::chrono::milliseconds(1500));
  auto stats = door->ComputeStats({});
  ASSERT_TRUE(stats.ok()) << stats.status().message();
}

TEST_F(RemoteDeskTest, AnotherCertificateThanThePinnedOneIsNeverSentARequest) {
  Hub hub(dir_, clock_, true);
  const std::string token = hub.PairDevice("north-1", Role::kScan, clock_);
  std::string wrong = hub.fingerprint();
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  auto d = hub.Station(token, clock_, wrong)->Redeem(AtPrincipal(kMaria));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(d.status().message().find("another certificate"), std::string::npos)
      << d.status().message();
  EXPECT_EQ(Checkins(hub), 0);
  // The right pin on the same hub works.
  EXPECT_TRUE(hub.Station(token, clock_)->Redeem(AtPrincipal(kMaria)).ok());
}

TEST_F(RemoteDeskTest, PlainHttpIsRefusedOffLoopback) {
  auto store = hub::OpenSqliteHubStore(
      [&] {
        const std::string p = dir_.File("event.db");
        NewEventDatabase(p, clock_);
        return p;
      }(),
      clock_, DefaultConfig(), Language::kEnglish);
  ASSERT_TRUE(store.ok());
  hub::HubServerOptions o;
  o.host = "0.0.0.0";
  o.lang = Language::kEnglish;
  auto server = hub::HubServer::Start(**store, clock_, o);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("hub init"), std::string::npos);
}

TEST_F(RemoteDeskTest, EveryAnswerTellsTheHubsTime) {
  FakeClock hub_clock;
  hub_clock.Advance(std::chrono::seconds(95));  // the hub's laptop is 95 s ahead
  Hub hub(dir_, hub_clock, true);
  auto station = hub.Station(hub.PairDevice("north-1", Role::kScan, hub_clock), clock_);
  EXPECT_FALSE(station->clock_offset().has_value());
  ASSERT_TRUE(station->ComputeStats({}).ok());
  ASSERT_TRUE(station->clock_offset().has_value());
  EXPECT_EQ(station->clock_offset()->count(), 95'000);
}

// The station's sync polls only once an hour here, so whatever reaches its
// replica after the first pass was pushed: the hub holds each pull until
// something changes.
TEST_F(RemoteDeskTest, TheHubPushesOtherDoorsCheckinsToAStationWithoutPolling) {
  Hub hub(dir_, clock_, true);
  const std::string token = hub.PairDevice("north-1", Role::kScan, clock_);
  const std::string other = hub.PairDevice("south-1", Role::kScan, clock_);
  const std::string replica = dir_.File("north.replica.db");
  ASSERT_TRUE(hub::PullFullReplica(*hub.Station(token, clock_), replica, clock_).ok());
  hub::StationSetup setup;
  setup.remote.urls = {hub.url()};
  setup.remote.fingerprint = hub.fingerprint();
  setup.remote.token = token;
  setup.remote.deadline = std::chrono::seconds(10);
  setup.replica_path = replica;
  setup.config = DefaultConfig();
  auto link = std::make_shared<hub::HubLink>();
  auto sync = hub::StationSync::Start(setup, clock_, link, std::chrono::hours(1), {});
  ASSERT_TRUE(sync.ok()) << sync.status().message();
  auto replica_db = db::Database::Open(replica, db::OpenMode::kMustExist);
  ASSERT_TRUE(replica_db.ok());
  auto wait_for_checkins = [&](int64_t n) {
    int64_t seen = 0;
    for (int i = 0; i < 1000 && seen < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      seen = QueryInt(**replica_db, "SELECT count(*) FROM checkins");
    }
    return seen;
  };

  // Written on the hub's file by another process (no request rings the
  // hub's bell): the hub notices within its own poll of the file.
  ASSERT_TRUE(NewDesk(hub.db(), clock_)->Redeem(AtPrincipal(kMaria)).ok());
  EXPECT_EQ(wait_for_checkins(1), 1);
  // Another door admits Andrés through the hub.
  auto south = AtPrincipal(kAndres);
  south.station = "south-1";
  ASSERT_TRUE(hub.Station(other, clock_)->Redeem(south).ok());
  EXPECT_EQ(wait_for_checkins(2), 2);
  // Stop() cuts the pull the hub is holding.
  (*sync)->Stop();
}

// Raw requests, as a broken or hostile client would send them, on plain
// HTTP so the test can write bytes by hand.
class BadRequestTest : public RemoteDeskTest {
 protected:
  BadRequestTest() : hub_(dir_, clock_, /*tls=*/false) {
    token_ = hub_.PairDevice("north-1", Role::kScan, clock_);
  }
  httplib::Result Post(const std::string& body) {
    httplib::Client cli("127.0.0.1", hub_.port());
    cli.set_read_timeout(std::chrono::seconds(10));
    return cli.Post(hub::path::kRedeem, {{"Authorization", "Bearer " + token_}}, body,
                    "application/json");
  }
  Hub hub_;
  std::string token_;
};

TEST_F(BadRequestTest, MalformedBodiesGetA400NamingTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "not valid JSON"},
      {"[]", "not a JSON object"},
      {R"({"payload":5,"gate":"Principal","station":"x","direction":"entry","source":"manual",)"
       R"("attendee_id":0,"nonce":""})",
       "'payload' is not a string"},
      {R"({"payload":"x","gate":"Principal","station":"x","direction":"sideways",)"
       R"("source":"manual","attendee_id":0,"nonce":""})",
       "'direction' has an unknown value"},
  };
  for (const auto& [body, expected] : cases) {
    auto res = Post(body);
    ASSERT_TRUE(res) << body;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_NE(res->body.find(expected), std::string::npos) << res->body;
  }
  EXPECT_EQ(Checkins(hub_), 0);
}

// A station's nonce reused with another body is a 409 (do not retry), not a
// 400 or a 500; a malformed one is a 400. Either way nothing is written.
TEST_F(BadRequestTest, ANonceReusedForAnotherScanGetsA409) {
  const std::string head = R"({"gate":"Principal","station":"x","direction":"entry",)"
                           R"("source":"manual","attendee_id":0,)";
  const std::string nonce = R"("nonce":"3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c"})";
  auto first = Post(head + R"("payload":"KCD26-2IBYYURL7B",)" + nonce);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  auto other = Post(head + R"("payload":"KCD26-6KJ6HBIJLV",)" + nonce);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 409) << other->body;
  EXPECT_NE(other->body.find(R"("code":"conflict")"), std::string::npos) << other->body;
  EXPECT_NE(other->body.find("a new scan needs a new nonce"), std::string::npos) << other->body;
  auto bad = Post(head + R"("payload":"KCD26-6KJ6HBIJLV","nonce":"12345"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(Checkins(hub_), 1);
}

TEST_F(BadRequestTest, AHugeBodyIsRefusedAndTheHubServesOthers) {
  auto res = Post(std::string(3 * hub::kMaxRequestBytes, 'x'));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(res->body.find("too large"), std::string::npos);
  EXPECT_TRUE(hub_.Station(token_, clock_)->Redeem(AtPrincipal(kMaria)).ok());
  EXPECT_EQ(Checkins(hub_), 1);
}

TEST_F(BadRequestTest, ARequestThatNeverFinishesDoesNotHoldUpTheOthers) {
  // Several clients that send half a request and then nothing.
  std::vector<int> stalled;
  for (int i = 0; i < 4; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(hub_.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string half =
        "POST /v1/redeem HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"pay";
    ASSERT_EQ(write(fd, half.data(), half.size()), static_cast<ssize_t>(half.size()));
    stalled.push_back(fd);
  }
  auto station = hub_.Station(token_, clock_);
  auto d = station->Redeem(AtPrincipal(kMaria));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  // The hub drops a stalled request after its read timeout: the socket
  // reads end-of-file or an error, never an admission.
  char buf[512];
  const ssize_t n = read(stalled[0], buf, sizeof buf);
  EXPECT_LE(n, static_cast<ssize_t>(sizeof buf));
  if (n > 0) {
    EXPECT_EQ(std::string(buf, static_cast<size_t>(n)).find("admitted"), std::string::npos);
  }
  for (int fd : stalled) close(fd);
  EXPECT_EQ(Checkins(hub_), 1);
}

TEST_F(BadRequestTest, AnUnknownPathGetsAClear404) {
  httplib::Client cli("127.0.0.1", hub_.port());
  auto res = cli.Get("/v1/nothing-here");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_NE(res->body.find("no such path"), std::string::npos);
  EXPECT_FALSE(res->get_header_value(hub::kHubTimeHeader).empty());
}

TEST_F(BadRequestTest, AStatsSinceThatIsNotATimeGetsA400) {
  httplib::Client cli("127.0.0.1", hub_.port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + token_}};
  auto bad = cli.Get(std::string(hub::path::kStats) + "?since=yesterday", auth);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("not a UTC timestamp"), std::string::npos) << bad->body;
  auto good = cli.Get(std::string(hub::path::kStats) + "?since=2026-11-28T05:00:00.000Z", auth);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200) << good->body;
}

// The hub here speaks English; a station set to Spanish reads its refusals
// in Spanish, since a volunteer reads them on that station's screen.
TEST_F(BadRequestTest, RefusalsComeInTheLanguageTheStationAsksFor) {
  httplib::Client cli("127.0.0.1", hub_.port());
  auto spanish = cli.Get(hub::path::kStats, {{hub::kLanguageHeader, "es"}});
  ASSERT_TRUE(spanish);
  EXPECT_EQ(spanish->status, 401);
  EXPECT_NE(spanish->body.find("falta el token"), std::string::npos) << spanish->body;
  auto missing = cli.Get("/v1/nothing-here", {{hub::kLanguageHeader, "es"}});
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->body.find("el hub no tiene esa ruta"), std::string::npos) << missing->body;
  auto english = cli.Get(hub::path::kStats);
  ASSERT_TRUE(english);
  EXPECT_NE(english->body.find("the device token is missing"), std::string::npos) << english->body;
}

}  // namespace
}  // namespace checkin::testing
