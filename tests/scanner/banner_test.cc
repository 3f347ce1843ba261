#include "scanner/banner.h"

#include <gtest/gtest.h>

namespace checkin::scanner {
namespace {

// The station prints its banner on a terminal and paints it on the window:
// a name or code from outside must be shown, not obeyed.
TEST(BannerTest, NamesAndCodesAreSafeToPrint) {
  const std::string hostile =
      "Ana\x1b]0;pwned\x07\x1b[2J\xC2\x9B"
      "31m\xE2\x80\xAE";
  Decision d;
  d.verdict = Verdict::kAdmitted;
  Attendee a;
  a.first_name = hostile;
  a.ticket_type = hostile;
  d.attendee = a;
  Decision unknown;
  unknown.verdict = Verdict::kUnknown;
  unknown.code = hostile;
  for (const Decision& each : {d, unknown}) {
    const Banner b = BannerFor(each, Language::kSpanish, "America/Bogota");
    for (const std::string& text : {b.title, b.name, b.detail}) {
      for (const char* bad : {"\x1b", "\x07", "\xC2\x9B", "\xE2\x80\xAE"})
        EXPECT_EQ(text.find(bad), std::string::npos) << text;
    }
    EXPECT_NE(b.name.find("Ana\\x1B]0;pwned\\x07"), std::string::npos) << b.name;
  }
}

}  // namespace
}  // namespace checkin::scanner
