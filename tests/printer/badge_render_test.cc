// Rendered badges checked the way a person would: the text a PDF reader
// extracts (poppler's pdftotext), and the QR decoded from a 300 dpi raster
// (pdftoppm) by the same ZXing-cpp reader the scanner uses.
#include "printer/badge_render.h"

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/fakes/test_db.h"

namespace checkin::printer {
namespace {

using checkin::testing::Shell;
using checkin::testing::TempDir;

Attendee Person(const std::string& first, const std::string& last,
                const std::string& type = "Speaker") {
  Attendee a;
  a.id = 7;
  a.first_name = first;
  a.last_name = last;
  a.company = "Cóndor Cloud S.A.S.";
  a.ticket_type = type;
  a.badge_code = "B-QWERTYUIOPASDFGH";
  return a;
}

class BadgeRenderTest : public ::testing::Test {
 protected:
  std::string Render(const std::vector<Attendee>& who,
                     const BadgeLayout& layout = DefaultLayout()) {
    auto pdf = RenderBadges(who, layout, "KCD Colombia 2026");
    EXPECT_TRUE(pdf.ok()) << pdf.status().message();
    const std::string path = dir_.File("badge.pdf");
    std::ofstream(path, std::ios::binary) << (pdf.ok() ? *pdf : "");
    return path;
  }
  std::string Text(const std::string& pdf) {
    return Shell("pdftotext -enc UTF-8 " + pdf + " - 2>/dev/null");
  }

