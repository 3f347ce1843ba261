// The decoder on the golden corpus of synthetic frames (tests/synth), with
// pass counts per category like zxing-cpp's black-box tests, and on payloads
// nobody should put in a ticket.
#include "scanner/decoder.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

#include <map>
#include <opencv2/imgproc.hpp>
#include <set>

#include "scanner/internal/deblur.h"
#include "scanner/internal/grid.h"
#include "tests/fakes/fake_camera.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

using checkin::testing::FrameFromMat;

struct Tally {
  int found = 0, expected = 0, false_reads = 0;
};

std::map<std::string, Tally> RunCorpus(const std::vector<synth::CorpusCase>& corpus, bool raw) {
  std::map<std::string, Tally> out;
  Decoder decoder(Effort::kStill);
  for (const auto& c : corpus) {
    const Frame f = FrameFromMat(synth::RenderScene(c.scene));
    auto codes = raw ? DecodeRawZxing(f) : decoder.Decode(f);
    EXPECT_TRUE(codes.ok()) << c.name;
    std::set<std::string> got;
    for (const auto& d : *codes) got.insert(d.bytes);
    Tally& t = out[c.category];
    t.expected += static_cast<int>(c.expected.size());
    for (const auto& e : c.expected) t.found += static_cast<int>(got.count(e));
    t.false_reads +=
        static_cast<int>(got.size()) -
        static_cast<int>(std::count_if(c.expected.begin(), c.expected.end(),
                                       [&](const std::string& e) { return got.count(e) > 0; }));
  }
  return out;
}

TEST(DecoderTest, GoldenCorpusPassCountsPerCategory) {
  const auto corpus = synth::GoldenCorpus(10, 20261126);
  const auto tally = RunCorpus(corpus, false);
  // Minimum codes found per category (of 10 frames; multi has 2-3 codes each).
  // Raise these when the decoder improves; a drop is a regression.
  const std::map<std::string, double> min_recall = {
      {"paper_plain", 1.0}, {"rotated", 1.0},    {"tilt", 0.9},    {"small", 0.9},
      {"phone_light", 1.0}, {"phone_dark", 1.0}, {"defocus", 0.9}, {"motion", 0.9},
      {"curved", 0.9},      {"low_light", 0.9},  {"glare", 0.9},   {"jpeg", 0.9},
      {"multi", 0.9},       {"none", 1.0},
  };
  // The honest categories (issue 14): each floor is what the decoder read when
  // the category came, most below the 0.9 goal; raise them as it improves,
  // never lower them. The overall floor below counts only the gentle ones.
  const std::map<std::string, double> honest_min_recall = {
      {"motion_strong", 0.5},   {"curved_strong", 0.7}, {"tilt_steep", 0.7}, {"defocus_disc", 0.9},
      {"rolling_shutter", 0.9}, {"low_contrast", 0.9},  {"thumb", 0.8},
  };
  int found = 0, expected = 0;
  for (const auto& [category, t] : tally) {
    EXPECT_EQ(t.false_reads, 0) << category;
    const bool honest = honest_min_recall.count(category) > 0;
    ASSERT_TRUE(honest || min_recall.count(category))
        << "new category " << category << ": give it a threshold";
    const double floor = honest ? honest_min_recall.at(category) : min_recall.at(category);
    const double recall = t.expected == 0 ? 1.0 : static_cast<double>(t.found) / t.expected;
    EXPECT_GE(recall, floor) << category << ": " << t.found << "/" << t.expected;
    if (!honest) {
      found += t.found;
      expected += t.expected;
    }
  }
  EXPECT_GE(static_cast<double>(found) / expected, 0.95) << found << "/" << expected;
}

TEST(DecoderTest, RawZxingMissesDarkModePhonesAndTheInvertedRetryFindsThem) {
  std::vector<synth::CorpusCase> dark;
  for (auto& c : synth::GoldenCorpus(6, 7)) {
    if (c.category == "phone_dark") dark.push_back(c);
  }
  ASSERT_EQ(dark.size(), 6u);
  EXPECT_EQ(RunCorpus(dark, true)["phone_dark"].found, 0)
      << "if raw ZXing learns dark mode, drop the remedy";
  EXPECT_EQ(RunCorpus(dark, false)["phone_dark"].found, 6);
}

