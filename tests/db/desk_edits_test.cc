// The help desk's roster edits on a real event file: a walk-in becomes a
// searchable valid ticket, a corrected name is what search and the change
// feed show, bad input changes nothing, and the history lists every scan.
#include "db/desk_edits.h"

#include <gtest/gtest.h>

#include "db/roster.h"
#include "tests/fakes/test_db.h"

namespace checkin::db {
namespace {

using checkin::testing::FakeClock;
using checkin::testing::QueryInt;
using checkin::testing::TempDir;

class DeskEditsTest : public ::testing::Test {
 protected:
  DeskEditsTest() : db_(checkin::testing::NewEventDatabase(dir_.File("ev.db"), clock_)) {
    EXPECT_EQ(checkin::testing::ImportSampleRoster(*db_, clock_), 200);
  }
  int64_t Attendees() { return QueryInt(*db_, "SELECT count(*) FROM attendees"); }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
};

TEST_F(DeskEditsTest, AWalkInIsAValidTicketFoundWithoutAccents) {
  auto a = RegisterWalkIn(
      *db_, {"  Ñandú ", "Pérez Ríos", "nandu@example.org", "Sin empresa", "General"}, clock_);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->first_name, "Ñandú");
  EXPECT_EQ(a->source, kWalkInSource);
  EXPECT_EQ(a->status, TicketStatus::kValid);
  EXPECT_EQ(a->ticket_code.rfind("WALKIN-", 0), 0U);
  auto hits = SearchAttendees(*db_, "nandu perez", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1U);
  EXPECT_EQ((*hits)[0].attendee.id, a->id);
  // A second walk-in of the same name is another person, not an update.
  auto twin = RegisterWalkIn(*db_, {"Ñandú", "Pérez Ríos", "", "", ""}, clock_);
  ASSERT_TRUE(twin.ok());
  EXPECT_NE(twin->id, a->id);
  EXPECT_NE(twin->ticket_code, a->ticket_code);
}

TEST_F(DeskEditsTest, BadWalkInsAndNamesChangeNothing) {
  const int64_t before = Attendees();
  const std::string long_text(kMaxDeskFieldBytes + 1, 'x');
  const std::vector<WalkIn> bad = {{"", "", "", "", ""},
                                   {"Ana", "", "no-at-sign", "", ""},
                                   {"Ana\x1b[31m", "", "", "", ""},
                                   {"Ana", "", "", long_text, ""},
                                   {"\xff\xfe", "", "", "", ""}};
  for (const WalkIn& w : bad) {
    auto r = RegisterWalkIn(*db_, w, clock_);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << w.first_name << w.email;
  }
  EXPECT_EQ(Attendees(), before);
  EXPECT_EQ(CorrectName(*db_, 1, "", " ", clock_).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(CorrectName(*db_, 99999, "Ana", "", clock_).status().code(), StatusCode::kNotFound);
  auto one = FindAttendeeById(*db_, 1);
  ASSERT_TRUE(one.ok() && *one);
  EXPECT_EQ((*one)->first_name, "Zoë");
}

TEST_F(DeskEditsTest, ACorrectedNameIsWhatSearchShowsAndTheRestOfTheTicketStays) {
  auto before = FindAttendeeById(*db_, 1);
  ASSERT_TRUE(before.ok() && *before);
  auto fixed = CorrectName(*db_, 1, "Zoé", "Whitfield-Ortiz", clock_);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(fixed->first_name, "Zoé");
  EXPECT_EQ(fixed->last_name, "Whitfield-Ortiz");
  EXPECT_EQ(fixed->ticket_code, (*before)->ticket_code);
  EXPECT_EQ(fixed->badge_code, (*before)->badge_code);
  EXPECT_EQ(fixed->email, (*before)->email);
  auto hits = SearchAttendees(*db_, "whitfield ortiz", 5);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1U);
  EXPECT_EQ((*hits)[0].attendee.id, 1);
}

TEST_F(DeskEditsTest, HistoryListsAdmissionsDenialsAndUndosNewestFirst) {
  auto desk = checkin::testing::NewDesk(*db_, clock_);
  RedeemRequest r;
  r.payload = "KCD26-RIDGUZXCWR";
  r.gate = "Principal";
  r.station = "norte-1";
  ASSERT_TRUE(desk->Redeem(r).ok());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(desk->Redeem(r).ok());  // already in: a denial
  UndoRequest u;
  u.target = UndoRequest::Target::kCode;
  u.code = r.payload;
  u.station = "ayuda";
  u.reason = std::string(kMaxUndoReasonBytes + 1, 'x');
  EXPECT_EQ(desk->Undo(u).status().code(), StatusCode::kInvalidInput);
  u.reason = "escaneó la entrada de su amiga";
  ASSERT_TRUE(desk->Undo(u).ok());
  auto rows = AttendeeHistory(*db_, 1, 10);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3U);
  EXPECT_EQ((*rows)[0].kind, "undo");
  EXPECT_EQ((*rows)[0].station, "ayuda");
  EXPECT_EQ((*rows)[0].reason, "escaneó la entrada de su amiga");
  EXPECT_EQ((*rows)[1].kind, "denied");
  EXPECT_EQ((*rows)[1].verdict, "already_checked_in");
  EXPECT_EQ((*rows)[2].kind, "admitted");
  EXPECT_TRUE(AttendeeHistory(*db_, 2, 10)->empty());
}

}  // namespace
}  // namespace checkin::db
