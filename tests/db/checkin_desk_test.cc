#include "db/checkin_desk.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::TempDir;

// generic_basic.csv: María José Muñoz Peña (Speaker), Andrés Felipe Gómez Ríos (Organizador)...
constexpr const char* kMaria = "KCD26-2IBYYURL7B";
constexpr const char* kAndres = "KCD26-6KJ6HBIJLV";

class CheckinDeskTest : public ::testing::Test {
 protected:
  CheckinDeskTest() : db_(checkin::testing::NewEventDatabase(dir_.File("e.db"), clock_)) {
    checkin::testing::ImportFixture(*db_, "generic_basic.csv", clock_);
    checkin::testing::ImportFixture(*db_, "spaces.csv", clock_);      // has a cancelled ticket
    checkin::testing::ImportFixture(*db_, "eventbrite.csv", clock_);  // has a refunded ticket
    UseConfig(DefaultConfig());
  }

  void UseConfig(Config c) {
    auto d = CheckinDesk::Create(*db_, clock_, std::move(c));
    ASSERT_TRUE(d.ok()) << d.status().message();
    desk_ = std::move(d).value();
  }

  Decision Redeem(std::string_view payload, const std::string& gate = "Principal",
                  Direction dir = Direction::kEntry, const std::string& station = "mesa-1") {
    RedeemRequest req{std::string(payload), gate, station, dir, ScanSource::kCamera};
    auto d = desk_->Redeem(req);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : Decision{};
  }

  Result<UndoResult> UndoLast(const std::string& station) {
    return desk_->Undo({UndoRequest::Target::kLastAtStation, "", 0, station});
  }
  Result<UndoResult> UndoCode(const std::string& code, const std::string& station) {
    return desk_->Undo({UndoRequest::Target::kCode, code, 0, station});
  }

  int64_t Count(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &st, nullptr);
    sqlite3_step(st);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CheckinDesk> desk_;
};

TEST_F(CheckinDeskTest, AdmitsOnceThenSaysWhenWhereAndWhichStation) {
  Decision first = Redeem(kMaria);
  EXPECT_EQ(first.verdict, Verdict::kAdmitted);
  ASSERT_TRUE(first.attendee.has_value());
  EXPECT_EQ(first.attendee->FullName(), "María José Muñoz Peña");
  EXPECT_FALSE(first.checkin_uuid.empty());

  clock_.Advance(std::chrono::minutes(7));
  Decision again = Redeem(kMaria, "Principal", Direction::kEntry, "mesa-2");
  EXPECT_EQ(again.verdict, Verdict::kAlreadyCheckedIn);
  ASSERT_TRUE(again.previous.has_value());
  EXPECT_EQ(again.previous->at, "2026-11-28T13:00:00.000Z");
  EXPECT_EQ(again.previous->gate, "Principal");
  EXPECT_EQ(again.previous->station, "mesa-1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'admitted'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE verdict = 'already_checked_in'"), 1);
}

TEST_F(CheckinDeskTest, UnknownCodeIsLoggedWithoutAttendee) {
  Decision d = Redeem("KCD26-NOPE");
  EXPECT_EQ(d.verdict, Verdict::kUnknown);
  EXPECT_FALSE(d.attendee.has_value());
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM checkins WHERE verdict = 'unknown' AND attendee_id IS NULL"), 1);
}

TEST_F(CheckinDeskTest, CancelledAndRefundedCarryTheUpstreamStatus) {
  Decision cancelled = Redeem("KCD26-PCKW2QUFR6");  // spaces.csv row 2: cancelled
  EXPECT_EQ(cancelled.verdict, Verdict::kCancelled);
  ASSERT_TRUE(cancelled.attendee.has_value());
  EXPECT_EQ(cancelled.attendee->first_name, "María Camila");

  int refunded = 0;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_->handle(), "SELECT ticket_code FROM attendees WHERE status = 'refunded'",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::string code = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    Decision d = Redeem(code);
    EXPECT_EQ(d.verdict, Verdict::kCancelled) << code;
    EXPECT_EQ(d.reason, "refunded") << code;
    EXPECT_EQ(d.attendee->upstream_status, "Refunded") << code;
    ++refunded;
  }
  sqlite3_finalize(st);
  EXPECT_EQ(refunded, 1);
}

