// PreviewWindow: the station screen (OpenCV highgui). The live picture with
// each decoded code outlined, and the latest decision as a large banner.
// Needs a display; one thread (the one that created it) uses it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "scanner/banner.h"
#include "scanner/decoder.h"
#include "scanner/frame.h"

namespace checkin::scanner {

// Draws the station view onto a copy of a frame: each code outlined, the
// banner across the bottom third. Needs no display (tests and screenshots use
// it); the window shows what it paints. One thread.
class StationPainter {
 public:
  // NotFound when the TrueType font cannot be loaded.
  static Result<std::unique_ptr<StationPainter>> Create(const std::string& font_path);
  ~StationPainter();
  // A BGR frame the size of `frame`. `band`, when not empty, runs across
  // the top (the station deciding without its hub), banner or not.
  Frame Paint(const Frame& frame, const std::vector<Detection>& codes,
              const std::optional<Banner>& banner, const std::string& band = "");

 private:
  struct Face;
  explicit StationPainter(std::unique_ptr<Face> face);
  std::unique_ptr<Face> face_;
};

// `frame` as JPEG bytes at `quality` (1-100), for the door screen's camera
// stream. InvalidInput for an invalid frame; DeviceError if OpenCV fails.
Result<std::string> EncodeJpeg(const Frame& frame, int quality);

class PreviewWindow {
 public:
  // Unavailable when there is no display (then run with --headless).
  static Result<std::unique_ptr<PreviewWindow>> Open(const std::string& title,
                                                     const std::string& font_path);
  ~PreviewWindow();

  // Draws the frame, outlines, `banner` and `band` if set (as
  // StationPainter::Paint); pumps window events.
  void Show(const Frame& frame, const std::vector<Detection>& codes,
            const std::optional<Banner>& banner, const std::string& band = "");
  // Pumps window events; true once the volunteer pressed Esc or q or closed it.
  bool QuitRequested();

 private:
  PreviewWindow(std::string title, std::unique_ptr<StationPainter> painter);
  std::string title_;
  std::unique_ptr<StationPainter> painter_;
  bool quit_ = false;
};

}  // namespace checkin::scanner
