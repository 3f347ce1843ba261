// The golden corpus and queue videos, built on RenderScene's internals.
#include "tests/synth/synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <opencv2/videoio.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tests/synth/card.h"
#include "tests/synth/rng.h"
#include "tests/synth/scene.h"

namespace checkin::synth {

// ---- The golden corpus ---------------------------------------------------------

namespace {

// What every laptop webcam adds: some softness, sensor noise, MJPEG.
SceneSpec Camera(int width, int height, Rng* rng) {
  SceneSpec s;
  s.width = width;
  s.height = height;
  s.defocus_sigma = rng->Uniform(0.3, 0.6);
  s.noise_sigma = rng->Uniform(1, 3);
  s.light = rng->Uniform(0.85, 1.1);
  s.jpeg_quality = rng->Int(85, 95);
  s.seed = rng->Next();
  return s;
}

std::string TicketCode(Rng* rng) {
  static constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string code = "KCD26-";
  for (int i = 0; i < 10; ++i) code += kBase32[rng->Int(0, 31)];
  return code;
}

TicketSpec& AddTicket(Medium medium, double module_lo, double module_hi, Rng* rng, SceneSpec* s) {
  TicketSpec t;
  do {
    t.payload = TicketCode(rng);
  } while (std::any_of(s->tickets.begin(), s->tickets.end(),
                       [&](const TicketSpec& o) { return o.payload == t.payload; }));
  t.medium = medium;
  t.module_px = rng->Uniform(module_lo, module_hi);
  t.rotation_deg = rng->Uniform(-8, 8);
  t.tilt_deg = rng->Uniform(0, 15);
  t.tilt_axis_deg = rng->Uniform(0, 180);
  s->tickets.push_back(t);
  return s->tickets.back();
}

Medium LightMedium(Rng* rng) { return rng->Chance(0.6) ? Medium::kPaper : Medium::kPhoneLight; }
Medium AnyMedium(Rng* rng) {
  return std::array{Medium::kPaper, Medium::kPhoneLight,
                    Medium::kPhoneDark}[static_cast<size_t>(rng->Int(0, 2))];
}

void AddCrowd(Rng* rng, SceneSpec* s) {
  const int count = rng->Int(2, 3);
  for (int i = 0; i < count; ++i) {
    TicketSpec& t = AddTicket(AnyMedium(rng), 3.5, 5.5, rng, s);
    t.rotation_deg = rng->Uniform(-20, 20);
  }
}

// Paper bent hard: round its vertical or its horizontal axis, at a radius of
// 0.8-1.7 code widths (2.5-5 cm for a code 3 cm across with its quiet zone: a
// ticket held by its edges or curled from a pocket), and/or crumpled up to 3
// modules high. The edges turn at most 69 degrees and crumples slope under
// about 55 (see bend.cc), so every module stays in view: readable in
// principle by a reader that follows the grid.
void BendStrongly(Rng* r, SceneSpec* s) {
  TicketSpec& t = AddTicket(Medium::kPaper, 5, 8, r, s);
  // Seen square on, a bend only foreshortens; it is at a slant that the
  // code's rows curve (parallax, see Relief), and a bent ticket held up in
  // one hand is seldom square to the camera.
  const double slant = r->Uniform(10, 40);
  const double kind = r->Uniform(0, 1);
  double steepest = 0;  // the most the code's own surface turns, in degrees
  if (kind < 0.7) {
    const bool horizontal = r->Chance(0.5);
    t.bend_axis_deg = horizontal ? 90 : 0;
    // Curvature counts from the bent side's half-length; a ticket is 0.63 as
    // tall as it is wide, so the same radius round its horizontal axis is 0.63 of it.
    t.curvature = r->Uniform(0.5, 1.0) * (horizontal ? 0.63 : 1.0);
    // The code's far edge turns 0.91 rad per unit of curvature round the
    // vertical axis (it sits 22 of the ticket's 29 half-width modules out),
    // 0.81 round the horizontal one (12.5 of 18.5 half-height modules).
    steepest = (horizontal ? 0.81 : 0.91) * t.curvature * 180 / std::numbers::pi;
  }
  if (kind > 0.4) {
    t.crumple = r->Uniform(0.5, 3.0);
    steepest += std::atan(2 * std::numbers::pi * t.crumple / 14) * 180 / std::numbers::pi;
  }
  // Slant and slope together stay under 70 degrees: past that the code's
  // surface turns edge-on, and no reader could see all of it.
  t.tilt_deg = std::clamp(70 - steepest, 0.0, slant);
}

// A fixed-focus webcam (Project's field of view, f/1.8-2.4, focused at 0.7-1.5
// m) and a code 25-50 mm across held 12-40 cm from it: the disc's radius and
// the module's size both follow from the distance, about 0.7-10 px and 2-15 px
// at 720p. The disc stays under 1.2 modules, where its spectrum's first zero
// would invert the finest module pattern.
void DefocusAtDepth(Rng* r, SceneSpec* s) {
  TicketSpec& t = AddTicket(LightMedium(r), 5, 8, r, s);
  // Sensors from 1/4" (3.6 mm wide) to 1/2.8" (5.6 mm): the same field of
  // view through a longer lens, so a wider aperture and more blur.
  const double sensor_mm = r->Uniform(3.6, 5.6), pitch_mm = sensor_mm / s->width;
  const double focal_px = 0.8 * s->width, focal_mm = focal_px * pitch_mm;
  const double distance = r->Uniform(120, 400), focus = r->Uniform(700, 1500);
  const double f_number = r->Uniform(1.8, 2.4), code_mm = r->Uniform(25, 50);
  t.module_px = code_mm / (21 + 2 * kQuietZone) * focal_px / distance;  // version 1: 21
  const double blur_mm = focal_mm * focal_mm / f_number * (1 / distance - 1 / focus);
  s->defocus_disc_px = std::min(0.5 * blur_mm / pitch_mm, 1.2 * t.module_px);
}

// Each category changes one thing from the camera baseline. The gentle ones'
// ranges are what a laptop webcam sees at 0.5-1.5 m, tuned so raw ZXing 1.4
// misses some codes and a careful reader (inverted retry, 2x upscale) finds >=
// 0.9 of each category;
// tilt is the tightest (~0.92): perspective on version-1 codes, which have no
// alignment pattern, is ZXing 1.4's weak spot.
using Recipe = void (*)(Rng*, SceneSpec*);
const std::array<std::pair<const char*, Recipe>, 21> kRecipes = {{
    {"paper_plain", [](Rng* r, SceneSpec* s) { AddTicket(Medium::kPaper, 4, 8, r, s); }},
    {"rotated",
     [](Rng* r, SceneSpec* s) {
       TicketSpec& t = AddTicket(LightMedium(r), 4, 8, r, s);
       t.rotation_deg = r->Uniform(0, 360);
     }},
    {"tilt",
     [](Rng* r, SceneSpec* s) {
       TicketSpec& t = AddTicket(LightMedium(r), 6, 8, r, s);
       t.tilt_deg = r->Uniform(35, 60);
     }},
    {"small", [](Rng* r, SceneSpec* s) { AddTicket(Medium::kPaper, 1.6, 2.4, r, s); }},
    {"phone_light", [](Rng* r, SceneSpec* s) { AddTicket(Medium::kPhoneLight, 4, 7, r, s); }},
    {"phone_dark", [](Rng* r, SceneSpec* s) { AddTicket(Medium::kPhoneDark, 4, 7, r, s); }},
    {"defocus",
     [](Rng* r, SceneSpec* s) {
       AddTicket(LightMedium(r), 5, 7, r, s);
       s->defocus_sigma = r->Uniform(1.5, 2.5);
     }},
    {"motion",
     [](Rng* r, SceneSpec* s) {
       AddTicket(LightMedium(r), 5, 8, r, s);
       s->motion_blur_px = r->Uniform(4, 8);
       s->motion_angle_deg = r->Uniform(0, 180);
     }},
    {"curved",
     [](Rng* r, SceneSpec* s) {
       TicketSpec& t = AddTicket(Medium::kPaper, 5, 8, r, s);
       t.curvature = r->Uniform(0.25, 0.5);
     }},
    {"low_light",
     [](Rng* r, SceneSpec* s) {
       AddTicket(LightMedium(r), 4, 8, r, s);
       s->light = r->Uniform(0.2, 0.35);
       s->noise_sigma = r->Uniform(6, 10);
     }},
    {"glare",
     [](Rng* r, SceneSpec* s) {
       AddTicket(LightMedium(r), 5, 8, r, s);
       s->glare = true;
     }},
    {"jpeg",
     [](Rng* r, SceneSpec* s) {
       AddTicket(LightMedium(r), 4, 8, r, s);
       s->jpeg_quality = r->Int(15, 30);
     }},
    {"multi", AddCrowd},
    {"none", [](Rng*, SceneSpec*) {}},
    // What a door's webcam shows and the gentle categories above do not, at
    // the spread real frames show (issue 14), not tuned to any reader; they
    // come last so the cases above stay as they were. Each keeps within what a
    // level-M code can in principle survive, so `expected` stays honest.
    {"motion_strong",
     [](Rng* r, SceneSpec* s) {
       // A ticket waved at 0.5-1 m/s through a 10-20 ms exposure: 15-30 px at
       // 720p, any direction, half the time on a bowed, speeding-up path. Capped
       // at 5 modules: a linear blur's spectrum has isolated zeros, so a reader
       // that knows the path can still invert it.
       TicketSpec& t = AddTicket(LightMedium(r), 6, 9, r, s);
       s->motion_blur_px = std::min(r->Uniform(15, 30), 5 * t.module_px);
       s->motion_angle_deg = r->Uniform(0, 360);
       if (r->Chance(0.5)) {
         s->motion_curve = r->Uniform(-0.2, 0.2);
         s->motion_ease = r->Uniform(0, 0.8);
       }
     }},
    {"curved_strong", BendStrongly},
    {"tilt_steep",
     [](Rng* r, SceneSpec* s) {
       // 55-70 degrees about any axis, either edge receding. At 70 degrees and
       // 6 px a module still spans >= 1.5 px on the far side: sampleable.
       TicketSpec& t = AddTicket(LightMedium(r), 6, 9, r, s);
       t.tilt_deg = r->Uniform(55, 70);
       t.tilt_axis_deg = r->Uniform(0, 360);
     }},
    {"defocus_disc", DefocusAtDepth},
    {"rolling_shutter",
     [](Rng* r, SceneSpec* s) {
       // A webcam reads its 720 rows in about 25-30 ms: a ticket moving at
       // 0.3-1 m/s shifts 25-90 px meanwhile (a shear of up to 7 degrees), and
       // smears by the exposure's share of that, 0.1-0.3. Blur capped as above.
       TicketSpec& t = AddTicket(LightMedium(r), 5, 8, r, s);
       s->rolling_shutter_px = r->Uniform(25, 90);
       s->motion_angle_deg = r->Uniform(0, 360);
       s->motion_blur_px = std::min(s->rolling_shutter_px * r->Uniform(0.1, 0.3), 5 * t.module_px);
     }},
    {"low_contrast",
     [](Rng* r, SceneSpec* s) {
       // Faded thermal paper, grey on grey, a dimmed screen: 20-45% of the
       // contrast left, unevenly. 20% is ISO/IEC 15415's floor for a
       // gradeable print; a reader still sees 35+ grey levels between ink and paper.
       TicketSpec& t = AddTicket(r->Chance(0.7) ? Medium::kPaper : Medium::kPhoneLight, 4, 8, r, s);
       t.ink_contrast = r->Uniform(0.2, 0.45);
     }},
    {"thumb",
     [](Rng* r, SceneSpec* s) {
       // A thumb over the code's edge, up to 6 modules in, anywhere along
       // it, pulled back half a module at a time until the code drawn flat and
       // sharp still reads whatever the skin: what it covers is then within
       // level M's error correction (about 15%), and the finders stay clear
       // enough to find. Over a finder it ends short of the code, as a careful
       // holder's does.
       TicketSpec& t = AddTicket(LightMedium(r), 5, 8, r, s);
       t.thumb_at = r->Uniform(0.1, 1.0);
       t.thumb_over = r->Uniform(1, 6);
       while (t.thumb_over > -2 * kQuietZone && !ThumbSparesCode(t)) t.thumb_over -= 0.5;
       if (!ThumbSparesCode(t)) t.thumb_over = 0;
     }},
}};

// Picks a centre on one axis that keeps [lo, hi] (the box around the centre
// `at`) inside 0..size; centres the ticket when it cannot fit.
double PlaceAxis(double lo, double hi, double at, double size, Rng* rng) {
  const double margin = 0.01 * size, min = at - lo + margin, max = size - (hi - at) - margin;
  return (min < max ? rng->Uniform(min, max) : size / 2) / size;
}

// Moves the tickets to random spots wholly in the frame and clear of each other
// (thumbs included); shrinks a crowd that does not fit.
void Place(Rng* rng, SceneSpec* s) {
  const cv::Size frame(s->width, s->height);
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    std::vector<cv::Rect2d> taken;
    for (TicketSpec& t : s->tickets) {
      t.cx = t.cy = 0.5;
      const cv::Rect2d box = BodyBox(t, frame);
      t.cx = PlaceAxis(box.x, box.x + box.width, frame.width / 2.0, frame.width, rng);
      t.cy = PlaceAxis(box.y, box.y + box.height, frame.height / 2.0, frame.height, rng);
      const double thumbs = 6 * t.module_px;
      const cv::Rect2d b = BodyBox(t, frame);
      taken.emplace_back(b.x - thumbs, b.y - thumbs, b.width + 2 * thumbs, b.height + 2 * thumbs);
    }
    bool clear = true;
    for (size_t i = 0; i < taken.size(); ++i)
      for (size_t j = 0; j < i; ++j) clear &= (taken[i] & taken[j]).empty();
    if (clear || s->tickets.size() < 2) return;
    if (attempt % 50 == 0)
      for (TicketSpec& t : s->tickets) t.module_px *= 0.9;
  }
}

}  // namespace

