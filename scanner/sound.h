// Sound at the station: a bright rising chime for admitted, a low double
// buzz for every denial, a single mid tone for "already checked in", so a
// volunteer hears the answer without looking. Played by ALSA's aplay in the
// background; a terminal bell when aplay is missing. One thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scanner/banner.h"

namespace checkin::scanner {

// The tone for `t` as a WAV file (16-bit mono PCM, 16 kHz). Pure.
std::string ToneWav(Tone t);

class Beeper {
 public:
  // Writes the three tones to a private temporary folder.
  Beeper();
  ~Beeper();
  // Starts playing and returns at once.
  void Play(Tone t);

 private:
  std::string dir_;
  std::vector<int> children_;
};

}  // namespace checkin::scanner
