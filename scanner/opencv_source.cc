// The real frame sources, all through OpenCV: V4L2 cameras, FFmpeg for
// streams and video files, imread for image folders.
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <vector>

#include "common/number.h"
#include "common/text.h"
#include "scanner/frame_source.h"
#include "scanner/image_header.h"

namespace checkin::scanner {
namespace {

namespace fs = std::filesystem;

// Frames from OpenCV own their pixels; copy once into ours.
Frame ToFrame(const cv::Mat& m) {
  cv::Mat src = m;
  if (m.depth() != CV_8U) m.convertTo(src, CV_8U);
  if (src.channels() == 4) cv::cvtColor(src, src, cv::COLOR_BGRA2BGR);
  return CopyFrame(src.data, src.cols, src.rows, src.channels(), src.step);
}

std::string FourCc(double v) {
  const int c = static_cast<int>(v);
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const char ch = static_cast<char>((c >> (8 * i)) & 0xFF);
    s += std::isprint(static_cast<unsigned char>(ch)) ? ch : '?';
  }
  return s;
}

enum class Kind { kCamera, kStream, kFile };

// Cameras, streams and video files: one cv::VideoCapture.
class CaptureSource : public FrameSource {
 public:
  CaptureSource(Kind kind, std::string spec, int index)
      : kind_(kind), spec_(std::move(spec)), shown_(RedactUrl(spec_)), index_(index) {}

  Status Open() override {
    Close();
    bool ok = false;
    try {
      if (kind_ == Kind::kCamera) {
        ok = index_ >= 0 ? cap_.open(index_, cv::CAP_V4L2) : cap_.open(spec_, cv::CAP_V4L2);
        if (ok) {
          // Ask for what a laptop webcam does best; report what it gave.
          cap_.set(cv::CAP_PROP_FOURCC, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
          cap_.set(cv::CAP_PROP_FRAME_WIDTH, 1280);
          cap_.set(cv::CAP_PROP_FRAME_HEIGHT, 720);
          cap_.set(cv::CAP_PROP_FPS, 30);
          cap_.set(cv::CAP_PROP_BUFFERSIZE, 1);
        }
      } else {
        // FFmpeg reads streams and files; OpenCV's own MJPEG reader is the
        // fallback for its AVIs. Naming them skips probing every other
        // backend (GStreamer, image sequences, USB cameras) on a bad file.
        ok = cap_.open(spec_, cv::CAP_FFMPEG) ||
             (kind_ == Kind::kFile && cap_.open(spec_, cv::CAP_OPENCV_MJPEG));
      }
    } catch (const cv::Exception& e) {
      return Status::Unavailable("cannot open " + shown_ + ": " + e.what());
    }
    if (!ok || !cap_.isOpened()) {
      if (kind_ == Kind::kFile)
        return Status::InvalidInput("cannot read " + shown_ + " as a video");
      return Status::Unavailable(
          std::string(kind_ == Kind::kCamera ? "no camera answers at " : "no stream at ") + shown_);
    }
    fps_ = cap_.get(cv::CAP_PROP_FPS);
    given_ = std::to_string(static_cast<int>(cap_.get(cv::CAP_PROP_FRAME_WIDTH))) + "x" +
             std::to_string(static_cast<int>(cap_.get(cv::CAP_PROP_FRAME_HEIGHT))) + " " +
             FourCc(cap_.get(cv::CAP_PROP_FOURCC)) + " at " +
             std::to_string(static_cast<int>(fps_ + 0.5)) + " fps";
    return Status::Ok();
  }

  Result<std::optional<Frame>> Read() override {
    cv::Mat m;
    try {
      // A file may hold a damaged frame or two: skip a few before calling it the end.
      for (int tries = 0; tries < (kind_ == Kind::kFile ? 5 : 1); ++tries) {
        if (cap_.read(m) && !m.empty()) return std::optional<Frame>(ToFrame(m));
        if (kind_ == Kind::kFile &&
            cap_.get(cv::CAP_PROP_POS_FRAMES) >= cap_.get(cv::CAP_PROP_FRAME_COUNT))
          break;
      }
    } catch (const cv::Exception& e) {
      if (kind_ == Kind::kFile)
        return Status::InvalidInput(std::string("damaged frame: ") + e.what());
      return Status::Unavailable(shown_ + " failed: " + e.what());
    }
    if (kind_ == Kind::kFile) return std::optional<Frame>();
    return Status::Unavailable(shown_ + " stopped sending frames");
  }

  void Close() override {
    if (cap_.isOpened()) cap_.release();
  }
  bool Live() const override { return kind_ != Kind::kFile; }
  double Fps() const override { return fps_ > 0 && fps_ < 1000 ? fps_ : 0; }
  std::string Describe() const override {
    const char* what = kind_ == Kind::kCamera   ? "camera "
                       : kind_ == Kind::kStream ? "stream "
                                                : "video ";
    return what + shown_ + (given_.empty() ? "" : ": " + given_);
  }

 private:
  Kind kind_;
  std::string spec_;
  std::string shown_;  // spec_ without its passwords and tokens: it reaches screens and logs
  int index_;
  cv::VideoCapture cap_;
  double fps_ = 0;
  std::string given_;
};

bool IsImage(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* e :
       {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm"}) {
    if (ext == e) return true;
  }
  return false;
}

// A folder of images, read in name order.
class FolderSource : public FrameSource {
 public:
  explicit FolderSource(std::string dir) : dir_(std::move(dir)) {}

