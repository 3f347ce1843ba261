#include "tests/synth/blur.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace checkin::synth {
namespace {

double Rad(double deg) { return deg * std::numbers::pi / 180; }
cv::Point Px(cv::Point2d p) { return {cvRound(p.x), cvRound(p.y)}; }

cv::Mat MotionKernel(double length, double angle_deg) {
  const int size = 2 * cvCeil(length / 2) + 1;
  cv::Mat k8 = cv::Mat::zeros(size, size, CV_8U);
  const cv::Point2d c((size - 1) / 2.0, (size - 1) / 2.0);
  const cv::Point2d d(std::cos(Rad(angle_deg)) * length / 2, std::sin(Rad(angle_deg)) * length / 2);
  constexpr int kShift = 4;  // sub-pixel end points
  cv::line(k8, Px((c - d) * (1 << kShift)), Px((c + d) * (1 << kShift)), cv::Scalar(255), 1,
           cv::LINE_AA, kShift);
  cv::Mat k;
  k8.convertTo(k, CV_32F, 1.0 / cv::sum(k8)[0]);
  return k;
}

// A hand's path while the shutter is open: a stroke of `length` px that bows
// sideways by `curve` of its length and speeds up by `ease` (speed 1 - ease at
// the start, 1 + ease at the end), sampled in time, so where the hand is slow
// weighs more. Splatted bilinearly, centred on the path's mean position.
cv::Mat PathKernel(double length, double angle_deg, double curve, double ease) {
  const double a = Rad(angle_deg);
  const cv::Point2d d(std::cos(a), std::sin(a)), n(-d.y, d.x);
  const int steps = std::max(16, cvCeil(6 * length));
  std::vector<cv::Point2d> path;
  cv::Point2d mean;
  for (int i = 0; i < steps; ++i) {
    const double t = (i + 0.5) / steps, u = t + std::clamp(ease, 0.0, 0.9) * (t * t - t);
    path.push_back(d * ((u - 0.5) * length) + n * (curve * length * 4 * u * (1 - u)));
    mean += path.back() / steps;
  }
  const int size = 2 * cvCeil(length / 2 + std::abs(curve) * length) + 3;
  cv::Mat k = cv::Mat::zeros(size, size, CV_32F);
  const double c = (size - 1) / 2.0;
  for (const cv::Point2d& p : path) {
    const double x = c + p.x - mean.x, y = c + p.y - mean.y;
    const int x0 = cvFloor(x), y0 = cvFloor(y);
    const auto fx = static_cast<float>(x - x0), fy = static_cast<float>(y - y0);
    k.at<float>(y0, x0) += (1 - fx) * (1 - fy);
    k.at<float>(y0, x0 + 1) += fx * (1 - fy);
    k.at<float>(y0 + 1, x0) += (1 - fx) * fy;
    k.at<float>(y0 + 1, x0 + 1) += fx * fy;
  }
  return k / cv::sum(k)[0];
}

// A lens's point-spread function out of focus: a uniform disc (pillbox) of
// `radius` px, its rim anti-aliased by 8x8 supersampling. Unlike a Gaussian
// its spectrum has zeros: past about 0.6 / radius cycles per pixel it inverts
// contrast, which is what makes real defocus hard.
cv::Mat DiscKernel(double radius) {
  const int reach = cvCeil(radius), size = 2 * reach + 1;
  cv::Mat k = cv::Mat::zeros(size, size, CV_32F);
  constexpr int kSub = 8;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      int inside = 0;
      for (int i = 0; i < kSub * kSub; ++i) {
        const double dx = x - reach + (i % kSub + 0.5) / kSub - 0.5;
        const double dy = y - reach + (i / kSub + 0.5) / kSub - 0.5;
        inside += dx * dx + dy * dy <= radius * radius;
      }
      k.at<float>(y, x) = static_cast<float>(inside);
    }
  }
  return k / cv::sum(k)[0];
}

}  // namespace

void Smear(const SceneSpec& spec, cv::Mat* layer) {
  if (spec.motion_blur_px > 0.5) {
    const cv::Mat k = spec.motion_curve == 0 && spec.motion_ease == 0
                          ? MotionKernel(spec.motion_blur_px, spec.motion_angle_deg)
                          : PathKernel(spec.motion_blur_px, spec.motion_angle_deg,
                                       spec.motion_curve, spec.motion_ease);
    cv::filter2D(*layer, *layer, -1, k, {-1, -1}, 0, cv::BORDER_CONSTANT);
  }
  if (spec.defocus_disc_px > 0.3)
    cv::filter2D(*layer, *layer, -1, DiscKernel(spec.defocus_disc_px), {-1, -1}, 0,
                 cv::BORDER_CONSTANT);
}

int SmearReach(const SceneSpec& spec) {
  return cvCeil(spec.motion_blur_px * (0.5 + std::abs(spec.motion_curve)) + spec.defocus_disc_px) +
         2;
}

}  // namespace checkin::synth
