// StationDesk: the check-in service of a paired station. It asks the hub
// (RemoteDesk) and, when the hub does not answer within the deadline,
// decides by itself against its replica (db/replica.h) with the same
// CheckinDesk rules, marks the decision `offline`, and keeps the check-in
// in the replica's outbox until Sync() uploads it. Back online it asks the
// hub again by itself: no volunteer action in either direction.
//
// A station process shares one HubLink between its desks and its sync
// thread, so once one of them finds the hub away the others decide at once
// instead of each waiting out the deadline; a probe every kProbeEvery finds
// it back. One StationDesk per thread, like every CheckinService.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/config.h"
#include "db/replica.h"
#include "hub/remote_desk.h"

namespace checkin::hub {

// While the hub is away, how often a request still tries it first.
inline constexpr std::chrono::seconds kProbeEvery{3};
// A station whose clock is further than this from the hub's says so.
inline constexpr std::chrono::minutes kClockWarning{2};

class HubLink {
 public:
  bool away() const { return away_since_ms_.load() != 0; }
  // True when a request should ask the hub: it is not known to be away, or
  // it has not been tried for kProbeEvery.
  bool ShouldTry(const Clock& clock);
  void NoteAway(const Clock& clock);
  void NoteBack(std::optional<std::chrono::milliseconds> offset);
  std::optional<std::chrono::milliseconds> offset() const;

 private:
  std::atomic<int64_t> away_since_ms_{0};
  std::atomic<int64_t> tried_at_ms_{0};
  std::atomic<int64_t> offset_ms_{0};
  std::atomic<bool> has_offset_{false};
};

struct StationSetup {
  RemoteOptions remote;
  std::string replica_path;
  Config config;  // the gates offline decisions use
};

struct SyncReport {
  int64_t uploaded = 0;   // check-ins the hub recorded (or had already)
  int64_t refused = 0;    // check-ins the hub refused (kept in the replica)
  int64_t conflicts = 0;  // uploads that made a conflict
  int64_t attendees = 0;  // attendee rows pulled
  int64_t checkins = 0;   // check-ins pulled
  int64_t badges = 0;     // badges asked for offline, now in the hub's queue
};

struct StationStatus {
  bool online = false;
  std::string hub_url;
  bool has_replica = false;  // a printing station keeps none
  int64_t outbox = 0;
  int64_t refused = 0;
  std::string last_contact;  // UTC, empty if never
  std::string last_pull;
  std::optional<std::chrono::milliseconds> clock_offset;  // hub minus ours
  bool clock_far_off = false;                             // beyond kClockWarning
};

class StationDesk final : public CheckinService {
 public:
  // Without a replica at setup.replica_path (a printing station's role
  // pulls none) every call goes to the hub and waits when it is away.
  static Result<std::unique_ptr<StationDesk>> Open(const StationSetup& setup, const Clock& clock,
                                                   std::shared_ptr<HubLink> link);
  ~StationDesk() override;

  // Uploads the outbox, then pulls the feed to its end. Unavailable when the
  // hub does not answer (nothing is lost: the outbox stays). With `wait`,
  // a hub with nothing new holds the pull until something changes (at most
  // `wait`), so a loop of Sync(wait) hears of a redeem at another door at
  // once without polling.
  Result<SyncReport> Sync(std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // Ends a Sync() waiting in another thread (RemoteDesk::Interrupt).
  void Interrupt();
  // Asks the hub once (its clock) and reads the replica.
  Result<StationStatus> ReadStatus();
  // False on a printing station, which keeps no replica.
  bool has_replica() const;
  // Whether the last request was decided without the hub.
  bool offline() const { return link_->away(); }

  Result<EventInfo> Event() override;
  Result<Decision> Redeem(const RedeemRequest& req) override;
  Result<UndoResult> Undo(const UndoRequest& req) override;
  Result<std::vector<SearchHit>> Search(std::string_view query, int limit) override;
  Result<std::optional<Attendee>> FindByCode(std::string_view code) override;
  Result<std::optional<Attendee>> FindById(int64_t id) override;
  Result<Stats> ComputeStats(const StatsRequest& req) override;
  Result<int64_t> EnqueueBadge(int64_t attendee_id, const std::string& station) override;
  Result<std::optional<PrintJob>> ClaimPrintJob(const std::string& worker,
                                                const std::string& printer) override;
  Result<std::vector<PrintJob>> ClaimedPrintJobs(const std::string& worker) override;
  Status ReportPrintJob(int64_t job_id, const PrintReport& report) override;
  Result<QueueCounts> PrintQueueCounts() override;
  Result<std::vector<PrintJob>> RecentPrintJobs(int limit) override;
  Result<bool> ReportPrinter(const PrinterReport& report) override;

 private:
  struct Impl;
  explicit StationDesk(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<HubLink> link_;
};

// A station's first replica: makes it at `replica_path` for the hub's event
// and pulls the whole feed, reporting rows as they come. For `station pair`.
Result<SyncReport> PullFullReplica(RemoteDesk& hub, const std::string& replica_path,
                                   const Clock& clock);

}  // namespace checkin::hub
