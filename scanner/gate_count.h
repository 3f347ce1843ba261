// The door screen's count: today's admissions through one gate, "today"
// being the event's local date. Used from one thread (the scan loop's), as
// the service under it is.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"

namespace checkin::scanner {

class GateCount {
 public:
  // The stats may ask the hub, so they are asked at most every kRecount, and
  // at once when the local date changes; in between, this door's own
  // admissions move the count, and other doors' show at the next recount.
  static constexpr std::chrono::seconds kRecount{10};

  // `time_zone` is the event's (IANA name). Keeps references to the service and the clock.
  GateCount(CheckinService& service, std::string gate, std::string time_zone, const Clock& clock);

  // The count after decision `d` (null: none, just asking); nullopt until
  // the service has answered once.
  std::optional<int64_t> After(const Decision* d);

 private:
  std::optional<int64_t> Ask(std::chrono::system_clock::time_point day_start);

  CheckinService& service_;
  const std::string gate_;
  const std::string timezone_;
  const Clock& clock_;
  std::optional<int64_t> count_;
  std::chrono::steady_clock::time_point asked_{};
  std::chrono::system_clock::time_point day_start_{};
};

}  // namespace checkin::scanner
