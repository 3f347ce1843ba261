#include "scanner/station.h"

namespace checkin::scanner {

std::string NoticeText(const ScanNotice& n, Language lang) {
  const bool es = lang == Language::kSpanish;
  using K = ScanNotice::Kind;
  const std::string secs = std::to_string((n.retry_in.count() + 999) / 1000);
  switch (n.kind) {
    case K::kCameraOpened:
      return (es ? "Leyendo " : "Reading ") + n.detail;
    case K::kCameraLost:
      return (es ? "Cámara desconectada (" : "Camera lost (") + n.detail +
             (es ? "). Reintentando en " + secs + " s; revisar el cable o la red."
                 : "). Retrying in " + secs + " s; check the cable or network.");
    case K::kCameraBack:
      return (es ? "Cámara de nuevo en línea: " : "Camera back: ") + n.detail;
    case K::kUnreadableFrame:
      return (es ? "Imagen ilegible, se omite: " : "Unreadable image, skipped: ") + n.detail;
    case K::kNotRecorded:
      return NotRecordedPrefix(lang) + n.detail;
  }
  return n.detail;
}

Station::Station(CheckinService& service, const Clock& clock, StationOptions options,
                 std::unique_ptr<FrameSource> camera, int keyboard_fd,
                 std::unique_ptr<PreviewWindow> window, std::unique_ptr<Beeper> beeper,
                 StationCallbacks callbacks)
    : service_(service),
      clock_(clock),
      options_(std::move(options)),
      camera_(std::move(camera)),
      keyboard_fd_(keyboard_fd),
      window_(std::move(window)),
      beeper_(std::move(beeper)),
      callbacks_(std::move(callbacks)) {
  ScanCallbacks cb;
  cb.on_decision = [this](const ScanEvent& e) { Decided(e); };
  cb.on_notice = [this](const ScanNotice& n) {
    if (callbacks_.on_notice) callbacks_.on_notice(NoticeText(n, options_.lang));
  };
  if (window_ || callbacks_.on_frame)
    cb.on_frame = [this](const scanner::Frame& f, const std::vector<Detection>& codes) {
      Frame(f, codes);
    };
  loop_ = std::make_unique<ScanLoop>(service_, clock_, options_.scan, std::move(cb));
}

Station::~Station() = default;

void Station::Decided(const ScanEvent& e) {
  const Decision& d = e.decision;
  if (options_.badges == BadgeOnAdmit::kQueue && d.verdict == Verdict::kAdmitted && d.attendee) {
    // The admission stands whatever happens here; a badge that did not queue
    // can be reprinted at the desk, so warn and go on.
    if (auto job = service_.EnqueueBadge(d.attendee->id, options_.scan.station);
        !job.ok() && callbacks_.on_notice) {
      const bool es = options_.lang == Language::kSpanish;
      callbacks_.on_notice((es ? "aviso: la escarapela de " : "warning: the badge of ") +
                           d.attendee->FullName() +
                           (es ? " no quedó en cola (reimprimir en la mesa): "
                               : " was not queued (reprint at the desk): ") +
                           job.status().message());
    }
  }
  // One banner per decision: the window, the tone and the caller's line.
  banner_ = BannerFor(d, options_.lang, options_.timezone);
  banner_since_ = clock_.Monotonic();
  if (callbacks_.on_decision) callbacks_.on_decision(e, *banner_);
  if (beeper_) beeper_->Play(banner_->tone);
}

// On the decode thread, like Decided(): the banner needs no lock.
void Station::Frame(const scanner::Frame& f, const std::vector<Detection>& codes) {
  if (callbacks_.on_frame) {
    const auto now = clock_.Monotonic();
    if (!last_frame_out_ || now - *last_frame_out_ >= callbacks_.frame_every) {
      last_frame_out_ = now;
      callbacks_.on_frame(f);
    }
  }
  if (!window_) return;
  // The banner stays up for a few seconds, then the picture is clear again.
  if (banner_ && clock_.Monotonic() - banner_since_ > kBannerFor) banner_.reset();
  std::string band = banner_ ? banner_->band : std::string();
  if (band.empty() && options_.hub_away && options_.hub_away()) band = HubAwayLine(options_.lang);
  window_->Show(f, codes, banner_, band);
  if (window_->QuitRequested()) loop_->Stop();
}

Result<ScanSummary> Station::Run() { return loop_->Run(camera_.get(), keyboard_fd_); }

void Station::Stop() { loop_->Stop(); }

Status Station::Type(std::string code) { return loop_->Type(std::move(code)); }

}  // namespace checkin::scanner
