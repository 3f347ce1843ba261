#include "scanner/decoder.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <limits>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "scanner/internal/deblur.h"
#include "scanner/internal/grid.h"
#include "scanner/internal/stack.h"

namespace checkin::scanner {
namespace {

using Codes = std::vector<Detection>;

// What a remedy works into, and whether it should give up early: in live
// video a newer frame waiting means the person has moved on and this one is
// stale, so a remedy stops between attempts rather than delay that frame.
struct Pass {
  Codes& out;
  const std::function<bool()>& newer_frame;
  // What the grid remedy may still spend on this frame, in modules drawn
  // (a guess at a code n modules a side costs about n * n). On a dim or
  // noisy live frame the finder search finds many false patterns, often
  // far apart (a large code): bounded, a frame's remedy stays within a few
  // frames' time even where no newer frame asks it to stop.
  mutable long grid_budget = kStillGridBudget;
  bool Yield() const { return newer_frame && newer_frame(); }

  // A still image's bound, measured on the shared photographs: 500,000
  // (16 guesses at a version 40 code, 150 at version 10) reads all 536
  // that no bound reads, and takes the slowest (high-res-1, a version 40
  // code filling a large photograph, never read) from 9 s to 1.3 s and the
  // whole corpus from 45 s to 16 s; 300,000 reads 532.
  static constexpr long kStillGridBudget = 500000;
  // Measured on dim and glared 720p bursts (scan_bench --only stacking):
  // 10,000 (two or three guesses at a version 10 code) reads as many
  // bursts as 30,000 or no bound, and takes the glared frames' p99 from
  // 166-187 ms to 47-65 ms. Dim frames stay at 120-150 ms, which the
  // unbent remedy's outline search on sensor noise sets.
  static constexpr long kLiveGridBudget = 10000;

