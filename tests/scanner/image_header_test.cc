#include "scanner/image_header.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "tests/fakes/test_db.h"

namespace checkin::scanner {
namespace {

// Every format the scanner reads, written by OpenCV: the header gives the
// size imread would decode, without decoding.
TEST(ImageHeaderTest, ReadsTheSizeOfEveryFormatTheScannerTakes) {
  checkin::testing::TempDir dir;
  const cv::Mat colour(37, 53, CV_8UC3, cv::Scalar(10, 200, 30));
  const cv::Mat grey(37, 53, CV_8UC1, cv::Scalar(90));
  struct Case {
    std::string file;
    const cv::Mat* image;
    std::vector<int> params;
    bool jpeg;
  };
  const Case cases[] = {
      {"a.png", &colour, {}, false},
      {"g.png", &grey, {}, false},
      {"a.jpg", &colour, {}, true},
      {"p.jpg", &colour, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}, true},
      {"a.bmp", &colour, {}, false},
      {"lossy.webp", &colour, {cv::IMWRITE_WEBP_QUALITY, 80}, false},
      {"lossless.webp", &colour, {cv::IMWRITE_WEBP_QUALITY, 101}, false},
      {"a.tiff", &colour, {}, false},
      {"a.pgm", &grey, {}, false},
      {"a.ppm", &colour, {}, false},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(cv::imwrite(dir.File(c.file), *c.image, c.params)) << c.file;
    std::ifstream in(dir.File(c.file), std::ios::binary);
    const auto h = ReadImageHeader(in);
    ASSERT_TRUE(h.has_value()) << c.file;
    EXPECT_EQ(h->width, 53u) << c.file;
    EXPECT_EQ(h->height, 37u) << c.file;
    EXPECT_EQ(h->jpeg, c.jpeg) << c.file;
  }
}

TEST(ImageHeaderTest, OtherBytesHaveNoSize) {
  for (const std::string& bytes :
       {std::string(), std::string("junk"), std::string("\x89PNG\r\n\x1A\n", 8),
        std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10), std::string("P5\n#x\n"),
        std::string("RIFF\0\0\0\0WEBPXXXX", 16) + std::string(20, '\0'),
        // Found by make fuzz: a JPEG frame header with height 0 (left to a
        // DNL marker) is not a 0-pixel image to decode without a check.
        std::string("\xFF\xD8\xFF\xC0\x00\x0B\x08\x00\x00\x00\x28\x01\x01\x11\x00", 15)}) {
    std::istringstream in(bytes);
    EXPECT_FALSE(ReadImageHeader(in).has_value()) << bytes;
  }
}

}  // namespace
}  // namespace checkin::scanner
