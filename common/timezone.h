// Wall-clock time in the event's time zone (IANA names such as America/Bogota),
// through ICU's zone database. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string Date() const;        // "2026-11-28"
  std::string HourMinute() const;  // "08:05"
};

bool IsKnownTimeZone(const std::string& iana_name);

Result<LocalTime> ToLocalTime(std::chrono::system_clock::time_point t, const std::string& tz);

// The first instant of t's local date in `tz` (its midnight, or the first
// hour that exists where a clock change skips midnight).
Result<std::chrono::system_clock::time_point> StartOfLocalDay(
    std::chrono::system_clock::time_point t, const std::string& tz);

// Parses what FormatUtc writes ("2026-11-28T13:05:22.123Z").
Result<std::chrono::system_clock::time_point> ParseUtc(const std::string& text);
// An ISO 8601 / RFC 3339 date-time with its offset, as registration platforms
// write them: "2025-11-29T08:00:00-05:00", "...08:00:00.123456Z", "+0000".
// InvalidInput for anything else, fields out of range included.
Result<std::chrono::system_clock::time_point> ParseIsoDateTime(std::string_view text);

}  // namespace checkin
