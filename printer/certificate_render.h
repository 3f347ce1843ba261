// Certificates of attendance: one A4 landscape page per attendee, with the
// name as registered, the event, the dates, the hours when exits were
// scanned, and the verification code in words and as a QR. Pure (data in,
// PDF bytes out); reads only font files. Thread-safe: each call builds its
// own document.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/messages.h"
#include "common/result.h"
#include "printer/certificate_template.h"

namespace checkin::printer {

struct Certificate {
  int64_t attendee_id = 0;  // for error messages, which carry no names
  std::string name;         // exactly as registered
  std::string ticket_type;
  std::vector<std::string> dates;  // local dates attended, "2026-11-28", ascending
  std::optional<int64_t> minutes;  // time inside; none when no exit was scanned
  std::string code;                // the verification code, printed and in the QR
};

// "28 y 29 de noviembre de 2026" / "28 and 29 November 2026"; dates that are
// not YYYY-MM-DD are shown as they are.
std::string DatesText(const std::vector<std::string>& dates, Language lang);
// ", durante 4,5 horas" / ", for 4.5 hours"; '' when unknown or under a minute.
std::string HoursText(const std::optional<int64_t>& minutes, Language lang);

// One page per certificate in one document, each font embedded once.
// Names in a script DejaVu Sans lacks are drawn with the installed TrueType
// font that has it (common/font.h). InvalidInput, with attendee ids, for a
// name no installed font can draw; `progress(done, total)` is called as pages
// are laid out.
Result<std::string> RenderCertificates(const std::vector<Certificate>& certificates,
                                       const CertificateTemplate& words,
                                       const std::string& event_name, Language lang,
                                       const std::function<void(size_t, size_t)>& progress = {});

}  // namespace checkin::printer
