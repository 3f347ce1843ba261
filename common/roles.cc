#include "common/roles.h"

namespace checkin {

bool Allows(Role role, Action action) {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kPrint:
      return action == Action::kClaimPrintJobs || action == Action::kReadBadgeData;
    case Role::kDesk:
      if (action == Action::kUndo || action == Action::kCheckinBySearch ||
          action == Action::kReadReport) {
        return true;
      }
      [[fallthrough]];
    case Role::kScan:
      return action == Action::kRedeem || action == Action::kSearch || action == Action::kStats ||
             action == Action::kPullReplica;
  }
  return false;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kScan:
      return "scan";
    case Role::kDesk:
      return "desk";
    case Role::kPrint:
      return "print";
    case Role::kAdmin:
      return "admin";
  }
  return "scan";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kScan, Role::kDesk, Role::kPrint, Role::kAdmin}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view PageRoleName(Role role) { return role == Role::kScan ? "door" : RoleName(role); }

std::optional<Role> ParsePageRole(std::string_view name) {
  if (name == "door") return Role::kScan;
  if (name == "scan") return std::nullopt;
  return ParseRole(name);
}

}  // namespace checkin