std::vector<std::string> CorpusCategories() {
  std::vector<std::string> names;
  names.reserve(kRecipes.size());
  for (const auto& [name, recipe] : kRecipes) names.emplace_back(name);
  return names;
}

std::vector<CorpusCase> GoldenCorpus(int per_category, uint64_t seed, int width, int height) {
  FrameSize(width, height);  // throws on a bad size before any work
  std::vector<CorpusCase> cases;
  for (size_t c = 0; c < kRecipes.size(); ++c) {
    for (int i = 0; i < per_category; ++i) {
      Rng rng(Mix(Mix(seed, c), static_cast<uint64_t>(i)));
      CorpusCase k{kRecipes[c].first, "", {}, {}};
      char index[16];
      std::snprintf(index, sizeof index, "_%03d", i);
      k.name = k.category + index;
      k.scene = Camera(width, height, &rng);
      kRecipes[c].second(&rng, &k.scene);
      Place(&rng, &k.scene);
      for (const TicketSpec& t : k.scene.tickets) k.expected.push_back(t.payload);
      cases.push_back(std::move(k));
    }
  }
  return cases;
}

// ---- Bursts for frame stacking --------------------------------------------------

std::vector<BurstCase> BurstCorpus(int per_category, uint64_t seed) {
  std::vector<BurstCase> cases;
  for (const char* category : {"dim", "glare"}) {
    const bool dim = category == std::string("dim");
    for (int i = 0; i < per_category; ++i) {
      Rng rng(Mix(Mix(seed, dim ? 0xD1A : 0x61A4E), static_cast<uint64_t>(i)));
      BurstCase k{category, "", {}, ""};
      char index[16];
      std::snprintf(index, sizeof index, "_%03d", i);
      k.name = k.category + index;
      SceneSpec& s = k.burst.scene;
      s = Camera(1280, 720, &rng);
      s.jpeg_quality = 0;  // a live camera's MJPEG is gentler than what follows
      AddTicket(LightMedium(&rng), 4, 7, &rng, &s);
      if (dim) {
        // A dark corner at full gain: the exposure of low_light and below,
        // with the noise a webcam's gain brings at that level.
        s.light = rng.Uniform(0.07, 0.1);
        s.noise_sigma = rng.Uniform(24, 30);
      } else {
        s.glare = true;
        s.glare_size = rng.Uniform(3, 4);
      }
      Place(&rng, &s);
      k.expected = s.tickets[0].payload;
      cases.push_back(std::move(k));
    }
  }
  return cases;
}

