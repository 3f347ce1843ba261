#include "common/messages.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

Decision WithAttendee(Verdict v) {
  Decision d;
  d.verdict = v;
  d.at = "2026-11-28T14:10:00.000Z";
  d.gate = "Norte";
  Attendee a;
  a.first_name = "María José";
  a.last_name = "Muñoz Peña";
  a.ticket_type = "Speaker";
  d.attendee = a;
  return d;
}

TEST(MessagesTest, AdmittedNamesTheAttendeeInSpanishByDefault) {
  const std::string m =
      VolunteerMessage(WithAttendee(Verdict::kAdmitted), Language::kSpanish, "America/Bogota");
  EXPECT_NE(m.find("María José Muñoz Peña"), std::string::npos) << m;
  EXPECT_NE(m.find("Puede pasar"), std::string::npos) << m;
}

TEST(MessagesTest, AlreadyCheckedInSaysWhenAndWhereInLocalTime) {
  Decision d = WithAttendee(Verdict::kAlreadyCheckedIn);
  d.previous = PreviousCheckin{"2026-11-28T13:12:00.000Z", "Norte", "mesa-2", Direction::kEntry};
  const std::string es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
  EXPECT_NE(es.find("08:12"), std::string::npos) << es;
  EXPECT_NE(es.find("Norte"), std::string::npos) << es;
  EXPECT_NE(es.find("mesa-2"), std::string::npos) << es;
  EXPECT_EQ(es.find("el 28/11"), std::string::npos) << "same day needs no date: " << es;
  const std::string en = VolunteerMessage(d, Language::kEnglish, "America/Bogota");
  EXPECT_NE(en.find("already checked in at 08:12 through Norte"), std::string::npos) << en;
}

TEST(MessagesTest, EarlierDayIncludesTheDate) {
  Decision d = WithAttendee(Verdict::kAlreadyCheckedIn);
  d.at = "2026-11-29T14:00:00.000Z";
  d.previous = PreviousCheckin{"2026-11-28T13:12:00.000Z", "Norte", "", Direction::kEntry};
  const std::string es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
  EXPECT_NE(es.find("el 28/11 a las 08:12"), std::string::npos) << es;
}

TEST(MessagesTest, EveryDenialSaysWhatToDoNext) {
  for (Verdict v :
       {Verdict::kUnknown, Verdict::kCancelled, Verdict::kNotAllowed, Verdict::kInvalid}) {
    Decision d = WithAttendee(v);
    if (v == Verdict::kUnknown || v == Verdict::kInvalid) d.attendee.reset();
    d.reason = v == Verdict::kCancelled ? "refunded" : "";
    const std::string es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
    const std::string en = VolunteerMessage(d, Language::kEnglish, "America/Bogota");
    EXPECT_TRUE(es.find("mesa de ayuda") != std::string::npos ||
                es.find("Pedir") != std::string::npos)
        << VerdictName(v) << ": " << es;
    EXPECT_TRUE(en.find("help desk") != std::string::npos || en.find("Ask") != std::string::npos)
        << VerdictName(v) << ": " << en;
  }
}

}  // namespace
}  // namespace checkin
