// Station: one entrance laptop's scanning post, wired whole: a camera and/or
// a USB handheld scanner, the check-in service, the window with its banner,
// the tones, and "admitted -> queue a badge". The CLI builds the parts and
// runs it; a page or a test can do the same. Run() blocks on the calling
// thread; Stop() may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/checkin_service.h"
#include "common/clock.h"
#include "common/messages.h"
#include "scanner/banner.h"
#include "scanner/frame_source.h"
#include "scanner/preview.h"
#include "scanner/scan_loop.h"
#include "scanner/sound.h"

namespace checkin::scanner {

enum class BadgeOnAdmit { kNo, kQueue };

struct StationOptions {
  ScanOptions scan;
  Language lang = Language::kSpanish;
  std::string timezone = "America/Bogota";  // the event's, for "ya ingresó a las 08:12"
  BadgeOnAdmit badges = BadgeOnAdmit::kNo;
  // True while the station's hub is away (a paired station); null for a
  // laptop alone. The window shows the offline band while it says so.
  std::function<bool()> hub_away;
};

struct StationCallbacks {
  // Each decision with its banner (the volunteer's message is its detail),
  // after its badge was queued.
  std::function<void(const ScanEvent&, const Banner&)> on_decision;
  // Notices and warnings, already in the station's language.
  std::function<void(const std::string& text)> on_notice;
  // The picture the loop just decoded, at most every `frame_every` (the
  // door screen's camera stream); on the decode thread, so keep it short.
  std::function<void(const scanner::Frame&)> on_frame;
  std::chrono::milliseconds frame_every{200};
};

// A notice in words a volunteer can act on.
std::string NoticeText(const ScanNotice& n, Language lang);

class Station {
 public:
  // `camera` may be null (keyboard only); `keyboard_fd` -1 for none.
  // `window` and `beeper` may be null (headless).
  Station(CheckinService& service, const Clock& clock, StationOptions options,
          std::unique_ptr<FrameSource> camera, int keyboard_fd,
          std::unique_ptr<PreviewWindow> window, std::unique_ptr<Beeper> beeper,
          StationCallbacks callbacks);
  ~Station();

  // Scans until the source ends, the keyboard closes (with no camera), the
  // window is closed, or Stop(). Errors: the camera could not be opened.
  Result<ScanSummary> Run();
  void Stop();
  // A code typed elsewhere (the door screen's handheld box), redeemed like
  // one from the keyboard. Any thread; Unavailable unless Run() is running.
  Status Type(std::string code);

  // How long a verdict's banner stays over the picture.
  static constexpr std::chrono::seconds kBannerFor{3};

 private:
  void Decided(const ScanEvent& e);
  void Frame(const scanner::Frame& f, const std::vector<Detection>& codes);

  CheckinService& service_;
  const Clock& clock_;
  StationOptions options_;
  std::unique_ptr<FrameSource> camera_;
  int keyboard_fd_;
  std::unique_ptr<PreviewWindow> window_;
  std::unique_ptr<Beeper> beeper_;
  StationCallbacks callbacks_;
  std::optional<Banner> banner_;
  std::chrono::steady_clock::time_point banner_since_{};
  std::optional<std::chrono::steady_clock::time_point> last_frame_out_;
  std::unique_ptr<ScanLoop> loop_;
};

}  // namespace checkin::scanner
