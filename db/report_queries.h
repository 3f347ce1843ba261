// The attendance report's queries (issue 13) over one stretch of the
// check-in log. Whole-event figures that `stats` also shows come from
// ComputeStats (db/roster.h) and the arrivals from ArrivalsSince
// (db/arrivals.h); these add what only the report needs, with the same
// meaning: an admission counts while no undo points at it. Read-only; one
// call per connection at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/records.h"
#include "common/result.h"
#include "db/database.h"

namespace checkin::db {

class Transaction;

// While begun, every query on the connection sees the file as it stood at
// the first of them, so the report's figures agree with each other while
// the doors keep writing (in WAL mode readers do not hold writers back).
// Writes nothing; ends with a rollback when destroyed.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  Status Begin();

 private:
  std::unique_ptr<Transaction> tx_;
};

// [from, to) in FormatUtc text, which sorts as time. kWholeLog spans every row.
struct LogWindow {
  std::string from;
  std::string to;
};
inline const LogWindow kWholeLog{"", "~"};

// The first and last `at` of the rows within `w`; rows == 0 when there are none.
struct LogSpan {
  int64_t rows = 0;
  std::string first, last;
};
Result<LogSpan> CheckinSpan(Database& db, const LogWindow& w);

// Per ticket type as in ComputeStats (valid tickets, same order), but
// checked_in counts attendees with an entry in force recorded within `w`.
Result<std::vector<TicketTypeStats>> TicketTypesWithin(Database& db, const LogWindow& w);

// Rows recorded within `w`.
struct LogCounts {
  int64_t entries = 0;          // admissions in force, entries
  int64_t exits = 0;            // admissions in force, exits
  int64_t denials = 0;          // every denied row
  int64_t repeat_attempts = 0;  // denied as already_checked_in
  int64_t undos = 0;
  int64_t conflicts = 0;  // by the later admission's time
  int64_t reprints = 0;   // print jobs beyond an attendee's first, cancelled ones left out
};
Result<LogCounts> CountWithin(Database& db, const LogWindow& w);

// For one day of the report: attendees with an entry in force within `w`
// (as TicketTypesWithin sums them), those entries, and the denials.
struct DayCounts {
  int64_t checked_in = 0;
  int64_t entries = 0;
  int64_t denials = 0;
};
Result<DayCounts> DayWithin(Database& db, const LogWindow& w);

struct DenialCount {
  std::string verdict, reason;
  int64_t count = 0;
};
// Most frequent first.
Result<std::vector<DenialCount>> DenialsWithin(Database& db, const LogWindow& w);

// Entries in force per gate or per station, and in how many distinct clock
// minutes (UTC minutes, the same as local ones) at least one happened.
struct BusyCount {
  std::string name;
  int64_t admissions = 0;
  int64_t busy_minutes = 0;
};
enum class Door { kGate, kStation };
Result<std::vector<BusyCount>> BusyWithin(Database& db, const LogWindow& w, Door by);

struct ListedPerson {
  std::string first_name, last_name, email, ticket_type, ticket_code;
};
// Valid tickets with no entry in force within `w`, by name.
Result<std::vector<ListedPerson>> NoShowsWithin(Database& db, const LogWindow& w);
// Valid tickets added to the roster within `w`, by name.
Result<std::vector<ListedPerson>> AddedWithin(Database& db, const LogWindow& w);

}  // namespace checkin::db
