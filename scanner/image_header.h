// ImageHeader: an image file's size read from its header, before anything is
// decoded (a few hundred bytes of PNG can claim 16000x16000 pixels). PNG,
// JPEG, BMP, WebP, TIFF and PGM/PPM. Pure over the stream; thread-compatible.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>

namespace checkin::scanner {

struct ImageHeader {
  uint64_t width = 0, height = 0;
  bool jpeg = false;  // libjpeg can decode it at 1/2, 1/4 or 1/8 scale
};

// Reads from the start of `in`. nullopt for another format or a header it
// cannot follow (truncated, or a JPEG with no frame header).
std::optional<ImageHeader> ReadImageHeader(std::istream& in);

}  // namespace checkin::scanner
