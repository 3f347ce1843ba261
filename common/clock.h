// Clock: the only way core logic learns the time, so tests can drive it with a
// fake. Implementations must be thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace checkin {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time, for timestamps people read and reports bin.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time, for durations, cooldowns and backoff.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
};

// The process-wide real clock.
const Clock& SystemClock();

// "2026-11-28T13:05:22.123Z": UTC, millisecond precision, sorts as text.
std::string FormatUtc(std::chrono::system_clock::time_point t);

}  // namespace checkin