  // Rounds of a blur kernel's re-estimation this frame may still spend
  // (DeblurredFreely). A round costs about 40 ms on a 400 px patch: a still
  // image spends what it needs (3 starts of 3 rounds for each guess); a
  // live frame one, and the remedies' turns come round again a few frames on.
  mutable int refine_rounds = kStillRefineRounds;
  static constexpr int kStillRefineRounds = std::numeric_limits<int>::max();
  static constexpr int kLiveRefineRounds = 1;
};

// A grey view of the frame: no copy when it is grey already.
cv::Mat Gray(const Frame& f) {
  cv::Mat m(f.height, f.width, f.channels == 3 ? CV_8UC3 : CV_8UC1,
            const_cast<uint8_t*>(f.pixels.data()));
  if (f.channels == 1) return m;
  cv::Mat g;
  cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
  return g;
}

ZXing::DecodeHints QrHints(ZXing::Binarizer binarizer = ZXing::Binarizer::LocalAverage) {
  ZXing::DecodeHints h;
  // QR only: the other 1D/2D readers cost time and can only add false reads.
  // Rotation is a 1D matter; QR finder patterns are rotation-free.
  h.setFormats(ZXing::BarcodeFormat::QRCode)
      .setTryHarder(true)
      .setTryRotate(false)
      .setBinarizer(binarizer);
  return h;
}

// Where a point of a remedy's image lies in the frame.
struct Mapping {
  double scale = 1;                   // the image is the frame scaled by this...
  cv::Point2f origin{0, 0};           // ...with its top-left here in frame pixels,
  const cv::Mat* to_frame = nullptr;  // or a homography back to the frame,
  const cv::Mat* remap_xy = nullptr;  // or, per pixel, where it came from (CV_32FC2),
                                      // or both: the homography leads into remap_xy
  Point operator()(double x, double y) const {
    if (to_frame != nullptr) {
      std::vector<cv::Point2f> p{{static_cast<float>(x), static_cast<float>(y)}}, q;
      cv::perspectiveTransform(p, q, *to_frame);
      if (remap_xy == nullptr) return {q[0].x, q[0].y};
      x = q[0].x, y = q[0].y;  // a homography into a remapped image
    }
    if (remap_xy != nullptr) {
      const int cx = std::clamp(static_cast<int>(std::lround(x)), 0, remap_xy->cols - 1);
      const int cy = std::clamp(static_cast<int>(std::lround(y)), 0, remap_xy->rows - 1);
      const cv::Point2f q = remap_xy->at<cv::Point2f>(cy, cx);
      return {q.x, q.y};
    }
    return {static_cast<float>(x / scale + origin.x), static_cast<float>(y / scale + origin.y)};
  }
};

// Reads `img`, a remedy's version of the frame (`map` leads back to frame
// pixels); appends codes not found yet. True if it added one.
bool Read(const cv::Mat& img, const ZXing::DecodeHints& hints, const Mapping& map,
          const char* remedy, Codes& out) {
  const cv::Mat c = img.isContinuous() ? img : img.clone();
  bool added = false;
  try {
    const ZXing::ImageView view(c.data, c.cols, c.rows, ZXing::ImageFormat::Lum);
    for (const ZXing::Result& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      std::string bytes(r.bytes().begin(), r.bytes().end());
      if (std::any_of(out.begin(), out.end(), [&](const Detection& d) { return d.bytes == bytes; }))
        continue;
      Detection d;
      d.text = r.text();
      d.bytes = std::move(bytes);
      d.remedy = remedy;
      const auto& p = r.position();
      for (size_t i = 0; i < 4; ++i)
        d.corners[i] = map(p[static_cast<int>(i)].x, p[static_cast<int>(i)].y);
      out.push_back(std::move(d));
      added = true;
    }
  } catch (const std::exception&) {
    // ZXing rejects images it cannot take (e.g. too small); that is "no code".
  }
  return added;
}

// Remedies have already had the plain attempt's search of downscaled copies;
// they skip it.
ZXing::DecodeHints RemedyHints() { return QrHints().setTryDownscale(false); }

bool ReadEitherPolarity(const cv::Mat& img, const Mapping& map, const char* remedy, const Pass& p) {
  if (Read(img, RemedyHints(), map, remedy, p.out)) return true;
  if (p.Yield()) return false;
  cv::Mat inv;
  cv::bitwise_not(img, inv);
  return Read(inv, RemedyHints(), map, remedy, p.out);
}

// Dark-mode phones: light modules on a dark screen. ZXing 1.4 looks for dark
// finder patterns only, so it finds nothing until the image is inverted.
bool Inverted(const cv::Mat& gray, Codes& out) {
  cv::Mat inv;
  cv::bitwise_not(gray, inv);
  // Phone screens are held close: skip ZXing's search of downscaled copies,
  // which costs most on frames with nothing to find.
  return Read(inv, QrHints().setTryDownscale(false), {}, "inverted", out);
}

// Codes whose pixels no binarizer sorts into modules: cloth in waves,
// artistic codes with a picture in every module, small prints at a steep
// slant. Their grid is found from their own finder patterns, followed where
// it bends, sampled at module centres and drawn clean for ZXing. `img` is
// the frame or a remedy's flattened copy of it (`map` leads back).
bool ReadGrid(const cv::Mat& img, const Mapping& map, const char* remedy, const Pass& p) {
  // The drawing is exact: ZXing need not search it.
  const auto hints = RemedyHints().setIsPure(true);
  const auto afford = [&](int modules) {
    if (p.Yield()) return false;
    const long cost = static_cast<long>(modules) * modules;
    if (cost > p.grid_budget) return false;
    p.grid_budget -= cost;
    return true;
  };
  return EachGridSample(
      img,
      [&](const GridSample& s) {
        if (p.Yield()) return true;
        // The drawing's homography into `img`, then `map`'s way back.
        Mapping back = map;
        // Never a header sharing `s.to_frame`: a product assigned to it would
        // be written into the sample's own matrix, which the next guess reuses.
        cv::Mat to_frame;
        if (map.to_frame != nullptr) {
          to_frame = *map.to_frame * s.to_frame;
        } else if (map.remap_xy == nullptr) {
          const cv::Mat scaled = (cv::Mat_<double>(3, 3) << 1 / map.scale, 0, map.origin.x, 0,
                                  1 / map.scale, map.origin.y, 0, 0, 1);
          to_frame = scaled * s.to_frame;
        } else {
          to_frame = s.to_frame;  // into the remapped image; remap_xy leads on
        }
        back.to_frame = &to_frame;
        return Read(s.clean, hints, back, remedy, p.out);
      },
      afford);
}

bool Resampled(const cv::Mat& gray, const Pass& p) { return ReadGrid(gray, {}, "resampled", p); }

// Places that look like a code: dense, roughly square patches of strong edges.
std::vector<cv::Rect> CodeLikeRegions(const cv::Mat& gray) {
  const double f = gray.cols > 800 ? 0.5 : 1.0;
  cv::Mat small, grad, bin;
  cv::resize(gray, small, {}, f, f, cv::INTER_AREA);
  cv::morphologyEx(small, grad, cv::MORPH_GRADIENT,
                   cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  cv::threshold(grad, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  cv::morphologyEx(bin, bin, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(bin, labels, stats, centroids, 8);
  std::vector<std::pair<double, cv::Rect>> scored;
  const int limit = static_cast<int>(0.6 * std::min(small.cols, small.rows));
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const double fill = stats.at<int>(i, cv::CC_STAT_AREA) / static_cast<double>(w * h);
    if (w < 10 || h < 10 || w > limit || h > limit || w > 2 * h || h > 2 * w || fill < 0.35)
      continue;
    scored.push_back(
        {fill * std::sqrt(w * h),
         {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h}});
  }
  std::sort(scored.begin(), scored.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<cv::Rect> out;
  const cv::Rect frame(0, 0, gray.cols, gray.rows);
  for (size_t i = 0; i < scored.size() && i < 4; ++i) {
    const cv::Rect& r = scored[i].second;
    // Back to frame pixels with a quarter of margin for the quiet zone.
    const double m = 0.25 * std::max(r.width, r.height);
    cv::Rect big(static_cast<int>((r.x - m) / f), static_cast<int>((r.y - m) / f),
                 static_cast<int>((r.width + 2 * m) / f), static_cast<int>((r.height + 2 * m) / f));
    out.push_back(big & frame);
  }
  return out;
}

// Small or distant codes: modules of two pixels or less defeat the finder
// pattern search; enlarging just the code-like patches costs far less than
// enlarging the frame.
bool RegionsUpscaled(const cv::Mat& gray, const Pass& p) {
  bool added = false;
  for (const cv::Rect& r : CodeLikeRegions(gray)) {
    if (p.Yield()) break;
    const double scale = std::clamp(360.0 / std::max(r.width, r.height), 1.0, 4.0);
    if (scale < 1.5) continue;  // big enough for the plain attempt
    cv::Mat up;
    cv::resize(gray(r), up, {}, scale, scale, cv::INTER_CUBIC);
    const Mapping map{scale, cv::Point2f(static_cast<float>(r.x), static_cast<float>(r.y))};
    added |= ReadEitherPolarity(up, map, "regions_upscaled", p);
  }
  return added;
}

// Dim rooms and glare: equalise contrast locally before binarising.
bool Normalized(const cv::Mat& gray, const Pass& p) {
  cv::Mat eq;
  cv::createCLAHE(3.0, {8, 8})->apply(gray, eq);
  return ReadEitherPolarity(eq, {}, "normalized", p);
}

// Defocus and motion blur: an unsharp mask restores module edges.
bool Sharpened(const cv::Mat& gray, const Pass& p) {
  cv::Mat blur, sharp;
  cv::GaussianBlur(gray, blur, {0, 0}, 2.0);
  cv::addWeighted(gray, 2.0, blur, -1.0, 0, sharp);
  return ReadEitherPolarity(sharp, {}, "sharpened", p);
}

// A hand seldom moves straight at a steady speed while the shutter is open:
// its path curves and speeds up, and a line's kernel leaves the code
// smeared. From the line (and from arcs either way, which the cepstrum
// cannot tell from it), the kernel is re-estimated from the code it
// uncovers a few times over, each round's output read. Measured on the 60
// motion_strong frames of the generator (15-30 px, half of them curved or
// speeding up): the decoder read 41 without these rounds, 56 with them
// (bench/RESULTS.md).
// `straight` is the patch already deconvolved by `guess` as it came.
bool DeblurredFreely(const cv::Mat& patch, BlurGuess guess, const cv::Mat& straight,
                     const Mapping& map, const Pass& p) {
  // Two to four modules: the patch is the code and a quarter of margin each side.
  const int block = std::min(patch.cols, patch.rows) / 12;
  // Room for a path of up to 1.5 times the guessed length, or an arc.
  const int side = 2 * static_cast<int>(0.75 * guess.size) + 5;
  for (const double bow : kTriedBows) {
    guess.bow = bow;
    cv::Mat sharp = bow == 0 ? straight : Deconvolved(patch, BlurKernel(guess));
    for (int round = 0; round < kRefineRounds; ++round) {
      if (p.Yield() || p.refine_rounds <= 0) return false;
      --p.refine_rounds;
      const cv::Mat kernel = RefinedKernel(patch, sharp, block, side);
      if (kernel.empty()) break;
      sharp = Deconvolved(patch, kernel);
      if (ReadEitherPolarity(sharp, map, "deblurred, refined", p)) return true;
    }
  }
  return false;
}

// A ticket moved while the frame was exposed, or held out of focus: the
// blur of each code-like patch is guessed from the patch itself and undone.
bool Deblurred(const cv::Mat& gray, const Pass& p) {
  // Two patches of at most 400 px a side bound a live frame's turn: a
  // deconvolution costs about 12 ms at that size, 4 ms at 200. Larger
  // codes are shrunk to it; their modules stay wide enough.
  const std::vector<cv::Rect> regions = CodeLikeRegions(gray);
  for (size_t i = 0; i < regions.size() && i < 2; ++i) {
    const cv::Rect& r = regions[i];
    const double scale = std::min(1.0, 400.0 / std::max(r.width, r.height));
    cv::Mat patch = gray(r);
    if (scale < 1) cv::resize(patch, patch, {}, scale, scale, cv::INTER_AREA);
    const std::vector<BlurGuess> guesses = GuessBlur(patch);
    const Mapping map{scale, cv::Point2f(static_cast<float>(r.x), static_cast<float>(r.y))};
    std::vector<cv::Mat> sharp;  // each guess's deconvolution, for the rounds below
    for (const BlurGuess& guess : guesses) {
      if (p.Yield()) return false;
      sharp.push_back(Deconvolved(patch, BlurKernel(guess)));
      if (ReadEitherPolarity(sharp.back(), map, "deblurred", p)) return true;
      // Ringing from the filter fools the binarizer more than it moves a
      // module's centre.
      if (ReadGrid(sharp.back(), map, "deblurred, resampled", p)) return true;
    }
    // Costlier: each guess's kernel re-estimated, once the plain ones failed.
    for (size_t g = 0; g < guesses.size(); ++g) {
      if (guesses[g].kind == BlurGuess::Kind::kMotion &&
          DeblurredFreely(patch, guesses[g], sharp[g], map, p))
        return true;
    }
  }
  return false;
}

// A second binarizer: one threshold for the whole image copes where the
// local average is fooled by a gradient across the code.
bool GlobalThreshold(const cv::Mat& gray, const Pass& p) {
  const auto hints = RemedyHints().setBinarizer(ZXing::Binarizer::GlobalHistogram);
  if (Read(gray, hints, {}, "global_threshold", p.out)) return true;
  if (p.Yield()) return false;
  cv::Mat inv;
  cv::bitwise_not(gray, inv);
  return Read(inv, hints, {}, "global_threshold", p.out);
}

// The four corners of a convex quadrilateral, ordered top-left, top-right,
// bottom-right, bottom-left.
std::array<cv::Point2f, 4> Ordered(const std::vector<cv::Point>& quad, double f) {
  std::array<cv::Point2f, 4> q;
  auto key = [&](auto better) {
    return *std::max_element(quad.begin(), quad.end(),
                             [&](auto a, auto b) { return better(a) < better(b); });
  };
  const cv::Point tl = key([](cv::Point p) { return -(p.x + p.y); }),
                  br = key([](cv::Point p) { return p.x + p.y; });
  const cv::Point tr = key([](cv::Point p) { return p.x - p.y; }),
                  bl = key([](cv::Point p) { return p.y - p.x; });
  int i = 0;
  for (cv::Point p : {tl, tr, br, bl})
    q[static_cast<size_t>(i++)] = {static_cast<float>(p.x / f), static_cast<float>(p.y / f)};
  return q;
}

// Steep tilt: ZXing 1.4 gives up when the three finder patterns look too
// different in size. Paper tickets and phone screens are quadrilaterals with
// sharp edges; warping each back to a rectangle undoes the perspective.
bool Rectified(const cv::Mat& gray, const Pass& p) {
  const double f = gray.cols > 800 ? 0.5 : 1.0;
  cv::Mat small, edges;
  cv::resize(gray, small, {}, f, f, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {5, 5}, 0);
  cv::Canny(small, edges, 30, 90);
  cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(edges, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  const double pixels = static_cast<double>(small.total());
  const double min_area = 0.01 * pixels, max_area = 0.7 * pixels;
  std::vector<std::pair<double, std::array<cv::Point2f, 4>>> quads;
  for (const auto& c : contours) {
    const double area = cv::contourArea(c);
    if (area < min_area || area > max_area) continue;
    std::vector<cv::Point> approx;
    cv::approxPolyDP(c, approx, 0.04 * cv::arcLength(c, true), true);
    if (approx.size() != 4 || !cv::isContourConvex(approx)) continue;
    quads.push_back({area, Ordered(approx, f)});
  }
  std::sort(quads.begin(), quads.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  bool added = false;
  std::vector<std::array<cv::Point2f, 4>> done;
  for (const auto& quad : quads) {
    const std::array<cv::Point2f, 4>& q = quad.second;  // clang 14 cannot capture a binding
    // Edges on both sides of a dilated outline give near-duplicate quads.
    const bool dup = std::any_of(done.begin(), done.end(), [&](const auto& d) {
      return cv::norm(d[0] - q[0]) + cv::norm(d[2] - q[2]) < 20;
    });
    if (dup || done.size() >= 4) continue;
    if (p.Yield()) break;
    done.push_back(q);
    const double w = std::max(cv::norm(q[1] - q[0]), cv::norm(q[2] - q[3]));
    const double h = std::max(cv::norm(q[3] - q[0]), cv::norm(q[2] - q[1]));
    const cv::Size size(static_cast<int>(w * 1.25), static_cast<int>(h * 1.25));
    const std::array<cv::Point2f, 4> dst = {
        cv::Point2f(0, 0), cv::Point2f(static_cast<float>(size.width), 0),
        cv::Point2f(static_cast<float>(size.width), static_cast<float>(size.height)),
        cv::Point2f(0, static_cast<float>(size.height))};
    const cv::Mat to_rect = cv::getPerspectiveTransform(q.data(), dst.data());
    const cv::Mat back = to_rect.inv();
    cv::Mat flat;
    cv::warpPerspective(gray, flat, to_rect, size, cv::INTER_CUBIC, cv::BORDER_REPLICATE);
    // Flat, a steep slant's finder patterns look alike again.
    added |= ReadEitherPolarity(flat, Mapping{1, {0, 0}, &back}, "rectified", p) ||
             ReadGrid(flat, Mapping{1, {0, 0}, &back}, "rectified, resampled", p);
  }
  return added;
}

// One side of a bent ticket's outline: points from one corner to the next,
// resampled at `n` even steps of arc length.
std::vector<cv::Point2f> Side(const std::vector<cv::Point>& contour, size_t from, size_t to,
                              bool forward, int n, double f) {
  std::vector<cv::Point2f> chain;
  const size_t size = contour.size();
  for (size_t i = from;; i = forward ? (i + 1) % size : (i + size - 1) % size) {
    chain.push_back({static_cast<float>(contour[i].x / f), static_cast<float>(contour[i].y / f)});
    if (i == to) break;
  }
  std::vector<double> at(chain.size(), 0);
  for (size_t i = 1; i < chain.size(); ++i) at[i] = at[i - 1] + cv::norm(chain[i] - chain[i - 1]);
  std::vector<cv::Point2f> out(static_cast<size_t>(n));
  size_t j = 0;
  for (int k = 0; k < n; ++k) {
    const double want = at.back() * k / (n - 1);
    while (j + 1 < chain.size() && at[j + 1] < want) ++j;
    if (j + 1 >= chain.size()) {
      out[static_cast<size_t>(k)] = chain.back();
      continue;
    }
    const double span = at[j + 1] - at[j];
    const float t = span > 0 ? static_cast<float>((want - at[j]) / span) : 0.f;
    out[static_cast<size_t>(k)] = chain[j] + t * (chain[j + 1] - chain[j]);
  }
  return out;
}

// Bent tickets: paper curled round the hand, cloth badges in waves. Their
// outline is no quadrilateral, but its four sides still run along the
// code's rows and columns: a Coons patch spanned by the four curved sides
// maps a flat rectangle onto the ticket, and sampling through it flattens
// the code as the paper bends it.
bool Unbent(const cv::Mat& gray, const Pass& p) {
  const double f = gray.cols > 800 ? 0.5 : 1.0;
  cv::Mat small, mask;
  cv::resize(gray, small, {}, f, f, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {5, 5}, 0);
  cv::threshold(small, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // The code's dark modules are holes in the light ticket; only its outline counts.
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  const double pixels = static_cast<double>(small.total());
  std::vector<std::pair<double, size_t>> big;
  for (size_t i = 0; i < contours.size(); ++i) {
    const double area = cv::contourArea(contours[i]);
    if (area > 0.02 * pixels && area < 0.97 * pixels) big.push_back({area, i});
  }
  std::sort(big.rbegin(), big.rend());
  bool added = false;
  for (size_t b = 0; b < big.size() && b < 2; ++b) {
    if (p.Yield()) break;
    const std::vector<cv::Point>& c = contours[big[b].second];
    std::vector<cv::Point> quad;
    const double perimeter = cv::arcLength(c, true);
    for (double eps = 0.02; eps <= 0.12 && quad.size() != 4; eps += 0.02)
      cv::approxPolyDP(c, quad, eps * perimeter, true);
    if (quad.size() != 4) continue;
    // Each corner's place on the outline, in the outline's own order.
    std::array<size_t, 4> idx{};
    for (size_t k = 0; k < 4; ++k) {
      idx[k] = static_cast<size_t>(std::distance(
          c.begin(), std::min_element(c.begin(), c.end(), [&](cv::Point a, cv::Point b2) {
            return cv::norm(a - quad[k]) < cv::norm(b2 - quad[k]);
          })));
    }
    // Corners in image order: top-left (smallest x+y) first, then clockwise
    // on screen, whichever way the outline runs.
    size_t tl = 0;
    for (size_t k = 1; k < 4; ++k) {
      if (quad[k].x + quad[k].y < quad[tl].x + quad[tl].y) tl = k;
    }
    const cv::Point a = quad[(tl + 1) % 4] - quad[tl], d = quad[(tl + 3) % 4] - quad[tl];
    const bool clockwise = a.x * d.y - a.y * d.x > 0;  // y down: the next corner is to the right
    const auto corner = [&](int k) {
      return idx[(tl + static_cast<size_t>(clockwise ? k : 4 - k)) % 4];
    };
    const size_t c_tl = corner(0), c_tr = corner(1), c_br = corner(2), c_bl = corner(3);
    const double w0 = cv::norm(c[c_tl] - c[c_tr]) + cv::norm(c[c_bl] - c[c_br]);
    const double h0 = cv::norm(c[c_tl] - c[c_bl]) + cv::norm(c[c_tr] - c[c_br]);
    // A little larger than the outline: ZXing's binarizer wants a few
    // pixels per module even where the bend foreshortened the ticket.
    const int w = std::max(64, static_cast<int>(1.25 * w0 / (2 * f)));
    const int h = std::max(64, static_cast<int>(1.25 * h0 / (2 * f)));
    // Contours run one way; each side is walked in the direction it is used.
    const bool fwd = clockwise;
    const auto top = Side(c, c_tl, c_tr, fwd, w, f), bottom = Side(c, c_bl, c_br, !fwd, w, f);
    const auto left = Side(c, c_tl, c_bl, !fwd, h, f), right = Side(c, c_tr, c_br, fwd, h, f);
    cv::Mat xy(h, w, CV_32FC2);
    const cv::Point2f p00 = top.front(), p10 = top.back(), p01 = bottom.front(),
                      p11 = bottom.back();
    for (int y = 0; y < h; ++y) {
      const float v = static_cast<float>(y) / static_cast<float>(h - 1);
      for (int x = 0; x < w; ++x) {
        const float u = static_cast<float>(x) / static_cast<float>(w - 1);
        const cv::Point2f q =
            (1 - v) * top[static_cast<size_t>(x)] + v * bottom[static_cast<size_t>(x)] +
            (1 - u) * left[static_cast<size_t>(y)] + u * right[static_cast<size_t>(y)] -
            ((1 - u) * (1 - v) * p00 + u * (1 - v) * p10 + (1 - u) * v * p01 + u * v * p11);
        xy.at<cv::Point2f>(y, x) = q;
      }
    }
    cv::Mat flat;
    cv::remap(gray, flat, xy, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    Mapping map;
    map.remap_xy = &xy;
    added |=
        ReadEitherPolarity(flat, map, "unbent", p) || ReadGrid(flat, map, "unbent, resampled", p);
  }
  return added;
}

using Remedy = bool (*)(const cv::Mat& gray, const Pass& p);

constexpr int kSmallStill = 480;  // pixels on the longer side

// Cheapest and most often useful first. The inverted attempt is not among
// them: dark-mode phones are common enough that every frame gets it.
constexpr Remedy kRemedies[] = {RegionsUpscaled, Rectified, Normalized, Sharpened,
                                GlobalThreshold, Unbent,    Deblurred,  Resampled};

// Still images: every remedy in order of cost, until one finds a code.
void EachRemedyUntilOneReads(const cv::Mat& gray, const Pass& p) {
  for (Remedy run : kRemedies) {
    if (!p.out.empty() || p.Yield()) return;
    run(gray, p);
  }
}

}  // namespace

Decoder::Decoder(Effort effort, Stacking stacking)
    : effort_(effort),
      stack_(effort == Effort::kLive && stacking == Stacking::kOn ? std::make_unique<FrameStack>()
                                                                  : nullptr) {}
Decoder::~Decoder() = default;

Result<std::vector<Detection>> Decoder::Decode(const Frame& frame,
                                               const std::function<bool()>& newer_frame) {
  if (!frame.Valid())
    return Status::InvalidInput("malformed frame (size, channels or pixel buffer)");
  Codes out;
  try {
    const cv::Mat gray = Gray(frame);
    Read(gray, QrHints(), {}, "plain", out);
    Inverted(gray, out);
    if (effort_ == Effort::kLive) {
      // A frame with a code goes straight to the desk; only frames where both
      // attempts found nothing pay for a remedy.
      const Pass pass{out, newer_frame, Pass::kLiveGridBudget, Pass::kLiveRefineRounds};
      if (out.empty() && !pass.Yield())
        kRemedies[next_remedy_++ % std::size(kRemedies)](gray, pass);
      if (stack_ && out.empty() && !pass.Yield()) {
        for (const Stacked& s : stack_->Add(gray, newer_frame)) {
          if (pass.Yield() || ReadEitherPolarity(s.image, {1, s.origin}, "stacked", pass)) break;
        }
      }
      if (stack_ && !out.empty()) stack_->Clear();  // the next code is another ticket
    } else {
      const Pass pass{out, newer_frame};
      EachRemedyUntilOneReads(gray, pass);
      // A still image of a few hundred pixels (a photo sent by mail, a
      // thumbnail) has modules of three or four pixels, which the remedies'
      // warps and filters blur into each other: they get a second try at
      // twice the size.
      if (out.empty() && !pass.Yield() && std::max(gray.cols, gray.rows) < kSmallStill) {
        cv::Mat big;
        cv::resize(gray, big, {}, 2, 2, cv::INTER_CUBIC);
        Read(big, RemedyHints(), Mapping{2, {0, 0}}, "enlarged", out);
        EachRemedyUntilOneReads(big, pass);
        // The remedies' corners are in the enlarged image's pixels.
        for (Detection& d : out) {
          if (d.remedy == "enlarged") continue;
          for (Point& c : d.corners) c = {c.x / 2, c.y / 2};
          d.remedy = "enlarged, " + d.remedy;
        }
      }
    }
  } catch (const cv::Exception& e) {
    return Status::Internal(std::string("OpenCV: ") + e.what());
  }
  return out;
}

Result<std::vector<Detection>> DecodeRawZxing(const Frame& frame, RawFormats formats) {
  if (!frame.Valid())
    return Status::InvalidInput("malformed frame (size, channels or pixel buffer)");
  Codes out;
  try {
    ZXing::DecodeHints hints;
    if (formats == RawFormats::kQrOnly) hints.setFormats(ZXing::BarcodeFormat::QRCode);
    Read(Gray(frame), hints, {}, "raw", out);
  } catch (const cv::Exception& e) {
    return Status::Internal(std::string("OpenCV: ") + e.what());
  }
  return out;
}

}  // namespace checkin::scanner
