// Deterministic randomness for the synthetic frames: SplitMix64 and our own
// distributions, because std:: distributions differ between standard libraries
// and the corpus must not. Internal to checkin_synth; an Rng is not thread-safe.
//
// C++ leaves the order of function arguments unspecified, so never draw twice
// in one call's argument list; braced lists are evaluated left to right.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <opencv2/core/types.hpp>

namespace checkin::synth {

inline uint64_t Finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// A seed for a part of a scene, so that parts do not shift when others change.
inline uint64_t Mix(uint64_t a, uint64_t b) { return Finalize(a + kGolden * (Finalize(b) | 1)); }

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Finalize(state_ += kGolden); }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }
  int Int(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  // A muted colour: a grey level, tinted a little.
  cv::Scalar Colour(double lo, double hi) {
    const double g = Uniform(lo, hi);
    return {g + Uniform(-25, 25), g + Uniform(-25, 25), g + Uniform(-25, 25)};
  }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[static_cast<size_t>(Int(0, static_cast<int>(N) - 1))];
  }

 private:
  uint64_t state_;
};

inline cv::Scalar Grey(double v) { return {v, v, v}; }

}  // namespace checkin::synth
