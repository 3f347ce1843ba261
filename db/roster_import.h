// Applies a roster snapshot to the database in one transaction: adds new
// tickets, updates changed ones, cancels those cancelled upstream (never
// deletes), and reports tickets missing from a full re-export. A failure
// changes nothing. The rows are staged first, so the write lock is held only
// for the final step. One import at a time per connection.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "db/database.h"
#include "db/registration_source.h"

namespace checkin::db {

enum class MissingPolicy { kReport, kCancel };
enum class ImportMode { kApply, kDryRun };

struct MissingTicket {
  std::string ticket_id;
  std::string name;
};

struct ImportSummary {
  std::string format;
  std::string encoding;
  int rows = 0;            // data rows read
  int duplicate_rows = 0;  // exact repeats skipped
  int added = 0;
  int updated = 0;
  int cancelled = 0;  // valid before, cancelled or refunded now
  int unchanged = 0;
  std::vector<MissingTicket> missing;  // valid here, absent from the export
  int missing_cancelled = 0;
  bool dry_run = false;
};

// How far an import has got: rows read and staged, then (for big additions)
// new tickets written ahead of the final step.
struct ImportProgress {
  enum class Step { kReading, kWriting };
  Step step = Step::kReading;
  size_t done = 0;
  size_t total = 0;  // kWriting only: the new tickets to write
};
using ImportProgressFn = std::function<void(const ImportProgress&)>;

// Applies a snapshot already in memory (one transaction).
Result<ImportSummary> ApplyRoster(Database& db, const RosterSnapshot& snap, MissingPolicy missing,
                                  ImportMode mode, const Clock& clock);

// Streams `source` into the database: the source reads and checks on a second
// thread while checked batches are staged on this connection, then applied in
// one short transaction. `progress` is called after each staged batch and
// each chunk written ahead, on this thread, between transactions.
Result<ImportSummary> ImportRoster(Database& db, RegistrationSource& source, MissingPolicy missing,
                                   ImportMode mode, const Clock& clock,
                                   const ImportProgressFn& progress = {});

// The steps of an import, for callers that feed records in batches. Begin
// makes a staging table on this connection and Add stages a batch (records
// need to live only through the call; a ticket staged again replaces its
// earlier copy); neither locks the event file, so
// redeems from other connections go on as usual. Finish takes the write lock
// for one short transaction: it matches the stage against the tickets as
// they are now, adds, updates (codes may swap between tickets) and cancels,
// updates the search index, records the import and commits (a dry run rolls
// back). Many new tickets are written ahead of that transaction, in short
// ones, invisible to every reader until it commits. Destroying it unfinished
// drops the stage and changes nothing.
class Transaction;

class RosterApplier {
 public:
  static Result<std::unique_ptr<RosterApplier>> Begin(Database& db, const std::string& source,
                                                      const Clock& clock);
  ~RosterApplier();
  Status Add(const std::vector<const RosterRecord*>& records);
  Result<ImportSummary> Finish(const RosterSnapshot& info, MissingPolicy missing, ImportMode mode,
                               const ImportProgressFn& progress = {});

 private:
  struct State;
  explicit RosterApplier(std::unique_ptr<State> st);
  Status Match(const RosterSnapshot& info);
  // Runs `write` (which commits, or not) in a write transaction in which no
  // other import's run is listed: clears the runs of dead importers, waits
  // for a live one to end.
  Status Exclusive(const std::function<Status(Transaction&)>& write);
  // Writes the new tickets ahead of the final step under a run of their own.
  Status WriteEarly(const ImportProgressFn& progress);
  Status KeepRun();
  Status Apply(const RosterSnapshot& info, MissingPolicy missing);
  std::unique_ptr<State> st_;
};

}  // namespace checkin::db
