// `checkin roster sync` end to end: the real binary, a real event file, and
// the fake pretix of tests/sync/platform_fakes.h answering on 127.0.0.1 from
// this test process. Exit statuses, counts, --status, --every, and the token
// never on screen.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/fakes/background_process.h"
#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"
#include "tests/sync/platform_fakes.h"

namespace checkin {
namespace {

using testing::ProcessOutput;
using testing::RunCheckin;

constexpr char kMaria[] = "k3jd8f7hs2qx9m4vw6tz5bnr";    // ABC12-1, valid
constexpr char kNewCode[] = "n4ws8kd3xq7vm2bt9hc5rz6p";  // YZA78-1, added by the tests

// A loopback port nothing listens on: connecting is refused.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

class RosterSyncCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("kcd.db");
    ProcessOutput init = RunCheckin({"init", "--db", db_, "--event", "KCD Colombia 2026"});
    ASSERT_EQ(init.rc, 0) << init.err;
    WriteToken(sync::fake::kPretixToken);
    WriteConfig(pretix_.base());
  }
  void WriteToken(const std::string& token) {
    const std::string path = dir_.File("pretix.token");
    std::ofstream(path) << token << "\n";
    ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  }
  void WriteConfig(const std::string& url) {
    std::ofstream(config_) << "[registration]\nplatform = \"pretix\"\nurl = \"" << url
                           << "\"\norganizer = \"kcd\"\nevent = \"bogota2025\"\n"
                              "token_file = \"pretix.token\"\ninterval_s = 60\n";
  }
  ProcessOutput Sync(std::vector<std::string> more = {}) {
    std::vector<std::string> args{"--config", config_, "--db", db_, "roster", "sync"};
    args.insert(args.end(), more.begin(), more.end());
    ProcessOutput o = RunCheckin(args);
    ExpectNoToken(o.out + o.err);
    return o;
  }
  void ExpectNoToken(const std::string& text) {
    EXPECT_EQ(text.find(sync::fake::kPretixToken), std::string::npos) << text;
    EXPECT_EQ(text.find("wrong-0000"), std::string::npos) << text;
  }
  int64_t Tickets() {
    auto db = db::Database::Open(db_, db::OpenMode::kMustExist);
    EXPECT_TRUE(db.ok());
    return db.ok() ? testing::QueryInt(**db, "SELECT COUNT(*) FROM attendees") : -1;
  }
  int Redeem(const std::string& code) {
    return RunCheckin({"--db", db_, "redeem", code, "--json"}).rc;
  }

  testing::TempDir dir_;
  sync::fake::FakePretix pretix_;
  std::string db_;
  std::string config_ = dir_.File("checkin.toml");
};