// ---- Queue videos --------------------------------------------------------------

namespace {

// One person's turn at the desk: their look and how they hold their ticket.
SceneSpec Presenter(const QueueSpec& q, size_t index) {
  Rng rng(Mix(q.seed, index));
  SceneSpec s = Camera(q.width, q.height, &rng);
  s.jpeg_quality = 0;  // the MJPG writer compresses already
  TicketSpec t;
  t.payload = q.payloads[index];
  t.medium = q.media.empty()
                 ? Medium::kPaper
                 : q.media[static_cast<size_t>(rng.Int(0, static_cast<int>(q.media.size()) - 1))];
  t.module_px = rng.Uniform(4, 7);
  t.rotation_deg = rng.Uniform(-12, 12);
  t.tilt_deg = rng.Uniform(0, 20);
  t.tilt_axis_deg = rng.Uniform(0, 180);
  s.tickets.push_back(t);
  Place(&rng, &s);
  return s;
}

// Frame `f` of a hold: the ticket rises into view for a few frames, fast and
// smeared, then stays with a small tremor (a few px, under a degree, ~1-2 Hz).
SceneSpec AtFrame(const SceneSpec& base, int f, int hold) {
  SceneSpec s = base;
  TicketSpec& t = s.tickets[0];
  const int rise = std::min(3, hold / 4);
  constexpr double kRise = 0.12;  // of the frame height per frame
  if (f < rise) {
    t.cy += kRise * (rise - f);
    s.motion_blur_px = 0.5 * kRise * s.height;  // the shutter is open half a frame
    s.motion_angle_deg = 90;
    return s;
  }
  // Each person trembles out of step with the last.
  const double p = f - rise + Rng(base.seed).Uniform(0, 100);
  const double vx = 0.004 * s.width, vy = 0.003 * s.height;
  t.cx += vx * std::sin(0.45 * p) / s.width;
  t.cy += vy * std::sin(0.37 * p) / s.height;
  t.rotation_deg += 0.8 * std::sin(0.29 * p);
  t.tilt_deg += 1.5 * std::sin(0.21 * p);
  const double dx = 0.45 * vx * std::cos(0.45 * p), dy = 0.37 * vy * std::cos(0.37 * p);
  s.motion_blur_px = 0.5 * std::hypot(dx, dy);
  s.motion_angle_deg = std::atan2(dy, dx) * 180 / std::numbers::pi;
  return s;
}

}  // namespace

