#include "scanner/debounce.h"

#include <gtest/gtest.h>

namespace checkin::scanner {
namespace {

using std::chrono::milliseconds;

class DebouncerTest : public ::testing::Test {
 protected:
  Debouncer::TimePoint At(int ms) const { return Debouncer::TimePoint(milliseconds(ms)); }
  Debouncer d_{milliseconds(2000)};
};

TEST_F(DebouncerTest, TicketHeldThreeSecondsWithMissedFramesIsOnePresentation) {
  int presentations = 0;
  for (int ms = 0; ms <= 3000; ms += 33) {
    if (ms % 200 < 66) continue;  // frames where the decoder missed it
    presentations += d_.Presented("KCD26-J6I72TAV7B", At(ms));
  }
  EXPECT_EQ(presentations, 1);
}

TEST_F(DebouncerTest, ShownAgainAfterTheWindowIsANewPresentation) {
  EXPECT_TRUE(d_.Presented("A", At(0)));
  EXPECT_FALSE(d_.Presented("A", At(1000)));
  EXPECT_FALSE(d_.Presented("A", At(2900))) << "seen 1.9 s ago: still the same presentation";
  EXPECT_TRUE(d_.Presented("A", At(4900))) << "out of sight for 2 s";
}

TEST_F(DebouncerTest, CodesAreIndependent) {
  EXPECT_TRUE(d_.Presented("A", At(0)));
  EXPECT_TRUE(d_.Presented("B", At(10)));
  EXPECT_FALSE(d_.Presented("A", At(20)));
  EXPECT_FALSE(d_.Presented("B", At(30)));
}

TEST_F(DebouncerTest, MemoryStaysFlatOverALongDay) {
  for (int i = 0; i < 10000; ++i) d_.Presented("code-" + std::to_string(i), At(i * 500));
  EXPECT_LE(d_.tracked(), 10u);
}

}  // namespace
}  // namespace checkin::scanner
