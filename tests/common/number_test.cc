#include "common/number.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace checkin {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(NumberTest, ParseIntAcceptsWholeNumbersInRange) {
  struct Case {
    std::string text;
    int64_t min, max, want;
  };
  const Case cases[] = {
      {"0", 0, 10, 0},
      {"10", 0, 10, 10},
      {"007", 0, 10, 7},
      {"-5", -10, 10, -5},
      {"9223372036854775807", 0, kMax, kMax},
      {"-9223372036854775808", kMin, 0, kMin},
  };
  for (const auto& c : cases) {
    auto r = ParseInt(c.text, c.min, c.max, "n");
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(NumberTest, ParseIntRefusesWhatIsNotAWholeNumberInRange) {
  const std::string cases[] = {
      "",
      " 1",
      "1 ",
      "+1",
      "1.5",
      "1e3",
      "0x10",
      "abc",
      "12abc",
      "-",
      "11",
      "-1",
      "99999999999999999999999",
      "-99999999999999999999999",
      std::string("1\0", 2),
  };
  for (const auto& text : cases) {
    auto r = ParseInt(text, 0, 10, "--count");
    ASSERT_FALSE(r.ok()) << "'" << text << "'";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << text;
  }
}

TEST(NumberTest, ParseIntMessageNamesTheFieldTheTextAndTheRange) {
  auto r = ParseInt("99999999999999999999999", 1, 1000, "--rows");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "--rows: '99999999999999999999999' is not a whole number between 1 and 1000");
}

TEST(NumberTest, ParseDoubleAcceptsFiniteNumbersInRange) {
  struct Case {
    std::string text;
    double want;
  };
  const Case cases[] = {{"30", 30}, {"29.97", 29.97}, {"1e2", 100}, {"-0.5", -0.5}, {"0", 0}};
  for (const auto& c : cases) {
    auto r = ParseDouble(c.text, -1, 1000, "--fps");
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_DOUBLE_EQ(*r, c.want) << c.text;
  }
}

TEST(NumberTest, ParseDoubleRefusesNanInfinityAndGarbage) {
  const std::string cases[] = {"",      "nan",   "NaN", "inf", "-inf", "infinity",
                               "1e999", "30fps", " 30", "+30", "1001", "-2"};
  for (const auto& text : cases) {
    auto r = ParseDouble(text, -1, 1000, "--fps");
    ASSERT_FALSE(r.ok()) << "'" << text << "'";
    EXPECT_NE(r.status().message().find("--fps: '" + text + "' is not a number between"),
              std::string::npos)
        << text << ": " << r.status().message();
  }
}

}  // namespace
}  // namespace checkin
