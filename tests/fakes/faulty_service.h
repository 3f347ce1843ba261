// FaultyService: a CheckinService that forwards to a real one (the SQLite
// desk in tests) with faults a test switches on: the store away for
// redeems, the print queue refusing jobs. Like leveldb's SpecialEnv.
#pragma once

#include "common/forwarding_service.h"

namespace checkin::testing {

class FaultyService final : public ForwardingService {
 public:
  explicit FaultyService(CheckinService& real) : ForwardingService(real) {}
  bool redeem_unavailable = false;  // Redeem fails as a hub or disk away would
  bool enqueue_fails = false;       // EnqueueBadge fails
  bool stats_unavailable = false;   // ComputeStats fails as a hub away would

  Result<Decision> Redeem(const RedeemRequest& req) override {
    if (redeem_unavailable) return Status::Unavailable("database is locked");
    return ForwardingService::Redeem(req);
  }
  Result<Stats> ComputeStats(const StatsRequest& req) override {
    if (stats_unavailable) return Status::Unavailable("hub away");
    return ForwardingService::ComputeStats(req);
  }
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override {
    if (enqueue_fails) return Status::Unavailable("print queue unavailable");
    return ForwardingService::EnqueueBadge(attendee_id, station);
  }
};

}  // namespace checkin::testing
