// The values the check-in service hands back besides decisions: the event,
// search hits, attendance figures, undo results and badge print jobs. Plain
// value types shared by the SQLite desk, the hub, the CLI and the pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/attendee.h"
#include "common/verdict.h"

namespace checkin {

struct EventInfo {
  std::string name;
  std::string timezone = "America/Bogota";
  std::string created_at;
};

struct SearchHit {
  Attendee attendee;
  std::optional<PreviousCheckin> in_force;  // newest admission not undone
};

struct UndoResult {
  Attendee attendee;
  PreviousCheckin undone;  // the admission that no longer counts
  std::string undo_uuid;
};

struct TicketTypeStats {
  std::string ticket_type;
  int64_t expected = 0;    // valid tickets
  int64_t checked_in = 0;  // attendees with an entry in force
};

struct GateStats {
  std::string gate;
  int64_t entries = 0;  // admissions in force
  int64_t exits = 0;
  int64_t denials = 0;
};

struct Stats {
  int64_t expected = 0;
  int64_t checked_in = 0;
  int64_t inside_now = 0;  // entered and not exited
  int64_t cancelled = 0;   // cancelled or refunded tickets
  int64_t conflicts = 0;   // tickets admitted twice by stations cut off from each other
  std::vector<TicketTypeStats> by_ticket_type;
  std::vector<GateStats> by_gate;
  std::vector<std::pair<std::string, int64_t>> denials_by_verdict;
};

enum class JobState { kQueued, kPrinting, kDone, kFailed, kCancelled };
// "queued", "printing", "done", "failed", "cancelled"
std::string_view JobStateName(JobState s);
std::optional<JobState> ParseJobState(std::string_view name);

struct PrintJob {
  int64_t id = 0;
  std::string token;  // random, so titles never collide across databases on one printer
  int64_t attendee_id = 0;
  std::string station;
  JobState state = JobState::kQueued;
  int attempts = 0;
  std::string last_error;
  std::string claimed_by;
  std::string printer;
  std::string printer_job_id;
  std::string created_at, updated_at;
  // Why the badge is printed again, in the print desk's words; empty for a
  // first badge and for reprints asked without one.
  std::string reason = {};

  // What the job is called at the printer, so a daemon that died between
  // submitting and recording can find its own job there.
  std::string Title() const { return "checkin-badge-" + token; }
};

struct QueueCounts {
  int64_t queued = 0, printing = 0, done = 0, failed = 0, cancelled = 0;
};

// A printer as its print daemon last saw it (CUPS's words for the reasons).
struct PrinterState {
  bool reachable = false;
  bool accepting = false;
  bool paused = false;
  std::string reasons;  // the printer's own words, e.g. "media-empty"
};

// What a print daemon says about its printer every few seconds, so the
// print desk shows it in words.
struct PrinterReport {
  std::string worker;   // the daemon's stable id (host and printer)
  std::string station;  // the station it runs on, as the desk names it
  std::string printer;  // the printer's name at the daemon
  PrinterState state;
};

}  // namespace checkin
