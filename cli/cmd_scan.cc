// checkin scan: the camera station. Reads a camera, stream, video file or
// image folder (and/or a USB handheld scanner on stdin), answers every ticket
// held up once, on screen, by sound, or as JSON lines.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <thread>

#include "cli/support.h"
#include "common/clock.h"
#include "common/font.h"
#include "hub/door_server.h"
#include "scanner/banner.h"
#include "scanner/frame_source.h"
#include "scanner/gate_count.h"
#include "scanner/preview.h"
#include "scanner/sound.h"
#include "scanner/station.h"

namespace checkin::cli {
namespace {

struct ScanCliOptions {
  std::vector<std::string> sources;
  std::string gate = kDefaultGate;
  std::string station;
  std::string ui;  // HOST:PORT of the door screen, loopback only
  bool headless = false, json = false, print = false, realtime = false;
};

// The decision's one JSON shape, plus what only a scan knows: when the frame
// was taken, which frame, how long the answer took, and from which source.
JsonObject ScanLineJson(const scanner::ScanEvent& e, const std::string& message) {
  JsonObject j = DecisionJson(e.decision, message);
  j.SetString("ts", e.decision.at);
  if (e.frame > 0) {
    j.SetInt("frame", e.frame);
  } else {
    j.SetNull("frame");
  }
  j.SetDouble("latency_ms", std::round(e.latency_ms * 10) / 10)
      .SetString("source", ScanSourceName(e.source));
  return j;
}

void PrintSummary(const scanner::ScanSummary& s, bool json, Language lang) {
  const bool es = lang == Language::kSpanish;
  if (json) {
    JsonObject by_verdict;
    for (const auto& [v, n] : s.decisions) by_verdict.SetInt(VerdictName(v), n);
    JsonObject summary;
    summary.SetInt("frames_read", s.frames_read).SetInt("frames_decoded", s.frames_decoded);
    summary.SetInt("frames_dropped", s.frames_dropped)
        .SetInt("frames_with_codes", s.frames_with_codes);
    summary.SetInt("unreadable_frames", s.unreadable_frames).SetInt("reconnects", s.reconnects);
    summary.SetInt("not_recorded", s.not_recorded).SetObject("decisions", std::move(by_verdict));
    JsonObject line;
    line.SetObject("summary", std::move(summary));
    PrintJson(line);
    return;
  }
  std::cout << (es ? "Fotogramas leídos: " : "Frames read: ") << s.frames_read
            << (es ? "  decodificados: " : "  decoded: ") << s.frames_decoded
            << (es ? "  descartados: " : "  dropped: ") << s.frames_dropped << "\n";
  for (const auto& [v, n] : s.decisions)
    std::cout << "  " << VerdictLabel(v, lang) << ": " << n << "\n";
}

// What the door screen shows of a decision: the banner's words, the name
// and ticket type apart (never the email).
hub::DoorDecision DoorDecisionOf(const scanner::ScanEvent& e, const scanner::Banner& b) {
  const Decision& d = e.decision;
  hub::DoorDecision out;
  out.verdict = std::string(VerdictName(d.verdict));
  out.tone = b.tone == scanner::Tone::kGreen   ? "green"
             : b.tone == scanner::Tone::kAmber ? "amber"
                                               : "red";
  out.label = b.title;
  out.name = d.attendee ? d.attendee->FullName() : d.code;
  out.ticket_type = d.attendee ? d.attendee->ticket_type : "";
  out.detail = b.detail;
  out.at = d.at;
  out.offline = d.offline;
  return out;
}

// SIGINT/SIGTERM stop the loop from a thread of their own (a signal handler
// may not take the loop's locks).
class SignalStopper {
 public:
  explicit SignalStopper(scanner::Station& loop) {
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

int RunScan(const GlobalOptions& g, const ScanCliOptions& o) {
  auto opened = Open(g, Need::kService);
  if (!opened.ok()) return Fail(opened.status());
  auto sync = StartBackgroundSync(*opened);
  if (!sync.ok()) return Fail(sync.status());
  const Language lang = opened->lang;
  if (Status s = opened->config.FindGate(o.gate).status(); !s.ok()) return Fail(s);

  std::unique_ptr<scanner::FrameSource> camera;
  int keyboard_fd = -1;
  for (const std::string& spec : o.sources) {
    if (spec == "keyboard") {
      keyboard_fd = 0;
      continue;
    }
    if (camera)
      return Fail(
          Status::InvalidInput("one camera per station; start another checkin scan for a second"));
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
  std::unique_ptr<scanner::Beeper> beeper;
  if (!o.headless && opened->config.scanner.sound) beeper = std::make_unique<scanner::Beeper>();

  scanner::StationOptions so;
  so.scan.gate = o.gate;
  so.scan.station = StationOr(o.station, *opened);
  so.scan.repeat_after = std::chrono::milliseconds(opened->config.scanner.repeat_after_ms);
  so.scan.pacing = camera && !camera->Live() && !o.realtime ? scanner::Pacing::kAsFastAsPossible
                                                            : scanner::Pacing::kRealtime;
  so.lang = lang;
  so.timezone = opened->event.timezone;
  so.badges = o.print ? scanner::BadgeOnAdmit::kQueue : scanner::BadgeOnAdmit::kNo;
  if (opened->link) so.hub_away = [link = opened->link] { return link->away(); };

  // Started once the signals are blocked (below), so its threads inherit that.
  std::unique_ptr<hub::DoorServer> door;
  scanner::GateCount gate_count(opened->service(), o.gate, opened->event.timezone, SystemClock());
  scanner::StationCallbacks cb;
  cb.on_decision = [&](const scanner::ScanEvent& e, const scanner::Banner& b) {
    if (door) {
      door->PublishDecision(DoorDecisionOf(e, b));
      if (auto n = gate_count.After(&e.decision)) door->PublishCount(*n);
    }
    if (o.json) {
      PrintJson(ScanLineJson(e, b.detail));
      return;
    }
    std::cout << Paint(" " + b.title + " ", VerdictColour(e.decision.verdict)) << "  " << b.name
              << "\n  " << b.detail << "\n";
    if (!b.band.empty()) {
      std::cout << "  " << Paint(" " + b.band + " ", VerdictColour(Verdict::kAlreadyCheckedIn))
                << "\n";
    }
    std::cout << std::flush;
  };
  cb.on_notice = [&](const std::string& text) {
    if (o.json) {
      JsonObject j;
      j.SetString("notice", text);
      std::cerr << j.Dump() << std::endl;
    } else {
      std::cerr << Safe(text) << std::endl;
    }
  };
  const bool has_camera = camera != nullptr;
  if (!o.ui.empty() && has_camera) {
    // Encoded only while a screen watches, and at most 5 times a second.
    cb.on_frame = [&](const scanner::Frame& f) {
      if (!door || !door->WantsFrames()) return;
      if (auto jpeg = scanner::EncodeJpeg(f, 70); jpeg.ok()) door->PublishFrame(std::move(*jpeg));
    };
  }
  const bool has_keyboard = keyboard_fd >= 0;
  scanner::Station station(opened->service(), SystemClock(), so, std::move(camera), keyboard_fd,
                           std::move(window), std::move(beeper), cb);
  SignalStopper stopper(station);
  if (!o.ui.empty()) {
    hub::DoorServerOptions dopt;
    dopt.listen = o.ui;
    dopt.lang = lang;
    dopt.gate = o.gate;
    dopt.camera = has_camera;
    dopt.hub_away = so.hub_away;
    dopt.redeem = [&station](const std::string& code) { return station.Type(code); };
    auto started = hub::DoorServer::Start(std::move(dopt));
    if (!started.ok()) return Fail(started.status());
    door = std::move(started).value();
    if (auto n = gate_count.After(nullptr)) door->PublishCount(*n);
    const std::string url = door->LoginUrl();
    if (o.json) {
      JsonObject j;
      j.SetString("door_screen", url);
      std::cerr << j.Dump() << std::endl;
    } else {
      std::cerr << (lang == Language::kSpanish
                        ? "Pantalla de la puerta (abrir una vez en el navegador): "
                        : "Door screen (open once in the browser): ")
                << url << std::endl;
    }
  }
  if (has_keyboard) {
    std::cerr << (lang == Language::kSpanish ? "Lector de mano: escanee o escriba un código y Enter"
                                             : "Handheld scanner: scan or type a code and Enter")
              << std::endl;
  }
  auto summary = station.Run();
  door.reset();  // before the station its page hands codes to
  if (!summary.ok()) return Fail(summary.status());
  PrintSummary(*summary, o.json, lang);
  return summary->not_recorded > 0 ? kExitError : kExitOk;
}

}  // namespace

void RegisterScan(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<ScanCliOptions>();
  auto* cmd = app.add_subcommand("scan", "The camera station: answer every ticket held up, once");
  cmd->add_option("--source", o->sources,
                  "Camera (0, /dev/video0), stream (rtsp://, http://), video file, image folder, "
                  "or keyboard "
                  "(a USB handheld scanner); repeat for camera and keyboard together")
      ->required();
  cmd->add_option("--gate", o->gate, "Gate name from the config")->capture_default_str();
  cmd->add_option("--station", o->station, "Station id (default: this machine's name)");
  cmd->add_flag("--headless", o->headless, "No window and no sound");
  cmd->add_option("--ui", o->ui,
                  "Serve the door screen on HOST:PORT (loopback only, e.g. 127.0.0.1:8080); "
                  "prints a one-time login link");
  cmd->add_flag("--json", o->json,
                "One JSON line per decision on stdout, and a summary line at the end");
  cmd->add_flag("--print", o->print,
                "Queue a badge for every admitted attendee (checkin print prints them)");
  cmd->add_flag("--realtime", o->realtime,
                "Pace video files at their frame rate instead of as fast as possible");
  cmd->callback([&g, &exit_code, o] { exit_code = RunScan(g, *o); });
}

}  // namespace checkin::cli
