// bench/event_day: a whole event day on loopback with the real `checkin`
// binary. The schedule (who arrives when, at which door, who tries a second
// door) is the truth; RunVenue plays it against a hub, four entrance
// stations and two print stations, cutting two entrance stations off for a
// while; CheckDay holds what the stations answered and what the hub kept
// against that truth. Single-threaded from the caller's side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/report.h"

namespace checkin::bench {

struct DayOptions {
  size_t attendees = 1500;
  double minutes = 45;               // simulated length of the arrivals
  double speed = 20;                 // simulated seconds per real second
  double cut_at = 20;                // simulated minute the cut starts
  double cut_minutes = 5;            // simulated length of the cut
  size_t second_connected = 75;      // second door while both doors reach the hub
  size_t second_across_cut = 40;     // second door during the cut, across it
  size_t cut_door_after_entry = 20;  // in before the cut, then at a cut-off door during it
  bool hang = false;                 // the cut stalls the link instead of dropping it
  uint64_t seed = 20261130;
  std::string dir = "/tmp";
  std::string checkin;  // the binary
  std::string out;      // results.jsonl
  bool keep = false;
};

// The four entrance stations; doors 0 and 2 are the ones cut off.
inline constexpr int kDoors = 4;
inline constexpr const char* kDoorNames[kDoors] = {"norte-1", "norte-2", "sur-1", "sur-2"};
inline constexpr bool kCutDoor[kDoors] = {true, false, true, false};
inline constexpr int kPrinters = 2;
// After the heal, a cut-off station decides alone until its next probe of
// the hub (3 s) and uploads at its next sync pass (2 s): real seconds in
// which a double admission still belongs to the cut.
inline constexpr double kAfterHealSlackS = 10;

// One ticket holder of the simulated day.
struct Holder {
  std::string code;
  bool valid = true;  // false: a cancelled ticket, to be refused everywhere
};

enum class AttemptKind {
  kArrival,            // the first door
  kSecondConnected,    // another door later, both reaching the hub
  kSecondAcrossCut,    // another door during the cut, across it
  kCutDoorAfterEntry,  // in before the cut, then at a cut-off door during it
};

struct Answer {
  std::string verdict;  // as the station's JSON line says
  bool offline = false;
  std::string at;     // the decision's time (UTC text)
  std::string uuid;   // the check-in's id, empty for none
  double real_s = 0;  // when the line was read, seconds since the arrivals began
};

struct Attempt {
  double sim_s = 0;  // simulated seconds since the doors opened
  size_t person = 0;
  int door = 0;
  AttemptKind kind = AttemptKind::kArrival;
  double sent_real_s = 0;        // when the code went to the station (RunVenue)
  std::optional<Answer> answer;  // filled by RunVenue
};

struct Schedule {
  std::vector<Holder> people;
  std::vector<Attempt> attempts;          // in time order
  double cut_start_s = 0, cut_end_s = 0;  // simulated
};

Schedule MakeSchedule(const DayOptions& o);

// What RunVenue saw besides the answers.
struct VenueLog {
  bool ok = false;
  std::string error;
  std::string dir, hub_db;
  std::string printer_dirs[kPrinters];
  double cut_real_s = 0, heal_real_s = 0;  // since the arrivals began
  // Real seconds after the heal until the hub held every check-in the cut
  // station had decided alone; negative if it never did.
  double caught_up_after_heal_s[kDoors] = {-1, -1, -1, -1};
  double setup_s = 0, arrivals_s = 0, drain_s = 0, total_s = 0;
  int64_t outbox_left[kDoors] = {0, 0, 0, 0};  // `station status` at the end
  std::string conflicts_json;                  // `hub conflicts --json`
  size_t unmatched_lines = 0;                  // answers for codes not sent there
};

// Plays `s` (filling each attempt's answer); the hub and the printers keep
// their files in log.dir until CheckDay has read them.
VenueLog RunVenue(const DayOptions& o, Schedule& s);

// Prints the figures and verdicts; returns the number of failed checks.
int CheckDay(const DayOptions& o, const Schedule& s, const VenueLog& log, Report& report);

}  // namespace checkin::bench
