#include "common/verdict.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

class DecideTest : public ::testing::Test {
 protected:
  DecideTest() {
    attendee_.first_name = "María José";
    attendee_.last_name = "Muñoz Peña";
    attendee_.ticket_type = "Speaker";
    gate_.name = "Principal";
    in_.attendee = &attendee_;
    in_.gate = &gate_;
    in_.local_date = "2026-11-28";
  }
  Attendee attendee_;
  Gate gate_;
  DecisionInput in_;
};

TEST_F(DecideTest, AdmitsValidTicketOnFirstEntry) {
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
}

TEST_F(DecideTest, UnknownWhenNoAttendee) {
  in_.attendee = nullptr;
  EXPECT_EQ(Decide(in_).verdict, Verdict::kUnknown);
}

TEST_F(DecideTest, CancelledAndRefundedAreRefusedWithTheReason) {
  attendee_.status = TicketStatus::kCancelled;
  EXPECT_EQ(Decide(in_).verdict, Verdict::kCancelled);
  EXPECT_EQ(Decide(in_).reason, "cancelled");
  attendee_.status = TicketStatus::kRefunded;
  EXPECT_EQ(Decide(in_).reason, "refunded");
}

TEST_F(DecideTest, AlreadyInsideIsAlreadyCheckedIn) {
  in_.last = PreviousCheckin{"2026-11-28T13:00:00.000Z", "Norte", "A", Direction::kEntry};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAlreadyCheckedIn);
}

TEST_F(DecideTest, ReentryAfterExitIsAdmitted) {
  in_.last = PreviousCheckin{"2026-11-28T13:00:00.000Z", "Norte", "A", Direction::kExit};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
}

TEST_F(DecideTest, GateRestrictsTicketTypesIgnoringCaseAndAccents) {
  gate_.ticket_types = {"SPEAKER", "Organizador"};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
  attendee_.ticket_type = "General";
  const Ruling r = Decide(in_);
  EXPECT_EQ(r.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(r.reason, "ticket_type_not_allowed");
}

TEST_F(DecideTest, GateRestrictsDays) {
  gate_.days = {"2026-11-29"};
  const Ruling r = Decide(in_);
  EXPECT_EQ(r.verdict, Verdict::kNotAllowed);
  EXPECT_EQ(r.reason, "wrong_day");
  in_.local_date = "2026-11-29";
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
}

TEST_F(DecideTest, ExitNeedsAnEntry) {
  in_.direction = Direction::kExit;
  EXPECT_EQ(Decide(in_).reason, "not_inside");
  in_.last = PreviousCheckin{"2026-11-28T13:00:00.000Z", "Norte", "A", Direction::kEntry};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
}

TEST_F(DecideTest, ThePlatformsBlockRefusesEntryButNotExit) {
  attendee_.blocked = "admin";
  EXPECT_EQ(Decide(in_).verdict, Verdict::kNotAllowed);
  EXPECT_EQ(Decide(in_).reason, "blocked");
  in_.direction = Direction::kExit;
  in_.last = PreviousCheckin{"2026-11-28T13:00:00.000Z", "Norte", "A", Direction::kEntry};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted) << "someone inside may always leave";
}

TEST_F(DecideTest, TheTicketsValidityWindowIsCheckedToTheMillisecond) {
  attendee_.valid_from = "2026-11-28T13:00:00.000Z";
  attendee_.valid_until = "2026-11-28T23:00:00.000Z";
  in_.now_utc = "2026-11-28T12:59:59.999Z";
  EXPECT_EQ(Decide(in_).reason, "not_yet_valid");
  in_.now_utc = "2026-11-28T13:00:00.000Z";
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
  in_.now_utc = "2026-11-28T23:00:00.000Z";
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAdmitted);
  in_.now_utc = "2026-11-28T23:00:00.001Z";
  EXPECT_EQ(Decide(in_).verdict, Verdict::kNotAllowed);
  EXPECT_EQ(Decide(in_).reason, "no_longer_valid");
  in_.last = PreviousCheckin{"2026-11-28T13:00:00.000Z", "Norte", "A", Direction::kEntry};
  EXPECT_EQ(Decide(in_).verdict, Verdict::kAlreadyCheckedIn) << "inside is the better answer";
}

TEST(VerdictNamesTest, RoundTrip) {
  for (Verdict v : {Verdict::kAdmitted, Verdict::kAlreadyCheckedIn, Verdict::kUnknown,
                    Verdict::kCancelled, Verdict::kNotAllowed, Verdict::kInvalid}) {
    EXPECT_EQ(ParseVerdict(VerdictName(v)), v) << VerdictName(v);
  }
  EXPECT_EQ(VerdictName(Verdict::kAlreadyCheckedIn), "already_checked_in");
}

}  // namespace
}  // namespace checkin
