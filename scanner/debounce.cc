#include "scanner/debounce.h"

namespace checkin::scanner {

bool Debouncer::Presented(const std::string& code, TimePoint now) {
  // Codes out of sight for longer than the window can go: a later sighting
  // is a new presentation either way. Keeps memory flat over a long day.
  if (now - last_prune_ > repeat_after_) {
    for (auto it = last_seen_.begin(); it != last_seen_.end();) {
      it = now - it->second >= repeat_after_ ? last_seen_.erase(it) : std::next(it);
    }
    last_prune_ = now;
  }
  auto [it, inserted] = last_seen_.try_emplace(code, now);
  if (inserted) return true;
  const bool fresh = now - it->second >= repeat_after_;
  it->second = now;
  return fresh;
}

}  // namespace checkin::scanner
