#include "common/timezone.h"

#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <ctime>
#include <memory>

namespace checkin {

std::string LocalTime::Date() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string LocalTime::HourMinute() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
  return buf;
}

bool IsKnownTimeZone(const std::string& iana_name) {
  const icu::UnicodeString id = icu::UnicodeString::fromUTF8(iana_name);
  UChar canonical[128];
  UBool is_system = 0;
  UErrorCode err = U_ZERO_ERROR;
  ucal_getCanonicalTimeZoneID(id.getBuffer(), id.length(), canonical, 128, &is_system, &err);
  return U_SUCCESS(err) && is_system;
}

namespace {

using CalendarPtr = std::unique_ptr<UCalendar, void (*)(UCalendar*)>;

// An ICU calendar in `tz` set to t.
Result<CalendarPtr> CalendarAt(std::chrono::system_clock::time_point t, const std::string& tz) {
  if (!IsKnownTimeZone(tz)) return Status::InvalidInput("unknown time zone '" + tz + "'");
  const icu::UnicodeString id = icu::UnicodeString::fromUTF8(tz);
  UErrorCode err = U_ZERO_ERROR;
  CalendarPtr cal(ucal_open(id.getBuffer(), id.length(), "en_US", UCAL_GREGORIAN, &err),
                  ucal_close);
  if (U_FAILURE(err)) return Status::Internal("ICU could not open a calendar for " + tz);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  ucal_setMillis(cal.get(), static_cast<UDate>(ms.count()), &err);
  if (U_FAILURE(err)) return Status::Internal("ICU could not convert a time to " + tz);
  return cal;
}

}  // namespace

Result<LocalTime> ToLocalTime(std::chrono::system_clock::time_point t, const std::string& tz) {
  auto opened = CalendarAt(t, tz);
  if (!opened.ok()) return opened.status();
  CalendarPtr cal = std::move(opened).value();
  UErrorCode err = U_ZERO_ERROR;
  LocalTime lt;
  lt.year = ucal_get(cal.get(), UCAL_YEAR, &err);
  lt.month = ucal_get(cal.get(), UCAL_MONTH, &err) + 1;
  lt.day = ucal_get(cal.get(), UCAL_DATE, &err);
  lt.hour = ucal_get(cal.get(), UCAL_HOUR_OF_DAY, &err);
  lt.minute = ucal_get(cal.get(), UCAL_MINUTE, &err);
  lt.second = ucal_get(cal.get(), UCAL_SECOND, &err);
  if (U_FAILURE(err)) return Status::Internal("ICU could not convert a time to " + tz);
  return lt;
}

Result<std::chrono::system_clock::time_point> StartOfLocalDay(
    std::chrono::system_clock::time_point t, const std::string& tz) {
  auto opened = CalendarAt(t, tz);
  if (!opened.ok()) return opened.status();
  CalendarPtr cal = std::move(opened).value();
  // ICU's lenient calendar moves a midnight that a clock change skips to
  // the first local time that exists.
  for (UCalendarDateFields f : {UCAL_HOUR_OF_DAY, UCAL_MINUTE, UCAL_SECOND, UCAL_MILLISECOND})
    ucal_set(cal.get(), f, 0);
  UErrorCode err = U_ZERO_ERROR;
  const UDate ms = ucal_getMillis(cal.get(), &err);
  if (U_FAILURE(err)) return Status::Internal("ICU could not find the start of the day in " + tz);
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(static_cast<int64_t>(ms)));
}

namespace {

// A UTC calendar time as seconds since the epoch (fields as people write
// them: month 1-12).
std::time_t UtcSeconds(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return timegm(&tm);
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseUtc(const std::string& text) {
  int y, mo, d, h, mi, s, ms = 0;
  const int n =
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &s, &ms);
  if (n < 6) return Status::InvalidInput("not a UTC timestamp: '" + text + "'");
  return std::chrono::system_clock::from_time_t(UtcSeconds(y, mo, d, h, mi, s)) +
         std::chrono::milliseconds(ms);
}

namespace {

// `n` digits at `at`, or -1.
int Digits(std::string_view t, size_t at, size_t n) {
  if (at + n > t.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (t[i] < '0' || t[i] > '9') return -1;
    v = v * 10 + (t[i] - '0');
  }
  return v;
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseIsoDateTime(std::string_view t) {
  auto bad = [&] {
    return Status::InvalidInput("not an ISO 8601 date and time with an offset: '" +
                                std::string(t.substr(0, 64)) + "'");
  };
  const int y = Digits(t, 0, 4), mo = Digits(t, 5, 2), d = Digits(t, 8, 2);
  const int h = Digits(t, 11, 2), mi = Digits(t, 14, 2), s = Digits(t, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      s < 0 || s > 60 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
      t[13] != ':' || t[16] != ':') {
    return bad();
  }
  size_t at = 19;
  std::chrono::microseconds frac{0};
  if (at < t.size() && t[at] == '.') {
    int scale = 1000000;
    size_t digits = 0;
    for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9'; ++at, ++digits) {
      if (digits < 6) {
        scale /= 10;
        frac += std::chrono::microseconds((t[at] - '0') * scale);
      }
    }
    if (digits == 0 || digits > 9) return bad();
  }
  int offset_min = 0;
  if (at < t.size() && t[at] == 'Z' && at + 1 == t.size()) {
    // UTC
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    const int oh = Digits(t, at + 1, 2);
    const bool colon = at + 3 < t.size() && t[at + 3] == ':';
    const int om = Digits(t, at + (colon ? 4 : 3), 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || at + (colon ? 6 : 5) != t.size()) return bad();
    offset_min = (oh * 60 + om) * (t[at] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  const std::time_t secs = UtcSeconds(y, mo, d, h, mi, s);
  std::tm back{};
  gmtime_r(&secs, &back);
  if (back.tm_mday != d) return bad();  // 31 April and the like
  return std::chrono::system_clock::from_time_t(secs) - std::chrono::minutes(offset_min) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(frac);
}

}  // namespace checkin
