// FaultyService: a CheckinService that forwards to a real one (the SQLite
// desk in tests) with faults a test switches on: the store away for
// redeems, the print queue refusing jobs. Like leveldb's SpecialEnv.
#pragma once

#include "common/checkin_service.h"

namespace checkin::testing {

class FaultyService final : public CheckinService {
 public:
  explicit FaultyService(CheckinService& real) : real_(real) {}
  bool redeem_unavailable = false;  // Redeem fails as a hub or disk away would
  bool enqueue_fails = false;       // EnqueueBadge fails

  Result<EventInfo> Event() override { return real_.Event(); }
  Result<Decision> Redeem(const RedeemRequest& req) override {
    if (redeem_unavailable) return Status::Unavailable("database is locked");
    return real_.Redeem(req);
  }
  Result<UndoResult> Undo(const UndoRequest& req) override { return real_.Undo(req); }
  Result<std::vector<SearchHit>> Search(std::string_view q, int limit) override {
    return real_.Search(q, limit);
  }
  Result<std::optional<Attendee>> FindByCode(std::string_view code) override {
    return real_.FindByCode(code);
  }
  Result<std::optional<Attendee>> FindById(int64_t id) override { return real_.FindById(id); }
  Result<Stats> ComputeStats() override { return real_.ComputeStats(); }
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override {
    if (enqueue_fails) return Status::Unavailable("print queue unavailable");
    return real_.EnqueueBadge(attendee_id, station);
  }
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& w,
                                                const std::string& p) override {
    return real_.ClaimPrintJob(w, p);
  }
  Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& w) override {
    return real_.ClaimedPrintJobs(w);
  }
  Status ReportPrintJob(int64_t id, const PrintReport& r) override {
    return real_.ReportPrintJob(id, r);
  }
  Result<QueueCounts> PrintQueueCounts() override { return real_.PrintQueueCounts(); }
  Result<std::vector<PrintJob>> RecentPrintJobs(int limit) override {
    return real_.RecentPrintJobs(limit);
  }

 private:
  CheckinService& real_;
};

}  // namespace checkin::testing