  struct Raster {
    int w = 0, h = 0;
    std::vector<uint8_t> pixels;
    int at(int x, int y) const { return pixels[static_cast<size_t>(y * w + x)]; }
  };
  // Page `page` of `pdf` as a greyscale raster.
  Raster Rasterize(const std::string& pdf, int page = 1, int dpi = 300) {
    const std::string base = dir_.File("page");
    const std::string p = std::to_string(page);
    Shell("pdftoppm -r " + std::to_string(dpi) + " -gray -f " + p + " -l " + p + " -singlefile " +
          pdf + " " + base + " 2>/dev/null");
    std::ifstream in(base + ".pgm", std::ios::binary);
    std::string magic;
    int maxval = 0;
    Raster r;
    in >> magic >> r.w >> r.h >> maxval;
    in.get();
    r.pixels.resize(static_cast<size_t>(r.w) * static_cast<size_t>(r.h));
    in.read(reinterpret_cast<char*>(r.pixels.data()),
            static_cast<std::streamsize>(r.pixels.size()));
    EXPECT_EQ(magic, "P5");
    return r;
  }
  // Every QR on a page, decoded at 300 dpi, sorted.
  std::vector<std::string> DecodeAll(const std::string& pdf, int page = 1) {
    const Raster r = Rasterize(pdf, page);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    std::vector<std::string> out;
    for (const auto& b :
         ZXing::ReadBarcodes({r.pixels.data(), r.w, r.h, ZXing::ImageFormat::Lum}, hints)) {
      out.push_back(b.text());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // The QR on page 1.
  std::string DecodeQr(const std::string& pdf) {
    auto all = DecodeAll(pdf);
    return all.size() == 1 ? all[0] : "";
  }
  int Pages(const std::string& pdf) {
    const std::string info = Shell("pdfinfo " + pdf + " 2>/dev/null");
    int pages = 0;
    const auto at = info.find("Pages:");
    if (at != std::string::npos) std::sscanf(info.c_str() + at, "Pages: %d", &pages);
    return pages;
  }

  TempDir dir_;
};

TEST_F(BadgeRenderTest, AccentedNameComesOutExactly) {
  const std::string pdf = Render({Person("María José", "Muñoz Peña")});
  const std::string text = Text(pdf);
  EXPECT_NE(text.find("María José"), std::string::npos) << text;
  EXPECT_NE(text.find("Muñoz Peña"), std::string::npos) << text;
  EXPECT_NE(text.find("Cóndor Cloud S.A.S."), std::string::npos) << text;
  EXPECT_NE(text.find("Speaker"), std::string::npos) << text;
  EXPECT_NE(text.find("KCD Colombia 2026"), std::string::npos) << text;
}

TEST_F(BadgeRenderTest, QrScansBackAsTheBadgeCodeNeverPersonalData) {
  const std::string pdf = Render({Person("María José", "Muñoz Peña")});
  EXPECT_EQ(DecodeQr(pdf), "B-QWERTYUIOPASDFGH");
}

TEST_F(BadgeRenderTest, NamesFromSeveralScripts) {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"Łukasz", "Kowalski"},         {"Søren", "Ørsted"},   {"Begoña", "Ñañez Agüero"},
      {"Αλέξανδρος", "Παπαδόπουλος"}, {"Дмитрий", "Иванов"}, {"Nguyễn Thị", "Hà"}};
  std::vector<Attendee> who;
  for (const auto& [f, l] : names) who.push_back(Person(f, l));
  const std::string text = Text(Render(who));
  for (const auto& [f, l] : names) {
    EXPECT_NE(text.find(f), std::string::npos) << f << " in:\n" << text;
    EXPECT_NE(text.find(l), std::string::npos) << l;
  }
}

TEST_F(BadgeRenderTest, ScriptTheFontLacksIsReportedBeforePrinting) {
  Attendee wang = Person("小明", "王");
  wang.id = 42;
  auto pdf = RenderBadges({Person("Ana", "Ruiz"), wang}, DefaultLayout(), "KCD");
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.status().message().find("王"), std::string::npos) << pdf.status().message();
  EXPECT_NE(pdf.status().message().find("#42"), std::string::npos);
  EXPECT_EQ(pdf.status().message().find("Ana Ruiz"), std::string::npos)
      << "only the ones with a problem";
}

// DejaVu Sans has U+1F600, but libharu drew nothing for it: the badge
// printed "Ana" and nobody was told.
TEST_F(BadgeRenderTest, EmojiAreReportedNotDroppedSilently) {
  Attendee ana = Person("Ana \U0001F600", "Ruiz");
  ana.id = 42;
  Attendee rocket = Person("Luis", "Gómez");
  rocket.id = 43;
  rocket.company = "Cohete \U0001F680 S.A.S.";
  auto pdf = RenderBadges({Person("Eva", "Sol"), ana, rocket}, DefaultLayout(), "KCD");
  ASSERT_FALSE(pdf.ok()) << "the emoji would be dropped";
  const std::string& m = pdf.status().message();
  EXPECT_EQ(pdf.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(m.find("#42"), std::string::npos) << m;
  EXPECT_NE(m.find("\U0001F600"), std::string::npos) << m;
  EXPECT_NE(m.find("#43"), std::string::npos) << m;
  EXPECT_NE(m.find("\U0001F680"), std::string::npos) << m;
  EXPECT_EQ(m.find("Eva Sol"), std::string::npos) << "only the ones with a problem";
  EXPECT_EQ(m.find("Ruiz"), std::string::npos) << "ids, not names: no personal data in errors";
}

// pdftotext's box around each word of the first name: a word as tall as the
// type is big.
std::vector<std::pair<std::string, double>> WordHeights(const std::string& pdf) {
  const std::string boxes = Shell("pdftotext -bbox " + pdf + " - 2>/dev/null");
  std::vector<std::pair<std::string, double>> out;
  std::istringstream in(boxes);
  std::string line;
  while (std::getline(in, line)) {
    double x0, y0, x1, y1;
    if (std::sscanf(line.c_str(), " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0,
                    &y0, &x1, &y1) != 4)
      continue;
    const auto open = line.find('>'), close = line.rfind("</word>");
    out.emplace_back(line.substr(open + 1, close - open - 1), y1 - y0);
  }
  return out;
}

// It used to come out at about 11 pt on one line (the minimum is 18): a
// hairline at arm's length.
TEST_F(BadgeRenderTest, LongNameWithoutSpacesWrapsAtALegibleSize) {
  const std::string name = "Wolfeschlegelsteinhausenbergerdorff";
  const BadgeLayout layout = DefaultLayout();
  const std::string pdf = Render({Person(name, "Ruiz")}, layout);
  std::string joined;
  for (const auto& [word, height] : WordHeights(pdf)) {
    if (word.size() < 5 || name.find(word) == std::string::npos) continue;
    joined += word;
    EXPECT_GE(height, layout.first_name_min_pt) << word << " is drawn too small";
  }
  EXPECT_EQ(joined, name) << "the whole name, over two lines";
}

TEST_F(BadgeRenderTest, NameTooLongEvenOnTwoLinesIsRefusedNotShrunk) {
  Attendee long_one = Person(std::string(90, 'W'), "Ruiz");
  long_one.id = 44;
  auto pdf = RenderBadges({Person("Eva", "Sol"), long_one}, DefaultLayout(), "KCD");
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(pdf.status().message().find("#44"), std::string::npos) << pdf.status().message();
  EXPECT_EQ(pdf.status().message().find("Eva Sol"), std::string::npos);
}

TEST_F(BadgeRenderTest, SixtyCharacterNameStaysOnEveryStock) {
  const Attendee long_name =
      Person("María de los Ángeles Guadalupe", "Fernández de Córdoba y Sotomayor");
  ASSERT_GE(long_name.FullName().size(), 60u);
  for (const char* stock : {"4x3in", "4x6in", "A6", "CR80", "62mm"}) {
    auto layout = ParseLayout(std::string("stock = \"") + stock + "\"\n", "t.toml");
    ASSERT_TRUE(layout.ok());
    const std::string pdf = Render({long_name}, *layout);
    // Every word's box must lie inside the page.
    const std::string boxes = Shell("pdftotext -bbox " + pdf + " - 2>/dev/null");
    std::istringstream in(boxes);
    std::string line;
    int words = 0;
    while (std::getline(in, line)) {
      double x0, y0, x1, y1;
      if (std::sscanf(line.c_str(), " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
                      &x0, &y0, &x1, &y1) == 4) {
        ++words;
        EXPECT_GE(x0, 0) << stock << ": " << line;
        EXPECT_LE(x1, layout->width_pt + 0.5) << stock << ": " << line;
        EXPECT_LE(y1, layout->height_pt + 0.5) << stock << ": " << line;
      }
    }
    EXPECT_GT(words, 8) << stock;
    const std::string text = Text(pdf);
    for (const char* part : {"Guadalupe", "Sotomayor", "Ángeles"}) {
      EXPECT_NE(text.find(part), std::string::npos) << stock << ": " << part << "\n" << text;
    }
    EXPECT_EQ(DecodeQr(pdf), "B-QWERTYUIOPASDFGH") << stock;
  }
}

TEST_F(BadgeRenderTest, LogoIsDrawnAndABrokenOneIsAClearError) {
  // A PNG made by poppler from a rendered badge serves as a logo.
  const std::string first = Render({Person("Ana", "Ruiz")});
  Shell("pdftoppm -r 20 -png -singlefile " + first + " " + dir_.File("logo") + " 2>/dev/null");
  BadgeLayout l = DefaultLayout();
  l.logo_path = dir_.File("logo.png");
  const std::string pdf = Render({Person("María José", "Muñoz Peña")}, l);
  EXPECT_NE(Shell("pdfimages -list " + pdf + " 2>/dev/null").find("image"), std::string::npos);
  EXPECT_NE(Text(pdf).find("María José"), std::string::npos);
  EXPECT_EQ(DecodeQr(pdf), "B-QWERTYUIOPASDFGH");
  l.logo_path = first;  // a PDF, not a PNG
  auto bad = RenderBadges({Person("Ana", "Ruiz")}, l, "KCD");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("logo"), std::string::npos) << bad.status().message();
}

TEST_F(BadgeRenderTest, BatchIsOnePdfWithFontsEmbeddedOnce) {
  std::vector<Attendee> who;
  for (int i = 0; i < 150; ++i) who.push_back(Person("Persona " + std::to_string(i), "Núñez"));
  const std::string pdf = Render(who);
  EXPECT_EQ(Pages(pdf), 150);
  const std::string fonts = Shell("pdffonts " + pdf + " 2>/dev/null");
  int embedded = 0;
  std::istringstream in(fonts);
  std::string line;
  while (std::getline(in, line)) embedded += line.find("DejaVu") != std::string::npos;
  EXPECT_EQ(embedded, 2) << fonts;  // regular and bold, once each
}

TEST_F(BadgeRenderTest, LetterSheetHoldsSixBadgesWithCutMarks) {
  auto layout = ParseLayout("stock = \"4x3in\"\nsheet = \"Letter\"\n", "t.toml");
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  std::vector<Attendee> who;
  for (int i = 0; i < 7; ++i) {
    who.push_back(Person("Persona" + std::to_string(i), "Ñañez"));
    who.back().badge_code = "B-SHEET" + std::to_string(i);
  }
  const std::string pdf = Render(who, *layout);
  EXPECT_EQ(Pages(pdf), 2);
  EXPECT_NE(Shell("pdfinfo " + pdf + " 2>/dev/null").find("612 x 792 pts"), std::string::npos);
  const std::string first_page = Shell("pdftotext -enc UTF-8 -f 1 -l 1 " + pdf + " - 2>/dev/null");
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(first_page.find("Persona" + std::to_string(i)), std::string::npos) << i << first_page;
  }
  EXPECT_EQ(first_page.find("Persona6"), std::string::npos);
  EXPECT_EQ(DecodeAll(pdf, 1), (std::vector<std::string>{"B-SHEET0", "B-SHEET1", "B-SHEET2",
                                                         "B-SHEET3", "B-SHEET4", "B-SHEET5"}));
  EXPECT_EQ(DecodeAll(pdf, 2), std::vector<std::string>{"B-SHEET6"});

