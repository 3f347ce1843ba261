#include "tests/synth/scene.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/synth/blur.h"
#include "tests/synth/card.h"
#include "tests/synth/rng.h"

namespace checkin::synth {
namespace {

enum Salt : uint64_t {
  kRoomSalt = 1,
  kPersonSalt,
  kJitterSalt,
  kCardSalt,
  kNoiseSalt,
  kComposeSalt
};
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr std::array<const char*, 6> kSigns = {"REGISTRATION", "EXIT",      "WELCOME",
                                               "Wi-Fi: guest", "CLOAKROOM", "HALL B"};

double Rad(double deg) { return deg * std::numbers::pi / 180; }
cv::Point Px(cv::Point2d p) { return {cvRound(p.x), cvRound(p.y)}; }

// ---- The frame ---------------------------------------------------------------

// Ticket plane to frame: in-plane rotation, tilt about an in-plane axis, then a
// pinhole camera with a laptop webcam's field of view (about 70 degrees across).
cv::Point2d Project(const TicketSpec& t, cv::Size frame, cv::Point2d q_modules) {
  const double focal = 0.8 * frame.width, r = Rad(t.rotation_deg), a = Rad(t.tilt_axis_deg);
  const double tilt = Rad(std::clamp(t.tilt_deg, -80.0, 80.0));
  const double x = q_modules.x * t.module_px, y = q_modules.y * t.module_px;
  const double x1 = x * std::cos(r) - y * std::sin(r), y1 = x * std::sin(r) + y * std::cos(r);
  const double along = x1 * std::cos(a) + y1 * std::sin(a),
               across = -x1 * std::sin(a) + y1 * std::cos(a);
  const double k = focal / std::max(focal + across * std::sin(tilt), 0.1 * focal);
  const double flat = across * std::cos(tilt);
  return {t.cx * frame.width + (along * std::cos(a) - flat * std::sin(a)) * k,
          t.cy * frame.height + (along * std::sin(a) + flat * std::cos(a)) * k};
}

cv::Point2d Apply(const cv::Matx33d& h, cv::Point2d p) {
  const cv::Vec3d v = h * cv::Vec3d(p.x, p.y, 1);
  return {v[0] / v[2], v[1] / v[2]};
}

// Rolling shutter: the sensor reads its rows top to bottom while the ticket
// moves, so each row shows the ticket where it was when that row was read: a
// shear along the motion's horizontal part, a stretch or squeeze by its
// vertical part. Time counts from the ticket's centre row, so the ticket
// stays where Place put it.
cv::Matx33d Readout(const SceneSpec& s, const TicketSpec& t, cv::Size frame) {
  const double a = Rad(s.motion_angle_deg), h = frame.height;
  const double dx = s.rolling_shutter_px * std::cos(a) / h,
               dy = s.rolling_shutter_px * std::sin(a) / h;
  const double sy = 1 / (1 - std::clamp(dy, -0.5, 0.5)), kx = dx * sy;
  const double y0 = t.cy * frame.height;
  return {1, kx, -kx * y0, 0, sy, y0 - sy * y0, 0, 0, 1};
}

// Canvas pixels to frame pixels.
cv::Matx33d CanvasToFrame(const Card& card, const TicketSpec& t, const SceneSpec& s,
                          cv::Size frame) {
  const float w = static_cast<float>(card.color.cols), h = static_cast<float>(card.color.rows);
  const cv::Point2f src[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
  cv::Point2f dst[4];
  for (int i = 0; i < 4; ++i) {
    const cv::Point2d q((double{src[i].x} - card.pad) / card.ppm - card.layout.body_w / 2,
                        (double{src[i].y} - card.pad) / card.ppm - card.layout.body_h / 2);
    dst[i] = Project(t, frame, q);
  }
  const cv::Matx33d flat(cv::getPerspectiveTransform(src, dst));
  return s.rolling_shutter_px == 0 ? flat : Readout(s, t, frame) * flat;
}

// The soft shadow a card casts on what is behind it, as the factor that darkens
// it: computed at a quarter of the size, since it is blurred anyway.
cv::Mat Shadow(const cv::Mat& alpha, cv::Point offset, double sigma, double strength) {
  cv::Mat small, shadow;
  cv::resize(alpha, small, {}, 0.25, 0.25, cv::INTER_AREA);
  const cv::Matx23d shift(1, 0, offset.x / 4.0, 0, 1, offset.y / 4.0);
  cv::warpAffine(small, small, shift, small.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::GaussianBlur(small, small, {}, sigma / 4);
  cv::resize(small, shadow, alpha.size(), 0, 0, cv::INTER_LINEAR);
  return 1 - strength * shadow;
}

// Darkens `target` by `shadow`, then lays the premultiplied `layer` over it.
void Blend(const cv::Mat& shadow, const cv::Mat& layer, cv::Mat target) {
  for (int y = 0; y < target.rows; ++y) {
    const auto* dark = shadow.ptr<float>(y);
    const auto* over = layer.ptr<cv::Vec4f>(y);
    auto* px = target.ptr<cv::Vec3f>(y);
    for (int x = 0; x < target.cols; ++x) {
      const float keep = dark[x] * (1 - over[x][3]);
      px[x] = px[x] * keep + cv::Vec3f(over[x][0], over[x][1], over[x][2]);
    }
  }
}

// Pastes one card: first its soft shadow on whatever is behind, then the card.
// Motion blur smears both: it is the hand that moves, not the camera.
void Composite(const Card& card, const TicketSpec& t, const SceneSpec& spec, Rng* rng,
               cv::Mat* frame) {
  const cv::Matx33d h = CanvasToFrame(card, t, spec, frame->size());
  std::vector<cv::Point2f> corners;
  for (const cv::Point2d p :
       {cv::Point2d(0, 0), cv::Point2d(card.color.cols, 0),
        cv::Point2d(card.color.cols, card.color.rows), cv::Point2d(0, card.color.rows)})
    corners.push_back(Apply(h, p));
  const double sigma = std::max(3.0, 1.2 * t.module_px),
               offset = rng->Uniform(0.6, 1.5) * t.module_px;
  const int margin = cvCeil(3 * sigma + offset) + SmearReach(spec);
  cv::Rect roi = cv::boundingRect(corners);
  roi = cv::Rect(roi.x - margin, roi.y - margin, roi.width + 2 * margin, roi.height + 2 * margin) &
        cv::Rect({}, frame->size());
  if (roi.width < 8 || roi.height < 8) return;  // a sliver at the frame's edge
  cv::Mat layer = Expose(card, spec.light, rng), warped, alpha;
  const double scale = t.module_px / card.ppm;
  if (scale < 0.9) cv::GaussianBlur(layer, layer, {}, 0.4 / scale);  // anti-alias before shrinking
  const cv::Matx33d to_roi = cv::Matx33d(1, 0, -roi.x, 0, 1, -roi.y, 0, 0, 1) * h;
  cv::warpPerspective(layer, warped, to_roi, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  Smear(spec, &warped);
  cv::extractChannel(warped, alpha, 3);
  const cv::Point light_from_above(cvRound(offset * 0.6), cvRound(offset));
  Blend(Shadow(alpha, light_from_above, sigma, rng->Uniform(0.3, 0.5)), warped, (*frame)(roi));
}

// A specular highlight (a ceiling lamp in glossy paper or glass) over the
// finder-free corner of the code: it washes out some data, as real glare does,
// but spares the finder patterns, without which nothing is recoverable.
void AddGlare(const Card& card, const TicketSpec& t, const SceneSpec& spec, Rng* rng,
              cv::Mat* frame) {
  const double light = spec.light;
  const Layout& l = card.layout;
  const cv::Point2d spot = Apply(CanvasToFrame(card, t, spec, frame->size()),
                                 ToCanvas(card, {l.code_x + l.code_n * rng->Uniform(0.68, 0.85),
                                                 l.code_y + l.code_n * rng->Uniform(0.6, 0.85)}));
  const double sigma = spec.glare_size * l.code_n * t.module_px * rng->Uniform(0.065, 0.1);
  const double stretch = rng->Uniform(1.3, 2.2), a = Rad(rng->Uniform(0, 180));
  const double peak = rng->Uniform(190, 270) * std::sqrt(std::min(light, 1.0));
  const int reach = cvCeil(3 * sigma * stretch);
  const cv::Rect roi =
      cv::Rect(Px(spot) - cv::Point(reach, reach), cv::Size(2 * reach, 2 * reach)) &
      cv::Rect({}, frame->size());
  for (int y = roi.y; y < roi.y + roi.height; ++y) {
    for (int x = roi.x; x < roi.x + roi.width; ++x) {
      const double dx = x - spot.x, dy = y - spot.y;
      const double u = (dx * std::cos(a) + dy * std::sin(a)) / stretch;
      const double v = -dx * std::sin(a) + dy * std::cos(a);
      const auto g = static_cast<float>(peak * std::exp(-(u * u + v * v) / (2 * sigma * sigma)));
      frame->at<cv::Vec3f>(y, x) += cv::Vec3f(0.95f * g, g, g);  // a warm lamp
    }
  }
}

// ---- The room and the person at the desk -------------------------------------

// Walls: two tones across the frame plus low-frequency blotches.
cv::Mat Walls(Rng* rng, cv::Size size) {
  cv::Mat corners(2, 2, CV_32FC3), blotches(5, 8, CV_32FC3), walls, texture;
  for (int i = 0; i < 4; ++i)
    corners.at<cv::Vec3f>(i / 2, i % 2) = cv::Vec3d(rng->Colour(70, 200).val);
  for (int i = 0; i < 40; ++i)
    blotches.at<cv::Vec3f>(i / 8, i % 8) = cv::Vec3d::all(rng->Uniform(-14, 14));
  cv::resize(corners, walls, size, 0, 0, cv::INTER_LINEAR);
  cv::resize(blotches, texture, size, 0, 0, cv::INTER_CUBIC);
  cv::Mat room;
  cv::Mat(walls + texture).convertTo(room, CV_8UC3);
  return room;
}

// Posters, furniture, shelves, signs and cables: edges and text for a scanner to
// ignore, so no test can lean on a clean white frame.
void DrawClutter(Rng* rng, cv::Mat* room) {
  const int w = room->cols, h = room->rows, count = rng->Int(10, 22);
  for (int i = 0; i < count; ++i) {
    const cv::Point at{rng->Int(-w / 10, w), rng->Int(-h / 10, h)};
    const cv::Size size{rng->Int(w / 30, w / 4), rng->Int(h / 30, h / 3)};
    const cv::Scalar colour = rng->Colour(20, 235);
    const int line = rng->Int(1, 2);
    switch (rng->Int(0, 4)) {
      case 0:
      case 1:
        cv::rectangle(*room, cv::Rect(at, size), colour, cv::FILLED, cv::LINE_AA);
        break;
      case 2:  // a shelf or window: a frame with bars
        cv::rectangle(*room, cv::Rect(at, size), colour, line + 2, cv::LINE_AA);
        for (int k = 1; k < 3; ++k)
          cv::line(*room, at + cv::Point(0, k * size.height / 3),
                   at + cv::Point(size.width, k * size.height / 3), colour, line, cv::LINE_AA);
        break;
      case 3: {
        const char* sign = rng->Pick(kSigns);
        cv::putText(*room, sign, at, kFont, rng->Uniform(0.5, 2) * h / 720, colour, line,
                    cv::LINE_AA);
        break;
      }
      default:
        cv::line(*room, at, at + cv::Point(size.width, rng->Int(-h / 4, h / 4)), colour, line,
                 cv::LINE_AA);
        break;
    }
  }
}

// The person holding up the ticket, a little behind the plane of focus.
void DrawPerson(const Person& p, Rng* rng, cv::Mat* room) {
  const double w = room->cols, h = room->rows, x = p.x * w;
  const double r = h * rng->Uniform(0.1, 0.14), y = h * rng->Uniform(0.18, 0.3);
  const std::vector<cv::Point> torso = {
      Px({x - 2.3 * r, y + 1.9 * r}),  Px({x - 1.5 * r, y + 1.45 * r}),
      Px({x + 1.5 * r, y + 1.45 * r}), Px({x + 2.3 * r, y + 1.9 * r}),
      Px({x + 2.9 * r, h + 1}),        Px({x - 2.9 * r, h + 1})};
  cv::rectangle(*room, Px({x - 0.35 * r, y + 0.6 * r}), Px({x + 0.35 * r, y + 1.6 * r}), p.skin,
                cv::FILLED);
  cv::fillPoly(*room, std::vector<std::vector<cv::Point>>{torso}, p.shirt, cv::LINE_AA);
  const auto ellipse = [room](double ex, double ey, double ax, double ay, const cv::Scalar& c) {
    cv::ellipse(*room, Px({ex, ey}), cv::Size(cvRound(ax), cvRound(ay)), 0, 0, 360, c, cv::FILLED,
                cv::LINE_AA);
  };
  ellipse(x, y - 0.15 * r, 0.95 * r, 1.05 * r, p.hair);
  ellipse(x, y + 0.1 * r, 0.8 * r, r, p.skin);
  for (double side : {-1.0, 1.0}) ellipse(x + side * 0.3 * r, y, 0.1 * r, 0.05 * r, Grey(30));
  ellipse(x, y + 0.5 * r, 0.2 * r, 0.04 * r, p.skin * 0.7);
}

// Behind a ticket: a palm at each grip, a forearm down to an elbow below the
// frame, out from the body.
void DrawArms(const Card& card, const TicketSpec& t, const SceneSpec& s, const Person& p,
              cv::Mat* room) {
  const cv::Matx33d h = CanvasToFrame(card, t, s, room->size());
  const double r = card.grip_radius * t.module_px;
  for (const cv::Point2d& grip : card.grips) {
    const cv::Point2d palm = Apply(h, ToCanvas(card, grip));
    const cv::Point2d elbow(palm.x + 0.3 * (palm.x - p.x * room->cols), room->rows + 2 * r);
    const cv::Point2d along = (elbow - palm) / std::max(1.0, cv::norm(elbow - palm));
    const cv::Point2d across(-along.y, along.x), wrist = palm + along * 1.6 * r;
    const std::vector<cv::Point> forearm = {Px(palm + across * 0.7 * r),
                                            Px(palm - across * 0.7 * r), Px(elbow - across * r),
                                            Px(elbow + across * r)};
    const std::vector<cv::Point> sleeve = {
        Px(wrist + across * 0.9 * r), Px(wrist - across * 0.9 * r), Px(elbow - across * 1.1 * r),
        Px(elbow + across * 1.1 * r)};
    cv::fillConvexPoly(*room, forearm, p.skin * 0.9, cv::LINE_AA);
    cv::fillConvexPoly(*room, sleeve, p.shirt, cv::LINE_AA);
    cv::ellipse(*room, Px(palm), cv::Size(cvRound(r), cvRound(1.2 * r)), 0, 0, 360, p.skin,
                cv::FILLED, cv::LINE_AA);
  }
}

// The arms moving with their tickets: drawn over black and over white, which
// gives their premultiplied colour and their coverage, then smeared like the
// tickets and laid over the exposed room in `frame` (CV_32FC3).
void SmearedArms(const std::vector<std::pair<TicketSpec, Card>>& staged, const SceneSpec& spec,
                 const Person& p, cv::Mat* frame) {
  cv::Mat black = cv::Mat::zeros(frame->size(), CV_8UC3), white(frame->size(), CV_8UC3, Grey(255));
  for (const auto& [t, card] : staged) {
    DrawArms(card, t, spec, p, &black);
    DrawArms(card, t, spec, p, &white);
  }
  cv::Mat covered;
  cv::absdiff(white, black, covered);
  cv::cvtColor(covered, covered, cv::COLOR_BGR2GRAY);
  const cv::Rect drawn = cv::boundingRect(covered != 255);
  if (drawn.empty()) return;
  const int reach = SmearReach(spec);
  const cv::Rect roi = cv::Rect(drawn.x - reach, drawn.y - reach, drawn.width + 2 * reach,
                                drawn.height + 2 * reach) &
                       cv::Rect({}, frame->size());
  cv::Mat colour, alpha, layer;
  black(roi).convertTo(colour, CV_32FC3, spec.light);
  covered(roi).convertTo(alpha, CV_32F, -1.0 / 255, 1.0);
  cv::merge(std::vector<cv::Mat>{colour, alpha}, layer);
  Smear(spec, &layer);
  Blend(cv::Mat(roi.size(), CV_32F, cv::Scalar(1)), layer, (*frame)(roi));
}

// Sensor noise with unit variance from one 64-bit draw: luma the Irwin-Hall sum
// of four 8-bit uniforms, chroma three 10-bit uniforms. Close enough to
// Gaussian, and far cheaper.
cv::Vec3f Noise(uint64_t bits) {
  constexpr float kLuma = 0.8f * 1.7320508f / 255, kChroma = 0.6f * 3.4641016f / 1023;
  const auto sum =
      static_cast<int>((bits & 255) + (bits >> 8 & 255) + (bits >> 16 & 255) + (bits >> 24 & 255));
  const float luma = kLuma * static_cast<float>(sum - 510);
  const auto chroma = [bits](int shift) {
    return kChroma * (static_cast<float>(bits >> shift & 1023) - 511.5f);
  };
  return {luma + chroma(32), luma + chroma(42), luma + chroma(52)};
}

// Lens and sensor, in one pass to 8 bits: vignetting, the warm cast of a dim
// room, noise.
cv::Mat Sensor(const cv::Mat& frame, const SceneSpec& spec, uint64_t noise_salt) {
  const double t = std::clamp((0.7 - spec.light) / 0.5, 0.0, 1.0);
  const cv::Vec3f cast(static_cast<float>(1 - 0.15 * t), static_cast<float>(1 - 0.03 * t),
                       static_cast<float>(1 + 0.08 * t));
  const double cx = frame.cols / 2.0, cy = frame.rows / 2.0, r2 = cx * cx + cy * cy;
  std::vector<float> falloff(static_cast<size_t>(frame.cols));
  for (int x = 0; x < frame.cols; ++x)
    falloff[static_cast<size_t>(x)] = static_cast<float>(0.22 * (x - cx) * (x - cx) / r2);
  const auto sigma = static_cast<float>(spec.noise_sigma);
  Rng rng(Mix(spec.seed, Mix(kNoiseSalt, noise_salt)));
  cv::Mat out(frame.size(), CV_8UC3);
  for (int y = 0; y < frame.rows; ++y) {
    const auto row = static_cast<float>(1 - 0.22 * (y - cy) * (y - cy) / r2);
    const auto* in = frame.ptr<cv::Vec3f>(y);
    auto* px = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < frame.cols; ++x) {
      const cv::Vec3f v = in[x].mul(cast) * (row - falloff[static_cast<size_t>(x)]);
      const cv::Vec3f n = sigma > 0 ? Noise(rng.Next()) * sigma : cv::Vec3f();
      for (int c = 0; c < 3; ++c) px[x][c] = cv::saturate_cast<uint8_t>(v[c] + n[c]);
    }
  }
  return out;
}

// Small hand jitter, so two cases with the same pose still differ a little.
TicketSpec Jitter(TicketSpec t, uint64_t seed) {
  Rng rng(seed);
  t.rotation_deg += rng.Uniform(-0.6, 0.6);
  t.tilt_deg = std::max(0.0, t.tilt_deg + rng.Uniform(-1, 1));
  t.cx += rng.Uniform(-0.003, 0.003);
  t.cy += rng.Uniform(-0.003, 0.003);
  return t;
}

cv::Mat Jpeg(const cv::Mat& image, int quality) {
  std::vector<uint8_t> bytes;
  cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)});
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

}  // namespace

Person PickPerson(uint64_t seed, double ticket_x) {
  static constexpr std::array<std::array<double, 3>, 6> kSkins = {{{185, 200, 235},
                                                                   {150, 175, 220},
                                                                   {120, 150, 200},
                                                                   {95, 125, 175},
                                                                   {65, 90, 135},
                                                                   {45, 60, 95}}};
  Rng rng(Mix(seed, kPersonSalt));
  const auto& s = rng.Pick(kSkins);
  return {cv::Scalar(s[0], s[1], s[2]) + Grey(rng.Uniform(-10, 10)), rng.Colour(30, 200),
          rng.Colour(10, 60), std::clamp(ticket_x + rng.Uniform(-0.12, 0.12), 0.25, 0.75)};
}

// All of it is behind the plane of focus, so it is drawn small and scaled up,
// which blurs it for free: the far wall at a quarter of the size, the person at half.
cv::Mat RenderRoom(const Person& person, uint64_t seed, cv::Size size) {
  Rng rng(Mix(seed, kRoomSalt));
  const cv::Size quarter((size.width + 3) / 4, (size.height + 3) / 4);
  const cv::Size half((size.width + 1) / 2, (size.height + 1) / 2);
  cv::Mat far = Walls(&rng, quarter), near, room;
  DrawClutter(&rng, &far);
  cv::GaussianBlur(far, far, {}, 0.003 * quarter.width);
  cv::resize(far, near, half, 0, 0, cv::INTER_LINEAR);
  DrawPerson(person, &rng, &near);
  cv::GaussianBlur(near, near, {}, 0.0012 * half.width);
  cv::resize(near, room, size, 0, 0, cv::INTER_LINEAR);
  return room;
}

cv::Mat ComposeScene(const cv::Mat& room, const Person& person, const SceneSpec& spec,
                     uint64_t noise_salt) {
  std::vector<std::pair<TicketSpec, Card>> staged;
  cv::Mat canvas = room.clone();
  for (size_t i = 0; i < spec.tickets.size(); ++i) {
    if (!(spec.tickets[i].module_px > 0.5 && spec.tickets[i].module_px < 200))
      throw std::invalid_argument("module_px must be in (0.5, 200)");
    const TicketSpec t = Jitter(spec.tickets[i], Mix(spec.seed, Mix(kJitterSalt, i)));
    staged.emplace_back(t, RenderCard(t, person.skin, Mix(spec.seed, Mix(kCardSalt, i))));
  }
  cv::Mat frame;
  if (spec.motion_blur_px > 0.5 || spec.defocus_disc_px > 0.3) {
    canvas.convertTo(frame, CV_32FC3, spec.light);
    SmearedArms(staged, spec, person, &frame);
  } else {
    for (const auto& [t, card] : staged) DrawArms(card, t, spec, person, &canvas);
    canvas.convertTo(frame, CV_32FC3, spec.light);
  }
  Rng rng(Mix(spec.seed, kComposeSalt));
  for (const auto& [t, card] : staged) Composite(card, t, spec, &rng, &frame);
  if (spec.glare && !staged.empty()) {
    // A highlight of its own moves while the rest of the scene stays put.
    Rng own(spec.glare_seed);
    AddGlare(staged[0].second, staged[0].first, spec, spec.glare_seed != 0 ? &own : &rng, &frame);
  }
  if (spec.defocus_sigma > 0.05) cv::GaussianBlur(frame, frame, {}, spec.defocus_sigma);
  const cv::Mat out = Sensor(frame, spec, noise_salt);
  return spec.jpeg_quality > 0 ? Jpeg(out, spec.jpeg_quality) : out;
}

cv::Rect2d BodyBox(const TicketSpec& t, cv::Size frame) {
  const Layout l = ComputeLayout(t.medium, SymbolSize(t.payload));
  std::vector<cv::Point2f> corners;
  for (const double x : {-0.5, 0.5})
    for (const double y : {-0.5, 0.5})
      corners.emplace_back(Project(t, frame, {x * l.body_w, y * l.body_h}));
  return cv::boundingRect(corners);
}

cv::Size FrameSize(int width, int height) {
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    throw std::invalid_argument("frame size must be 16..16384 on each side");
  return {width, height};
}

cv::Mat RenderScene(const SceneSpec& spec) {
  const cv::Size size = FrameSize(spec.width, spec.height);
  const Person person = PickPerson(spec.seed, spec.tickets.empty() ? 0.5 : spec.tickets[0].cx);
  return ComposeScene(RenderRoom(person, spec.seed, size), person, spec, 0);
}

}  // namespace checkin::synth
