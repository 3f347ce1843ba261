// Frame: one picture from a camera, stream, video file or image folder, as
// the scanner passes it between threads. Owned pixels, standard types only,
// so nothing outside scanner/*.cc sees OpenCV. Thread-compatible.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace checkin::scanner {

struct Frame {
  int width = 0, height = 0;
  int channels = 0;             // 1 (grey) or 3 (BGR, as cameras deliver)
  std::vector<uint8_t> pixels;  // row-major, width * height * channels bytes
  int64_t index = 0;            // 1-based position in its source
  // When the scan loop read it (its Clock), for latency.
  std::chrono::steady_clock::time_point captured;
  // Position on the source's own timeline: wall time for cameras, frame
  // index over frame rate for files, so a video decoded faster than real
  // time still debounces as it was filmed.
  std::chrono::microseconds media_time{0};

  bool Valid() const {
    return width > 0 && height > 0 && (channels == 1 || channels == 3) &&
           pixels.size() == static_cast<size_t>(width) * static_cast<size_t>(height) *
                                static_cast<size_t>(channels);
  }
};

// A frame holding a copy of `height` rows of `width` pixels of `channels`
// bytes each, rows `row_bytes` apart in `data`.
inline Frame CopyFrame(const uint8_t* data, int width, int height, int channels, size_t row_bytes) {
  Frame f;
  f.width = width;
  f.height = height;
  f.channels = channels;
  const size_t row = static_cast<size_t>(width) * static_cast<size_t>(channels);
  f.pixels.resize(row * static_cast<size_t>(height));
  for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
    std::copy_n(data + y * row_bytes, row, f.pixels.data() + y * row);
  }
  return f;
}

}  // namespace checkin::scanner
