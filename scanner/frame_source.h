// FrameSource: where frames come from (the Camera seam of STYLE.md). Real
// sources are a V4L2 camera, an RTSP/HTTP stream, a video file or a folder of
// images, all through OpenCV; tests add fakes. One thread uses a source.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "scanner/frame.h"

namespace checkin::scanner {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Opens, or reopens after a loss. NotFound / Unavailable with the reason.
  virtual Status Open() = 0;
  // The next frame, without `index` and `captured` (the scan loop sets them).
  // nullopt at the end of a file or folder. Unavailable when a live source
  // has gone (reopen to resume); InvalidInput for one unreadable frame or
  // image (skip it and read on).
  virtual Result<std::optional<Frame>> Read() = 0;
  virtual void Close() = 0;
  // Cameras and streams: reconnect on loss, drop stale frames.
  virtual bool Live() const = 0;
  // Frames per second, for pacing files in real time; 0 if unknown.
  virtual double Fps() const = 0;
  // For people: what was asked for and, once open, what the device gave.
  virtual std::string Describe() const = 0;
};

// "0" or "/dev/video0" (V4L2, asks for MJPG 1280x720 at 30 fps), "rtsp://..."
// or "http(s)://..." (a stream), a video file, or a folder of images. Does not
// open it. InvalidInput for a spec that is none of these.
Result<std::unique_ptr<FrameSource>> MakeFrameSource(const std::string& spec);

// The most pixels an image file may hold (a 6000x4000 photo). A larger JPEG is
// decoded at 1/2, 1/4 or 1/8 scale to fit; any other larger image is refused
// before it is decoded, since a small PNG can unpack to gigabytes.
inline constexpr uint64_t kMaxImagePixels = 24'000'000;

// One image file as a frame (PNG, JPEG, BMP, WebP, TIFF, PGM/PPM).
// NotFound / InvalidInput naming the file (and its size when it is too large).
Result<Frame> LoadImage(const std::string& path);

}  // namespace checkin::scanner
