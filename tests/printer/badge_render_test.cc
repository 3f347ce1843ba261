// Rendered badges checked the way a person would: the text a PDF reader
// extracts (poppler's pdftotext), and the QR decoded from a 300 dpi raster
// (pdftoppm) by the same ZXing-cpp reader the scanner uses.
#include "printer/badge_render.h"

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/fakes/test_db.h"

namespace checkin::printer {
namespace {

using checkin::testing::Shell;
using checkin::testing::TempDir;

Attendee Person(const std::string& first, const std::string& last, const std::string& type = "Speaker") {
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
  std::string Render(const std::vector<Attendee>& who, const BadgeLayout& layout = DefaultLayout()) {
    auto pdf = RenderBadges(who, layout, "KCD Colombia 2026");
    EXPECT_TRUE(pdf.ok()) << pdf.status().message();
    const std::string path = dir_.File("badge.pdf");
    std::ofstream(path, std::ios::binary) << (pdf.ok() ? *pdf : "");
    return path;
  }
  std::string Text(const std::string& pdf) { return Shell("pdftotext -enc UTF-8 " + pdf + " - 2>/dev/null"); }

  // Decodes the QR on page 1 from a 300 dpi greyscale raster.
  std::string DecodeQr(const std::string& pdf) {
    const std::string base = dir_.File("page");
    Shell("pdftoppm -r 300 -gray -singlefile " + pdf + " " + base + " 2>/dev/null");
    std::ifstream in(base + ".pgm", std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    in.get();
    std::vector<uint8_t> pixels(static_cast<size_t>(w) * static_cast<size_t>(h));
    in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
    EXPECT_EQ(magic, "P5");
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    auto r = ZXing::ReadBarcode({pixels.data(), w, h, ZXing::ImageFormat::Lum}, hints);
    return r.isValid() ? r.text() : "";
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
      {"Łukasz", "Kowalski"}, {"Søren", "Ørsted"}, {"Begoña", "Ñañez Agüero"},
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
  EXPECT_EQ(pdf.status().message().find("Ana Ruiz"), std::string::npos) << "only the ones with a problem";
}

TEST_F(BadgeRenderTest, SixtyCharacterNameStaysOnEveryStock) {
  const Attendee long_name = Person("María de los Ángeles Guadalupe", "Fernández de Córdoba y Sotomayor");
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
      if (std::sscanf(line.c_str(), " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1) == 4) {
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
  const std::string info = Shell("pdfinfo " + pdf + " 2>/dev/null");
  int pages = 0;
  const auto at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  std::sscanf(info.c_str() + at, "Pages: %d", &pages);
  EXPECT_EQ(pages, 150);
  const std::string fonts = Shell("pdffonts " + pdf + " 2>/dev/null");
  int embedded = 0;
  std::istringstream in(fonts);
  std::string line;
  while (std::getline(in, line)) embedded += line.find("DejaVu") != std::string::npos;
  EXPECT_EQ(embedded, 2) << fonts;  // regular and bold, once each
}

}  // namespace
}  // namespace checkin::printer
