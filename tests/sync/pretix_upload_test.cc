// Our admissions sent back to pretix. pretix cannot be reached from these
// machines, so an httplib::Server on 127.0.0.1 started by each test answers
// POST /api/v1/organizers/{organizer}/checkinrpc/redeem/ in pretix's
// documented format ({"status": "ok"}, {"status": "error", "reason": ...},
// deduplication by nonce), over a real event SQLite file.
#include "sync/pretix_upload.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "db/checkin_desk.h"
#include "db/platform_uploads.h"
#include "db/roster_import.h"
#include "tests/fakes/test_db.h"

namespace checkin::sync {
namespace {

using nlohmann::json;
constexpr char kToken[] = "t0k3n-upload-9f8e7d6c5b4a3210";

class FakeRedeem {
 public:
  FakeRedeem() {
    svr_.Post(R"(/api/v1/organizers/([^/]+)/checkinrpc/redeem/)",
              [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
    while (!svr_.is_running()) std::this_thread::yield();
  }
  ~FakeRedeem() {
    svr_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::vector<json> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  int counted() {
    std::lock_guard lock(mu_);
    return static_cast<int>(nonces_.size());
  }
  void FailNext(int status, std::string body) {
    std::lock_guard lock(mu_);
    fail_status_ = status;
    fail_body_ = std::move(body);
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    auto answer = [&](int status, const json& j) {
      res.status = status;
      res.set_content(j.dump(), "application/json");
    };
    if (req.get_header_value("Authorization") != std::string("Token ") + kToken) {
      return answer(401, {{"detail", "Invalid token."}});
    }
    if (fail_status_ != 0) {
      answer(fail_status_, json::parse(fail_body_));
      fail_status_ = 0;
      return;
    }
    json body = json::parse(req.body, nullptr, false);
    bodies_.push_back(body);
    if (!body.is_object() || body["lists"] != json::array({7})) {
      return answer(400, {{"lists", {"Invalid pk \"x\" - object does not exist."}}});
    }
    const std::string secret = body["secret"].get<std::string>();
    if (secret.rfind("SECRET-", 0) != 0) {
      return answer(404, {{"status", "error"},
                          {"reason", "invalid"},
                          {"reason_explanation", nullptr},
                          {"require_attention", false}});
    }
    nonces_.insert(body["nonce"].get<std::string>());  // a resend is not counted twice
    answer(201, {{"status", "ok"}, {"require_attention", false}, {"position", {{"id", 1}}}});
  }

  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<json> bodies_;
  std::set<std::string> nonces_;
  int fail_status_ = 0;
  std::string fail_body_;
};

class NoSleep final : public Sleeper {
 public:
  explicit NoSleep(testing::FakeClock& clock) : clock_(clock) {}
  void Sleep(std::chrono::milliseconds d) override { clock_.Advance(d); }

 private:
  testing::FakeClock& clock_;
};

class PretixUploadTest : public ::testing::Test {
 protected:
  PretixUploadTest() : db_(testing::NewEventDatabase(dir_.File("e.db"), clock_)) {
    db::RosterSnapshot snap;
    snap.source = "pretix";
    snap.format = db::RosterFormat::kPretix;
    for (const char* id : {"ABC12-1", "DEF34-1", "GHI56-1"}) {
      db::RosterRecord r;
      r.line = static_cast<int>(snap.records.size()) + 1;
      r.ticket_id = id;
      r.ticket_code = std::string("SECRET-") + id;
      r.first_name = "María José";
      r.last_name = id;
      snap.records.push_back(r);
    }
    // A ticket pretix no longer knows (its secret changed upstream meanwhile).
    snap.records.push_back(snap.records.back());
    snap.records.back().line = 4;
    snap.records.back().ticket_id = "JKL78-1";
    snap.records.back().ticket_code = "STALE-JKL78-1";
    auto sum =
        db::ApplyRoster(*db_, snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock_);
    EXPECT_TRUE(sum.ok()) << sum.status().message();
    auto d = db::CheckinDesk::Create(*db_, clock_, DefaultConfig());
    EXPECT_TRUE(d.ok());
    desk_ = std::move(d).value();
  }
  Decision Redeem(const std::string& code, Direction dir = Direction::kEntry) {
    auto d = desk_->Redeem({code, "Principal", "puerta-1", dir, ScanSource::kCamera});
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : Decision{};
  }
  PretixUploadOptions Options() {
    PretixUploadOptions o;
    o.url = pretix_.base();
    o.organizer = "kcd";
    o.token = kToken;
    o.checkin_list = 7;
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    return o;
  }
  Result<UploadSummary> Upload(PretixUploadOptions o) {
    return UploadCheckins(*db_, o, clock_, sleeper_);
  }
  Result<UploadSummary> Upload() { return Upload(Options()); }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  NoSleep sleeper_{clock_};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<db::CheckinDesk> desk_;
  FakeRedeem pretix_;
};

TEST_F(PretixUploadTest, AdmissionsGoOnceWithTheirTimeNonceAndDirection) {
  const Decision in = Redeem("SECRET-ABC12-1");
  Redeem("SECRET-ABC12-1");  // denied: already inside; not sent
  clock_.Advance(std::chrono::minutes(90));
  const Decision out = Redeem("SECRET-ABC12-1", Direction::kExit);
  Redeem("NOT-A-TICKET");  // unknown: not sent
  auto sum = Upload();
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->sent, 2);
  EXPECT_EQ(sum->refused, 0);
  EXPECT_EQ(sum->pending, 0);
  const auto bodies = pretix_.bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["secret"], "SECRET-ABC12-1");
  EXPECT_EQ(bodies[0]["datetime"], in.at);
  EXPECT_EQ(bodies[0]["nonce"], in.checkin_uuid);
  EXPECT_EQ(bodies[0]["type"], "entry");
  EXPECT_EQ(bodies[0]["force"], true);
  EXPECT_EQ(bodies[1]["type"], "exit");
  EXPECT_EQ(bodies[1]["datetime"], out.at);
  // Nothing new: nothing sent.
  sum = Upload();
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->sent, 0);
  EXPECT_EQ(pretix_.bodies().size(), 2u);
}

TEST_F(PretixUploadTest, ATicketPretixRefusesIsRecordedAndNotSentAgain) {
  Redeem("STALE-JKL78-1");
  Redeem("SECRET-DEF34-1");
  auto sum = Upload();
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->sent, 1);
  EXPECT_EQ(sum->refused, 1);
  EXPECT_EQ(sum->first_refusal, "invalid");
  auto counts = db::CountUploads(*db_, "pretix");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->sent, 1);
  EXPECT_EQ(counts->refused, 1);
  EXPECT_EQ(counts->pending, 0);
  sum = Upload();
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->refused, 0);
  EXPECT_EQ(pretix_.bodies().size(), 2u);
}

