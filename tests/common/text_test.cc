#include "common/text.h"

#include <gtest/gtest.h>

namespace checkin {
namespace {

TEST(TextTest, FoldRemovesAccentsAndCase) {
  EXPECT_EQ(Fold("José MUÑOZ Peña"), "jose munoz pena");
  EXPECT_EQ(Fold("Número do Ingresso"), "numero do ingresso");
  EXPECT_EQ(Fold("Ørsted"), "ørsted");  // ø is a letter of its own, not o + mark
  EXPECT_EQ(Fold("Attendee #"), "attendee #");
}

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("María José Łukasz 日本"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(
      IsValidUtf8("Mar\xED"
                  "a"));  // Latin-1 í
}

TEST(TextTest, MasksEmails) {
  EXPECT_EQ(MaskEmail("maria.munoz@example.co"), "m***@example.co");
  EXPECT_EQ(MaskEmail("ñandu@example.org"), "ñ***@example.org");
  EXPECT_EQ(MaskEmail(""), "");
  EXPECT_EQ(MaskEmail("no-at-sign"), "***");
}

TEST(TextTest, MasksEveryEmailOfAField) {
  EXPECT_EQ(MaskEmail("ana@x.co; bruno@y.co"), "a***@x.co; b***@y.co");
  EXPECT_EQ(MaskEmail("ana@x.co,bruno@y.co"), "a***@x.co,b***@y.co");
  EXPECT_EQ(MaskEmail("Ana Ruiz <ana@x.co>, bruno@y.co"), "Ana Ruiz <a***@x.co>, b***@y.co");
  EXPECT_EQ(MaskEmail("ana@x.co / bruno@y.co | carla@z.co"), "a***@x.co / b***@y.co | c***@z.co");
  for (const char* field : {"ana@x.co; bruno@y.co", "ana@x.co, bruno@y.co", "ana@x.co\nbruno@y.co",
                            "ana@x.co\tbruno@y.co"}) {
    const std::string m = MaskEmail(field);
    EXPECT_EQ(m.find("ana"), std::string::npos) << field << " -> " << m;
    EXPECT_EQ(m.find("bruno"), std::string::npos) << field << " -> " << m;
  }
}

TEST(TextTest, ForTerminalShowsControlsInsteadOfObeyingThem) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"María José Muñoz 日本 😀", "María José Muñoz 日本 😀"},  // printable text is untouched
      {"Ana\x1b]0;pwned\x07\x1b[2J", "Ana\\x1B]0;pwned\\x07\\x1B[2J"},  // retitle, clear
      {"a\tb\nc\rd\x7f", "a\\x09b\\x0Ac\\x0Dd\\x7F"},
      {"x\xC2\x9B"
       "31m",
       "x\\u009B31m"},  // C1 CSI, an escape on 8-bit terminals
      {"\xC2\x85\xC2\x80\xC2\x9F", "\\u0085\\u0080\\u009F"},
      {"abc\xE2\x80\xAE"
       "fdp.exe",
       "abc\\u202Efdp.exe"},  // right-to-left override
      {"\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\xA8", "\\u2066x\\u2069\\u2028"},
      {"Mar\xED"
       "a",
       "Mar\\xEDa"},                        // invalid UTF-8, byte by byte
      {"\xC0\xAF", "\\xC0\\xAF"},           // overlong
      {"\xED\xA0\x80", "\\xED\\xA0\\x80"},  // surrogate
      {std::string("a\0b", 3), "a\\x00b"},
  };
  for (const auto& c : cases) {
    const std::string shown = ForTerminal(c.in);
    EXPECT_EQ(shown, c.out) << c.in;
    EXPECT_EQ(ForTerminal(shown), shown) << "idempotent: " << c.in;
    EXPECT_TRUE(IsValidUtf8(shown)) << c.in;
  }
}

TEST(TextTest, RedactsCredentialsInStreamUrls) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"rtsp://admin:s3cr3t@cam.local:554/stream1", "rtsp://admin:***@cam.local:554/stream1"},
      {"rtsp://cam/stream?user=admin&password=s3cr3t", "rtsp://cam/stream?user=admin&password=***"},
      {"http://host/video?token=abc123&fps=15", "http://host/video?token=***&fps=15"},
      {"https://h/v.mjpg?PWD=x;api_key=y&Auth=z&sig=q&channel=1",
       "https://h/v.mjpg?PWD=***;api_key=***&Auth=***&sig=***&channel=1"},
      {"rtsp://u:p@h/s?passwd=a#access_token=b", "rtsp://u:***@h/s?passwd=***#access_token=***"},
      {"rtsp://u:p:q@h/s", "rtsp://u:***@h/s"},
      {"rtsp://cam.local/stream1", "rtsp://cam.local/stream1"},
      {"rtsp://admin@cam.local/s", "rtsp://admin@cam.local/s"},
      {"/videos/door.mp4", "/videos/door.mp4"},
  };
  for (const auto& c : cases) EXPECT_EQ(RedactUrl(c.in), c.out) << c.in;
}

TEST(TextTest, NormalizesSpaces) {
  EXPECT_EQ(NormalizeSpaces("  María   José \t Muñoz \n"), "María José Muñoz");
}

TEST(TextTest, ConvertsWindows1252) {
  auto r = ToUtf8(
      "Pe\xF1"
      "a \x80 \x93hola\x94",
      "windows-1252");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "Peña € “hola”");
}

}  // namespace
}  // namespace checkin
