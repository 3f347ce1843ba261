// The background half of a paired station's daemons (`scan`, `print`): a
// thread of its own that uploads the outbox and pulls the hub's changes
// every few seconds, so the replica stays seconds behind the hub and what
// was decided offline reaches it soon after it is back. Stop() (or the
// destructor) ends it within one interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "hub/station_desk.h"

namespace checkin::hub {

inline constexpr std::chrono::seconds kSyncEvery{2};

class StationSync {
 public:
  // Reports each pass that did something or failed (for the daemon's log).
  using Report = std::function<void(const Result<SyncReport>&)>;
  // Opens its own StationDesk on `setup` (sharing `link` with the daemon's).
  static Result<std::unique_ptr<StationSync>> Start(const StationSetup& setup, const Clock& clock,
                                                    std::shared_ptr<HubLink> link,
                                                    std::chrono::milliseconds every, Report report);
  ~StationSync();
  void Stop();

 private:
  StationSync() = default;
  std::unique_ptr<StationDesk> desk_;
  std::chrono::milliseconds every_{kSyncEvery};
  Report report_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace checkin::hub
