#include "scanner/internal/grid.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace checkin::scanner {
namespace {

// A finder pattern: a dark 7x7 ring round a light 5x5 ring round a dark 3x3
// square, seen as three nested contours whatever the perspective.
struct Finder {
  std::array<cv::Point2f, 4> corners;  // the outer ring's, in frame pixels
  bool has_corners = false;            // false: only the centre is trusted
  cv::Point2f centre;
  double size = 0;  // square root of the outer area, frame pixels
};

double Area(const std::vector<cv::Point>& c) { return cv::contourArea(c); }

// The largest child of contour `i`, or -1.
int LargestChild(const std::vector<std::vector<cv::Point>>& contours,
                 const std::vector<cv::Vec4i>& tree, int i) {
  int best = -1;
  double best_area = 0;
  for (int c = tree[static_cast<size_t>(i)][2]; c >= 0; c = tree[static_cast<size_t>(c)][0]) {
    const double a = Area(contours[static_cast<size_t>(c)]);
    if (a > best_area) best = c, best_area = a;
  }
  return best;
}

// Finder patterns among the dark (255) shapes of `bin`, a copy of the frame
// scaled by `f`; their geometry is returned in frame pixels.
std::vector<Finder> FindFinders(const cv::Mat& bin, double f) {
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> tree;
  cv::findContours(bin, contours, tree, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Finder> out;
  for (size_t i = 0; i < contours.size(); ++i) {
    const double outer = Area(contours[i]);
    if (outer < 49) continue;  // under a pixel per module
    const int hole = LargestChild(contours, tree, static_cast<int>(i));
    if (hole < 0) continue;
    const int core = LargestChild(contours, tree, hole);
    if (core < 0) continue;
    const double a_hole = Area(contours[static_cast<size_t>(hole)]);
    const double a_core = Area(contours[static_cast<size_t>(core)]);
    // Ideally 49 : 25 : 9 (each area taken inside its contour); blur, the
    // binarizer and perspective bend it, but not this far.
    if (a_core <= 0 || outer / a_core < 2.5 || outer / a_core > 14 || a_hole / a_core < 1.3 ||
        a_hole / a_core > 6)
      continue;
    Finder fp;
    const cv::Moments m = cv::moments(contours[static_cast<size_t>(core)]);
    if (m.m00 <= 0) continue;
    fp.centre = {static_cast<float>(m.m10 / m.m00 / f), static_cast<float>(m.m01 / m.m00 / f)};
    fp.size = std::sqrt(outer) / f;
    std::vector<cv::Point> quad;
    const double arc = cv::arcLength(contours[i], true);
    for (double eps = 0.04; eps <= 0.16 && quad.size() != 4; eps += 0.04)
      cv::approxPolyDP(contours[i], quad, eps * arc, true);
    if (quad.size() == 4 && cv::isContourConvex(quad)) {
      for (size_t k = 0; k < 4; ++k)
        fp.corners[k] = {static_cast<float>(quad[k].x / f), static_cast<float>(quad[k].y / f)};
      fp.has_corners = true;
    }
    out.push_back(fp);
  }
  // One pattern can show as two (a ring within a ring of a larger shape):
  // keep the largest at each place.
  std::sort(out.begin(), out.end(),
            [](const Finder& a, const Finder& b) { return a.size > b.size; });
  std::vector<Finder> kept;
  for (const Finder& fp : out) {
    const bool dup = std::any_of(kept.begin(), kept.end(), [&](const Finder& k) {
      return cv::norm(k.centre - fp.centre) < 0.3 * k.size;
    });
    if (!dup) kept.push_back(fp);
  }
  return kept;
}

// Three finders in the order top-left (the corner), top-right, bottom-left.
using Triple = std::array<const Finder*, 3>;

// Candidate codes: three finders of similar size at the corners of an L,
// the most square first.
std::vector<Triple> Triples(const std::vector<Finder>& finders) {
  std::vector<std::pair<double, Triple>> scored;
  const size_t n = std::min<size_t>(finders.size(), 9);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      for (size_t c = b + 1; c < n; ++c) {
        const std::array<const Finder*, 3> f = {&finders[a], &finders[b], &finders[c]};
        double big = 0, small = 1e9;
        for (const Finder* x : f) big = std::max(big, x->size), small = std::min(small, x->size);
        if (big > 3 * small) continue;
        for (size_t k = 0; k < 3; ++k) {
          const Finder* corner = f[k];
          const Finder* p = f[(k + 1) % 3];
          const Finder* q = f[(k + 2) % 3];
          const cv::Point2f u = p->centre - corner->centre, v = q->centre - corner->centre;
          const double lu = cv::norm(u), lv = cv::norm(v);
          // Version 1 puts the centres two finder widths apart.
          if (lu < 1.5 * corner->size || lv < 1.5 * corner->size) continue;
          if (lu > 3 * lv || lv > 3 * lu) continue;
          const double cosine = std::abs(u.dot(v)) / (lu * lv);
          if (cosine > 0.6) continue;
          // y points down: top-right is clockwise from bottom-left.
          const bool clockwise = u.x * v.y - u.y * v.x > 0;
          scored.push_back({cosine + std::abs(std::log(lu / lv)),
                            clockwise ? Triple{corner, p, q} : Triple{corner, q, p}});
        }
      }
    }
  }
  std::sort(scored.begin(), scored.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<Triple> out;
  for (size_t i = 0; i < scored.size() && i < 4; ++i) out.push_back(scored[i].second);
  return out;
}

// Where the code's module coordinates (x right, y down, 0..n) fall in the
// frame, as seen by one code size `n`: points on the finders matched to
// their modules.
struct Correspondence {
  std::vector<cv::Point2f> modules, frame;
};

Correspondence Match(const Triple& t, int n) {
  Correspondence c;
  const float far = static_cast<float>(n) - 3.5f;
  const std::array<cv::Point2f, 3> centres = {cv::Point2f(3.5f, 3.5f), cv::Point2f(far, 3.5f),
                                              cv::Point2f(3.5f, far)};
  // Which way a corner lies from its finder's centre, in the code's axes.
  const cv::Point2f u = t[1]->centre - t[0]->centre, v = t[2]->centre - t[0]->centre;
  const double det = u.x * v.y - u.y * v.x;
  for (size_t k = 0; k < 3; ++k) {
    c.modules.push_back(centres[k]);
    c.frame.push_back(t[k]->centre);
    if (!t[k]->has_corners) continue;
    std::array<cv::Point2f, 4> at;
    int seen = 0;
    for (const cv::Point2f& q : t[k]->corners) {
      const cv::Point2f d = q - t[k]->centre;
      const double du = (d.x * v.y - d.y * v.x) / det, dv = (u.x * d.y - u.y * d.x) / det;
      const int quadrant = (du > 0 ? 1 : 0) + (dv > 0 ? 2 : 0);
      seen |= 1 << quadrant;
      at[static_cast<size_t>(quadrant)] = q;
    }
    if (seen != 0xF) continue;  // too skewed to tell the corners apart
    for (int quadrant = 0; quadrant < 4; ++quadrant) {
      const float sx = (quadrant & 1) ? 3.5f : -3.5f, sy = (quadrant & 2) ? 3.5f : -3.5f;
      c.modules.push_back(centres[k] + cv::Point2f(sx, sy));
      c.frame.push_back(at[static_cast<size_t>(quadrant)]);
    }
  }
  return c;
}

// The homography that best carries `from` onto `to` in the least-squares
// sense (OpenCV's findHomography lives in calib3d, a module the scanner
// does not otherwise need); empty if the points leave it undetermined.
cv::Mat LeastSquaresHomography(const std::vector<cv::Point2f>& from,
                               const std::vector<cv::Point2f>& to) {
  const int rows = 2 * static_cast<int>(from.size());
  cv::Mat a(rows, 8, CV_64F, cv::Scalar(0)), b(rows, 1, CV_64F);
  for (size_t i = 0; i < from.size(); ++i) {
    const double x = from[i].x, y = from[i].y, u = to[i].x, v = to[i].y;
    double* r0 = a.ptr<double>(static_cast<int>(2 * i));
    double* r1 = a.ptr<double>(static_cast<int>(2 * i + 1));
    r0[0] = x, r0[1] = y, r0[2] = 1, r0[6] = -u * x, r0[7] = -u * y;
    r1[3] = x, r1[4] = y, r1[5] = 1, r1[6] = -v * x, r1[7] = -v * y;
    b.at<double>(static_cast<int>(2 * i)) = u;
    b.at<double>(static_cast<int>(2 * i + 1)) = v;
  }
  cv::Mat h;
  if (!cv::solve(a, b, h, cv::DECOMP_SVD)) return {};
  h.push_back(1.0);
  return h.reshape(1, 3);
}

// The perspective from modules to frame for a code of `n` modules a side,
// and how far (RMS, frame pixels) the finders stray from it.
std::pair<cv::Mat, double> Fit(const Triple& t, int n) {
  const Correspondence c = Match(t, n);
  if (c.modules.size() < 8) return {cv::Mat(), 1e9};
  cv::Mat h = LeastSquaresHomography(c.modules, c.frame);
  if (h.empty()) return {h, 1e9};
  std::vector<cv::Point2f> back;
  cv::perspectiveTransform(c.modules, back, h);
  double sum = 0;
  for (size_t i = 0; i < back.size(); ++i) sum += std::pow(cv::norm(back[i] - c.frame[i]), 2);
  return {h, std::sqrt(sum / static_cast<double>(back.size()))};
}

constexpr int kPx = 8;  // pixels per module in the flattened code

// Whether the alignment pattern centred on module (cx, cy) of a code n
// modules a side would overlap a finder pattern: such places hold none.
bool OverlapsAFinder(int cx, int cy, int n) {
  return (cx < 9 && cy < 9) || (cx > n - 10 && cy < 9) || (cx < 9 && cy > n - 10);
}

// The corner no finder pins: a code bent or slanted beyond what the
// finders' perspective shows lands its far quarter off the grid, and with
// no alignment pattern there (version 1) nothing corrects it. Moved a
// quarter module at a time up to 1.5 modules either way, the corner that
// lands the far quarter's module centres on the most decided values (the
// greatest spread of grey between them: a centre on a module's edge is
// half dark, half light) gives the perspective. Empty when it stays put.
cv::Mat WithFarCornerSearched(const cv::Mat& gray, const cv::Mat& h, int n) {
  const float fn = static_cast<float>(n);
  const std::vector<cv::Point2f> square = {{0, 0}, {fn, 0}, {0, fn}, {fn, fn}};
  const std::vector<cv::Point2f> steps = {{fn - 1, fn}, {fn, fn - 1}};
  std::vector<cv::Point2f> corners, near;
  cv::perspectiveTransform(square, corners, h);
  cv::perspectiveTransform(steps, near, h);
  const cv::Point2f along_x = corners[3] - near[0], along_y = corners[3] - near[1];
  std::vector<cv::Point2f> centres;
  for (int r = n / 2; r < n; ++r)
    for (int c = n / 2; c < n; ++c)
      centres.push_back({static_cast<float>(c) + 0.5f, static_cast<float>(r) + 0.5f});
  const auto spread = [&](const cv::Mat& m) {
    std::vector<cv::Point2f> at;
    cv::perspectiveTransform(centres, at, m);
    double sum = 0, sum2 = 0;
    int count = 0;
    for (const cv::Point2f& q : at) {
      const int x = static_cast<int>(std::floor(q.x)), y = static_cast<int>(std::floor(q.y));
      if (x < 0 || y < 0 || x + 1 >= gray.cols || y + 1 >= gray.rows) continue;
      const float ax = q.x - static_cast<float>(x), ay = q.y - static_cast<float>(y);
      const double v =
          (1 - ay) * ((1 - ax) * gray.at<uint8_t>(y, x) + ax * gray.at<uint8_t>(y, x + 1)) +
          ay * ((1 - ax) * gray.at<uint8_t>(y + 1, x) + ax * gray.at<uint8_t>(y + 1, x + 1));
      sum += v, sum2 += v * v, ++count;
    }
    return count < static_cast<int>(centres.size()) / 2
               ? 0.0
               : sum2 / count - (sum / count) * (sum / count);
  };
  const double here = spread(h);
  double best = here;
  cv::Mat chosen;
  for (int dy = -6; dy <= 6; ++dy) {
    for (int dx = -6; dx <= 6; ++dx) {
      if (dx == 0 && dy == 0) continue;
      std::vector<cv::Point2f> moved = corners;
      moved[3] += along_x * (static_cast<float>(dx) / 4) + along_y * (static_cast<float>(dy) / 4);
      const cv::Mat m = cv::getPerspectiveTransform(square, moved);
      if (const double v = spread(m); v > best) best = v, chosen = m;
    }
  }
  // Only a clear gain (a tenth more spread) is worth another guess.
  return best > 1.1 * here ? chosen : cv::Mat();
}

// Bent and steeply slanted codes stray from the finders' perspective most
// where they are farthest from the finders. Alignment patterns, where the
// version has them, pin that part: each one found near where `h` puts it
// joins the finders' points, and the perspective is fitted again.
cv::Mat WithAlignmentPatterns(const cv::Mat& gray, const Triple& t, int version, cv::Mat h,
                              bool light_on_dark) {
  const int n = 17 + 4 * version;
  const std::vector<int> at = AlignmentCentres(version);
  if (at.empty()) return h;
  // The pattern with a module of light round it, as it must look.
  const int side = 7 * kPx;
  static const cv::Mat pattern = [] {
    cv::Mat m(side, side, CV_8U, cv::Scalar(255));
    for (int y = 0; y < 7; ++y)
      for (int x = 0; x < 7; ++x)
        if (const int ring = std::max(std::abs(x - 3), std::abs(y - 3)); ring == 2 || ring == 0)
          m(cv::Rect(x * kPx, y * kPx, kPx, kPx)).setTo(0);
    return m;
  }();
  constexpr double kReach = 6.5;  // modules round the prediction: the pattern, 3 either way
  const int window = static_cast<int>(2 * kReach * kPx);
  Correspondence c = Match(t, n);
  for (int pass = 0; pass < 2; ++pass) {
    Correspondence found = c;
    for (int cy : at) {
      for (int cx : at) {
        if (OverlapsAFinder(cx, cy, n)) continue;
        const double x0 = cx + 0.5 - kReach, y0 = cy + 0.5 - kReach;
        const cv::Mat to_modules =
            (cv::Mat_<double>(3, 3) << 1.0 / kPx, 0, x0, 0, 1.0 / kPx, y0, 0, 0, 1);
        cv::Mat patch, score;
        cv::warpPerspective(gray, patch, h * to_modules, {window, window},
                            cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
        if (light_on_dark) cv::bitwise_not(patch, patch);
        cv::matchTemplate(patch, pattern, score, cv::TM_CCOEFF_NORMED);
        double best = 0;
        cv::Point loc;
        cv::minMaxLoc(score, nullptr, &best, nullptr, &loc);
        if (best < 0.5) continue;  // hidden, or not where it should be
        const std::vector<cv::Point2f> seen = {
            {static_cast<float>(x0 + (loc.x + side / 2.0) / kPx),
             static_cast<float>(y0 + (loc.y + side / 2.0) / kPx)}};
        std::vector<cv::Point2f> in_frame;
        cv::perspectiveTransform(seen, in_frame, h);
        // One pattern against a finder's five points: weigh it as much.
        for (int k = 0; k < 5; ++k) {
          found.modules.push_back({static_cast<float>(cx + 0.5), static_cast<float>(cy + 0.5)});
          found.frame.push_back(in_frame[0]);
        }
      }
    }
    if (found.modules.size() == c.modules.size()) break;
    cv::Mat refit = LeastSquaresHomography(found.modules, found.frame);
    if (refit.empty()) break;
    h = refit;
  }
  return h;
}

// Module boundaries lie on multiples of kPx in the flattened code; where
// the code is bent they drift. The drift of a window along x (DriftField
// passes the y edges transposed): the shift of a comb of period kPx that
// best meets the edges. Returns {shift, how clearly it stood out}.
std::pair<float, float> Drift(const cv::Mat& edges, cv::Rect window) {
  window &= cv::Rect(0, 0, edges.cols, edges.rows);
  if (window.area() == 0) return {0.f, 0.f};
  cv::Mat profile;
  cv::reduce(edges(window), profile, 0, cv::REDUCE_SUM, CV_32F);
  std::array<float, kPx> comb{};
  for (int x = 0; x < profile.cols; ++x)
    comb[static_cast<size_t>((window.x + x) % kPx)] += profile.at<float>(0, x);
  float total = 0;
  for (float v : comb) total += v;
  if (total <= 0) return {0.f, 0.f};
  // Edges fall within a pixel of the comb; smooth before choosing.
  std::array<float, kPx> smooth{};
  for (int s = 0; s < kPx; ++s)
    smooth[static_cast<size_t>(s)] = comb[static_cast<size_t>((s + kPx - 1) % kPx)] +
                                     2 * comb[static_cast<size_t>(s)] +
                                     comb[static_cast<size_t>((s + 1) % kPx)];
  const auto best = std::max_element(smooth.begin(), smooth.end());
  int s = static_cast<int>(best - smooth.begin());
  if (s >= kPx / 2) s -= kPx;
  return {static_cast<float>(s), *best / (total * 4 / kPx)};
}

// How far each module's centre has drifted in the flattened code, as two
// n x n CV_32F maps (x, y), estimated on windows five modules wide two
// modules apart and interpolated between them.
std::pair<cv::Mat, cv::Mat> DriftField(const cv::Mat& flat, int n) {
  cv::Mat blurred, gx, gy;
  cv::GaussianBlur(flat, blurred, {0, 0}, 1.0);
  cv::Sobel(blurred, gx, CV_32F, 1, 0);
  cv::Sobel(blurred, gy, CV_32F, 0, 1);
  gx = cv::abs(gx);
  gy = cv::abs(gy);
  // Five modules follow a crease in cloth; seven (with 3 apart) average
  // half a wave away on the generator's creased badge, and read no more
  // of the shared photographs.
  const int step = 2, half = 2;
  const int k = (n - 1) / step + 1;
  const cv::Mat gyt = gy.t();
  cv::Mat dx(k, k, CV_32F), dy(k, k, CV_32F), cx(k, k, CV_32F), cy(k, k, CV_32F);
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      // Module (row, col) spans pixels (col + 1) * kPx .. in the flat code.
      const int mx = std::min(j * step, n - 1), my = std::min(i * step, n - 1);
      const cv::Rect window((mx + 1 - half) * kPx, (my + 1 - half) * kPx, (2 * half + 1) * kPx,
                            (2 * half + 1) * kPx);
      const auto [sx, qx] = Drift(gx, window);
      const auto [sy, qy] = Drift(gyt, cv::Rect(window.y, window.x, window.height, window.width));
      dx.at<float>(i, j) = sx, cx.at<float>(i, j) = qx;
      dy.at<float>(i, j) = sy, cy.at<float>(i, j) = qy;
    }
  }
  // Windows without a clear comb (all dark, all light) and shifts that
  // wrapped round half a module take their neighbours' median.
  const auto settle = [k](cv::Mat& d, const cv::Mat& q) {
    cv::Mat out = d.clone();
    for (int i = 0; i < k; ++i) {
      for (int j = 0; j < k; ++j) {
        std::vector<float> near;
        for (int a = std::max(0, i - 1); a <= std::min(k - 1, i + 1); ++a)
          for (int b = std::max(0, j - 1); b <= std::min(k - 1, j + 1); ++b)
            if ((a != i || b != j) && q.at<float>(a, b) > 1.3f) near.push_back(d.at<float>(a, b));
        if (near.empty()) continue;
        std::nth_element(near.begin(), near.begin() + static_cast<long>(near.size() / 2),
                         near.end());
        const float m = near[near.size() / 2];
        float v = d.at<float>(i, j);
        if (q.at<float>(i, j) <= 1.3f) v = m;
        // Of v and its wrap by a module, the one nearer the neighbours.
        for (float alt : {v - kPx, v + kPx})
          if (std::abs(alt - m) < std::abs(v - m)) v = alt;
        out.at<float>(i, j) = v;
      }
    }
    d = out;
  };
  settle(dx, cx);
  settle(dy, cy);
  // Per module: bilinear between the windows' centres.
  cv::Mat fx(n, n, CV_32F), fy(n, n, CV_32F);
  for (int r = 0; r < n; ++r) {
    const float gi = static_cast<float>(r) / static_cast<float>(step);
    const int i0 = std::min(static_cast<int>(gi), k - 1), i1 = std::min(i0 + 1, k - 1);
    const float ti = std::min(gi - static_cast<float>(i0), 1.f);
    for (int c = 0; c < n; ++c) {
      const float gj = static_cast<float>(c) / static_cast<float>(step);
      const int j0 = std::min(static_cast<int>(gj), k - 1), j1 = std::min(j0 + 1, k - 1);
      const float tj = std::min(gj - static_cast<float>(j0), 1.f);
      const auto lerp = [&](const cv::Mat& m) {
        return (1 - ti) * ((1 - tj) * m.at<float>(i0, j0) + tj * m.at<float>(i0, j1)) +
               ti * ((1 - tj) * m.at<float>(i1, j0) + tj * m.at<float>(i1, j1));
      };
      fx.at<float>(r, c) = lerp(dx);
      fy.at<float>(r, c) = lerp(dy);
    }
  }
  return {fx, fy};
}

