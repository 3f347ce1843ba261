#include "sync/eventbrite_source.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <unordered_set>

#include "sync/eventbrite_json.h"
#include "sync/source_common.h"

namespace checkin::sync {

bool ParseHttpDate(const std::string& text, std::chrono::system_clock::time_point* t) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {}, month[4] = {}, zone[4] = {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (text.size() > 40 || std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day,
                                      month, &year, &hh, &mm, &ss, zone) != 8) {
    return false;
  }
  if (std::strcmp(zone, "GMT") != 0) return false;
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::strcmp(month, kMonths[i]) == 0) mon = i;
  }
  if (mon < 0 || day < 1 || day > 31 || year < 1970 || year > 9999 || hh > 23 || mm > 59 ||
      ss > 60 || hh < 0 || mm < 0 || ss < 0) {
    return false;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  *t = std::chrono::system_clock::from_time_t(timegm(&tm));
  return true;
}

std::string FormatEventbriteTime(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

EventbriteSource::EventbriteSource(EventbriteOptions options, const Clock& clock, Sleeper& sleeper)
    : options_(std::move(options)), clock_(clock), sleeper_(sleeper) {}

Result<db::RosterSnapshot> EventbriteSource::Fetch() {
  if (!IsNumericId(options_.event)) {
    return Status::InvalidInput(
        "[registration] event must be Eventbrite's numeric event id (the digits at the end of"
        " the event's page address)");
  }
  if (Status s = CheckClientOptions("Eventbrite", options_.token, options_.source, options_.url);
      !s.ok()) {
    return s;
  }
  const std::string list_url =
      WithoutTrailingSlash(options_.url) + "/v3/events/" + options_.event + "/attendees/";
  std::string query;
  if (!options_.changed_since.empty()) {
    query = "changed_since=" + UrlEncode(options_.changed_since);
  }

  HttpGetter http(Credential{"Authorization", "Bearer ", options_.token}, clock_, sleeper_,
                  options_.http);
  EventbriteAttendees attendees;
  std::unordered_set<std::string> seen;
  std::string date;
  std::string continuation;
  for (int page = 1;; ++page) {
    if (page > options_.max_pages) {
      return Status::InvalidInput("Eventbrite's attendee list goes on past " +
                                  std::to_string(options_.max_pages) + " pages; stopped");
    }
    std::string url = list_url;
    std::string q = query;
    if (!continuation.empty()) {
      q += std::string(q.empty() ? "" : "&") + "continuation=" + UrlEncode(continuation);
    }
    if (!q.empty()) url += "?" + q;
    auto body = page == 1 ? http.Get(url, "Date", &date) : http.Get(url);
    if (!body.ok()) {
      if (body.status().code() != StatusCode::kNotFound) return body.status();
      return Status::NotFound("Eventbrite has no event " + options_.event + " at " +
                              WithoutTrailingSlash(options_.url) +
                              " (HTTP 404); check event in [registration]");
    }
    auto paging = ReadAttendeesPage(*body, &attendees);
    if (!paging.ok()) return paging.status().WithContext("page " + std::to_string(page) + ": ");
    if (!paging->has_more) break;
    if (!seen.insert(paging->continuation).second) {
      return Status::InvalidInput("Eventbrite's attendee list repeats a continuation on page " +
                                  std::to_string(page) + "; the paging loops");
    }
    continuation = paging->continuation;
  }
  if (Status s = DedupeTickets(&attendees.records, "barcode", "Eventbrite"); !s.ok()) return s;

  std::chrono::system_clock::time_point started;
  if (!ParseHttpDate(date, &started)) started = clock_.Now();

  cursor_ = FormatEventbriteTime(started - kOverlap);
  return ApiSnapshot(db::RosterFormat::kEventbrite, options_.source, list_url,
                     options_.changed_since.empty(), attendees.attendees,
                     std::move(attendees.records));
}

}  // namespace checkin::sync
