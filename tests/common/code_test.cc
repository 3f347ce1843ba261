#include "common/code.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

TEST(CodeTest, TrimsWhitespaceAndControlCharacters) {
  auto c = NormalizeCode("  \tKCD26-ABC\r\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, "KCD26-ABC");
  c = NormalizeCode("\x02KCD26-ABC\x03");  // STX/ETX framing from some handheld scanners
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, "KCD26-ABC");
}

TEST(CodeTest, RejectsPayloadsThatCannotBeTickets) {
  struct Case {
    std::string payload;
    std::string reason;
  };
  const Case cases[] = {
      {"", "empty"},
      {" \r\n", "empty"},
      {std::string("KCD\0XYZ", 7), "nul_byte"},
      {"Mar\xED"
       "a",
       "bad_utf8"},
      {std::string(kMaxCodeBytes + 1, 'A'), "too_long"},
      {std::string(4096, 'A'), "too_long"},
      {"KCD\x1b[31m", "control_char"},
  };
  for (const auto& c : cases) {
    auto r = NormalizeCode(c.payload);
    ASSERT_FALSE(r.ok()) << c.reason;
    EXPECT_EQ(r.status().message(), c.reason);
  }
}

TEST(CodeTest, AcceptsLongestLegalCodeAndSqlLookingText) {
  EXPECT_TRUE(NormalizeCode(std::string(kMaxCodeBytes, 'A')).ok());
  auto r = NormalizeCode("'; DROP TABLE attendees; --");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "'; DROP TABLE attendees; --");
}

TEST(CodeTest, DisplayFormIsPrintableAndBounded) {
  EXPECT_EQ(SafeCodeForDisplay("AB\x01"
                               "C"),
            "AB\\x01C");
  EXPECT_EQ(SafeCodeForDisplay("Mar\xED"
                               "a"),
            "Mar\\xEDa");
  const std::string shown = SafeCodeForDisplay(std::string(5000, 'Z'));
  EXPECT_LE(shown.size(), 90u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
}

}  // namespace
}  // namespace checkin
