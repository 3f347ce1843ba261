#include "printer/terminal_qr.h"

#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace checkin::printer {
namespace {

// The text drawn back into pixels, as a camera pointed at a dark terminal
// would see it: ink is light, blanks are dark. `rows` modules per character
// row, `cols` characters per module.
std::vector<std::vector<bool>> Modules(const std::string& drawn, TerminalQrStyle style) {
  std::vector<std::vector<bool>> light;
  size_t line_start = 0;
  while (line_start < drawn.size()) {
    const size_t nl = drawn.find('\n', line_start);
    const std::string line = drawn.substr(line_start, nl - line_start);
    line_start = nl + 1;
    std::vector<bool> top, bottom;
    if (style == TerminalQrStyle::kAscii) {
      for (size_t i = 0; i + 1 < line.size(); i += 2) top.push_back(line[i] == '#');
      light.push_back(top);
      continue;
    }
    for (size_t i = 0; i < line.size();) {
      if (line[i] == ' ') {
        top.push_back(false);
        bottom.push_back(false);
        ++i;
        continue;
      }
      const std::string glyph = line.substr(i, 3);
      i += 3;
      top.push_back(glyph == "\u2588" || glyph == "\u2580");
      bottom.push_back(glyph == "\u2588" || glyph == "\u2584");
    }
    light.push_back(top);
    light.push_back(bottom);
  }
  return light;
}

std::string DecodeDrawn(const std::string& drawn, TerminalQrStyle style) {
  const auto modules = Modules(drawn, style);
  constexpr int kScale = 4;
  const int h = static_cast<int>(modules.size()) * kScale;
  const int w = static_cast<int>(modules.at(0).size()) * kScale;
  std::vector<uint8_t> pixels(static_cast<size_t>(w * h), 0);
  for (int y = 0; y < h; ++y) {
    const auto& row = modules[static_cast<size_t>(y / kScale)];
    for (int x = 0; x < w; ++x) {
      const size_t mx = static_cast<size_t>(x / kScale);
      // Past a row's end is the terminal's dark background.
      pixels[static_cast<size_t>(y * w + x)] = mx < row.size() && row[mx] ? 255 : 0;
    }
  }
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  const auto result =
      ZXing::ReadBarcode(ZXing::ImageView(pixels.data(), w, h, ZXing::ImageFormat::Lum), hints);
  return result.isValid() ? result.text() : std::string("<not decoded>");
}

TEST(TerminalQrTest, HalfBlocksDecodeBack) {
  const std::string text =
      "CKIN1-AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH-22222-33333-44444-55555-66666";
  auto drawn = RenderTerminalQr(text, TerminalQrStyle::kHalfBlocks);
  ASSERT_TRUE(drawn.ok()) << drawn.status().message();
  EXPECT_EQ(DecodeDrawn(*drawn, TerminalQrStyle::kHalfBlocks), text);
  // The quiet zone: the first line is all ink (two light rows).
  const std::string first = drawn->substr(0, drawn->find('\n'));
  EXPECT_EQ(first.find(' '), std::string::npos);
}

TEST(TerminalQrTest, AsciiDecodesBack) {
  const std::string text = "CKIN1-QWERT-YUIOP";
  auto drawn = RenderTerminalQr(text, TerminalQrStyle::kAscii);
  ASSERT_TRUE(drawn.ok());
  EXPECT_EQ(drawn->find_first_not_of("# \n"), std::string::npos);
  EXPECT_EQ(DecodeDrawn(*drawn, TerminalQrStyle::kAscii), text);
}

TEST(TerminalQrTest, TooLongIsAValue) {
  EXPECT_FALSE(RenderTerminalQr(std::string(5000, 'A'), TerminalQrStyle::kAscii).ok());
}

}  // namespace
}  // namespace checkin::printer
