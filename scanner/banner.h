// Banner: what the station screen shows for a decision, readable from two
// metres: a colour, a shouted verdict, the attendee, what to do next. Pure.
#pragma once

#include <string>

#include "common/messages.h"
#include "common/verdict.h"

namespace checkin::scanner {

enum class Tone { kGreen, kAmber, kRed };

struct Banner {
  Tone tone = Tone::kRed;
  std::string title;   // "ADMITIDO"
  std::string name;    // "María José Muñoz Peña · Speaker", or the code
  std::string detail;  // the volunteer message: when and where, what to do
  std::string band;    // decided without the hub: HubAwayLine; empty otherwise
};

// `tz` is the event's time zone, for "ya ingresó a las 08:12". Every field is
// safe to print (ForTerminal, common/text.h).
Banner BannerFor(const Decision& d, Language lang, const std::string& tz);

}  // namespace checkin::scanner
