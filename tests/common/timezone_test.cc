#include "common/timezone.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace checkin {
namespace {

TEST(TimezoneTest, BogotaIsFiveHoursBehindUtc) {
  auto t = ParseUtc("2026-11-28T13:05:00.000Z");
  ASSERT_TRUE(t.ok());
  auto local = ToLocalTime(*t, "America/Bogota");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->Date(), "2026-11-28");
  EXPECT_EQ(local->HourMinute(), "08:05");
}

TEST(TimezoneTest, LocalDateChangesBeforeUtcDate) {
  auto t = ParseUtc("2026-11-29T03:30:00.000Z");  // 22:30 the evening before in Bogotá
  ASSERT_TRUE(t.ok());
  auto local = ToLocalTime(*t, "America/Bogota");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->Date(), "2026-11-28");
}

TEST(TimezoneTest, StartOfLocalDayIsTheEventsMidnight) {
  struct Case {
    const char* tz;
    const char* at;
    const char* start;
  } cases[] = {
      {"America/Bogota", "2026-11-29T03:30:00.000Z", "2026-11-28T05:00:00.000Z"},
      {"America/Bogota", "2026-11-29T05:00:00.000Z", "2026-11-29T05:00:00.000Z"},
      {"Asia/Kolkata", "2026-11-28T20:00:00.000Z", "2026-11-28T18:30:00.000Z"},
      {"UTC", "2026-11-28T23:59:59.999Z", "2026-11-28T00:00:00.000Z"},
  };
  for (const Case& c : cases) {
    auto start = StartOfLocalDay(*ParseUtc(c.at), c.tz);
    ASSERT_TRUE(start.ok()) << c.tz << " " << c.at;
    EXPECT_EQ(FormatUtc(*start), c.start) << c.tz << " " << c.at;
  }
  EXPECT_FALSE(StartOfLocalDay(std::chrono::system_clock::time_point{}, "Nowhere").ok());
}

TEST(TimezoneTest, RejectsUnknownZones) {
  EXPECT_TRUE(IsKnownTimeZone("America/Bogota"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(ToLocalTime(std::chrono::system_clock::time_point{}, "Nowhere").ok());
}

TEST(TimezoneTest, FormatAndParseRoundTrip) {
  auto t = ParseUtc("2026-11-28T13:05:22.123Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatUtc(*t), "2026-11-28T13:05:22.123Z");
  EXPECT_FALSE(ParseUtc("yesterday").ok());
}

TEST(TimezoneTest, IsoDateTimesWithOffsetsBecomeUtc) {
  struct Case {
    const char* in;
    const char* utc;
  };
  for (const Case& c : {Case{"2025-11-29T08:00:00-05:00", "2025-11-29T13:00:00.000Z"},
                        Case{"2025-11-29T08:00:00Z", "2025-11-29T08:00:00.000Z"},
                        Case{"2025-11-29T08:00:00.123456+01:00", "2025-11-29T07:00:00.123Z"},
                        Case{"2025-11-29 23:30:00+0000", "2025-11-29T23:30:00.000Z"},
                        Case{"2025-12-31T22:00:00-05:00", "2026-01-01T03:00:00.000Z"}}) {
    auto t = ParseIsoDateTime(c.in);
    ASSERT_TRUE(t.ok()) << c.in << ": " << t.status().message();
    EXPECT_EQ(FormatUtc(*t), c.utc) << c.in;
  }
  for (const char* bad : {"", "2025-11-29", "2025-11-29T08:00:00", "2025-11-29T08:00:00+5",
                          "2025-02-30T08:00:00Z", "2025-11-29T24:00:00Z", "2025-11-29T08:00:00Zx",
                          "2025-11-29T08:00:00.Z", "yesterday", "2025-13-01T00:00:00Z"}) {
    EXPECT_FALSE(ParseIsoDateTime(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace checkin
