#include "common/font.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace checkin {
namespace {

// The machine's own fonts (fonts-dejavu-core is a dependency): what badges
// and the station screen get.
TEST(FontTest, FindsDejaVuSansAndItsBold) {
  auto regular = FindFontFile(kDefaultFont);
  ASSERT_TRUE(regular.ok()) << regular.status().message();
  EXPECT_EQ(std::filesystem::path(*regular).filename(), "DejaVuSans.ttf");
  auto bold = FindFontFile(kDefaultBoldFont);
  ASSERT_TRUE(bold.ok()) << bold.status().message();
  EXPECT_EQ(std::filesystem::path(*bold).filename(), "DejaVuSans-Bold.ttf");
  EXPECT_TRUE(std::filesystem::exists(*bold)) << *bold;
}

// fontconfig always offers some font; a different family is not a match.
TEST(FontTest, AMissingFamilyIsNotFoundAndNamed) {
  auto r = FindFontFile("Checkin Nonexistent Sans:bold");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("'Checkin Nonexistent Sans:bold'"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("install"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace checkin