  Status Open() override {
    files_.clear();
    next_ = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
      if (e.is_regular_file(ec) && IsImage(e.path())) files_.push_back(e.path().string());
    }
    if (ec) return Status::NotFound("cannot list " + dir_ + ": " + ec.message());
    if (files_.empty()) return Status::InvalidInput("no images (.png, .jpg, ...) in " + dir_);
    std::sort(files_.begin(), files_.end());
    return Status::Ok();
  }

  Result<std::optional<Frame>> Read() override {
    if (next_ >= files_.size()) return std::optional<Frame>();
    auto frame = LoadImage(files_[next_++]);
    if (!frame.ok())
      return Status::InvalidInput(frame.status().message());  // one bad file: skip it
    return std::optional<Frame>(std::move(frame).value());
  }

  void Close() override {}
  bool Live() const override { return false; }
  double Fps() const override { return 0; }
  std::string Describe() const override {
    return "folder " + dir_ + " (" + std::to_string(files_.size()) + " images)";
  }

 private:
  std::string dir_;
  std::vector<std::string> files_;
  size_t next_ = 0;
};

// OpenCV and FFmpeg narrate every hiccup on stderr; a volunteer should see
// our one-line notices instead. Respects a level the user set.
void QuietLibraries() {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET, read when FFmpeg is first used
}

}  // namespace

Result<std::unique_ptr<FrameSource>> MakeFrameSource(const std::string& spec) {
  QuietLibraries();
  if (auto index = ParseInt(spec, 0, 999, "camera"); index.ok()) {
    const int i = static_cast<int>(*index);
    return std::unique_ptr<FrameSource>(
        new CaptureSource(Kind::kCamera, "/dev/video" + std::to_string(i), i));
  }
  if (spec.rfind("/dev/video", 0) == 0) {
    if (!fs::exists(spec))
      return Status::NotFound("no camera at " + spec +
                              " (is it plugged in? `ls /dev/video*` lists cameras)");
    return std::unique_ptr<FrameSource>(new CaptureSource(Kind::kCamera, spec, -1));
  }
  for (const char* scheme : {"rtsp://", "rtsps://", "http://", "https://"}) {
    if (spec.rfind(scheme, 0) == 0)
      return std::unique_ptr<FrameSource>(new CaptureSource(Kind::kStream, spec, -1));
  }
  std::error_code ec;
  if (fs::is_directory(spec, ec)) return std::unique_ptr<FrameSource>(new FolderSource(spec));
  if (fs::is_regular_file(spec, ec))
    return std::unique_ptr<FrameSource>(new CaptureSource(Kind::kFile, spec, -1));
  return Status::NotFound(
      "no camera, stream, video file or image folder called '" + RedactUrl(spec) +
      "' (a camera is 0 or /dev/video0; a stream starts with rtsp:// or http://)");
}

Result<Frame> LoadImage(const std::string& path) {
  QuietLibraries();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return Status::NotFound("no such file: " + path);
  // The size is checked before anything is decoded: a few hundred bytes of
  // PNG can claim 16000x16000 pixels, gigabytes once decoded. (OpenCV's own
  // OPENCV_IO_MAX_IMAGE_PIXELS is read before main() and allows a gigapixel.)
  std::ifstream file(path, std::ios::binary);
  const auto h = ReadImageHeader(file);
  if (!h)
    return Status::InvalidInput("cannot read " + path +
                                " as an image (damaged, or not PNG, JPEG, BMP, WebP, TIFF, PGM)");
  int flags = cv::IMREAD_COLOR;
  if (h->width * h->height > kMaxImagePixels) {
    // libjpeg decodes at 1/2, 1/4 or 1/8 scale without the full image ever
    // existing (a 48-megapixel phone photo); PNG has no such shortcut.
    const uint64_t pixels = h->width * h->height;
    flags = !h->jpeg                         ? -1
            : pixels / 4 <= kMaxImagePixels  ? cv::IMREAD_REDUCED_COLOR_2
            : pixels / 16 <= kMaxImagePixels ? cv::IMREAD_REDUCED_COLOR_4
            : pixels / 64 <= kMaxImagePixels ? cv::IMREAD_REDUCED_COLOR_8
                                             : -1;
    if (flags == -1) {
      return Status::InvalidInput(path + " is " + std::to_string(h->width) + "x" +
                                  std::to_string(h->height) + " pixels, more than " +
                                  std::to_string(kMaxImagePixels / 1000000) +
                                  " megapixels: scale it down and try again");
    }
  }
  cv::Mat m;
  try {
    m = cv::imread(path, flags);
  } catch (const cv::Exception&) {
    m.release();
  }
  if (m.empty())
    return Status::InvalidInput("cannot read " + path +
                                " as an image (damaged, or not PNG/JPEG/...)");
  return ToFrame(m);
}

}  // namespace checkin::scanner
