// The decoder's grid remedy: a QR code's module grid found from its own
// finder patterns, followed locally where the code is bent or stretched, and
// sampled at module centres, then drawn clean for ZXing to decode. It reads
// codes whose pixels no binarizer sorts into modules: cloth in waves,
// artistic codes with a picture in every module, small prints at a steep
// slant. For scanner/*.cc only: it speaks OpenCV's types. Pure; thread-safe.
#pragma once

#include <functional>
#include <opencv2/core/mat.hpp>

namespace checkin::scanner {

// One guess at a code's modules.
struct GridSample {
  cv::Mat clean;     // CV_8U, dark modules 0 and light 255, kGridModulePx a side
  cv::Mat to_frame;  // CV_64F 3x3 homography from `clean`'s pixels to the frame's
};

constexpr int kGridModulePx = 4;
constexpr int kGridQuietModules = 4;

// Calls `read` with each guess at the codes in `gray` (CV_8U), the most
// plausible first, until it returns true (it read one, or it is time to
// stop). True if it did. `afford`, if set, is asked before each guess is
// drawn, with the code's size in modules (a guess costs about the square
// of it), and with 0 before each search for finder patterns; a guess it
// refuses is skipped, a search it refuses ends the call.
bool EachGridSample(const cv::Mat& gray, const std::function<bool(const GridSample&)>& read,
                    const std::function<bool(int modules)>& afford = {});

// The centres of a version's alignment patterns along either axis, in
// modules (ISO/IEC 18004 annex E); empty for version 1.
std::vector<int> AlignmentCentres(int version);

}  // namespace checkin::scanner
