// What each kind of device paired with the venue hub may do: the roles of
// `checkin hub device add --role` and the one table that decides. Plain types
// so the hub and the stations both use them. Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace checkin {

enum class Role { kScan, kDesk, kPrint, kAdmin };

// What a request to the hub asks to do.
enum class Action {
  kRedeem,           // admit or let out a scanned code
  kSearch,           // look attendees up by name, email or code
  kStats,            // read the counts
  kPullReplica,      // copy the roster and check-in log for offline work
  kUndo,             // take back a check-in
  kCheckinBySearch,  // admit someone found by search, without their code
  kClaimPrintJobs,   // claim and report badge print jobs
  kReadBadgeData,    // the attendee fields a badge shows
  kImport,           // change the roster
  kManageDevices,    // add, list and revoke devices
  kReadReport,       // the attendance report's figures (counts only)
  kReadReportNames,  // the report's lists of people: no-shows, late registrations
};

// scan: redeem, search, stats (and the replica to do them offline); desk: the
// same plus undo, check-in by search and the report's figures; print: print
// jobs and what a badge shows; admin: everything, the report's lists of
// people (personal data taken off the hub in bulk) included.
bool Allows(Role role, Action action);

std::string_view RoleName(Role role);  // "scan", "desk", "print", "admin"
std::optional<Role> ParseRole(std::string_view name);

// The same roles as the pages name them (`hub open --role`): a scan device's
// page is the door screen, so "door", "desk", "print", "admin".
std::string_view PageRoleName(Role role);
std::optional<Role> ParsePageRole(std::string_view name);

}  // namespace checkin
