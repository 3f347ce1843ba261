#include "scanner/internal/stack.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

namespace checkin::scanner {
namespace {

// The frame at half size, where the code is looked for; a sixteenth of
// that, where scenes are told apart: small enough that a dim frame's noise
// (sigma 25 at full size, under 1 there) cannot pass for a new scene.
cv::Mat Half(const cv::Mat& gray) {
  cv::Mat half;
  cv::resize(gray, half, {}, 0.5, 0.5, cv::INTER_AREA);
  return half;
}

cv::Mat Thumb(const cv::Mat& half) {
  cv::Mat small, f;
  cv::resize(half, small, {}, 1.0 / 16, 1.0 / 16, cv::INTER_AREA);
  small.convertTo(f, CV_32F);
  return f;
}

// A new person or a camera knocked aside changes most of the frame; a ticket
// trembling in a hand changes a few percent of it. Relative to the scene's
// brightness, so a dim room counts the same.
bool SceneChanged(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const double level = 0.5 * (cv::mean(a)[0] + cv::mean(b)[0]);
  return cv::mean(diff)[0] > 0.08 * level + 2;
}

// The sensor noise's sigma in `now` (both half-size frames, CV_8U), from
// its difference with `before`: most of a frame is the room, which stands
// still, so the median absolute difference is the noise's, times sqrt(2).
double NoiseSigma(const cv::Mat& before, const cv::Mat& now) {
  cv::Mat diff;
  cv::absdiff(before, now, diff);
  std::array<size_t, 256> histogram{};
  for (int y = 0; y < diff.rows; ++y) {
    const uint8_t* row = diff.ptr<uint8_t>(y);
    for (int x = 0; x < diff.cols; ++x) ++histogram[row[x]];
  }
  size_t seen = 0, level = 0;
  while (level < 255 && (seen += histogram[level]) < diff.total() / 2) ++level;
  return 1.4826 * static_cast<double>(level) / std::sqrt(2.0);
}

// Below this noise (half-size sigma; about twice that at full size) a mean
// of frames has nothing to beat, and a frame's misses are blur, tilt or
// size, which stacking cannot help: it is not worth its cost. A laptop
// webcam in a lit hall shows about 1, the dim bursts 10 and more.
constexpr double kNoisy = 2.0;

// The region's side at which frames are aligned: a trembling ticket's few
// pixels of motion stay well inside what phase correlation finds at this
// size, and its cost is two small FFTs.
constexpr double kAlignSide = 128;

// Below this correlation (of the smoothed patches, after alignment) the
// alignment failed or the frame shows something else there (a hand over
// the ticket). In the dim bursts of scan_bench the same ticket correlates
// 0.6-0.99 and misaligned patches under 0.15. Another ticket held in the
// same place can pass it; a mean of two codes then reads as neither, which
// the tests and scan_bench check (a second ticket follows every burst).
constexpr double kMinCorrelation = 0.3;

// The correlation coefficient of two patches of the same size.
double Correlation(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat c;
  cv::matchTemplate(a, b, c, cv::TM_CCOEFF_NORMED);
  return c.at<float>(0, 0);
}

// The shift from the newest frame's region `r` (in frame pixels) to where it
// lies in `older`, or nothing when `older` shows something else there. A
// shift, not an affine warp: between frames a sixtieth of a second apart a
// held ticket turns a fraction of a degree, under a pixel at a code's edge.
std::optional<cv::Point2d> Align(const cv::Mat& ref_small, const cv::Mat& window,
                                 const cv::Mat& older, const cv::Rect& r, double f) {
  cv::Mat moving;
  cv::resize(older(r), moving, ref_small.size(), 0, 0, cv::INTER_AREA);
  moving.convertTo(moving, CV_32F);
  cv::GaussianBlur(moving, moving, {0, 0}, 1.0);
  const cv::Point2d d = cv::phaseCorrelate(ref_small, moving, window);
  // Check the match where both patches overlap once shifted.
  const int dx = static_cast<int>(std::lround(d.x)), dy = static_cast<int>(std::lround(d.y));
  const cv::Rect both = cv::Rect(0, 0, ref_small.cols, ref_small.rows) &
                        cv::Rect(-dx, -dy, ref_small.cols, ref_small.rows);
  if (both.width < ref_small.cols / 2 || both.height < ref_small.rows / 2) return std::nullopt;
  if (Correlation(ref_small(both), moving(both + cv::Point(dx, dy))) < kMinCorrelation)
    return std::nullopt;
  return cv::Point2d(d.x / f, d.y / f);
}

// The float sum stretched to 8 bits: averaging leaves more grey levels
// than a dim frame had, which a plain conversion would throw away.
cv::Mat Stretched(const cv::Mat& f) {
  cv::Mat out;
  cv::normalize(f, out, 0, 255, cv::NORM_MINMAX, CV_8U);
  return out;
}

// The newest frame's region `r` combined with the older frames aligned to
// it; nothing when too few of them align.
std::optional<Stacked> StackRegion(const std::deque<cv::Mat>& older, const cv::Mat& newest,
                                   const cv::Rect& r, const std::function<bool()>& yield) {
  const double f = std::min(1.0, kAlignSide / std::max(r.width, r.height));
  cv::Mat ref_small;
  cv::resize(newest(r), ref_small, {}, f, f, cv::INTER_AREA);
  ref_small.convertTo(ref_small, CV_32F);
  cv::GaussianBlur(ref_small, ref_small, {0, 0}, 1.0);
  cv::Mat window;
  cv::createHanningWindow(window, ref_small.size(), CV_32F);
  std::vector<cv::Mat> layers{newest(r).clone()};
  for (auto it = older.rbegin(); it != older.rend(); ++it) {
    if (yield && yield()) break;
    const std::optional<cv::Point2d> d = Align(ref_small, window, *it, r, f);
    if (!d) continue;
    const cv::Matx23d to_older(1, 0, r.x + d->x, 0, 1, r.y + d->y);
    cv::Mat aligned;
    cv::warpAffine(*it, aligned, to_older, r.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REPLICATE);
    layers.push_back(aligned);
  }
  // Fewer than three frames lower the noise too little to read what the
  // single frames missed; not worth a read.
  if (layers.size() < 3) return std::nullopt;
  cv::Mat sum(r.size(), CV_32F, cv::Scalar(0));
  for (const cv::Mat& l : layers) cv::accumulate(l, sum);
  const cv::Point2f at(static_cast<float>(r.x), static_cast<float>(r.y));
  // What noise the mean leaves is finer than a module, which is some pixels
  // wide wherever the plain attempt could have read the code: a slight blur
  // takes it out before ZXing binarises.
  cv::GaussianBlur(sum, sum, {0, 0}, 1.0);
  return Stacked{Stretched(sum), at};
}

// Where the code lies in the mean of the unaligned frames: its noise is
// lower than any one frame's, but the tremor smears the code a little, and
// a dark frame's remaining noise fools a threshold over edges (what the
// decoder's own region search does). A code is the densest patch of edges
// in the frame: the peaks of edge density, each grown to the blob around it
// that is at least half as dense, largest peak first.
// `mean` is at half the size of `frame`; the rectangles are in its pixels.
std::vector<cv::Rect> DensestPatches(const cv::Mat& mean, cv::Size frame_size, size_t most) {
  constexpr double f = 0.5;
  cv::Mat small, grad, density;
  cv::GaussianBlur(mean, small, {0, 0}, 1.0);
  cv::normalize(small, small, 0, 255, cv::NORM_MINMAX);
  cv::morphologyEx(small, grad, cv::MORPH_GRADIENT,
                   cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  grad.convertTo(grad, CV_32F);
  cv::blur(grad, density, {15, 15});
  const cv::Rect frame({0, 0}, frame_size);
  std::vector<cv::Rect> out;
  double first_peak = 0;
  while (out.size() < most) {
    double peak = 0;
    cv::Point at;
    cv::minMaxLoc(density, nullptr, &peak, nullptr, &at);
    if (out.empty()) first_peak = peak;
    if (peak <= 0 || peak < 0.6 * first_peak) break;
    cv::Mat blob = cv::Mat::zeros(density.rows + 2, density.cols + 2, CV_8U);
    cv::Rect box;
    cv::floodFill(density, blob, at, 0, &box, cv::Scalar(peak * 0.5), cv::Scalar(peak),
                  4 | cv::FLOODFILL_MASK_ONLY | cv::FLOODFILL_FIXED_RANGE | (255 << 8));
    density(box).setTo(0, blob(box + cv::Point(1, 1)));
    // A quarter of margin for the quiet zone and the tremor.
    const double m = 0.25 * std::max(box.width, box.height);
    const cv::Rect r(static_cast<int>((box.x - m) / f), static_cast<int>((box.y - m) / f),
                     static_cast<int>((box.width + 2 * m) / f),
                     static_cast<int>((box.height + 2 * m) / f));
    const int limit = std::min(density.cols, density.rows) / 2;
    if (box.width >= 8 && box.height >= 8 && box.width <= limit && box.height <= limit &&
        box.width < 2 * box.height + 8 && box.height < 2 * box.width + 8)
      out.push_back(r & frame);
  }
  return out;
}

}  // namespace

std::vector<Stacked> FrameStack::Add(const cv::Mat& gray, const std::function<bool()>& yield) {
  // Too small for a thumbnail, let alone a code that noise could hide.
  if (gray.cols < 64 || gray.rows < 64) return {};
  Kept now{gray.clone(), Half(gray), {}};
  now.thumb = Thumb(now.half);
  if (!frames_.empty() &&
      (frames_.back().gray.size() != gray.size() || SceneChanged(frames_.back().thumb, now.thumb)))
    frames_.clear();
  frames_.push_back(std::move(now));
  while (frames_.size() > kHistory + 1) frames_.pop_front();
  if (frames_.size() < 3) return {};
  const double noise = NoiseSigma(frames_[frames_.size() - 2].half, frames_.back().half);
  if (noise < kNoisy) return {};
  std::deque<cv::Mat> older;
  for (size_t i = 0; i + 1 < frames_.size(); ++i) older.push_back(frames_[i].gray);
  // Where to look: in the mean of the unaligned frames, whose noise is lower
  // than any one frame's and whose code is smeared only by the tremor.
  cv::Mat sum(frames_.back().half.size(), CV_32F, cv::Scalar(0));
  for (const Kept& k : frames_) cv::accumulate(k.half, sum);
  cv::Mat mean;
  sum.convertTo(mean, CV_8U, 1.0 / static_cast<double>(frames_.size()));
  std::vector<Stacked> out;
  const std::vector<cv::Rect> found = DensestPatches(mean, gray.size(), 2);
  for (const cv::Rect& r : found) {
    if (yield && yield()) break;
    if (std::optional<Stacked> s = StackRegion(older, gray, r, yield)) out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace checkin::scanner
