#include "tests/synth/card.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "tests/synth/bend.h"

namespace checkin::synth {
namespace {

constexpr int kEccLevelM = 4;          // ZXing's 0..8 scale; M is what ticket shops print
constexpr int kPadModules = 8;         // canvas room around a ticket for the thumbs
constexpr int kThumbPadModules = 24;   // and for a thumb that reaches over the code
constexpr int kReliefPadModules = 20;  // and for bent paper seen at a tilt
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
// Seeds for the parts a ticket grew later, so the older parts draw as before.
constexpr uint64_t kFadeSalt = 0xFADE, kCrumpleSalt = 0xC4A5;

constexpr std::array<const char*, 6> kEvents = {"CHECKIN CONF 2026", "OPEN SOURCE SUMMIT",
                                                "DEVDAYS BERLIN",    "PYDATA MEETUP",
                                                "RUSTFEST LISBON",   "CITY HACK NIGHT"};
constexpr std::array<const char*, 6> kNames = {"Ana Lima",    "Jonas Weber", "Mei Chen",
                                               "Olu Adeyemi", "Sara Novak",  "Ravi Patel"};
constexpr std::array<const char*, 4> kWhen = {"Sat 14 Mar  09:00", "Hall B  Door 3",
                                              "General admission", "Fri 6 Nov  18:30"};

double Rad(double deg) { return deg * std::numbers::pi / 180; }

// ---- The QR symbol --------------------------------------------------------

// True for valid UTF-8 with at least one non-ASCII character.
bool IsUtf8Text(const std::string& s) {
  bool non_ascii = false;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    const auto c1 = static_cast<unsigned char>(len > 1 ? s[i + 1] : 0x80);
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 >= 0x90))
      return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    non_ascii |= len > 1;
    i += len;
  }
  return non_ascii;
}

// The symbol as an n x n mask, 255 where a module is dark.
cv::Mat EncodeQr(const std::string& payload) {
  ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
  writer.setMargin(0).setEccLevel(kEccLevelM);
  ZXing::BitMatrix bits;
  try {
    if (IsUtf8Text(payload)) {
      // A UTF-8 ECI lets readers' text() round-trip.
      bits = writer.setEncoding(ZXing::CharacterSet::UTF8).encode(payload, 0, 0);
    } else {
      // Byte mode without ECI: readers' bytes() give the payload back unchanged,
      // NULs and invalid UTF-8 included; ticket codes still get alphanumeric mode.
      std::wstring latin1;
      for (char ch : payload)
        latin1.push_back(static_cast<wchar_t>(static_cast<unsigned char>(ch)));
      bits = writer.encode(latin1, 0, 0);
    }
  } catch (const std::exception& e) {
    throw std::invalid_argument("payload cannot be a QR code: " + std::string(e.what()));
  }
  cv::Mat mask(bits.height(), bits.width(), CV_8U);
  for (int y = 0; y < mask.rows; ++y)
    for (int x = 0; x < mask.cols; ++x) mask.at<uint8_t>(y, x) = bits.get(x, y) ? 255 : 0;
  return mask;
}

// ---- Tickets on their own canvas --------------------------------------------

cv::Point Px(cv::Point2d p) { return {cvRound(p.x), cvRound(p.y)}; }
cv::Rect ToPx(const Card& c, const cv::Rect2d& r) {
  return {Px(ToCanvas(c, r.tl())), Px(ToCanvas(c, r.br()))};
}

void FillRoundedRect(const cv::Rect& r, int radius, const cv::Scalar& colour, cv::Mat* img) {
  radius = std::min({radius, r.width / 2, r.height / 2});
  cv::rectangle(*img, cv::Rect(r.x + radius, r.y, r.width - 2 * radius, r.height), colour,
                cv::FILLED);
  cv::rectangle(*img, cv::Rect(r.x, r.y + radius, r.width, r.height - 2 * radius), colour,
                cv::FILLED);
  const int right = r.x + r.width - radius - 1, bottom = r.y + r.height - radius - 1;
  for (const cv::Point& c : {cv::Point(r.x + radius, r.y + radius), cv::Point(right, r.y + radius),
                             cv::Point(r.x + radius, bottom), cv::Point(right, bottom)})
    cv::circle(*img, c, radius, colour, cv::FILLED, cv::LINE_AA);
}

