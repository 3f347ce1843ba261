#include "tests/synth/bend.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "tests/synth/rng.h"

namespace checkin::synth {
namespace {

double Rad(double deg) { return deg * std::numbers::pi / 180; }

struct Cylinder {
  double c, s;    // the direction across the axis, on the canvas
  double cx, cy;  // the ticket's centre, canvas pixels
  double radius;  // canvas pixels
};

Cylinder CylinderOf(double curvature, double axis_deg, const Card& card) {
  const double c = std::cos(Rad(axis_deg)), s = std::sin(Rad(axis_deg));
  const double w = card.layout.body_w * card.ppm, h = card.layout.body_h * card.ppm;
  const double half = (std::abs(c) * w + std::abs(s) * h) / 2;
  return {c, s, card.pad + w / 2, card.pad + h / 2, half / (1.2 * curvature)};
}

}  // namespace

// Bends paper round a cylinder whose axis lies `axis_deg` from the ticket's
// vertical: across the axis the modules foreshorten, recede and fall out of
// the light, as on a sheet held by its edges. Curvature 1 turns the edges by
// 1.2 rad (69 degrees), about the most a code on it can show and still be read:
// past it the code's far side slopes away beyond 70 degrees.
void Bend(double curvature, double axis_deg, Card* card) {
  const auto [c, s, cx, cy, radius] = CylinderOf(curvature, axis_deg, *card);
  const double distance =
      2 * card->layout.body_w * card->ppm;  // from the camera, for the recession
  const cv::Size size = card->color.size();
  cv::Mat map_x(size, CV_32F), map_y(size, CV_32F);
  card->shade = cv::Mat(size, CV_32F);
  for (int x = 0; x < size.width; ++x) {
    for (int y = 0; y < size.height; ++y) {
      const double u = (x - cx) * c + (y - cy) * s, v = -(x - cx) * s + (y - cy) * c;
      const double sine = u / radius, theta = std::asin(std::clamp(sine, -1.0, 1.0));
      const double zoom = (distance + radius * (1 - std::cos(theta))) / distance;
      const double su = radius * theta, sv = v * zoom;
      const bool seen = std::abs(sine) < 1;
      map_x.at<float>(y, x) = static_cast<float>(seen ? cx + su * c - sv * s : -1);
      map_y.at<float>(y, x) = static_cast<float>(seen ? cy + su * s + sv * c : -1);
      card->shade.at<float>(y, x) = static_cast<float>(0.7 + 0.3 * std::cos(theta));
    }
  }
  for (cv::Mat* m : {&card->color, &card->alpha, &card->emissive})
    cv::remap(*m, *m, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
}

// Relief: what heights off the ticket's plane do that the plane's own
// perspective (Project) cannot. Crumpled paper (t.crumple) is a smooth random
// height field of four long waves (14..40 modules), peak t.crumple modules, as
// a ticket from a pocket shows; with peak <= 3 its slopes stay under about 55
// degrees, which a reader following the code's grid can still sample. Paper
// does not stretch, so where it slopes it pulls in towards the centre (by half
// the squared slope summed along the way: a cylinder's foreshortening to second
// order); raised parts come nearer the camera; slopes turn to or from the
// light. And a tilted ticket shows every height, crumple or bend (Bend's
// cylinder, already laid out), displaced by height x tan(tilt) across the tilt
// axis: parallax, which bends the code's rows and columns on screen.
void Relief(const TicketSpec& t, uint64_t seed, Card* card) {
  const cv::Size size = card->color.size();
  const double two_pi = 2 * std::numbers::pi;
  const double cx = card->pad + card->layout.body_w * card->ppm / 2;
  const double cy = card->pad + card->layout.body_h * card->ppm / 2;
  const double distance = 2 * card->layout.body_w * card->ppm;
  cv::Mat z = cv::Mat::zeros(size, CV_64F), gx = z.clone(), gy = z.clone();
  if (t.crumple > 0) {
    Rng rng(seed);
    const double height = t.crumple * card->ppm;
    std::array<double, 4> weights{};
    for (double& w : weights) w = rng.Uniform(0.4, 1);
    const double total = weights[0] + weights[1] + weights[2] + weights[3];
    for (const double weight : weights) {
      const double length = rng.Uniform(14, 40) * card->ppm, dir = rng.Uniform(0, two_pi);
      const double kx = two_pi * std::cos(dir) / length, ky = two_pi * std::sin(dir) / length;
      const double phase = rng.Uniform(0, two_pi), a = height * weight / total;
      // sin(kx x + ky y + phase) from per-column and per-row tables.
      std::vector<double> sx(static_cast<size_t>(size.width)), cxs(sx.size());
      for (size_t x = 0; x < sx.size(); ++x) {
        sx[x] = std::sin(kx * static_cast<double>(x));
        cxs[x] = std::cos(kx * static_cast<double>(x));
      }
      for (int y = 0; y < size.height; ++y) {
        const double sy = std::sin(ky * y + phase), cys = std::cos(ky * y + phase);
        auto *zr = z.ptr<double>(y), *gxr = gx.ptr<double>(y), *gyr = gy.ptr<double>(y);
        for (size_t x = 0; x < sx.size(); ++x) {
          const double sine = sx[x] * cys + cxs[x] * sy, cosine = cxs[x] * cys - sx[x] * sy;
          zr[x] += a * sine;
          gxr[x] += a * kx * cosine;
          gyr[x] += a * ky * cosine;
        }
      }
    }
  }
  // The pull towards the centre, summed outwards from it along rows and columns.
  cv::Mat pull_x = cv::Mat::zeros(size, CV_64F), pull_y = pull_x.clone();
  const int mid_x = std::clamp(cvRound(cx), 0, size.width - 1);
  const int mid_y = std::clamp(cvRound(cy), 0, size.height - 1);
  const auto half_square = [](double g) { return 0.5 * g * g; };
  for (int y = 0; y < size.height; ++y) {
    auto* px = pull_x.ptr<double>(y);
    const auto* g = gx.ptr<double>(y);
    for (int x = mid_x + 1; x < size.width; ++x) px[x] = px[x - 1] - half_square(g[x]);
    for (int x = mid_x - 1; x >= 0; --x) px[x] = px[x + 1] + half_square(g[x]);
  }
  for (int y = mid_y + 1; y < size.height; ++y)
    for (int x = 0; x < size.width; ++x)
      pull_y.at<double>(y, x) = pull_y.at<double>(y - 1, x) - half_square(gy.at<double>(y, x));
  for (int y = mid_y - 1; y >= 0; --y)
    for (int x = 0; x < size.width; ++x)
      pull_y.at<double>(y, x) = pull_y.at<double>(y + 1, x) + half_square(gy.at<double>(y, x));
  // Parallax: across the tilt axis, in canvas terms (Project rotates by
  // rotation_deg first, so undo it); heights count away from the camera.
  const double steep = std::tan(Rad(std::clamp(t.tilt_deg, -80.0, 80.0)));
  const double across = Rad(t.tilt_axis_deg - t.rotation_deg);
  const double shift_x = steep * std::sin(across), shift_y = -steep * std::cos(across);
  const bool bent = t.curvature > 0;
  const Cylinder cyl = bent ? CylinderOf(t.curvature, t.bend_axis_deg, *card) : Cylinder{};
  const cv::Vec3d light = cv::normalize(cv::Vec3d(0.3, -0.45, 1));
  cv::Mat fwd_x(size, CV_32F), fwd_y(size, CV_32F), shade(size, CV_32F);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      const double h = z.at<double>(y, x), zoom = distance / (distance + h);
      double lift = h;
      if (bent) {
        const double u = (x - cyl.cx) * cyl.c + (y - cyl.cy) * cyl.s;
        const double theta = std::asin(std::clamp(u / cyl.radius, -1.0, 1.0));
        lift += cyl.radius * (1 - std::cos(theta));
      }
      fwd_x.at<float>(y, x) =
          static_cast<float>((x + pull_x.at<double>(y, x) - cx) * zoom + cx - x + lift * shift_x);
      fwd_y.at<float>(y, x) =
          static_cast<float>((y + pull_y.at<double>(y, x) - cy) * zoom + cy - y + lift * shift_y);
      const double px = gx.at<double>(y, x), py = gy.at<double>(y, x);
      const double facing =
          (-px * light[0] - py * light[1] + light[2]) / std::sqrt(1 + px * px + py * py) / light[2];
      shade.at<float>(y, x) = static_cast<float>(std::clamp(facing, 0.5, 1.15));
    }
  }
  // The inverse map by fixed-point iteration, which converges since the
  // displacement changes slowly from pixel to pixel.
  cv::Mat grid_x(size, CV_32F), grid_y(size, CV_32F);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      grid_x.at<float>(y, x) = static_cast<float>(x);
      grid_y.at<float>(y, x) = static_cast<float>(y);
    }
  }
  cv::Mat map_x = grid_x.clone(), map_y = grid_y.clone(), dx, dy;
  for (int i = 0; i < 6; ++i) {
    cv::remap(fwd_x, dx, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::remap(fwd_y, dy, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    map_x = grid_x - dx;
    map_y = grid_y - dy;
  }
  if (card->shade.empty()) card->shade = cv::Mat(size, CV_32F, cv::Scalar(1));
  card->shade = card->shade.mul(shade);
  for (cv::Mat* m : {&card->color, &card->alpha, &card->emissive, &card->shade})
    cv::remap(*m, *m, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
}

}  // namespace checkin::synth
