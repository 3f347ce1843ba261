// The roster of one Eventbrite event, read from Eventbrite's API v3: the
// event's attendees, all or those changed since the last pass, following
// the continuation token page by page. One Fetch() at a time per source.
#pragma once

#include <chrono>
#include <string>

#include "common/clock.h"
#include "sync/http_get.h"
#include "sync/platform.h"

namespace checkin::sync {

struct EventbriteOptions {
  std::string url = "https://www.eventbriteapi.com/";  // the API's base URL
  std::string event;                                   // the numeric event id
  std::string token;  // a private token or OAuth token; appears in no message
  std::string source = "eventbrite";
  // "2026-11-28T12:50:00Z". Set: only attendees changed since then (a
  // partial snapshot, full_export false); pass the last pass's cursor().
  // Empty: the whole event.
  std::string changed_since;
  int max_pages = 2000;  // about 50 attendees a page: a very large event
  HttpOptions http;
};

class EventbriteSource final : public PlatformSource {
 public:
  EventbriteSource(EventbriteOptions options, const Clock& clock, Sleeper& sleeper);

  // The event's tickets, all or nothing. Errors: InvalidInput (bad config,
  // token refused, malformed page, a barcode on two tickets, a paging loop),
  // NotFound (no such event), Unavailable (unreachable or overloaded after
  // retries).
  Result<db::RosterSnapshot> Fetch() override;

  // After a successful Fetch(): the changed_since for the next pass.
  std::string cursor() const override { return cursor_; }

  // How far before the start of a pass the next one asks from. Eventbrite
  // sends no time of its own with the list, so the pass starts at the Date
  // header of its first page (Eventbrite's clock, not ours: a laptop whose
  // clock runs ahead would otherwise skip changes; ours only when the header
  // is missing or unreadable), less this margin for
  // attendees Eventbrite writes while the list is read. Asking again for a
  // few attendees costs nothing: the merge finds them unchanged.
  static constexpr std::chrono::minutes kOverlap{10};

 private:
  EventbriteOptions options_;
  const Clock& clock_;
  Sleeper& sleeper_;
  std::string cursor_;
};

// An HTTP Date ("Sun, 06 Nov 1994 08:49:37 GMT"); false when it is not one.
bool ParseHttpDate(const std::string& text, std::chrono::system_clock::time_point* t);

// "2026-11-28T13:05:22Z": UTC to the second, as Eventbrite's changed_since takes it.
std::string FormatEventbriteTime(std::chrono::system_clock::time_point t);

}  // namespace checkin::sync
