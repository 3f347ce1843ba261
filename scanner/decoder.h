// Decoder: QR codes out of one frame, with ZXing-cpp 1.4 plus the remedies
// for what a plain ReadBarcodes misses at a venue door (dark-mode phones,
// small, blurred, dim or glared codes). Pure over the frame; one Decoder per
// thread (live mode remembers which remedy comes next).
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "scanner/frame.h"

namespace checkin::scanner {

struct Point {
  float x = 0, y = 0;
};

struct Detection {
  std::string text;                // as ZXing reads it, UTF-8
  std::string bytes;               // the raw payload, what the check-in desk judges
  std::array<Point, 4> corners{};  // in frame pixels, clockwise from top-left
  std::string remedy;              // the attempt that found it ("plain", "inverted", ...)
};

// Every frame gets the plain attempt and the inverted one (dark-mode phones).
enum class Effort {
  // Still images (`checkin decode`): then every other remedy, in order of
  // cost, until one finds a code.
  kStill,
  // Video: when those find nothing, one other remedy, taking turns, so
  // the frames of one presentation share the remedies and no frame costs
  // more than three attempts; then the last few frames nothing was read in,
  // aligned and combined where sensor noise is worth beating (a dim room).
  kLive,
};

// Live only: whether the frames nothing was read in are combined (kOn) or
// each stands alone (kOff, the baseline scan_bench measures stacking against).
enum class Stacking { kOn, kOff };

class FrameStack;

class Decoder {
 public:
  explicit Decoder(Effort effort, Stacking stacking = Stacking::kOn);
  ~Decoder();

  // Every distinct QR code in `frame`. InvalidInput for a malformed frame.
  // `newer_frame`, if set, is asked between the costlier attempts; when it
  // says a newer frame is waiting, the remaining remedies are skipped.
  Result<std::vector<Detection>> Decode(const Frame& frame,
                                        const std::function<bool()>& newer_frame = {});

 private:
  Effort effort_;
  size_t next_remedy_ = 0;
  std::unique_ptr<FrameStack> stack_;  // live, stacking on: the recent frames nothing was read in
};

// ZXing-cpp's ReadBarcodes on the frame's grey image, nothing else: the
// baselines the benchmarks compare against. kQrOnly (the fair one: what a
// user of ZXing who wants QR codes would ask) sets only the QR format;
// kAllFormats keeps ZXing's default hints, which look for every format.
enum class RawFormats { kQrOnly, kAllFormats };
Result<std::vector<Detection>> DecodeRawZxing(const Frame& frame,
                                              RawFormats formats = RawFormats::kQrOnly);

}  // namespace checkin::scanner
