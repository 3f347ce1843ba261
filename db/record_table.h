// RecordTable: lends a batch of in-memory roster records to SQL as the
// eponymous virtual table `checkin_import_rows`, so one INSERT ... SELECT can
// load them with no copy and no staging table. Internal to the db module; one
// lender per connection at a time.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

struct sqlite3;

namespace checkin::db {

// Columns: line, ticket_id, order_id, ticket_code, badge_code, first_name,
// last_name, email, company, ticket_type, status, upstream_status,
// checkin_lists, blocked, valid_from, valid_until. `badge_codes[i]` belongs to `rows[i]`.
class RecordTable {
 public:
  // Registers the table on `db` for the lifetime of this object. Both vectors
  // must outlive it, and every statement that reads the table must be
  // finalized before it goes.
  RecordTable(sqlite3* db, const std::vector<const RosterRecord*>& rows,
              const std::vector<std::string>& badge_codes);
  ~RecordTable();
  RecordTable(const RecordTable&) = delete;
  RecordTable& operator=(const RecordTable&) = delete;

  const Status& status() const { return status_; }

  struct Batch {
    const std::vector<const RosterRecord*>* rows;
    const std::vector<std::string>* badge_codes;
  };

 private:
  sqlite3* db_;
  Batch batch_;
  Status status_;
};

}  // namespace checkin::db