TEST(DecoderTest, CornersOutlineTheCode) {
  synth::SceneSpec s;
  s.tickets.push_back({"KCD26-J6I72TAV7B", synth::Medium::kPaper, 6, 0, 0, 0, 0, 0.5, 0.5});
  Decoder d(Effort::kStill);
  auto codes = d.Decode(FrameFromMat(synth::RenderScene(s)));
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 1u);
  for (const Point& p : (*codes)[0].corners) {
    EXPECT_NEAR(p.x, 640, 160);
    EXPECT_NEAR(p.y, 360, 160);
  }
  EXPECT_LT((*codes)[0].corners[0].x, (*codes)[0].corners[1].x) << "clockwise from top-left";
}

TEST(DecoderTest, PayloadsNobodyShouldSendComeBackByteForByte) {
  // A QR code holds at most about 2.3 kB at level M; a "4 KB" payload cannot
  // be printed, so the longest that can stands in for it.
  const std::vector<std::string> payloads = {
      std::string(2200, 'A'),
      std::string("KCD26-\xff\xfe\xc3("),
      std::string("KCD26-\0AB\0", 10),
      "'; DROP TABLE attendees; --",
      "%s%s%n%x %p {0} ${jndi:ldap://x}",
  };
  Decoder d(Effort::kStill);
  for (const std::string& p : payloads) {
    synth::SceneSpec s;
    s.width = 1920;
    s.height = 1080;
    s.tickets.push_back(
        {p, synth::Medium::kPaper, p.size() > 1000 ? 4.0 : 6.0, 0, 0, 0, 0, 0.5, 0.5});
    auto codes = d.Decode(FrameFromMat(synth::RenderScene(s)));
    ASSERT_TRUE(codes.ok());
    ASSERT_EQ(codes->size(), 1u) << p.substr(0, 40);
    EXPECT_EQ((*codes)[0].bytes, p) << p.substr(0, 40);
  }
}

TEST(DecoderTest, RemediesGiveWayToANewerFrame) {
  // A steep tilt only a remedy reads: with a newer frame waiting, the
  // decoder leaves it (the person has moved on) instead of holding that
  // frame up.
  for (const auto& c : synth::GoldenCorpus(10, 20261126)) {
    if (c.category != "tilt") continue;
    const Frame f = checkin::testing::FrameFromMat(synth::RenderScene(c.scene));
    Decoder patient(Effort::kStill);
    auto found = patient.Decode(f);
    ASSERT_TRUE(found.ok());
    if (found->empty() || (*found)[0].remedy == "plain" || (*found)[0].remedy == "inverted")
      continue;
    Decoder hurried(Effort::kStill);
    auto skipped = hurried.Decode(f, [] { return true; });
    ASSERT_TRUE(skipped.ok());
    EXPECT_TRUE(skipped->empty()) << c.name << " was found by " << (*skipped)[0].remedy;
    return;
  }
  FAIL() << "no tilt case needed a remedy; pick another category";
}

