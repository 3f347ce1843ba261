// Bursts of frames of one ticket held up to a live camera (RenderBurst).
#include <cmath>
#include <vector>

#include "tests/synth/rng.h"
#include "tests/synth/scene.h"
#include "tests/synth/synth.h"

namespace checkin::synth {

std::vector<cv::Mat> RenderBurst(const BurstSpec& spec) {
  const SceneSpec& base = spec.scene;
  const cv::Size size = FrameSize(base.width, base.height);
  const Person person = PickPerson(base.seed, base.tickets.empty() ? 0.5 : base.tickets[0].cx);
  const cv::Mat room = RenderRoom(person, base.seed, size);  // the room stays; the hand moves
  // The tremor's phases follow the scene, not the payload, so a second
  // ticket in the same hand carries on where the first one was.
  Rng rng(Mix(base.seed, 0xB0257));
  const double px = rng.Uniform(0, 100), py = rng.Uniform(0, 100), pr = rng.Uniform(0, 100);
  std::vector<cv::Mat> frames;
  for (int i = 0; i < spec.frames; ++i) {
    const int f = spec.first + i;
    SceneSpec s = base;
    // A hand's tremor: a few Hz, out of step on each axis (frequencies per
    // frame at 30 fps).
    for (TicketSpec& t : s.tickets) {
      t.cx += spec.tremor_px * std::sin(0.9 * f + px) / s.width;
      t.cy += spec.tremor_px * std::sin(0.7 * f + py) / s.height;
      t.rotation_deg += spec.tremor_deg * std::sin(0.5 * f + pr);
    }
    if (s.glare) s.glare_seed = Mix(base.seed, 0x61A4E + static_cast<uint64_t>(f));
    frames.push_back(ComposeScene(room, person, s, static_cast<uint64_t>(f) + 1));
  }
  return frames;
}

}  // namespace checkin::synth
