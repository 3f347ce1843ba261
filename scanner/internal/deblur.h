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
  double bow = 0;        // motion only: the path bows sideways (to the left of
                         // angle_deg) by this share of its length, as a hand's
                         // arc does; the cepstrum cannot tell, so it guesses 0
};

// Bows a hand's path is tried with when the straight one reads nothing. The
// cepstrum sees a path's length and direction but not its curve; started
// straight, RefinedKernel finds an ease along the path but rarely a bow of
// more than a tenth of its length. On 60 generated paths (raw ZXing on the
// refined output) straight starts read 49, these three 56; five bows
// (0, +-0.1, +-0.2) read no more in the decoder.
constexpr double kTriedBows[] = {0, 0.15, -0.15};

// Rounds of RefinedKernel from each start. In the decoder, on 60 generated
// 15-30 px paths, 2, 3 and 5 rounds read alike; an arc that speeds up from
// a third of its final speed (decoder_test) needs the third.
constexpr int kRefineRounds = 3;

// The blurs most likely to have made `patch` (CV_8U, a code-like region),
// most likely first; empty when the patch is too small to tell.
std::vector<BlurGuess> GuessBlur(const cv::Mat& patch);

// The point-spread function of `guess`: CV_32F, odd square, sums to 1.
cv::Mat BlurKernel(const BlurGuess& guess);

// A better kernel than the one `sharp` was deconvolved with: `sharp`
// binarised into the two-level code it should be (light modules where it is
// lighter than its neighbourhood of `block` px), then the kernel that best
// blurs that into `patch`, solved by least squares over both images'
// gradients in the Fourier domain (gradients, because lighting varies across
// a ticket and blurring commutes with them). Free in shape: it follows a path
// that speeds up or curves, which no line's length and angle describe.
// CV_32F, side x side (odd), sums to 1; empty when the solve finds nothing.
cv::Mat RefinedKernel(const cv::Mat& patch, const cv::Mat& sharp, int block, int side);

// `patch` (CV_8U) deconvolved by `psf` with a Wiener filter whose
// noise-to-signal ratio is `nsr`; CV_8U, the same size.
cv::Mat Deconvolved(const cv::Mat& patch, const cv::Mat& psf, double nsr = kWienerNsr);

}  // namespace checkin::scanner
