// The background half of a paired station's daemons (`scan`, `print`): a
// thread of its own that uploads the outbox and pulls the hub's changes.
// While the hub answers, each pull is held by the hub until something
// changes (kPushWait), so a redeem at another door reaches this replica at
// once; while it does not, the thread tries again every few seconds, and
// what was decided offline reaches the hub soon after it is back. Stop()
// (or the destructor) ends it at once.
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
// How long one pull may wait at the hub for news. An offline decision made
// meanwhile (the hub slow, not gone) is uploaded when the pull returns.
inline constexpr std::chrono::seconds kPushWait{10};
// Passes are at least this far apart, so a rush at the doors costs each
// station a few pulls a second, not one per redeem.
inline constexpr std::chrono::milliseconds kPushGap{200};

class StationSync {
 public:
  // Reports each pass that did something or failed (for the daemon's log).
  using Report = std::function<void(const Result<SyncReport>&)>;
  // Opens its own StationDesk on `setup` (sharing `link` with the daemon's).
  // `every`: between passes while the hub is away; `wait`: how long a pull
  // may be held for news (0: poll every `every` instead).
  static Result<std::unique_ptr<StationSync>> Start(const StationSetup& setup, const Clock& clock,
                                                    std::shared_ptr<HubLink> link,
                                                    std::chrono::milliseconds every, Report report,
                                                    std::chrono::milliseconds wait = kPushWait);
  ~StationSync();
  void Stop();

 private:
  StationSync() = default;
  std::unique_ptr<StationDesk> desk_;
  std::chrono::milliseconds every_{kSyncEvery};
  std::chrono::milliseconds wait_{kPushWait};
  Report report_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool done_ = false;  // the thread has left its loop
  std::thread thread_;
};

}  // namespace checkin::hub
