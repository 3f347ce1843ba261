// FakeClock: a Clock tests move by hand. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "common/clock.h"

namespace checkin::testing {

class FakeClock final : public Clock {
 public:
  // Starts at 2026-11-28 13:00:00 UTC: 08:00 in Bogotá, the morning rush.
  FakeClock() : now_us_(1795870800LL * 1000000) {}

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::microseconds(now_us_.load()));
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point(std::chrono::microseconds(now_us_.load()));
  }
  void Advance(std::chrono::microseconds d) { now_us_ += d.count(); }
  void Set(std::chrono::system_clock::time_point t) {
    now_us_ = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }

 private:
  std::atomic<long long> now_us_;
};

}  // namespace checkin::testing
