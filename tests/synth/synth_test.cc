// The generator itself: the golden corpus is a pure function of (seed,
// category, index), and the honest categories sample the hard values they
// claim to (issue 14), so a reader's pass count on them means what it says.
#include "tests/synth/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace checkin::synth {
namespace {

std::map<std::string, std::vector<CorpusCase>> ByCategory(const std::vector<CorpusCase>& corpus) {
  std::map<std::string, std::vector<CorpusCase>> out;
  for (const CorpusCase& c : corpus) out[c.category].push_back(c);
  return out;
}

TEST(SynthTest, ALargerCorpusExtendsASmallerOne) {
  const auto small = ByCategory(GoldenCorpus(3, 20261126));
  const auto large = ByCategory(GoldenCorpus(8, 20261126));
  ASSERT_EQ(small.size(), CorpusCategories().size());
  for (const auto& [category, cases] : small) {
    for (size_t i = 0; i < cases.size(); ++i) {
      const CorpusCase& a = cases[i];
      const CorpusCase& b = large.at(category)[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.expected, b.expected) << a.name;
      EXPECT_EQ(a.scene.seed, b.scene.seed) << a.name;
      EXPECT_EQ(a.scene.motion_blur_px, b.scene.motion_blur_px) << a.name;
      if (!a.scene.tickets.empty()) {
        EXPECT_EQ(a.scene.tickets[0].thumb_over, b.scene.tickets[0].thumb_over) << a.name;
        EXPECT_EQ(a.scene.tickets[0].crumple, b.scene.tickets[0].crumple) << a.name;
      }
    }
  }
}

TEST(SynthTest, TheHonestCategoriesSampleTheHardValues) {
  const auto corpus = ByCategory(GoldenCorpus(25, 20261126));
  double steepest = 0, longest = 0, biggest_disc = 0, faintest = 1;
  int thumbs_over_code = 0, bent_across = 0, crumpled = 0, sheared = 0;
  for (const CorpusCase& c : corpus.at("tilt_steep")) {
    EXPECT_GE(c.scene.tickets[0].tilt_deg, 55) << c.name;
    steepest = std::max(steepest, c.scene.tickets[0].tilt_deg);
  }
  for (const CorpusCase& c : corpus.at("motion_strong")) {
    EXPECT_GE(c.scene.motion_blur_px, 15) << c.name;
    EXPECT_LE(c.scene.motion_blur_px, 5 * c.scene.tickets[0].module_px) << c.name;
    longest = std::max(longest, c.scene.motion_blur_px);
  }
  for (const CorpusCase& c : corpus.at("defocus_disc")) {
    EXPECT_LE(c.scene.defocus_disc_px, 1.2 * c.scene.tickets[0].module_px) << c.name;
    biggest_disc = std::max(biggest_disc, c.scene.defocus_disc_px / c.scene.tickets[0].module_px);
  }
  for (const CorpusCase& c : corpus.at("low_contrast")) {
    EXPECT_GE(c.scene.tickets[0].ink_contrast, 0.2) << c.name;
    faintest = std::min(faintest, c.scene.tickets[0].ink_contrast);
  }
  for (const CorpusCase& c : corpus.at("thumb"))
    thumbs_over_code += c.scene.tickets[0].thumb_over > 0;
  for (const CorpusCase& c : corpus.at("curved_strong")) {
    bent_across += c.scene.tickets[0].bend_axis_deg == 90 && c.scene.tickets[0].curvature > 0;
    crumpled += c.scene.tickets[0].crumple > 0;
  }
  for (const CorpusCase& c : corpus.at("rolling_shutter"))
    sheared += c.scene.rolling_shutter_px >= 25;
  EXPECT_GE(steepest, 65);
  EXPECT_GE(longest, 25);
  EXPECT_GE(biggest_disc, 0.8);
  EXPECT_LT(faintest, 0.25);
  EXPECT_GE(thumbs_over_code, 12) << "most thumbs must reach over the code";
  EXPECT_GE(bent_across, 5);
  EXPECT_GE(crumpled, 5);
  EXPECT_EQ(sheared, 25);
}

TEST(SynthTest, AHardFrameRendersTheSamePixelsTwice) {
  // Crumple, thumb, smear and shear take the paths the gentle categories do
  // not: each must still be a pure function of its spec.
  SceneSpec s;
  s.width = 640;
  s.height = 360;
  s.seed = 99;
  TicketSpec t{"KCD26-ABCDEFGHJK", Medium::kPaper, 4, 5, 20, 30, 0.6, 0.5, 0.5};
  t.crumple = 2;
  t.thumb_over = 2;
  t.thumb_at = 0.8;
  t.ink_contrast = 0.4;
  s.tickets.push_back(t);
  s.motion_blur_px = 9;
  s.motion_angle_deg = 30;
  s.motion_curve = 0.1;
  s.motion_ease = 0.5;
  s.defocus_disc_px = 1.5;
  s.rolling_shutter_px = 40;
  const cv::Mat a = RenderScene(s), b = RenderScene(s);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0);
  s.tickets[0].crumple = 0;
  EXPECT_GT(cv::norm(a, RenderScene(s), cv::NORM_INF), 0) << "crumple must show";
}

}  // namespace
}  // namespace checkin::synth