// Function patterns (finders with separators, timing, alignment) are the
// same in every code: drawn as they must be, so only data modules carry
// what sampling saw.
void DrawFunctionPatterns(cv::Mat& dark, int version) {
  const int n = dark.rows;
  const auto finder = [&](int x0, int y0) {
    for (int y = -1; y <= 7; ++y) {
      for (int x = -1; x <= 7; ++x) {
        const int px = x0 + x, py = y0 + y;
        if (px < 0 || py < 0 || px >= n || py >= n) continue;
        const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
        dark.at<uint8_t>(py, px) = (ring == 3 || ring <= 1) ? 1 : 0;
      }
    }
  };
  finder(0, 0);
  finder(n - 7, 0);
  finder(0, n - 7);
  for (int i = 8; i < n - 8; ++i) {
    dark.at<uint8_t>(6, i) = i % 2 == 0;
    dark.at<uint8_t>(i, 6) = i % 2 == 0;
  }
  const std::vector<int> at = AlignmentCentres(version);
  for (int cy : at) {
    for (int cx : at) {
      if (OverlapsAFinder(cx, cy, n)) continue;
      for (int y = -2; y <= 2; ++y)
        for (int x = -2; x <= 2; ++x)
          dark.at<uint8_t>(cy + y, cx + x) = std::max(std::abs(x), std::abs(y)) != 1;
    }
  }
}