TEST_F(PretixUploadTest, AServerErrorIsRetriedWithinThePass) {
  Redeem("SECRET-ABC12-1");
  pretix_.FailNext(503, R"({"detail": "Service unavailable"})");
  auto sum = Upload();
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->sent, 1);
  EXPECT_EQ(pretix_.counted(), 1);
}

TEST_F(PretixUploadTest, AWrongListOrTokenFailsThePassAndLeavesCheckinsPending) {
  Redeem("SECRET-ABC12-1");
  Redeem("SECRET-DEF34-1");
  auto o = Options();
  o.checkin_list = 8;
  auto sum = Upload(o);
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("upload_list"), std::string::npos)
      << sum.status().message();
  o = Options();
  o.token = "wrong-token-0123456789";
  sum = Upload(o);
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("token is wrong or expired"), std::string::npos)
      << sum.status().message();
  EXPECT_EQ(sum.status().message().find("wrong-token-0123456789"), std::string::npos);
  auto pending = db::CountPendingUploads(*db_, "pretix");
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 2);
  sum = Upload();
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->sent, 2);
}

TEST_F(PretixUploadTest, ABacklogGoesOverSeveralPasses) {
  for (const char* c : {"SECRET-ABC12-1", "SECRET-DEF34-1", "SECRET-GHI56-1"}) Redeem(c);
  auto o = Options();
  o.max_per_pass = 2;
  auto sum = Upload(o);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->sent, 2);
  EXPECT_EQ(sum->pending, 1);
  sum = Upload(o);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->sent, 1);
  EXPECT_EQ(sum->pending, 0);
}

}  // namespace
}  // namespace checkin::sync
