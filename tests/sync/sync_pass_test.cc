// RunSyncPass on a real event file against the fake pretix of
// tests/sync/platform_fakes.h, time on a fake
// clock: where a pass resumes, when it lists everything, and that a failed
// pass changes no ticket, keeps the cursor and is recorded in words with no
// token in them.
#include "sync/sync_pass.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "db/local_desk.h"
#include "db/roster.h"
#include "db/sync_state.h"
#include "tests/fakes/test_db.h"
#include "tests/sync/platform_fakes.h"

namespace checkin::sync {
namespace {

using fake::FakePretix;
using fake::kPretixToken;
using testing::QueryInt;

constexpr char kGenerated[] = "2026-11-28T12:00:01Z";  // the fake's X-Page-Generated

class SyncPassTest : public ::testing::Test {
 protected:
  SyncPassTest() : db_(testing::NewEventDatabase(dir_.File("event.db"), clock_)) {
    settings_.platform = "pretix";
    settings_.url = pretix_.base();
    settings_.organizer = "kcd";
    settings_.event = "bogota2025";
    settings_.token_env = "TEST_PRETIX_TOKEN";
  }
  SyncPassOutcome Pass(SyncPassOptions o = {}) {
    seen_before_ = pretix_.targets().size();
    o.http.connect_timeout = std::chrono::seconds(5);
    o.http.read_timeout = std::chrono::seconds(5);
    o.http.max_attempts = 1;
    o.getenv = [this](const char* name) -> const char* {
      return std::string(name) == "TEST_PRETIX_TOKEN" ? token_.c_str() : nullptr;
    };
    auto out = RunSyncPass(*db_, settings_, o, clock_, sleeper_);
    EXPECT_TRUE(out.recorded.ok()) << out.recorded.message();
    EXPECT_EQ(out.status.message().find(kPretixToken), std::string::npos);
    EXPECT_EQ(out.pass.error.find(kPretixToken), std::string::npos);
    return out;
  }
  // The order-list request of the last pass that asked for changes, or "".
  std::string AskedForChanges() {
    const auto t = pretix_.targets();
    for (size_t i = seen_before_; i < t.size(); ++i) {
      if (t[i].find("modified_since=") != std::string::npos) return t[i];
    }
    return "";
  }
  int64_t Tickets() { return QueryInt(*db_, "SELECT COUNT(*) FROM attendees"); }
  // The code of ticket `ticket_id` as synced.
  std::string CodeOf(const std::string& ticket_id) {
    auto all = db::ListAttendees(*db_, db::AttendeeFilter::kAll);
    EXPECT_TRUE(all.ok());
    for (const Attendee& a : all.ok() ? *all : std::vector<Attendee>{}) {
      if (a.ticket_id == ticket_id) return a.ticket_code;
    }
    ADD_FAILURE() << "no ticket " << ticket_id;
    return "";
  }
  db::SyncTargetStatus TargetStatus() {
    auto targets = db::SyncState(*db_).Targets();
    EXPECT_TRUE(targets.ok());
    EXPECT_EQ(targets->size(), 1u);
    return targets->empty() ? db::SyncTargetStatus{} : targets->front();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  fake::FakeSleeper sleeper_{clock_};
  FakePretix pretix_;
  std::unique_ptr<db::Database> db_;
  RegistrationSettings settings_;
  std::string token_ = kPretixToken;
  size_t seen_before_ = 0;  // requests the fake had seen before the last pass
};

TEST_F(SyncPassTest, FirstPassIsFullThenEachResumesFromTheLastCursor) {
  auto first = Pass();
  ASSERT_TRUE(first.status.ok()) << first.status.message();
  EXPECT_TRUE(first.pass.full);
  EXPECT_EQ(AskedForChanges(), "");
  EXPECT_EQ(first.pass.rows, 12);
  EXPECT_EQ(first.pass.added, 10);  // the admissions; add-ons and merch are no tickets
  EXPECT_EQ(first.pass.cursor, kGenerated);
  EXPECT_EQ(Tickets(), 10);

  clock_.Advance(std::chrono::minutes(1));
  pretix_.AddOrder("YZA78", 901, "n4ws8kd3xq7vm2bt9hc5rz6p", "Valentina", "Ríos");
  auto second = Pass();
  ASSERT_TRUE(second.status.ok()) << second.status.message();
  EXPECT_FALSE(second.pass.full);
  EXPECT_NE(AskedForChanges().find(std::string("modified_since=") + kGenerated), std::string::npos)
      << AskedForChanges();
  EXPECT_EQ(second.pass.added, 1);
  EXPECT_EQ(Tickets(), 11);
  // The import history has each sync with its counts, as for a CSV import.
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM imports WHERE format = 'pretix'"), 2);
  EXPECT_EQ(QueryInt(*db_, "SELECT added FROM imports ORDER BY id DESC LIMIT 1"), 1);
}

// With upload_list, a good pass sends our admissions of pretix tickets
// back, once each, and says so in its line; a failed pass sends nothing.
TEST_F(SyncPassTest, AdmissionsGoBackToPretixAfterAGoodPass) {
  settings_.upload_list = 7;
  ASSERT_TRUE(Pass().status.ok());
  EXPECT_TRUE(pretix_.redeemed().empty()) << "nobody was admitted yet";
  auto desk = testing::NewDesk(*db_, clock_);
  const std::string code = CodeOf("ABC12-1");
  RedeemRequest req;
  req.payload = code;
  req.gate = kDefaultGate;
  req.station = "puerta-1";
  auto d = desk->Redeem(req);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->verdict, Verdict::kAdmitted);

