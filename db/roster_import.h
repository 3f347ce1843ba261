// Applies a roster snapshot to the database in one transaction: adds new
// tickets, updates changed ones, cancels those cancelled upstream (never
// deletes), and reports tickets missing from a full re-export. A failure
// changes nothing. One call at a time per connection.
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

// Applies a snapshot already in memory (one transaction).
Result<ImportSummary> ApplyRoster(Database& db, const RosterSnapshot& snap, MissingPolicy missing,
                                  ImportMode mode, const Clock& clock);

// Streams `source` into the database: the source reads and checks on a second
// thread while checked batches are stored, all in one transaction.
// `progress(rows)` is called after each stored batch.
Result<ImportSummary> ImportRoster(Database& db, RegistrationSource& source, MissingPolicy missing,
                                   ImportMode mode, const Clock& clock,
                                   const std::function<void(size_t)>& progress = {});

// The steps of an import, for callers that feed records in batches: Begin
// takes the write lock and loads the source's tickets, Add stores a batch
// (records must stay alive until Finish returns), Finish updates the search
// index, handles missing tickets, records the import and commits (or, for a
// dry run, rolls back). Destroying it unfinished rolls back.
class RosterApplier {
 public:
  static Result<std::unique_ptr<RosterApplier>> Begin(Database& db, const std::string& source,
                                                      const Clock& clock);
  ~RosterApplier();
  Status Add(const std::vector<const RosterRecord*>& records);
  Result<ImportSummary> Finish(const RosterSnapshot& info, MissingPolicy missing, ImportMode mode);

 private:
  struct State;
  explicit RosterApplier(std::unique_ptr<State> st);
  std::unique_ptr<State> st_;
};

}  // namespace checkin::db
