// Debouncer: turns a stream of sightings into presentations. A code held in
// front of the camera is seen on many frames, with gaps where a frame missed
// it; it is one presentation until it has been out of sight for
// `repeat_after`. Pure: the caller passes the time. Thread-compatible.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

namespace checkin::scanner {

class Debouncer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit Debouncer(std::chrono::milliseconds repeat_after) : repeat_after_(repeat_after) {}

  // True when this sighting starts a new presentation of `code`.
  bool Presented(const std::string& code, TimePoint now);

  size_t tracked() const { return last_seen_.size(); }

 private:
  std::chrono::milliseconds repeat_after_;
  std::unordered_map<std::string, TimePoint> last_seen_;
  TimePoint last_prune_{};
};

}  // namespace checkin::scanner