  token_ = "wrong-token-0123456789";
  auto failed = Pass();
  EXPECT_FALSE(failed.status.ok());
  EXPECT_TRUE(pretix_.redeemed().empty()) << "a failed pass sends nothing";

  token_ = kPretixToken;
  auto good = Pass();
  ASSERT_TRUE(good.status.ok()) << good.status.message();
  ASSERT_TRUE(good.upload.has_value()) << good.upload_status.message();
  EXPECT_EQ(good.upload->sent, 1);
  EXPECT_EQ(good.upload->pending, 0);
  EXPECT_NE(PassLine(good, Language::kSpanish).find("check-ins a pretix: 1 enviados"),
            std::string::npos)
      << PassLine(good, Language::kSpanish);
  const auto bodies = pretix_.redeemed();
  ASSERT_EQ(bodies.size(), 1u);
  const auto body = nlohmann::json::parse(bodies[0]);
  EXPECT_EQ(body["secret"], code);
  EXPECT_EQ(body["lists"], nlohmann::json::array({7}));
  EXPECT_EQ(body["nonce"], d->checkin_uuid);
  EXPECT_EQ(body["datetime"], d->at);
  ASSERT_TRUE(Pass().status.ok());
  EXPECT_EQ(pretix_.redeemed().size(), 1u) << "each admission goes once";
}

TEST_F(SyncPassTest, FullPassAgainAfterAnHourOrWhenAsked) {
  ASSERT_TRUE(Pass().status.ok());
  clock_.Advance(kFullPassEvery - std::chrono::seconds(1));
  EXPECT_FALSE(Pass().pass.full);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(Pass().pass.full);
  EXPECT_EQ(AskedForChanges(), "");
  EXPECT_FALSE(Pass().pass.full);
  SyncPassOptions full;
  full.kind = PassKind::kFull;
  EXPECT_TRUE(Pass(full).pass.full);
}

TEST_F(SyncPassTest, FullPassReportsTicketsGoneUpstreamAndCancelsNone) {
  ASSERT_TRUE(Pass().status.ok());
  auto page = nlohmann::json::parse(pretix_.Page(3));
  auto& results = page["results"];
  results.erase(std::remove_if(results.begin(), results.end(),
                               [](const nlohmann::json& o) { return o["code"] == "VWX56"; }),
                results.end());
  pretix_.Override(3, page.dump());
  SyncPassOptions full;
  full.kind = PassKind::kFull;
  auto pass = Pass(full);
  ASSERT_TRUE(pass.status.ok()) << pass.status.message();
  EXPECT_EQ(pass.pass.missing, 1);
  ASSERT_EQ(pass.missing.size(), 1u);
  EXPECT_EQ(pass.missing[0].ticket_id, "VWX56-1");
  EXPECT_EQ(QueryInt(*db_,
                     "SELECT COUNT(*) FROM attendees WHERE status = 'valid' AND"
                     " ticket_id = 'VWX56-1'"),
            1);
}

TEST_F(SyncPassTest, FailedPassChangesNoTicketKeepsTheCursorAndSaysWhy) {
  ASSERT_TRUE(Pass().status.ok());
  pretix_.AddOrder("YZA78", 901, "n4ws8kd3xq7vm2bt9hc5rz6p", "Valentina", "Ríos");
  struct Fault {
    const char* name;
    std::function<void()> set;
    const char* says;
  };
  const std::string wrong = "wrong-token-0000000000000000000";
  const Fault faults[] = {
      {"401", [&] { token_ = wrong; }, "the token is wrong or expired"},
      {"malformed JSON",
       [&] {
         pretix_.Queue({200, "{\"count\": 3, \"results\": [", ""});
       },
       ""},
      {"403 quoting the token",
       [&] {
         pretix_.Queue(
             {403,
              nlohmann::json{{"detail", std::string("Token ") + kPretixToken + " is read-only."}}
                  .dump(),
              ""});
       },
       "HTTP 403"},
      {"no token", [&] { token_.clear(); }, "holds no token"},
  };
  int failures = 0;
  for (const Fault& f : faults) {
    token_ = kPretixToken;
    f.set();
    clock_.Advance(std::chrono::minutes(1));
    auto pass = Pass();
    ASSERT_FALSE(pass.status.ok()) << f.name;
    ++failures;
    EXPECT_FALSE(pass.pass.ok) << f.name;
    EXPECT_EQ(pass.pass.cursor, "") << f.name;
    EXPECT_NE(pass.status.message().find(f.says), std::string::npos)
        << f.name << ": " << pass.status.message();
    EXPECT_EQ(pass.status.message().find(wrong), std::string::npos) << pass.status.message();
    EXPECT_EQ(Tickets(), 10) << f.name;
    auto resume = db::SyncState(*db_).ResumeFor(SyncTarget(settings_));
    ASSERT_TRUE(resume.ok());
    EXPECT_EQ(resume->cursor, kGenerated) << f.name;
    const db::SyncTargetStatus st = TargetStatus();
    EXPECT_FALSE(st.last.ok);
    EXPECT_EQ(st.failures_in_a_row, failures) << f.name;
    EXPECT_EQ(st.last_error, pass.status.message()) << f.name;
    EXPECT_EQ(st.last_error.find(kPretixToken), std::string::npos) << st.last_error;
  }
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM imports"), 1) << "failed passes import nothing";
  token_ = kPretixToken;
  auto healed = Pass();
  ASSERT_TRUE(healed.status.ok()) << healed.status.message();
  EXPECT_EQ(healed.pass.added, 1);
  EXPECT_EQ(TargetStatus().failures_in_a_row, 0);
  EXPECT_FALSE(TargetStatus().last_error.empty()) << "the last error stays for --status";
}

TEST_F(SyncPassTest, AnotherEventStartsOverWithAFullPass) {
  ASSERT_TRUE(Pass().status.ok());
  settings_.event = "medellin2026";
  auto other = Pass();
  EXPECT_TRUE(other.pass.full) << "a cursor belongs to its own event";
  EXPECT_FALSE(other.status.ok());
  EXPECT_EQ(other.status.code(), StatusCode::kNotFound) << other.status.message();
}

TEST_F(SyncPassTest, LoopPassesTellWhenTheNextRuns) {
  SyncPassOptions o;
  o.next_in = std::chrono::seconds(60);
  auto pass = Pass(o);
  ASSERT_TRUE(pass.status.ok());
  EXPECT_EQ(pass.pass.next_at, FormatUtc(clock_.Now() + std::chrono::seconds(60)));
  EXPECT_EQ(TargetStatus().next_at, pass.pass.next_at);
  EXPECT_EQ(Pass().pass.next_at, "") << "a pass by hand schedules nothing";
  EXPECT_EQ(TargetStatus().next_at, pass.pass.next_at) << "the loop's schedule still stands";
}

TEST_F(SyncPassTest, OldPassesArePruned) {
  db::SyncState state(*db_);
  db::SyncPass p;
  p.source = "pretix";
  p.target = "pretix x kcd/e";
  p.started_at = p.finished_at = FormatUtc(clock_.Now());
  for (int i = 0; i < db::SyncState::kKeptPasses + 5; ++i) {
    p.rows = i;
    ASSERT_TRUE(state.Record(p).ok());
  }
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM sync_passes"), db::SyncState::kKeptPasses);
  EXPECT_EQ(QueryInt(*db_, "SELECT MAX(rows) FROM sync_passes"), db::SyncState::kKeptPasses + 4);
}

}  // namespace
}  // namespace checkin::sync
