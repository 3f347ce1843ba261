#include "scanner/image_header.h"

#include <cctype>
#include <string>

namespace checkin::scanner {
namespace {

std::string Bytes(std::istream& in, size_t n) {
  std::string b(n, '\0');
  in.read(b.data(), static_cast<std::streamsize>(n));
  return in.gcount() == static_cast<std::streamsize>(n) ? b : std::string();
}

uint64_t Big(const std::string& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

uint64_t Little(const std::string& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// JPEG: the segments up to the first start-of-frame (EXIF and ICC come first).
std::optional<ImageHeader> Jpeg(std::istream& in) {
  for (int segments = 0; segments < 10000; ++segments) {
    std::string m = Bytes(in, 2);
    while (m.size() == 2 && m == "\xFF\xFF") m = "\xFF" + Bytes(in, 1);  // fill bytes
    if (m.size() != 2 || m[0] != '\xFF') return std::nullopt;
    const auto marker = static_cast<unsigned char>(m[1]);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    const std::string len = Bytes(in, 2);
    if (len.empty() || Big(len, 0, 2) < 2) return std::nullopt;
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      const std::string f = Bytes(in, 5);  // precision, height, width
      if (f.empty()) return std::nullopt;
      return ImageHeader{Big(f, 3, 2), Big(f, 1, 2), true};
    }
    in.seekg(static_cast<std::streamoff>(Big(len, 0, 2) - 2), std::ios::cur);
  }
  return std::nullopt;
}

// TIFF: tags 256 (width) and 257 (height) of the first image directory.
std::optional<ImageHeader> Tiff(std::istream& in, const std::string& head) {
  const bool le = head[0] == 'I';
  auto num = [le](const std::string& b, size_t at, size_t n) {
    return le ? Little(b, at, n) : Big(b, at, n);
  };
  in.seekg(static_cast<std::streamoff>(num(head, 4, 4)), std::ios::beg);
  const std::string count = Bytes(in, 2);
  if (count.empty()) return std::nullopt;
  ImageHeader h;
  for (uint64_t i = 0, n = num(count, 0, 2); i < n && i < 1000; ++i) {
    const std::string e = Bytes(in, 12);
    if (e.empty()) return std::nullopt;
    const uint64_t tag = num(e, 0, 2), type = num(e, 2, 2);
    const uint64_t value = type == 3 ? num(e, 8, 2) : num(e, 8, 4);  // SHORT or LONG
    if (tag == 256) h.width = value;
    if (tag == 257) h.height = value;
  }
  if (h.width == 0 || h.height == 0) return std::nullopt;
  return h;
}

// PGM/PPM/PBM: "P5 <width> <height> ..." with comments and any whitespace.
std::optional<ImageHeader> Pnm(std::istream& in) {
  uint64_t dims[2] = {0, 0};
  for (uint64_t& d : dims) {
    int c = in.get();
    while (c != EOF && (std::isspace(c) != 0 || c == '#')) {
      if (c == '#') in.ignore(4096, '\n');
      c = in.get();
    }
    int digits = 0;
    for (; c != EOF && std::isdigit(c) != 0 && digits < 12; c = in.get(), ++digits)
      d = d * 10 + static_cast<uint64_t>(c - '0');
    if (digits == 0 || digits == 12) return std::nullopt;
  }
  return ImageHeader{dims[0], dims[1], false};
}

// WebP: the canvas of VP8X, or the frame of a simple lossy (VP8) or lossless
// (VP8L) file.
std::optional<ImageHeader> Webp(const std::string& h) {
  const std::string chunk = h.substr(12, 4);
  if (chunk == "VP8X") return ImageHeader{Little(h, 24, 3) + 1, Little(h, 27, 3) + 1, false};
  if (chunk == "VP8 ")
    return ImageHeader{Little(h, 26, 2) & 0x3FFF, Little(h, 28, 2) & 0x3FFF, false};
  if (chunk == "VP8L") {
    const uint64_t bits = Little(h, 21, 4);
    return ImageHeader{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, false};
  }
  return std::nullopt;
}

std::optional<ImageHeader> Sniff(std::istream& in) {
  const std::string head = Bytes(in, 2);
  if (head.empty()) return std::nullopt;
  if (head == "\xFF\xD8") return Jpeg(in);
  if (head[0] == 'P' && head[1] >= '1' && head[1] <= '6') return Pnm(in);
  const std::string rest = Bytes(in, 28);
  if (rest.empty()) return std::nullopt;
  const std::string h = head + rest;
  if (h.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0 && h.compare(12, 4, "IHDR") == 0)
    return ImageHeader{Big(h, 16, 4), Big(h, 20, 4), false};
  if (head == "BM") {
    if (Little(h, 14, 4) == 12) return ImageHeader{Little(h, 18, 2), Little(h, 20, 2), false};
    // BITMAPINFOHEADER and later: a negative height means rows run top-down.
    const int64_t height = static_cast<int32_t>(static_cast<uint32_t>(Little(h, 22, 4)));
    return ImageHeader{Little(h, 18, 4), static_cast<uint64_t>(height < 0 ? -height : height),
                       false};
  }
  if (h.compare(0, 4, "RIFF") == 0 && h.compare(8, 4, "WEBP") == 0) return Webp(h);
  if (h.compare(0, 4, "II*\0", 4) == 0 || h.compare(0, 4, "MM\0*", 4) == 0) return Tiff(in, h);
  return std::nullopt;
}

}  // namespace

std::optional<ImageHeader> ReadImageHeader(std::istream& in) {
  auto h = Sniff(in);
  // A zero side is no size we can vouch for (a JPEG may leave its height to
  // a later DNL marker, found by fuzzing): refuse rather than guess small.
  if (h && (h->width == 0 || h->height == 0)) return std::nullopt;
  return h;
}

}  // namespace checkin::scanner
