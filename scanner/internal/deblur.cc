#include "scanner/internal/deblur.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace checkin::scanner {
namespace {

// The analysis window: enough samples to see a 60 px blur in the cepstrum,
// few enough that the estimate costs a millisecond or two.
constexpr int kWindow = 256;

// How deep a second, different dip must be, against the deepest, to be
// tried as well.
constexpr double kSecondDip = 0.8;

// Bilinear sample of a periodic (DFT-domain) image at (x, y), wrapped.
float Wrapped(const cv::Mat& m, double x, double y) {
  const int w = m.cols, h = m.rows;
  const double fx = std::floor(x), fy = std::floor(y);
  const float ax = static_cast<float>(x - fx), ay = static_cast<float>(y - fy);
  const int x0 = ((static_cast<int>(fx) % w) + w) % w, y0 = ((static_cast<int>(fy) % h) + h) % h;
  const int x1 = (x0 + 1) % w, y1 = (y0 + 1) % h;
  return (1 - ay) * ((1 - ax) * m.at<float>(y0, x0) + ax * m.at<float>(y0, x1)) +
         ay * ((1 - ax) * m.at<float>(y1, x0) + ax * m.at<float>(y1, x1));
}

// The real cepstrum of `square`, windowed: a blur
// whose spectrum has evenly spaced zeros (a motion path's sinc, a disc's
// near-periodic rings) leaves a negative peak at the spacing's reciprocal,
// i.e. at the blur's length along its direction, or a ring at twice a
// disc's radius. The code's own structure shows as positive peaks.
cv::Mat Cepstrum(const cv::Mat& square) {
  const int n = square.cols;
  cv::Mat f;
  square.convertTo(f, CV_32F);
  f -= cv::mean(f)[0];
  cv::Mat window;
  cv::createHanningWindow(window, f.size(), CV_32F);
  f = f.mul(window);
  cv::Mat spectrum, planes[2], magnitude;
  cv::dft(f, spectrum, cv::DFT_COMPLEX_OUTPUT);
  cv::split(spectrum, planes);
  cv::magnitude(planes[0], planes[1], magnitude);
  double top = 0;
  cv::minMaxLoc(magnitude, nullptr, &top);
  magnitude += 1e-4 * top + 1e-6;  // the log of an exact zero says nothing
  cv::log(magnitude, magnitude);
  // The log spectrum is real and even, so its forward transform is its
  // inverse (up to scale); a real input to an inverse dft would be read as
  // a packed complex spectrum.
  cv::Mat cepstrum;
  cv::dft(magnitude, cepstrum, cv::DFT_COMPLEX_OUTPUT);
  cv::extractChannel(cepstrum, cepstrum, 0);
  return cepstrum / static_cast<double>(n * n);
}

// How unevenly the gradient's energy is spread over directions, from 0
// (alike in all) to 1 (all along one): the structure tensor's eigenvalues'
// difference over their sum. A code's own edges run both ways.
double Anisotropy(const cv::Mat& patch) {
  cv::Mat gx, gy;
  cv::Sobel(patch, gx, CV_32F, 1, 0);
  cv::Sobel(patch, gy, CV_32F, 0, 1);
  const double xx = gx.dot(gx), yy = gy.dot(gy), xy = gx.dot(gy);
  return xx + yy > 0 ? std::hypot(xx - yy, 2 * xy) / (xx + yy) : 0;
}

}  // namespace

