// Attendee: one ticket holder as the roster knows them. A value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace checkin {

enum class TicketStatus { kValid, kCancelled, kRefunded };

std::string_view TicketStatusName(TicketStatus s);  // "valid", "cancelled", "refunded"
std::optional<TicketStatus> ParseTicketStatus(std::string_view name);

// upstream_status of a pretix signed ticket admitted by its signature before
// a sync brought it: its holder's name is not known yet.
inline constexpr const char* kSignedNotSynced = "signed, not synced yet";

struct Attendee {
  int64_t id = 0;
  std::string ticket_code;  // what the attendee's ticket QR holds
  std::string badge_code;   // opaque code generated here for the badge QR
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string company;
  std::string ticket_type;
  TicketStatus status = TicketStatus::kValid;
  std::string upstream_status;  // the platform's own word, e.g. "Refunded"
  std::string order_id;
  std::string ticket_id;
  std::string source;         // "generic", "eventbrite", "pretix", "sympla"
  std::string checkin_lists;  // ';'-separated, as exported
  // The platform's refusals: reasons the ticket is blocked ('' if it is
  // not), and when it admits (UTC as FormatUtc writes; '' when open).
  std::string blocked, valid_from, valid_until;

  std::string FullName() const;
};

}  // namespace checkin
