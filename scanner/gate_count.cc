#include "scanner/gate_count.h"

#include "common/timezone.h"

namespace checkin::scanner {

GateCount::GateCount(CheckinService& service, std::string gate, std::string time_zone,
                     const Clock& clock)
    : service_(service), gate_(std::move(gate)), timezone_(std::move(time_zone)), clock_(clock) {}

std::optional<int64_t> GateCount::After(const Decision* d) {
  const auto now = clock_.Monotonic();
  auto day_start = StartOfLocalDay(clock_.Now(), timezone_);
  if (!day_start.ok()) return count_;  // the event's zone was checked when it was made
  if (!count_ || *day_start != day_start_ || now - asked_ >= kRecount) {
    asked_ = now;
    // A failed ask keeps the last count, but never yesterday's.
    if (*day_start != day_start_) count_.reset();
    day_start_ = *day_start;
    if (auto n = Ask(*day_start)) count_ = *n;
  } else if (d && d->verdict == Verdict::kAdmitted && d->direction == Direction::kEntry) {
    ++*count_;
  }
  return count_;
}

std::optional<int64_t> GateCount::Ask(std::chrono::system_clock::time_point day_start) {
  StatsRequest req;
  req.since = day_start;
  auto stats = service_.ComputeStats(req);
  if (!stats.ok()) return std::nullopt;
  for (const GateStats& g : stats->by_gate)
    if (g.gate == gate_) return g.entries;
  return 0;
}

}  // namespace checkin::scanner
