// Eventbrite's attendee list pages (API v3) read into roster records, with
// every member's type checked. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::sync {

struct EventbriteAttendees {
  std::vector<db::RosterRecord> records;
  int attendees = 0;  // every attendee read
};

// Where the list goes on: pagination.has_more_items and, when it has more,
// the continuation token to send for the next page.
struct EventbritePaging {
  bool has_more = false;
  std::string continuation;
};

// One page: {"pagination": {...}, "attendees": [...]}. InvalidInput naming
// the attendee and member on any wrong shape, an attendee without a barcode
// or a status Eventbrite does not document; `out` is then unspecified and
// must be dropped.
Result<EventbritePaging> ReadAttendeesPage(std::string_view body, EventbriteAttendees* out);

}  // namespace checkin::sync