// The modules, drawn clean with a quiet zone.
cv::Mat Draw(const cv::Mat& dark) {
  const int n = dark.rows, side = (n + 2 * kGridQuietModules) * kGridModulePx;
  cv::Mat clean(side, side, CV_8U, cv::Scalar(255));
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      if (dark.at<uint8_t>(r, c))
        clean(cv::Rect((c + kGridQuietModules) * kGridModulePx,
                       (r + kGridQuietModules) * kGridModulePx, kGridModulePx, kGridModulePx))
            .setTo(0);
  return clean;
}

// Where the flattened code's module boundaries along one axis really lie,
// read off its timing pattern: a paper ticket bent round an axis along one
// of its edges squeezes the modules on the bend's far side and stretches
// the near ones, and a perspective cannot follow that. Row 6 of the code
// runs dark along the first finder's edge (7 modules), alternates one
// module at a time from boundary 8 to n - 8, and runs dark again along the
// other finder; each crossing is one known boundary. Returns the flat
// code's pixel position of boundaries 7, 8, ..., n - 7 (and 0 and n where
// the finders' outer ends are in view), keyed by boundary, or nothing
// when the crossings do not add up: a code too blurred or too small to
// count, or no timing pattern where the guess put it.
std::vector<std::pair<int, float>> TimingBoundaries(const cv::Mat& flat, int n) {
  // The middle half of row 6, averaged across, lightly smoothed along.
  cv::Mat band, profile;
  flat(cv::Rect(0, 7 * kPx + kPx / 4, flat.cols, kPx / 2)).convertTo(band, CV_32F);
  cv::reduce(band, profile, 0, cv::REDUCE_AVG, CV_32F);
  cv::GaussianBlur(profile, profile, {0, 0}, 1.0, 0, cv::BORDER_REPLICATE);
  double lo = 0, hi = 0;
  cv::minMaxLoc(profile, &lo, &hi);
  if (hi - lo < 20) return {};
  const float mid = static_cast<float>((lo + hi) / 2);
  const float* v = profile.ptr<float>(0);
  // Crossings, to the sub-pixel, and which way each goes.
  std::vector<std::pair<float, bool>> crossings;  // {x, into dark}
  for (int x = 1; x < profile.cols; ++x) {
    const bool was = v[x - 1] < mid, is = v[x] < mid;
    if (was == is) continue;
    crossings.push_back({static_cast<float>(x - 1) + (v[x - 1] - mid) / (v[x - 1] - v[x]), is});
  }
  // Dark runs; a run open at the image's edge has no known end there.
  struct Run {
    float from, to;
    bool from_seen, to_seen;
  };
  std::vector<Run> dark;
  if (v[0] < mid) dark.push_back({0.f, 0.f, false, false});
  for (const auto& [x, into_dark] : crossings) {
    if (into_dark) {
      dark.push_back({x, x, true, false});
    } else if (!dark.empty()) {
      dark.back().to = x;
      dark.back().to_seen = true;
    }
  }
  if (!dark.empty() && !dark.back().to_seen) dark.back().to = static_cast<float>(profile.cols);
  // The finders' runs, first and last, are 7 modules; the timing's between
  // them one each: however the code is bent, the ends must be the longest.
  const size_t inner = static_cast<size_t>(n - 17) / 2 + 1;  // dark timing modules
  if (dark.size() != inner + 2 || !dark.front().to_seen || !dark.back().from_seen) return {};
  float longest_inner = 0;
  for (size_t i = 1; i + 1 < dark.size(); ++i) {
    if (!dark[i].from_seen || !dark[i].to_seen) return {};
    longest_inner = std::max(longest_inner, dark[i].to - dark[i].from);
  }
  const float shortest_end =
      std::min(dark.front().to - dark.front().from, dark.back().to - dark.back().from);
  if (shortest_end < 2 * longest_inner) return {};
  std::vector<std::pair<int, float>> out;
  if (dark.front().from_seen) out.push_back({0, dark.front().from});
  out.push_back({7, dark.front().to});
  for (size_t i = 1; i + 1 < dark.size(); ++i) {
    const int b = 8 + 2 * static_cast<int>(i - 1);
    out.push_back({b, dark[i].from});
    out.push_back({b + 1, dark[i].to});
  }
  out.push_back({n - 7, dark.back().from});
  if (dark.back().to_seen) out.push_back({n, dark.back().to});
  return out;
}

