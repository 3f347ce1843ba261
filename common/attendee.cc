#include "common/attendee.h"

namespace checkin {

std::string_view TicketStatusName(TicketStatus s) {
  switch (s) {
    case TicketStatus::kValid:
      return "valid";
    case TicketStatus::kCancelled:
      return "cancelled";
    case TicketStatus::kRefunded:
      return "refunded";
  }
  return "valid";
}

std::optional<TicketStatus> ParseTicketStatus(std::string_view name) {
  if (name == "valid") return TicketStatus::kValid;
  if (name == "cancelled") return TicketStatus::kCancelled;
  if (name == "refunded") return TicketStatus::kRefunded;
  return std::nullopt;
}

std::string Attendee::FullName() const {
  if (last_name.empty()) return first_name;
  if (first_name.empty()) return last_name;
  return first_name + " " + last_name;
}

}  // namespace checkin