std::vector<BlurGuess> GuessBlur(const cv::Mat& patch) {
  if (patch.cols < 64 || patch.rows < 64) return {};
  const int n = std::min({kWindow, patch.cols, patch.rows}) & ~1;
  const cv::Mat square = patch(cv::Rect((patch.cols - n) / 2, (patch.rows - n) / 2, n, n));
  const cv::Mat c = Cepstrum(square);
  const int max_r = std::min(c.cols / 4, 64);
  constexpr int kAngles = 90;  // 2 degree steps over a half turn: a path has no sign
  // Each radius's samples less their mean over the ring: what is left is
  // what depends on the direction, and a ring's dip against its neighbours.
  std::vector<double> ring(static_cast<size_t>(max_r + 1), 0);
  cv::Mat polar(max_r + 1, kAngles, CV_32F);
  for (int r = 1; r <= max_r; ++r) {
    double sum = 0;
    for (int a = 0; a < kAngles; ++a) {
      const double t = CV_PI * a / kAngles;
      const float v = Wrapped(c, r * std::cos(t), r * std::sin(t));
      polar.at<float>(r, a) = v;
      sum += v;
    }
    ring[static_cast<size_t>(r)] = sum / kAngles;
  }
  // The deepest dip, and the deepest one unlike it: text or a hand beside
  // the code can dig a dip of its own, and on generated frames the path's
  // dip was then often the second (RESULTS.md).
  struct Dip {
    double depth = 0;
    int r = 0, a = 0;
  };
  std::vector<Dip> dips;
  for (int r = 10; r <= max_r; ++r)
    for (int a = 0; a < kAngles; ++a)
      dips.push_back({polar.at<float>(r, a) - ring[static_cast<size_t>(r)], r, a});
  std::sort(dips.begin(), dips.end(), [](const Dip& x, const Dip& y) { return x.depth < y.depth; });
  std::vector<BlurGuess> motions;
  for (const Dip& d : dips) {
    if (d.depth >= 0 || motions.size() == 2) break;
    if (!motions.empty()) {
      if (d.depth > kSecondDip * dips.front().depth) break;
      const BlurGuess& m = motions.front();
      const double turn = std::abs(std::remainder(180.0 * d.a / kAngles - m.angle_deg, 180.0));
      if (turn < 15 && std::abs(d.r - m.size) < 0.25 * m.size) continue;
    }
    motions.push_back({BlurGuess::Kind::kMotion, static_cast<double>(d.r), 180.0 * d.a / kAngles});
  }
  BlurGuess defocus{BlurGuess::Kind::kDefocus, 0, 0};
  double defocus_depth = 0;
  for (int r = 8; r + 2 <= max_r; ++r) {
    const auto at = [&](int i) { return ring[static_cast<size_t>(i)]; };
    const double d = at(r) - 0.5 * (at(r - 2) + at(r + 2));
    if (d < defocus_depth) {
      defocus_depth = d;
      defocus.size = r / 2.0;
    }
  }
  // Which of the two: a path smooths edges across it only, a disc every
  // edge alike. On generated codes (any rotation, noise sigma 2) the
  // gradient's anisotropy was 0.44-0.89 under 15-30 px paths and 0.005-0.07
  // under 4-7.5 px discs; between the bounds below both are tried.
  const double a = Anisotropy(square);
  std::vector<BlurGuess> out;
  if (a > 0.15) out = motions;
  if (defocus.size > 0 && a < 0.3) {
    // A disc first where the edges point every way alike.
    out.insert(a < 0.2 ? out.begin() : out.end(), defocus);
  }
  return out;
}

cv::Mat BlurKernel(const BlurGuess& guess) {
  if (guess.kind == BlurGuess::Kind::kDefocus) {
    const double r = std::max(guess.size, 0.5);
    const int side = 2 * static_cast<int>(std::ceil(r)) + 3, mid = side / 2;
    cv::Mat k(side, side, CV_32F);
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x)
        k.at<float>(y, x) =
            static_cast<float>(std::clamp(r + 0.5 - std::hypot(x - mid, y - mid), 0.0, 1.0));
    return k / cv::sum(k)[0];
  }
  const double len = std::max(guess.size, 1.0), t = guess.angle_deg * CV_PI / 180;
  const cv::Point2d along(std::cos(t), std::sin(t)), aside(along.y, -along.x);
  const double bow = guess.bow * len;
  const int side = 2 * static_cast<int>(std::ceil(len / 2 + std::abs(bow))) + 3;
  cv::Mat k(side, side, CV_32F, cv::Scalar(0));
  // The path splatted at a tenth of a pixel, a parabola through its ends,
  // centred on its mean (where the blurred image's weight lies): a kernel
  // for any angle, not only the ones a raster line draws cleanly.
  const int steps = static_cast<int>(len * 10);
  const cv::Point2d mid(side / 2, side / 2), centroid = aside * (bow * 2 / 3);
  for (int i = 0; i <= steps; ++i) {
    const double u = static_cast<double>(i) / steps;
    const cv::Point2d q =
        mid + along * (len * (u - 0.5)) + aside * (bow * 4 * u * (1 - u)) - centroid;
    const int x0 = static_cast<int>(std::floor(q.x)), y0 = static_cast<int>(std::floor(q.y));
    const float ax = static_cast<float>(q.x - x0), ay = static_cast<float>(q.y - y0);
    k.at<float>(y0, x0) += (1 - ax) * (1 - ay);
    k.at<float>(y0, x0 + 1) += ax * (1 - ay);
    k.at<float>(y0 + 1, x0) += (1 - ax) * ay;
    k.at<float>(y0 + 1, x0 + 1) += ax * ay;
  }
  return k / cv::sum(k)[0];
}