// A code as a light patch on a dark cloth: `px` pixels per module, a quiet
// zone of `quiet` modules, then bent by `waves` waves of `amplitude` pixels
// across it (0: flat), as a badge printed on fabric or a ticket in a curl.
cv::Mat WavyBadge(const std::string& payload, int px, int quiet, double amplitude, double waves) {
  ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
  const ZXing::BitMatrix bits = writer.setMargin(0).encode(payload, 0, 0);
  const int n = bits.width(), side = (n + 2 * quiet) * px;
  cv::Mat badge(side, side, CV_8U, cv::Scalar(235));
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (bits.get(x, y))
        badge(cv::Rect((x + quiet) * px, (y + quiet) * px, px, px)).setTo(cv::Scalar(25));
  cv::Mat frame(side + 160, side + 160, CV_8U, cv::Scalar(30));
  badge.copyTo(frame(cv::Rect(80, 80, side, side)));
  if (amplitude == 0) return frame;
  cv::Mat mx(frame.size(), CV_32F), my(frame.size(), CV_32F);
  const double wave = side / waves;
  for (int y = 0; y < frame.rows; ++y) {
    for (int x = 0; x < frame.cols; ++x) {
      mx.at<float>(y, x) = static_cast<float>(x + amplitude * std::sin(2 * CV_PI * y / wave));
      my.at<float>(y, x) = static_cast<float>(y + amplitude * std::sin(2 * CV_PI * x / wave));
    }
  }
  cv::Mat bent;
  cv::remap(frame, bent, mx, my, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::GaussianBlur(bent, bent, {3, 3}, 0);
  return bent;
}

// Raw ZXing misses `frame`; the decoder reads `code` in it, and the first
// attempt that does is `remedy` (so every remedy tried before it misses).
// The corners lead back to the frame, inside `area`, not into the remedy's
// own image.
void ExpectFirstReadBy(const std::string& remedy, const cv::Mat& frame, const std::string& code,
                       const cv::Rect2f& area) {
  const Frame f = FrameFromMat(frame);
  auto raw = DecodeRawZxing(f);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(raw->empty()) << "raw ZXing reads this; make it harder";
  Decoder d(Effort::kStill);
  auto codes = d.Decode(f);
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ((*codes)[0].bytes, code);
  EXPECT_EQ((*codes)[0].remedy, remedy) << "an earlier attempt reads it: not a test of " << remedy;
  for (const Point& p : (*codes)[0].corners)
    EXPECT_TRUE(area.contains({p.x, p.y})) << p.x << "," << p.y;
}

// Round a WavyBadge's badge, which starts 80 px in from the frame's edges.
cv::Rect2f BadgeArea(const cv::Mat& frame) {
  return {60, 60, static_cast<float>(frame.cols - 120), static_cast<float>(frame.rows - 120)};
}

TEST(DecoderTest, AWavyBadgeIsReadOnceItsOutlineIsFlattened) {
  const std::string code = "KCD26-WAVY-7Q2M";
  // A wave and a half of 6 px across the badge: no other remedy reads it.
  const cv::Mat bent = WavyBadge(code, 8, 3, 6, 1.5);
  ExpectFirstReadBy("unbent", bent, code, BadgeArea(bent));
}

TEST(DecoderTest, ASmallStillImageGetsTheRemediesAgainAtTwiceTheSize) {
  // 210 px across, modules of two pixels, a wave and a half: the remedies
  // at this size blur the modules together.
  const std::string code = "KCD26-SMALL-3Q8W";
  const cv::Mat img = WavyBadge(code, 2, 2, 1, 1.5);
  const Frame f = FrameFromMat(img);
  auto raw = DecodeRawZxing(f);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(raw->empty());
  Decoder d(Effort::kStill);
  auto codes = d.Decode(f);
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ((*codes)[0].bytes, code);
  EXPECT_EQ((*codes)[0].remedy.rfind("enlarged", 0), 0u) << (*codes)[0].remedy;
  // Corners in the frame's own pixels, not the enlarged copy's.
  for (const Point& p : (*codes)[0].corners) {
    EXPECT_GT(p.x, 20);
    EXPECT_LT(p.x, img.cols - 20);
    EXPECT_GT(p.y, 20);
    EXPECT_LT(p.y, img.rows - 20);
  }
}

// A flat badge (WavyBadge's) on a 720p frame, seen through `psf` with a
// little sensor noise. The kernels below are drawn by OpenCV's rasteriser,
// not by the decoder's own BlurKernel, so the decoder has to guess them.
cv::Mat BlurredBadge(const std::string& payload, const cv::Mat& psf) {
  cv::Mat frame(720, 1280, CV_8U, cv::Scalar(90));
  const cv::Mat badge = WavyBadge(payload, 6, 4, 0, 0);
  badge.copyTo(frame(cv::Rect(480, 180, badge.cols, badge.rows)));
  cv::Mat blurred, noise(frame.size(), CV_32F);
  cv::filter2D(frame, blurred, CV_32F, psf / cv::sum(psf)[0]);
  cv::RNG rng(14);
  rng.fill(noise, cv::RNG::NORMAL, 0, 2);
  blurred += noise;
  blurred.convertTo(blurred, CV_8U);
  return blurred;
}

// On the badge BlurredBadge puts at (480, 180).
void ExpectReadOnlyOnceDeblurred(const cv::Mat& frame, const std::string& code) {
  ExpectFirstReadBy("deblurred", frame, code, cv::Rect2f(480, 180, 800, 540));
}

// The ticket moved 22 px at 30 degrees while the shutter was open.
cv::Mat MotionPsf() {
  const double length = 22, angle = 30 * CV_PI / 180;
  cv::Mat psf(31, 31, CV_32F, cv::Scalar(0));
  const cv::Point2d mid(15, 15), half(length / 2 * std::cos(angle), length / 2 * std::sin(angle));
  cv::line(psf, (mid - half) * 16, (mid + half) * 16, 1.0, 1, cv::LINE_AA, 4);
  return psf;
}

// Held too close: a disc of 6 px radius (at 6 px a module).
cv::Mat DefocusPsf() {
  cv::Mat psf(17, 17, CV_32F, cv::Scalar(0));
  cv::circle(psf, cv::Point(8 * 16, 8 * 16), 6 * 16, 1.0, -1, cv::LINE_AA, 4);
  return psf;
}

TEST(DecoderTest, AStronglyMotionBlurredCodeIsReadOnceDeblurred) {
  ExpectReadOnlyOnceDeblurred(BlurredBadge("KCD26-MOVED-4F7K", MotionPsf()), "KCD26-MOVED-4F7K");
}

TEST(DecoderTest, ADefocusedCodeIsReadOnceDeblurred) {
  ExpectReadOnlyOnceDeblurred(BlurredBadge("KCD26-FOCUS-2H9Q", DefocusPsf()), "KCD26-FOCUS-2H9Q");
}

TEST(DeblurTest, GuessesTheKindSizeAndDirectionOfTheBlurFromThePatchAlone) {
  // The badge and a margin for the smear, as the decoder's region search gives it.
  const cv::Rect badge(440, 140, 380, 380);
  const auto moved = GuessBlur(BlurredBadge("KCD26-MOVED-4F7K", MotionPsf())(badge));
  ASSERT_FALSE(moved.empty());
  EXPECT_EQ(moved[0].kind, BlurGuess::Kind::kMotion);
  // An antialiased 22 px line spans 23 px; the cepstrum sees the span.
  EXPECT_NEAR(moved[0].size, 22.5, 1.6);
  EXPECT_NEAR(moved[0].angle_deg, 30, 4);
  const auto defocused = GuessBlur(BlurredBadge("KCD26-FOCUS-2H9Q", DefocusPsf())(badge));
  ASSERT_FALSE(defocused.empty());
  EXPECT_EQ(defocused[0].kind, BlurGuess::Kind::kDefocus);
  EXPECT_NEAR(defocused[0].size, 6, 1);
}

// A hand's arc: 24 px at 120 degrees, bowing 4 px to one side and speeding
// up from a third of its final speed, each point where the hand was at one
// instant (so the slow start weighs most), rounded to whole pixels.
cv::Mat ArcPsf() {
  cv::Mat psf(41, 41, CV_32F, cv::Scalar(0));
  const double a = 120 * CV_PI / 180;
  const cv::Point2d along(std::cos(a), std::sin(a)), aside(-along.y, along.x);
  for (int i = 0; i < 200; ++i) {
    const double t = (i + 0.5) / 200, u = t + 0.5 * (t * t - t);
    const cv::Point2d q =
        cv::Point2d(20, 20) + along * (24 * (u - 0.5)) + aside * (16 * u * (1 - u));
    psf.at<float>(cvRound(q.y), cvRound(q.x)) += 1;
  }
  return psf;
}

TEST(DeblurTest, RefiningTheKernelFollowsACurvedSpeedingUpPath) {
  // No line undoes an arc that speeds up, not even the line through its
  // ends: the code stays smeared, double. Estimated again from the code
  // each deconvolution uncovers, the kernel takes the arc's shape, and the
  // code reads. (Its spectrum has no evenly spaced zeros, so the cepstrum
  // guesses neither length nor angle here: this is RefinedKernel alone.)
  const std::string code = "KCD26-ARCED-6T2P";
  const cv::Mat patch = BlurredBadge(code, ArcPsf())(cv::Rect(440, 140, 380, 380));
  const auto reads = [&](const cv::Mat& psf) {
    auto r = DecodeRawZxing(FrameFromMat(Deconvolved(patch, psf)));
    return r.ok() && !r->empty() && (*r)[0].bytes == code;
  };
  const BlurGuess ends{BlurGuess::Kind::kMotion, 24, 120};
  EXPECT_FALSE(reads(BlurKernel(ends)));
  bool read = false;
  for (const double bow : kTriedBows) {
    BlurGuess g = ends;
    g.bow = bow;
    EXPECT_FALSE(reads(BlurKernel(g))) << bow;
    cv::Mat sharp = Deconvolved(patch, BlurKernel(g));
    for (int round = 0; round < kRefineRounds && !read; ++round) {
      const cv::Mat psf = RefinedKernel(patch, sharp, patch.cols / 12, 2 * 18 + 5);
      ASSERT_FALSE(psf.empty());
      EXPECT_NEAR(cv::sum(psf)[0], 1, 1e-4);
      read = reads(psf);
      sharp = Deconvolved(patch, psf);
    }
  }
  EXPECT_TRUE(read);
}

// The golden corpus's frame `name`, which raw ZXing misses and `remedy`
// reads first.
void ExpectCorpusFrameFirstReadBy(const std::string& name, const std::string& remedy) {
  for (const auto& c : synth::GoldenCorpus(20, 20261126)) {
    if (c.name != name) continue;
    const cv::Mat frame = synth::RenderScene(c.scene);
    ExpectFirstReadBy(
        remedy, frame, c.expected.at(0),
        cv::Rect2f(0, 0, static_cast<float>(frame.cols), static_cast<float>(frame.rows)));
    return;
  }
  FAIL() << "the corpus has no " << name;
}

TEST(DecoderTest, ABadgeCreasedInsideAStraightOutlineIsReadAlongItsOwnGrid) {
  // Cloth: the badge's edge stays straight, but inside it the rows and
  // columns wander by half a module. No single warp, and no outline,
  // puts the modules back where they belong.
  const std::string code = "KCD26-CLOTH-5R3T";
  const int px = 8, quiet = 3;
  const cv::Mat flat = WavyBadge(code, px, quiet, 0, 0);
  const double side = flat.cols - 160.0;
  cv::Mat mx(flat.size(), CV_32F), my(flat.size(), CV_32F);
  for (int y = 0; y < flat.rows; ++y) {
    for (int x = 0; x < flat.cols; ++x) {
      const double u = std::clamp((x - 80) / side, 0.0, 1.0);
      const double v = std::clamp((y - 80) / side, 0.0, 1.0);
      // Zero at the badge's edge, half a module at its middle, a wave and
      // a half across.
      const double envelope = 0.5 * px * std::sin(CV_PI * u) * std::sin(CV_PI * v);
      mx.at<float>(y, x) = static_cast<float>(x + envelope * std::sin(3 * CV_PI * v));
      my.at<float>(y, x) = static_cast<float>(y + envelope * std::sin(3 * CV_PI * u));
    }
  }
  cv::Mat creased;
  cv::remap(flat, creased, mx, my, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::GaussianBlur(creased, creased, {3, 3}, 0);
  // The badge's outline rectifies it first (a no-op here but for the
  // margin); the grid is read on that copy.
  ExpectFirstReadBy("rectified, resampled", creased, code, BadgeArea(creased));
}

TEST(DecoderTest, ASteeplySlantedTicketIsReadAlongTheGridItsFindersSpan) {
  // One of the golden corpus's 55-70 degree tilts: ZXing finds the three
  // finder patterns too unlike in size, and the ticket's outline is lost
  // in the hand holding it.
  ExpectCorpusFrameFirstReadBy("tilt_steep_001", "resampled");
}

TEST(DecoderTest, ASlantTooSteepForTheFindersIsReadOnTheRectifiedTicketsGrid) {
  // 55-70 degrees and 2 px modules: rectified, the ticket's code is still
  // too soft for ZXing's binarizer, but its finders now look alike.
  ExpectCorpusFrameFirstReadBy("tilt_steep_009", "rectified, resampled");
}

TEST(DecoderTest, ABadgeInStrongWavesIsReadOnTheFlattenedBadgesGrid) {
  // Modules of three pixels, two waves of 1.5 px: flattened by its outline,
  // the badge still has modules too soft and uneven for ZXing's binarizer.
  const std::string code = "KCD26-SMALL-3Q8W";
  const cv::Mat img = WavyBadge(code, 3, 2, 1.5, 2);
  ExpectFirstReadBy("unbent, resampled", img, code, BadgeArea(img));
}

TEST(DecoderTest, AMotionBlurredTicketIsReadOnTheDeblurredPatchsGrid) {
  // Undone by the guessed path, the code still rings too much for ZXing's
  // binarizer; its module centres are right.
  ExpectCorpusFrameFirstReadBy("motion_strong_008", "deblurred, resampled");
}

TEST(DecoderTest, ATicketBentRoundItsEdgeIsReadAlongItsTimingPattern) {
  // Paper bent round its vertical axis, the code on the bend's far side:
  // its columns squeeze towards the left, which no perspective follows.
  // The timing pattern between the top finders counts them out.
  ExpectCorpusFrameFirstReadBy("curved_strong_008", "rectified, resampled");
}

TEST(DecoderTest, ABentVersion1CodeIsReadOnceItsFarCornerIsFound) {
  // Bent as above and tilted 37 degrees, a version 1 code (no alignment
  // pattern): counted along its timing pattern, its far quarter still
  // lands a module off the finders' perspective until the corner that
  // lands its module centres on the most decided greys is searched for.
  ExpectCorpusFrameFirstReadBy("curved_strong_012", "rectified, resampled");
}

TEST(DecoderTest, ATicketWavedOnACurvedPathIsReadOnceTheKernelIsRefined) {
  // 25 px bowing to one side and speeding up; no line's kernel reads it.
  ExpectCorpusFrameFirstReadBy("motion_strong_000", "deblurred, refined");
}

TEST(DecoderTest, ACodeWithAThumbOverAFinderIsReadFromTheOtherTwo) {
  // The thumb holding the badge covers the bottom-left finder pattern and
  // the modules round it: ZXing needs all three finders; the grid sampler
  // puts the third where a square code has it, and error correction
  // (level M here) makes up for the modules under the thumb.
  const std::string code = "KCD26-THUMB-9W4C";
  cv::Mat img = WavyBadge(code, 8, 3, 0, 0);
  const int inside = 80 + 3 * 8;  // the code's top-left corner in the frame
  const int n = (img.cols - 2 * inside) / 8;
  cv::ellipse(img, cv::Point(inside + 3 * 8, inside + (n - 3) * 8), cv::Size(52, 40), 30, 0, 360,
              cv::Scalar(150), cv::FILLED);
  // The badge's outline rectifies it first; the grid is read on that copy.
  ExpectFirstReadBy("rectified, resampled", img, code, BadgeArea(img));
}

TEST(GridTest, AlignmentPatternsSitWhereTheStandardsTableHasThem) {
  // ISO/IEC 18004, annex E, table E.1: some rows.
  EXPECT_TRUE(AlignmentCentres(1).empty());
  EXPECT_EQ(AlignmentCentres(2), (std::vector<int>{6, 18}));
  EXPECT_EQ(AlignmentCentres(7), (std::vector<int>{6, 22, 38}));
  EXPECT_EQ(AlignmentCentres(15), (std::vector<int>{6, 26, 48, 70}));
  EXPECT_EQ(AlignmentCentres(32), (std::vector<int>{6, 34, 60, 86, 112, 138}));
  EXPECT_EQ(AlignmentCentres(36), (std::vector<int>{6, 24, 50, 76, 102, 128, 154}));
  EXPECT_EQ(AlignmentCentres(40), (std::vector<int>{6, 30, 58, 86, 114, 142, 170}));
}

TEST(DecoderTest, MalformedFrameIsAnErrorNotACrash) {
  Decoder d(Effort::kLive);
  Frame f;
  f.width = 640;
  f.height = 480;
  f.channels = 3;
  f.pixels.resize(100);
  EXPECT_FALSE(d.Decode(f).ok());
  f.pixels.assign(640 * 480 * 3, 0);  // black frame: fine, no codes
  auto codes = d.Decode(f);
  ASSERT_TRUE(codes.ok());
  EXPECT_TRUE(codes->empty());
  Frame tiny;
  tiny.width = tiny.height = 1;
  tiny.channels = 1;
  tiny.pixels = {255};
  EXPECT_TRUE(d.Decode(tiny).ok());
}

}  // namespace
}  // namespace checkin::scanner
