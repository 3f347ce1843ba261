// FakeCamera: a FrameSource that replays a script of frames and faults (the
// camera unplugged, a corrupt frame, a camera that will not open), advancing
// a FakeClock by one frame time per frame.
#pragma once

#include <opencv2/core/mat.hpp>
#include <optional>
#include <vector>

#include "scanner/frame_source.h"
#include "tests/fakes/fake_clock.h"

namespace checkin::testing {

inline scanner::Frame FrameFromMat(const cv::Mat& bgr) {
  return scanner::CopyFrame(bgr.data, bgr.cols, bgr.rows, bgr.channels(), bgr.step);
}

class FakeCamera final : public scanner::FrameSource {
 public:
  enum class Kind { kFrame, kDisconnect, kUnreadable };
  struct Step {
    Kind kind = Kind::kFrame;
    scanner::Frame frame;
  };

  FakeCamera(FakeClock* clock, bool live) : clock_(clock), live_(live) {}

  std::vector<Step> script;
  int fail_opens = 0;    // the next this many Open() calls fail
  int fail_reopens = 0;  // after the first open, this many more fail
  int opens = 0;

  void AddFrame(const cv::Mat& bgr, int times = 1) {
    for (int i = 0; i < times; ++i) script.push_back({Kind::kFrame, FrameFromMat(bgr)});
  }
  void AddFault(Kind k) { script.push_back({k, {}}); }

  Status Open() override {
    ++opens;
    if (fail_opens > 0 || (opens > 1 && fail_reopens > 0)) {
      --(fail_opens > 0 ? fail_opens : fail_reopens);
      return Status::Unavailable("no camera answers at /dev/video9");
    }
    return Status::Ok();
  }
  Result<std::optional<scanner::Frame>> Read() override {
    if (next_ >= script.size()) return std::optional<scanner::Frame>();
    const Step& s = script[next_++];
    switch (s.kind) {
      case Kind::kDisconnect:
        return Status::Unavailable("camera unplugged");
      case Kind::kUnreadable:
        return Status::InvalidInput("corrupt JPEG frame");
      case Kind::kFrame:
        break;
    }
    if (clock_ != nullptr) clock_->Advance(std::chrono::microseconds(33333));
    return std::optional<scanner::Frame>(s.frame);
  }
  void Close() override {}
  bool Live() const override { return live_; }
  double Fps() const override { return 30; }
  std::string Describe() const override { return "fake camera"; }

 private:
  FakeClock* clock_;
  bool live_;
  size_t next_ = 0;
};

}  // namespace checkin::testing
