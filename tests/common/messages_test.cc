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

// Names, gates and stations come from imports and configs; every message
// reaches a screen, so none may carry a control a terminal would obey.
TEST(MessagesTest, OutsideTextCannotSteerTheTerminal) {
  const std::string hostile =
      "Ana\x1b]0;pwned\x07\x1b[2J\xC2\x9B"
      "31m\xE2\x80\xAE";
  for (Verdict v : {Verdict::kAdmitted, Verdict::kAlreadyCheckedIn, Verdict::kCancelled,
                    Verdict::kNotAllowed}) {
    Decision d = WithAttendee(v);
    d.attendee->first_name = hostile;
    d.attendee->ticket_type = hostile;
    d.attendee->upstream_status = hostile;
    d.gate = hostile;
    d.previous = PreviousCheckin{"2026-11-28T13:12:00.000Z", hostile, hostile, Direction::kEntry};
    for (Language lang : {Language::kSpanish, Language::kEnglish}) {
      const std::string m = VolunteerMessage(d, lang, "America/Bogota");
      EXPECT_EQ(m.find('\x1b'), std::string::npos) << m;
      EXPECT_EQ(m.find('\x07'), std::string::npos) << m;
      EXPECT_EQ(m.find("\xC2\x9B"), std::string::npos) << m;
      EXPECT_EQ(m.find("\xE2\x80\xAE"), std::string::npos) << m;
      EXPECT_NE(m.find("Ana\\x1B]0;pwned"), std::string::npos) << "shown, not hidden: " << m;
    }
  }
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

TEST(MessagesTest, ThePlatformsRefusalsSayWhyAndWhenInLocalTime) {
  Decision d = WithAttendee(Verdict::kNotAllowed);
  d.reason = "blocked";
  d.attendee->blocked = "admin";
  std::string es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
  EXPECT_NE(es.find("María José Muñoz Peña (Speaker) está bloqueada en la plataforma de registro "
                    "(admin)"),
            std::string::npos)
      << es;
  d.reason = "not_yet_valid";
  d.attendee->valid_from = "2026-11-29T13:00:00.000Z";
  es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
  EXPECT_NE(es.find("empieza a valer el 29/11 a las 08:00"), std::string::npos) << es;
  const std::string en = VolunteerMessage(d, Language::kEnglish, "America/Bogota");
  EXPECT_NE(en.find("becomes valid on 29/11 at 08:00"), std::string::npos) << en;
  d.reason = "no_longer_valid";
  d.attendee->valid_until = "2026-11-28T13:30:00.000Z";
  es = VolunteerMessage(d, Language::kSpanish, "America/Bogota");
  EXPECT_NE(es.find("dejó de valer a las 08:30"), std::string::npos) << es;
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
