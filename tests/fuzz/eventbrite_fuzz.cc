// Fuzz target: any bytes as a page of Eventbrite's attendee list. Must never
// crash; whatever reads as a page yields tickets the roster can take (a
// code, an id, an order, a name, a status word of Eventbrite's) and a
// continuation whenever it says more attendees follow.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/text.h"
#include "sync/eventbrite_json.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  checkin::sync::EventbriteAttendees out;
  auto paging = checkin::sync::ReadAttendeesPage(bytes, &out);
  if (!paging.ok()) {
    FUZZ_CHECK(!paging.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!paging->has_more || !paging->continuation.empty());
  FUZZ_CHECK(out.records.size() <= static_cast<size_t>(out.attendees));
  for (const auto& r : out.records) {
    FUZZ_CHECK(!r.ticket_code.empty() && !r.ticket_id.empty() && !r.upstream_status.empty());
    FUZZ_CHECK(!r.first_name.empty() || !r.last_name.empty());
    FUZZ_CHECK(checkin::IsValidUtf8(r.first_name) && checkin::IsValidUtf8(r.last_name));
    FUZZ_CHECK(r.status != checkin::TicketStatus::kValid || r.upstream_status == "Attending" ||
               r.upstream_status == "Checked In");
  }
  return 0;
}
