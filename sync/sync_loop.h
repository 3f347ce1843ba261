// RunSyncPass over and over on a thread of its own, for the hub and for
// `roster sync --every`: the first pass at once, then one every `interval`
// after the previous ended. Failures are recorded and reported, and the loop
// goes on. It uses its own connection to the event file, so redeems on
// other connections go on during a pass (db::ImportRoster holds the write
// lock only for its last short step). Start and Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "db/database.h"
#include "sync/sync_pass.h"

namespace checkin::sync {

class SyncLoop {
 public:
  // Called on the loop's thread after every pass.
  using OnPass = std::function<void(const SyncPassOutcome&)>;

  // Opens `db_path` (which must hold an event) and starts the thread.
  // Errors: those of db::Database::Open.
  static Result<std::unique_ptr<SyncLoop>> Start(const std::string& db_path,
                                                 RegistrationSettings settings,
                                                 std::chrono::seconds interval, const Clock& clock,
                                                 OnPass on_pass);
  ~SyncLoop();  // Stop()
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  // Ends the loop: a wait between passes ends at once, and a pass under way
  // stops waiting to retry (so it ends after at most one more request).
  void Stop();

 private:
  class StopSleeper;
  SyncLoop(std::unique_ptr<db::Database> db, RegistrationSettings settings,
           std::chrono::seconds interval, const Clock& clock, OnPass on_pass);
  void Run();

  std::unique_ptr<db::Database> db_;
  RegistrationSettings settings_;
  std::chrono::seconds interval_;
  const Clock& clock_;
  OnPass on_pass_;
  std::unique_ptr<StopSleeper> sleeper_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace checkin::sync
