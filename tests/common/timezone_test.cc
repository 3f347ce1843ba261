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

}  // namespace
}  // namespace checkin
