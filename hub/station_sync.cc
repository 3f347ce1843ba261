#include "hub/station_sync.h"

namespace checkin::hub {

Result<std::unique_ptr<StationSync>> StationSync::Start(const StationSetup& setup,
                                                        const Clock& clock,
                                                        std::shared_ptr<HubLink> link,
                                                        std::chrono::milliseconds every,
                                                        Report report) {
  auto desk = StationDesk::Open(setup, clock, std::move(link));
  if (!desk.ok()) return desk.status();
  std::unique_ptr<StationSync> s(new StationSync());
  s->desk_ = std::move(*desk);
  s->every_ = every;
  s->report_ = std::move(report);
  StationSync* self = s.get();
  s->thread_ = std::thread([self] {
    std::unique_lock<std::mutex> lock(self->mu_);
    bool failing = false;
    while (!self->stop_) {
      lock.unlock();
      auto r = self->desk_->Sync();
      // A hub away for five minutes is one line when it goes, not 150.
      const bool news =
          r.ok() ? r->uploaded + r->refused + r->attendees + r->checkins > 0 : !failing;
      failing = !r.ok();
      if (self->report_ && news) self->report_(r);
      lock.lock();
      self->cv_.wait_for(lock, self->every_, [self] { return self->stop_; });
    }
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
  if (thread_.joinable()) thread_.join();
}

}  // namespace checkin::hub
