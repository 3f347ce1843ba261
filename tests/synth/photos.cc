#include "tests/synth/photos.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

namespace checkin::synth {

namespace fs = std::filesystem;

std::string PhotoCorpusDir(const std::string& source_dir) {
  return (fs::path(source_dir) / ".." / "shared" / "corpora" / "zxing-qrcode").lexically_normal();
}

std::vector<PhotoCase> LoadPhotoCorpus(const std::string& dir, std::string* error) {
  std::vector<PhotoCase> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    *error = "the photo corpus is not at " + dir + " (the shared/ folder beside the clone)";
    return {};
  }
  std::vector<fs::path> images;
  for (const auto& folder : fs::directory_iterator(dir)) {
    if (!folder.is_directory() || folder.path().filename().string().rfind("qrcode-", 0) != 0)
      continue;
    for (const auto& f : fs::directory_iterator(folder.path())) {
      const std::string ext = f.path().extension().string();
      if (ext == ".png" || ext == ".jpg" || ext == ".webp") images.push_back(f.path());
    }
  }
  std::sort(images.begin(), images.end());
  for (const fs::path& image : images) {
    fs::path txt = image;
    txt.replace_extension(".txt");
    std::ifstream in(txt, std::ios::binary);
    if (!in) {
      *error = "no text beside " + image.string();
      return {};
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string expected = text.str();
    cv::Mat gray = cv::imread(image.string(), cv::IMREAD_GRAYSCALE);
    if (gray.empty()) {
      *error = "OpenCV cannot read " + image.string();
      return {};
    }
    for (int rotation : {0, 90, 180, 270}) {
      PhotoCase c;
      c.folder = image.parent_path().filename().string();
      c.file = image.filename().string();
      c.rotation = rotation;
      c.expected = expected;
      if (rotation == 0) {
        c.gray = gray;
      } else {
        cv::rotate(gray, c.gray,
                   rotation == 90    ? cv::ROTATE_90_CLOCKWISE
                   : rotation == 180 ? cv::ROTATE_180
                                     : cv::ROTATE_90_COUNTERCLOCKWISE);
      }
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) *error = "no images in " + dir;
  return out;
}

}  // namespace checkin::synth
