#include "sync/sync_loop.h"

#include "common/priority.h"

namespace checkin::sync {

// Waits as asked, or until the loop stops: a pass told to wait 300 s by a
// Retry-After must not hold the hub's shutdown that long.
class SyncLoop::StopSleeper final : public Sleeper {
 public:
  StopSleeper(std::mutex& mu, std::condition_variable& wake, const bool& stop)
      : mu_(mu), wake_(wake), stop_(stop) {}
  void Sleep(std::chrono::milliseconds d) override {
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, d, [this] { return stop_; });
  }

 private:
  std::mutex& mu_;
  std::condition_variable& wake_;
  const bool& stop_;
};

SyncLoop::SyncLoop(std::unique_ptr<db::Database> db, RegistrationSettings settings,
                   std::chrono::seconds interval, const Clock& clock, OnPass on_pass)
    : db_(std::move(db)),
      settings_(std::move(settings)),
      interval_(interval),
      clock_(clock),
      on_pass_(std::move(on_pass)),
      sleeper_(std::make_unique<StopSleeper>(mu_, wake_, stop_)) {}

Result<std::unique_ptr<SyncLoop>> SyncLoop::Start(const std::string& db_path,
                                                  RegistrationSettings settings,
                                                  std::chrono::seconds interval, const Clock& clock,
                                                  OnPass on_pass) {
  auto db = db::Database::Open(db_path, db::OpenMode::kMustExist);
  if (!db.ok()) return db.status();
  if (auto event = (*db)->Event(); !event.ok()) return event.status();
  std::unique_ptr<SyncLoop> loop(new SyncLoop(std::move(db).value(), std::move(settings), interval,
                                              clock, std::move(on_pass)));
  loop->thread_ = std::thread([raw = loop.get()] { raw->Run(); });
  return loop;
}

SyncLoop::~SyncLoop() { Stop(); }

void SyncLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncLoop::Run() {
  // The doors share this machine's cores; a sync can wait for them.
  static_cast<void>(LowerThisThreadsPriority());
  SyncPassOptions options;
  options.next_in = interval_;
  for (;;) {
    SyncPassOutcome outcome = RunSyncPass(*db_, settings_, options, clock_, *sleeper_);
    if (on_pass_) on_pass_(outcome);
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stop_; })) return;
  }
}

}  // namespace checkin::sync