// Writes `text` as large as fits in `box` (modules), baseline on its bottom edge.
void PutText(const std::string& text, const cv::Rect2d& box, const cv::Scalar& colour, Card* card) {
  const cv::Rect px = ToPx(*card, box);
  int baseline = 0;
  const cv::Size one = cv::getTextSize(text, kFont, 1.0, 1, &baseline);
  const double scale = std::min(px.height / static_cast<double>(one.height),
                                px.width / static_cast<double>(one.width));
  const int thickness = std::max(1, cvRound(scale * 1.5));
  cv::putText(card->color, text, {px.x, px.y + px.height}, kFont, scale, colour, thickness,
              cv::LINE_AA);
}

void DrawModules(const cv::Mat& modules, const cv::Scalar& ink, Card* card) {
  cv::Mat big;
  cv::resize(modules, big, {}, card->ppm, card->ppm, cv::INTER_NEAREST);
  const cv::Point tl = Px(ToCanvas(*card, {card->layout.code_x, card->layout.code_y}));
  card->color(cv::Rect(tl, big.size())).setTo(ink, big);
}

// Ink that kept only `contrast` of its difference from the background.
cv::Scalar Faded(const cv::Scalar& ink, const cv::Scalar& background, double contrast) {
  return contrast >= 1 ? ink : background + (ink - background) * std::max(contrast, 0.0);
}

// A faded print fades unevenly: the code's contrast falls off by up to
// `unevenness` across it, in a direction `rng` picks.
void FadeUnevenly(const cv::Scalar& background, double unevenness, Rng* rng, Card* card) {
  const Layout& l = card->layout;
  const cv::Rect code = ToPx(*card, {l.code_x, l.code_y, l.code_n, l.code_n});
  const double a = Rad(rng->Uniform(0, 360)), span = std::max(1, code.width);
  const cv::Vec3d bg(background.val);
  for (int y = 0; y < code.height; ++y) {
    auto* px = card->color.ptr<cv::Vec3b>(code.y + y) + code.x;
    for (int x = 0; x < code.width; ++x) {
      const double ramp =
          0.5 + ((x - span / 2) * std::cos(a) + (y - span / 2) * std::sin(a)) / span;
      const double keep = 1 - unevenness * std::clamp(ramp, 0.0, 1.0);
      const cv::Vec3d v = bg + (cv::Vec3d(px[x]) - bg) * keep;
      px[x] = cv::Vec3b(cv::saturate_cast<uint8_t>(v[0]), cv::saturate_cast<uint8_t>(v[1]),
                        cv::saturate_cast<uint8_t>(v[2]));
    }
  }
}

void DrawPaper(const cv::Mat& modules, double contrast, Rng* rng, Card* card) {
  const Layout& l = card->layout;
  const cv::Rect body = ToPx(*card, {0, 0, l.body_w, l.body_h});
  const cv::Scalar paper{rng->Uniform(222, 236), rng->Uniform(230, 242), rng->Uniform(235, 248)};
  const cv::Scalar ink = Faded(Grey(rng->Uniform(20, 45)), paper, contrast);
  cv::rectangle(card->color, body, paper, cv::FILLED);
  cv::rectangle(card->alpha, body, 255, cv::FILLED);
  if (rng->Chance(0.7))  // a brand stripe along the top, clear of the quiet zone
    cv::rectangle(card->color, ToPx(*card, {0, 0, l.body_w, 1.3}), rng->Colour(60, 160),
                  cv::FILLED);
  DrawModules(modules, ink, card);
  const double zone = l.code_n + 2 * kQuietZone, x = 3 + zone + 1.5, w = l.body_w - 2 - x;
  double y = 2.5;
  PutText(rng->Pick(kEvents), {x, y, w, 0.08 * zone}, ink, card);
  PutText(rng->Pick(kNames), {x, y += 0.2 * zone, w * 0.7, 0.06 * zone}, ink, card);
  PutText(rng->Pick(kWhen), {x, y += 0.13 * zone, w * 0.8, 0.045 * zone}, ink, card);
  PutText("ADMIT ONE", {x, y += 0.1 * zone, w * 0.5, 0.045 * zone}, ink, card);
  cv::rectangle(card->color, ToPx(*card, {x, y + 0.12 * zone, w * 0.6, 0.25 * zone}), ink,
                std::max(1, card->ppm / 3));
  const double perforation = l.body_h - 3.5;
  for (double dash = 0.5; dash < l.body_w - 1; dash += 1.5)
    cv::rectangle(card->color, ToPx(*card, {dash, perforation, 0.8, 0.15}), Grey(150), cv::FILLED);
  PutText("Non-transferable. Valid for one entry.", {3, l.body_h - 2.2, 0.5 * l.body_w, 1.1}, ink,
          card);
}

