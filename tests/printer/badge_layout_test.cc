#include "printer/badge_layout.h"

#include <gtest/gtest.h>

#include "printer/badge_render.h"

namespace checkin::printer {
namespace {

TEST(BadgeLayoutTest, StocksAndColours) {
  auto l =
      ParseLayout("stock = \"CR80\"\nmargin_mm = 3\n[colors]\nSpeaker = \"#FF0000\"\n", "b.toml");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->stock, "CR80");
  EXPECT_NEAR(l->width_pt, 242.6, 0.1);
  EXPECT_NEAR(l->height_pt, 153.1, 0.1);
  EXPECT_DOUBLE_EQ(ColorFor(*l, "SPEAKER").r, 1.0);
  EXPECT_DOUBLE_EQ(ColorFor(*l, "Organizador").r, ColorFor(DefaultLayout(), "organizador").r);
  EXPECT_DOUBLE_EQ(ColorFor(*l, "Unknown type").r, l->default_color.r);
}

TEST(BadgeLayoutTest, ExampleFileParses) {
  auto l = LoadLayout(std::string(CHECKIN_TEST_DATA_DIR) + "/../../deploy/badge.example.toml");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->stock, "4x3in");
  EXPECT_DOUBLE_EQ(ColorFor(*l, "Prensa").r, ColorFor(DefaultLayout(), "prensa").r);
}

TEST(BadgeLayoutTest, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* toml;
    const char* expect;
  };
  const Case cases[] = {
      {"stock = \"B5\"\n", "b.toml:1: stock must be one of 4x3in"},
      {"\nmargin_mm = -1\n", "b.toml:2: margin_mm must be a positive number"},
      {"font = \"/nope.ttf\"\n", "font file not found"},
      {"[colors]\nSpeaker = \"red\"\n", "b.toml:2: colour 'red' is not #RRGGBB"},
      {"colour = 1\n", "unknown key 'colour'"},
      {"first_name_min_pt = 50\n", "first_name_min_pt is larger"},
      {"stock = \"CR80\"\nmargin_mm = 40\n", "leaves no room"},
  };
  for (const auto& c : cases) {
    auto r = ParseLayout(c.toml, "b.toml");
    ASSERT_FALSE(r.ok()) << c.toml;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
  }
}

// A fake font where every byte is 0.5 em wide.
double HalfEm(const std::string& text, double size) {
  return 0.5 * size * static_cast<double>(text.size());
}

TEST(BadgeLayoutTest, SheetsFitAsManyBadgesAsTheyCan) {
  struct Case {
    const char* stock;
    const char* sheet;
    int per_page;
    bool rotated;
  };
  for (const Case& c :
       {Case{"4x3in", "Letter", 6, false}, Case{"4x3in", "A4", 4, true},
        Case{"CR80", "A4", 10, false}, Case{"4x6in", "A4", 2, true}, Case{"A6", "A4", 2, true}}) {
    auto l = ParseLayout(std::string("stock = \"") + c.stock + "\"\nsheet = \"" + c.sheet + "\"\n",
                         "t.toml");
    ASSERT_TRUE(l.ok()) << l.status().message();
    auto g = PlanSheet(*l);
    ASSERT_TRUE(g.ok()) << c.stock << " on " << c.sheet;
    EXPECT_EQ(g->PerPage(), c.per_page) << c.stock << " on " << c.sheet;
    EXPECT_EQ(g->rotated, c.rotated) << c.stock << " on " << c.sheet;
    // The grid stays inside the sheet's margins.
    EXPECT_GE(g->left_pt + 0.01, l->sheet_margin_pt) << c.stock;
    EXPECT_GE(g->bottom_pt + 0.01, l->sheet_margin_pt) << c.stock;
  }
  auto plain = PlanSheet(DefaultLayout());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->PerPage(), 1);

  BadgeLayout too_big = DefaultLayout();
  too_big.stock = "4x6in";
  too_big.width_pt = 288;
  too_big.height_pt = 432;
  too_big.sheet = "A4";
  too_big.sheet_width_pt = 595;
  too_big.sheet_height_pt = 842;
  too_big.sheet_margin_pt = 200;
  auto none = PlanSheet(too_big);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("does not fit"), std::string::npos);

  auto bad = ParseLayout("sheet = \"A3\"\n", "t.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("A4, Letter"), std::string::npos) << bad.status().message();
}

