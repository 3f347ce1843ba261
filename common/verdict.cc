#include "common/verdict.h"

#include <algorithm>

#include "common/text.h"

namespace checkin {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kAdmitted:
      return "admitted";
    case Verdict::kAlreadyCheckedIn:
      return "already_checked_in";
    case Verdict::kUnknown:
      return "unknown";
    case Verdict::kCancelled:
      return "cancelled";
    case Verdict::kNotAllowed:
      return "not_allowed";
    case Verdict::kInvalid:
      return "invalid";
  }
  return "invalid";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (Verdict v : {Verdict::kAdmitted, Verdict::kAlreadyCheckedIn, Verdict::kUnknown,
                    Verdict::kCancelled, Verdict::kNotAllowed, Verdict::kInvalid}) {
    if (VerdictName(v) == name) return v;
  }
  return std::nullopt;
}

std::string_view DirectionName(Direction d) { return d == Direction::kEntry ? "entry" : "exit"; }

std::optional<Direction> ParseDirection(std::string_view name) {
  if (name == "entry") return Direction::kEntry;
  if (name == "exit") return Direction::kExit;
  return std::nullopt;
}

std::string_view ScanSourceName(ScanSource s) {
  switch (s) {
    case ScanSource::kCamera:
      return "camera";
    case ScanSource::kKeyboard:
      return "keyboard";
    case ScanSource::kManual:
      return "manual";
  }
  return "manual";
}

std::optional<ScanSource> ParseScanSource(std::string_view name) {
  for (ScanSource s : {ScanSource::kCamera, ScanSource::kKeyboard, ScanSource::kManual}) {
    if (ScanSourceName(s) == name) return s;
  }
  return std::nullopt;
}

bool Gate::AdmitsTicketType(std::string_view ticket_type) const {
  if (ticket_types.empty()) return true;
  const std::string folded = Fold(ticket_type);
  return std::any_of(ticket_types.begin(), ticket_types.end(),
                     [&](const std::string& t) { return Fold(t) == folded; });
}

bool Gate::OpenOn(std::string_view local_date) const {
  return days.empty() || std::find(days.begin(), days.end(), local_date) != days.end();
}

Ruling Decide(const DecisionInput& in) {
  if (in.attendee == nullptr) return {Verdict::kUnknown, "unknown_code"};
  const Attendee& a = *in.attendee;
  if (a.status != TicketStatus::kValid) {
    return {Verdict::kCancelled, std::string(TicketStatusName(a.status))};
  }
  const bool inside = in.last.has_value() && in.last->direction == Direction::kEntry;
  if (in.direction == Direction::kEntry) {
    // Someone already inside is told so even at the wrong gate: that is the
    // more useful answer for the volunteer.
    if (inside) return {Verdict::kAlreadyCheckedIn, "already_inside"};
    // The platform's own refusals come before ours: they say what to fix.
    if (!a.blocked.empty()) return {Verdict::kNotAllowed, "blocked"};
    // Both sides are FormatUtc text, which sorts as time.
    if (!a.valid_from.empty() && in.now_utc < a.valid_from) {
      return {Verdict::kNotAllowed, "not_yet_valid"};
    }
    if (!a.valid_until.empty() && in.now_utc > a.valid_until) {
      return {Verdict::kNotAllowed, "no_longer_valid"};
    }
    if (in.gate != nullptr && !in.gate->AdmitsTicketType(a.ticket_type)) {
      return {Verdict::kNotAllowed, "ticket_type_not_allowed"};
    }
    if (in.gate != nullptr && !in.gate->OpenOn(in.local_date)) {
      return {Verdict::kNotAllowed, "wrong_day"};
    }
    return {Verdict::kAdmitted, ""};
  }
  if (!inside) return {Verdict::kNotAllowed, "not_inside"};
  return {Verdict::kAdmitted, ""};
}

}  // namespace checkin
