// Fuzz target: any bytes as a JSON answer from the hub (decision, attendee,
// stats, print job). Must never crash; whatever parses must encode again and
// parse back to the same thing, so a station never shows a garbled answer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_codec.h"
#include "common/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void CheckDecision(std::string_view json) {
  auto d = checkin::ParseDecisionJson(json);
  if (!d.ok()) {
    FUZZ_CHECK(!d.status().message().empty());
    return;
  }
  const std::string again = checkin::DecisionJson(*d, "m").Dump();
  FUZZ_CHECK(checkin::IsValidUtf8(again));
  auto back = checkin::ParseDecisionJson(again);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->verdict == d->verdict && back->code == d->code && back->reason == d->reason);
  FUZZ_CHECK(back->attendee.has_value() == d->attendee.has_value());
}

void CheckAttendee(std::string_view json) {
  auto a = checkin::ParseAttendeeJson(json);
  if (!a.ok()) return;
  auto back = checkin::ParseAttendeeJson(checkin::AttendeeJson(*a).Dump());
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->id == a->id && back->first_name == a->first_name &&
             back->last_name == a->last_name && back->status == a->status);
}

void CheckStats(std::string_view json) {
  auto s = checkin::ParseStatsJson(json);
  if (!s.ok()) return;
  auto back = checkin::ParseStatsJson(checkin::StatsJson(*s, "e").Dump());
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->expected == s->expected && back->checked_in == s->checked_in);
}

void CheckPrintJob(std::string_view json) {
  auto j = checkin::ParsePrintJobJson(json);
  if (!j.ok()) return;
  auto back = checkin::ParsePrintJobJson(checkin::PrintJobJson(*j).Dump());
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->id == j->id && back->state == j->state && back->attempts == j->attempts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  CheckDecision(json);
  CheckAttendee(json);
  CheckStats(json);
  CheckPrintJob(json);
  return 0;
}
