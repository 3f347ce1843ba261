#include "scanner/banner.h"

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
  b.detail = VolunteerMessage(d, lang, tz);
  return b;
}

}  // namespace checkin::scanner
