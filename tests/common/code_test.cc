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

TEST(CodeTest, RefusesCodesAScreenWouldNotShowAsTheyAre) {
  struct Case {
    std::string payload;
    std::string reason;
  };
  const Case cases[] = {
      {"KCD\xC2\x9B"
       "31m",
       "control_char"},  // C1 CSI
      {"KCD\xC2\x85"
       "X",
       "control_char"},                  // C1 NEL
      {"KCD-\xC2\x80", "control_char"},  // C1 at the end is not trimmed away
      {"KCD\xE2\x80\xAE"
       "CBA",
       "invisible_char"},  // right-to-left override
      {"KCD\xE2\x81\xA6"
       "X",
       "invisible_char"},  // bidi isolate
      {"KCD\xE2\x80\x8B"
       "X",
       "invisible_char"},  // zero-width space
      {"KCD\xE2\x80\xA8"
       "X",
       "invisible_char"},  // line separator
      {"KCD\xEE\x80\x80"
       "X",
       "invisible_char"},  // private use
  };
  for (const auto& c : cases) {
    auto r = NormalizeCode(c.payload);
    ASSERT_FALSE(r.ok()) << c.reason;
    EXPECT_EQ(r.status().message(), c.reason) << SafeCodeForDisplay(c.payload);
  }
}

TEST(CodeTest, AcceptsRealPlatformsCodes) {
  const std::string codes[] = {
      "KCD26-2IBYYURL7B",                  // ours (generic)
      "gmpyc2bqr4gujhwmnwpbsagb5ye5f5jr",  // pretix secret
      "1234567890123456789",               // Eventbrite barcode, 19 digits
      "1234567890123456789012",            // 22 digits
      "ABCD-EFGH-1234",                    // Sympla
      "E4BIHK6ZN7HXLTV9",                  // Sympla ticket number
      "xYz0-_AB+/cd==",                    // base64 and base64url alphabets
      "Ñandú-001 café",                    // a hand-made list with accents and a space
  };
  for (const std::string& c : codes) {
    auto r = NormalizeCode(c);
    EXPECT_TRUE(r.ok()) << c << ": " << (r.ok() ? "" : r.status().message());
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
  EXPECT_EQ(SafeCodeForDisplay("KCD\xC2\x9B"
                               "2J\xE2\x80\xAE"),
            "KCD\\u009B2J\\u202E");
  const std::string shown = SafeCodeForDisplay(std::string(5000, 'Z'));
  EXPECT_LE(shown.size(), 90u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
}

}  // namespace
}  // namespace checkin
