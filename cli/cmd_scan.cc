// checkin scan: the camera station. Reads a camera, stream, video file or
// image folder (and/or a USB handheld scanner on stdin), answers every ticket
// held up once, on screen, by sound, or as JSON lines.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <optional>
#include <thread>

#include "cli/support.h"
#include "common/clock.h"
#include "common/font.h"
#include "common/text.h"
#include "db/checkin_desk.h"
#include "db/print_queue.h"
#include "scanner/banner.h"
#include "scanner/frame_source.h"
#include "scanner/preview.h"
#include "scanner/scan_loop.h"
#include "scanner/sound.h"

namespace checkin::cli {
namespace {

struct ScanCliOptions {
  std::vector<std::string> sources;
  std::string gate = kDefaultGate;
  std::string station;
  bool headless = false, json = false, print = false, realtime = false;
};

std::string Json(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string NoticeText(const scanner::ScanNotice& n, bool es) {
  using K = scanner::ScanNotice::Kind;
  const std::string secs = std::to_string((n.retry_in.count() + 999) / 1000);
  switch (n.kind) {
    case K::kCameraOpened: return (es ? "Leyendo " : "Reading ") + n.detail;
    case K::kCameraLost:
      return (es ? "Cámara desconectada (" : "Camera lost (") + n.detail +
             (es ? "). Reintentando en " + secs + " s; revisar el cable o la red."
                 : "). Retrying in " + secs + " s; check the cable or network.");
    case K::kCameraBack: return (es ? "Cámara de nuevo en línea: " : "Camera back: ") + n.detail;
    case K::kUnreadableFrame: return (es ? "Imagen ilegible, se omite: " : "Unreadable image, skipped: ") + n.detail;
    case K::kNotRecorded:
      return (es ? "NO registrado, no dejar pasar todavía: " : "NOT recorded, do not let them in yet: ") + n.detail;
  }
  return n.detail;
}

nlohmann::json DecisionJson(const scanner::ScanEvent& e, Language lang, const std::string& tz) {
  const Decision& d = e.decision;
  return {{"ts", d.at},
          {"frame", e.frame > 0 ? nlohmann::json(e.frame) : nlohmann::json()},
          {"code", d.code},
          {"verdict", std::string(VerdictName(d.verdict))},
          {"attendee", d.attendee ? AttendeeJson(*d.attendee) : nlohmann::json()},
          {"gate", d.gate},
          {"latency_ms", std::round(e.latency_ms * 10) / 10},
          {"source", std::string(ScanSourceName(e.source))},
          {"previous", d.previous ? PreviousJson(*d.previous) : nlohmann::json()},
          {"message", VolunteerMessage(d, lang, tz)}};
}

void PrintSummary(const scanner::ScanSummary& s, bool json, Language lang) {
  const bool es = lang == Language::kSpanish;
  if (json) {
    nlohmann::json by_verdict = nlohmann::json::object();
    for (const auto& [v, n] : s.decisions) by_verdict[std::string(VerdictName(v))] = n;
    std::cout << Json({{"summary",
                        {{"frames_read", s.frames_read},
                         {"frames_decoded", s.frames_decoded},
                         {"frames_dropped", s.frames_dropped},
                         {"frames_with_codes", s.frames_with_codes},
                         {"unreadable_frames", s.unreadable_frames},
                         {"reconnects", s.reconnects},
                         {"not_recorded", s.not_recorded},
                         {"decisions", by_verdict}}}})
              << std::endl;
    return;
  }
  std::cout << (es ? "Fotogramas leídos: " : "Frames read: ") << s.frames_read
            << (es ? "  decodificados: " : "  decoded: ") << s.frames_decoded
            << (es ? "  descartados: " : "  dropped: ") << s.frames_dropped << "\n";
  for (const auto& [v, n] : s.decisions) std::cout << "  " << VerdictLabel(v, lang) << ": " << n << "\n";
}

// SIGINT/SIGTERM stop the loop from a thread of their own (a signal handler
// may not take the loop's locks).
class SignalStopper {
 public:
  explicit SignalStopper(scanner::ScanLoop& loop) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);  // inherited by every thread started after this
    thread_ = std::thread([this, &loop] {
      int sig = 0;
      sigwait(&set_, &sig);
      if (sig != SIGUSR1) loop.Stop();
    });
  }
  ~SignalStopper() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