bool WriteQueueVideo(const QueueSpec& spec, const std::string& path, std::string* error) {
  const auto fail = [error](const std::string& why) {
    if (error != nullptr) *error = why;
    return false;
  };
  if (spec.payloads.empty()) return fail("no payloads to present");
  if (spec.hold_frames < 1 || spec.gap_frames < 0)
    return fail("hold_frames must be >= 1, gap_frames >= 0");
  if (!(spec.fps > 0 && spec.fps <= 240)) return fail("fps must be in (0, 240]");
  std::string where = "opening " + path;
  try {
    const cv::Size size = FrameSize(spec.width, spec.height);
    const int fourcc = cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
    cv::VideoWriter writer;
    // FFmpeg's encoder first: OpenCV's own (4.6) now and then writes a frame
    // whose last block FFmpeg's decoder rejects.
    if (!writer.open(path, cv::CAP_FFMPEG, fourcc, spec.fps, size) &&
        !writer.open(path, cv::CAP_OPENCV_MJPEG, fourcc, spec.fps, size))
      return fail("cannot open " + path + " for writing as MJPG");
    uint64_t frame_no = 0;
    for (size_t i = 0; i < spec.payloads.size(); ++i) {
      where = "payload " + std::to_string(i + 1);
      const SceneSpec base = Presenter(spec, i);
      const Person person = PickPerson(base.seed, base.tickets[0].cx);
      const cv::Mat room = RenderRoom(person, base.seed, size);  // the same for the whole turn
      for (int f = 0; f < spec.hold_frames; ++f)
        writer.write(ComposeScene(room, person, AtFrame(base, f, spec.hold_frames), ++frame_no));
      SceneSpec away = base;
      away.tickets.clear();
      for (int f = 0; f < spec.gap_frames; ++f)
        writer.write(ComposeScene(room, person, away, ++frame_no));
    }
    writer.release();
  } catch (const std::exception& e) {  // cv::Exception, or a payload no QR code holds
    return fail(where + ": " + e.what());
  }
  return true;
}

cv::Mat RenderTickets(const std::vector<std::string>& codes, Medium medium, uint64_t seed) {
  SceneSpec s;
  s.seed = seed;
  for (size_t i = 0; i < codes.size(); ++i) {
    TicketSpec t;
    t.payload = codes[i];
    t.medium = medium;
    t.module_px = 5;
    t.cx = (static_cast<double>(i) + 1.0) / (static_cast<double>(codes.size()) + 1.0);
    s.tickets.push_back(t);
  }
  return RenderScene(s);
}

}  // namespace checkin::synth
