#include "scanner/scan_loop.h"

#include <poll.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "common/text.h"

namespace checkin::scanner {

struct ScanLoop::Shared {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Frame> mailbox;  // the newest frame not yet decoded
  std::deque<std::pair<std::string, std::chrono::steady_clock::time_point>> typed;
  bool capture_done = false, keyboard_done = false;
  int64_t frames_read = 0, frames_dropped = 0, unreadable = 0, reconnects = 0;

  // Sleeps up to `d`; false if stopped meanwhile.
  bool Wait(std::chrono::steady_clock::duration d, const std::atomic<bool>& stop) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [&] { return stop.load(); });
  }
};

ScanLoop::ScanLoop(CheckinService& desk, const Clock& clock, ScanOptions options,
                   ScanCallbacks callbacks)
    : desk_(desk),
      clock_(clock),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      decoder_(Effort::kLive),
      debouncer_(options_.repeat_after) {}

void ScanLoop::Stop() {
  stop_ = true;
  std::lock_guard guard(shared_mu_);
  if (shared_ != nullptr) {
    // Under the loop's lock, so a thread between checking stop_ and waiting
    // cannot miss the wake-up.
    std::lock_guard lock(shared_->mu);
    shared_->cv.notify_all();
  }
}

Status ScanLoop::Type(std::string code) {
  code = std::string(Trim(code));
  if (code.empty()) return Status::InvalidInput("an empty code");
  std::lock_guard guard(shared_mu_);
  if (shared_ == nullptr || stop_)
    return Status::Unavailable("the station is not scanning (starting or stopping)");
  std::lock_guard lock(shared_->mu);
  shared_->typed.emplace_back(std::move(code), clock_.Monotonic());
  shared_->cv.notify_all();
  return Status::Ok();
}

void ScanLoop::Notice(ScanNotice::Kind kind, std::string detail,
                      std::chrono::milliseconds retry_in) {
  if (callbacks_.on_notice) callbacks_.on_notice(ScanNotice{kind, std::move(detail), retry_in});
}

void ScanLoop::Capture(FrameSource& camera, Shared& s) {
  const auto start = clock_.Monotonic();
  // Folders have no frame rate; their images are spaced as 30 fps video.
  const double fps = camera.Fps() > 0 ? camera.Fps() : 30;
  int64_t index = 0;
  while (!stop_) {
    auto r = camera.Read();
    if (!r.ok() && r.status().code() == StatusCode::kInvalidInput) {
      {
        std::lock_guard lock(s.mu);
        ++s.unreadable;
      }
      Notice(ScanNotice::Kind::kUnreadableFrame, r.status().message());
      continue;
    }
    if (!r.ok()) {
      // The camera or stream went away: say so, and keep trying with a
      // growing pause until it is back or we are stopped.
      camera.Close();
      auto pause = options_.reconnect_pause;
      std::string why = r.status().message();
      while (!stop_) {
        Notice(ScanNotice::Kind::kCameraLost, why, pause);
        if (!s.Wait(pause, stop_)) break;
        Status reopened = camera.Open();
        if (reopened.ok()) {
          {
            std::lock_guard lock(s.mu);
            ++s.reconnects;
          }
          Notice(ScanNotice::Kind::kCameraBack, camera.Describe());
          break;
        }
        why = reopened.message();
        pause = std::min(pause * 2, options_.max_reconnect_pause);
      }
      continue;
    }
    if (!r->has_value()) break;  // end of the file or folder
    Frame f = std::move(**r);
    f.index = ++index;
    if (camera.Live()) {
      f.captured = clock_.Monotonic();
      f.media_time = std::chrono::duration_cast<std::chrono::microseconds>(f.captured - start);
    } else {
      f.media_time = std::chrono::microseconds(
          static_cast<int64_t>(1e6 * static_cast<double>(index - 1) / fps));
      if (options_.pacing == Pacing::kRealtime) {
        const auto due = start + f.media_time;
        if (const auto now = clock_.Monotonic(); due > now && !s.Wait(due - now, stop_)) break;
      }
      f.captured = clock_.Monotonic();
    }
    std::unique_lock lock(s.mu);
    if (options_.pacing == Pacing::kAsFastAsPossible && !camera.Live()) {
      s.cv.wait(lock, [&] { return !s.mailbox.has_value() || stop_; });
    } else if (s.mailbox.has_value()) {
      ++s.frames_dropped;  // the decoder is behind: the newer frame wins
    }
    s.mailbox = std::move(f);
    ++s.frames_read;
    s.cv.notify_all();
  }
  std::lock_guard lock(s.mu);
  s.capture_done = true;
  s.cv.notify_all();
}

