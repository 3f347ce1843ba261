// ForwardingService: a CheckinService that hands every call to another one,
// for wrappers that change one or two calls (a test's injected faults, a
// benchmark's serialized redeems) and keep the rest as they are.
#pragma once

#include "common/checkin_service.h"

namespace checkin {

class ForwardingService : public CheckinService {
 public:
  explicit ForwardingService(CheckinService& inner) : inner_(inner) {}

  Result<EventInfo> Event() override { return inner_.Event(); }
  Result<Decision> Redeem(const RedeemRequest& req) override { return inner_.Redeem(req); }
  Result<UndoResult> Undo(const UndoRequest& req) override { return inner_.Undo(req); }
  Result<std::vector<SearchHit>> Search(std::string_view q, int limit) override {
    return inner_.Search(q, limit);
  }
  Result<std::optional<Attendee>> FindByCode(std::string_view code) override {
    return inner_.FindByCode(code);
  }
  Result<std::optional<Attendee>> FindById(int64_t id) override { return inner_.FindById(id); }
  Result<Stats> ComputeStats(const StatsRequest& req) override { return inner_.ComputeStats(req); }
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override {
    return inner_.EnqueueBadge(attendee_id, station);
  }
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& w,
                                                const std::string& p) override {
    return inner_.ClaimPrintJob(w, p);
  }
  Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& w) override {
    return inner_.ClaimedPrintJobs(w);
  }
  Status ReportPrintJob(int64_t id, const PrintReport& r) override {
    return inner_.ReportPrintJob(id, r);
  }
  Result<QueueCounts> PrintQueueCounts() override { return inner_.PrintQueueCounts(); }
  Result<std::vector<PrintJob>> RecentPrintJobs(int limit) override {
    return inner_.RecentPrintJobs(limit);
  }
  Result<bool> ReportPrinter(const PrinterReport& r) override { return inner_.ReportPrinter(r); }

 protected:
  CheckinService& inner_;
};

}  // namespace checkin