TEST_F(RosterSyncCliTest, OnePassExitsZeroWithTheCountsAndTicketsGetIn) {
  EXPECT_EQ(Redeem(kMaria), 1) << "unknown before the sync";
  ProcessOutput o = Sync();
  ASSERT_EQ(o.rc, 0) << o.err;
  EXPECT_NE(o.out.find("sincronización pretix: 10 nuevos, 0 actualizados, 0 cancelados, 0 sin "
                       "cambios (12 filas, completa)"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(Tickets(), 10);
  EXPECT_EQ(Redeem(kMaria), 0);

  pretix_.AddOrder("YZA78", 901, kNewCode, "Valentina", "Ríos");
  ProcessOutput en = Sync({"--lang", "en"});
  ASSERT_EQ(en.rc, 0) << en.err;
  EXPECT_NE(en.out.find("roster sync pretix: 1 added, 0 updated, 0 cancelled, 10 unchanged (13 "
                        "rows, changes only)"),
            std::string::npos)
      << en.out;
  EXPECT_EQ(Redeem(kNewCode), 0);

  ProcessOutput json = Sync({"--json", "--full"});
  ASSERT_EQ(json.rc, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["full"], true);
  EXPECT_EQ(j["unchanged"], 11);
}

TEST_F(RosterSyncCliTest, FailuresExitTwoAndChangeNothing) {
  ASSERT_EQ(Sync().rc, 0);
  pretix_.AddOrder("YZA78", 901, kNewCode, "Valentina", "Ríos");
  struct Fault {
    const char* name;
    std::function<void()> set;
    const char* says;
  };
  const Fault faults[] = {
      {"401", [&] { WriteToken("wrong-0000000000000000"); }, "the token is wrong or expired"},
      {"malformed JSON",
       [&] {
         pretix_.Queue({200, "{\"count\": 13, \"results\": [{", ""});
       },
       "sync failed, nothing changed"},
      {"connection refused",
       [&] { WriteConfig("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/"); },
       "sync failed, nothing changed"},
      {"token file others can read",
       [&] { ASSERT_EQ(chmod(dir_.File("pretix.token").c_str(), 0644), 0); }, "run: chmod 600 "},
  };
  for (const Fault& f : faults) {
    WriteToken(sync::fake::kPretixToken);
    WriteConfig(pretix_.base());
    f.set();
    ProcessOutput o = Sync({"--lang", "en"});
    EXPECT_EQ(o.rc, 2) << f.name << ": " << o.out;
    EXPECT_NE(o.err.find(f.says), std::string::npos) << f.name << ": " << o.err;
    EXPECT_EQ(Tickets(), 10) << f.name;
    EXPECT_EQ(Redeem(kNewCode), 1) << f.name;
  }
}

TEST_F(RosterSyncCliTest, StatusAfterSuccessAndAfterFailureNeverShowsTheToken) {
  ProcessOutput none = Sync({"--status", "--lang", "en"});
  EXPECT_EQ(none.rc, 0) << none.err;
  EXPECT_NE(none.out.find("has not synced yet"), std::string::npos) << none.out;

  ASSERT_EQ(Sync().rc, 0);
  ProcessOutput ok = Sync({"--status", "--lang", "en"});
  ASSERT_EQ(ok.rc, 0) << ok.err;
  EXPECT_NE(ok.out.find("pretix " + pretix_.base() + " kcd/bogota2025"), std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("ok (full): 10 added, 0 updated, 0 cancelled, 0 unchanged, 12 rows"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("next: none scheduled"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("last error: none"), std::string::npos) << ok.out;

  WriteToken("wrong-0000000000000000");
  ASSERT_EQ(Sync().rc, 2);
  ProcessOutput failed = Sync({"--status", "--lang", "en"});
  ASSERT_EQ(failed.rc, 0) << failed.err;
  EXPECT_NE(failed.out.find("FAILED (1 in a row; nothing changed)"), std::string::npos)
      << failed.out;
  EXPECT_NE(failed.out.find("the token is wrong or expired"), std::string::npos) << failed.out;

  ProcessOutput json = Sync({"--status", "--json"});
  ASSERT_EQ(json.rc, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["source"], "pretix");
  EXPECT_EQ(j[0]["last"]["ok"], false);
  EXPECT_EQ(j[0]["failures_in_a_row"], 1);
  EXPECT_FALSE(j[0]["last_ok_at"].get<std::string>().empty());
  EXPECT_NE(j[0]["last_error"].get<std::string>().find("HTTP 401"), std::string::npos);
}

TEST_F(RosterSyncCliTest, WithoutRegistrationTheMessageShowsAnExample) {
  std::ofstream(config_) << "language = \"en\"\n";
  ProcessOutput o = Sync();
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("the config has no [registration] section"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("platform = \"pretix\""), std::string::npos) << o.err;
  EXPECT_EQ(Sync({"--every", "0s"}).rc, 2);
}

// `roster gates` reads the token as the sync does: from [registration]'s
// token_file, with no environment variable set.
TEST_F(RosterSyncCliTest, GatesReadTheRegistrationTokenFile) {
  ProcessOutput o = RunCheckin({"--config", config_, "roster", "gates"});
  EXPECT_EQ(o.rc, 0) << o.err;
  EXPECT_NE(o.out.find("[[gate]]"), std::string::npos) << o.out;
  ExpectNoToken(o.out + o.err);
}

TEST_F(RosterSyncCliTest, EveryGoesOnAfterAFailureAndStopsOnSigterm) {
  EXPECT_EQ(Sync({"--every", "0s"}).rc, 2) << "bounded";
  EXPECT_EQ(Sync({"--every", "25h"}).rc, 2) << "bounded";
  pretix_.Queue({200, "{not json", ""});  // the first pass fails
  const std::string log = dir_.File("every.log");
  testing::BackgroundProcess every(
      CHECKIN_BINARY,
      {"--config", config_, "--db", db_, "--lang", "en", "roster", "sync", "--every", "1s"}, log);
  std::string seen = every.WaitFor("FAILED, nothing changed");
  ASSERT_NE(seen.find("FAILED"), std::string::npos) << seen;
  seen = every.WaitFor("roster sync pretix: 10 added");
  ASSERT_NE(seen.find("10 added"), std::string::npos) << seen;
  seen = every.WaitFor("roster sync pretix: 0 added");
  ASSERT_NE(seen.find("0 added, 0 updated, 0 cancelled, 10 unchanged"), std::string::npos) << seen;
  const int status = every.Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  seen = every.WaitFor("Sync stopped.");
  EXPECT_NE(seen.find("Sync stopped."), std::string::npos) << seen;
  ExpectNoToken(seen);
  ProcessOutput status_out = Sync({"--status", "--lang", "en"});
  EXPECT_EQ(status_out.out.find("next: none scheduled"), std::string::npos) << status_out.out;
}

}  // namespace
}  // namespace checkin
