// A station's replica kept in step with the hub's event file through the
// change feed, deciding alone when cut off, and its outbox reaching the hub:
// two real SQLite files, the hub's and the station's, with no network
// between them (tests/hub covers the network).
#include "db/replica.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "db/changes.h"
#include "db/local_desk.h"
#include "db/offline.h"
#include "db/roster_import.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/sig1_signer.h"
#include "tests/fakes/test_db.h"

namespace checkin::testing {
namespace {

constexpr const char* kMaria = "KCD26-2IBYYURL7B";
constexpr const char* kAndres = "KCD26-6KJ6HBIJLV";

RedeemRequest At(const std::string& code, const std::string& station,
                 Direction direction = Direction::kEntry) {
  RedeemRequest r;
  r.payload = code;
  r.gate = kDefaultGate;
  r.station = station;
  r.direction = direction;
  return r;
}

class ReplicaTest : public ::testing::Test {
 protected:
  ReplicaTest() {
    hub_ = NewEventDatabase(dir_.File("hub.db"), clock_);
    ImportFixture(*hub_, "generic_basic.csv", clock_);
    auto event = hub_->Event();
    EXPECT_TRUE(event.ok());
    auto r = db::Replica::Open(dir_.File("station.replica.db"), *event, clock_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    replica_ = std::move(*r);
  }

  // Pulls pages of `page` rows until the feed says there is no more.
  int Pull(int page = 1000) {
    int pages = 0;
    for (;;) {
      auto cursor = replica_->Cursor();
      EXPECT_TRUE(cursor.ok());
      auto changes = db::ChangesSince(*hub_, *cursor, page);
      EXPECT_TRUE(changes.ok()) << changes.status().message();
      EXPECT_TRUE(replica_->Apply(*changes).ok());
      ++pages;
      if (!changes->more || pages > 100) return pages;
    }
  }

  // Uploads the outbox and acknowledges what the hub took.
  std::vector<db::UploadOutcome> Upload() {
    auto box = replica_->Outbox(100);
    EXPECT_TRUE(box.ok());
    auto out = db::RecordOffline(*hub_, *box, clock_);
    EXPECT_TRUE(out.ok()) << out.status().message();
    std::vector<std::string> took;
    for (const auto& o : *out) {
      if (o.kind != db::UploadOutcome::Kind::kRefused) took.push_back(o.uuid);
    }
    EXPECT_TRUE(replica_->Acknowledge(took).ok());
    return *out;
  }

  std::unique_ptr<db::LocalDesk> HubDesk() { return NewDesk(*hub_, clock_); }
  std::unique_ptr<db::LocalDesk> OfflineDesk() { return NewDesk(replica_->database(), clock_); }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<db::Database> hub_;
  std::unique_ptr<db::Replica> replica_;
};

TEST_F(ReplicaTest, PagesBringTheWholeRosterAndLogWithSearchTerms) {
  auto desk = HubDesk();
  auto admitted = desk->Redeem(At(kMaria, "north"));
  ASSERT_TRUE(admitted.ok());
  ASSERT_TRUE(desk->Redeem(At("NOPE-0000", "north")).ok());
  UndoRequest undo;
  undo.target = UndoRequest::Target::kCode;
  undo.code = kMaria;
  undo.station = "north";
  ASSERT_TRUE(desk->Undo(undo).ok());
  ASSERT_TRUE(desk->Redeem(At(kMaria, "south")).ok());

  EXPECT_GT(Pull(/*page=*/2), 2);  // several pages of two
  db::Database& r = replica_->database();
  EXPECT_EQ(QueryInt(r, "SELECT count(*) FROM attendees"),
            QueryInt(*hub_, "SELECT count(*) FROM attendees"));
  EXPECT_EQ(QueryInt(r, "SELECT count(*) FROM checkins"), 4);
  // The undo points at the row it undoes, by the replica's own ids.
  EXPECT_EQ(QueryInt(r,
                     "SELECT count(*) FROM checkins u JOIN checkins c ON c.id = u.undoes"
                     " WHERE u.kind = 'undo' AND c.station = 'north' AND c.kind = 'admitted'"),
            1);
  EXPECT_EQ(*replica_->OutboxSize(), 0);

  // The replica answers as the hub does: María is in, by the south door.
  auto offline = OfflineDesk();
  auto again = offline->Redeem(At(kMaria, "west"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->verdict, Verdict::kAlreadyCheckedIn);
  ASSERT_TRUE(again->previous.has_value());
  EXPECT_EQ(again->previous->station, "south");
  auto hits = offline->Search("maria", 5);
  ASSERT_TRUE(hits.ok());
  EXPECT_FALSE(hits->empty());
}

TEST_F(ReplicaTest, ANewPullBringsOnlyWhatChanged) {
  Pull();
  auto cursor = replica_->Cursor();
  auto nothing = db::ChangesSince(*hub_, *cursor, 1000);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->attendees.empty());
  EXPECT_TRUE(nothing->checkins.empty());

  ImportFixture(*hub_, "spaces.csv", clock_);  // adds and cancels tickets
  auto some = db::ChangesSince(*hub_, *cursor, 1000);
  ASSERT_TRUE(some.ok());
  EXPECT_GT(some->attendees.size(), 0u);
  EXPECT_LT(some->attendees.size(),
            static_cast<size_t>(QueryInt(*hub_, "SELECT count(*) FROM attendees")));
  Pull();
  EXPECT_EQ(QueryInt(replica_->database(), "SELECT count(*) FROM attendees"),
            QueryInt(*hub_, "SELECT count(*) FROM attendees"));
  EXPECT_EQ(
      QueryInt(replica_->database(), "SELECT count(*) FROM attendees WHERE status <> 'valid'"),
      QueryInt(*hub_, "SELECT count(*) FROM attendees WHERE status <> 'valid'"));
}

TEST_F(ReplicaTest, ABigImportWrittenAheadArrivesWhole) {
  Pull();
  const std::string csv = dir_.File("big.csv");
  {
    std::ofstream f(csv);
    f << "ticket_code,first_name,last_name,status,ticket_id\n";
    for (int i = 0; i < 2500; ++i) f << "BIG" << i << ",Zenaida,Rojas,valid,B" << i << "\n";
  }
  ImportFile(*hub_, csv, clock_);
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(DISTINCT rev) FROM attendees WHERE ticket_id LIKE 'B%'"),
            1);
  Pull(/*page=*/700);
  EXPECT_EQ(QueryInt(replica_->database(), "SELECT count(*) FROM attendees"),
            QueryInt(*hub_, "SELECT count(*) FROM attendees"));
  auto hits = OfflineDesk()->Search("zenaida", 5);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 5u);
}

TEST_F(ReplicaTest, TheCursorNeverPassesRowsAnImportIsStillWriting) {
  Pull();
  // An import writing ahead: its run, and a row under it with the run's
  // revision; then a later write that takes the next revision.
  db::Database& h = *hub_;
  const int64_t rev = QueryInt(h, "SELECT max(rev) + 1 FROM attendees");
  ASSERT_EQ(QueryInt(h,
                     "INSERT INTO import_runs (source, started_at, alive_at, rev) VALUES"
                     " ('generic', 'x', 'x', " +
                         std::to_string(rev) + ") RETURNING id"),
            1);
  QueryInt(h,
           "INSERT INTO attendees (source, ticket_id, ticket_code, badge_code, first_name,"
           " last_name, status, created_at, updated_at, import_run, rev) VALUES ('generic',"
           " 'early-1', 'EARLY-1', 'B-EARLY-1', 'Ana', 'Early', 'valid', 'x', 'x', 1, " +
               std::to_string(rev) + ") RETURNING id");
  QueryInt(h, "UPDATE attendees SET first_name = 'Later', rev = " + std::to_string(rev + 1) +
                  " WHERE ticket_code = '" + kAndres + "' RETURNING id");

  Pull();
  EXPECT_EQ(QueryInt(replica_->database(),
                     "SELECT count(*) FROM attendees WHERE"
                     " first_name = 'Later'"),
            1);  // the later write came at once...
  EXPECT_EQ(QueryInt(replica_->database(),
                     "SELECT count(*) FROM attendees WHERE"
                     " ticket_code = 'EARLY-1'"),
            0);  // ...the run's row did not exist yet
  QueryInt(h, "DELETE FROM import_runs WHERE id = 1 RETURNING id");  // the run ends
  Pull();
  EXPECT_EQ(QueryInt(replica_->database(),
                     "SELECT count(*) FROM attendees WHERE"
                     " ticket_code = 'EARLY-1'"),
            1);
}

TEST_F(ReplicaTest, CheckinsDecidedAloneReachTheHubExactlyOnce) {
  Pull();
  auto offline = OfflineDesk();
  auto d = offline->Redeem(At(kMaria, "west"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  ASSERT_TRUE(offline->Redeem(At("NOPE-0000", "west")).ok());
  EXPECT_EQ(*replica_->OutboxSize(), 2);

  // The first upload is lost on the way back (not acknowledged): sent again,
  // the hub records nothing twice.
  auto box = replica_->Outbox(100);
  ASSERT_TRUE(box.ok());
  auto first = db::RecordOffline(*hub_, *box, clock_);
  ASSERT_TRUE(first.ok());
  for (const auto& o : *first) EXPECT_EQ(o.kind, db::UploadOutcome::Kind::kRecorded);
  const auto second = Upload();
  for (const auto& o : second) EXPECT_EQ(o.kind, db::UploadOutcome::Kind::kAlready);
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(*) FROM checkins WHERE offline = 1"), 2);
  EXPECT_EQ(*replica_->OutboxSize(), 0);

  // The hub now answers for María as the replica did.
  auto online = HubDesk()->Redeem(At(kMaria, "north"));
  ASSERT_TRUE(online.ok());
  EXPECT_EQ(online->verdict, Verdict::kAlreadyCheckedIn);
  // Pulled back, the replica's own rows are not doubled nor queued again.
  Pull();
  EXPECT_EQ(QueryInt(replica_->database(), "SELECT count(*) FROM checkins"), 3);
  EXPECT_EQ(*replica_->OutboxSize(), 0);
}

TEST_F(ReplicaTest, OneTicketAdmittedOnBothSidesOfACutIsOneConflict) {
  Pull();
  ASSERT_EQ(HubDesk()->Redeem(At(kMaria, "north"))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(42));
  ASSERT_EQ(OfflineDesk()->Redeem(At(kMaria, "west"))->verdict, Verdict::kAdmitted);
  const auto out = Upload();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, db::UploadOutcome::Kind::kRecorded);
  EXPECT_TRUE(out[0].conflict);

  auto conflicts = db::ListConflicts(*hub_);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 1u);
  const db::Conflict& c = (*conflicts)[0];
  EXPECT_EQ(c.attendee.ticket_code, kMaria);
  EXPECT_EQ(c.first.station, "north");
  EXPECT_FALSE(c.first.offline);
  EXPECT_EQ(c.second.station, "west");
  EXPECT_TRUE(c.second.offline);
  EXPECT_EQ(c.gap_ms, 42'000);
  // Both check-ins stay in the log.
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(*) FROM checkins WHERE kind = 'admitted'"), 2);
  // Uploading again finds nothing new.
  Upload();
  EXPECT_EQ(*db::CountConflicts(*hub_), 1);
}

TEST_F(ReplicaTest, AnEarlierOfflineScanIsTheAdmissionAndAnExitBetweenIsNoConflict) {
  Pull();
  // West admits Andrés offline first; north admits him online later.
  ASSERT_EQ(OfflineDesk()->Redeem(At(kAndres, "west"))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_EQ(HubDesk()->Redeem(At(kAndres, "north"))->verdict, Verdict::kAdmitted);
  Upload();
  auto conflicts = db::ListConflicts(*hub_);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ((*conflicts)[0].first.station, "west");
  EXPECT_EQ((*conflicts)[0].second.station, "north");

  // María goes out and in again at two doors cut off from each other: an
  // exit between her two entries is not a double admission.
  ASSERT_EQ(HubDesk()->Redeem(At(kMaria, "north"))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_EQ(HubDesk()->Redeem(At(kMaria, "north", Direction::kExit))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_EQ(OfflineDesk()->Redeem(At(kMaria, "west"))->verdict, Verdict::kAdmitted);
  Upload();
  EXPECT_EQ(*db::CountConflicts(*hub_), 1);
}

// Three doors admit María: east offline first, north online, west offline
// last; west uploads before east. Each admission after the first is one
// conflict, whatever order the uploads come in.
TEST_F(ReplicaTest, ThreeAdmissionsUploadedOutOfOrderAreTwoConflicts) {
  auto event = hub_->Event();
  ASSERT_TRUE(event.ok());
  auto east = db::Replica::Open(dir_.File("east.replica.db"), *event, clock_);
  ASSERT_TRUE(east.ok()) << east.status().message();
  auto feed = db::ChangesSince(*hub_, db::ChangeCursor{}, 1000);
  ASSERT_TRUE(feed.ok());
  ASSERT_TRUE((*east)->Apply(*feed).ok());
  Pull();

  ASSERT_EQ(NewDesk((*east)->database(), clock_)->Redeem(At(kMaria, "east"))->verdict,
            Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_EQ(HubDesk()->Redeem(At(kMaria, "north"))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_EQ(OfflineDesk()->Redeem(At(kMaria, "west"))->verdict, Verdict::kAdmitted);
  Upload();
  auto box = (*east)->Outbox(100);
  ASSERT_TRUE(box.ok());
  auto out = db::RecordOffline(*hub_, *box, clock_);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 1u);
  EXPECT_TRUE((*out)[0].conflict);

  auto conflicts = db::ListConflicts(*hub_);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 2u);
  std::set<std::string> seconds;
  for (const db::Conflict& c : *conflicts) {
    EXPECT_EQ(c.first.at < c.second.at, true) << c.first.station << " " << c.second.station;
    seconds.insert(c.second.station);
  }
  EXPECT_EQ(seconds, (std::set<std::string>{"north", "west"}));
  EXPECT_EQ((*conflicts)[1].first.station, "east");
}

TEST_F(ReplicaTest, ABadUploadIsRefusedAndChangesNothing) {
  Pull();
  db::LoggedCheckin bad;
  bad.uuid = "not-a-uuid";
  bad.kind = "admitted";
  bad.verdict = "admitted";
  bad.at = "2026-11-28T13:00:00.000Z";
  db::LoggedCheckin ghost = bad;
  ghost.uuid = "00000000-0000-4000-8000-000000000001";
  ghost.attendee_id = 999999;
  db::LoggedCheckin orphan_undo = ghost;
  orphan_undo.uuid = "00000000-0000-4000-8000-000000000002";
  orphan_undo.attendee_id = 0;
  orphan_undo.kind = "undo";
  orphan_undo.verdict = "";
  orphan_undo.undoes = "00000000-0000-4000-8000-000000000003";
  auto out = db::RecordOffline(*hub_, {bad, ghost, orphan_undo}, clock_);
  ASSERT_TRUE(out.ok());
  for (const auto& o : *out) {
    EXPECT_EQ(o.kind, db::UploadOutcome::Kind::kRefused) << o.uuid;
    EXPECT_FALSE(o.reason.empty());
  }
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(*) FROM checkins"), 0);
}

// pretix's rules reach the replica, so a station cut off from the hub checks
// signed tickets too: a genuine one sold after the last sync is admitted
// once by its code, then joins the hub's roster with the upload, and one
// admitted on both sides of the cut is a conflict like any other.
TEST_F(ReplicaTest, SignedTicketsAreCheckedOfflineAndJoinTheHubsRosterOnUpload) {
  ASSERT_GE(sodium_init(), 0);
  sig1::KeyPair key;
  db::RosterSnapshot snap;
  snap.format = db::RosterFormat::kPretix;
  snap.source = "pretix";
  snap.full_export = false;
  snap.rules.emplace();
  snap.rules->signing_keys = {key.Published()};
  snap.rules->items = {{1, "General Admission", true}};
  snap.rules->revoked_codes = {"OLD-SECRET-1"};
  ASSERT_TRUE(
      db::ApplyRoster(*hub_, snap, db::MissingPolicy::kReport, db::ImportMode::kApply, clock_)
          .ok());
  Pull();
  EXPECT_EQ(QueryInt(replica_->database(), "SELECT count(*) FROM signing_keys"), 1);
  const int attendees = static_cast<int>(QueryInt(*hub_, "SELECT count(*) FROM attendees"));

  const std::string late = sig1::Sign(sig1::Payload({.seed = "Late0001", .item = 1}), key);
  const std::string other = sig1::Sign(sig1::Payload({.seed = "Late0002", .item = 1}), key);
  auto offline = OfflineDesk();
  auto d = offline->Redeem(At(late, "west"));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->verdict, Verdict::kAdmitted);
  ASSERT_TRUE(d->attendee.has_value());
  EXPECT_EQ(d->attendee->upstream_status, kSignedNotSynced);
  EXPECT_EQ(offline->Redeem(At(late, "west"))->verdict, Verdict::kAlreadyCheckedIn);
  EXPECT_EQ(offline->Redeem(At("OLD-SECRET-1", "west"))->verdict, Verdict::kCancelled);
  EXPECT_EQ(QueryInt(replica_->database(), "SELECT count(*) FROM attendees"), attendees)
      << "a replica adds no attendee of its own";
  // Meanwhile the hub admits `other` online; the station admits it offline.
  ASSERT_EQ(HubDesk()->Redeem(At(other, "north"))->verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_EQ(offline->Redeem(At(other, "west"))->verdict, Verdict::kAdmitted);

  for (const auto& o : Upload()) EXPECT_NE(o.kind, db::UploadOutcome::Kind::kRefused) << o.reason;
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(*) FROM attendees"), attendees + 2);
  EXPECT_EQ(QueryInt(*hub_,
                     "SELECT count(*) FROM checkins WHERE offline = 1 AND kind = 'admitted'"
                     " AND attendee_id IS NULL"),
            0);
  EXPECT_EQ(QueryInt(*hub_, "SELECT count(*) FROM conflicts"), 1);
  auto again = HubDesk()->Redeem(At(late, "north"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->verdict, Verdict::kAlreadyCheckedIn);
  // Back in step, the station knows the ticket's holder as the hub does.
  Pull();
  auto after = offline->Redeem(At(late, "west"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->verdict, Verdict::kAlreadyCheckedIn);
  EXPECT_NE(after->attendee->id, 0);
}

TEST_F(ReplicaTest, AReplicaOfAnotherEventIsRefused) {
  EventInfo other;
  other.name = "Another event";
  auto r = db::Replica::Open(dir_.File("station.replica.db"), other, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("another event"), std::string::npos);
}

}  // namespace
}  // namespace checkin::testing
