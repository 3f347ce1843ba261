// RegistrationSource: where a roster comes from (an export file today, a
// platform's API later). Fetch() returns a complete, validated snapshot or an
// error; it never returns part of a roster.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "db/roster_format.h"

namespace checkin::db {

struct RosterSnapshot {
  RosterFormat format = RosterFormat::kGeneric;
  std::string origin;    // file name or endpoint, for the import history
  std::string encoding;  // as detected, for the summary
  bool full_export = true;  // lists every ticket of the source (enables "missing")
  std::vector<RosterRecord> records;
  int duplicate_rows = 0;
  int total_rows = 0;
};

class RegistrationSource {
 public:
  virtual ~RegistrationSource() = default;
  virtual Result<RosterSnapshot> Fetch() = 0;
};

// An attendee export saved from Eventbrite, pretix, Sympla or a spreadsheet.
class CsvExportSource final : public RegistrationSource {
 public:
  CsvExportSource(std::string path, RosterFormat format, std::vector<ColumnMap> maps)
      : path_(std::move(path)), format_(format), maps_(std::move(maps)) {}
  Result<RosterSnapshot> Fetch() override;

 private:
  std::string path_;
  RosterFormat format_;
  std::vector<ColumnMap> maps_;
};

}  // namespace checkin::db