// For each flat pixel along one axis, where its module coordinate lies in
// the bent code by `boundaries`: piecewise linear between them, straight on
// beyond the ends. CV_32F, `side` long.
cv::Mat Straightening(const std::vector<std::pair<int, float>>& boundaries, int side) {
  cv::Mat out(1, side, CV_32F);
  size_t k = 0;
  for (int x = 0; x < side; ++x) {
    // Flat pixel x is module coordinate x / kPx - 1 where it should be.
    const float m = static_cast<float>(x) / kPx - 1;
    while (k + 2 < boundaries.size() && static_cast<float>(boundaries[k + 1].first) < m) ++k;
    const auto& [b0, p0] = boundaries[k];
    const auto& [b1, p1] = boundaries[k + 1];
    out.at<float>(0, x) =
        p0 + (p1 - p0) * (m - static_cast<float>(b0)) / static_cast<float>(b1 - b0);
  }
  return out;
}

// `flat` with its columns and rows moved to where its timing patterns say
// they belong; empty when they cannot be counted or the code is not bent
// enough (a quarter module anywhere) to be worth another guess.
cv::Mat Straightened(const cv::Mat& flat, int n) {
  const auto columns = TimingBoundaries(flat, n);
  const auto rows = TimingBoundaries(flat.t(), n);
  if (columns.empty() && rows.empty()) return {};
  const auto nominal = [&](int b) { return static_cast<float>((b + 1) * kPx); };
  float worst = 0;
  for (const auto* along : {&columns, &rows})
    for (const auto& [b, x] : *along) worst = std::max(worst, std::abs(x - nominal(b)));
  if (worst < kPx / 4.f) return {};
  const auto line = [&](const std::vector<std::pair<int, float>>& b, int side) {
    if (!b.empty()) return Straightening(b, side);
    cv::Mat same(1, side, CV_32F);
    for (int x = 0; x < side; ++x) same.at<float>(0, x) = static_cast<float>(x);
    return same;
  };
  const cv::Mat xs = line(columns, flat.cols), ys = line(rows, flat.rows);
  cv::Mat map_x, map_y;
  cv::repeat(xs, flat.rows, 1, map_x);
  cv::repeat(ys.t(), 1, flat.cols, map_y);
  cv::Mat out;
  cv::remap(flat, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

// The guesses from one flattened code (kPx a module, a module of margin):
// each module sampled where the drift field puts it, sorted dark or light
// two ways.
bool SampleFlat(const cv::Mat& flat, int version, GridSample& s,
                const std::function<bool(const GridSample&)>& read) {
  const int n = 17 + 4 * version;
  const auto [fx, fy] = DriftField(flat, n);
  cv::Mat sums;
  cv::integral(flat, sums, CV_64F);
  // A module's centre alone (artistic codes put pictures at the edges), or
  // most of it (noise).
  for (int radius : {2, 1}) {
    cv::Mat value(n, n, CV_32F);
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) {
        const int x =
            std::clamp(static_cast<int>(std::lround((c + 1.5) * kPx + fx.at<float>(r, c))), radius,
                       flat.cols - radius - 1);
        const int y =
            std::clamp(static_cast<int>(std::lround((r + 1.5) * kPx + fy.at<float>(r, c))), radius,
                       flat.rows - radius - 1);
        const double sum = sums.at<double>(y + radius + 1, x + radius + 1) -
                           sums.at<double>(y - radius, x + radius + 1) -
                           sums.at<double>(y + radius + 1, x - radius) +
                           sums.at<double>(y - radius, x - radius);
        value.at<float>(r, c) = static_cast<float>(sum / ((2 * radius + 1) * (2 * radius + 1)));
      }
    }
    // Light varies across a code: each module against its neighbourhood's
    // mean, or against one threshold for all.
    cv::Mat local;
    cv::blur(value, local, {7, 7}, {-1, -1}, cv::BORDER_REPLICATE);
    cv::Mat value8;
    value.convertTo(value8, CV_8U);
    cv::Mat otsu;
    const double t = cv::threshold(value8, otsu, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    for (int way = 0; way < 2; ++way) {
      cv::Mat dark(n, n, CV_8U);
      for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
          dark.at<uint8_t>(r, c) =
              value.at<float>(r, c) < (way == 0 ? local.at<float>(r, c) : static_cast<float>(t));
      DrawFunctionPatterns(dark, version);
      s.clean = Draw(dark);
      if (read(s)) return true;
    }
  }
  return false;
}

// The guesses for one code: its modules sampled from the frame at each
// centre, sorted dark or light two ways.
bool Sample(const cv::Mat& gray, const cv::Mat& modules_to_frame, int version, bool light_on_dark,
            const std::function<bool(const GridSample&)>& read) {
  const int n = 17 + 4 * version;
  // The code flattened at kPx a module, with one module of margin.
  const cv::Mat to_flat_px =
      (cv::Mat_<double>(3, 3) << 1.0 / kPx, 0, -1, 0, 1.0 / kPx, -1, 0, 0, 1);
  const cv::Mat flat_to_frame = modules_to_frame * to_flat_px;
  cv::Mat flat;
  cv::warpPerspective(gray, flat, flat_to_frame, {(n + 2) * kPx, (n + 2) * kPx},
                      cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
  if (light_on_dark) cv::bitwise_not(flat, flat);
  const cv::Mat to_clean = (cv::Mat_<double>(3, 3) << 1.0 / kGridModulePx, 0, -kGridQuietModules, 0,
                            1.0 / kGridModulePx, -kGridQuietModules, 0, 0, 1);
  GridSample s;
  s.to_frame = modules_to_frame * to_clean;
  if (SampleFlat(flat, version, s, read)) return true;
  // Bent along an edge: the same, with the timing patterns' spacing.
  const cv::Mat straight = Straightened(flat, n);
  return !straight.empty() && SampleFlat(straight, version, s, read);
}

// A thumb or a glare over one finder: the other two, and where the third
// must be if the code is square, as seen without perspective. The guessed
// finders go into `guessed` (which the triples point into); their centre
// is all the fit takes from them.
std::vector<Triple> PairsWithAThirdGuessed(const std::vector<Finder>& finders,
                                           std::vector<Finder>* guessed) {
  const size_t n = std::min<size_t>(finders.size(), 4);
  guessed->clear();
  guessed->reserve(n * n * 6);  // no reallocation: triples point into it
  std::vector<Triple> out;
  // (x, y) turned a quarter clockwise on screen (y down), and back.
  const auto cw = [](cv::Point2f v) { return cv::Point2f(-v.y, v.x); };
  const auto ccw = [](cv::Point2f v) { return cv::Point2f(v.y, -v.x); };
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const Finder &p = finders[a], &q = finders[b];
      if (!p.has_corners || !q.has_corners) continue;
      if (p.size > 2 * q.size || q.size > 2 * p.size) continue;
      const cv::Point2f d = q.centre - p.centre;
      if (cv::norm(d) < 1.5 * p.size) continue;
      const auto guess = [&](cv::Point2f at) {
        Finder g;
        g.centre = at;
        g.size = (p.size + q.size) / 2;
        guessed->push_back(g);
        return &guessed->back();
      };
      // p top-left and q top-right, the bottom-left hidden; p top-left and
      // q bottom-left, the top-right hidden; p top-right and q bottom-left
      // (each pair is seen both ways round), the top-left hidden.
      out.push_back({&p, &q, guess(p.centre + cw(d))});
      out.push_back({&p, guess(p.centre + ccw(d)), &q});
      const cv::Point2f mid = (p.centre + q.centre) / 2;
      out.push_back({guess(mid + cw(d) / 2), &p, &q});
    }
  }
  return out;
}

}  // namespace

