// Tells a test when another thread's SQLite connection has started waiting,
// so the test can act at exactly that point: when it meets a lock another
// connection holds (its busy handler runs), or when it rolls back (as the
// importer does each time it finds another import's run alive).
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace checkin::testing {

class WaitSignal {
 public:
  // Replaces `db`'s busy handler: it notifies, then keeps retrying every
  // millisecond. The test restores a timeout when it is done.
  void OnBusy(sqlite3* db) {
    sqlite3_busy_handler(
        db,
        [](void* arg, int) {
          auto* self = static_cast<WaitSignal*>(arg);
          std::unique_lock<std::mutex> lock(self->mu_);
          self->waiting_ = true;
          self->cv_.notify_all();
          self->cv_.wait_for(lock, std::chrono::milliseconds(1));
          return 1;
        },
        this);
  }
  void OnRollback(sqlite3* db) {
    sqlite3_rollback_hook(
        db,
        [](void* arg) {
          auto* self = static_cast<WaitSignal*>(arg);
          std::lock_guard<std::mutex> lock(self->mu_);
          self->waiting_ = true;
          self->cv_.notify_all();
        },
        this);
  }
  void Await() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool waiting_ = false;
};

}  // namespace checkin::testing