TEST(FitTextTest, ShortNameGetsTheMaximumSize) {
  TextFit f = FitText("Ana", 200, 40, 18, HalfEm);
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_DOUBLE_EQ(f.size_pt, 40);
}

TEST(FitTextTest, LongerNameShrinksBeforeWrapping) {
  TextFit f = FitText("Valentina", 200, 60, 18, HalfEm);  // 9 bytes: fits at 44.4 pt
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_NEAR(f.size_pt, 200.0 / 4.5, 1e-9);
}

TEST(FitTextTest, WrapsAtTheBalancedSpaceAndNeverOverflows) {
  const std::string name = "María José Alejandra Fernanda";
  TextFit f = FitText(name, 200, 40, 18, HalfEm);  // one line would need 13 pt
  ASSERT_EQ(f.lines.size(), 2u);
  EXPECT_EQ(f.lines[0] + " " + f.lines[1], name);
  EXPECT_EQ(f.lines[0], "María José");  // 12 bytes against 18: the balanced split
  for (const auto& line : f.lines) EXPECT_LE(HalfEm(line, f.size_pt), 200 + 1e-9) << line;
  EXPECT_GE(f.size_pt, 18);
}

// A long name without spaces used to shrink to 10 pt here (a hairline on
// paper) while the minimum is 18.
TEST(FitTextTest, LongWordBreaksOverTwoLinesRatherThanShrinkBelowTheMinimum) {
  for (const std::string& letter : {std::string("W"), std::string("\u00d1")}) {
    std::string word;
    // 30 bytes, as wide as 30 half-ems: one line would be 150 / 15 = 10 pt.
    for (size_t i = 0; i < 30 / letter.size(); ++i) word += letter;
    TextFit f = FitText(word, 150, 40, 18, HalfEm);
    ASSERT_EQ(f.lines.size(), 2u) << letter;
    EXPECT_EQ(f.lines[0] + f.lines[1], word) << "nothing lost, no hyphen added";
    EXPECT_GE(f.size_pt, 18) << letter;
    EXPECT_TRUE(f.broken);
    EXPECT_FALSE(f.truncated);
    for (const auto& line : f.lines) {
      EXPECT_LE(HalfEm(line, f.size_pt), 150 + 1e-9) << line;
      EXPECT_EQ(line.size() % letter.size(), 0u) << "broken between characters, not bytes";
    }
  }
  EXPECT_NEAR(FitText(std::string(30, 'W'), 150, 40, 18, HalfEm).size_pt, 20, 1e-9)
      << "15 and 15: the balanced break";
}

TEST(FitTextTest, TooLongForTwoLinesTakesMoreLinesAtTheMinimumWhereAllowed) {
  // 16 bytes a line at 18 pt: 60 need four.
  TextFit f = FitText(std::string(60, 'W'), 150, 40, 18, HalfEm, 4);
  ASSERT_EQ(f.lines.size(), 4u);
  EXPECT_DOUBLE_EQ(f.size_pt, 18);
  EXPECT_FALSE(f.truncated);
  EXPECT_EQ(f.lines[0] + f.lines[1] + f.lines[2] + f.lines[3], std::string(60, 'W'));
  // Spaces first: only a word wider than the line is broken.
  f = FitText("Ana " + std::string(40, 'W'), 150, 40, 18, HalfEm, 4);
  ASSERT_EQ(f.lines.size(), 4u);
  EXPECT_EQ(f.lines[0], "Ana");
  EXPECT_EQ(f.lines[1], std::string(16, 'W'));
}

TEST(FitTextTest, TooLongForTheLinesAllowedIsCutShortAtTheMinimumNotShrunk) {
  TextFit f = FitText(std::string(60, 'W'), 150, 40, 18, HalfEm);
  ASSERT_EQ(f.lines.size(), 2u);
  EXPECT_DOUBLE_EQ(f.size_pt, 18);
  EXPECT_TRUE(f.truncated);
  EXPECT_EQ(f.lines[0], std::string(16, 'W'));
  EXPECT_EQ(f.lines[1], std::string(13, 'W') + "\u2026");
  for (const auto& line : f.lines) EXPECT_LE(HalfEm(line, f.size_pt), 150 + 1e-9) << line;
}

}  // namespace
}  // namespace checkin::printer
