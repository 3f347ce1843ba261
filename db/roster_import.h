// Applies a roster snapshot to the database in one transaction: adds new
// tickets, updates changed ones, cancels those cancelled upstream (never
// deletes), and reports tickets missing from a full re-export. A failure
// changes nothing. One call at a time per connection.
#pragma once

#include <functional>
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

// `progress(done, total)` is called now and then for long imports.
Result<ImportSummary> ApplyRoster(Database& db, const RosterSnapshot& snap, MissingPolicy missing,
                                  ImportMode mode, const Clock& clock,
                                  const std::function<void(size_t, size_t)>& progress = {});

}  // namespace checkin::db
