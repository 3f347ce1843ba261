// QR codes drawn by the project itself (ZXing-cpp's writer), as a matrix of
// modules the renderer paints. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace checkin::printer {

struct QrMatrix {
  int size = 0;            // modules per side, quiet zone excluded
  std::vector<bool> dark;  // row-major, size * size
  bool at(int x, int y) const { return dark[static_cast<size_t>(y * size + x)]; }
};

// Error correction level M: survives a scuffed badge, stays small.
Result<QrMatrix> EncodeQr(const std::string& text);

}  // namespace checkin::printer
