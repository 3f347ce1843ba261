// Frame stacking in the live decoder (scanner/internal/stack.h): dim bursts
// (tests/synth BurstCorpus) that no single frame reads, and two tickets
// shown in turn by one hand, which must never be read as each other.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scanner/decoder.h"
#include "tests/fakes/fake_camera.h"
#include "tests/synth/synth.h"

namespace checkin::scanner {
namespace {

using checkin::testing::FrameFromMat;

// dim_004 of the bench's burst corpus: six frames in which each frame alone
// reads nothing, whichever remedy its turn brings (dim_003 did until the
// grid remedy came, dim_005 once the grid followed timing patterns and
// searched for the far corner).
synth::BurstCase DimBurst() {
  for (synth::BurstCase& c : synth::BurstCorpus(6, 20261201)) {
    if (c.name == "dim_004") return c;
  }
  ADD_FAILURE() << "no dim_004 in the burst corpus";
  return {};
}

// What `decoder` reads in each of `frames`, in turn: the payload and remedy
// of the first code, or "" for none.
std::vector<std::pair<std::string, std::string>> ReadEach(Decoder& decoder,
                                                          const std::vector<cv::Mat>& frames) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const cv::Mat& m : frames) {
    auto codes = decoder.Decode(FrameFromMat(m));
    EXPECT_TRUE(codes.ok());
    if (codes.ok() && !codes->empty())
      out.emplace_back((*codes)[0].bytes, (*codes)[0].remedy);
    else
      out.emplace_back("", "");
  }
  return out;
}

TEST(FrameStackTest, ADimTicketNoSingleFrameReadsIsReadFromTheStack) {
  const synth::BurstCase c = DimBurst();
  const std::vector<cv::Mat> frames = synth::RenderBurst(c.burst);
  Decoder alone(Effort::kLive, Stacking::kOff);
  for (const auto& [bytes, remedy] : ReadEach(alone, frames))
    EXPECT_EQ(bytes, "") << "read by " << remedy << " alone: pick a darker burst";
  Decoder stacking(Effort::kLive);
  int stacked = 0;
  for (const auto& [bytes, remedy] : ReadEach(stacking, frames)) {
    if (bytes.empty()) continue;
    EXPECT_EQ(bytes, c.expected);
    stacked += remedy == "stacked";
  }
  EXPECT_GE(stacked, 1);
}

TEST(FrameStackTest, ACodeReadFromTheStackHasItsCornersInTheNewestFrame) {
  const synth::BurstCase c = DimBurst();
  Decoder stacking(Effort::kLive);
  for (const cv::Mat& m : synth::RenderBurst(c.burst)) {
    auto codes = stacking.Decode(FrameFromMat(m));
    ASSERT_TRUE(codes.ok());
    if (codes->empty()) continue;
    // Where the ticket is held: its centre, in frame pixels.
    const double cx = c.burst.scene.tickets[0].cx * m.cols,
                 cy = c.burst.scene.tickets[0].cy * m.rows;
    for (const Point& p : (*codes)[0].corners) {
      EXPECT_NEAR(p.x, cx, 200);
      EXPECT_NEAR(p.y, cy, 200);
    }
    return;
  }
  FAIL() << "nothing read from the stack";
}

TEST(FrameStackTest, TwoTicketsShownInTurnAreNeverReadAsEachOther) {
  // One hand, one place, one dim corner: the first ticket for a frame or
  // three (too few to read it), then the second, which a stack of its own
  // frames reads. A stack mixing the two must not read the first while the
  // second is shown, nor anything that is neither.
  const synth::BurstCase c = DimBurst();
  int stacked = 0;
  for (int first_frames : {1, 2, 3}) {
    synth::BurstSpec first = c.burst, second = c.burst;
    first.frames = first_frames;
    second.first = first_frames;
    second.scene.tickets[0].payload = c.expected + "-NEXT";
    std::vector<cv::Mat> frames = synth::RenderBurst(first);
    for (cv::Mat& m : synth::RenderBurst(second)) frames.push_back(std::move(m));
    Decoder decoder(Effort::kLive);
    const auto read = ReadEach(decoder, frames);
    for (size_t i = 0; i < read.size(); ++i) {
      if (read[i].first.empty()) continue;
      const std::string& shown =
          i < static_cast<size_t>(first_frames) ? c.expected : second.scene.tickets[0].payload;
      EXPECT_EQ(read[i].first, shown)
          << "frame " << i << " of " << first_frames << "+6, by " << read[i].second;
      stacked += read[i].second == "stacked" && i >= static_cast<size_t>(first_frames);
    }
  }
  EXPECT_GE(stacked, 1) << "the second ticket never came from a stack: no test of mixing";
}

TEST(FrameStackTest, StillImagesAreNeverStacked) {
  // The same frames through the still decoder: each stands alone.
  const synth::BurstCase c = DimBurst();
  Decoder still(Effort::kStill);
  for (const auto& [bytes, remedy] : ReadEach(still, synth::RenderBurst(c.burst)))
    EXPECT_NE(remedy, "stacked");
}

}  // namespace
}  // namespace checkin::scanner
