// One ticket, paper or phone, with the thumbs that hold it, drawn flat on its own
// canvas before the camera sees it. Internal to checkin_synth; pure functions.
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "tests/synth/rng.h"
#include "tests/synth/synth.h"

namespace checkin::synth {

inline constexpr int kQuietZone = 4;  // modules, as ISO/IEC 18004 asks

// Where things sit on a ticket, in modules from the body's top-left corner.
struct Layout {
  double body_w = 0, body_h = 0;
  double code_x = 0, code_y = 0, code_n = 0;  // the symbol, quiet zone excluded
  cv::Rect2d screen;                          // phones only
};

// Modules per side of the payload's symbol. Throws std::invalid_argument for a
// payload no QR code holds (empty, or too long).
int SymbolSize(const std::string& payload);
Layout ComputeLayout(Medium medium, int symbol_size);

struct Card {
  Layout layout;
  int ppm = 0;                     // canvas pixels per module
  int pad = 0;                     // canvas pixels around the body
  cv::Mat color, alpha, emissive;  // CV_8UC3, CV_8U, CV_8U (255 = a lit screen)
  cv::Mat shade;                   // CV_32F light falloff of a bend; empty when flat
  std::vector<cv::Point2d> grips;  // where palms sit behind the ticket, in modules
  double grip_radius = 0;          // modules
};

inline cv::Point2d ToCanvas(const Card& c, cv::Point2d modules) {
  return {c.pad + modules.x * c.ppm, c.pad + modules.y * c.ppm};
}

// Draws the ticket `t` (bent if it is curved paper) with thumbs in `skin`;
// `seed` picks the paper, the text and the grip. Throws as SymbolSize does.
Card RenderCard(const TicketSpec& t, const cv::Scalar& skin, uint64_t seed);

// Whether a plain reader still finds the code on the ticket drawn flat, large
// and sharp, with its thumb over it (t.thumb_over) whatever the skin: what
// the thumb leaves is then within the code's error correction. Throws as
// SymbolSize does.
bool ThumbSparesCode(const TicketSpec& t);

// The card under `light`, ready to composite: CV_32FC4, premultiplied BGR and
// alpha. `rng` picks how unevenly the light falls.
cv::Mat Expose(const Card& card, double light, Rng* rng);

}  // namespace checkin::synth
