#include "common/json_codec.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

Attendee Maria() {
  Attendee a;
  a.id = 7;
  a.ticket_code = "KCD26-2IBYYURL7B";
  a.first_name = "María José";
  a.last_name = "Muñoz Peña";
  a.email = "maria.munoz@example.co";
  a.company = "Nubecita SAS";
  a.ticket_type = "Speaker";
  return a;
}

TEST(JsonCodecTest, DecisionHasOneShapeAndReadsBack) {
  Decision d;
  d.verdict = Verdict::kAlreadyCheckedIn;
  d.code = "KCD26-2IBYYURL7B";
  d.reason = "already_in";
  d.attendee = Maria();
  d.previous = PreviousCheckin{"2026-11-28T13:05:22.123Z", "Norte", "puerta-1", Direction::kEntry};
  d.at = "2026-11-28T13:09:00.000Z";
  d.gate = "Principal";
  d.station = "puerta-2";
  d.checkin_uuid = "3f1c";
  const std::string json = DecisionJson(d, "Ya ingresó").Dump();
  EXPECT_EQ(json,
            "{\"at\":\"2026-11-28T13:09:00.000Z\",\"attendee\":{\"company\":\"Nubecita SAS\","
            "\"email\":\"m***@example.co\",\"first_name\":\"María "
            "José\",\"id\":7,\"last_name\":\"Muñoz Peña\","
            "\"status\":\"valid\",\"ticket_type\":\"Speaker\",\"upstream_status\":\"\"},\"checkin_"
            "id\":\"3f1c\","
            "\"code\":\"KCD26-2IBYYURL7B\",\"direction\":\"entry\",\"gate\":\"Principal\","
            "\"message\":\"Ya ingresó\",\"offline\":false,"
            "\"previous\":{\"at\":\"2026-11-28T13:05:22.123Z\",\"direction\":\"entry\",\"gate\":"
            "\"Norte\","
            "\"station\":\"puerta-1\"},\"reason\":\"already_in\",\"station\":\"puerta-2\","
            "\"verdict\":\"already_checked_in\"}");
  auto back = ParseDecisionJson(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->verdict, d.verdict);
  EXPECT_EQ(back->code, d.code);
  ASSERT_TRUE(back->attendee.has_value());
  EXPECT_EQ(back->attendee->FullName(), "María José Muñoz Peña");
  EXPECT_EQ(back->attendee->email, "m***@example.co") << "the full address never leaves";
  ASSERT_TRUE(back->previous.has_value());
  EXPECT_EQ(back->previous->station, "puerta-1");
  EXPECT_EQ(back->checkin_uuid, "3f1c");
}

TEST(JsonCodecTest, CallersAddTheirOwnMembersToTheSameObject) {
  Decision d;
  d.verdict = Verdict::kUnknown;
  d.code = "X";
  JsonObject j = DecisionJson(d, "No está en la lista");
  j.SetInt("frame", 12).SetDouble("latency_ms", 9.5).SetNull("previous");
  const std::string s = j.Dump();
  EXPECT_NE(s.find("\"frame\":12"), std::string::npos) << s;
  EXPECT_NE(s.find("\"latency_ms\":9.5"), std::string::npos) << s;
  EXPECT_NE(s.find("\"attendee\":null"), std::string::npos) << s;
  EXPECT_TRUE(ParseDecisionJson(s).ok());
}

TEST(JsonCodecTest, BytesThatAreNotUtf8AreReplacedNotThrown) {
  Attendee a = Maria();
  a.first_name =
      "Mar\xED"
      "a";  // one Latin-1 byte from a badly saved export
  const std::string s = AttendeeJson(a).Dump();
  EXPECT_NE(s.find("Mar\xEF\xBF\xBD"), std::string::npos) << s;
  // nlohmann escapes C0 itself; DEL, C1 and bidi overrides are escaped too,
  // so `--json` piped to a terminal cannot steer it, and still read back.
  a.first_name =
      "A\x1b[2J\x7f\xC2\x9B"
      "31m\xE2\x80\xAE";
  const std::string escaped = AttendeeJson(a).Dump();
  EXPECT_NE(escaped.find("A\\u001b[2J\\u007f\\u009b31m\\u202e"), std::string::npos) << escaped;
  for (char c : escaped) EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) << escaped;
  EXPECT_EQ(escaped.find("\xC2\x9B"), std::string::npos) << escaped;
  JsonObject j;
  j.SetDouble("nan", std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(j.Dump(), "{\"nan\":null}");
}

TEST(JsonCodecTest, StatsAndPrintJobsRoundTrip) {
  Stats s;
  s.expected = 194;
  s.checked_in = 57;
  s.inside_now = 50;
  s.cancelled = 6;
  s.by_ticket_type = {{"General", 150, 40}, {"Speaker", 20, 17}};
  s.by_gate = {{"Norte", 30, 2, 1}, {"Sur", 27, 5, 0}};
  s.denials_by_verdict = {{"unknown", 3}};
  auto back = ParseStatsJson(StatsJson(s, "KCD Colombia 2026").Dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->expected, 194);
  EXPECT_EQ(back->checked_in, 57);
  ASSERT_EQ(back->by_ticket_type.size(), 2u);
  EXPECT_EQ(back->by_ticket_type[1].ticket_type, "Speaker");
  EXPECT_EQ(back->by_gate[1].exits, 5);
  EXPECT_EQ(back->denials_by_verdict, s.denials_by_verdict);

  PrintJob job;
  job.id = 41;
  job.token = "ABCDEFGH";
  job.attendee_id = 7;
  job.state = JobState::kPrinting;
  job.attempts = 2;
  job.printer_job_id = "zebra-17";
  auto jb = ParsePrintJobJson(PrintJobJson(job).Dump());
  ASSERT_TRUE(jb.ok()) << jb.status().message();
  EXPECT_EQ(jb->Title(), job.Title());
  EXPECT_EQ(jb->state, JobState::kPrinting);
  EXPECT_EQ(jb->attempts, 2);
}

TEST(JsonCodecTest, BadDocumentsAreClearErrors) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {"", "not valid JSON"},
      {"[1,2]", "not a JSON object"},
      {"{\"verdict\":\"admitted\"}", "member 'code' is missing"},
      {"{\"verdict\":\"maybe\",\"code\":\"x\",\"reason\":\"\",\"gate\":\"\",\"station\":\"\","
       "\"direction\":\"entry\","
       "\"at\":\"\",\"checkin_id\":\"\"}",
       "member 'verdict' has an unknown value 'maybe'"},
      {"{\"verdict\":\"admitted\",\"code\":7}", "member 'code' is not a string"},
      {"{\"verdict\":\"admitted\",\"code\":\"x\",\"reason\":\"\",\"gate\":\"\",\"station\":\"\","
       "\"direction\":\"entry\",\"at\":\"\",\"checkin_id\":\"\",\"attendee\":{\"id\":\"7\"}}",
       "attendee member 'id' is not a whole number"},
      {"{\"verdict\":\"admitted\",\"code\":\"Mar\xED\"}", "not valid JSON"},
  };
  for (const Case& c : cases) {
    auto d = ParseDecisionJson(c.json);
    ASSERT_FALSE(d.ok()) << c.json;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput) << c.json;
    EXPECT_NE(d.status().message().find(c.says), std::string::npos)
        << c.json << " said: " << d.status().message();
  }
}

}  // namespace
}  // namespace checkin
