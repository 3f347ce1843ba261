// The shared corpus of real photographs of QR codes (zxing-cpp's blackbox
// test images, ../shared/corpora/zxing-qrcode): each image with the exact
// text it holds, read at 0, 90, 180 and 270 degrees as zxing-cpp's own test
// runner reads it. For the decoder's regression test and scan_bench.
#pragma once

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace checkin::synth {

struct PhotoCase {
  std::string folder;    // "qrcode-2"
  std::string file;      // "#128.png"
  int rotation = 0;      // degrees clockwise: 0, 90, 180, 270
  cv::Mat gray;          // CV_8UC1, already rotated
  std::string expected;  // the .txt's bytes, line breaks as they are
  std::string name() const { return folder + "/" + file + "@" + std::to_string(rotation); }
};

// Where the corpus is when the project's clone has ../shared beside it (CI
// and the developers' machines): `source_dir`/../shared/corpora/zxing-qrcode.
std::string PhotoCorpusDir(const std::string& source_dir);

// Every image of every qrcode-* folder of `dir` with its .txt, at the four
// rotations, sorted by folder, file and rotation. Empty, with `error` set,
// when the folder is missing or an image cannot be read.
std::vector<PhotoCase> LoadPhotoCorpus(const std::string& dir, std::string* error);

}  // namespace checkin::synth