TEST_F(CheckinDeskTest, BadPayloadsAreInvalidAndNeverCrash) {
  const std::string payloads[] = {
      std::string(4096, 'Q'),
      "Mar\xED"
      "a",
      std::string("A\0B", 3),
      "",
      "   ",
      "KCD\x1b[2J",
  };
  for (const auto& p : payloads) {
    Decision d = Redeem(p);
    EXPECT_EQ(d.verdict, Verdict::kInvalid) << d.code;
    EXPECT_LE(d.code.size(), 90u);
  }
  EXPECT_EQ(Redeem("'; DROP TABLE attendees; --").verdict, Verdict::kUnknown);
  EXPECT_EQ(Redeem("%s%s%n%x").verdict, Verdict::kUnknown);
  EXPECT_GT(Count("SELECT COUNT(*) FROM attendees"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE verdict = 'invalid'"), 6);
}

TEST_F(CheckinDeskTest, CodesAreTrimmedAndMatchedExactly) {
  EXPECT_EQ(Redeem(std::string("  ") + kMaria + "\r\n").verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem("kcd26-6kj6hbijlv").verdict, Verdict::kUnknown) << "exact, not case-folded";
}

TEST_F(CheckinDeskTest, BadgeCodeCountsLikeTheTicket) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db_->handle(), "SELECT badge_code FROM attendees WHERE ticket_code = ?1", -1,
                     &st, nullptr);
  sqlite3_bind_text(st, 1, kAndres, -1, SQLITE_STATIC);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const std::string badge = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  EXPECT_EQ(Redeem(badge).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kAndres).verdict, Verdict::kAlreadyCheckedIn);
}

TEST_F(CheckinDeskTest, GateRulesGiveNotAllowed) {
  auto c = ParseConfig(R"(
[[gate]]
name = "Principal"
[[gate]]
name = "Speakers"
ticket_types = ["Speaker"]
[[gate]]
name = "Domingo"
days = ["2026-11-29"]
)",
                       "t.toml");
  ASSERT_TRUE(c.ok());
  UseConfig(*c);
  Decision wrong_type = Redeem(kAndres, "Speakers");
  EXPECT_EQ(wrong_type.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(wrong_type.reason, "ticket_type_not_allowed");
  Decision wrong_day = Redeem(kAndres, "Domingo");
  EXPECT_EQ(wrong_day.reason, "wrong_day");
  EXPECT_EQ(Redeem(kMaria, "Speakers").verdict, Verdict::kAdmitted);
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Redeem(kAndres, "Domingo").verdict, Verdict::kAdmitted);
}