void DrawPhone(const cv::Mat& modules, bool dark, double contrast, Rng* rng, Card* card) {
  const Layout& l = card->layout;
  const cv::Rect body = ToPx(*card, {0, 0, l.body_w, l.body_h});
  const double grey = rng->Uniform(28, 48);
  const cv::Scalar shell{grey + rng->Uniform(0, 12), grey, grey};  // a hint of blue
  FillRoundedRect(body, cvRound(4.5 * card->ppm), shell, &card->color);
  FillRoundedRect(body, cvRound(4.5 * card->ppm), cv::Scalar(255), &card->alpha);
  const cv::Scalar bg = dark ? Grey(rng->Uniform(20, 30))
                             : cv::Scalar{rng->Uniform(240, 252), rng->Uniform(240, 250), 244};
  const cv::Scalar ink =
      Faded(dark ? Grey(rng->Uniform(188, 212)) : Grey(rng->Uniform(15, 35)), bg, contrast);
  const cv::Scalar dim = dark ? Grey(150) : Grey(90);
  const cv::Rect screen = ToPx(*card, l.screen);
  FillRoundedRect(screen, 3 * card->ppm, bg, &card->color);
  FillRoundedRect(screen, 3 * card->ppm, cv::Scalar(255), &card->emissive);
  cv::circle(card->color, Px(ToCanvas(*card, {l.body_w / 2, 1.2})), card->ppm / 2, Grey(8),
             cv::FILLED);
  DrawModules(modules, ink, card);
  const double sx = l.screen.x + 3, sw = l.screen.width - 6, sy = l.screen.y, sh = l.screen.height;
  PutText("9:41", {sx, sy + 0.5, 3, 1.2}, dim, card);
  PutText("Your ticket", {sx, sy + 0.06 * sh, sw * 0.5, 0.035 * sh}, ink, card);
  PutText(rng->Pick(kEvents), {sx, sy + 0.13 * sh, sw, 0.03 * sh}, dim, card);
  const double below = l.code_y + l.code_n + kQuietZone + 1.5;
  PutText(rng->Pick(kNames), {sx, below, sw * 0.6, 0.03 * sh}, ink, card);
  PutText(rng->Pick(kWhen), {sx, below + 0.06 * sh, sw * 0.7, 0.025 * sh}, dim, card);
  FillRoundedRect(ToPx(*card, {sx, sy + 0.86 * sh, sw, 0.07 * sh}), 2 * card->ppm,
                  rng->Colour(70, 170), &card->color);
}

// A thumb or fingertip in front of the ticket; `reach` is how far its tip comes
// in from the left body edge (negative numbers count from the right edge).
void DrawDigitAt(cv::Point2d centre, double length, double width, double angle,
                 const cv::Scalar& skin, Card* card);

void DrawDigit(double reach, double y, double length, double width, double angle_deg,
               const cv::Scalar& skin, Card* card) {
  const double a = Rad(angle_deg);
  const double extent = std::hypot(length * std::cos(a), width * std::sin(a));
  const bool from_left = reach >= 0;
  const double cx = from_left ? reach - extent : card->layout.body_w + reach + extent;
  DrawDigitAt({cx, y}, length, width, from_left ? angle_deg : 180 - angle_deg, skin, card);
}

