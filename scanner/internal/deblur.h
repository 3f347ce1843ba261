// Blind deconvolution for the decoder's deblur remedy: a ticket moved while
// the frame was exposed, or held outside the camera's focus. The blur is
// estimated from the patch itself, then undone with a Wiener filter. For
// scanner/*.cc only: it speaks OpenCV's types. Pure functions; thread-safe.
#pragma once

#include <opencv2/core/mat.hpp>
#include <vector>

namespace checkin::scanner {

// Measured on generated 720p frames (noise sigma 2, 15-30 px motion, 4-7.5 px
// discs): 0.003 read the most of both; 0.02 and above lose most motion cases.
// bench/deblur_bench agrees (motion/defocus read of 40 each: 0.0015 16/27,
// 0.003 21/27, 0.006 18/24, 0.012 16/22).
constexpr double kWienerNsr = 0.003;

struct BlurGuess {
  enum class Kind { kMotion, kDefocus };
  Kind kind = Kind::kMotion;
  double size = 0;       // motion: the length of the path in px; defocus: the disc's radius
  double angle_deg = 0;  // motion only: direction in the image, y down
};

// The blurs most likely to have made `patch` (CV_8U, a code-like region),
// most likely first; empty when the patch is too small to tell.
std::vector<BlurGuess> GuessBlur(const cv::Mat& patch);

// The point-spread function of `guess`: CV_32F, odd square, sums to 1.
cv::Mat BlurKernel(const BlurGuess& guess);

// `patch` (CV_8U) deconvolved by `psf` with a Wiener filter whose
// noise-to-signal ratio is `nsr`; CV_8U, the same size.
cv::Mat Deconvolved(const cv::Mat& patch, const cv::Mat& psf, double nsr = kWienerNsr);

}  // namespace checkin::scanner