void ScanLoop::Keyboard(int fd, Shared& s) {
  // USB handheld scanners type the code and Enter. poll() so Stop() is seen.
  std::string line;
  char buf[512];
  while (!stop_) {
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, 200);
    if (ready == 0) continue;
    if (ready < 0 && errno == EINTR) continue;
    const ssize_t n = ready < 0 ? -1 : read(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n' && buf[i] != '\r') {
        if (line.size() < 8192) line += buf[i];
        continue;
      }
      std::string code(Trim(line));
      line.clear();
      if (code.empty()) continue;
      std::lock_guard lock(s.mu);
      s.typed.emplace_back(std::move(code), clock_.Monotonic());
      s.cv.notify_all();
    }
  }
  std::lock_guard lock(s.mu);
  s.keyboard_done = true;
  s.cv.notify_all();
}

void ScanLoop::Redeem(const std::string& payload, ScanSource source, int64_t frame,
                      std::chrono::steady_clock::time_point seen,
                      const std::array<Point, 4>& corners) {
  RedeemRequest req;
  req.payload = payload;
  req.gate = options_.gate;
  req.station = options_.station;
  req.source = source;
  auto d = desk_.Redeem(req);
  if (!d.ok()) {
    ++summary_.not_recorded;
    Notice(ScanNotice::Kind::kNotRecorded, d.status().message());
    // The store is gone for good (CheckinService::Redeem): answering every
    // later code "not recorded" would only keep a queue waiting.
    if (d.status().code() == StatusCode::kNotFound) Stop();
    return;
  }
  ++summary_.decisions[d->verdict];
  ScanEvent e;
  e.decision = std::move(*d);
  e.source = source;
  e.frame = frame;
  e.corners = corners;
  e.latency_ms = std::chrono::duration<double, std::milli>(clock_.Monotonic() - seen).count();
  if (callbacks_.on_decision) callbacks_.on_decision(e);
}

Result<ScanSummary> ScanLoop::Run(FrameSource* camera, int keyboard_fd) {
  if (camera != nullptr) {
    if (Status s = camera->Open(); !s.ok()) return s;
    Notice(ScanNotice::Kind::kCameraOpened, camera->Describe());
  }
  Shared s;
  {
    std::lock_guard guard(shared_mu_);
    shared_ = &s;
  }
  std::thread capture, keyboard;
  if (camera != nullptr) capture = std::thread([&] { Capture(*camera, s); });
  if (keyboard_fd >= 0) keyboard = std::thread([&] { Keyboard(keyboard_fd, s); });
  const bool keyboard_only = camera == nullptr;
  while (true) {
    std::optional<Frame> frame;
    decltype(s.typed) typed;
    {
      std::unique_lock lock(s.mu);
      auto finished = [&] {
        return keyboard_only ? (s.keyboard_done || keyboard_fd < 0) : s.capture_done;
      };
      s.cv.wait(lock,
                [&] { return stop_ || s.mailbox.has_value() || !s.typed.empty() || finished(); });
      if (stop_ || (!s.mailbox.has_value() && s.typed.empty() && finished())) break;
      frame.swap(s.mailbox);
      typed.swap(s.typed);
      s.cv.notify_all();  // room in the mailbox for a waiting file reader
    }
    for (const auto& [code, at] : typed) Redeem(code, ScanSource::kKeyboard, 0, at, {});
    if (!frame) continue;
    ++summary_.frames_decoded;
    // Live: a frame arriving while a remedy runs makes this one stale. Files
    // without --realtime always have the next frame ready, and lose none.
    std::function<bool()> newer;
    if (options_.pacing == Pacing::kRealtime) {
      newer = [&s] {
        std::lock_guard lock(s.mu);
        return s.mailbox.has_value();
      };
    }
    auto codes = decoder_.Decode(*frame, newer);
    if (!codes.ok()) {
      Notice(ScanNotice::Kind::kUnreadableFrame, codes.status().message());
      continue;
    }
    if (!codes->empty()) ++summary_.frames_with_codes;
    if (callbacks_.on_frame) callbacks_.on_frame(*frame, *codes);
    const Debouncer::TimePoint when{frame->media_time};
    for (const Detection& d : *codes) {
      if (debouncer_.Presented(d.bytes, when))
        Redeem(d.bytes, ScanSource::kCamera, frame->index, frame->captured, d.corners);
    }
  }
  stop_ = true;
  s.cv.notify_all();
  if (capture.joinable()) capture.join();
  if (keyboard.joinable()) keyboard.join();
  {
    std::lock_guard guard(shared_mu_);
    shared_ = nullptr;
  }
  if (camera != nullptr) camera->Close();
  summary_.frames_read = s.frames_read;
  summary_.frames_dropped = s.frames_dropped;
  summary_.unreadable_frames = s.unreadable;
  summary_.reconnects = s.reconnects;
  return summary_;
}

}  // namespace checkin::scanner