// A digit as an ellipse centred at `centre` (modules) pointing along `angle`.
void DrawDigitAt(cv::Point2d centre, double length, double width, double angle,
                 const cv::Scalar& skin, Card* card) {
  const cv::Point c = Px(ToCanvas(*card, centre));
  const cv::Size axes(cvRound(length * card->ppm), cvRound(width * card->ppm));
  cv::ellipse(card->color, c, axes, angle, 0, 360, skin, cv::FILLED, cv::LINE_AA);
  cv::ellipse(card->alpha, c, axes, angle, 0, 360, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
  // A lighter nail near the tip, so a thumb reads as a thumb and not a blob.
  const double t = Rad(angle);
  const cv::Point nail = c + Px({0.55 * axes.width * std::cos(t), 0.55 * axes.width * std::sin(t)});
  cv::ellipse(card->color, nail, axes / 3, angle, 0, 360, skin * 1.15 + Grey(15), cv::FILLED,
              cv::LINE_AA);
}

void DrawHands(Medium medium, const cv::Scalar& skin, Rng* rng, Card* card) {
  const Layout& l = card->layout;
  const bool right_handed = rng->Chance(0.7);
  if (medium == Medium::kPaper) {
    // Thumbs reach at most 2.6 modules in; the margin is 3, so the quiet zone stays clear.
    const int hands = rng->Chance(0.5) ? 2 : 1;
    for (int i = 0; i < hands; ++i) {
      const bool left = hands == 2 ? i == 0 : !right_handed;
      const double y = rng->Uniform(0.45, 0.8) * l.body_h;
      DrawDigit(left ? 2.6 : -2.6, y, 4.2, 2.1, rng->Uniform(-20, 20), skin, card);
      card->grips.push_back({left ? -5.0 : l.body_w + 5, y + 2});
    }
    card->grip_radius = 6;
    return;
  }
  // A phone rests on the palm: fingertips round one side, the thumb on the other,
  // both below the code's quiet zone.
  const double side = right_handed ? 1 : -1;
  for (int k = 0; k < 3; ++k)
    DrawDigit(side * -1.8, (0.68 + 0.07 * k) * l.body_h, 2.4, 1.5, rng->Uniform(-10, 10), skin,
              card);
  DrawDigit(side * 2.4, rng->Uniform(0.74, 0.8) * l.body_h, 4.5, 2.0, -30, skin, card);
  card->grips.push_back({l.body_w / 2, 0.8 * l.body_h});
  card->grip_radius = 0.42 * l.body_w;
}

// A thumb over the code, as big as a thumb is: about 18 mm wide and 26 mm from
// knuckle to tip, where a ticket's code is about 25 mm across. On paper it
// comes up from the bottom edge (the hand holds the ticket there), on a phone
// in from the right side (the hand holding it); either way towards the corner
// without a finder pattern. Its tip reaches `t.thumb_over` modules past the
// code's edge, at `t.thumb_at` along that edge.
void DrawThumbOver(const TicketSpec& t, const cv::Scalar& skin, Rng* rng, Card* card) {
  const Layout& l = card->layout;
  const double n = l.code_n, along = std::clamp(t.thumb_at, 0.0, 1.0) * n;
  const bool paper = t.medium == Medium::kPaper;
  const double angle = (paper ? -90 : 180) + rng->Uniform(-25, 25), a = Rad(angle);
  const cv::Point2d tip = paper ? cv::Point2d(l.code_x + along, l.code_y + n - t.thumb_over)
                                : cv::Point2d(l.code_x + n - t.thumb_over, l.code_y + along);
  const double length = 0.52 * n, width = 0.36 * n;
  const cv::Point2d centre = tip - length * cv::Point2d(std::cos(a), std::sin(a));
  DrawDigitAt(centre, length, width, angle, skin, card);
  card->grips.push_back(centre - length * cv::Point2d(std::cos(a), std::sin(a)));
  card->grip_radius = std::max(card->grip_radius, 0.4 * n);
}

}  // namespace

int SymbolSize(const std::string& payload) { return EncodeQr(payload).rows; }

Layout ComputeLayout(Medium medium, int n) {
  Layout l;
  l.code_n = n;
  const double zone = n + 2 * kQuietZone;
  if (medium == Medium::kPaper) {
    // A 3-module margin left of the quiet zone leaves room for a thumb; text to the right.
    l.body_w = 3 + zone + 0.85 * zone + 2;
    l.body_h = 2 + zone + 6;
    l.code_x = 3 + kQuietZone;
    l.code_y = 2 + kQuietZone;
  } else {
    const double bezel = 1.2, sw = zone + 6, sh = 2.1 * sw;
    l.screen = {bezel, 2 * bezel, sw, sh};
    l.body_w = sw + 2 * bezel;
    l.body_h = sh + 4 * bezel;
    l.code_x = bezel + 3 + kQuietZone;
    l.code_y = 2 * bezel + 0.22 * sh + kQuietZone;
  }
  return l;
}

