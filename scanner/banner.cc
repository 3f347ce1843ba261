#include "scanner/banner.h"

#include "common/text.h"

namespace checkin::scanner {

Banner BannerFor(const Decision& d, Language lang, const std::string& tz) {
  Banner b;
  b.tone = d.verdict == Verdict::kAdmitted           ? Tone::kGreen
           : d.verdict == Verdict::kAlreadyCheckedIn ? Tone::kAmber
                                                     : Tone::kRed;
  b.title = VerdictLabel(d.verdict, lang);
  if (d.attendee) {
    b.name = d.attendee->FullName();
    if (!d.attendee->ticket_type.empty()) b.name += " · " + d.attendee->ticket_type;
  } else {
    b.name = d.code;
  }
  // The name and the code come from outside files and payloads.
  b.name = ForTerminal(b.name);
  b.detail = VolunteerMessage(d, lang, tz);
  if (d.offline) b.band = HubAwayLine(lang);
  return b;
}

}  // namespace checkin::scanner
