// Paper that is not flat: bent round a cylinder, crumpled, and seen at a tilt.
// Internal to checkin_synth; pure functions.
#pragma once

#include <cstdint>

#include "tests/synth/card.h"
#include "tests/synth/synth.h"

namespace checkin::synth {

// Bends the card round a cylinder (t.curvature, t.bend_axis_deg); lays the
// shading of the bend into card->shade.
void Bend(double curvature, double axis_deg, Card* card);

// Crumples the card (t.crumple; `seed` picks the waves) and moves every height
// off its plane, the bend's included, by the parallax of t's tilt.
void Relief(const TicketSpec& t, uint64_t seed, Card* card);

}  // namespace checkin::synth
