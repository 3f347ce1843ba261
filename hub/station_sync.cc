#include "hub/station_sync.h"

namespace checkin::hub {

Result<std::unique_ptr<StationSync>> StationSync::Start(
    const StationSetup& setup, const Clock& clock, std::shared_ptr<HubLink> link,
    std::chrono::milliseconds every, Report report, std::chrono::milliseconds wait) {
  auto desk = StationDesk::Open(setup, clock, std::move(link));
  if (!desk.ok()) return desk.status();
  std::unique_ptr<StationSync> s(new StationSync());
  s->desk_ = std::move(*desk);
  s->every_ = every;
  s->wait_ = wait;
  s->report_ = std::move(report);
  StationSync* self = s.get();
  s->thread_ = std::thread([self] {
    std::unique_lock<std::mutex> lock(self->mu_);
    bool failing = false;
    while (!self->stop_) {
      lock.unlock();
      // A station that just found the hub away does not hold a request open
      // to it; the pass after one that worked may.
      auto r = self->desk_->Sync(failing ? std::chrono::milliseconds(0) : self->wait_);
      // A hub away for five minutes is one line when it goes, not 150.
      const bool news =
          r.ok() ? r->uploaded + r->refused + r->attendees + r->checkins + r->badges > 0 : !failing;
      failing = !r.ok();
      if (self->report_ && news) self->report_(r);
      lock.lock();
      const auto pause =
          failing || self->wait_.count() == 0 ? self->every_ : std::chrono::milliseconds(kPushGap);
      self->cv_.wait_for(lock, pause, [self] { return self->stop_; });
    }
    self->done_ = true;
    self->cv_.notify_all();
  });
  return s;
}

StationSync::~StationSync() { Stop(); }

void StationSync::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (!thread_.joinable()) return;
  // A pull held at the hub is cut; one that was about to start when the
  // first cut came is cut by the next.
  std::unique_lock<std::mutex> lock(mu_);
  while (!done_) {
    desk_->Interrupt();
    cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; });
  }
  lock.unlock();
  thread_.join();
}

}  // namespace checkin::hub
