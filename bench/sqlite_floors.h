// Floors: what SQLite alone costs for the work a benchmark measures, so each goal
// is a ratio against a figure taken in the same run on the same disk. These talk
// to SQLite directly on purpose: they are what checkin::db is compared with.
// Not thread-safe; one object per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace checkin::bench {

// The SQLite library version linked here, e.g. "3.40.1".
std::string SqliteVersion();

// Runs the sqlite3 shell (`sqlite3_exe`, looked up on PATH) on a new file
// `db_path` with journal_mode=WAL and synchronous=FULL and `.import --csv` of
// `csv_path` into a new table, and returns the wall time of the whole
// subprocess in seconds. Fails if the shell is missing or exits non-zero.
Result<double> TimeSqliteShellImport(const std::string& sqlite3_exe, const std::string& db_path,
                                     const std::string& csv_path, const Clock& clock);

// What SQLite itself needs to load a roster into our schema: one INSERT ...
// SELECT of the rows the shell imported into table attendees_floor of
// `staged_db`, into the attendees table of `db` (unique indexes included),
// then one INSERT ... SELECT into the search index, committed durably. Seconds. For analysis, not a
// goal: it separates the cost of the schema from the cost of how ApplyRoster drives it.
Result<double> TimeSchemaBulkInsert(db::Database& db, const std::string& staged_db,
                                    const Clock& clock);

// Rows in `table` of the file at `db_path`, to check a floor did the whole job.
Result<long long> CountRows(const std::string& db_path, const std::string& table);

// For analysis only: with kOff, commits skip fsync, which leaves what a call
// costs besides making it durable. Never a setting for a real event.
enum class Sync { kFull, kOff };
Status SetSync(db::Database& db, Sync sync);

// The cheapest durable write: one row shaped like a check-in log entry, inserted
// as its own autocommit transaction into a WAL file with synchronous=FULL (an
// fsync of the WAL per commit), with no reads, indexes or triggers.
class DurableInsertFloor {
 public:
  static Result<std::unique_ptr<DurableInsertFloor>> Open(const std::string& path);
  ~DurableInsertFloor();
  Status Insert(std::string_view code, std::string_view at);
  Status SetSync(Sync sync);

 private:
  explicit DurableInsertFloor(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
};

// The cheapest read: an indexed point lookup by ticket code on the roster,
// through a statement prepared once.
class PointLookupFloor {
 public:
  static Result<std::unique_ptr<PointLookupFloor>> Open(const std::string& path);
  ~PointLookupFloor();
  // Ok(true) when a row has that code.
  Result<bool> Lookup(std::string_view code);

 private:
  explicit PointLookupFloor(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  sqlite3_stmt* select_ = nullptr;
};

}  // namespace checkin::bench