  // Cut marks: dark in the margin on each cut line, white between them.
  auto grid = PlanSheet(*layout);
  ASSERT_TRUE(grid.ok());
  ASSERT_EQ(grid->PerPage(), 6);
  const Raster r = Rasterize(pdf, 1);
  const double px = 300.0 / 72;
  const double top_margin_y = 792 - (grid->bottom_pt + grid->rows * grid->cell_height_pt) - 8;
  auto dark_at = [&](double x_pt, double y_from_top_pt) {
    int darkest = 255;
    for (int dx = -2; dx <= 2; ++dx) {
      darkest = std::min(
          darkest, r.at(static_cast<int>(x_pt * px) + dx, static_cast<int>(y_from_top_pt * px)));
    }
    return darkest < 128;
  };
  for (int c = 0; c <= grid->columns; ++c) {
    EXPECT_TRUE(dark_at(grid->left_pt + c * grid->cell_width_pt, top_margin_y)) << "cut mark " << c;
  }
  EXPECT_FALSE(dark_at(grid->left_pt + grid->cell_width_pt / 2, top_margin_y));
}

TEST_F(BadgeRenderTest, A4SheetTurnsBadgesWhenThatFitsMore) {
  auto layout = ParseLayout("stock = \"4x3in\"\nsheet = \"a4\"\ncut_marks = false\n", "t.toml");
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  auto grid = PlanSheet(*layout);
  ASSERT_TRUE(grid.ok());
  EXPECT_TRUE(grid->rotated);
  EXPECT_EQ(grid->PerPage(), 4);
  std::vector<Attendee> who;
  for (int i = 0; i < 4; ++i) {
    who.push_back(Person("María José " + std::to_string(i), "Muñoz Peña"));
    who.back().badge_code = "B-A4SHEET" + std::to_string(i);
  }
  const std::string pdf = Render(who, *layout);
  EXPECT_EQ(Pages(pdf), 1);
  const std::string text = Text(pdf);
  for (int i = 0; i < 4; ++i)
    EXPECT_NE(text.find("María José " + std::to_string(i)), std::string::npos) << text;
  EXPECT_EQ(DecodeAll(pdf).size(), 4u);
}

}  // namespace
}  // namespace checkin::printer
