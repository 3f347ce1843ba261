// The verdict vocabulary every part of the product speaks (CLI, scanner, UI,
// reports), and Decide(): the pure rule that turns what we know about a code
// into a verdict. No I/O; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/attendee.h"

namespace checkin {

enum class Verdict {
  kAdmitted,
  kAlreadyCheckedIn,  // with when, where and by which station
  kUnknown,           // no such code
  kCancelled,         // cancelled or refunded upstream
  kNotAllowed,        // ticket type not valid at this gate or on this day
  kInvalid,           // payload malformed or too long
};
std::string_view VerdictName(Verdict v);  // "admitted", "already_checked_in", ...
std::optional<Verdict> ParseVerdict(std::string_view name);

enum class Direction { kEntry, kExit };
std::string_view DirectionName(Direction d);
std::optional<Direction> ParseDirection(std::string_view name);

enum class ScanSource { kCamera, kKeyboard, kManual };
std::string_view ScanSourceName(ScanSource s);
std::optional<ScanSource> ParseScanSource(std::string_view name);

// One admission that is still in force (not undone).
struct PreviousCheckin {
  std::string at;  // UTC, FormatUtc()
  std::string gate;
  std::string station;
  Direction direction = Direction::kEntry;
};

// Which gate a scan happens at and what it admits.
struct Gate {
  std::string name;
  std::vector<std::string> ticket_types;  // empty: every ticket type
  std::vector<std::string> days;          // local "YYYY-MM-DD"; empty: every day
  bool AdmitsTicketType(std::string_view ticket_type) const;
  bool OpenOn(std::string_view local_date) const;
};

struct DecisionInput {
  const Attendee* attendee = nullptr;  // null: code not in the roster
  Direction direction = Direction::kEntry;
  const Gate* gate = nullptr;
  std::string local_date;  // today in the event's time zone
  std::string now_utc;     // as FormatUtc writes it, for the ticket's validity window
  // The attendee's latest admission still in force, if any.
  std::optional<PreviousCheckin> last;
};

struct Ruling {
  Verdict verdict;
  std::string reason;  // machine word for denials: "unknown_code", "refunded", ...
};

Ruling Decide(const DecisionInput& in);

// What a caller gets back for one presented code.
struct Decision {
  Verdict verdict = Verdict::kInvalid;
  std::string code;    // as matched, or SafeCodeForDisplay() of a bad payload
  std::string reason;  // empty for admissions
  std::optional<Attendee> attendee;
  std::optional<PreviousCheckin> previous;  // set for kAlreadyCheckedIn
  std::string at;                           // UTC time of this decision
  std::string gate;
  std::string station;
  Direction direction = Direction::kEntry;
  std::string checkin_uuid;  // the log entry written, empty if none
  // Decided by a paired station alone, against its replica, because the hub
  // did not answer: recorded there and uploaded when the hub is back.
  bool offline = false;
};

}  // namespace checkin
