// The blurs of what moves and what stands near the camera: a hand's path
// during the exposure and a lens's disc out of focus. Internal to
// checkin_synth; pure functions.
#pragma once

#include <opencv2/core/mat.hpp>

#include "tests/synth/synth.h"

namespace checkin::synth {

// Smears `layer` (premultiplied, any float type) by spec's motion
// (motion_blur_px, motion_angle_deg, motion_curve, motion_ease), then blurs it
// by its lens disc (defocus_disc_px).
void Smear(const SceneSpec& spec, cv::Mat* layer);

// How far Smear spreads a pixel, in pixels.
int SmearReach(const SceneSpec& spec);

}  // namespace checkin::synth
