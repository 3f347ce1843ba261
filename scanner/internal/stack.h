// Frame stacking for the live decoder: the same ticket over a few consecutive
// frames, aligned to the newest and combined, so that sensor noise in a dim
// room or a highlight that moves with the hand, which defeat every single
// frame, average out. For scanner/*.cc only: it speaks OpenCV's types. One
// FrameStack per Decoder; not thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <opencv2/core/mat.hpp>
#include <vector>

namespace checkin::scanner {

// A combined view of one region of the newest frame.
struct Stacked {
  cv::Mat image;       // CV_8U
  cv::Point2f origin;  // the region's top-left, in the newest frame's pixels
};

class FrameStack {
 public:
  // The last frames kept besides the newest: five cover a sixth of a second
  // at 30 fps, about as long as a held ticket stays put to a few pixels.
  static constexpr size_t kHistory = 5;

  // Adds `gray` (CV_8U, the newest frame, in which nothing was read) and
  // returns combinations of it with the frames before it, over the places
  // that look most like a code, most promising first. Empty until there are enough
  // frames of what looks like one scene; forgets the older frames when the
  // scene changes. Stops early, returning what it has, when `yield` says so.
  std::vector<Stacked> Add(const cv::Mat& gray, const std::function<bool()>& yield);

  // Forgets every frame: a code was read, so the next one is a new ticket.
  void Clear() { frames_.clear(); }

 private:
  struct Kept {
    cv::Mat gray;   // full size, owned
    cv::Mat half;   // half the size, to look for the code in
    cv::Mat thumb;  // CV_32F, a 32nd of the size, to tell scenes apart
  };
  std::deque<Kept> frames_;  // oldest first; the newest is last
};

}  // namespace checkin::scanner