Card RenderCard(const TicketSpec& t, const cv::Scalar& skin, uint64_t seed) {
  Card card;
  const cv::Mat modules = EncodeQr(t.payload);
  card.layout = ComputeLayout(t.medium, modules.rows);
  // Drawn at 1.25x the frame's module size (3..10 px) and filtered down when warped.
  card.ppm = std::clamp(static_cast<int>(std::ceil(t.module_px * 1.25)), 3, 10);
  // Room for a big thumb, or for paper that parallax moves out past its flat outline.
  const bool relief = t.medium == Medium::kPaper && (t.curvature > 0 || t.crumple > 0);
  card.pad = (t.thumb_over != 0 ? kThumbPadModules
              : relief          ? kReliefPadModules
                                : kPadModules) *
             card.ppm;
  const cv::Size size(cvCeil(card.layout.body_w * card.ppm) + 2 * card.pad,
                      cvCeil(card.layout.body_h * card.ppm) + 2 * card.pad);
  card.color = cv::Mat::zeros(size, CV_8UC3);
  card.alpha = cv::Mat::zeros(size, CV_8U);
  card.emissive = cv::Mat::zeros(size, CV_8U);
  Rng rng(seed);
  if (t.medium == Medium::kPaper) {
    DrawPaper(modules, t.ink_contrast, &rng, &card);
  } else {
    DrawPhone(modules, t.medium == Medium::kPhoneDark, t.ink_contrast, &rng, &card);
  }
  if (t.ink_contrast < 1) {
    // Sampled where the code's quiet zone is: paper or screen, whichever it is.
    const cv::Point zone = Px(ToCanvas(card, {card.layout.code_x - 1, card.layout.code_y - 1}));
    Rng fade(Mix(seed, kFadeSalt));
    FadeUnevenly(cv::Scalar(card.color.at<cv::Vec3b>(zone)), fade.Uniform(0, 0.3), &fade, &card);
  }
  DrawHands(t.medium, skin, &rng, &card);
  if (t.thumb_over != 0) DrawThumbOver(t, skin, &rng, &card);
  if (t.medium == Medium::kPaper) {
    if (t.curvature > 0) Bend(t.curvature, t.bend_axis_deg, &card);
    if (t.crumple > 0 || (t.curvature > 0 && t.tilt_deg != 0))
      Relief(t, Mix(seed, kCrumpleSalt), &card);
  }
  return card;
}

bool ThumbSparesCode(const TicketSpec& t) {
  // The palest and the darkest skin PickPerson draws: covered modules read
  // light under one and dark under the other.
  for (const cv::Scalar& skin : {cv::Scalar(195, 210, 245), cv::Scalar(35, 50, 85)}) {
    TicketSpec flat = t;
    flat.module_px = 4;
    flat.curvature = flat.crumple = 0;
    const Card card = RenderCard(flat, skin, 1);
    cv::Mat grey;
    cv::cvtColor(card.color, grey, cv::COLOR_BGR2GRAY);
    grey.setTo(128, card.alpha < 128);
    const ZXing::ImageView view(grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum,
                                static_cast<int>(grey.step));
    const ZXing::Result r = ZXing::ReadBarcode(
        view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode).setTryHarder(true));
    if (!r.isValid() || std::string(r.bytes().begin(), r.bytes().end()) != t.payload) return false;
  }
  return true;
}

// Paper reflects the room's light, a little unevenly; a lit screen dims much
// less in a dark room.
cv::Mat Expose(const Card& card, double light, Rng* rng) {
  const double screen_gain = std::pow(light, 0.35), uneven = rng->Uniform(0, 0.12);
  const double g = Rad(rng->Uniform(0, 360)), gx = std::cos(g), gy = std::sin(g);
  const double span = std::hypot(card.color.cols, card.color.rows);
  cv::Mat layer(card.color.size(), CV_32FC4);
  for (int y = 0; y < card.color.rows; ++y) {
    const auto* colour = card.color.ptr<cv::Vec3b>(y);
    const auto* coverage = card.alpha.ptr<uint8_t>(y);
    const auto* lit = card.emissive.ptr<uint8_t>(y);
    const float* shade = card.shade.empty() ? nullptr : card.shade.ptr<float>(y);
    auto* out = layer.ptr<cv::Vec4f>(y);
    for (int x = 0; x < card.color.cols; ++x) {
      const double a = coverage[x] / 255.0, e = lit[x] / 255.0;
      const double ramp = (x * gx + y * gy) / span + 0.5;
      double gain = light * (1 - uneven * ramp) * (1 - e) + screen_gain * e;
      if (shade != nullptr) gain *= shade[x];
      const auto k = static_cast<float>(gain * a);
      const cv::Vec3f bgr(colour[x]);
      out[x] = {bgr[0] * k, bgr[1] * k, bgr[2] * k, static_cast<float>(a)};
    }
  }
  return layer;
}

}  // namespace checkin::synth
