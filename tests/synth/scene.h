// Composes frames: the room and the person at the desk, the tickets as a webcam
// sees them, then lens and sensor. Internal to checkin_synth; pure functions.
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>

#include "tests/synth/synth.h"

namespace checkin::synth {

struct Person {
  cv::Scalar skin, shirt, hair;
  double x = 0.5;  // centre of the body, as a fraction of the frame width
};

// The person in a scene, standing behind the ticket they hold up near ticket_x.
Person PickPerson(uint64_t seed, double ticket_x);

// The room with the person in it: what the tickets are composited over.
cv::Mat RenderRoom(const Person& person, uint64_t seed, cv::Size size);

// The rest of `spec` over `room`: arms, tickets, glare, blur, exposure, noise,
// JPEG. `noise_salt` varies the sensor noise between the frames of a video.
// Throws std::invalid_argument for a payload no QR code holds or a silly module size.
cv::Mat ComposeScene(const cv::Mat& room, const Person& person, const SceneSpec& spec,
                     uint64_t noise_salt);

// The frame-space box of a ticket's body, thumbs left out.
cv::Rect2d BodyBox(const TicketSpec& t, cv::Size frame);

// Throws std::invalid_argument unless both sides are 16..16384.
cv::Size FrameSize(int width, int height);

}  // namespace checkin::synth
