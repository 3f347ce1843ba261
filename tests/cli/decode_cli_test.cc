// `checkin decode` against the scanner (issue 9, item 13): it shows what the
// scanner would redeem, and it reads an image's size before decoding it.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "tests/fakes/checkin_cli.h"
#include "tests/fakes/test_db.h"
#include "tests/synth/synth.h"

namespace checkin {
namespace {

using checkin::testing::ProcessOutput;
using checkin::testing::TempDir;

using checkin::testing::RunCheckin;

nlohmann::json FirstLine(const std::string& out) {
  auto j = nlohmann::json::parse(out.substr(0, out.find('\n')), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << out;
  return j;
}

void PutChunk(std::ofstream& f, const char* type, const std::string& data) {
  auto be32 = [&f](uint32_t v) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
    f.write(b, 4);
  };
  be32(static_cast<uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  f.write(body.data(), static_cast<std::streamsize>(body.size()));
  be32(static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

// A real, valid side x side PNG of one grey: 1-bit pixels, every row the
// same, so it compresses to a few kilobytes and unpacks to side^2 pixels.
void WriteBlankPng(const std::string& path, uint32_t side) {
  std::ofstream f(path, std::ios::binary);
  f.write("\x89PNG\r\n\x1A\n", 8);
  std::string ihdr(13, '\0');
  for (int i = 0; i < 4; ++i) {
    ihdr[static_cast<size_t>(i)] = static_cast<char>(side >> (24 - 8 * i));
    ihdr[static_cast<size_t>(4 + i)] = static_cast<char>(side >> (24 - 8 * i));
  }
  ihdr[8] = 1;  // bit depth; colour type 0 (grey), no interlace
  PutChunk(f, "IHDR", ihdr);
  z_stream z{};
  ASSERT_EQ(deflateInit(&z, 9), Z_OK);
  std::string row(1 + (side + 7) / 8, '\0');  // filter byte 0, then the pixels
  std::string idat;
  char buf[1 << 16];
  for (uint32_t y = 0; y <= side; ++y) {
    z.next_in = reinterpret_cast<Bytef*>(row.data());
    z.avail_in = y < side ? static_cast<uInt>(row.size()) : 0;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, y < side ? Z_NO_FLUSH : Z_FINISH);
      idat.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  PutChunk(f, "IDAT", idat);
  PutChunk(f, "IEND", "");
}

class DecodeCliTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

// ZXing reads the Latin-1 byte of "caf\xE9" as "café"; the scanner redeems
// the bytes, which are not UTF-8 and so not a code. decode must say the same.
TEST_F(DecodeCliTest, ShowsWhatTheScannerRedeems) {
  std::filesystem::create_directories(dir_.File("frames"));
  cv::imwrite(dir_.File("frames/latin1.png"), synth::RenderTickets({"caf\xE9"}));
  const ProcessOutput o = RunCheckin({"decode", "--json", dir_.File("frames/latin1.png")});
  EXPECT_EQ(o.rc, 1) << "no valid code in the file: " << o.out << o.err;
  nlohmann::json j = FirstLine(o.out);  // not const: a missing member reads as null
  ASSERT_EQ(j["codes"].size(), 1u) << o.out;
  EXPECT_NE(j["codes"][0]["text"], "café") << "ZXing's text, not what the scanner redeems";
  EXPECT_EQ(j["codes"][0]["text"], "caf\\xE9");
  EXPECT_EQ(j["codes"][0]["valid"], false);
  EXPECT_EQ(j["codes"][0]["invalid"], "bad_utf8");
  const ProcessOutput human = RunCheckin({"decode", dir_.File("frames/latin1.png")});
  EXPECT_NE(human.out.find("caf\\xE9 [plain] not a valid ticket code (bad_utf8)"),
            std::string::npos)
      << human.out;

  // The scanner, on the same image: the same payload, the same judgement.
  const std::string db = dir_.File("kcd.db");
  ASSERT_EQ(RunCheckin({"init", "--db", db, "--event", "KCD"}).rc, 0);
  const ProcessOutput scan =
      RunCheckin({"scan", "--source", dir_.File("frames"), "--headless", "--json", "--db", db});
  nlohmann::json decision = FirstLine(scan.out);
  EXPECT_EQ(decision["verdict"], "invalid") << scan.out;
  EXPECT_EQ(decision["code"], j["codes"][0]["text"]) << scan.out;
}

TEST_F(DecodeCliTest, ValidCodesReadAsBefore) {
  cv::imwrite(dir_.File("ok.png"), synth::RenderTickets({"KCD26-2IBYYURL7B"}));
  const ProcessOutput o = RunCheckin({"decode", "--json", dir_.File("ok.png")});
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  nlohmann::json j = FirstLine(o.out);  // not const: a missing member reads as null
  ASSERT_EQ(j["codes"].size(), 1u) << o.out;
  EXPECT_EQ(j["codes"][0]["text"], "KCD26-2IBYYURL7B");
  EXPECT_EQ(j["codes"][0]["valid"], true);
  EXPECT_FALSE(j["codes"][0].contains("invalid"));
}

// A 16000 x 16000 PNG of a few kilobytes once took 12 s and 2.1 GB: its size
// is read from its header and it is refused before anything is decoded.
TEST_F(DecodeCliTest, HugeImageIsRefusedBeforeDecoding) {
  const std::string png = dir_.File("huge.png");
  WriteBlankPng(png, 16000);
  EXPECT_LT(std::filesystem::file_size(png), 300u * 1024) << "the hostile file is small";
  // Through GNU time, a small process: a child's peak memory as the kernel
  // counts it starts at its parent's size when forked, and this test
  // process has grown by the other tests' frames.
  const ProcessOutput o = checkin::testing::RunProcess(
      "/usr/bin/time", {"-f", "peak_kib=%M", CHECKIN_BINARY, "decode", png});
  EXPECT_EQ(o.rc, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("16000x16000 pixels"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("scale it down"), std::string::npos) << o.err;
  const size_t at = o.err.rfind("peak_kib=");
  ASSERT_NE(at, std::string::npos) << o.err;
  // 16000^2 pixels are 256 MB in grey and 768 MB in colour (the sanitizer
  // build alone takes about 150 MB).
  EXPECT_LT(std::stol(o.err.substr(at + 9)), 256 * 1024) << "peak memory of checkin decode, KiB";

  const ProcessOutput json = RunCheckin({"decode", "--json", png});
  EXPECT_EQ(json.rc, 2);
  EXPECT_NE(FirstLine(json.out)["error"].get<std::string>().find("16000x16000"), std::string::npos)
      << json.out;
}

// A big JPEG (a 48-megapixel phone photo) is decoded at a reduced scale
// rather than refused: libjpeg never builds the full image.
TEST_F(DecodeCliTest, BigJpegIsReadAtReducedScale) {
  const std::string jpg = dir_.File("photo.jpg");
  cv::imwrite(jpg, cv::Mat(4500, 6000, CV_8UC3, cv::Scalar(200, 200, 200)));
  const ProcessOutput o = RunCheckin({"decode", jpg});
  EXPECT_EQ(o.rc, 1) << o.err;
  EXPECT_NE(o.out.find("no QR code found (3000x2250)"), std::string::npos) << o.out << o.err;
}

}  // namespace
}  // namespace checkin
