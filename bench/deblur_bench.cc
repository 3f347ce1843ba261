// The deblurred remedy on strong blur, which the golden corpus (4-8 px
// paths, Gaussian defocus) does not yet make: a ticket moved 15-30 px in any
// direction while the shutter was open (synth's own motion blur), and a
// frame defocused by a disc of 4-7.5 px radius. Recall of raw ZXing (QR
// only) and of the decoder, how many the deblurred remedy read, and the
// thread CPU time of live turns on these frames (remedies take turns, one a
// frame, so every turn must stay small).
//
// Usage: deblur_bench [--frames N] (N per kind, default 40).
#include <algorithm>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <random>

#include "bench/report.h"
#include "common/number.h"
#include "scanner/decoder.h"
#include "tests/fakes/fake_camera.h"
#include "tests/synth/synth.h"

namespace checkin::bench {
namespace {

enum class Kind { kMotion, kDefocus };

// One ticket held up at a door, blurred by `kind`, drawn from `seed`.
cv::Mat BlurredFrame(Kind kind, int seed, std::string* payload) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::uniform_real_distribution<double> u(0, 1);
  *payload = "KCD26-BLUR-" + std::to_string(100000 + seed);
  synth::SceneSpec s;
  s.seed = static_cast<uint64_t>(seed);
  s.noise_sigma = 2;
  synth::TicketSpec t;
  t.payload = *payload;
  t.module_px = 5 + 2 * u(rng);
  t.rotation_deg = 360 * u(rng);
  t.cx = 0.3 + 0.4 * u(rng);
  t.cy = 0.35 + 0.3 * u(rng);
  s.tickets.push_back(t);
  if (kind == Kind::kMotion) {
    s.motion_blur_px = 15 + 15 * u(rng);
    s.motion_angle_deg = 180 * u(rng);
    return synth::RenderScene(s);
  }
  const double radius = 4 + 3.5 * u(rng);
  s.noise_sigma = 0;  // added after the blur, as a sensor would
  const cv::Mat sharp = synth::RenderScene(s);
  const int side = 2 * static_cast<int>(radius) + 5;
  cv::Mat disc(side, side, CV_32F, cv::Scalar(0));
  cv::circle(disc, cv::Point(side / 2 * 16, side / 2 * 16), static_cast<int>(radius * 16), 1.0, -1,
             cv::LINE_AA, 4);
  cv::Mat blurred, noise(sharp.size(), CV_32FC3);
  cv::filter2D(sharp, blurred, CV_32F, disc / cv::sum(disc)[0]);
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(2));
  blurred += noise;
  blurred.convertTo(blurred, CV_8U);
  return blurred;
}

void BenchKind(Kind kind, int frames, Report& report) {
  const std::string name = kind == Kind::kMotion ? "motion 15-30 px" : "defocus disc 4-7.5 px";
  int raw = 0, ours = 0, deblurred = 0, false_reads = 0;
  std::vector<double> turn_ms;
  for (int i = 0; i < frames; ++i) {
    std::string payload;
    const scanner::Frame f = testing::FrameFromMat(
        BlurredFrame(kind, 1000 + 2 * i + (kind == Kind::kDefocus), &payload));
    const auto has = [&](const Result<std::vector<scanner::Detection>>& got) {
      return got.ok() && std::any_of(got->begin(), got->end(),
                                     [&](const auto& d) { return d.bytes == payload; });
    };
    raw += has(scanner::DecodeRawZxing(f));
    scanner::Decoder still(scanner::Effort::kStill);
    const auto o = still.Decode(f);
    ours += has(o);
    deblurred += has(o) && o->front().remedy == "deblurred";
    false_reads += o.ok() && !o->empty() && !has(o);
    // Every remedy's turn on this frame, as a live decoder would give them
    // to consecutive frames of the same presentation.
    scanner::Decoder live(scanner::Effort::kLive);
    for (int turn = 0; turn < 8; ++turn) {
      Sample s;
      (void)Timed(&s, [&] { return live.Decode(f); });
      turn_ms.push_back(s.cpu);
    }
  }
  report.Section(name + " (" + std::to_string(frames) + " frames, 1280x720)");
  report.Value("deblur", name + ": raw ZXing QR only", raw, "frames");
  report.Value("deblur", name + ": checkin", ours, "frames");
  report.Value("deblur", name + ": read by the deblurred remedy", deblurred, "frames");
  report.Latency("deblur", name + ": live turn (any remedy)", Summarize(turn_ms));
  report.Goal(name + ": false reads", false_reads, "", Bound::kAtMost, 0);
}

}  // namespace
}  // namespace checkin::bench

int main(int argc, char** argv) {
  using namespace checkin;
  int frames = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--frames") {
      if (Status s = ParseIntInto(argv[i + 1], 1, 10'000, "--frames", &frames); !s.ok()) {
        std::fprintf(stderr, "deblur_bench: %s\n", s.message().c_str());
        return 2;
      }
    }
  }
  bench::Report report(nullptr);
  bench::BenchKind(bench::Kind::kMotion, frames, report);
  bench::BenchKind(bench::Kind::kDefocus, frames, report);
  return report.Goals() == 0 ? 0 : 1;
}