TEST_F(CheckinDeskTest, UnknownGateIsAnErrorAndWritesNothing) {
  RedeemRequest req{kMaria, "Puerta 9", "mesa-1", Direction::kEntry, ScanSource::kManual};
  auto d = desk_->Redeem(req);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("Principal"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins"), 0);
}

// Issue 10: a station that did not hear the answer sends the scan again
// with the same nonce; the hub passes it straight through to the desk.
TEST_F(CheckinDeskTest, RetryWithTheSameNonceWritesNoRow) {
  RedeemRequest req{kMaria, "Principal", "mesa-1", Direction::kEntry, ScanSource::kCamera};
  req.nonce = "3F2A8C1E-5B7D-4E9A-8C6F-0D1E2F3A4B5C";
  auto first = desk_->Redeem(req);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->verdict, Verdict::kAdmitted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins"
                  " WHERE uuid = '3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c'"),
            1)
      << "stored in lowercase, whatever case it came in";

  // Meanwhile the organizer fixed her name; the gate is typed another way.
  ASSERT_EQ(sqlite3_exec(db_->handle(),
                         "UPDATE attendees SET first_name = 'Majo'"
                         " WHERE ticket_code = 'KCD26-2IBYYURL7B'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  clock_.Advance(std::chrono::seconds(30));
  req.gate = "principal";
  req.source = ScanSource::kKeyboard;  // how it was read is not what it was
  auto retry = desk_->Redeem(req);
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  EXPECT_EQ(retry->verdict, Verdict::kAdmitted);
  EXPECT_EQ(retry->at, first->at);
  EXPECT_EQ(retry->gate, "Principal");
  EXPECT_EQ(retry->checkin_uuid, "3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c");
  ASSERT_TRUE(retry->attendee.has_value());
  EXPECT_EQ(retry->attendee->first_name, "Majo") << "the attendee as they are now";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins"), 1);

  req.payload = kAndres;
  auto other = desk_->Redeem(req);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kConflict);
  EXPECT_EQ(other.status().message(),
            "nonce 3f2a8c1e-5b7d-4e9a-8c6f-0d1e2f3a4b5c was already used for a scan with another"
            " code; a new scan needs a new nonce");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins"), 1);
}

TEST_F(CheckinDeskTest, ExitAndReentry) {
  EXPECT_EQ(Redeem(kMaria, "Principal", Direction::kExit).reason, "not_inside");
  EXPECT_EQ(Redeem(kMaria).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kMaria, "Principal", Direction::kExit).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kMaria).verdict, Verdict::kAdmitted) << "re-entry after an exit";
  EXPECT_EQ(Redeem(kMaria).verdict, Verdict::kAlreadyCheckedIn);
}

TEST_F(CheckinDeskTest, UndoLastAtStationLetsTheCodeInAgain) {
  ASSERT_EQ(Redeem(kAndres, "Principal", Direction::kEntry, "mesa-1").verdict, Verdict::kAdmitted);
  ASSERT_EQ(Redeem(kMaria, "Principal", Direction::kEntry, "mesa-1").verdict, Verdict::kAdmitted);
  auto undo = UndoLast("mesa-1");
  ASSERT_TRUE(undo.ok()) << undo.status().message();
  EXPECT_EQ(undo->attendee.FullName(), "María José Muñoz Peña");
  EXPECT_EQ(Redeem(kMaria).verdict, Verdict::kAdmitted);
  EXPECT_EQ(Redeem(kAndres).verdict, Verdict::kAlreadyCheckedIn);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'undo'"), 1);
}

TEST_F(CheckinDeskTest, UndoByCodeAndNothingToUndo) {
  EXPECT_EQ(UndoLast("mesa-9").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(UndoCode(kMaria, "mesa-1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(UndoCode("NOPE", "mesa-1").status().code(), StatusCode::kNotFound);
  ASSERT_EQ(Redeem(kMaria).verdict, Verdict::kAdmitted);
  ASSERT_TRUE(UndoCode(kMaria, "mesa-3").ok());
  EXPECT_EQ(UndoCode(kMaria, "mesa-3").status().code(), StatusCode::kNotFound)
      << "an undone check-in cannot be undone twice";
}

// An unset shell variable (`undo --code "$CODE"`) or id 0 must never fall back
// to the station's last check-in: that would take back someone else's.
TEST_F(CheckinDeskTest, EmptyCodeOrIdZeroUndoesNothing) {
  ASSERT_EQ(Redeem(kMaria, "Principal", Direction::kEntry, "mesa-1").verdict, Verdict::kAdmitted);
  EXPECT_EQ(UndoCode("", "mesa-1").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(desk_->Undo({UndoRequest::Target::kAttendee, "", 0, "mesa-1"}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(desk_->Undo({UndoRequest::Target::kAttendee, "", -7, "mesa-1"}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM checkins WHERE kind = 'undo'"), 0);
  EXPECT_EQ(Redeem(kMaria).verdict, Verdict::kAlreadyCheckedIn);
}

}  // namespace
}  // namespace checkin::db