 private:
  sigset_t set_;
  std::thread thread_;
};

int Run(const GlobalOptions& g, const ScanCliOptions& o) {
  auto config = LoadStationConfig(g);
  if (!config.ok()) return Fail(config.status());
  const Language lang = EffectiveLanguage(g, *config);
  const bool es = lang == Language::kSpanish;
  if (Status s = config->FindGate(o.gate).status(); !s.ok()) return Fail(s);
  auto db = OpenDatabase(g, db::OpenMode::kMustExist);
  if (!db.ok()) return Fail(db.status());
  auto desk = db::CheckinDesk::Create(**db, SystemClock(), *config);
  if (!desk.ok()) return Fail(desk.status());

  std::unique_ptr<scanner::FrameSource> camera;
  int keyboard_fd = -1;
  for (const std::string& spec : o.sources) {
    if (spec == "keyboard") {
      keyboard_fd = 0;
      continue;
    }
    if (camera) return Fail(Status::InvalidInput("one camera per station; start another checkin scan for a second"));
    auto src = scanner::MakeFrameSource(spec);
    if (!src.ok()) return Fail(src.status());
    camera = std::move(src).value();
  }

  // A keyboard-only station has no picture to show; it still beeps.
  std::unique_ptr<scanner::PreviewWindow> window;
  if (!o.headless && camera) {
    auto font = FindFontFile(kDefaultBoldFont);
    if (!font.ok()) return Fail(font.status());
    auto w = scanner::PreviewWindow::Open("checkin · " + o.gate, *font);
    if (!w.ok()) return Fail(w.status());
    window = std::move(w).value();
  }
  std::optional<scanner::Beeper> beeper;
  if (!o.headless && config->scanner.sound) beeper.emplace();
  std::optional<db::PrintQueue> print_queue;
  if (o.print) print_queue.emplace(**db, SystemClock());

  scanner::ScanOptions so;
  so.gate = o.gate;
  so.station = o.station.empty() ? DefaultStation() : o.station;
  so.repeat_after = std::chrono::milliseconds(config->scanner.repeat_after_ms);
  so.pacing = camera && !camera->Live() && !o.realtime ? scanner::Pacing::kAsFastAsPossible
                                                       : scanner::Pacing::kRealtime;
  const std::string tz = (*desk)->timezone();
  std::optional<scanner::Banner> banner;
  auto banner_since = SystemClock().Monotonic();

  scanner::ScanCallbacks cb;
  cb.on_decision = [&](const scanner::ScanEvent& e) {
    const Decision& d = e.decision;
    if (print_queue && d.verdict == Verdict::kAdmitted && d.attendee) {
      if (auto job = print_queue->Enqueue(d.attendee->id, so.station); !job.ok()) {
        std::cerr << (es ? "aviso: la escarapela no quedó en cola: " : "warning: badge not queued: ")
                  << job.status().message() << "\n";
      }
    }
    if (o.json) {
      std::cout << Json(DecisionJson(e, lang, tz)) << std::endl;
    } else {
      const scanner::Banner b = scanner::BannerFor(d, lang, tz);
      std::cout << Paint(" " + b.title + " ", VerdictColour(d.verdict)) << "  " << b.name << "\n  " << b.detail
                << std::endl;
    }
    banner = scanner::BannerFor(d, lang, tz);
    banner_since = SystemClock().Monotonic();
    if (beeper) beeper->Play(banner->tone);
  };
  cb.on_notice = [&](const scanner::ScanNotice& n) {
    const std::string text = NoticeText(n, es);
    if (o.json) {
      std::cerr << Json({{"notice", text}}) << std::endl;
    } else {
      std::cerr << text << std::endl;
    }
  };
  scanner::ScanLoop* running = nullptr;
  if (window) {
    cb.on_frame = [&](const scanner::Frame& f, const std::vector<scanner::Detection>& codes) {
      // The banner stays up for three seconds, then the picture is clear again.
      if (banner && SystemClock().Monotonic() - banner_since > std::chrono::seconds(3)) banner.reset();
      window->Show(f, codes, banner);
      if (window->QuitRequested() && running != nullptr) running->Stop();
    };
  }
  scanner::ScanLoop loop(**desk, SystemClock(), so, cb);
  running = &loop;
  SignalStopper stopper(loop);

  if (keyboard_fd >= 0) {
    std::cerr << (es ? "Lector de mano: escanee o escriba un código y Enter" : "Handheld scanner: scan or type a code and Enter")
              << std::endl;
  }
  auto summary = loop.Run(camera.get(), keyboard_fd);
  if (!summary.ok()) return Fail(summary.status());
  PrintSummary(*summary, o.json, lang);
  return summary->not_recorded > 0 ? kExitError : kExitOk;
}

}  // namespace

void RegisterScan(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<ScanCliOptions>();
  auto* cmd = app.add_subcommand("scan", "The camera station: answer every ticket held up, once");
  cmd->add_option("--source", o->sources,
                  "Camera (0, /dev/video0), stream (rtsp://, http://), video file, image folder, or keyboard "
                  "(a USB handheld scanner); repeat for camera and keyboard together")
      ->required();
  cmd->add_option("--gate", o->gate, "Gate name from the config")->capture_default_str();
  cmd->add_option("--station", o->station, "Station id (default: this machine's name)");
  cmd->add_flag("--headless", o->headless, "No window and no sound");
  cmd->add_flag("--json", o->json, "One JSON line per decision on stdout, and a summary line at the end");
  cmd->add_flag("--print", o->print, "Queue a badge for every admitted attendee (checkin print prints them)");
  cmd->add_flag("--realtime", o->realtime, "Pace video files at their frame rate instead of as fast as possible");
  cmd->callback([&g, &exit_code, o] { exit_code = Run(g, *o); });
}

}  // namespace checkin::cli