cv::Mat RefinedKernel(const cv::Mat& patch, const cv::Mat& sharp, int block, int side) {
  cv::Mat latent, blurred;
  cv::adaptiveThreshold(sharp, latent, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY,
                        std::max(3, block | 1), 0);
  latent.convertTo(latent, CV_32F);
  patch.convertTo(blurred, CV_32F);
  // A window on both, so the transform's wrap-around adds no edge; the
  // blur's reach is small against the window's slope.
  cv::Mat window;
  cv::createHanningWindow(window, patch.size(), CV_32F);
  const int w = patch.cols, h = patch.rows;
  cv::Mat num(h, w, CV_32FC2, cv::Scalar::all(0)), den(h, w, CV_32F, cv::Scalar(0));
  for (const bool dx : {true, false}) {
    cv::Mat gb, gl, fb, fl, cross, parts[2];
    cv::Sobel(blurred, gb, CV_32F, dx, !dx);
    cv::Sobel(latent, gl, CV_32F, dx, !dx);
    cv::dft(gb.mul(window), fb, cv::DFT_COMPLEX_OUTPUT);
    cv::dft(gl.mul(window), fl, cv::DFT_COMPLEX_OUTPUT);
    cv::mulSpectrums(fb, fl, cross, 0, true);
    num += cross;
    cv::split(fl, parts);
    den += parts[0].mul(parts[0]) + parts[1].mul(parts[1]);
  }
  // Regularised by a hundredth of the strongest frequency: on 30 generated
  // 15-30 px paths, 0.003, 0.01 and 0.03 read 26, 28 and 25 (bench/RESULTS.md).
  double top = 0;
  cv::minMaxLoc(den, nullptr, &top);
  if (top <= 0) return {};
  den += 0.01 * top;
  cv::Mat parts[2];
  cv::split(num, parts);
  parts[0] /= den;
  parts[1] /= den;
  cv::merge(parts, 2, num);
  cv::Mat solved;
  cv::dft(num, solved, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  // The kernel sits round the origin, wrapped; what lies below a tenth of
  // its peak, or below zero, is the solve's noise, not the path.
  side = std::min(side | 1, (std::min(w, h) - 1) | 1);
  cv::Mat k(side, side, CV_32F);
  const int m = side / 2;
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      k.at<float>(y, x) = solved.at<float>((y - m + h) % h, (x - m + w) % w);
  double peak = 0;
  cv::minMaxLoc(k, nullptr, &peak);
  if (peak <= 0) return {};
  cv::threshold(k, k, 0.1 * peak, 0, cv::THRESH_TOZERO);
  return k / cv::sum(k)[0];
}

cv::Mat Deconvolved(const cv::Mat& patch, const cv::Mat& psf, double nsr) {
  const int k = psf.rows;
  const int w = cv::getOptimalDFTSize(patch.cols + 2 * k);
  const int h = cv::getOptimalDFTSize(patch.rows + 2 * k);
  cv::Mat g;
  cv::copyMakeBorder(patch, g, k, h - patch.rows - k, k, w - patch.cols - k, cv::BORDER_REFLECT);
  g.convertTo(g, CV_32F);
  // The PSF centred on the origin, as the DFT's circular convolution wants it.
  cv::Mat centred(h, w, CV_32F, cv::Scalar(0));
  for (int y = 0; y < k; ++y)
    for (int x = 0; x < k; ++x)
      centred.at<float>((y - k / 2 + h) % h, (x - k / 2 + w) % w) = psf.at<float>(y, x);
  cv::Mat otf, spectrum;
  cv::dft(centred, otf, cv::DFT_COMPLEX_OUTPUT);
  // Edge taper: near the border, blend in a blurred copy, so the seam the
  // DFT sees is smooth and does not ring across the code. A box of the
  // kernel's size stands in for the PSF there: the seam lies in the
  // reflected margin, and a box costs no transform.
  cv::Mat blurred;
  cv::blur(g, blurred, {k, k}, {-1, -1}, cv::BORDER_REFLECT);
  cv::Mat ramp_x(1, w, CV_32F), ramp_y(h, 1, CV_32F);
  for (int x = 0; x < w; ++x)
    ramp_x.at<float>(0, x) =
        std::min(1.f, static_cast<float>(std::min(x, w - 1 - x)) / static_cast<float>(k));
  for (int y = 0; y < h; ++y)
    ramp_y.at<float>(y, 0) =
        std::min(1.f, static_cast<float>(std::min(y, h - 1 - y)) / static_cast<float>(k));
  const cv::Mat weight = ramp_y * ramp_x;
  g = g.mul(weight) + blurred.mul(1 - weight);
  cv::dft(g, spectrum, cv::DFT_COMPLEX_OUTPUT);
  // Wiener: G conj(H) / (|H|^2 + nsr), in one pass over the spectrum.
  for (int y = 0; y < h; ++y) {
    auto* gy = spectrum.ptr<cv::Vec2f>(y);
    const auto* hy = otf.ptr<cv::Vec2f>(y);
    for (int x = 0; x < w; ++x) {
      const float hr = hy[x][0], hi = hy[x][1], gr = gy[x][0], gi = gy[x][1];
      const float scale = 1.f / (hr * hr + hi * hi + static_cast<float>(nsr));
      gy[x] = {(gr * hr + gi * hi) * scale, (gi * hr - gr * hi) * scale};
    }
  }
  cv::Mat restored, out;
  cv::dft(spectrum, restored, cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  // The filter lifts the sensor's noise with the edges; a touch of smoothing
  // keeps it from speckling the binarizer's threshold (measured: 32 of 40
  // generated motion-blurred codes read with it, 19 without).
  cv::GaussianBlur(restored(cv::Rect(k, k, patch.cols, patch.rows)), out, {0, 0}, 0.7);
  out.convertTo(out, CV_8U);
  return out;
}

}  // namespace checkin::scanner