std::vector<int> AlignmentCentres(int version) {
  if (version < 2) return {};
  const int count = version / 7 + 2, last = 4 * version + 10;
  // Even steps between 6 and the last, rounded up to an even number of
  // modules; version 32 alone breaks the rule.
  const int step = version == 32 ? 26 : (4 * version + 2 * count + 1) / (2 * count - 2) * 2;
  std::vector<int> at(static_cast<size_t>(count));
  at[0] = 6;
  for (int i = count - 1, pos = last; i >= 1; --i, pos -= step) at[static_cast<size_t>(i)] = pos;
  return at;
}

bool EachGridSample(const cv::Mat& gray, const std::function<bool(const GridSample&)>& read,
                    const std::function<bool(int)>& afford) {
  // Finders are looked for at no more than 1000 px a side; sampling uses
  // every pixel.
  const double f = std::min(1.0, 1000.0 / std::max(gray.cols, gray.rows));
  cv::Mat small = gray;
  if (f < 1) cv::resize(gray, small, {}, f, f, cv::INTER_AREA);
  const int block = std::max(11, std::min(small.cols, small.rows) / 10) | 1;
  for (bool light_on_dark : {false, true}) {
    if (afford && !afford(0)) return false;  // the finder search costs too
    // A new image for the inverse: `small` may be the caller's frame.
    cv::Mat src, bin;
    if (light_on_dark)
      cv::bitwise_not(small, src);
    else
      src = small;
    cv::adaptiveThreshold(src, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, block,
                          5);
    const std::vector<Finder> finders = FindFinders(bin, f);
    const auto sample = [&](const Triple& t) {
      // The code's size is what makes the finders' own sizes agree with
      // their distances: the two sizes that fit best.
      struct Fitted {
        double error;
        int version;
        cv::Mat h;
      };
      std::vector<Fitted> fits;
      for (int version = 1; version <= 40; ++version) {
        auto [h, error] = Fit(t, 17 + 4 * version);
        fits.push_back({error, version, std::move(h)});
      }
      // Of two sizes that fit alike, the smaller first.
      std::stable_sort(fits.begin(), fits.end(),
                       [](const Fitted& a, const Fitted& b) { return a.error < b.error; });
      for (size_t i = 0; i < 2; ++i) {
        const int version = fits[i].version;
        if (afford && !afford(17 + 4 * version)) continue;
        cv::Mat h = fits[i].h;
        if (h.empty()) continue;
        h = WithAlignmentPatterns(gray, t, version, h, light_on_dark);
        if (Sample(gray, h, version, light_on_dark, read)) return true;
        if (const cv::Mat moved = WithFarCornerSearched(gray, h, 17 + 4 * version);
            !moved.empty()) {
          if (afford && !afford(17 + 4 * version)) continue;
          if (Sample(gray, moved, version, light_on_dark, read)) return true;
        }
      }
      return false;
    };
    for (const Triple& t : Triples(finders))
      if (sample(t)) return true;
    std::vector<Finder> guessed;
    for (const Triple& t : PairsWithAThirdGuessed(finders, &guessed))
      if (sample(t)) return true;
  }
  return false;
}

}  // namespace checkin::scanner
