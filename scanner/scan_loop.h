// ScanLoop: the scanner's heart. A capture thread reads frames; the decode
// thread always takes the newest one (stale frames are dropped, so latency
// never builds up), finds codes, turns sightings into presentations and
// sends each presentation through the check-in service. Codes typed by a USB
// handheld scanner take the same path. Run() blocks; Stop() may be called
// from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/verdict.h"
#include "scanner/debounce.h"
#include "scanner/decoder.h"
#include "scanner/frame_source.h"

namespace checkin::scanner {

enum class Pacing {
  kAsFastAsPossible,  // files and folders: every frame decoded, none dropped
  kRealtime,          // cameras, streams, --realtime: keep up, drop stale frames
};

struct ScanOptions {
  std::string gate;
  std::string station;
  Pacing pacing = Pacing::kRealtime;
  // A code out of sight this long counts as presented again when it returns.
  std::chrono::milliseconds repeat_after{2000};
  // Reopening a lost camera: first pause, doubling up to the maximum.
  std::chrono::milliseconds reconnect_pause{500};
  std::chrono::milliseconds max_reconnect_pause{8000};
};

// One decision, for the screen, the sound, the JSON line and the print queue.
struct ScanEvent {
  Decision decision;
  ScanSource source = ScanSource::kCamera;
  int64_t frame = 0;      // 0 for typed codes
  double latency_ms = 0;  // frame captured (or line typed) to decision committed
  std::array<Point, 4> corners{};
};

struct ScanSummary {
  int64_t frames_read = 0, frames_decoded = 0, frames_dropped = 0, frames_with_codes = 0;
  int64_t unreadable_frames = 0, reconnects = 0, not_recorded = 0;
  std::map<Verdict, int64_t> decisions;
};

// What a volunteer should know that is not a decision.
struct ScanNotice {
  enum class Kind {
    kCameraOpened,     // detail: what the device gives (size, format, rate)
    kCameraLost,       // detail: the reason; retry in `retry_in`
    kCameraBack,       // detail: what the device gives now
    kUnreadableFrame,  // detail: which and why; scanning goes on
    kNotRecorded,      // the desk failed: nobody may pass on that code yet
  };
  Kind kind;
  std::string detail;
  std::chrono::milliseconds retry_in{0};
};

struct ScanCallbacks {
  std::function<void(const ScanEvent&)> on_decision;
  std::function<void(const ScanNotice&)> on_notice;
  // Every decoded frame with what was found (the preview window); on the
  // decode thread.
  std::function<void(const Frame&, const std::vector<Detection>&)> on_frame;
};

class ScanLoop {
 public:
  ScanLoop(CheckinService& desk, const Clock& clock, ScanOptions options, ScanCallbacks callbacks);

  // Reads `camera` (may be null) and lines from file descriptor `keyboard_fd`
  // (-1 for none) until the camera's file or folder ends, the keyboard input
  // closes with no camera, or Stop(). A live camera that fails is reopened
  // with a growing pause. Errors: the camera could not be opened at all. The
  // desk failing is a kNotRecorded notice, and scanning goes on, unless the
  // desk says its store is gone (NotFound): then the loop stops.
  Result<ScanSummary> Run(FrameSource* camera, int keyboard_fd);

  void Stop();

  // Hands `code` to the running loop as if its keyboard had typed it (a
  // handheld scanner typing into the door screen). Any thread. Unavailable
  // when the loop is not running.
  Status Type(std::string code);

 private:
  struct Shared;
  void Capture(FrameSource& camera, Shared& s);
  void Keyboard(int fd, Shared& s);
  void Redeem(const std::string& payload, ScanSource source, int64_t frame,
              std::chrono::steady_clock::time_point seen, const std::array<Point, 4>& corners);
  void Notice(ScanNotice::Kind kind, std::string detail, std::chrono::milliseconds retry_in = {});

  CheckinService& desk_;
  const Clock& clock_;
  ScanOptions options_;
  ScanCallbacks callbacks_;
  Decoder decoder_;
  Debouncer debouncer_;
  ScanSummary summary_;
  std::atomic<bool> stop_{false};
  std::mutex shared_mu_;  // guards shared_ against Stop() from another thread
  Shared* shared_ = nullptr;
};

}  // namespace checkin::scanner
